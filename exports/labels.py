"""Catalogue names beside codes, and dates as the writers need them.

>>> names = CodeNames()
>>> names.name("sexes", "2")
'Nữ'
>>> names.name("sexes", "9") is None
True
>>> as_date("2016-03-12"), as_date("12/03/2016"), as_date("") is None
(datetime.date(2016, 3, 12), datetime.date(2016, 3, 12), True)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from libchild import catalog
from libchild.dates import parse_date

__all__ = ["CodeNames", "as_date", "format_day", "id_text"]


class CodeNames:
    """Code-to-name lookups over the libchild catalogues, cached for fast writing."""

    def __init__(self) -> None:
        self._catalogs = catalog.load()
        self._cache: dict[str, dict[str, str]] = {}

    def name(self, catalogue: str, code: Any) -> str | None:
        """Return the Vietnamese name of ``code`` in ``catalogue`` (e.g. ``"ethnicities"``)."""
        if code is None or code == "":
            return None
        table = self._cache.get(catalogue)
        if table is None:
            table = {e.code: e.name for e in getattr(self._catalogs, catalogue)}
            self._cache[catalogue] = table
        return table.get(str(code))

    def group(self, code: str) -> str | None:
        """Return the group of a circumstance code: special, at_risk or other."""
        entry = self._catalogs.circumstances.get(code)
        return entry.group if entry is not None else None

    def entries(self, catalogue: str) -> list[Any]:
        """Every entry of ``catalogue`` in catalogue order."""
        return list(getattr(self._catalogs, catalogue))


def as_date(value: Any) -> date | None:
    """A date from a date, datetime, ISO text or any libchild date format; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        return None


def format_day(value: Any) -> str:
    """``dd/mm/yyyy`` for a date-like value, else the text as given ("" for None)."""
    day = as_date(value)
    if day is not None:
        return day.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def id_text(value: Any) -> str:
    """An ID number cell as text; a number cell lost its leading zeros: put them back.

    >>> id_text(14216000101), id_text(" 001220000202 "), id_text(123456789)
    ('014216000101', '001220000202', '123456789')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        digits = str(int(value))
        return digits.zfill(12) if 9 < len(digits) <= 12 else digits
    return str(value).strip()
