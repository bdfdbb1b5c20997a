"""Report periods: the six-month halves of the calendar year, and "as of a date".

Communes report every six months: 1 January-30 June and 1 July-31 December. A
:class:`Period` is a span of days, both ends included; its ``end`` is the reference
date on which ages, living children and active circumstances are judged, and its
``start`` opens the window for what happened "in the period" (supports received, a
circumstance at any time, a death). Figures "as of" a date are the figures of the
half-year so far: from the first day of its half to that date.

>>> half_year(date(2026, 3, 15))
Period(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30))
>>> [p.label for p in last_periods(date(2026, 8, 20), 3)]
['6 tháng cuối năm 2025', '6 tháng đầu năm 2026', 'từ 01/07/2026 đến 20/08/2026']
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from libchild.dates import format_date
from libchild.messages import indicator_text

__all__ = ["Period", "as_of", "half_year", "last_periods"]


@attrs.frozen(order=True)
class Period:
    """Days from ``start`` to ``end``, both included; ``end`` is the reference date."""

    start: date
    end: date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} > {self.end}")

    @property
    def is_half_year(self) -> bool:
        """Whether this is a whole half-year (1/1-30/6 or 1/7-31/12)."""
        return self == half_year(self.start)

    @property
    def key(self) -> str:
        """A stable key: ``2026-H1``/``2026-H2`` for halves, else ``start..end`` (ISO)."""
        if self.is_half_year:
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """How a report names it: "6 tháng đầu năm 2026", or the two dates."""
        if self.is_half_year:
            first = self.start.month == 1
            return indicator_text("period.first_half" if first else "period.second_half",
                                  year=self.start.year)
        return indicator_text("period.to_date", start=format_date(self.start),
                              end=format_date(self.end))

    @property
    def short_label(self) -> str:
        """A few characters for chart axes: "I/2026", "II/2026" (or "dd/mm" to date)."""
        first = self.start.month <= 6
        text = indicator_text("period.short_first" if first else "period.short_second",
                              year=self.start.year)
        return text if self.is_half_year else f"{self.end.day:02d}/{self.end.month:02d}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The inverse of :attr:`key`; ValueError for anything else."""
        left, sep, right = key.partition("..")
        if sep:
            return cls(date.fromisoformat(left), date.fromisoformat(right))
        year, sep, half = key.partition("-H")
        if not sep or half not in ("1", "2") or not year.isdigit():
            raise ValueError(f"not a period key: {key!r}")
        return half_year(date(int(year), 1 if half == "1" else 7, 1))


def half_year(day: date) -> Period:
    """The whole half-year containing ``day``."""
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30))
    return Period(date(day.year, 7, 1), date(day.year, 12, 31))


def as_of(day: date) -> Period:
    """The half-year of ``day`` up to ``day``: what "figures as of ``day``" cover."""
    return Period(half_year(day).start, day)


def last_periods(day: date, count: int) -> list[Period]:
    """The last ``count`` periods up to ``day``, oldest first; the last one is :func:`as_of`.

    When ``day`` closes its half (30 June, 31 December) the last period is that whole
    half-year.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    periods = [as_of(day)]
    while len(periods) < count:
        periods.append(half_year(periods[-1].start - timedelta(days=1)))
    return periods[::-1]
