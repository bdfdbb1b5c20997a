"""Keyer statistics of the re-check (phúc tra), as CSPro's verification mode counts them.

A checker other than the enterer re-enters a sampled record blind from the household
book; each field where the two entries differ is resolved by looking at the book:
the original was right (the checker erred), the re-entry was right (the enterer erred)
or both were wrong (both erred). From these outcomes :func:`keyer_statistics` computes
error rates per enterer, per field, per enterer and field, per checker, and over time
(per month or ISO week): errors divided by fields compared. A difference not yet
resolved is counted apart (``unresolved``) and left out of the rates, which would
otherwise depend on the order work is done in.

>>> from datetime import date
>>> outcome = RecheckOutcome(1, "lan", "minh", date(2025, 9, 3), (
...     FieldCheck("full_name", "Lò Thị Mai", "Lò Thị Mai"),
...     FieldCheck("birth_date", "2017-04-02", "2017-02-04", Resolution.ORIGINAL_RIGHT),
...     FieldCheck("sex", "1", "2", Resolution.REENTRY_RIGHT)))
>>> stats = keyer_statistics([outcome])
>>> stats.enterers[0].rate.errors, stats.enterers[0].rate.checked, stats.checkers[0].rate.errors
(1, 3, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

import attrs

from libchild.model import CANONICAL_FIELDS

__all__ = [
    "CheckerRate",
    "EntererFieldRate",
    "EntererRate",
    "FieldCheck",
    "FieldRate",
    "KeyerStatistics",
    "Period",
    "PeriodRate",
    "Rate",
    "RecheckOutcome",
    "RecheckOutcomeSource",
    "Resolution",
    "keyer_statistics",
    "period_start",
]


class Resolution(StrEnum):
    """How a difference between the original and the re-entry was settled."""

    ORIGINAL_RIGHT = "original_right"   # the checker mistyped
    REENTRY_RIGHT = "reentry_right"     # the enterer mistyped
    BOTH_WRONG = "both_wrong"           # neither matched the book

    @property
    def enterer_erred(self) -> bool:
        """The original entry was wrong."""
        return self is not Resolution.ORIGINAL_RIGHT

    @property
    def checker_erred(self) -> bool:
        """The re-entry was wrong."""
        return self is not Resolution.REENTRY_RIGHT


def _field_name(_: object, attribute: attrs.Attribute, value: str) -> None:
    if value not in CANONICAL_FIELDS:
        raise ValueError(f"{attribute.name}: {value!r} is not a canonical field of libchild")


@attrs.frozen(slots=True)
class FieldCheck:
    """One field of a re-checked record: the original value, the checker's blind
    re-entry (both cleaned, as the register keeps them) and, where they differ, the
    resolution (None: not resolved yet). Equal values cannot carry a resolution."""

    field: str = attrs.field(validator=_field_name)
    original: str | None
    reentered: str | None
    resolution: Resolution | None = None

    def __attrs_post_init__(self) -> None:
        if self.agrees and self.resolution is not None:
            raise ValueError(f"{self.field}: equal values need no resolution")

    @property
    def agrees(self) -> bool:
        """The two entries are the same (empty and None alike)."""
        return (self.original or None) == (self.reentered or None)


@attrs.frozen(slots=True)
class RecheckOutcome:
    """The re-check of one sampled record: who entered it, who re-checked it, when, and
    each field compared. The checker is never the enterer."""

    record_id: int
    enterer: str
    checker: str
    checked_on: date
    fields: tuple[FieldCheck, ...]

    def __attrs_post_init__(self) -> None:
        if self.enterer == self.checker:
            raise ValueError("the checker of a record cannot be its enterer")
        names = [f.field for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"record {self.record_id}: a field is compared twice")


class RecheckOutcomeSource(Protocol):
    """Where re-check outcomes come from (the service layer over the register)."""

    def recheck_outcomes(self, since: date | None = None, until: date | None = None
                         ) -> Sequence[RecheckOutcome]:
        """Outcomes of re-checks done from ``since`` to ``until`` (inclusive; None: open)."""
        ...


@attrs.frozen(slots=True)
class Rate:
    """Errors among fields compared (resolved differences and agreements)."""

    checked: int = 0
    errors: int = 0

    @property
    def rate(self) -> float:
        """errors / checked (0.0 when nothing was compared)."""
        return self.errors / self.checked if self.checked else 0.0

    def per_thousand(self) -> float:
        """Errors per 1,000 fields, as keying statistics are usually quoted."""
        return 1000 * self.rate


@attrs.frozen(slots=True)
class EntererRate:
    """One enterer: records re-checked, records with at least one error, field rate."""

    enterer: str
    records: int
    records_with_error: int
    rate: Rate

    @property
    def record_rate(self) -> float:
        """Share of re-checked records with at least one error of the enterer."""
        return self.records_with_error / self.records if self.records else 0.0


@attrs.frozen(slots=True)
class FieldRate:
    """One field over every enterer."""

    field: str
    rate: Rate


@attrs.frozen(slots=True)
class EntererFieldRate:
    """One field of one enterer."""

    enterer: str
    field: str
    rate: Rate


@attrs.frozen(slots=True)
class CheckerRate:
    """One checker: how often the re-entry was the wrong one."""

    checker: str
    records: int
    rate: Rate


@attrs.frozen(slots=True)
class PeriodRate:
    """Errors of one enterer (or of one field) in one period, for the trend over time."""

    start: date
    key: str
    rate: Rate


class Period(StrEnum):
    """Length of the periods of the trend."""

    MONTH = "month"
    WEEK = "week"


def period_start(day: date, period: Period) -> date:
    """The first day of ``day``'s period: the 1st of the month, or the ISO week's Monday."""
    if period is Period.MONTH:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


@attrs.frozen(slots=True)
class KeyerStatistics:
    """Everything :func:`keyer_statistics` computes; rows sorted by name (periods by date
    then name); ``unresolved`` counts differences not yet settled."""

    enterers: tuple[EntererRate, ...]
    fields: tuple[FieldRate, ...]
    enterer_fields: tuple[EntererFieldRate, ...]
    checkers: tuple[CheckerRate, ...]
    enterer_periods: tuple[PeriodRate, ...]
    field_periods: tuple[PeriodRate, ...]
    records: int
    unresolved: int


class _Counts:
    def __init__(self) -> None:
        self.checked = 0
        self.errors = 0

    def add(self, erred: bool) -> None:
        self.checked += 1
        self.errors += int(erred)

    def rate(self) -> Rate:
        return Rate(self.checked, self.errors)


def keyer_statistics(outcomes: Iterable[RecheckOutcome], period: Period = Period.MONTH
                     ) -> KeyerStatistics:
    """Error rates of the re-check ``outcomes`` (see the module's description)."""
    enterer: dict[str, _Counts] = {}
    records: dict[str, int] = {}
    flawed: dict[str, int] = {}
    field: dict[str, _Counts] = {}
    pair: dict[tuple[str, str], _Counts] = {}
    checker: dict[str, _Counts] = {}
    checked_records: dict[str, int] = {}
    by_enterer_period: dict[tuple[date, str], _Counts] = {}
    by_field_period: dict[tuple[date, str], _Counts] = {}
    unresolved = 0
    total = 0
    for outcome in outcomes:
        total += 1
        who, by = outcome.enterer, outcome.checker
        start = period_start(outcome.checked_on, period)
        records[who] = records.get(who, 0) + 1
        checked_records[by] = checked_records.get(by, 0) + 1
        enterer.setdefault(who, _Counts())
        checker.setdefault(by, _Counts())
        any_error = False
        for check in outcome.fields:
            if not check.agrees and check.resolution is None:
                unresolved += 1
                continue
            mine = check.resolution is not None and check.resolution.enterer_erred
            theirs = check.resolution is not None and check.resolution.checker_erred
            any_error = any_error or mine
            enterer[who].add(mine)
            field.setdefault(check.field, _Counts()).add(mine)
            pair.setdefault((who, check.field), _Counts()).add(mine)
            checker[by].add(theirs)
            by_enterer_period.setdefault((start, who), _Counts()).add(mine)
            by_field_period.setdefault((start, check.field), _Counts()).add(mine)
        flawed[who] = flawed.get(who, 0) + int(any_error)
    order = {f: i for i, f in enumerate(CANONICAL_FIELDS)}
    return KeyerStatistics(
        enterers=tuple(EntererRate(k, records[k], flawed[k], enterer[k].rate())
                       for k in sorted(enterer)),
        fields=tuple(FieldRate(f, field[f].rate()) for f in sorted(field, key=order.get)),
        enterer_fields=tuple(EntererFieldRate(e, f, pair[(e, f)].rate())
                             for e, f in sorted(pair, key=lambda p: (p[0], order[p[1]]))),
        checkers=tuple(CheckerRate(k, checked_records[k], checker[k].rate())
                       for k in sorted(checker)),
        enterer_periods=tuple(PeriodRate(s, k, c.rate())
                              for (s, k), c in sorted(by_enterer_period.items())),
        field_periods=tuple(PeriodRate(s, f, c.rate()) for (s, f), c in sorted(
            by_field_period.items(), key=lambda item: (item[0][0], order[item[0][1]]))),
        records=total, unresolved=unresolved)
