"""Số chứng minh nhân dân (CMND, the old Vietnamese identity card number, 9 digits).

Issued to adults under Nghị định 05/1999/NĐ-CP and Thông tư 04/1999/TT-BCA(C13).
The first two digits stand for the province that issued the card (the police's
own numbering, not the administrative codes), the rest is a sequence. No check
digit exists. The card was replaced by the căn cước công dân and lost its
validity on 31 December 2024 (Luật Căn cước 2023, Điều 46),
but the number still appears for caregivers in older lists. Children never have
one. A 12-digit CMND (issued from 2012) has the form of the personal ID number:
validate it with :mod:`libchild.ids.cccd`.

All numbers below are synthetic.

>>> validate('012 345 678')
'012345678'
>>> validate('01234567')
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidLength: The number has an invalid length.
>>> is_valid('01234567X'), is_valid('012345678')
(False, True)
>>> format('012-345-678')
'012345678'
"""

from __future__ import annotations

from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from libchild.ids._common import compact_digits, is_ascii_digits

__all__ = ["compact", "format", "get_issue_province_prefix", "is_valid", "validate"]

LENGTH = 9


def compact(number: str) -> str:
    """Convert the number to the minimal representation: strip spaces, dots and dashes.

    >>> compact(' 012.345.678 ')
    '012345678'
    """
    return compact_digits(number)


def validate(number: str) -> str:
    """Check the number: 9 ASCII digits after :func:`compact`. Return the compact form.

    Raises ``InvalidFormat`` for anything but ASCII digits and ``InvalidLength``
    for a wrong number of digits.
    """
    number = compact(number)
    if not is_ascii_digits(number):
        raise InvalidFormat()
    if len(number) != LENGTH:
        raise InvalidLength()
    return number


def is_valid(number: str) -> bool:
    """Return whether :func:`validate` accepts the number."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:  # python-stdnum's name for it
    """Return the number as shown: the 9 digits without separators."""
    return compact(number)


def get_issue_province_prefix(number: str) -> str:
    """Return digits 1-2: the code of the province that issued the card.

    >>> get_issue_province_prefix('012345678')
    '01'
    """
    return validate(number)[:2]
