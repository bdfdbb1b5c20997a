"""Số định danh cá nhân (Vietnamese personal identification number, 12 digits).

Every citizen receives the number at birth registration; it is printed on the
identity card (thẻ căn cước, formerly căn cước công dân) and is the key of the
national population database. A child has it long before any card (the card is
optional under 14).

The only hard rule is 12 ASCII digits, kept as a string (leading zeros matter).
There is no check digit (Luật Căn cước 2023, Điều 12; NĐ 137/2015/NĐ-CP): a
12-digit number is never rejected for its structure.

Structure as issued (Thông tư 07/2016/TT-BCA, Phụ lục 1, kept by Thông tư
59/2021/TT-BCA)::

    PPP G YY RRRRRR
    |   | |  +------ 6 random digits
    |   | +--------- last two digits of the year of birth
    |   +----------- century and sex: 0/1 = 1900s male/female, 2/3 = 2000s,
    |                4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s
    +--------------- province of birth registration (the 63 pre-2025
                     provinces, ``catalogs/id_prefixes.csv``), or a country code
                     for those registered abroad

The circular describing the structure has expired and newer numbers may differ,
so disagreement with the record (:func:`structure_warnings`) is a warning.

More information:

* Luật Căn cước số 26/2023/QH15, Điều 12
* Thông tư 07/2016/TT-BCA, Thông tư 59/2021/TT-BCA (Bộ Công an)

All numbers below are synthetic.

>>> validate('001 216 000 123')
'001216000123'
>>> validate('00121600012')
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidLength: The number has an invalid length.
>>> validate('00121600012A')
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidFormat: The number has an invalid format.
>>> get_birth_province_prefix('001216000123'), get_century('001216000123')
('001', 2000)
>>> get_sex('001216000123'), get_birth_year('001216000123')
('1', 2016)
>>> structure_warnings('001216000123', sex='2', birth_date='05/03/2016')
['personal_id.sex_mismatch']
>>> format('001.216.000.123')
'001216000123'
"""

from __future__ import annotations

from datetime import date, datetime

from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from libchild.ids._common import compact_digits, is_ascii_digits

__all__ = [
    "compact",
    "format",
    "get_birth_province_prefix",
    "get_birth_year",
    "get_century",
    "get_sex",
    "is_valid",
    "structure_warnings",
    "validate",
]

LENGTH = 12

#: Issue codes returned by :func:`structure_warnings` (described in libchild.messages).
UNKNOWN_PREFIX = "personal_id.unknown_prefix"
SEX_MISMATCH = "personal_id.sex_mismatch"
CENTURY_MISMATCH = "personal_id.century_mismatch"
YEAR_MISMATCH = "personal_id.year_mismatch"


def compact(number: str) -> str:
    """Convert the number to the minimal representation: strip spaces, dots and dashes,
    and the invisible characters a copy from a web page brings (zero-width space ...).

    >>> compact(' 001-216-000-123 ')
    '001216000123'
    >>> validate('014316012345\u200b')
    '014316012345'
    """
    return compact_digits(number)


def validate(number: str) -> str:
    """Check the number: 12 ASCII digits after :func:`compact`. Return the compact form.

    Raises ``InvalidFormat`` for anything but ASCII digits (letters, full-width
    or other non-ASCII digits) and ``InvalidLength`` for a wrong number of digits.
    The structure is never checked here: see :func:`structure_warnings`.
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
    """Return the number as the register shows it: the 12 digits without separators.

    No official grouping exists; cards print the digits contiguously.
    """
    return compact(number)


def get_birth_province_prefix(number: str) -> str:
    """Return digits 1-3: the province (or country) of birth registration.

    >>> get_birth_province_prefix('079316000123')
    '079'
    """
    return validate(number)[:3]


def get_century(number: str) -> int:
    """Return the first year of the century of birth encoded in digit 4 (e.g. 2000).

    >>> get_century('001016000123'), get_century('001316000123'), get_century('001416000123')
    (1900, 2000, 2100)
    """
    return 1900 + 100 * (int(validate(number)[3]) // 2)


def get_sex(number: str) -> str:
    """Return the sex encoded in digit 4 as a register code: ``'1'`` male, ``'2'`` female.

    >>> get_sex('001216000123'), get_sex('001316000123')
    ('1', '2')
    """
    return "1" if int(validate(number)[3]) % 2 == 0 else "2"


def get_birth_year(number: str) -> int:
    """Return the year of birth: the century of digit 4 plus digits 5-6.

    >>> get_birth_year('001010000123')
    1910
    """
    number = validate(number)
    return get_century(number) + int(number[4:6])


def _birth_year(birth_date: object) -> int | None:
    if isinstance(birth_date, datetime):
        return birth_date.year
    if isinstance(birth_date, date):
        return birth_date.year
    if birth_date is None or birth_date == "":
        return None
    from libchild.dates import parse_date

    try:
        return parse_date(birth_date).year  # type: ignore[arg-type]
    except ValueError:
        return None


def structure_warnings(
    number: str, *, sex: str | None = None, birth_date: date | str | None = None
) -> list[str]:
    """Return the issue codes for a valid number whose structure disagrees with the record.

    ``sex`` is a register code (``'1'``/``'2'`` or the integers; anything else is
    not compared),
    ``birth_date`` a date or anything :func:`libchild.dates.parse_date` reads
    (unreadable dates are not compared). An invalid number gives ``[]``: its
    format is reported by other rules. Codes, in this order:
    ``personal_id.unknown_prefix`` (digits 1-3 are not a province of birth
    registration; may be a foreign country), ``personal_id.sex_mismatch``,
    ``personal_id.century_mismatch``, ``personal_id.year_mismatch``.

    >>> structure_warnings('001216000123', sex='1', birth_date='05/03/2016')
    []
    >>> structure_warnings('999016000123', sex='1', birth_date='05/03/2015')
    ['personal_id.unknown_prefix', 'personal_id.century_mismatch', 'personal_id.year_mismatch']
    """
    try:
        number = validate(number)
    except ValidationError:
        return []
    from libchild.catalog import load

    warnings = []
    if load().id_prefixes.get(number[:3]) is None:
        warnings.append(UNKNOWN_PREFIX)
    digit = int(number[3])
    sex_code = str(sex).strip() if isinstance(sex, str | int) and not isinstance(sex, bool) else ""
    if sex_code in ("1", "2"):
        encoded = "1" if digit % 2 == 0 else "2"
        if encoded != sex_code:
            warnings.append(SEX_MISMATCH)
    year = _birth_year(birth_date)
    if year is not None:
        if 1900 + 100 * (digit // 2) != year // 100 * 100:
            warnings.append(CENTURY_MISMATCH)
        if int(number[4:6]) != year % 100:
            warnings.append(YEAR_MISMATCH)
    return warnings
