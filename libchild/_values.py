"""Values as people type them, read for the rule engine without ever raising.

The readers of :mod:`libchild.rules`: dates in any accepted form (memoised), ID numbers
(digits kept as text; a number stored as a number gets its leading zeros back), free
text (trimmed, NFC), lists of codes written as text, supports in their several shapes.
A value that is not what a field expects gives a marker, never an exception: foreign
objects whose ``__str__``, ``__eq__`` or ``__bool__`` raise, numbers too long to print
and lists nested too deep to print cost their own field only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from libchild import dates
from libchild.ids import cccd
from libchild.model import Child, Support

MISSING = object()  # value absent or blank
INVALID = object()  # a date that cannot be read
UNREADABLE = object()  # a value that cannot be turned into text
CACHE_LIMIT = 200_000  # entries per memo cache before it is cleared
MEMO_MAX_LEN = 120  # longer strings are not memoised


def int_text(value: int | float) -> str | None:
    """The digits of a whole number; None for one with more digits than Python will
    turn into text (``10**5000``)."""
    try:
        return str(int(value))
    except ValueError:
        return None


def is_nan(value: Any) -> bool:
    """A float NaN: how pandas and some spreadsheet readers write an empty cell."""
    return type(value) is float and value != value


DATE_CACHE: dict[Any, Any] = {}


def read_date(value: Any) -> Any:
    """Return a date, ``MISSING`` or ``INVALID``."""
    if type(value) is date:
        return value
    if value is None:
        return MISSING
    if type(value) is str:
        found = DATE_CACHE.get(value)
        if found is not None:
            return found
        if not value.strip():
            return MISSING
        if len(value) > 40:
            return INVALID
        try:
            found = dates.parse_date(value.strip())
        except Exception:
            found = INVALID
        if len(DATE_CACHE) > CACHE_LIMIT:
            DATE_CACHE.clear()
        DATE_CACHE[value] = found
        return found
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if is_nan(value):
        return MISSING
    if type(value) in (int, float):
        try:
            return dates.parse_date(value)
        except Exception:
            return INVALID
    return INVALID


def id_number(value: Any) -> tuple[str | None, str]:
    """Return (compact digits or None, state): state is "ok", "missing" or "format"."""
    if type(value) is str:
        number = cccd.compact(value)
    elif type(value) is int or (type(value) is float and value.is_integer()):
        number = int_text(value)  # type: ignore[assignment]
        if number is None:
            return None, "format"
        if 10 <= len(number) <= 11:
            # A spreadsheet that stored the number as a number dropped its leading
            # zeros; every province-of-birth prefix starts with 0 (TT 07/2016).
            number = number.zfill(12)
    elif value is None or is_nan(value):
        return None, "missing"
    else:
        return None, "format"
    if not number:
        return None, "missing"
    if not (number.isdigit() and number.isascii()):
        return None, "format"
    return number, "ok"


def text_value(value: Any) -> str | None:
    """Return ``value`` as trimmed NFC text with single spaces, or None when blank."""
    if type(value) is str and value.isascii():
        return " ".join(value.split()) or None
    if value is None or is_nan(value):
        return None
    if not isinstance(value, str):
        if isinstance(value, bytes | bytearray):
            value = value.decode("utf-8", "replace")
        else:
            value = str(value)
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value or None


def as_list(value: Any) -> list[Any]:
    """A list of items: a list or tuple as it is, text split at ``;`` or ``,``."""
    if value is None or is_nan(value):
        return []
    if isinstance(value, str):
        return [p for p in value.replace(",", ";").split(";") if p.strip()]
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def record_getter(record: Any) -> Callable[[str], Any] | None:
    """How to read a field of ``record`` (a dict, a Child, any mapping); None if none."""
    if type(record) is dict:
        return record.get
    if isinstance(record, Child):
        return record.__getattribute__  # every field the engine asks for is a slot
    if isinstance(record, Mapping):
        copied = dict(record)
        return copied.get
    return None


def text_or_unreadable(value: Any) -> Any:
    """``value`` as trimmed NFC text with single spaces; None when blank; ``UNREADABLE``
    when it cannot be turned into text (a 5,000-digit number, an object whose ``__str__``
    raises, a list nested 100,000 deep)."""
    try:
        return text_value(value)
    except Exception:  # whatever a foreign object raises, only this field is lost
        return UNREADABLE


def blank(value: Any) -> bool:
    """None, empty text, an empty list or NaN, decided without calling the value's own
    methods (a foreign object's ``__bool__`` or ``__eq__`` may raise)."""
    if value is None:
        return True
    kind = type(value)
    if kind is str or kind is list or kind is tuple:
        return not value
    return kind is float and value != value


def support_parts(item: Any) -> tuple[Any, Any]:
    """Return (form, date) as typed from one support: a mapping, a Support, a pair or
    text such as "TG01 15/03/2025" or "TG01: 2025-03-15"."""
    if isinstance(item, Mapping):
        return item.get("form"), item.get("date")
    if isinstance(item, Support):
        return item.form, item.date
    if isinstance(item, list | tuple) and len(item) == 2:
        return item[0], item[1]
    if isinstance(item, str):
        form_raw, _, date_raw = item.strip().replace(":", " ", 1).partition(" ")
        return form_raw, date_raw.strip() or None
    return item, None
