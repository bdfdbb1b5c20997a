"""The six-monthly / annual report of a commune, as of a date. No personal data.

:func:`compute_report` counts the children under 16 living in the commune on the
reference date (born on or before it, not deceased by then): by sex, age group
(0–2, 3–5, 6–10, 11–15 full years), ethnicity and village; children in special
circumstances by group with their rate over all children; the share of them supported;
at-risk and other circumstances; children without a verified ID number.
:func:`write_report` writes those figures, and only those, to a workbook.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from exports import messages
from exports.atomic import atomic_path
from exports.labels import CodeNames, as_date
from exports.xlsx_style import new_workbook
from libchild.dates import age

__all__ = ["AGE_GROUPS", "Report", "compute_report", "write_report"]

#: Age groups in full years, inclusive.
AGE_GROUPS: tuple[tuple[int, int], ...] = ((0, 2), (3, 5), (6, 10), (11, 15))


@dataclass
class Report:
    """The figures of the report; every count is of children, never of records shown."""

    as_of: date
    total: int = 0
    by_sex: Counter = field(default_factory=Counter)
    by_age: Counter = field(default_factory=Counter)
    by_ethnicity: Counter = field(default_factory=Counter)
    by_village: Counter = field(default_factory=Counter)
    by_circumstance: Counter = field(default_factory=Counter)
    special: int = 0
    special_supported: int = 0
    at_risk: int = 0
    other: int = 0
    no_id: int = 0
    not_verified: int = 0
    deceased: int = 0

    def rate(self, count: int, over: int | None = None) -> float:
        """``count`` over ``over`` (default all children), 0 when there is none."""
        base = self.total if over is None else over
        return count / base if base else 0.0

    @property
    def without_verified_id(self) -> int:
        """Children with no ID number or one not yet verified by the police."""
        return self.no_id + self.not_verified


def compute_report(children: Iterable[Mapping[str, Any]], as_of: date) -> Report:
    """Compute the report figures for ``children`` (canonical dicts) on ``as_of``.

    A record may carry ``id_verified`` (True once the police confirmed the number);
    without it, a record that has a number counts as verified.
    """
    names = CodeNames()
    report = Report(as_of)
    for child in children:
        birth = as_date(child.get("birth_date"))
        if birth is None or birth > as_of:
            continue
        years, _months = age(birth, as_of)
        if years >= 16:
            continue
        codes = _active_codes(child.get("circumstances"), as_of)
        death = as_date(child.get("death_date"))
        if (death is not None and death <= as_of) or "KH02" in codes:
            report.deceased += 1
            report.by_circumstance.update(c for c in codes if names.group(c) == "other")
            report.other += any(names.group(c) == "other" for c in codes)
            continue
        report.total += 1
        report.by_sex[str(child.get("sex") or "")] += 1
        for low, high in AGE_GROUPS:
            if low <= years <= high:
                report.by_age[(low, high)] += 1
        report.by_ethnicity[str(child.get("ethnicity") or "")] += 1
        report.by_village[str(child.get("village") or "")] += 1
        report.by_circumstance.update(codes)
        groups = {names.group(c) for c in codes}
        if "special" in groups:
            report.special += 1
            if _supported(child.get("supports"), as_of):
                report.special_supported += 1
        report.at_risk += "at_risk" in groups
        report.other += "other" in groups
        if not child.get("personal_id"):
            report.no_id += 1
        elif child.get("id_verified") is False:
            report.not_verified += 1
    return report


def _active_codes(value: Any, as_of: date) -> set[str]:
    codes: set[str] = set()
    for item in value or ():
        if isinstance(item, str):
            codes.add(item)
            continue
        if isinstance(item, Mapping):
            code, start, end = item.get("code"), item.get("start"), item.get("end")
        else:
            code = getattr(item, "code", None)
            start, end = getattr(item, "start", None), getattr(item, "end", None)
        start_day, end_day = as_date(start), as_date(end)
        if code and (start_day is None or start_day <= as_of) and (
            end_day is None or end_day >= as_of
        ):
            codes.add(str(code))
    return codes


def _supported(value: Any, as_of: date) -> bool:
    for item in value or ():
        day = item.get("date") if isinstance(item, Mapping) else getattr(item, "date", None)
        day = as_date(day)
        if day is None or day <= as_of:
            return True
    return False


def write_report(out: str | os.PathLike[str], report: Report, *, commune: str,
                 scratch: str | os.PathLike[str] | None = None) -> int:
    """Write ``report`` to ``out`` (atomic, mode 0600); return the number of figure rows.

    ``scratch`` is the private scratch root for the partial file (:mod:`exports.scratch`).
    """
    names = CodeNames()
    rows: list[tuple[str, Any, Any]] = []  # (label, count, rate) ; count None = heading

    def heading(code: str) -> None:
        rows.append((messages.text(code), None, None))

    def line(label: str, count: int, over: int | None = None, with_rate: bool = True) -> None:
        rows.append((label, count, report.rate(count, over) if with_rate else None))

    line(messages.text("report.total"), report.total, with_rate=False)
    heading("report.by_sex")
    for entry in names.entries("sexes"):
        line(entry.name, report.by_sex.get(entry.code, 0))
    if report.by_sex.get(""):
        line(messages.text("report.unknown"), report.by_sex[""])
    heading("report.by_age")
    for low, high in AGE_GROUPS:
        line(messages.text("report.age_group", low=low, high=high), report.by_age[(low, high)])
    heading("report.by_ethnicity")
    for code, count in sorted(report.by_ethnicity.items(), key=lambda kv: (-kv[1], kv[0])):
        label = names.name("ethnicities", code) or messages.text("report.unknown")
        line(label, count)
    heading("report.by_village")
    for village, count in sorted(report.by_village.items()):
        line(village or messages.text("report.unknown"), count)
    heading("report.special")
    line(messages.text("report.special_total"), report.special)
    for entry in names.entries("circumstances"):
        if entry.group == "special":
            line(f"{entry.code} {entry.name}", report.by_circumstance.get(entry.code, 0))
    line(messages.text("report.supported"), report.special_supported, report.special)
    heading("report.at_risk")
    line(messages.text("report.at_risk_total"), report.at_risk)
    for entry in names.entries("circumstances"):
        if entry.group == "at_risk":
            line(f"{entry.code} {entry.name}", report.by_circumstance.get(entry.code, 0))
    heading("report.other")
    for entry in names.entries("circumstances"):
        if entry.group == "other":
            line(f"{entry.code} {entry.name}", report.by_circumstance.get(entry.code, 0))
    heading("report.ids")
    line(messages.text("report.no_id"), report.no_id)
    line(messages.text("report.not_verified"), report.not_verified)
    line(messages.text("report.without_verified"), report.without_verified_id)

    with atomic_path(out, scratch=scratch) as tmp:
        book, styles = new_workbook(tmp)
        sheet = book.add_worksheet(messages.text("report.sheet"))
        sheet.set_paper(9)
        sheet.set_column(0, 0, 60)
        sheet.set_column(1, 2, 14)
        sheet.merge_range(0, 0, 0, 2, messages.text("report.title"), styles["title"])
        sheet.merge_range(
            1, 0, 1, 2,
            messages.text("report.subtitle", commune=commune,
                          date=report.as_of.strftime("%d/%m/%Y")),
            styles["subtitle"],
        )
        for col, code in enumerate(("report.col.item", "report.col.count", "report.col.rate")):
            sheet.write_string(3, col, messages.text(code), styles["header"])
        for number, (label, count, rate) in enumerate(rows, start=4):
            if count is None:
                sheet.write_string(number, 0, label, styles["bold"])
                continue
            sheet.write_string(number, 0, label, styles["cell"])
            sheet.write_number(number, 1, count, styles["number"])
            if rate is not None:
                sheet.write_number(number, 2, rate, styles["percent"])
        book.close()
    return len(rows)
