"""Charts for the terminal: horizontal bars and a trend line, as lines of Rich text.

Pure functions, no screen: the report screen, ``treem report`` and tests call them.
Readable at 80x24 in the terminal's 16 colours and under ``NO_COLOR`` (where a met or
missed target is said in words by the caller, never by colour alone).

Glyphs. PuTTY draws with the Windows console fonts (Courier New, Lucida Console,
Consolas); every glyph used here is in all three:

=========  ========  =======  =============================================
role       block     ASCII    note
=========  ========  =======  =============================================
full cell  █ U+2588  ``#``    bars; trend points
half cell  ▌ U+258C  ``+``    a bar's last half cell (two steps per cell)
line       ─ U+2500  ``-``    trend plateaus, the time axis
riser      │ U+2502  ``|``    trend changes between periods; target marks
target     ``.``     ``.``    the target line across a trend chart
cut        ``~``     ``~``    end of a label cut to fit
=========  ========  =======  =============================================

No other glyph (no ▏▎▍ eighths, no ● or box corners): PuTTY's default fonts lack some,
and a missing glyph shows as a box that breaks the alignment. :class:`ChartStyle` picks
the set; :meth:`ChartStyle.from_environment` reads ``NO_COLOR`` and ``TREEM_GLYPHS=ascii``
(the terminal setting for machines whose font lacks the block glyphs).

>>> lines = bar_chart([Bar("Bản Nà", 3, "3"), Bar("Bản Mòng", 6, "6")], width=30,
...                   style=ChartStyle(Glyphs.ASCII, colour=False))
>>> print("\\n".join(line.plain for line in lines))
Bản Nà   #########+          3
Bản Mòng ################### 6
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs
from rich.cells import cell_len
from rich.text import Text

from libchild.indicators import AGE_GROUPS, Breakdown, Count, Evaluation, Indicator
from tui.messages.reports import text as _t

__all__ = [
    "Bar",
    "ChartStyle",
    "Glyphs",
    "Status",
    "age_bars",
    "area_bars",
    "bar_chart",
    "group_bars",
    "plain",
    "status_of",
    "trend_chart",
    "trend_points",
]


class Glyphs(enum.Enum):
    """Which glyph set to draw with (see the module docstring)."""

    BLOCK = "block"
    ASCII = "ascii"


_SETS = {
    Glyphs.BLOCK: {"full": "█", "half": "▌", "line": "─", "riser": "│", "target": ".",
                   "cut": "~"},
    Glyphs.ASCII: {"full": "#", "half": "+", "line": "-", "riser": "|", "target": ".",
                   "cut": "~"},
}


class Status(enum.Enum):
    """A bar's or a point's standing against the target (drives colour only)."""

    MET = "met"
    NOT_MET = "not_met"
    NONE = "none"


_COLOURS = {Status.MET: "green", Status.NOT_MET: "red", Status.NONE: "cyan"}


@attrs.frozen
class ChartStyle:
    """Glyph set and whether to colour (16 ANSI colours only)."""

    glyphs: Glyphs = Glyphs.BLOCK
    colour: bool = True

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> ChartStyle:
        """``NO_COLOR`` (any non-empty value) turns colour off; ``TREEM_GLYPHS=ascii``
        draws with ASCII only."""
        env = os.environ if env is None else env
        ascii_only = env.get("TREEM_GLYPHS", "").strip().lower() == "ascii"
        return cls(Glyphs.ASCII if ascii_only else Glyphs.BLOCK,
                   colour=not env.get("NO_COLOR"))

    def glyph(self, role: str) -> str:
        """The character for ``role`` (full, half, line, riser, target, cut)."""
        return _SETS[self.glyphs][role]

    def paint(self, status: Status) -> str:
        """The Rich style of a bar or point with ``status`` ("" without colour)."""
        return _COLOURS[status] if self.colour else ""


@attrs.frozen
class Bar:
    """One bar: its label, its value (None: no value), the value as text, its status."""

    label: str
    value: float | Fraction | int | None
    text: str
    status: Status = Status.NONE


def _fit(label: str, width: int, style: ChartStyle) -> str:
    """``label`` cut to ``width`` cells (with the cut mark) and padded."""
    if cell_len(label) > width:
        out = ""
        for char in label:
            if cell_len(out + char) > width - 1:
                break
            out += char
        label = out + style.glyph("cut")
    return label + " " * (width - cell_len(label))


def bar_chart(bars: Sequence[Bar], *, width: int = 80, style: ChartStyle | None = None,
              target: float | Fraction | None = None, maximum: float | Fraction | None = None,
              label_width: int | None = None) -> list[Text]:
    """Horizontal bars, one line each: label, bar, value text.

    The scale runs from 0 to ``maximum`` (default: the largest value or the target).
    ``target`` draws a riser mark where a bar does not reach it. Bars have half-cell
    resolution with block glyphs. Every line is at most ``width`` cells.
    """
    style = style or ChartStyle()
    if not bars:
        return [Text(_t("chart.empty"))]
    labels = label_width or min(max(cell_len(b.label) for b in bars), max(8, width // 3))
    texts = max(cell_len(b.text) for b in bars)
    room = max(4, width - labels - texts - 2)
    values = [float(b.value) for b in bars if b.value is not None]
    top = float(maximum) if maximum is not None else max(
        [*values, float(target) if target is not None else 0.0, 0.0])
    top = top or 1.0
    mark = None
    if target is not None and 0 <= float(target) <= top:
        mark = min(room - 1, int(float(target) / top * room))
    lines = []
    for bar in bars:
        line = Text(_fit(bar.label, labels, style) + " ")
        halves = 0 if bar.value is None else round(float(bar.value) / top * room * 2)
        halves = max(0, min(room * 2, halves))
        full, half = divmod(halves, 2)
        cells = style.glyph("full") * full + (style.glyph("half") if half else "")
        filled = len(cells)
        line.append(cells, style=style.paint(bar.status))
        rest = [" "] * (room - filled)
        if mark is not None and mark >= filled:
            rest[mark - filled] = style.glyph("riser")
        line.append("".join(rest) + " ")
        line.append(" " * (texts - cell_len(bar.text)) + bar.text)
        lines.append(line)
    return lines


def trend_chart(points: Sequence[tuple[str, float | Fraction | None]], *, width: int = 80,
                height: int = 6, style: ChartStyle | None = None,
                target: float | Fraction | None = None,
                value_text=lambda v: f"{float(v):g}", statuses: Sequence[Status] = ()
                ) -> list[Text]:
    """A step line of one value over periods, oldest left, with the time axis below.

    ``points`` are (short period label, value or None). Each period is a plateau of
    line glyphs with a full cell at its middle; a riser joins two periods; ``target``
    is a dotted line. The left margin shows the top and bottom of the scale (from 0).
    """
    style = style or ChartStyle()
    if not points:
        return [Text(_t("chart.empty"))]
    values = [float(v) for _, v in points if v is not None]
    top = max([*values, float(target) if target is not None else 0.0, 0.0]) or 1.0
    top_text, zero_text = value_text(top), value_text(0)
    margin = max(cell_len(top_text), cell_len(zero_text)) + 1
    slot = max(3, min(12, (width - margin - 1) // len(points)))
    plot_w = slot * len(points)
    grid = [[" "] * plot_w for _ in range(height)]
    paint = [[""] * plot_w for _ in range(height)]

    def row_of(value: float) -> int:
        return height - 1 - round(value / top * (height - 1))

    if target is not None:
        r = row_of(float(target))
        for c in range(plot_w):
            grid[r][c] = style.glyph("target")
    previous = None
    for k, (_, value) in enumerate(points):
        if value is None:
            previous = None
            continue
        r = row_of(float(value))
        status = statuses[k] if k < len(statuses) else Status.NONE
        for c in range(k * slot, (k + 1) * slot):
            grid[r][c] = style.glyph("line")
            paint[r][c] = style.paint(status)
        middle = k * slot + slot // 2
        grid[r][middle] = style.glyph("full")
        if previous is not None and previous != r:
            c = k * slot
            for rr in range(min(previous, r), max(previous, r) + 1):
                grid[rr][c] = style.glyph("riser")
                paint[rr][c] = ""
        previous = r
    lines = []
    for r in range(height):
        label = top_text if r == 0 else zero_text if r == height - 1 else ""
        line = Text(" " * (margin - 1 - cell_len(label)) + label + style.glyph("riser"))
        run, run_style = "", None
        for c in range(plot_w):
            if paint[r][c] != run_style and run:
                line.append(run, style=run_style or "")
                run = ""
            run_style = paint[r][c]
            run += grid[r][c]
        line.append(run, style=run_style or "")
        lines.append(line)
    lines.append(Text(" " * margin + style.glyph("line") * plot_w))
    axis = ""
    for label, _ in points:
        cut = label if cell_len(label) < slot else label[: slot - 1]
        axis += cut.center(slot)
    lines.append(Text(" " * margin + axis.rstrip()))
    return lines


def plain(lines: Sequence[Text]) -> str:
    """The chart as plain text (no styles), one line per row."""
    return "\n".join(line.plain.rstrip() for line in lines)


# --- bars and points from an evaluation (the same numbers as the workbook) -------------
def status_of(indicator: Indicator, count: Count) -> Status:
    """MET / NOT_MET against the indicator's target, NONE without a target or value."""
    met = indicator.met(count.numerator, count.denominator)
    return Status.NONE if met is None else Status.MET if met else Status.NOT_MET


def _value_text(indicator: Indicator, count: Count) -> str:
    text = indicator.display(count.numerator, count.denominator)
    met = indicator.met(count.numerator, count.denominator)
    return text if met is None else f"{text} {_t('chart.met' if met else 'chart.not_met')}"


def area_bars(evaluation: Evaluation, indicator_id: str) -> list[Bar]:
    """One bar per village (or commune) for an indicator in the current period.

    The value text says "đạt"/"chưa đạt", so the chart reads the same without colour.
    """
    indicator = evaluation.plan.indicator(indicator_id)
    current = evaluation.current
    bars = []
    for key in evaluation.sub_areas():
        count = current.by_area.get(key, {}).get(indicator_id, Count(0, 0))
        label = evaluation.area_names.get(key, key) or "?"
        bars.append(Bar(label, indicator.value(count.numerator, count.denominator),
                        _value_text(indicator, count), status_of(indicator, count)))
    return bars


def age_bars(breakdown: Breakdown) -> list[Bar]:
    """Children per age group (completed years on the reference date)."""
    return [Bar(_t("age_group", low=low, high=high), n, str(n))
            for (low, high), n in zip(AGE_GROUPS, breakdown.by_age, strict=True)]


def group_bars(breakdown: Breakdown) -> list[Bar]:
    """Children per circumstance group (special and at risk on the date, other in the period)."""
    return [Bar(_t(f"group.{group}"), breakdown.by_group.get(group, 0),
                str(breakdown.by_group.get(group, 0)))
            for group in ("special", "at_risk", "other")]


def trend_points(evaluation: Evaluation, indicator_id: str
                 ) -> tuple[list[tuple[str, Fraction | None]], list[Status]]:
    """(short period label, value) per period, oldest first, and each point's status."""
    indicator = evaluation.plan.indicator(indicator_id)
    points, statuses = [], []
    for figures in evaluation.periods:
        count = figures.counts[indicator_id]
        points.append((figures.period.short_label,
                       indicator.value(count.numerator, count.denominator)))
        statuses.append(status_of(indicator, count))
    return points, statuses
