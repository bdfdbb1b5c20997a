"""The report screen: a plan's indicators on the register, against their targets.

``ReportScreen(services)`` shows, for the chosen plan and period, one line per indicator
(value, met / not met in words, change since the previous period) and, below, a text
chart of the highlighted indicator: per village with the target mark, over the periods
(trend line), or the children per age group and per circumstance group. Keys only:
↑/↓ an indicator, F3/P the next plan, F4/[ and F5/] an older / newer period, F6/C the
next chart, PgUp/PgDn scroll a long chart, F2 write the report workbook, Esc back.

The figures come from ``services.reports`` in a worker thread (the screen paints at
once, "Đang tính…" until they arrive) and are kept per plan and date while the screen
is open. Colours are the 16 ANSI ones and never the only signal (``tui.charts``);
``NO_COLOR`` and ``TREEM_GLYPHS=ascii`` are honoured.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from libchild.indicators import Evaluation, Plan, half_year
from libchild.indicators.model import Unit, format_number
from tui import charts
from tui.errors import TreemError
from tui.messages import reports as texts
from tui.services import Services
from tui.services.reports import DEFAULT_PERIODS, IndicatorLine, indicator_lines
from tui.widgets import QuietScreen, StatusBar
from tui.widgets.fields import VietInput

__all__ = ["CHARTS", "ReportScreen", "report_dates"]

_t = texts.text

#: The charts C cycles through, in order.
CHARTS = ("area", "trend", "age", "group")
#: How many earlier half-years [ reaches back.
OLDEST = 9
WIDTH = 78
_NAME, _VALUE, _STATUS, _CHANGE = 36, 18, 9, 11


def report_dates(today: date, count: int = OLDEST + 1) -> list[date]:
    """The dates a report can be made as of: ``today``, then the end of each earlier
    half-year (30 June / 31 December), newest first."""
    dates = [today]
    while len(dates) < count:
        dates.append(half_year(dates[-1]).start - timedelta(days=1))
    return dates


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "~" + " " * (width - 1 - cell_len(out))


def _change_text(line: IndicatorLine) -> str:
    if line.change is None:
        return "—"
    places = 0 if line.unit == Unit.COUNT.value else 2
    sign = "+" if line.change > 0 else ""
    return sign + format_number(line.change, places)


class ReportScreen(QuietScreen[None]):
    """Indicators, targets and charts of one plan for one period."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", _t("key.back"), id="report_back"),
        Binding("f2", "export", _t("key.export"), id="report_export"),
        Binding("f3,p", "next_plan", _t("key.plan"), id="report_plan"),
        Binding("f4,left_square_bracket", "period(1)", _t("key.older"), id="report_older"),
        Binding("f5,right_square_bracket", "period(-1)", _t("key.newer"), id="report_newer"),
        Binding("f6,c", "next_chart", _t("key.chart"), id="report_chart"),
        Binding("up", "move(-1)", show=False, id="report_up"),
        Binding("down", "move(1)", show=False, id="report_down"),
        Binding("pageup", "scroll_chart(-1)", show=False, id="report_pageup"),
        Binding("pagedown", "scroll_chart(1)", show=False, id="report_pagedown"),
    ]

    def __init__(self, services: Services, *, on: date | None = None,
                 plan_id: str | None = None, periods: int = DEFAULT_PERIODS) -> None:
        super().__init__()
        self.services = services
        self.dates = report_dates(on or date.today())
        self.date_index = 0
        self.periods = periods
        self.plans: list[Plan] = []
        self.plan_index = 0
        self.wanted_plan = plan_id
        self.chart = CHARTS[0]
        self.selected = 0
        self.evaluation: Evaluation | None = None
        self.cache: dict[tuple[str, date], Evaluation] = {}
        self.style = charts.ChartStyle.from_environment()
        self._overwrite: Path | None = None

    def compose(self) -> Any:
        yield Static(_t("screen.title"), classes="screen-title")
        yield Static("", id="report-plan", markup=False)
        yield Static("", id="report-head", markup=False)
        yield Static("", id="report-table")
        yield Static("", id="report-detail", classes="screen-hint", markup=False)
        yield Static("", id="report-chart-title", classes="caption", markup=False)
        with VerticalScroll(id="report-chart-box", can_focus=False):
            yield Static("", id="report-chart")
        with Horizontal(id="report-export-row"):
            yield Label(_t("screen.export_label"))
            yield VietInput(id="report-path", field="report_path", disabled=True)
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()
        self.query_one("#report-export-row").display = False
        try:
            self.plans = self.services.reports.plans()
        except TreemError as exc:
            self._fail(exc)
            return
        ids = [p.id for p in self.plans]
        from exports.report import DEFAULT_PLAN

        wanted = self.wanted_plan or DEFAULT_PLAN
        self.plan_index = ids.index(wanted) if wanted in ids else 0
        self._load()

    # --- figures ---------------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        """The plan shown."""
        return self.plans[self.plan_index] if self.plans else None

    @property
    def day(self) -> date:
        """The date the figures are as of."""
        return self.dates[self.date_index]

    def _load(self) -> None:
        plan = self.plan
        if plan is None:
            return
        key = (plan.id, self.day)
        self.query_one("#report-plan", Static).update(
            _cut(_t("screen.plan", plan=plan.name), WIDTH + 2).rstrip())
        if key in self.cache:
            self._show(self.cache[key])
            return
        self.evaluation = None
        self.query_one("#report-head", Static).update(_t("screen.working"))
        self.run_worker(lambda: self._compute(key), thread=True, exclusive=True,
                        group="report", exit_on_error=False)

    def _compute(self, key: tuple[str, date]) -> None:
        try:
            outcome: Any = self.services.reports.evaluate(key[0], key[1], self.periods)
        except TreemError as exc:
            outcome = exc
        finally:
            self.services.end_thread()
        with contextlib.suppress(RuntimeError):  # the app has already closed
            self.app.call_from_thread(self._arrived, key, outcome)

    def _arrived(self, key: tuple[str, date], outcome: Evaluation | TreemError) -> None:
        if isinstance(outcome, TreemError):
            self._fail(outcome)
            return
        self.cache[key] = outcome
        plan = self.plan
        if plan is not None and key == (plan.id, self.day):
            self._show(outcome)

    def _fail(self, exc: TreemError) -> None:
        self.query_one("#report-head", Static).update(str(exc))
        self.query_one(StatusBar).say(str(exc), "error")

    # --- painting --------------------------------------------------------------------
    def _show(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.lines = indicator_lines(evaluation)
        self.selected = min(self.selected, max(0, len(self.lines) - 1))
        previous = evaluation.previous
        self.query_one("#report-head", Static).update(_t(
            "screen.head", area=evaluation.area.name, period=evaluation.current.period.label,
            previous=_t("screen.previous", period=previous.period.label) if previous else ""))
        self._paint_table()
        self._paint_chart()

    def _paint_table(self) -> None:
        text = Text(no_wrap=True, end="")
        text.append("  " + _cut(_t("screen.col.name"), _NAME) + " "
                    + _t("screen.col.value").rjust(_VALUE) + " "
                    + _cut(_t("screen.col.status"), _STATUS) + " "
                    + _t("screen.col.change").rjust(_CHANGE), style="bold")
        if not self.lines:
            text.append("\n" + _t("screen.none"))
        for k, line in enumerate(self.lines):
            chosen = k == self.selected
            text.append("\n")
            text.append(("> " if chosen else "  ") + _cut(line.name, _NAME) + " ",
                        style="reverse" if chosen else "")
            text.append(line.display.rjust(_VALUE) + " ")
            status = (charts.Status.NONE if line.met is None
                      else charts.Status.MET if line.met else charts.Status.NOT_MET)
            word = ("—" if line.met is None
                    else _t("chart.met") if line.met else _t("chart.not_met"))
            text.append(_cut(word, _STATUS), style=self.style.paint(status))
            text.append(" " + _change_text(line).rjust(_CHANGE))
        table = self.query_one("#report-table", Static)
        table.styles.height = len(self.lines) + 1 if self.lines else 2
        table.update(text)

    def _paint_chart(self) -> None:
        evaluation = self.evaluation
        title = self.query_one("#report-chart-title", Static)
        detail = self.query_one("#report-detail", Static)
        body = self.query_one("#report-chart", Static)
        if evaluation is None:
            return
        notes = ""
        if evaluation.no_birth_date:
            notes += _t("screen.no_birth", count=evaluation.no_birth_date)
        withheld = sum(1 for n in evaluation.plan.not_computed
                       if n.reason == _t("withheld"))
        if withheld:
            notes += _t("screen.withheld", count=withheld)
        line = self.lines[self.selected] if self.lines else None
        if line is not None:
            key = "screen.detail" if line.target else "screen.detail_no_target"
            detail.update(_t(key, target=line.target, numerator=line.numerator,
                             denominator=line.denominator, previous=line.previous_display)
                          + ("  " + notes if notes else ""))
        else:
            detail.update(notes)
        breakdown = evaluation.current.breakdown
        if self.chart == "age":
            title.update(_t("screen.chart.age"))
            lines = charts.bar_chart(charts.age_bars(breakdown), width=WIDTH, style=self.style)
        elif self.chart == "group":
            title.update(_t("screen.chart.group"))
            lines = charts.bar_chart(charts.group_bars(breakdown), width=WIDTH,
                                     style=self.style)
        elif line is None:
            title.update("")
            lines = [Text(_t("chart.empty"))]
        else:
            indicator = evaluation.plan.indicator(line.id)
            if self.chart == "area":
                title.update(_t("screen.chart.area", name=line.name))
                lines = charts.bar_chart(charts.area_bars(evaluation, line.id), width=WIDTH,
                                         style=self.style, target=indicator.target)
            else:
                title.update(_t("screen.chart.trend", name=line.name))
                points, statuses = charts.trend_points(evaluation, line.id)
                lines = charts.trend_chart(points, width=WIDTH, style=self.style,
                                           target=indicator.target, statuses=statuses,
                                           value_text=lambda v: format_number(v, 1))
        out = Text(no_wrap=True, end="")
        for k, part in enumerate(lines):
            if k:
                out.append("\n")
            out.append_text(part)
        body.update(out)
        self.query_one("#report-chart-box", VerticalScroll).scroll_home(animate=False)

    # --- actions ---------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        """↑/↓: highlight another indicator (its chart follows)."""
        if self.evaluation is None or not self.lines:
            return
        self.selected = (self.selected + step) % len(self.lines)
        self._paint_table()
        self._paint_chart()

    def action_next_plan(self) -> None:
        """P: the next plan."""
        if self.plans:
            self.plan_index = (self.plan_index + 1) % len(self.plans)
            self.selected = 0
            self._load()

    def action_period(self, step: int) -> None:
        """[ / ]: figures as of an older / newer date."""
        index = self.date_index + step
        if 0 <= index < len(self.dates):
            self.date_index = index
            self._load()

    def action_next_chart(self) -> None:
        """C: the next chart."""
        self.chart = CHARTS[(CHARTS.index(self.chart) + 1) % len(CHARTS)]
        self._paint_chart()

    def action_scroll_chart(self, step: int) -> None:
        """PgUp/PgDn: scroll a chart longer than the screen."""
        box = self.query_one("#report-chart-box", VerticalScroll)
        box.scroll_to(y=max(0, box.scroll_y + step * max(1, box.size.height - 1)),
                      animate=False)

    def action_export(self) -> None:
        """F2: ask where to write the report workbook."""
        if self.evaluation is None:
            return
        row = self.query_one("#report-export-row")
        field = self.query_one("#report-path", VietInput)
        area = self.evaluation.area
        field.value = _t("file_name", commune=area.code or "xa", plan=self.evaluation.plan.id,
                         period=self.evaluation.current.period.key.replace("..", "-"))
        row.display = True
        self._overwrite = None
        field.disabled = False
        field.focus()
        self.query_one(StatusBar).say(_t("screen.export_hint"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the file field: write the workbook (twice to overwrite a file)."""
        event.stop()
        if self.evaluation is None:
            return
        bar = self.query_one(StatusBar)
        text = event.value.strip()
        if not text:
            bar.say(_t("screen.no_path"), "error")
            return
        path = Path(text).expanduser()
        if path.exists() and self._overwrite != path:
            self._overwrite = path
            bar.say(_t("screen.exists", path=path.name), "warning")
            return
        try:
            self.services.reports.export(path, self.evaluation.plan.id,
                                         evaluation=self.evaluation)
        except (TreemError, OSError) as exc:
            bar.say(_t("screen.failed", message=exc), "error")
            return
        except Exception as exc:  # a spreadsheet fault: said, never a crash
            bar.say(_t("screen.failed", message=exc), "error")
            return
        self._close_export()
        bar.say(_t("screen.written", path=path.name))

    def _close_export(self) -> None:
        self.query_one("#report-export-row").display = False
        self.query_one("#report-path", VietInput).disabled = True  # letters are keys again
        self._overwrite = None
        self.set_focus(None)

    def action_back(self) -> None:
        """Esc: close the file question, or leave the screen."""
        if self.query_one("#report-export-row").display:
            self._close_export()
            self.query_one(StatusBar).say("")
            return
        self.dismiss(None)
