"""Textual's own texts (quit prompt, command palette) are shown in Vietnamese (issue 10, item 4)."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from tui.app import TreemApp
from tui.messages import ui
from tui.store import settings
from tui.store.database import open_db

SIZE = (80, 24)

#: Strings Textual itself draws on screens the app reaches; none may appear.
TEXTUAL_ENGLISH = ("Do you want to quit", "to quit the app", "Search for commands",
                   "No matches found")


def _demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    db.close()
    return path


def _screen_text(app: TreemApp) -> str:
    """The characters on the terminal, as drawn (tags of the SVG screenshot removed)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def test_ctrl_c_explains_how_to_quit_in_vietnamese(tmp_path: Path) -> None:
    async def run() -> None:
        app = TreemApp(_demo(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+c")
            await pilot.pause()
            notes = list(app._notifications)
            assert notes, "Ctrl+C shows nothing"
            note = notes[-1]
            assert note.title == ui.QUIT_PROMPT_TITLE
            assert "ctrl+q" in note.message
            shot = _screen_text(app)
            assert not any(s in shot for s in TEXTUAL_ENGLISH)

    asyncio.run(run())


def test_command_palette_speaks_vietnamese(tmp_path: Path) -> None:
    async def run() -> None:
        app = TreemApp(_demo(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            shot = _screen_text(app)
            assert ui.PALETTE_PLACEHOLDER.split()[0] in shot
            await pilot.press(*"zzqx")
            await pilot.pause(1.0)
            shot = _screen_text(app)
            assert ui.PALETTE_NO_MATCHES.split()[0] in shot
            assert not any(s in shot for s in TEXTUAL_ENGLISH)

    asyncio.run(run())


def test_f1_lists_the_keys_of_the_screen_it_was_pressed_on(tmp_path: Path) -> None:
    """Issue 10, item 3: on home F2 opens entry and F4 search; help must not say save/copy."""
    from tui.screens.help import HelpScreen

    async def run() -> None:
        app = TreemApp(_demo(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            body = str(app.screen.query_one("#help-body").render())
            assert "lưu" not in body.lower()  # nothing is saved from home
            assert ui.KEY_ENTRY in body and ui.KEY_SEARCH in body
            await pilot.press("escape", "f2")  # entry: now F2 saves
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            body = str(app.screen.query_one("#help-body").render())
            assert ui.KEY_SAVE in body and ui.KEY_DITTO in body

    asyncio.run(run())
