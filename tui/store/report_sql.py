"""Report figures counted by the database: one commune, a list of communes, a province.

``libchild.indicators.evaluate`` is the reference evaluator: it reads every child's
facts into Python. For a province that is millions of rows, so here the same rules
(spelled out in ``libchild.indicators.evaluate``'s docstring) are written as SQL and the
database does the counting; Python only adds the grouped counts up. Only counts leave
the database, never a child. The tests compare the two evaluators on the same register,
on SQLite and on PostgreSQL.

Two statements per report, whatever the number of communes, in one read transaction
(one snapshot):

* one pass over ``child``: each child is reduced to a few small numbers (:class:`_Atoms`:
  where its birth date and its death date fall among the report's date bounds, its ID
  state, one bit per circumstance or support condition of the plan and period, computed
  over the episode and support rows and joined once); the children are counted per
  commune, sex, ethnicity (village for one commune's report) and distinct atoms, and
  every figure of every period is a sum over those groups;
* one pass over the circumstance episodes joined to their children, for the breakdown
  by circumstance code and group (a child counted once per code and once per group),
  judged per period in Python over the few groups.

Dates are the register's ISO ``yyyy-mm-dd`` text and compare as text; a birth date that
is not shaped like one counts as missing, as the reference evaluator reads it.
Nothing here checks a permission: ``tui.services.reports`` decides the communes and
whether sensitive facts (ethnicity, circumstances, supports) are counted at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import attrs
import peewee

from libchild.dates import CHILD_AGE_LIMIT, born_by
from libchild.indicators import (
    AGE_GROUPS,
    Breakdown,
    Count,
    Filter,
    Period,
    PeriodFigures,
    Plan,
    When,
)
from libchild.rules import DIED_OF_INJURY
from tui.domain import RowStatus
from tui.store.children import living_sql
from tui.store.database import run

__all__ = ["CommuneFigures", "commune_figures", "village_names"]

#: The column of every register table that names the commune owning the row.
COMMUNE = "commune"

_SAFE = re.compile(r"[0-9A-Za-z_]+")


@attrs.frozen
class CommuneFigures:
    """Every figure of one commune over the periods asked (oldest first), and how many
    of its children have no birth date (left out of every figure)."""

    commune: str
    periods: tuple[PeriodFigures, ...]
    no_birth_date: int


def _code(value: str) -> str:
    """A catalogue code or commune code as an SQL literal (codes are identifiers; anything
    else is refused rather than quoted)."""
    if not _SAFE.fullmatch(value):
        raise ValueError(f"unexpected code {value!r}")
    return f"'{value}'"


def _day(value: date) -> str:
    return f"'{value.isoformat()}'"


def _codes(values: Iterable[str]) -> str:
    return ", ".join(_code(v) for v in sorted(values))


class _Atoms:
    """The few small numbers each child is reduced to for every period at once.

    * ``bi``: how many of the report's birth-date bounds (every ``born_by(D, k)`` an age
      condition of any period needs) lie before the birth date, so that "aged a to b on
      D" is a range of ``bi`` (the bounds are sorted; a nested CASE finds the place in
      a few comparisons);
    * ``dj``: likewise for the day the child is dead from among the days "alive" is
      judged on (the end of each period, the day before its start); every bound when
      the child is alive;
    * ``ids``: 0 no ID number, 1 a number, 2 a number the police verified;
    * ``cbits``/``sbits``: one bit per circumstance / support condition of the plan and
      period (held on the date or in the period; given in the period or ever), computed
      over the episode and support rows, which are few, and joined to their child;
    * ``abits``: one bit per sex / ethnicity condition of the plan.
    """

    def __init__(self, plan: Plan, periods: Sequence[Period]) -> None:
        births = set()
        deaths = set()
        ages = {(0, CHILD_AGE_LIMIT - 1), *AGE_GROUPS}
        for indicator in plan.indicators:
            for flt in (indicator.numerator, indicator.denominator):
                if flt is not None and flt.age is not None:
                    ages.add(flt.age)
        for p in periods:
            for low, high in ages:
                births.add(born_by(p.end, low))
                births.add(born_by(p.end, high + 1))
            deaths.add(p.end)
            deaths.add(p.start - timedelta(days=1))
        self.births = sorted(births)
        self.deaths = sorted(deaths)
        self.circumstance: dict[tuple[frozenset[str], When, Period], int] = {}
        self.support: dict[tuple[frozenset[str], When, Period], int] = {}
        self.attribute: dict[tuple[str, frozenset[str]], int] = {}
        for p in periods:
            for indicator in plan.indicators:
                for flt in (indicator.numerator, indicator.denominator):
                    if flt is None:
                        continue
                    if flt.circumstance:
                        self.circumstance.setdefault(
                            (flt.circumstance, flt.circumstance_when, p),
                            len(self.circumstance))
                    if flt.support:
                        self.support.setdefault((flt.support, flt.support_when, p),
                                                len(self.support))
                    for column, codes in (("sex", flt.sex), ("ethnicity", flt.ethnicity)):
                        if codes:
                            self.attribute.setdefault((column, codes), len(self.attribute))

    @staticmethod
    def _place(column: str, bounds: Sequence[date], low: int, high: int) -> str:
        """How many of ``bounds[low:high]`` lie before ``column``, plus ``low``."""
        if low >= high:
            return str(low)
        mid = (low + high) // 2
        return (f"CASE WHEN {column} > {_day(bounds[mid])} THEN "
                f"{_Atoms._place(column, bounds, mid + 1, high)} ELSE "
                f"{_Atoms._place(column, bounds, low, mid)} END")

    def bi(self) -> str:
        """The birth-date atom; -1 for a child without a (readable) birth date, who is in
        no figure. Computed rather than filtered on, so that the planner's estimate of
        the children read stays right."""
        return (f"CASE WHEN {_BIRTH_SHAPED} THEN "
                f"{self._place('c.birth_date', self.births, 0, len(self.births))} ELSE -1 END")

    def dj(self, dead_at: str) -> str:
        return (f"CASE WHEN {dead_at} IS NULL THEN {len(self.deaths)} ELSE "
                f"{self._place(dead_at, self.deaths, 0, len(self.deaths))} END")

    def born_after(self, day: date) -> int:
        """``bi`` is at least this exactly when the birth date is after ``day``."""
        return self.births.index(day) + 1

    def age(self, p: Period, low: int, high: int) -> str:
        lower = self.born_after(born_by(p.end, high + 1))
        upper = self.born_after(born_by(p.end, low))
        return f"(g.bi >= {lower} AND g.bi < {upper})"

    def alive(self, p: Period, when: When) -> str:
        day = p.end if when is When.ON_DATE else p.start - timedelta(days=1)
        return f"g.dj >= {self.deaths.index(day) + 1}"

    def population(self, p: Period, when: When) -> str:
        return f"({self.age(p, 0, CHILD_AGE_LIMIT - 1)} AND {self.alive(p, when)})"

    def mask(self, p: Period, flt: Filter) -> str:
        terms = []
        if flt.age is not None:
            terms.append(self.age(p, *flt.age))
        for column, codes in (("sex", flt.sex), ("ethnicity", flt.ethnicity)):
            if codes:
                terms.append(f"(g.abits & {1 << self.attribute[(column, codes)]}) <> 0")
        if flt.alive is not None:
            terms.append(self.alive(p, flt.alive))
        if flt.circumstance:
            bit = self.circumstance[(flt.circumstance, flt.circumstance_when, p)]
            terms.append(f"(g.cbits & {1 << bit}) <> 0")
        if flt.support:
            bit = self.support[(flt.support, flt.support_when, p)]
            terms.append(f"(g.sbits & {1 << bit}) <> 0")
        if flt.personal_id is not None:
            terms.append("g.ids > 0" if flt.personal_id else "g.ids = 0")
        if flt.id_verified is not None:
            terms.append("g.ids = 2" if flt.id_verified else "g.ids < 2")
        return "(" + " AND ".join(terms) + ")" if terms else "(1 = 1)"


def _held(codes: Iterable[str], when: When, p: Period, alias: str = "e") -> str:
    """An episode ``alias`` of one of ``codes`` active on the date / in the period."""
    low = p.end if when is When.ON_DATE else p.start
    return (f"{alias}.code IN ({_codes(codes)}) AND ({alias}.start_date IS NULL OR "
            f"{alias}.start_date <= {_day(p.end)}) AND ({alias}.end_date IS NULL OR "
            f"{alias}.end_date >= {_day(low)})")


def _given(forms: Iterable[str], when: When, p: Period) -> str:
    if when is When.IN_PERIOD:
        dated = (f"s.date IS NOT NULL AND s.date >= {_day(p.start)} "
                 f"AND s.date <= {_day(p.end)}")
    else:
        dated = f"(s.date IS NULL OR s.date <= {_day(p.end)})"
    return f"s.form IN ({_codes(forms)}) AND {dated}"


def _bits(conditions: Iterable[tuple[str, int]]) -> str:
    """Per child (a GROUP BY child_id), bit ``n`` set when a row meets its condition."""
    terms = [f"{1 << bit} * max(CASE WHEN {cond} THEN 1 ELSE 0 END)"
             for cond, bit in conditions]
    return " + ".join(terms) if terms else "0"


_HAS_ID = "(c.personal_id IS NOT NULL AND c.personal_id <> '')"
#: ``tui.store.police.verified_ids`` as a table to join on the child and its current
#: number: the numbers the police verified (or corrected to), once per child and number.
_VERIFIED = (f"(SELECT r.child_id, r.id_verified FROM police_batch_row r WHERE r.status IN "
             f"('{RowStatus.VERIFIED.value}', '{RowStatus.CORRECTED.value}') "
             f"AND r.id_verified IS NOT NULL GROUP BY r.child_id, r.id_verified)")
#: A birth date the reference evaluator can read (``yyyy-mm-dd``; no ``%`` in this text:
#: the statement goes to psycopg2 without parameters).
_BIRTH_SHAPED = ("(c.birth_date IS NOT NULL AND substr(c.birth_date, 5, 1) = '-' "
                 "AND substr(c.birth_date, 8, 1) = '-' AND length(c.birth_date) >= 10)")
#: The day a child is dead from ('' for "always"), per the reference evaluator's rule on
#: KH02 (died of injury): the recorded date, or the start of a KH02 episode when earlier;
#: a KH02 episode without a start and no recorded date: always.
_DEAD_AT = ("CASE WHEN c.death_date IS NULL AND k.undated = 1 THEN '' "
            "WHEN k.first_start IS NOT NULL AND (c.death_date IS NULL "
            "OR k.first_start < c.death_date) THEN k.first_start ELSE c.death_date END")


def _commune_filter(communes: Sequence[str] | None, alias: str = "c") -> str:
    if communes is None:
        return ""
    return f" AND {alias}.{COMMUNE} IN ({_codes(communes) or 'NULL'})"


def _episodes(atoms: _Atoms) -> str:
    """Per child with episodes: the KH02 facts and the circumstance bits."""
    kh = _code(DIED_OF_INJURY)
    conditions = [(_held(codes, when, p), bit)
                  for (codes, when, p), bit in atoms.circumstance.items()]
    return (f"(SELECT e.child_id, min(CASE WHEN e.code = {kh} THEN e.start_date END) "
            f"AS first_start, max(CASE WHEN e.code = {kh} AND e.start_date IS NULL THEN 1 "
            f"ELSE 0 END) AS undated, {_bits(conditions)} AS cbits "
            f"FROM child_circumstance e GROUP BY e.child_id)")


def _supports(atoms: _Atoms) -> str:
    conditions = [(_given(forms, when, p), bit)
                  for (forms, when, p), bit in atoms.support.items()]
    return (f"(SELECT s.child_id, {_bits(conditions)} AS sbits FROM support s "
            f"GROUP BY s.child_id)")


def _sum(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN g.n ELSE 0 END)"


@attrs.frozen
class _Column:
    period: int
    kind: str          # "num", "den", "age", "total", "id", "verified", "deceased"
    key: str | int = ""


def _columns(plan: Plan, periods: Sequence[Period], atoms: _Atoms
             ) -> list[tuple[_Column, str]]:
    out: list[tuple[_Column, str]] = []
    for index, p in enumerate(periods):
        living = atoms.population(p, When.ON_DATE)
        for indicator in plan.indicators:
            if indicator.denominator is None:
                den = atoms.population(p, indicator.numerator.alive or When.ON_DATE)
            else:
                den = (f"{atoms.population(p, indicator.denominator.alive or When.ON_DATE)}"
                       f" AND {atoms.mask(p, indicator.denominator)}")
                out.append((_Column(index, "den", indicator.id), _sum(den)))
            out.append((_Column(index, "num", indicator.id),
                        _sum(f"{den} AND {atoms.mask(p, indicator.numerator)}")))
        for group, (low, high) in enumerate(AGE_GROUPS):
            out.append((_Column(index, "age", group),
                        _sum(f"{living} AND {atoms.age(p, low, high)}")))
        out.append((_Column(index, "total"), _sum(living)))
        out.append((_Column(index, "id"), _sum(f"{living} AND g.ids > 0")))
        out.append((_Column(index, "verified"), _sum(f"{living} AND g.ids = 2")))
        out.append((_Column(index, "deceased"),
                    _sum(f"{atoms.population(p, When.IN_PERIOD)} AND NOT "
                         f"{atoms.alive(p, When.ON_DATE)}")))
    return out


def _main_sql(plan: Plan, periods: Sequence[Period], atoms: _Atoms,
              communes: Sequence[str] | None, sensitive: bool, by_village: bool
              ) -> tuple[str, list[_Column]]:
    """Every figure per commune, sex, ethnicity (and village): the children reduced to
    their atoms and counted per distinct atoms (few), then each figure summed over those
    groups. The first two figures are the children with and without a birth date."""
    columns = _columns(plan, periods, atoms)
    abits = " + ".join(
        f"{1 << bit} * CASE WHEN c.{column} IN ({_codes(codes)}) THEN 1 ELSE 0 END"
        for (column, codes), bit in atoms.attribute.items()) or "0"
    if sensitive:
        joins = (f" LEFT JOIN {_episodes(atoms)} AS k ON k.child_id = c.id"
                 f" LEFT JOIN {_supports(atoms)} AS s ON s.child_id = c.id")
        dead_at, cbits, sbits = _DEAD_AT, "coalesce(k.cbits, 0)", "coalesce(s.sbits, 0)"
    else:
        joins, dead_at, cbits, sbits = "", "c.death_date", "0", "0"
    joins += (f" LEFT JOIN {_VERIFIED} AS pv ON pv.child_id = c.id "
              f"AND pv.id_verified = c.personal_id")
    ids = f"CASE WHEN NOT {_HAS_ID} THEN 0 WHEN pv.child_id IS NOT NULL THEN 2 ELSE 1 END"
    ethnicity = "coalesce(c.ethnicity, '')" if sensitive else "''"
    village = "coalesce(c.village, '')" if by_village else "''"
    inner = (f"SELECT c.{COMMUNE} AS commune, {village} AS village, coalesce(c.sex, '') "
             f"AS sex, {ethnicity} AS ethnicity, "
             f"{atoms.bi()} AS bi, {atoms.dj(dead_at)} AS dj, {ids} AS ids, "
             f"{cbits} AS cbits, {sbits} AS sbits, {abits} AS abits, count(*) AS n "
             f"FROM child c{joins} WHERE {living_sql('c')}"
             f"{_commune_filter(communes)} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10")
    sql = ("SELECT g.commune, g.village, g.sex, g.ethnicity, "
           "SUM(CASE WHEN g.bi >= 0 THEN g.n ELSE 0 END), "
           "SUM(CASE WHEN g.bi < 0 THEN g.n ELSE 0 END), "
           + ", ".join(expr for _, expr in columns)
           + " FROM (" + inner + ") AS g GROUP BY g.commune, g.village, g.sex, g.ethnicity")
    return sql, [column for column, _ in columns]


def _held_sql(atoms: _Atoms, periods: Sequence[Period], groups: Mapping[str, str],
              communes: Sequence[str] | None) -> str:
    """Children per commune, circumstance code (and group), atoms of age and life, and
    one bit per period: held on the period's date (the "other" group: in the period)."""
    def bits(codes: Iterable[str]) -> str:
        by_when = [(When.IN_PERIOD if groups[code] == "other" else When.ON_DATE, code)
                   for code in codes]
        conditions = []
        for index, p in enumerate(periods):
            tests = [f"({_held([code], when, p)})" for when, code in by_when]
            conditions.append((" OR ".join(tests) or "1 = 0", index))
        return _bits(conditions)

    group_of = " ".join(f"WHEN {_code(code)} THEN {_code(group)}"
                        for code, group in sorted(groups.items()))
    known = _codes(groups)
    per_code = (f"SELECT e.child_id, 'code' AS kind, e.code AS key, {bits(groups)} AS pbits "
                f"FROM child_circumstance e WHERE e.code IN ({known}) "
                f"GROUP BY e.child_id, e.code")
    per_group = (f"SELECT e.child_id, 'group' AS kind, CASE e.code {group_of} END AS key, "
                 f"{bits(groups)} AS pbits FROM child_circumstance e WHERE e.code IN "
                 f"({known}) GROUP BY e.child_id, CASE e.code {group_of} END")
    dead = (f"(SELECT e.child_id, min(e.start_date) AS first_start, max(CASE WHEN "
            f"e.start_date IS NULL THEN 1 ELSE 0 END) AS undated FROM child_circumstance e "
            f"WHERE e.code = {_code(DIED_OF_INJURY)} GROUP BY e.child_id)")
    return (f"SELECT c.{COMMUNE}, x.kind, x.key, {atoms.bi()}, {atoms.dj(_DEAD_AT)}, "
            f"x.pbits, count(*) FROM ({per_code} UNION ALL {per_group}) AS x "
            f"JOIN child c ON c.id = x.child_id LEFT JOIN {dead} AS k ON k.child_id = c.id "
            f"WHERE {living_sql('c')}{_commune_filter(communes)} "
            f"AND x.pbits <> 0 GROUP BY 1, 2, 3, 4, 5, 6")


class _Judge:
    """The population tests of one period on atoms in Python (for the small groups)."""

    def __init__(self, atoms: _Atoms, p: Period) -> None:
        self.lower = atoms.born_after(born_by(p.end, CHILD_AGE_LIMIT))
        self.upper = atoms.born_after(born_by(p.end, 0))
        self.on = atoms.deaths.index(p.end) + 1
        self.since = atoms.deaths.index(p.start - timedelta(days=1)) + 1

    def living(self, bi: int, dj: int) -> bool:
        return self.lower <= bi < self.upper and dj >= self.on

    def in_period(self, bi: int, dj: int) -> bool:
        return self.lower <= bi < self.upper and dj >= self.since


def _tally() -> dict[str, int]:
    return defaultdict(int)


def commune_figures(db: peewee.Database, plan: Plan, periods: Sequence[Period], *,
                    communes: Sequence[str] | None, groups: Mapping[str, str],
                    sensitive: bool, by_village: bool = True) -> dict[str, CommuneFigures]:
    """The figures of ``plan`` over ``periods`` for each of ``communes`` (None: every
    commune of the database), by commune code.

    ``groups`` maps every circumstance code of the catalogue to its group (the codes of
    the breakdown). ``sensitive`` False counts no ethnicity, circumstance or support
    (the plan must then hold no indicator needing them) and, like the reference
    evaluator fed without them, takes deaths from the recorded date of death only.
    ``by_village`` False leaves the figures per village out (``by_area`` empty): a
    province report adds communes up and shows no village, and grouping millions of
    children by village too costs the most. Every commune asked for has an entry (one
    without a child: all zeros).
    """
    with db.atomic():  # one snapshot for every statement of the report
        if isinstance(db, peewee.PostgresqlDatabase):
            # compiling ~100 sums to machine code costs more than it saves here (measured:
            # docs/benchmarks.md); local to this transaction, so safe behind PgBouncer
            run(db, "SELECT set_config('jit', 'off', true)")
        return _figures(db, plan, periods, communes, groups, sensitive, by_village)


def _figures(db: peewee.Database, plan: Plan, periods: Sequence[Period],
             communes: Sequence[str] | None, groups: Mapping[str, str], sensitive: bool,
             by_village: bool) -> dict[str, CommuneFigures]:
    ordered = sorted(periods)
    atoms = _Atoms(plan, ordered)
    judges = [_Judge(atoms, p) for p in ordered]
    sql, columns = _main_sql(plan, ordered, atoms, communes, sensitive, by_village)
    totals_at = {c.period: i for i, c in enumerate(columns) if c.kind == "total"}
    whole: dict[str, dict[_Column, int]] = defaultdict(_tally)
    by_area: dict[str, dict[str, dict[_Column, int]]] = defaultdict(
        lambda: defaultdict(_tally))
    by_sex: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(_tally))
    by_ethnicity: dict[str, dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(_tally))
    missing: dict[str, int] = defaultdict(int)
    for row in run(db, sql):
        commune, village, sex, ethnic, known, unknown = row[:6]
        values = [int(v or 0) for v in row[6:]]
        missing[commune] += int(unknown or 0)
        if not known:  # only children without a birth date
            continue
        totals = whole[commune]
        area = by_area[commune][village] if by_village else None
        for column, value in zip(columns, values, strict=True):
            totals[column] += value
            if area is not None:
                area[column] += value
        for index, at in totals_at.items():
            by_sex[commune][sex][index] += values[at]
            by_ethnicity[commune][ethnic][index] += values[at]
    held: dict[tuple[str, int], dict[str, dict[str, int]]] = {}
    if sensitive and groups:
        for commune, kind, key, bi, dj, pbits, n in run(
                db, _held_sql(atoms, ordered, groups, communes)):
            other = (groups.get(key) if kind == "code" else key) == "other"
            for index, judge in enumerate(judges):
                if not pbits & (1 << index):
                    continue
                if judge.in_period(bi, dj) if other else judge.living(bi, dj):
                    table = held.setdefault((commune, index), {"code": {}, "group": {}})
                    table[kind][key] = table[kind].get(key, 0) + int(n)
    out = {}
    empty: dict[str, dict[str, int]] = {"code": {}, "group": {}}
    for commune in sorted(set(whole) | set(missing) | set(communes or ())):
        figures = []
        for index, p in enumerate(ordered):
            figures.append(_period_figures(
                plan, p, index, whole.get(commune, {}), by_area.get(commune, {}),
                by_sex.get(commune, {}), by_ethnicity.get(commune, {}),
                held.get((commune, index), empty), groups))
        out[commune] = CommuneFigures(commune, tuple(figures), missing.get(commune, 0))
    return out


def _indicator_counts(plan: Plan, index: int, values: Mapping[_Column, int]
                      ) -> dict[str, Count]:
    counts = {}
    for indicator in plan.indicators:
        numerator = values.get(_Column(index, "num", indicator.id), 0)
        denominator = (values.get(_Column(index, "den", indicator.id), 0)
                       if indicator.denominator is not None else 0)
        counts[indicator.id] = Count(numerator, denominator)
    return counts


def _nonzero(table: Mapping[str, Mapping[int, int]], index: int) -> dict[str, int]:
    return {key: t[index] for key, t in sorted(table.items()) if t.get(index)}


def _period_figures(plan: Plan, period: Period, index: int, totals: Mapping[_Column, int],
                    villages: Mapping[str, Mapping[_Column, int]],
                    sexes: Mapping[str, Mapping[int, int]],
                    ethnicities: Mapping[str, Mapping[int, int]],
                    held: Mapping[str, Mapping[str, int]], groups: Mapping[str, str]
                    ) -> PeriodFigures:
    total = _Column(index, "total")
    by_group = dict.fromkeys(groups.values(), 0)
    by_group.update(held["group"])
    breakdown = Breakdown(
        total=totals.get(total, 0),
        by_sex=_nonzero(sexes, index),
        by_age=tuple(totals.get(_Column(index, "age", g), 0) for g in range(len(AGE_GROUPS))),
        by_area={v: t[total] for v, t in sorted(villages.items()) if t.get(total)},
        by_ethnicity=_nonzero(ethnicities, index),
        by_circumstance={code: held["code"].get(code, 0) for code in groups},
        by_group=by_group,
        with_personal_id=totals.get(_Column(index, "id"), 0),
        id_verified=totals.get(_Column(index, "verified"), 0),
        deceased_in_period=totals.get(_Column(index, "deceased"), 0),
    )
    return PeriodFigures(
        period, _indicator_counts(plan, index, totals),
        {v: _indicator_counts(plan, index, t) for v, t in villages.items()}, breakdown)


def village_names(db: peewee.Database, commune: str) -> tuple[str, ...]:
    """The commune's villages as its report lists them (``tui.store.villages.listing``'s
    order: active first, then by folded name)."""
    return tuple(row[0] for row in run(
        db, "SELECT name FROM village WHERE commune_code = ? "
        "ORDER BY active DESC, name_folded", (commune,)))
