"""The report workbook of a commune (or of a province): indicators, charts, no personal data.

:func:`write_evaluation` writes an :class:`~libchild.indicators.Evaluation` (a plan's
indicators over the last periods) as an A4 workbook:

* **Báo cáo**: each indicator with its numerator, denominator, value, the plan's target,
  met / not met and the change since the previous period; the children under 16 by
  group; the plan's indicators the register cannot compute; the signature block.
* **Theo thôn** (a province: **Theo xã**): children and indicators per village, with
  native bar charts beside the table.
* **Nhóm tuổi, hoàn cảnh**: children per age group, per circumstance group and code,
  each table with its bar chart.
* **Qua các kỳ**: every indicator over the periods, each with a line chart and its target.
* **Xếp hạng các xã** (province only): communes ranked by each indicator.
* a hidden sheet with the canonical figures and their SHA-256 (:mod:`exports.report_data`),
  which the province's merge checks.

Only counts of children are written: no name, no ID number, no date of birth.

:func:`compute_report` and :func:`write_report` keep the older "as of a date" interface
(``treem export report``): they evaluate the default plan over the last four periods.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from exports import messages
from exports.atomic import atomic_path
from exports.labels import CodeNames
from exports.report_data import canonical_json, digest, to_document
from exports.xlsx_style import new_workbook
from libchild.indicators import (
    AGE_GROUPS,
    Area,
    Count,
    Evaluation,
    Filter,
    Indicator,
    Period,
    Plan,
    Unit,
    When,
    compile_facts,
    evaluate,
    facts_from_canonical,
    last_periods,
    load_plans,
)

__all__ = [
    "AGE_GROUPS",
    "DEFAULT_PERIODS",
    "DEFAULT_PLAN",
    "Report",
    "Signature",
    "compute_report",
    "write_evaluation",
    "write_report",
]

#: The plan used when a caller names none (the demo commune is in Sơn La).
DEFAULT_PLAN = "son-la-2026"
#: Periods shown by default: the current half-year and the three before it.
DEFAULT_PERIODS = 4
#: Where the indicator table starts on the main sheet (0-based row, first data row).
_FIRST_ROW = 7
_NUM_COL, _DEN_COL = 3, 4
_CHUNK = 8000  # characters per cell of the hidden document (LibreOffice-safe)
_t = messages.text


@attrs.frozen
class Signature:
    """The signature block: where it is signed, and optionally who signs."""

    place: str
    maker: str = ""
    head: str = ""


def _value_number(indicator: Indicator, count: Count) -> float | None:
    value = indicator.value(count.numerator, count.denominator)
    return None if value is None else round(float(value), 6)


def _met_text(indicator: Indicator, count: Count) -> str:
    met = indicator.met(count.numerator, count.denominator)
    if indicator.target is None:
        return _t("report.no_target")
    if met is None:
        return _t("report.no_value")
    return _t("report.met" if met else "report.not_met")


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    per_line = max(1, int(width * 1.05))
    return max(1, -(-len(text) // per_line))


def _unit_text(indicator: Indicator) -> str:
    return indicator.unit.suffix.strip() if indicator.unit is not Unit.COUNT else "trẻ"


class _Writer:
    def __init__(self, book: Any, styles: dict[str, Any], evaluation: Evaluation,
                 kind: str, communes: Sequence[str], signature: Signature | None) -> None:
        self.book = book
        self.styles = styles
        self.ev = evaluation
        self.kind = kind
        self.communes = communes
        self.signature = signature
        self.names = CodeNames()
        self.rows: dict[str, int] = {}
        s = styles
        fmt = book.add_format
        base = {"font_name": "Times New Roman", "font_size": 12, "border": 1, "valign": "top"}
        self.f = {
            "cell": s["bordered"],
            "num": fmt({**base, "num_format": "#,##0"}),
            "dec": fmt({**base, "num_format": "#,##0.00"}),
            "change": fmt({**base, "num_format": "+#,##0.00;-#,##0.00;0.00"}),
            "center": s["bordered_center"],
            "met": fmt({**base, "align": "center", "font_color": "#006100",
                        "bg_color": "#C6EFCE"}),
            "not_met": fmt({**base, "align": "center", "font_color": "#9C0006",
                            "bg_color": "#FFC7CE"}),
            "section": fmt({"font_name": "Times New Roman", "font_size": 12, "bold": True}),
            "section_wrap": fmt({"font_name": "Times New Roman", "font_size": 12, "bold": True,
                                 "text_wrap": True, "valign": "top"}),
            "sign": fmt({"font_name": "Times New Roman", "font_size": 12, "bold": True,
                         "align": "center", "text_wrap": True, "valign": "top"}),
            "sign_hint": fmt({"font_name": "Times New Roman", "font_size": 12,
                              "italic": True, "align": "center"}),
            "note": fmt({"font_name": "Times New Roman", "font_size": 11, "italic": True,
                         "text_wrap": True, "valign": "top"}),
        }

    # --- common -----------------------------------------------------------------------
    def _print_setup(self, sheet: Any, landscape: bool = True, header_rows: tuple | None = None
                     ) -> None:
        sheet.set_paper(9)  # A4
        if landscape:
            sheet.set_landscape()
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        title = self.ev.area.name.replace("&", "&&")
        sheet.set_footer(_t("report.footer", title=title))
        if header_rows is not None:
            sheet.repeat_rows(*header_rows)

    def _headers(self, sheet: Any, row: int, names: Sequence[str], col: int = 0) -> None:
        for k, name in enumerate(names):
            sheet.write_string(row, col + k, name, self.styles["header"])

    def _title(self, sheet: Any, last_col: int) -> int:
        current = self.ev.current.period
        title = _t("report.title.province" if self.kind == "province" else
                   "report.title.commune")
        sheet.merge_range(0, 0, 0, last_col, title, self.styles["title"])
        sheet.merge_range(1, 0, 1, last_col, _t(
            "report.subtitle.period", area=self.ev.area.name, period=current.label,
            date=current.end.strftime("%d/%m/%Y")), self.styles["subtitle"])
        sheet.merge_range(2, 0, 2, last_col, _t(
            "report.subtitle.plan", plan=self.ev.plan.document), self.styles["subtitle"])
        if self.kind == "province":
            sheet.merge_range(3, 0, 3, last_col, _t(
                "report.subtitle.communes", count=len(self.communes)), self.styles["subtitle"])
        return 5

    def _write_value(self, sheet: Any, row: int, col: int, indicator: Indicator,
                     count: Count) -> None:
        value = _value_number(indicator, count)
        if value is None:
            sheet.write_string(row, col, _t("report.no_value"), self.f["center"])
        else:
            sheet.write_number(row, col, value,
                               self.f["num"] if indicator.unit is Unit.COUNT else self.f["dec"])

    def _area_label(self, key: str) -> str:
        if self.ev.area_kind == "commune":
            return self.ev.area_names.get(key, key)
        return key or messages.text("report.unknown")

    # --- main sheet ---------------------------------------------------------------------
    def main(self) -> int:
        sheet = self.book.add_worksheet(_t("report.sheet.main"))
        widths = (5, 46, 20, 10, 10, 11, 13, 16, 11, 11, 11)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        last = len(widths) - 1
        self._title(sheet, last)
        sheet.write_string(_FIRST_ROW - 2, 0, _t("report.section.indicators"), self.f["section"])
        self._headers(sheet, _FIRST_ROW - 1, [_t(f"report.col.{c}") for c in (
            "no", "indicator", "source", "numerator", "denominator", "value", "unit",
            "target", "met", "previous", "change")])
        sheet.set_row(_FIRST_ROW - 1, 32)
        current, previous = self.ev.current, self.ev.previous
        row = _FIRST_ROW
        notes: list[str] = []
        for number, indicator in enumerate(self.ev.plan.indicators, start=1):
            count = current.counts[indicator.id]
            name = indicator.name
            if indicator.note:
                notes.append(indicator.note)
                name += f" ({len(notes)})"
            self.rows[indicator.id] = row
            sheet.write_number(row, 0, number, self.f["center"])
            sheet.write_string(row, 1, name, self.f["cell"])
            sheet.write_string(row, 2, indicator.source, self.f["cell"])
            sheet.set_row(row, 16 * max(_lines(name, widths[1]),
                                        _lines(indicator.source, widths[2])))
            sheet.write_number(row, _NUM_COL, count.numerator, self.f["num"])
            if indicator.is_rate:
                sheet.write_number(row, _DEN_COL, count.denominator, self.f["num"])
            else:
                sheet.write_string(row, _DEN_COL, "", self.f["cell"])
            self._write_value(sheet, row, 5, indicator, count)
            sheet.write_string(row, 6, _unit_text(indicator), self.f["center"])
            sheet.write_string(row, 7, indicator.target_text(), self.f["center"])
            met = indicator.met(count.numerator, count.denominator)
            sheet.write_string(row, 8, _met_text(indicator, count), self.f[
                "met" if met else "not_met" if met is False else "center"])
            now = _value_number(indicator, count)
            before = None
            if previous is not None:
                before = _value_number(indicator, previous.counts[indicator.id])
                self._write_value(sheet, row, 9, indicator, previous.counts[indicator.id])
            else:
                sheet.write_string(row, 9, _t("report.no_value"), self.f["center"])
            if now is not None and before is not None:
                sheet.write_number(row, 10, round(now - before, 6), self.f["change"])
            else:
                sheet.write_string(row, 10, _t("report.no_value"), self.f["center"])
            row += 1
        for k, note in enumerate(notes, start=1):
            sheet.merge_range(row, 1, row, last, f"({k}) {note}", self.f["note"])
            sheet.set_row(row, 15 * _lines(note, sum(widths[1:]) * 0.9))
            row += 1
        row += 1
        row = self._summary(sheet, row)
        row = self._not_computed(sheet, row + 1, last, widths)
        self._signature(sheet, row + 1)
        self._print_setup(sheet)
        sheet.print_area(0, 0, row + 8, last)
        return len(self.ev.plan.indicators)

    def _summary(self, sheet: Any, row: int) -> int:
        b = self.ev.current.breakdown
        sheet.write_string(row, 0, _t("report.section.summary"), self.f["section"])
        row += 1
        self._headers(sheet, row, [_t("report.col.item"), _t("report.col.count"),
                                   _t("report.col.rate")], col=1)
        row += 1
        lines: list[tuple[str, int, bool]] = [(_t("report.children_total"), b.total, False)]
        for entry in self.names.entries("sexes"):
            lines.append((f"   {entry.name}", b.by_sex.get(entry.code, 0), True))
        for (low, high), n in zip(AGE_GROUPS, b.by_age, strict=True):
            lines.append(("   " + _t("report.age_group", low=low, high=high), n, True))
        for group in ("special", "at_risk", "other"):
            lines.append((_t(f"report.group.{group}"), b.by_group.get(group, 0), True))
        lines += [(_t("report.with_id"), b.with_personal_id, True),
                  (_t("report.id_verified"), b.id_verified, True),
                  (_t("report.deceased"), b.deceased_in_period, False)]
        if self.ev.no_birth_date:
            lines.append((_t("report.no_birth_date"), self.ev.no_birth_date, False))
        for label, n, with_rate in lines:
            sheet.write_string(row, 1, label, self.f["cell"])
            sheet.write_number(row, 2, n, self.f["num"])
            if with_rate and b.total:
                sheet.write_number(row, 3, n / b.total, self.styles["percent"])
            else:
                sheet.write_string(row, 3, "", self.f["cell"])
            row += 1
        return row

    def _not_computed(self, sheet: Any, row: int, last: int, widths: Sequence[int]) -> int:
        items = self.ev.plan.not_computed
        if not items:
            return row
        sheet.write_string(row, 0, _t("report.section.not_computed"), self.f["section"])
        row += 1
        self._headers(sheet, row, [_t("report.col.indicator"), _t("report.col.source")], col=1)
        sheet.merge_range(row, 3, row, last, _t("report.col.reason"), self.styles["header"])
        row += 1
        for item in items:
            sheet.write_string(row, 1, item.name, self.f["cell"])
            sheet.write_string(row, 2, item.source, self.f["cell"])
            sheet.merge_range(row, 3, row, last, item.reason, self.f["cell"])
            sheet.set_row(row, 16 * max(_lines(item.name, widths[1]),
                                        _lines(item.source, widths[2]),
                                        _lines(item.reason, sum(widths[3:]))))
            row += 1
        return row

    def _signature(self, sheet: Any, row: int) -> None:
        place = self.signature.place if self.signature else self.ev.area.name
        sheet.merge_range(row, 7, row, 10, _t("report.sign.place_date", place=place),
                          self.f["sign_hint"])
        head = _t("report.sign.head.province" if self.kind == "province" else
                  "report.sign.head.commune")
        sheet.merge_range(row + 1, 0, row + 1, 2, _t("report.sign.maker"), self.f["sign"])
        sheet.merge_range(row + 1, 7, row + 1, 10, head, self.f["sign"])
        sheet.set_row(row + 1, 32)
        sheet.merge_range(row + 2, 0, row + 2, 2, _t("report.sign.hint"), self.f["sign_hint"])
        sheet.merge_range(row + 2, 7, row + 2, 10, _t("report.sign.hint_seal"),
                          self.f["sign_hint"])
        if self.signature and (self.signature.maker or self.signature.head):
            sheet.merge_range(row + 6, 0, row + 6, 2, self.signature.maker, self.f["sign"])
            sheet.merge_range(row + 6, 7, row + 6, 10, self.signature.head, self.f["sign"])

    # --- per village / commune ----------------------------------------------------------
    def areas(self) -> None:
        kind = self.ev.area_kind
        sheet = self.book.add_worksheet(_t(f"report.sheet.areas.{kind}"))
        current = self.ev.current
        keys = self.ev.sub_areas()
        indicators = self.ev.plan.indicators
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 1 + len(indicators), 13)
        row = self._title(sheet, 1 + len(indicators))
        head = row
        self._headers(sheet, head, [
            _t(f"report.col.{kind}"), _t("report.col.children"),
            *[f"{i.name} ({_unit_text(i)})" for i in indicators]])
        sheet.set_row(head, 75)
        children = self.ev.current.breakdown.by_area
        for k, key in enumerate(keys, start=head + 1):
            sheet.write_string(k, 0, self._area_label(key), self.f["cell"])
            sheet.write_number(k, 1, children.get(key, 0), self.f["num"])
            for j, indicator in enumerate(indicators, start=2):
                count = current.by_area.get(key, {}).get(indicator.id, Count(0, 0))
                self._write_value(sheet, k, j, indicator, count)
        last = head + len(keys)
        name = _t("report.sheet.areas." + kind)
        chart_col = 2 + len(indicators) + 1
        height = max(300, 18 * len(keys) + 80)
        charts = [(1, _t(f"report.chart.children_by_area.{kind}"))]
        rates = [j for j, i in enumerate(indicators, start=2) if i.is_rate][:2]
        charts += [(j, indicators[j - 2].name) for j in rates]
        for n, (col, title) in enumerate(charts):
            chart = self.book.add_chart({"type": "bar"})
            chart.add_series({
                "name": title,
                "categories": [name, head + 1, 0, last, 0],
                "values": [name, head + 1, col, last, col],
                "data_labels": {"value": True},
            })
            chart.set_title({"name": title, "name_font": {"size": 11}})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 520, "height": height})
            sheet.insert_chart(head + n * (height // 20 + 2), chart_col, chart)
        self._print_setup(sheet, header_rows=(head, head))

    # --- age groups and circumstances ---------------------------------------------------
    def groups(self) -> None:
        name = _t("report.sheet.groups")
        sheet = self.book.add_worksheet(name)
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, 1, 80)
        sheet.set_column(2, 2, 12)
        row = self._title(sheet, 2)
        b = self.ev.current.breakdown
        group_codes = {"special": "DB", "at_risk": "NC", "other": "KH"}
        tables = [
            ("report.chart.by_age", [
                (f"{lo}-{hi}", _t("report.age_group", low=lo, high=hi), n)
                for (lo, hi), n in zip(AGE_GROUPS, b.by_age, strict=True)]),
            ("report.chart.by_group", [
                (code, _t(f"report.group.{g}"), b.by_group.get(g, 0))
                for g, code in group_codes.items()]),
            ("report.chart.by_code", [
                (e.code, e.name, b.by_circumstance.get(e.code, 0))
                for e in self.names.entries("circumstances")]),
        ]
        for title_key, rows in tables:
            title = _t(title_key)
            sheet.write_string(row, 0, title, self.f["section"])
            self._headers(sheet, row + 1, [_t("report.col.code"), _t("report.col.group"),
                                           _t("report.col.children")])
            first = row + 2
            for k, (code, label, n) in enumerate(rows):
                sheet.write_string(first + k, 0, code, self.f["center"])
                sheet.write_string(first + k, 1, label, self.f["cell"])
                sheet.write_number(first + k, 2, n, self.f["num"])
            last = first + len(rows) - 1
            chart = self.book.add_chart({"type": "bar"})
            chart.add_series({"name": title, "categories": [name, first, 0, last, 0],
                              "values": [name, first, 2, last, 2],
                              "data_labels": {"value": True}})
            chart.set_title({"name": title, "name_font": {"size": 11}})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})
            height = max(200, 18 * len(rows) + 80)
            chart.set_size({"width": 420, "height": height})
            sheet.insert_chart(row, 4, chart)
            row = max(last + 2, row + height // 20 + 1)
        self._print_setup(sheet)

    # --- trend --------------------------------------------------------------------------
    def trend(self) -> None:
        name = _t("report.sheet.trend")
        sheet = self.book.add_worksheet(name)
        periods = self.ev.periods
        indicators = self.ev.plan.indicators
        sheet.set_column(0, 0, 46)
        sheet.set_column(1, 1, 14)
        sheet.set_column(2, 1 + len(periods), 12)
        row = self._title(sheet, 1 + len(periods))
        head = row
        self._headers(sheet, head, [_t("report.col.indicator"), _t("report.col.unit"),
                                    *[p.period.label for p in periods]])
        sheet.set_row(head, 45)
        for k, indicator in enumerate(indicators, start=head + 1):
            sheet.write_string(k, 0, indicator.name, self.f["cell"])
            sheet.set_row(k, 16 * _lines(indicator.name, 46))
            sheet.write_string(k, 1, _unit_text(indicator), self.f["center"])
            for j, figures in enumerate(periods, start=2):
                self._write_value(sheet, k, j, indicator, figures.counts[indicator.id])
        # the targets, one row per indicator and period, for the charts' target lines
        target_head = head + len(indicators) + 2
        sheet.write_string(target_head, 0, _t("report.chart.target_series"), self.f["section"])
        for k, indicator in enumerate(indicators, start=target_head + 1):
            sheet.write_string(k, 0, indicator.name, self.f["cell"])
            sheet.set_row(k, 16 * _lines(indicator.name, 46))
            sheet.write_string(k, 1, indicator.target_text(), self.f["center"])
            for j in range(2, 2 + len(periods)):
                if indicator.target is not None:
                    sheet.write_number(k, j, float(indicator.target), self.f["dec"])
                else:
                    sheet.write_blank(k, j, None, self.f["cell"])
        last_col = 1 + len(periods)
        for n, indicator in enumerate(indicators):
            chart = self.book.add_chart({"type": "line"})
            data_row = head + 1 + n
            chart.add_series({
                "name": [name, data_row, 0], "categories": [name, head, 2, head, last_col],
                "values": [name, data_row, 2, data_row, last_col],
                "marker": {"type": "circle"}, "data_labels": {"value": True},
            })
            if indicator.target is not None:
                target_row = target_head + 1 + n
                chart.add_series({
                    "name": _t("report.chart.target_series"),
                    "categories": [name, head, 2, head, last_col],
                    "values": [name, target_row, 2, target_row, last_col],
                    "line": {"dash_type": "dash", "color": "#C00000"},
                })
            chart.set_title({"name": indicator.name, "name_font": {"size": 10}})
            chart.set_y_axis({"min": 0})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 440, "height": 230})
            # two columns of charts beside the table; the sheet prints on one page
            sheet.insert_chart(head, last_col + 2, chart,
                               {"x_offset": (n % 2) * 450, "y_offset": (n // 2) * 240})
        self._print_setup(sheet)
        sheet.fit_to_pages(1, 1)

    # --- province ranking ---------------------------------------------------------------
    def ranking(self) -> None:
        sheet = self.book.add_worksheet(_t("report.sheet.ranking"))
        widths = (7, 9, 32, 11, 11, 12, 12)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        row = self._title(sheet, len(widths) - 1)
        sheet.merge_range(row, 0, row, len(widths) - 1, _t("report.ranking.note"),
                          self.f["note"])
        row += 2
        current = self.ev.current
        for indicator in self.ev.plan.indicators:
            head = f"{indicator.name} ({_unit_text(indicator)})"
            if indicator.target_text():
                head += f" — {_t('report.col.target').lower()} {indicator.target_text()}"
            sheet.merge_range(row, 0, row, len(widths) - 1, head, self.f["section_wrap"])
            sheet.set_row(row, 16 * _lines(head, sum(widths) * 0.9))
            self._headers(sheet, row + 1, [_t(f"report.col.{c}") for c in (
                "rank", "code", "commune", "numerator", "denominator", "value", "met")])
            row += 2
            for rank, key in enumerate(rank_areas(self.ev, indicator), start=1):
                count = current.by_area[key][indicator.id]
                sheet.write_number(row, 0, rank, self.f["center"])
                sheet.write_string(row, 1, key, self.f["center"])
                sheet.write_string(row, 2, self._area_label(key), self.f["cell"])
                sheet.write_number(row, 3, count.numerator, self.f["num"])
                if indicator.is_rate:
                    sheet.write_number(row, 4, count.denominator, self.f["num"])
                else:
                    sheet.write_string(row, 4, "", self.f["cell"])
                self._write_value(sheet, row, 5, indicator, count)
                sheet.write_string(row, 6, _met_text(indicator, count), self.f["center"])
                row += 1
            row += 1
        self._print_setup(sheet, landscape=False)

    # --- hidden document ----------------------------------------------------------------
    def data(self, document: dict[str, Any]) -> None:
        document["layout"] = {"sheet": _t("report.sheet.main"), "numerator_col": _NUM_COL,
                              "denominator_col": _DEN_COL, "rows": dict(self.rows)}
        text = canonical_json(document)
        sheet = self.book.add_worksheet(_t("report.sheet.data"))
        sheet.write_string(0, 0, _t("report.data.note"))
        sheet.write_string(1, 0, "sha256")
        sheet.write_string(1, 1, digest(document))
        chunks = [text[k:k + _CHUNK] for k in range(0, len(text), _CHUNK)] or [""]
        sheet.write_string(2, 0, "chunks")
        sheet.write_number(2, 1, len(chunks))
        for k, chunk in enumerate(chunks, start=3):
            sheet.write_string(k, 0, str(k - 2))
            sheet.write_string(k, 1, chunk)
        sheet.hide()


def rank_areas(evaluation: Evaluation, indicator: Indicator) -> list[str]:
    """Sub-areas ordered best first for ``indicator`` in the current period.

    Best is the lowest value for "<" / "≤" targets, the highest otherwise; areas
    without a value come last; ties keep the report order.
    """
    current = evaluation.current
    order = evaluation.sub_areas()
    lower = indicator.direction is not None and indicator.direction.lower_is_better

    def key(area: str) -> tuple[int, Fraction]:
        count = current.by_area.get(area, {}).get(indicator.id, Count(0, 0))
        value = indicator.value(count.numerator, count.denominator)
        if value is None:
            return (1, Fraction(0))
        return (0, value if lower else -value)

    return sorted(order, key=key)


def write_evaluation(out: str | os.PathLike[str], evaluation: Evaluation, *,
                     kind: str = "commune", communes: Sequence[str] = (),
                     signature: Signature | None = None,
                     scratch: str | os.PathLike[str] | None = None) -> int:
    """Write the report workbook of ``evaluation`` to ``out`` (atomic, mode 0600).

    ``kind`` is ``"commune"`` or ``"province"`` (then ``communes`` lists the commune
    codes merged and a ranking sheet is added). Returns the number of indicators.
    ``scratch`` is the private scratch root for the partial file (:mod:`exports.scratch`).
    """
    document = to_document(evaluation, kind=kind, communes=list(communes))
    with atomic_path(out, scratch=scratch) as tmp:
        book, styles = new_workbook(tmp)
        writer = _Writer(book, styles, evaluation, kind, communes, signature)
        count = writer.main()
        writer.areas()
        writer.groups()
        writer.trend()
        if kind == "province":
            writer.ranking()
        writer.data(document)
        book.set_properties({"title": messages.text(
            "report.title.province" if kind == "province" else "report.title.commune"),
            "subject": evaluation.plan.name, "comments": "treem"})
        book.close()
    return count


# --- the older interface: counts as of a date -------------------------------------------
@dataclass
class Report:
    """Counts as of a date (the older interface) and the plan's evaluation behind them."""

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
    evaluation: Evaluation | None = None

    def rate(self, count: int, over: int | None = None) -> float:
        """``count`` over ``over`` (default all children), 0 when there is none."""
        base = self.total if over is None else over
        return count / base if base else 0.0

    @property
    def without_verified_id(self) -> int:
        """Children with no ID number or one not yet verified by the police."""
        return self.no_id + self.not_verified


_SUPPORTED = Indicator(
    "special_supported", "", "", Unit.PERCENT,
    numerator=Filter(support=frozenset({"TG01", "TG02", "TG03", "TG04", "TG05"}),
                     support_when=When.EVER),
    denominator=Filter(circumstance=frozenset(f"DB{k:02d}" for k in range(1, 16))))


def compute_report(children: Iterable[Mapping[str, Any]], as_of: date, *,
                   plan: Plan | None = None, area: Area | None = None,
                   periods: int = DEFAULT_PERIODS,
                   on_child: Callable[[], None] | None = None) -> Report:
    """Compute the report of ``children`` (canonical dicts) on ``as_of``.

    The counts follow the rules of :mod:`libchild.indicators.evaluate` with everything
    "ever" up to ``as_of`` (deaths, other circumstances, supports); ``evaluation`` holds
    ``plan`` (default :data:`DEFAULT_PLAN`) over the last ``periods`` periods. A record
    may carry ``id_verified`` (True once the police confirmed the number); without it, a
    record that has a number counts as verified.
    """
    compiled = compile_facts(facts_from_canonical(c) for c in children)
    area = area or Area("", "", "")
    legacy = Plan("legacy", "", "", "", "", "", (_SUPPORTED,))
    figures = evaluate(legacy, compiled, [Period(date(1900, 1, 1), as_of)], area=area).current
    b = figures.breakdown
    report = Report(as_of)
    report.total = b.total
    report.by_sex = Counter({k: v for k, v in b.by_sex.items()})
    report.by_age = Counter(dict(zip(AGE_GROUPS, b.by_age, strict=True)))
    report.by_ethnicity = Counter(dict(b.by_ethnicity))
    report.by_village = Counter(dict(b.by_area))
    report.by_circumstance = Counter({k: v for k, v in b.by_circumstance.items() if v})
    report.special = b.by_group.get("special", 0)
    report.special_supported = figures.counts["special_supported"].numerator
    report.at_risk = b.by_group.get("at_risk", 0)
    report.other = b.by_group.get("other", 0)
    report.no_id = b.total - b.with_personal_id
    report.not_verified = b.with_personal_id - b.id_verified
    report.deceased = b.deceased_in_period
    chosen = plan or load_plans()[DEFAULT_PLAN]
    report.evaluation = evaluate(chosen, compiled, last_periods(as_of, periods), area=area)
    return report


def write_report(out: str | os.PathLike[str], report: Report, *, commune: str,
                 signature: Signature | None = None,
                 scratch: str | os.PathLike[str] | None = None) -> int:
    """Write ``report`` (from :func:`compute_report`) to ``out``; return the rows written.

    ``scratch`` is the private scratch root for the partial file (:mod:`exports.scratch`).

    ``commune`` names the area when the report was computed without one.
    """
    evaluation = report.evaluation
    if evaluation is None:
        raise ValueError("the report has no evaluation: make it with compute_report")
    if not evaluation.area.name:
        evaluation = attrs.evolve(evaluation, area=attrs.evolve(evaluation.area, name=commune))
    return write_evaluation(out, evaluation, signature=signature, scratch=scratch)
