"""The status bar at 80 columns: a long message wraps between words, nothing is cut."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.geometry import Region

from tests.test_ui_entry import db_path, open_entry  # noqa: F401 (fixture)
from tui.app import TreemApp
from tui.messages import ui
from tui.widgets import StatusBar

SIZE = (80, 24)


def shown(bar: StatusBar) -> list[str]:
    """The rows the status bar paints, as text."""
    region = Region(0, 0, bar.size.width, bar.size.height)
    return [strip.text.rstrip() for strip in bar.render_lines(region)]


def test_a_long_instruction_is_shown_whole_at_80_columns(db_path: Path) -> None:  # noqa: F811
    async def run() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await open_entry(pilot)
            bar = app.screen.query_one(StatusBar)
            bar.say(ui.CHILD_ADDED.format(n=1))
            await pilot.pause()
            rows = shown(bar)
            words = " ".join(rows).split()
            for word in ui.CHILD_ADDED.format(n=1).split():
                assert word in words, (word, rows)
            assert all(len(row) <= 80 for row in rows)
            # The identity row (typing mode) stays visible under the message.
            assert rows[-1].startswith("Gõ:")
            bar.say("")
            await pilot.pause()
            assert len(shown(bar)) == 1

    asyncio.run(run())


def test_save_blocked_names_the_mark_not_a_colour() -> None:
    text = ui.SAVE_BLOCKED.format(count=3)
    assert "ô tô" not in text and "đỏ" not in text
    assert "✗" in text


def test_a_table_cell_too_narrow_is_cut_between_words() -> None:
    from tui.widgets.paged_table import _fit

    assert _fit("Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt", 30) == (
        "Trẻ em có nguy cơ rơi vào …   ")
    assert _fit("Thiếu cha/mẹ/người chăm sóc", 16) == "Thiếu cha/mẹ/…  "
    # One long word cannot be cut between words: cut it, marked.
    assert _fit("x" * 40, 10) == "x" * 9 + "…"
    assert _fit("ngắn", 10) == "ngắn      "
