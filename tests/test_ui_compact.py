"""Home and the entry form at 60x20 (issue 10, item 15: "At 60x20 the birth date and half
of the home actions are clipped with no notice"): every home action and every entry field,
label and input, is whole on the screen; at 80x24 the layout is the one of the snapshots.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from tui.app import TreemApp
from tui.messages import ui
from tui.screens.entry import EntryScreen
from tui.screens.entry_form import FIELDS
from tui.screens.home import HomeScreen
from tui.services import Services, accounts
from tui.store import settings
from tui.store.database import open_db
from tui.widgets.quiet import TooSmallNotice

SMALL = (60, 20)
BOTTOM_BAR_ROWS = 2  # status bar and footer, docked at the bottom



def _lines(app: TreemApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _home_actions() -> list[str]:
    """Every action home lists for an administrator: key column and label."""
    return [f"{key:<7}{label}" for key, label in (
        ("F2/N", ui.CMD_ENTRY[0]), ("F4/T", ui.CMD_SEARCH[0]), ("F5/R", ui.KEY_REVIEW),
        ("F6/D", ui.CMD_DUPLICATES[0]), ("F7/A", ui.CMD_ADMIN[0]),
        ("F12/X", ui.HOME_TRANSFER), ("F11/B", ui.HOME_REPORT), ("P", ui.KEY_RECHECK),
        ("F10/K", ui.CMD_KEYTEST[0]), ("F9", ui.CMD_COMPOSE[0]),
        ("Ctrl+P", ui.KEY_PALETTE), ("Ctrl+Q", ui.KEY_QUIT),
    )]


def test_every_home_action_is_whole_at_60x20(db_path: Path) -> None:
    async def run() -> list[str]:
        app = TreemApp(db_path)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert not app.screen.query(TooSmallNotice)
            return _lines(app)

    lines = asyncio.run(run())
    body = lines[:SMALL[1] - BOTTOM_BAR_ROWS]
    for action in _home_actions():
        assert any(action in line for line in body), (action, "\n".join(lines))
    # the six review lists and the duplicate count are there too, whole
    assert sum(1 for line in body if line[1:2] in "123456D" and line[2:3] == " ") >= 7


def test_every_entry_field_is_whole_at_60x20(db_path: Path) -> None:
    """Focus each field in turn (the adults beyond the second scroll in): its label and
    its input lie inside the 60 columns, above the status bar, and the label reads whole
    on its line."""

    async def run() -> list[tuple[str, str, int, int, bool]]:
        app = TreemApp(db_path)
        found = []
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, EntryScreen)
            assert not screen.query(TooSmallNotice)
            for spec in FIELDS:
                field = screen.query_one(f"#f-{spec.name}", Input)
                field.focus()
                await pilot.pause()
                siblings = list(field.parent.children)  # label, input, note per field
                label = siblings[siblings.index(field) - 1]
                assert isinstance(label, Label)
                text = str(label.render()).strip()
                label_region = screen.find_widget(label).region
                input_region = screen.find_widget(field).region
                row = _lines(app)[label_region.y]
                found.append((spec.name, text, max(label_region.right, input_region.right),
                              max(label_region.bottom, input_region.bottom), text in row))
        return found

    limit_rows = SMALL[1] - BOTTOM_BAR_ROWS
    for name, text, right, bottom, whole in asyncio.run(run()):
        assert right <= SMALL[0], (name, text, right)
        assert bottom <= limit_rows, (name, text, bottom)
        assert whole, (name, text)


def test_home_and_entry_keep_their_80x24_layout(db_path: Path) -> None:
    """The compact layout is only for small windows: at 80x24 the actions stand beside
    the lists and the child's first row holds name, sex and birth date."""

    async def run() -> tuple[list[str], list[str]]:
        app = TreemApp(db_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            home = _lines(app)
            await pilot.press("n")
            await pilot.pause()
            return home, _lines(app)

    home, entry = asyncio.run(run())
    assert any("Danh sách cần rà soát" in line and "Thao tác" in line for line in home)
    assert any(line.startswith("Họ tên") and "Giới tính" in line and "Ngày sinh" in line
               for line in entry)


@pytest.mark.parametrize("case", ["no village", "drafts"])
def test_the_no_village_line_or_the_drafts_line_shows_whole_at_60x20(
        tmp_path: Path, case: str) -> None:
    """The line that sends the administrator of a register without villages to key V,
    or the pending-drafts line, must not fall under the status bar."""
    path = tmp_path / "fresh.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    services = Services(db, accounts.sandbox_session(db))
    if case == "drafts":
        services.commune.add_village("Bản Nà Sản")
        services.drafts.save("entry:new", {"full_name": "Lò Thị Nháp"})
    db.close()

    async def run() -> list[str]:
        app = TreemApp(path)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            return _lines(app)

    body = asyncio.run(run())[:SMALL[1] - BOTTOM_BAR_ROWS]
    wanted = (ui.HOME_NO_VILLAGE_ADMIN if case == "no village"
              else ui.HOME_DRAFTS_SHORT.format(count=1))
    assert any(wanted in line for line in body), "\n".join(body)
    for action in _home_actions():
        assert any(action in line for line in body), action
