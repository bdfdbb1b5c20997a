"""Dates as commune staff type them and as spreadsheets store them.

:func:`parse_date` accepts ``date``/``datetime`` objects, ``dd/mm/yyyy``,
``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``ddmmyyyy``, ``yyyy-mm-dd`` (an ISO
time after it is ignored) and Excel serial numbers of the 1900 date system (as
``int``/``float`` or a string of up to 5 digits). Anything else raises
``ValueError`` with a Vietnamese message that names the value (texts in
:data:`libchild.messages.DATE_ERRORS`, English there too).

>>> parse_date("15/03/2016")
datetime.date(2016, 3, 15)
>>> parse_date("5/3/2016") == parse_date("05-03-2016") == parse_date("05032016")
True
>>> parse_date("2016-03-05") == parse_date(42434) == parse_date("42434")
True
>>> parse_date("31/02/2016")
Traceback (most recent call last):
...
ValueError: Ngày không tồn tại: «31/02/2016» (tháng 2/2016 có 29 ngày).
>>> age(parse_date("29/02/2016"), parse_date("28/02/2017"))
(1, 0)
>>> format_date(parse_date("5.3.2016"))
'05/03/2016'

The rules engine calls :func:`parse_date` about 100,000 times a second, so the
common string shapes are recognised by length and separator positions, without
regular expressions or ``strptime``, and recent results are cached.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from libchild.messages import date_error

__all__ = ["CHILD_AGE_LIMIT", "EXCEL_SERIAL_MAX", "EXCEL_SERIAL_MIN", "age", "born_by",
           "format_date", "parse_date"]

#: A child is a person under 16 (Luật Trẻ em 2016, Điều 1): from this age in completed
#: years a record leaves the active register.
CHILD_AGE_LIMIT = 16

#: Excel serial numbers accepted: 1 (1900-01-01) to 73050 (2099-12-31).
EXCEL_SERIAL_MIN = 1
EXCEL_SERIAL_MAX = 73050
# Serials 1800-2199 are 1904-12-05 .. 1906-01-08: no one in the register was born
# then, while a bare year ("2016") is a common slip; refuse rather than guess.
_YEAR_LIKE = range(1800, 2200)
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 is 1900-03-01
_EXCEL_LEAP_BUG = 60  # Excel's non-existent 1900-02-29

# Error texts live in libchild.messages.DATE_ERRORS (Vietnamese, with English); the
# rules engine maps failures to issue codes of its own.

_CACHE: dict[str, date] = {}
_CACHE_MAX = 1 << 16
_SEPARATORS = "/-."
_DIGITS = frozenset("0123456789")


def _make(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        raise ValueError(date_error("no_such_month", original)) from None
    if not 1 <= year <= 9999:
        raise ValueError(date_error("bad_year", original)) from None
    days = calendar.monthrange(year, month)[1]
    raise ValueError(date_error("no_such_day", original, month, year, days)) from None


def _from_serial(serial: float, original: object) -> date:
    whole = int(serial)
    if whole == _EXCEL_LEAP_BUG:
        raise ValueError(date_error("serial_bug"))
    if not EXCEL_SERIAL_MIN <= whole <= EXCEL_SERIAL_MAX:
        raise ValueError(date_error("serial_range", original, EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX))
    if whole in _YEAR_LIKE:
        raise ValueError(date_error("year_only", original))
    if whole < _EXCEL_LEAP_BUG:
        whole += 1  # before Excel's phantom 29 Feb 1900 the epoch is one day later
    return _EXCEL_EPOCH + timedelta(days=whole)


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _parse_text(text: str, original: str) -> date:
    n = len(text)
    # dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy
    if n == 10:
        sep = text[2]
        if sep in _SEPARATORS and text[5] == sep:
            d, m, y = text[0:2], text[3:5], text[6:10]
            if _is_digits(d + m + y):
                return _make(int(y), int(m), int(d), original)
        elif text[4] == "-" and text[7] == "-":
            y, m, d = text[0:4], text[5:7], text[8:10]
            if _is_digits(y + m + d):
                return _make(int(y), int(m), int(d), original)
    if _is_digits(text):
        if n == 8:  # ddmmyyyy
            return _make(int(text[4:8]), int(text[2:4]), int(text[0:2]), original)
        if n <= 5:
            return _from_serial(int(text), original)
        raise ValueError(date_error("not_a_date", original))
    # ISO date with a time: 2016-03-15T00:00:00, 2016-03-15 00:00
    if n > 10 and text[10] in "T " and text[4] == "-" and text[7] == "-":
        rest = text[11:].strip()
        if rest and set(rest) <= _DIGITS | set(":.+-Z"):
            return _parse_text(text[:10], original)
    # A serial number stored as text with a fraction: "42434.0", "42434.5"
    whole, dot, fraction = text.partition(".")
    if dot and _is_digits(whole) and len(whole) <= 5 and (not fraction or _is_digits(fraction)):
        return _from_serial(int(whole), original)
    # d/m/yyyy and the other separators, one or two digits for day and month
    for sep in _SEPARATORS:
        if sep in text:
            parts = [p.strip() for p in text.split(sep)]
            if len(parts) == 3 and all(_is_digits(p) for p in parts):
                a, b, c = parts
                if len(a) == 4 and len(b) <= 2 and len(c) <= 2:  # yyyy-m-d
                    return _make(int(a), int(b), int(c), original)
                if len(a) <= 2 and len(b) <= 2:
                    if len(c) != 4:
                        raise ValueError(date_error("bad_year", original))
                    return _make(int(c), int(b), int(a), original)
            break
    raise ValueError(date_error("not_a_date", original))


def parse_date(value: str | int | float | date | datetime) -> date:
    """Return the date ``value`` stands for, or raise ``ValueError`` (message in Vietnamese).

    Strings are stripped first. Numbers (and digit strings of up to 5 digits) are
    Excel serial numbers of the 1900 system, including Excel's phantom 29 Feb 1900
    (serial 60, refused); serials from 1 to 73050 are accepted except 1800-2199,
    which look like a bare year.

    >>> parse_date(" 1/1/2020 ")
    datetime.date(2020, 1, 1)
    >>> parse_date(59), parse_date(61)
    (datetime.date(1900, 2, 28), datetime.date(1900, 3, 1))
    >>> parse_date("2016")
    Traceback (most recent call last):
    ...
    ValueError: «2016» trông như chỉ có năm; nhập đủ ngày, tháng, năm, ví dụ 15/03/2016.
    """
    if isinstance(value, str):
        cached = _CACHE.get(value)
        if cached is not None:
            return cached
        text = value.strip()
        if not text:
            raise ValueError(date_error("not_a_date", value))
        result = _parse_text(text, text)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[value] = result
        return result
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(date_error("type", type(value).__name__))
    if isinstance(value, int):
        return _from_serial(value, value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(date_error("not_a_date", value))
        if value < 0:
            raise ValueError(date_error("serial_range", value, EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX))
        return _from_serial(value, value)
    raise ValueError(date_error("type", type(value).__name__))


def age(birth: date, on: date) -> tuple[int, int]:
    """Return the completed (years, months) of life of someone born on ``birth``, at ``on``.

    A month is complete on the same day of a later month; when that month is
    shorter, on its last day (Bộ luật Dân sự 2015, Điều 148): a child born on
    31 January is one month old on 29 February 2016, one born on 29 February is
    one year old on 28 February of a common year. Raises ``ValueError`` when ``on``
    is before ``birth``.

    >>> age(date(2016, 1, 31), date(2016, 2, 29))
    (0, 1)
    >>> age(date(2010, 6, 15), date(2026, 6, 14))
    (15, 11)
    >>> age(date(2010, 6, 15), date(2026, 6, 15))
    (16, 0)
    """
    if isinstance(birth, datetime):
        birth = birth.date()
    if isinstance(on, datetime):
        on = on.date()
    if on < birth:
        raise ValueError(date_error("age_order", format_date(on), format_date(birth)))
    months = (on.year - birth.year) * 12 + on.month - birth.month
    anniversary_day = min(birth.day, calendar.monthrange(on.year, on.month)[1])
    if on.day < anniversary_day:
        months -= 1
    return divmod(months, 12)


def format_date(d: date) -> str:
    """Return ``d`` as ``dd/mm/yyyy``, the form the register shows and prints.

    >>> format_date(date(2016, 3, 5))
    '05/03/2016'
    """
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def born_by(on: date, years: int) -> date:
    """The latest birth date of someone who has completed ``years`` years on ``on``.

    The same rule as :func:`age` (Bộ luật Dân sự 2015, Điều 148), as a date a stored
    birth date can be compared with: ``age(b, on)[0] >= years`` exactly when
    ``b <= born_by(on, years)``.

    >>> born_by(date(2024, 2, 29), 16)
    datetime.date(2008, 2, 29)
    >>> born_by(date(2025, 2, 28), 16)
    datetime.date(2009, 2, 28)
    >>> born_by(date(2100, 2, 28), 16)  # 2100 is a common year: born 29/02/2084 is 16
    datetime.date(2084, 2, 29)
    """
    year = on.year - years
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    latest = date(year, on.month, day)
    following = latest + timedelta(days=1)
    while following <= on and age(following, on)[0] >= years:
        latest, following = following, following + timedelta(days=1)
    return latest
