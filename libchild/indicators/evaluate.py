"""Compute a plan's indicators for a commune and its villages, as of a date or per period.

This is the reference evaluator: the figures on screen, in the workbook and from
``treem report --json`` come from here, and a SQL evaluator must give the same
numbers (tests compare them). It works on :class:`~libchild.indicators.facts.ChildFacts`.

The rules, judged for a :class:`~libchild.indicators.periods.Period` from ``S`` (start)
to ``D`` (end, the reference date):

* **Scope.** A child is a person under 16 (Luật Trẻ em 2016, Điều 1). A period counts
  the children born on or before ``D`` and under 16 **on D**, in completed years
  (``libchild.dates.age``, Bộ luật Dân sự 2015 Điều 148). A child who turns 16 inside
  the period is therefore counted in the figures as of any date before the birthday and
  not in the period's figures (on ``D`` the child is no longer a child under the law);
  a child born inside the period is counted. Ages of deceased children are taken on
  ``D`` too. Children without a birth date are left out and counted apart.
* **Living.** A child is dead from the recorded date of death, or from the start of a
  KH02 episode (died of injury) when that is earlier; a KH02 episode with neither a
  start date nor a recorded date of death means dead on every date.
  ``alive = "on_date"`` (the default population) keeps children not dead on ``D``;
  ``alive = "in_period"`` keeps those not dead before ``S``.
* **Circumstances** count from their start date: a child who entered a circumstance in
  March counts from March. ``on_date``: an episode with ``start <= D <= end``;
  ``in_period``: one with ``start <= D`` and ``end >= S`` (no start = since ever, no
  end = ongoing).
* **Supports**: ``in_period``: dated ``S <= day <= D``; ``ever``: dated ``<= D`` or undated.
* **Personal ID / verified**: held on ``D`` when the child has one and its date (if
  known) is ``<= D``. (The register's history of numbers is in the audit log; without a
  date the current state counts for every date.)
* An indicator's **denominator** is its filter applied to the population above; its
  **numerator** is the denominator's children who also pass the numerator filter. A
  count indicator has only the numerator (over the population).
* **Breakdowns** (charts): children under 16 alive on ``D`` by sex, age group, village,
  ethnicity; each circumstance code and group held on ``D`` by living children, except
  the "other" group (KH01-KH03, events such as injury or death), counted in the
  period among children alive at some time in it.

How each condition maps to SQL over the register's tables (``child``,
``child_circumstance``, ``support``, ``police_batch_row``; ISO date text compares as
dates), for a SQL evaluator that must follow the same rules (``:S``/``:D`` the period,
``:L(k)`` = ``libchild.dates.born_by(D, k)`` computed in Python)::

    scope        c.merged_into IS NULL AND c.birth_date IS NOT NULL
                 AND c.birth_date > :L(16) AND c.birth_date <= :D
    age [a, b]   c.birth_date > :L(b+1) AND c.birth_date <= :L(a)
    sex / ethn.  c.sex IN (...) / c.ethnicity IN (...)
    dead by X    (c.death_date IS NOT NULL AND c.death_date <= X) OR EXISTS (SELECT 1
                 FROM child_circumstance k WHERE k.child_id = c.id AND k.code = 'KH02'
                 AND (k.start_date IS NULL OR k.start_date <= X))
    alive        on_date: NOT dead by :D;  in_period: NOT dead by :S - 1 day
    circumstance EXISTS (SELECT 1 FROM child_circumstance e WHERE e.child_id = c.id
                 AND e.code IN (...) AND (e.start_date IS NULL OR e.start_date <= :D)
                 AND (e.end_date IS NULL OR e.end_date >= :D))   -- on_date
                 ... AND (e.end_date IS NULL OR e.end_date >= :S)  -- in_period
    support      EXISTS (SELECT 1 FROM support s WHERE s.child_id = c.id
                 AND s.form IN (...) AND s.date BETWEEN :S AND :D)  -- in_period
                 ... AND (s.date IS NULL OR s.date <= :D)           -- ever
    personal_id  COALESCE(c.personal_id, '') <> ''   (= false: the negation)
    id_verified  the police verified the current number: EXISTS (SELECT 1 FROM
                 police_batch_row r WHERE r.child_id = c.id AND r.status = 'verified'
                 AND r.id_verified = c.personal_id)
    numerator    <denominator predicate> AND <numerator predicate>
    per village  the same COUNT(*) ... GROUP BY c.village

Performance: the facts are compiled once into bit sets (one Python int per condition,
one bit per child, children sorted by birth date so an age range is a run of bits);
each figure is then an AND and a popcount. 300,000 children, every indicator, as of a
date and over four periods: see docs/benchmarks.md.

>>> from datetime import date
>>> from libchild.indicators.facts import ChildFacts, Episode, Area, ListSource
>>> from libchild.indicators.loader import load_plans
>>> plan = load_plans()["son-la-2026"]
>>> kids = [ChildFacts(date(2020, 1, 1), village="A"),
...         ChildFacts(date(2019, 5, 5), village="B",
...                    episodes=(Episode("DB04", date(2026, 3, 1)),))]
>>> src = ListSource(Area("03808", "Xã Mường La", "14"), tuple(kids))
>>> ev = evaluate(plan, src, [Period(date(2026, 1, 1), date(2026, 2, 28)),
...                           Period(date(2026, 1, 1), date(2026, 6, 30))])
>>> [f.counts["ty_le_dac_biet"] for f in ev.periods]
[Count(numerator=0, denominator=2), Count(numerator=1, denominator=2)]
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import attrs

from libchild.catalog import Catalogs, load
from libchild.dates import CHILD_AGE_LIMIT, born_by
from libchild.indicators.facts import Area, ChildFacts, FactsSource
from libchild.indicators.model import AGE_GROUPS, Filter, Plan, When
from libchild.indicators.periods import Period, last_periods
from libchild.rules import DIED_OF_INJURY

__all__ = [
    "Breakdown",
    "CompiledFacts",
    "Count",
    "Evaluation",
    "PeriodFigures",
    "compile_facts",
    "evaluate",
    "evaluate_last",
]

_NEVER = date.max.toordinal() + 1   # an end that never comes
_ALWAYS = 0                         # a start before every date
_BIT = tuple(1 << k for k in range(8))


@attrs.frozen
class Count:
    """An indicator's numerator and denominator (the denominator is 0 for counts)."""

    numerator: int
    denominator: int

    def __add__(self, other: Count) -> Count:
        return Count(self.numerator + other.numerator, self.denominator + other.denominator)


@attrs.frozen
class Breakdown:
    """Children by group for the charts (see the module docstring for who counts)."""

    total: int
    by_sex: Mapping[str, int]
    by_age: tuple[int, ...]
    by_area: Mapping[str, int]
    by_ethnicity: Mapping[str, int]
    by_circumstance: Mapping[str, int]
    by_group: Mapping[str, int]
    with_personal_id: int
    id_verified: int
    deceased_in_period: int


@attrs.frozen
class PeriodFigures:
    """Every figure of one period: indicators for the area and per sub-area."""

    period: Period
    counts: Mapping[str, Count]
    by_area: Mapping[str, Mapping[str, Count]]
    breakdown: Breakdown


@attrs.frozen
class Evaluation:
    """A plan evaluated for an area over periods (oldest first).

    ``area_kind`` is ``"village"`` for a commune (``by_area`` keys are village names) and
    ``"commune"`` for a province report (keys are commune codes).
    """

    plan: Plan
    area: Area
    periods: tuple[PeriodFigures, ...]
    no_birth_date: int = 0
    area_kind: str = "village"
    area_names: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def current(self) -> PeriodFigures:
        """The last period (the one reported on)."""
        return self.periods[-1]

    @property
    def previous(self) -> PeriodFigures | None:
        """The period before it, if evaluated."""
        return self.periods[-2] if len(self.periods) > 1 else None

    def sub_areas(self) -> list[str]:
        """Sub-area keys in report order: the area's listed villages first, then others."""
        seen = dict.fromkeys(self.area.villages)
        for figures in self.periods:
            for key in sorted(figures.by_area):
                seen.setdefault(key, None)
        return [k for k in seen if any(k in f.by_area for f in self.periods)]


def _bits(size: int, indices: Iterable[int]) -> int:
    buf = bytearray((size + 7) // 8)
    for i in indices:
        buf[i >> 3] |= _BIT[i & 7]
    return int.from_bytes(buf, "little")


class CompiledFacts:
    """The facts of a register as bit sets; build once, evaluate many periods.

    The facts are read once and not kept: one pass stores each child's few values in
    compact arrays (positions in the order read), then children are ranked by birth
    date and every set is written in that order. A source can stream from a cursor.
    """

    def __init__(self, facts: Iterable[ChildFacts], catalogs: Catalogs | None = None) -> None:
        catalogs = catalogs or load()
        self.groups = {e.code: e.group for e in catalogs.circumstances}
        self.no_birth_date = 0
        births = array("l")
        codes: dict[str, dict[str, int]] = {"sex": {}, "ethnicity": {}, "village": {}}
        columns = {name: array("l") for name in codes}
        flags = bytearray()  # 1: has a personal ID (undated), 2: verified (undated)
        id_dated: list[tuple[int, int]] = []
        verified_dated: list[tuple[int, int]] = []
        deaths: list[tuple[int, int]] = []
        episodes: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        supports: dict[str, list[tuple[int | None, int]]] = defaultdict(list)
        sexes, ethnicities, villages = codes["sex"], codes["ethnicity"], codes["village"]
        sex_col, eth_col, village_col = (columns["sex"], columns["ethnicity"],
                                         columns["village"])
        for fact in facts:
            if fact.birth_date is None:
                self.no_birth_date += 1
                continue
            index = len(births)
            births.append(fact.birth_date.toordinal())
            sex_col.append(sexes.setdefault(fact.sex or "", len(sexes)))
            eth_col.append(ethnicities.setdefault(fact.ethnicity or "", len(ethnicities)))
            village_col.append(villages.setdefault(fact.village, len(villages)))
            flag = 0
            if fact.has_personal_id:
                if fact.personal_id_since is None:
                    flag |= 1
                else:
                    id_dated.append((fact.personal_id_since.toordinal(), index))
                if fact.id_verified:
                    if fact.id_verified_since is None:
                        flag |= 2
                    else:
                        verified_dated.append((fact.id_verified_since.toordinal(), index))
            flags.append(flag)
            death = fact.death_date.toordinal() if fact.death_date else None
            for episode in fact.episodes:
                start = episode.start.toordinal() if episode.start else _ALWAYS
                end = episode.end.toordinal() if episode.end else _NEVER
                episodes[episode.code].append((start, end, index))
                if episode.code == DIED_OF_INJURY and (episode.start or not fact.death_date):
                    death = start if death is None else min(death, start)
            if death is not None:
                deaths.append((death, index))
            for support in fact.supports:
                supports[support.form].append(
                    (support.day.toordinal() if support.day else None, index))
        self.size = size = len(births)
        order = sorted(range(size), key=births.__getitem__)
        rank = array("l", bytes(8 * size)) if size else array("l")
        for position, index in enumerate(order):
            rank[index] = position
        self.births = [births[i] for i in order]
        del order
        self.all = (1 << size) - 1
        nbytes = (size + 7) // 8

        def sets(column: array, values: dict[str, int]) -> dict[str, int]:
            bufs = [bytearray(nbytes) for _ in values]
            for index, value in enumerate(column):
                position = rank[index]
                bufs[value][position >> 3] |= _BIT[position & 7]
            return {key: int.from_bytes(bufs[v], "little") for key, v in values.items()}

        self.sex = sets(sex_col, sexes)
        self.ethnicity = sets(eth_col, ethnicities)
        self.village = sets(village_col, villages)
        self.id_undated = _bits(size, (rank[i] for i, f in enumerate(flags) if f & 1))
        self.verified_undated = _bits(size, (rank[i] for i, f in enumerate(flags) if f & 2))
        self.id_dated = [(d, rank[i]) for d, i in id_dated]
        self.verified_dated = [(d, rank[i]) for d, i in verified_dated]
        self.deaths = [(d, rank[i]) for d, i in deaths]
        self.episodes = {code: [(s, e, rank[i]) for s, e, i in rows]
                         for code, rows in episodes.items()}
        self.supports = {form: [(d, rank[i]) for d, i in rows]
                         for form, rows in supports.items()}

    def at(self, period: Period) -> _Context:
        """The masks of one period (cached per condition)."""
        return _Context(self, period)


def compile_facts(facts: Iterable[ChildFacts], catalogs: Catalogs | None = None
                  ) -> CompiledFacts:
    """Compile facts for :func:`evaluate` (to reuse them across calls)."""
    return CompiledFacts(facts, catalogs)


class _Context:
    def __init__(self, facts: CompiledFacts, period: Period) -> None:
        self.f = facts
        self.start = period.start.toordinal()
        self.end = period.end.toordinal()
        self.reference = period.end
        self.cache: dict[object, int] = {}

    def _cached(self, key: object, make) -> int:
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = make()
        return value

    def age(self, low: int, high: int) -> int:
        def make() -> int:
            births = self.f.births
            upper = born_by(self.reference, low).toordinal()
            lower = born_by(self.reference, high + 1).toordinal()
            lo = bisect.bisect_right(births, lower)
            hi = bisect.bisect_right(births, upper)
            return ((1 << (hi - lo)) - 1) << lo if hi > lo else 0
        return self._cached(("age", low, high), make)

    def dead_by(self, day: int) -> int:
        return self._cached(("dead", day), lambda: _bits(
            self.f.size, (i for d, i in self.f.deaths if d <= day)))

    def alive(self, when: When) -> int:
        day = self.end if when is When.ON_DATE else self.start - 1
        return self.f.all & ~self.dead_by(day)

    def population(self, when: When) -> int:
        return self._cached(("population", when),
                            lambda: self.age(0, CHILD_AGE_LIMIT - 1) & self.alive(when))

    def code(self, code: str, when: When) -> int:
        low = self.end if when is When.ON_DATE else self.start
        end = self.end
        return self._cached(("code", code, when), lambda: _bits(
            self.f.size, (i for s, e, i in self.f.episodes.get(code, ())
                          if s <= end and e >= low)))

    def support(self, form: str, when: When) -> int:
        start, end = self.start, self.end
        if when is When.IN_PERIOD:
            rows = (i for d, i in self.f.supports.get(form, ())
                    if d is not None and start <= d <= end)
        else:
            rows = (i for d, i in self.f.supports.get(form, ()) if d is None or d <= end)
        return self._cached(("support", form, when), lambda: _bits(self.f.size, rows))

    def personal_id(self) -> int:
        end = self.end
        return self._cached("id", lambda: self.f.id_undated | _bits(
            self.f.size, (i for d, i in self.f.id_dated if d <= end)))

    def verified(self) -> int:
        end = self.end
        return self._cached("verified", lambda: self.f.verified_undated | _bits(
            self.f.size, (i for d, i in self.f.verified_dated if d <= end)))

    def union(self, table: Mapping[str, int], codes: Iterable[str]) -> int:
        mask = 0
        for code in codes:
            mask |= table.get(code, 0)
        return mask

    def mask(self, flt: Filter) -> int:
        """The children passing ``flt`` (scope not applied)."""
        return self._cached(("filter", flt), lambda: self._mask(flt))

    def _mask(self, flt: Filter) -> int:
        mask = self.f.all
        if flt.age is not None:
            mask &= self.age(*flt.age)
        if flt.sex:
            mask &= self.union(self.f.sex, flt.sex)
        if flt.ethnicity:
            mask &= self.union(self.f.ethnicity, flt.ethnicity)
        if flt.alive is not None:
            mask &= self.alive(flt.alive)
        if flt.circumstance:
            held = 0
            for code in flt.circumstance:
                held |= self.code(code, flt.circumstance_when)
            mask &= held
        if flt.support:
            given = 0
            for form in flt.support:
                given |= self.support(form, flt.support_when)
            mask &= given
        if flt.personal_id is not None:
            has = self.personal_id()
            mask &= has if flt.personal_id else ~has
        if flt.id_verified is not None:
            ok = self.verified()
            mask &= ok if flt.id_verified else ~ok
        return mask & self.f.all


def _figures(facts: CompiledFacts, plan: Plan, period: Period) -> PeriodFigures:
    ctx = facts.at(period)
    counts: dict[str, Count] = {}
    by_area: dict[str, dict[str, Count]] = {v: {} for v in facts.village}
    for indicator in plan.indicators:
        if indicator.denominator is None:
            base = ctx.population(indicator.numerator.alive or When.ON_DATE)
            den_mask = base
        else:
            base = ctx.population(indicator.denominator.alive or When.ON_DATE)
            den_mask = base & ctx.mask(indicator.denominator)
        num_mask = den_mask & ctx.mask(indicator.numerator)
        rate = indicator.denominator is not None
        counts[indicator.id] = Count(num_mask.bit_count(),
                                     den_mask.bit_count() if rate else 0)
        for village, vmask in facts.village.items():
            by_area[village][indicator.id] = Count(
                (num_mask & vmask).bit_count(), (den_mask & vmask).bit_count() if rate else 0)
    return PeriodFigures(period, counts, by_area, _breakdown(facts, ctx))


def _breakdown(facts: CompiledFacts, ctx: _Context) -> Breakdown:
    living = ctx.population(When.ON_DATE)
    in_period = ctx.population(When.IN_PERIOD)

    def count(table: Mapping[str, int], base: int) -> dict[str, int]:
        return {k: (m & base).bit_count() for k, m in sorted(table.items())
                if (m & base)}

    by_circumstance: dict[str, int] = {}
    groups: dict[str, int] = defaultdict(int)
    for code, group in facts.groups.items():
        other = group == "other"
        held = ctx.code(code, When.IN_PERIOD if other else When.ON_DATE) & (
            in_period if other else living)
        by_circumstance[code] = held.bit_count()
        groups[group] |= held
    return Breakdown(
        total=living.bit_count(),
        by_sex=count(facts.sex, living),
        by_age=tuple((ctx.age(lo, hi) & living).bit_count() for lo, hi in AGE_GROUPS),
        by_area=count(facts.village, living),
        by_ethnicity=count(facts.ethnicity, living),
        by_circumstance=by_circumstance,
        by_group={g: m.bit_count() for g, m in groups.items()},
        with_personal_id=(ctx.personal_id() & living).bit_count(),
        id_verified=(ctx.verified() & ctx.personal_id() & living).bit_count(),
        deceased_in_period=(in_period & ~living).bit_count(),
    )


def evaluate(plan: Plan, source: FactsSource | CompiledFacts, periods: Sequence[Period],
             *, area: Area | None = None, catalogs: Catalogs | None = None) -> Evaluation:
    """Every indicator of ``plan`` for each of ``periods``, for the area and its villages.

    ``source`` is a :class:`FactsSource` (read once) or facts compiled earlier (then give
    ``area``).
    """
    if isinstance(source, CompiledFacts):
        if area is None:
            raise ValueError("give the area when evaluating compiled facts")
        facts = source
    else:
        area = area or source.area()
        facts = CompiledFacts(source.child_facts(), catalogs)
    figures = tuple(_figures(facts, plan, p) for p in sorted(periods))
    return Evaluation(plan, area, figures, facts.no_birth_date)


def evaluate_last(plan: Plan, source: FactsSource | CompiledFacts, day: date, count: int,
                  *, area: Area | None = None) -> Evaluation:
    """:func:`evaluate` over the last ``count`` six-month periods up to ``day``."""
    return evaluate(plan, source, last_periods(day, count), area=area)

