"""Report figures counted by the database: one commune, a list of communes, a province.

``libchild.indicators.evaluate`` is the reference evaluator: it reads every child's
facts into Python. For a province that is millions of rows, so here the same rules
(spelled out in ``libchild.indicators.evaluate``'s docstring) are written as SQL and the
database does the counting; Python only adds the grouped counts up. Only counts leave
the database, never a child. The tests compare the two evaluators on the same register,
on SQLite and on PostgreSQL.

Three statements per report, whatever the number of communes:

* one pass over ``child`` grouped by commune, village, sex and ethnicity, with one
  ``SUM(CASE ...)`` column per figure and period (indicator numerators and denominators,
  age groups, children with an ID number, verified, deceased in the period). A condition
  on circumstances or supports is an uncorrelated ``c.id IN (SELECT child_id ...)``,
  which both databases compute once per statement (a hashed sub-plan on PostgreSQL,
  an ephemeral index on SQLite);
* one pass over the circumstance episodes joined to their children, for the breakdown
  by circumstance code and group (a child counted once per code and once per group);
* the children without a birth date, per commune.

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
from tui.store.database import run

__all__ = ["CommuneFigures", "commune_figures", "commune_names", "province_communes",
           "village_names"]

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


class _Period:
    """The SQL conditions of one period over the row ``c`` (a child with ``dead_at``)."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.start, self.end = period.start, period.end

    def age(self, low: int, high: int) -> str:
        upper = born_by(self.end, low)
        lower = born_by(self.end, high + 1)
        return f"(c.birth_date > {_day(lower)} AND c.birth_date <= {_day(upper)})"

    def alive(self, when: When) -> str:
        day = self.end if when is When.ON_DATE else self.start - timedelta(days=1)
        return f"(c.dead_at IS NULL OR c.dead_at > {_day(day)})"

    def population(self, when: When) -> str:
        return f"({self.age(0, CHILD_AGE_LIMIT - 1)} AND {self.alive(when)})"

    def held(self, codes: Iterable[str], when: When, alias: str = "e") -> str:
        """An episode ``alias`` of one of ``codes`` active on the date / in the period."""
        low = self.end if when is When.ON_DATE else self.start
        return (f"{alias}.code IN ({_codes(codes)}) AND ({alias}.start_date IS NULL OR "
                f"{alias}.start_date <= {_day(self.end)}) AND ({alias}.end_date IS NULL OR "
                f"{alias}.end_date >= {_day(low)})")

    def circumstance(self, codes: Iterable[str], when: When) -> str:
        return (f"c.id IN (SELECT e.child_id FROM child_circumstance e "
                f"WHERE {self.held(codes, when)})")

    def support(self, forms: Iterable[str], when: When) -> str:
        if when is When.IN_PERIOD:
            dated = (f"s.date IS NOT NULL AND s.date >= {_day(self.start)} "
                     f"AND s.date <= {_day(self.end)}")
        else:
            dated = f"(s.date IS NULL OR s.date <= {_day(self.end)})"
        return (f"c.id IN (SELECT s.child_id FROM support s WHERE s.form IN "
                f"({_codes(forms)}) AND {dated})")

    def mask(self, flt: Filter) -> str:
        terms = []
        if flt.age is not None:
            terms.append(self.age(*flt.age))
        if flt.sex:
            terms.append(f"c.sex IN ({_codes(flt.sex)})")
        if flt.ethnicity:
            terms.append(f"c.ethnicity IN ({_codes(flt.ethnicity)})")
        if flt.alive is not None:
            terms.append(self.alive(flt.alive))
        if flt.circumstance:
            terms.append(self.circumstance(flt.circumstance, flt.circumstance_when))
        if flt.support:
            terms.append(self.support(flt.support, flt.support_when))
        if flt.personal_id is not None:
            terms.append(_HAS_ID if flt.personal_id else f"NOT {_HAS_ID}")
        if flt.id_verified is not None:
            terms.append(_VERIFIED if flt.id_verified else f"NOT {_VERIFIED}")
        return "(" + " AND ".join(terms) + ")" if terms else "(1 = 1)"


_HAS_ID = "(c.personal_id IS NOT NULL AND c.personal_id <> '')"
#: ``tui.store.police.verified_ids`` as a condition: the police verified (or corrected to)
#: the child's current number.
_VERIFIED = (f"({_HAS_ID} AND c.id IN (SELECT r.child_id FROM police_batch_row r "
             f"JOIN child v ON v.id = r.child_id WHERE r.status IN "
             f"('{RowStatus.VERIFIED.value}', '{RowStatus.CORRECTED.value}') "
             f"AND r.id_verified = v.personal_id))")
#: A birth date the reference evaluator can read (``yyyy-mm-dd``; no ``%`` in this text:
#: the statement goes to psycopg2 without parameters).
_BIRTH_SHAPED = ("(substr(c.birth_date, 5, 1) = '-' AND substr(c.birth_date, 8, 1) = '-' "
                 "AND length(c.birth_date) >= 10)")


def _children(where: str, sensitive: bool) -> str:
    """The children of the report with ``dead_at``: the day each is dead from ('' for
    "always"), per the reference evaluator's rule on KH02 (died of injury)."""
    if not sensitive:
        return (f"(SELECT c.*, c.death_date AS dead_at FROM child c "
                f"WHERE {where}) AS c")
    kh = (f"(SELECT child_id, min(start_date) AS first_start, max(CASE WHEN start_date "
          f"IS NULL THEN 1 ELSE 0 END) AS undated FROM child_circumstance WHERE code = "
          f"{_code(DIED_OF_INJURY)} GROUP BY child_id)")
    dead_at = ("CASE WHEN c.death_date IS NULL AND k.undated = 1 THEN '' "
               "WHEN k.first_start IS NOT NULL AND (c.death_date IS NULL "
               "OR k.first_start < c.death_date) THEN k.first_start ELSE c.death_date END")
    return (f"(SELECT c.*, {dead_at} AS dead_at FROM child c LEFT JOIN {kh} AS k "
            f"ON k.child_id = c.id WHERE {where}) AS c")


def _where(communes: Sequence[str] | None) -> str:
    where = f"c.merged_into IS NULL AND c.birth_date IS NOT NULL AND {_BIRTH_SHAPED}"
    if communes is not None:
        where += f" AND c.{COMMUNE} IN ({_codes(communes) or 'NULL'})"
    return where


def _sum(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


@attrs.frozen
class _Column:
    period: int
    kind: str          # "num", "den", "age", "total", "id", "verified", "deceased"
    key: str | int = ""


def _columns(plan: Plan, periods: Sequence[_Period]) -> list[tuple[_Column, str]]:
    out: list[tuple[_Column, str]] = []
    for index, p in enumerate(periods):
        living = p.population(When.ON_DATE)
        for indicator in plan.indicators:
            if indicator.denominator is None:
                den = p.population(indicator.numerator.alive or When.ON_DATE)
            else:
                den = (f"{p.population(indicator.denominator.alive or When.ON_DATE)} AND "
                       f"{p.mask(indicator.denominator)}")
                out.append((_Column(index, "den", indicator.id), _sum(den)))
            out.append((_Column(index, "num", indicator.id),
                        _sum(f"{den} AND {p.mask(indicator.numerator)}")))
        for group, (low, high) in enumerate(AGE_GROUPS):
            out.append((_Column(index, "age", group), _sum(f"{living} AND {p.age(low, high)}")))
        out.append((_Column(index, "total"), _sum(living)))
        out.append((_Column(index, "id"), _sum(f"{living} AND {_HAS_ID}")))
        out.append((_Column(index, "verified"), _sum(f"{living} AND {_VERIFIED}")))
        out.append((_Column(index, "deceased"),
                    _sum(f"{p.population(When.IN_PERIOD)} AND NOT {p.alive(When.ON_DATE)}")))
    return out


def _circumstance_sql(p: _Period, groups: Mapping[str, str], where: str) -> str:
    """Children per (commune, code) and per (commune, group): held on the date by living
    children, or for the "other" group in the period by children alive in it."""
    other = [code for code, group in groups.items() if group == "other"]
    rest = [code for code, group in groups.items() if group != "other"]
    terms = []
    if rest:
        terms.append(f"({p.held(rest, When.ON_DATE, 'k')} AND {p.population(When.ON_DATE)})")
    if other:
        terms.append(f"({p.held(other, When.IN_PERIOD, 'k')} "
                     f"AND {p.population(When.IN_PERIOD)})")
    group_of = " ".join(f"WHEN {_code(code)} THEN {_code(group)}"
                        for code, group in sorted(groups.items()))
    source = (f"FROM child_circumstance k JOIN {_children(where, True)} "
              f"ON c.id = k.child_id WHERE {' OR '.join(terms) or '1 = 0'}")
    return (f"SELECT c.{COMMUNE}, 'code', k.code, count(DISTINCT c.id) {source} "
            f"GROUP BY c.{COMMUNE}, k.code UNION ALL "
            f"SELECT c.{COMMUNE}, 'group', CASE k.code {group_of} END, count(DISTINCT c.id) "
            f"{source} GROUP BY c.{COMMUNE}, CASE k.code {group_of} END")


def _tally() -> dict[str, int]:
    return defaultdict(int)


def commune_figures(db: peewee.Database, plan: Plan, periods: Sequence[Period], *,
                    communes: Sequence[str] | None, groups: Mapping[str, str],
                    sensitive: bool) -> dict[str, CommuneFigures]:
    """The figures of ``plan`` over ``periods`` for each of ``communes`` (None: every
    commune of the database), by commune code.

    ``groups`` maps every circumstance code of the catalogue to its group (the codes of
    the breakdown). ``sensitive`` False counts no ethnicity, circumstance or support
    (the plan must then hold no indicator needing them) and, like the reference
    evaluator fed without them, takes deaths from the recorded date of death only.
    Every commune asked for has an entry (one without a child: all zeros).
    """
    ordered = [_Period(p) for p in sorted(periods)]
    where = _where(communes)
    columns = _columns(plan, ordered)
    ethnicity = "coalesce(c.ethnicity, '')" if sensitive else "''"
    sql = (f"SELECT c.{COMMUNE}, coalesce(c.village, ''), coalesce(c.sex, ''), {ethnicity}, "
           + ", ".join(expr for _, expr in columns)
           + f" FROM {_children(where, sensitive)} GROUP BY 1, 2, 3, 4")
    # per commune: figures keyed by column, per village / sex / ethnicity
    whole: dict[str, dict[_Column, int]] = defaultdict(_tally)
    by_village: dict[str, dict[str, dict[_Column, int]]] = defaultdict(
        lambda: defaultdict(_tally))
    by_sex: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(_tally))
    by_ethnicity: dict[str, dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(_tally))
    for row in run(db, sql):
        commune, village, sex, ethnic = row[0], row[1], row[2], row[3]
        totals, area = whole[commune], by_village[commune][village]
        for (column, _), value in zip(columns, row[4:], strict=True):
            value = int(value or 0)
            totals[column] += value
            area[column] += value
            if column.kind == "total":
                by_sex[commune][sex][column.period] += value
                by_ethnicity[commune][ethnic][column.period] += value
    held: dict[tuple[str, int], dict[str, dict[str, int]]] = {}
    if sensitive:
        for index, p in enumerate(ordered):
            for commune, kind, key, n in run(db, _circumstance_sql(p, groups, where)):
                table = held.setdefault((commune, index), {"code": {}, "group": {}})
                table[kind][key] = int(n)
    missing = {row[0]: int(row[1]) for row in run(
        db, f"SELECT c.{COMMUNE}, count(*) FROM child c WHERE c.merged_into IS NULL AND "
        f"NOT (c.birth_date IS NOT NULL AND {_BIRTH_SHAPED})"
        + (f" AND c.{COMMUNE} IN ({_codes(communes) or 'NULL'})" if communes is not None
           else "") + f" GROUP BY c.{COMMUNE}")}
    out = {}
    for commune in sorted(set(whole) | set(missing) | set(communes or ())):
        figures = []
        for index, p in enumerate(ordered):
            figures.append(_period_figures(
                plan, p.period, index, whole.get(commune, {}),
                by_village.get(commune, {}), by_sex.get(commune, {}),
                by_ethnicity.get(commune, {}),
                held.get((commune, index), {"code": {}, "group": {}}), groups))
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


def commune_names(db: peewee.Database, communes: Sequence[str] | None = None
                  ) -> dict[str, tuple[str, str]]:
    """(commune name, province code) of each commune the database holds (of ``communes``
    when given), by commune code."""
    sql = "SELECT commune_code, commune_name, province_code FROM setting"
    if communes is not None:
        sql += f" WHERE commune_code IN ({_codes(communes) or 'NULL'})"
    return {row[0]: (row[1], row[2]) for row in run(db, sql)}


def province_communes(db: peewee.Database, province_code: str) -> list[str]:
    """The codes of the communes of ``province_code`` the database holds, in order."""
    return [row[0] for row in run(
        db, "SELECT commune_code FROM setting WHERE province_code = ? ORDER BY commune_code",
        (province_code,))]


def village_names(db: peewee.Database, commune: str) -> tuple[str, ...]:
    """The commune's villages as its report lists them (``tui.store.villages.listing``'s
    order: active first, then by folded name)."""
    return tuple(row[0] for row in run(
        db, "SELECT name FROM village WHERE commune_code = ? "
        "ORDER BY active DESC, name_folded", (commune,)))
