"""How dates, ages, timestamps and numbers are written on screens and in the command line.

The one place that turns stored values into text a person reads: dates as ``dd/mm/yyyy``
(``libchild.dates.format_date``), ages in completed years and months
(``libchild.dates.age``, Bộ luật Dân sự 2015 Điều 148), stored UTC timestamps in local
time, counts with Vietnamese thousands dots, other numbers with a decimal comma.
"""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text

from libchild.dates import age, format_date
from libchild.text.controls import escape_unsafe
from tui.messages import core as msg

__all__ = ["MISSING", "age_text", "code_name", "day_text", "decimal", "number", "percent",
           "show_date", "shown", "when"]

#: Shown where a value is missing.
MISSING = "—"


def show_date(value: str | date | None) -> str:
    """A stored ISO date (or a date) as ``dd/mm/yyyy``; text that is not one as stored;
    None as a dash."""
    if value is None or value == "":
        return MISSING
    day = _as_date(value)
    return format_date(day) if day is not None else str(value)


def day_text(value: str | date | None) -> str:
    """Like :func:`show_date`, but an empty value is empty (tables of the command line)."""
    if value is None or value == "":
        return ""
    return show_date(value)


def _as_date(value: str | date) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def age_text(birth: str | date | None, on: date) -> str:
    """The age on ``on`` in years and months; empty when the birth date is unusable."""
    if birth is None or birth == "":
        return ""
    born = _as_date(birth)
    if born is None or born > on:
        return ""
    years, months = age(born, on)
    return msg.AGE_TEXT.format(years=years, months=months)


def when(at: str | None) -> str:
    """A stored UTC timestamp as local ``dd/mm/yyyy hh:mm`` (as stored if unreadable)."""
    try:
        moment = datetime.fromisoformat(at or "").astimezone()
    except ValueError:
        return at or ""
    return f"{format_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def code_name(catalogue: str, code: str | None) -> str:
    """``"08 HMông"`` for a code of a libchild catalogue (``"ethnicities"``...), the code
    alone when unknown, a dash when empty."""
    if not code:
        return MISSING
    # Imported here: the catalogue module costs about 13 ms at import (python -X
    # importtime) that the first screen does not need.
    from libchild import catalog

    entry = getattr(catalog.load(), catalogue).get(code)
    return f"{code} {entry.name}" if entry is not None else code


def number(value: int) -> str:
    """An integer the Vietnamese way: ``12345`` -> ``"12.345"``."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float, places: int | None = 1) -> str:
    """A number with a decimal comma: ``12.5`` -> ``"12,5"``; ``1.0, 2`` -> ``"1,00"``;
    ``places=None`` writes as few decimals as needed (``5.0`` -> ``"5"``)."""
    text = f"{value:g}" if places is None else f"{value:.{places}f}"
    return text.replace(".", ",")


def percent(value: float) -> str:
    """A share as Vietnamese percent text: ``0.9512`` -> ``"95,1%"``."""
    return f"{decimal(value * 100)}%"


def shown(text: str) -> Text:
    """Text as a screen shows it: control characters (written to the database behind the
    app's back) as visible ``\\uXXXX`` escapes, and never read as Textual markup, so a
    stored ``[red]`` or ``[bold]`` is shown as typed. Every stored text a screen displays
    goes through this (``PagedTable`` escapes its cells itself, with the same function)."""
    return Text(escape_unsafe(text), end="")
