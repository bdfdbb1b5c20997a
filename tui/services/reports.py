"""Reports against the plans' targets: the figures the screen shows, ``treem report``
prints (``--json`` too) and the report workbook writes, from one evaluation.

Who sees what (``tui.services.policy``):

* the ``reports`` permission is needed for everything here;
* a person whose scope is a list of villages gets the figures of those villages only
  (the children of other villages are not even read), and may not write the commune's
  workbook: a partial commune report must never reach the province's merge as the
  commune's;
* a role without ``view_sensitive`` gets no indicator that counts over ethnicity,
  circumstances or supports: those are moved to the plan's "not computed" list with a
  reason (shown instead of a misleading 0), and the sensitive facts are not read.

The facts stream from the register (``tui.store.report_facts``) straight into the
evaluator's bit sets; no list of children is held.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs

from exports.report import Signature, write_evaluation
from exports.report_merge import add_up
from libchild.indicators import (
    Area,
    ChildFacts,
    Count,
    Evaluation,
    Filter,
    Indicator,
    NotComputed,
    Period,
    Plan,
    evaluate,
    last_periods,
    load_plans,
)
from tui.domain import Permission
from tui.errors import InvalidInput, PermissionDenied
from tui.messages import reports as texts
from tui.paths import clean_scratch, scratch_dir
from tui.services.base import Service, operation
from tui.services.policy import sees_sensitive
from tui.store import report_sql
from tui.store import settings as settings_store
from tui.store import villages as village_store
from tui.store.report_facts import stream_facts

__all__ = [
    "DEFAULT_PERIODS",
    "MAX_PERIODS",
    "IndicatorLine",
    "RegisterFacts",
    "ReportsService",
    "counted_in_database",
    "indicator_lines",
    "needs_sensitive",
    "without_sensitive",
]

#: Periods a report shows by default: the current half-year so far and the three before.
DEFAULT_PERIODS = 4
#: The most periods a report may ask for (ten years of half-years).
MAX_PERIODS = 20


def needs_sensitive(indicator: Indicator) -> bool:
    """True when the indicator counts over sensitive data (ethnicity, circumstances or
    supports; NĐ 13/2023/NĐ-CP, Điều 2 khoản 4: data of children are sensitive)."""
    filters: list[Filter] = [indicator.numerator]
    if indicator.denominator is not None:
        filters.append(indicator.denominator)
    return any(f.ethnicity or f.circumstance or f.support for f in filters)


def without_sensitive(plan: Plan) -> Plan:
    """``plan`` for a role that may not see sensitive data: those indicators are listed
    as not computed, with the reason."""
    kept = tuple(i for i in plan.indicators if not needs_sensitive(i))
    withheld = tuple(NotComputed(i.name, i.source, texts.text("withheld"))
                     for i in plan.indicators if needs_sensitive(i))
    return attrs.evolve(plan, indicators=kept, not_computed=plan.not_computed + withheld)


@attrs.frozen
class RegisterFacts:
    """A :class:`libchild.indicators.FactsSource` over the register, for one person:
    their villages only, sensitive facts only when they may see them."""

    db: object
    the_area: Area
    villages: frozenset[int] | None
    sensitive: bool

    def area(self) -> Area:
        """The commune (with the villages in scope)."""
        return self.the_area

    def child_facts(self) -> Iterator[ChildFacts]:
        """The facts of every child in scope, streamed from the register."""
        return stream_facts(self.db, villages=self.villages,  # type: ignore[arg-type]
                            sensitive=self.sensitive)


@attrs.frozen
class IndicatorLine:
    """One indicator as the screen and ``--json`` show it for the current period.

    ``value`` is None for a rate over no child; ``met`` None without a target or value;
    ``previous`` is the value of the period before (None if none); ``change`` the
    difference in the indicator's unit.
    """

    id: str
    name: str
    source: str
    unit: str
    numerator: int
    denominator: int
    value: Fraction | None
    display: str
    target: str
    met: bool | None
    previous: Fraction | None
    previous_display: str
    change: Fraction | None


def indicator_lines(evaluation: Evaluation) -> list[IndicatorLine]:
    """Every computed indicator of the current period, with the previous period's value."""
    current, before = evaluation.current, evaluation.previous
    lines = []
    for indicator in evaluation.plan.indicators:
        count = current.counts.get(indicator.id, Count(0, 0))
        value = indicator.value(count.numerator, count.denominator)
        old = before.counts.get(indicator.id) if before is not None else None
        previous = indicator.value(old.numerator, old.denominator) if old else None
        lines.append(IndicatorLine(
            id=indicator.id, name=indicator.name, source=indicator.source,
            unit=indicator.unit.value, numerator=count.numerator,
            denominator=count.denominator, value=value,
            display=indicator.display(count.numerator, count.denominator),
            target=indicator.target_text(),
            met=indicator.met(count.numerator, count.denominator), previous=previous,
            previous_display=(indicator.display(old.numerator, old.denominator)
                              if old else "—"),
            change=(value - previous if value is not None and previous is not None
                    else None)))
    return lines


@functools.cache
def _shipped_plans() -> dict[str, Plan]:
    return load_plans()


@functools.cache
def _circumstance_groups() -> dict[str, str]:
    from libchild.catalog import load

    return {e.code: e.group for e in load().circumstances}


def counted_in_database(db: object, plan: Plan, periods: Sequence[Period],
                        communes: Sequence[str], *, sensitive: bool,
                        by_village: bool = True) -> list[Evaluation]:
    """Each of ``communes``' evaluation of ``plan``, counted by the database
    (``tui.store.report_sql``): the same figures as :func:`libchild.indicators.evaluate`
    over the commune's facts, without reading a child into Python. ``by_village`` False
    leaves the villages out (what a province report, added up by commune, needs)."""
    found = report_sql.commune_figures(db, plan, periods, communes=communes,  # type: ignore[arg-type]
                                       groups=_circumstance_groups(), sensitive=sensitive,
                                       by_village=by_village)
    names = settings_store.commune_names(db, communes)  # type: ignore[arg-type]
    out = []
    for code in communes:
        name, province = names.get(code, ("", ""))
        figures = found[code]
        area = Area(code, name, province, report_sql.village_names(db, code))  # type: ignore[arg-type]
        out.append(Evaluation(plan, area, figures.periods, figures.no_birth_date))
    return out


class ReportsService(Service):
    """Plans, figures and the report workbook, for the acting person."""

    @operation(Permission.REPORTS)
    def plans(self) -> list[Plan]:
        """The plans shipped with the register, by id (as this person may see them)."""
        plans = [_shipped_plans()[key] for key in sorted(_shipped_plans())]
        return plans if sees_sensitive(self.session) else [without_sensitive(p)
                                                            for p in plans]

    def _plan(self, plan_id: str) -> Plan:
        for plan in self.plans():
            if plan.id == plan_id:
                return plan
        raise InvalidInput(texts.text("unknown_plan", plan=plan_id,
                                      known=", ".join(sorted(_shipped_plans()))))

    @operation(Permission.REPORTS)
    def source(self) -> RegisterFacts:
        """The facts this person may count: their villages, sensitive facts if allowed."""
        found = settings_store.read(self.db)
        scope = self.session.scope.villages
        listed = village_store.listing(self.db, active_only=False)
        names = tuple(v.name for v in listed if scope is None or v.id in scope)
        area = Area(found.commune_code if found else "", found.commune_name if found else "",
                    found.province_code if found else "", names)
        return RegisterFacts(self.db, area, scope, sees_sensitive(self.session))

    @operation(Permission.REPORTS)
    def evaluate(self, plan_id: str, day: date | None = None,
                 periods: int = DEFAULT_PERIODS) -> Evaluation:
        """Every indicator of plan ``plan_id`` as of ``day`` (default today) and over the
        ``periods`` half-years up to it (the last one is "as of ``day``")."""
        if not 1 <= periods <= MAX_PERIODS:
            raise InvalidInput(texts.text("bad_periods", most=MAX_PERIODS))
        plan = self._plan(plan_id)
        return evaluate(plan, self.source(), last_periods(day or date.today(), periods))

    @operation(Permission.REPORTS)
    def export(self, out: Path, plan_id: str, day: date | None = None,
               periods: int = DEFAULT_PERIODS, *, evaluation: Evaluation | None = None
               ) -> Evaluation:
        """Write the commune's report workbook to ``out`` (atomic, 0600) and audit it.

        ``evaluation`` reuses figures already on screen, or is a province report of
        :meth:`communes_report` (then the workbook is a province report, as the merge
        writes it). Refused to a person limited to some villages (see the module
        docstring).
        """
        if self.session.scope.villages is not None:
            raise PermissionDenied(self.session.role, Permission.REPORTS,
                                   texts.text("partial_export"))
        if evaluation is None:
            evaluation = self.evaluate(plan_id, day, periods)
        found = settings_store.read(self.db)
        province = evaluation.area_kind == "commune"  # a province report (communes_report)
        signature = Signature(evaluation.area.name if province else
                              found.commune_name if found else "",
                              maker=self.session.full_name)
        clean_scratch()
        write_evaluation(out, evaluation, signature=signature, scratch=scratch_dir(),
                         kind="province" if province else "commune",
                         communes=sorted(evaluation.area_names) if province else ())
        self.ctx.audit("export", "export_report", None, "rows", None,
                       {"kind": "province_report" if province else "report",
                        "plan": evaluation.plan.id,
                        "period": evaluation.current.period.key,
                        "as_of": evaluation.current.period.end.isoformat(),
                        "rows": len(evaluation.plan.indicators), "path": str(out)})
        return evaluation

    def _readable_communes(self) -> list[str]:
        """The communes whose whole report this person may see: a province account the
        communes of its province, a commune account its commune (a person limited to
        some villages none: a partial commune is never reported as the commune)."""
        scope = self.session.scope
        if scope.villages is not None:
            raise PermissionDenied(self.session.role, Permission.REPORTS,
                                   texts.text("partial_export"))
        if scope.commune is not None:
            return [scope.commune]
        if scope.communes is not None:
            return sorted(scope.communes)
        found = settings_store.read(self.db)  # a session on a commune's own file
        return [found.commune_code] if found else []

    @operation(Permission.REPORTS)
    def communes_report(self, plan_id: str, day: date | None = None,
                        periods: int = DEFAULT_PERIODS,
                        communes: Sequence[str] | None = None) -> Evaluation:
        """Plan ``plan_id`` for one commune, a list of communes or every commune this
        person may see (``communes`` None), counted by the database.

        One commune named gives that commune's report (by village); several, or every
        commune (``communes`` None, even if that is one), give the province report (by
        commune), added up by the same rule as ``treem report merge``
        (:func:`exports.report_merge.add_up`), so both give the same figures on the same
        data. A commune outside the person's scope is refused.
        """
        if not 1 <= periods <= MAX_PERIODS:
            raise InvalidInput(texts.text("bad_periods", most=MAX_PERIODS))
        plan = self._plan(plan_id)
        readable = self._readable_communes()
        wanted = list(dict.fromkeys(communes)) if communes is not None else readable
        outside = [c for c in wanted if c not in readable]
        if outside or not wanted:
            raise PermissionDenied(self.session.role, Permission.REPORTS,
                                   texts.text("other_communes",
                                              communes=", ".join(outside) or "—"))
        one = communes is not None and len(wanted) == 1
        evaluations = counted_in_database(
            self.db, plan, last_periods(day or date.today(), periods), wanted,
            sensitive=sees_sensitive(self.session), by_village=one)
        if one:
            return evaluations[0]
        provinces = {e.area.province_code for e in evaluations}
        if len(provinces) > 1:
            raise InvalidInput(texts.text("several_provinces",
                                          provinces=", ".join(sorted(provinces))))
        return add_up(evaluations)
