"""Province consolidation without a shared database: add commune report workbooks up.

:func:`merge_reports` reads each commune's report workbook (as written by
:func:`exports.report.write_evaluation`), refuses the set unless every file

* is a commune report made by this software (its hidden figures sheet is there),
* was not edited by hand: the figures match their SHA-256, and the visible numerators
  and denominators of the indicator table match the figures,
* uses the same plan (same indicator definitions, by digest) and the same periods,
* covers a commune no other file covers, in the same province,

and then writes the province report: every count is the sum of the communes' counts and
every rate is recomputed from the summed numerator and denominator, never averaged. The
communes take the place of villages in the per-area sheet, and a sheet ranks them by
each indicator. All problems of a set are reported together, in Vietnamese.

``treem report merge A.xlsx B.xlsx --out province.xlsx`` calls :func:`run_merge`.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from exports import messages
from exports.errors import SpreadsheetError
from exports.report import Signature, write_evaluation
from exports.report_data import FORMAT, VERSION, digest, from_document
from exports.sheet_stream import column_letter
from exports.workbook_reader import check_file
from libchild import catalog
from libchild.indicators import AGE_GROUPS, Area, Breakdown, Count, Evaluation, PeriodFigures

__all__ = ["CommuneReport", "MergeResult", "ReportMergeError", "add_up", "combine",
           "merge_reports", "merge_summary", "read_report", "run_merge"]

_t = messages.text


class ReportMergeError(SpreadsheetError):
    """A set of reports that cannot be merged; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("merge.problems", count=len(problems))
        self.problems = problems
        self.message = "\n".join([self.message, *(f"- {p}" for p in problems)])
        self.args = (self.message,)


@attrs.frozen
class CommuneReport:
    """One report workbook read back: its figures document and evaluation."""

    path: Path
    document: dict[str, Any]
    evaluation: Evaluation


@attrs.frozen
class MergeResult:
    """What a merge wrote: the province report of ``communes`` commune reports."""

    out: Path
    communes: int
    area: Area
    period_label: str


def read_report(path: str | os.PathLike[str]) -> CommuneReport:
    """Read and check one report workbook; raise :class:`SpreadsheetError` if it is
    not ours, damaged or edited by hand."""
    import openpyxl  # the reader is needed only here

    path = Path(path)
    check_file(path)
    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError("file.corrupt", path=name) from exc
    try:
        data_sheet = _t("report.sheet.data")
        if data_sheet not in book.sheetnames:
            raise SpreadsheetError("merge.not_report", path=name)
        rows = list(book[data_sheet].iter_rows(min_row=1, max_col=2, values_only=True))
        try:
            stored = str(rows[1][1])
            chunks = int(rows[2][1])
            text = "".join(str(rows[3 + k][1] or "") for k in range(chunks))
            document = json.loads(text)
            if not isinstance(document, dict):
                raise ValueError("not an object")
        except (IndexError, TypeError, ValueError) as exc:
            raise SpreadsheetError("merge.unreadable_data", path=name) from exc
        if document.get("format") != FORMAT:
            raise SpreadsheetError("merge.not_report", path=name)
        if not isinstance(document.get("version"), int) or document["version"] > VERSION:
            raise SpreadsheetError("merge.newer_format", path=name,
                                   version=document.get("version"))
        if digest(document) != stored:
            raise SpreadsheetError("merge.edited_data", path=name)
        try:
            evaluation = from_document(document)
            layout = _layout(document)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            # a consistent digest does not make the content well formed: SHA-256 has no key
            raise SpreadsheetError("merge.unreadable_data", path=name) from exc
        _check_visible(book, layout, evaluation, name)
    finally:
        book.close()
    return CommuneReport(path, document, evaluation)


def _layout(document: dict[str, Any]) -> tuple[str, int, int, dict[int, str]]:
    """Where the indicator table is: sheet, numerator and denominator columns, rows."""
    layout = document["layout"]
    rows = {int(row): str(ind) for ind, row in dict(layout["rows"]).items()}
    if not rows or min(rows) < 0:
        raise ValueError("no indicator rows")
    return (str(layout["sheet"]), int(layout["numerator_col"]),
            int(layout["denominator_col"]), rows)


def _check_visible(book: Any, layout: tuple[str, int, int, dict[int, str]],
                   evaluation: Evaluation, name: str) -> None:
    """The indicator table's numerators and denominators must be the figures'."""
    sheet_name, num_col, den_col, by_row = layout
    if sheet_name not in book.sheetnames:
        raise SpreadsheetError("merge.unreadable_data", path=name)
    first, last = min(by_row), max(by_row)
    sheet = book[sheet_name]
    current = evaluation.current.counts
    seen = set()
    for offset, values in enumerate(sheet.iter_rows(
            min_row=first + 1, max_row=last + 1, max_col=max(num_col, den_col) + 1,
            values_only=True)):
        row = first + offset
        indicator_id = by_row.get(row)
        if indicator_id is None:
            continue
        seen.add(indicator_id)
        try:
            count = current[indicator_id]
            indicator = evaluation.plan.indicator(indicator_id)
        except KeyError as exc:
            raise SpreadsheetError("merge.unreadable_data", path=name) from exc
        expected = [(num_col, count.numerator)]
        if indicator.is_rate:
            expected.append((den_col, count.denominator))
        for col, value in expected:
            found = values[col] if col < len(values) else None
            if not isinstance(found, (int, float)) or found != value:
                raise SpreadsheetError(
                    "merge.edited_cell", path=name, cell=f"{column_letter(col)}{row + 1}",
                    indicator=indicator.name, found="" if found is None else found,
                    expected=value)
    if seen != {i.id for i in evaluation.plan.indicators}:
        raise SpreadsheetError("merge.unreadable_data", path=name)


def _consistency(reports: Sequence[CommuneReport]) -> list[str]:
    problems: list[str] = []
    first = reports[0]
    plan = first.document["plan"]
    keys = [p["key"] for p in first.document["periods"]]
    province = first.evaluation.area.province_code
    seen: dict[str, CommuneReport] = {}
    for report in reports:
        doc, area = report.document, report.evaluation.area
        name = report.path.name
        if doc.get("kind") != "commune":
            problems.append(_t("merge.not_commune", path=name))
            continue
        if doc["plan"]["id"] != plan["id"]:
            problems.append(_t("merge.other_plan", path=name, found=doc["plan"]["name"],
                               expected=plan["name"], first=first.path.name))
        elif doc["plan_digest"] != first.document["plan_digest"]:
            problems.append(_t("merge.other_plan_version", path=name, plan=plan["name"],
                               first=first.path.name))
        if [p["key"] for p in doc["periods"]] != keys:
            problems.append(_t("merge.other_period", path=name,
                               found=report.evaluation.current.period.label,
                               expected=first.evaluation.current.period.label,
                               first=first.path.name))
        if area.province_code != province:
            problems.append(_t("merge.other_province", path=name, commune=area.name,
                               found=area.province_code, expected=province))
        if area.code in seen:
            problems.append(_t("merge.duplicate_commune", commune=area.name, commune_code=area.code,
                               first=seen[area.code].path.name, path=name))
        else:
            seen[area.code] = report
    return problems


def _sum_breakdowns(parts: Sequence[tuple[str, Breakdown]]) -> Breakdown:
    def add(maps: list[Any]) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for m in maps:
            for k, v in m.items():
                out[k] += v
        return dict(sorted(out.items()))

    items = [b for _, b in parts]
    return Breakdown(
        total=sum(b.total for b in items),
        by_sex=add([b.by_sex for b in items]),
        by_age=tuple(sum(b.by_age[k] for b in items) for k in range(len(AGE_GROUPS))),
        by_area={code: b.total for code, b in parts},
        by_ethnicity=add([b.by_ethnicity for b in items]),
        by_circumstance=add([b.by_circumstance for b in items]),
        by_group=add([b.by_group for b in items]),
        with_personal_id=sum(b.with_personal_id for b in items),
        id_verified=sum(b.id_verified for b in items),
        deceased_in_period=sum(b.deceased_in_period for b in items),
    )


def combine(reports: Sequence[CommuneReport], *, province_name: str | None = None
            ) -> Evaluation:
    """The province evaluation of commune report workbooks (see :func:`add_up`)."""
    return add_up([r.evaluation for r in reports], province_name=province_name)


def add_up(communes: Sequence[Evaluation], *, province_name: str | None = None
           ) -> Evaluation:
    """The province evaluation: sums of the communes' counts, per period; rates are
    recomputed from the sums, never averaged. The one rule of adding communes up, for
    the merge of workbooks and for the province report counted in the database
    (``tui.services.reports``), so that both give the same figures."""
    first = communes[0]
    ordered = sorted(communes, key=lambda e: e.area.code)
    province = first.area.province_code
    entry = catalog.load().provinces.get(province)
    name = province_name or (f"{entry.kind.capitalize()} {entry.name}"
                              if entry is not None and entry.kind else province)
    periods = []
    for index, figures in enumerate(first.periods):
        counts: dict[str, Count] = {}
        by_area: dict[str, dict[str, Count]] = {}
        for commune in ordered:
            part = commune.periods[index]
            by_area[commune.area.code] = dict(part.counts)
            for key, count in part.counts.items():
                counts[key] = counts.get(key, Count(0, 0)) + count
        breakdown = _sum_breakdowns([(e.area.code, e.periods[index].breakdown)
                                     for e in ordered])
        periods.append(PeriodFigures(figures.period, counts, by_area, breakdown))
    return Evaluation(
        plan=first.plan, area=Area(province, name, province, ()), periods=tuple(periods),
        no_birth_date=sum(e.no_birth_date for e in communes),
        area_kind="commune",
        area_names={e.area.code: e.area.name for e in ordered})


def merge_reports(paths: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
                  province_name: str | None = None, signature: Signature | None = None
                  ) -> MergeResult:
    """Check the commune reports at ``paths`` and write the province report to ``out``.

    Raises :class:`ReportMergeError` listing every problem (nothing is written then).
    """
    if not paths:
        raise ReportMergeError([_t("merge.no_files")])
    reports: list[CommuneReport] = []
    problems: list[str] = []
    for path in paths:
        try:
            reports.append(read_report(path))
        except SpreadsheetError as exc:
            problems.append(exc.message)
    if reports:
        problems += _consistency(reports)
    if problems:
        raise ReportMergeError(problems)
    evaluation = combine(reports, province_name=province_name)
    write_evaluation(out, evaluation, kind="province",
                     communes=[r.evaluation.area.code for r in reports], signature=signature)
    return MergeResult(Path(out), len(reports), evaluation.area,
                       evaluation.current.period.label)


def run_merge(paths: Sequence[str], out: str, *, province_name: str | None = None) -> str:
    """The entry ``treem report merge`` calls: merge, and say what was done (Vietnamese).

    Raises :class:`ReportMergeError` (its text lists the problems) or
    :class:`SpreadsheetError` for the output file.
    """
    return merge_summary(merge_reports(paths, out, province_name=province_name))


def merge_summary(result: MergeResult) -> str:
    """One Vietnamese line about a merge."""
    return _t("merge.done", count=result.communes, area=result.area.name,
              period=result.period_label, path=str(result.out))
