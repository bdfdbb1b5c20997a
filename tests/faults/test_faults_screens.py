"""Item 3 of issue 9, on the screens: stored text holding terminal escapes or Textual
markup (written to the database behind the app's back) is shown visibly escaped, never
sent to the terminal raw and never read as markup."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from test_store_review import add_child, make_register
from test_ui_review import host

from tui.formatting import shown
from tui.screens.detail import ChildDetailScreen
from tui.screens.search import DEBOUNCE_S, SearchScreen
from tui.widgets.paged_table import PagedTable

HOSTILE = "Lò\x1b]0;pwned\x07\x1b[2J [red]Páo[/red] [bold]"
VISIBLE = "Lò\\u001b]0;pwned\\u0007\\u001b[2J [red]Páo[/red] [bold]"


def _plant(tmp_path: Path) -> tuple[Any, int]:
    register = make_register(tmp_path)
    child_id = add_child(register, full_name="Lò Văn Páo", personal_id="014215003333")
    register.db.execute_sql("UPDATE child SET full_name = ? WHERE id = ?",
                            (HOSTILE, child_id))  # behind the app's back
    return register, child_id


def _screen_text(app: Any) -> str:
    """Every character the screen would send, as the compositor lays them out."""
    return "\n".join("".join(seg.text for seg in strip)
                     for strip in app.screen._compositor.render_strips())


def test_shown_escapes_controls_and_keeps_markup_literal():
    text = shown(HOSTILE)
    assert text.plain == VISIBLE
    assert not text.spans  # "[red]" did not become a style


def test_detail_screen_shows_a_hostile_stored_name_visibly(tmp_path: Path) -> None:
    register, child_id = _plant(tmp_path)

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.app.push_screen(ChildDetailScreen(register, child_id))
            await pilot.pause()
            painted = _screen_text(app)
            assert "\x1b" not in painted and "\x07" not in painted
            assert "Lò\\u001b]0;pwned" in painted
            assert "[red]Páo[/red]" in painted and "[bold]" in painted

    asyncio.run(body())


def test_search_list_shows_a_hostile_stored_name_visibly(tmp_path: Path) -> None:
    register, _ = _plant(tmp_path)

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.app.push_screen(SearchScreen(register))
            await pilot.pause()
            await pilot.press(*"014215003333")
            await pilot.pause(DEBOUNCE_S + 0.25)
            table = app.screen.query_one(PagedTable)
            assert len(table.visible_rows) == 1
            painted = _screen_text(app)
            assert "\x1b" not in painted and "\x07" not in painted
            assert "Lò\\u001b]0;pwned\\u0007" in painted  # cut to the column's width

    asyncio.run(body())
