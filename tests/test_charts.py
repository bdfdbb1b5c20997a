"""Terminal charts: fit 80 columns, only glyphs PuTTY's fonts have, readable without colour."""

from __future__ import annotations

from fractions import Fraction

import pytest
from rich.cells import cell_len

from tui.charts import Bar, ChartStyle, Glyphs, Status, bar_chart, plain, trend_chart

ALLOWED_BLOCK = set("█▌─│")
VILLAGES = [Bar("Bản Nà Sản Phiêng Ban Dưới Xa Xôi", Fraction(85, 100), "0,85% đạt", Status.MET),
            Bar("Tiểu khu 19/5", 2.3, "2,30% chưa đạt", Status.NOT_MET),
            Bar("Bản Ít", None, "—")]
TREND = [("I/2024", 1.2), ("II/2024", 0.9), ("I/2025", None), ("II/2025", 0.7), ("20/08", 1.4)]


def glyphs(lines) -> set[str]:
    """Drawing characters beyond ASCII (Vietnamese letters and the caller's dash aside)."""
    return {ch for line in lines for ch in line.plain
            if ord(ch) > 127 and not ch.isalpha() and ch != "—"}


def test_bars_fit_the_width_and_scale_to_the_largest_value():
    for width in (40, 60, 80):
        lines = bar_chart(VILLAGES, width=width, target=1)
        assert all(cell_len(line.plain) <= width for line in lines)
    lines = bar_chart(VILLAGES, width=80, target=1)
    assert lines[0].plain.count("█") < lines[1].plain.count("█")
    assert "~" in lines[0].plain  # a long village name is cut with a mark
    assert lines[2].plain.rstrip().endswith("—")
    # the target mark stands where a bar does not reach it
    assert "│" in lines[0].plain and "│" in lines[2].plain
    assert glyphs(lines) <= ALLOWED_BLOCK


def test_half_cells_give_two_steps_per_cell():
    lines = bar_chart([Bar("a", 1, "1"), Bar("b", 2, "2")], width=14, maximum=2)
    room = 14 - 1 - 1 - 2
    assert lines[1].plain.count("█") == room
    assert lines[0].plain.count("█") == room // 2 and "▌" not in lines[0].plain
    odd = bar_chart([Bar("a", 3.5, "3,5"), Bar("b", 10, "10")], width=16, maximum=10)
    assert "▌" in odd[0].plain


def test_ascii_fallback_uses_ascii_only_and_no_colour_has_no_styles():
    style = ChartStyle(Glyphs.ASCII, colour=False)
    lines = bar_chart(VILLAGES, width=80, target=1, style=style)
    lines += trend_chart(TREND, width=80, style=style, target=1)
    assert glyphs(lines) == set()
    assert not any(ch in ALLOWED_BLOCK for line in lines for ch in line.plain)
    assert all(not span.style for line in lines for span in line.spans)


def test_colour_marks_met_and_missed_targets_in_the_16_colours():
    lines = bar_chart(VILLAGES, width=80, target=1)
    styles = {str(span.style) for line in lines for span in line.spans}
    assert styles <= {"green", "red", "cyan", ""}
    assert {"green", "red"} <= styles


def test_trend_line_fits_80_by_24_with_its_axis_and_period_labels():
    lines = trend_chart(TREND, width=80, height=8, target=1,
                        value_text=lambda v: f"{float(v):.1f}%")
    assert len(lines) == 10 and all(cell_len(line.plain) <= 80 for line in lines)
    text = plain(lines)
    assert "1.4%" in lines[0].plain and "0.0%" in lines[7].plain
    for label, _ in TREND:
        assert label in lines[-1].plain
    assert text.count("█") == 4  # one point per period with a value; I/2025 has none
    assert "." in text  # the target line
    assert glyphs(lines) <= ALLOWED_BLOCK
    # the highest value sits on the top row, the lowest lower down
    assert "█" in lines[0].plain and "█" not in lines[7].plain


def test_style_from_the_environment():
    assert ChartStyle.from_environment({}) == ChartStyle(Glyphs.BLOCK, colour=True)
    assert ChartStyle.from_environment({"NO_COLOR": "1"}).colour is False
    assert ChartStyle.from_environment({"TREEM_GLYPHS": "ascii"}).glyphs is Glyphs.ASCII


def test_empty_charts_say_so():
    assert plain(bar_chart([])) == "(chưa có số liệu)"
    assert plain(trend_chart([])) == "(chưa có số liệu)"


def test_charts_from_an_evaluation_show_the_workbook_numbers_and_say_met_in_words():
    from datetime import date

    from libchild.indicators import (
        Area,
        ChildFacts,
        Episode,
        ListSource,
        evaluate_last,
        load_plans,
    )
    from tui.charts import age_bars, area_bars, group_bars, trend_points

    plan = load_plans()["son-la-2026"]
    facts = [ChildFacts(date(2018, 1, 1), village="Bản Nà",
                        episodes=(Episode("DB04", date(2025, 9, 1)),))]
    facts += [ChildFacts(date(2012, 1, 1), village=v) for v in ["Bản Nà"] * 9 + ["Bản Mòng"] * 5]
    ev = evaluate_last(plan, ListSource(Area("03808", "Xã Mường La", "14", ("Bản Nà",
                                                                              "Bản Mòng")),
                                        tuple(facts)), date(2026, 6, 30), 4)
    bars = area_bars(ev, "ty_le_dac_biet")
    assert [(b.label, b.text, b.status) for b in bars] == [
        ("Bản Nà", "10,00% chưa đạt", Status.NOT_MET), ("Bản Mòng", "0,00% đạt", Status.MET)]
    target = plan.indicator("ty_le_dac_biet").target
    text = plain(bar_chart(bars, width=80, target=target,
                           style=ChartStyle(Glyphs.ASCII, colour=False)))
    assert "chưa đạt" in text and "|" in text
    assert [b.value for b in age_bars(ev.current.breakdown)] == [0, 0, 1, 14]
    assert [b.value for b in group_bars(ev.current.breakdown)] == [1, 0, 0]
    points, statuses = trend_points(ev, "ty_le_dac_biet")
    assert [p[0] for p in points] == ["II/2024", "I/2025", "II/2025", "I/2026"]
    assert [float(p[1]) for p in points] == [0, 0, pytest.approx(100 / 15), pytest.approx(
        100 / 15)]
    assert statuses == [Status.MET, Status.MET, Status.NOT_MET, Status.NOT_MET]
    lines = trend_chart(points, statuses=statuses, target=target, width=80)
    assert all(cell_len(line.plain) <= 80 for line in lines)
