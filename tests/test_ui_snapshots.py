"""SVG snapshots of the login, home and entry screens at 80x24 (pytest-textual-snapshot).

Regenerate after an intended change with ``pytest tests/test_ui_snapshots.py
--snapshot-update`` and review the SVG diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui.app import TreemApp
from tui.services import Services, accounts
from tui.store import settings
from tui.store.database import open_db

SIZE = (80, 24)


def make_db(path: Path, *, sandbox: bool) -> Path:
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=sandbox)
    if sandbox:
        register = Services(db, accounts.sandbox_session(db))
        register.commune.add_village("Bản Nà Sản")
    else:
        accounts.create_account(db, "cb.lan", "Nguyễn Thị Lan", "officer", "mat-khau-tam-1")
    db.close()
    return path


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    return make_db(tmp_path / "demo.db", sandbox=True)


def test_login_screen(snap_compare: Any, tmp_path: Path) -> None:
    app = TreemApp(make_db(tmp_path / "real.db", sandbox=False))
    assert snap_compare(app, terminal_size=SIZE, press=[*"cb.lan", "enter"])


async def counts_shown(pilot: Any) -> None:
    """Wait for the review counts, which a worker thread computes after the first paint."""
    for _ in range(100):
        await pilot.pause(0.05)
        if "Đang đếm" not in str(pilot.app.screen.query_one("#home-counts").render()):
            return


def test_home_screen(snap_compare: Any, sandbox: Path) -> None:
    assert snap_compare(TreemApp(sandbox), terminal_size=SIZE, run_before=counts_shown)


def test_entry_screen_with_live_validation(snap_compare: Any, sandbox: Path) -> None:
    keys = ["f2", *"0417", "enter", *"na", "enter", "1", "enter", *"Tiểu khu 3", "enter",
            *"Lò Văn Pâng", "enter", "enter", *"Lò Thị Xuân", "enter", "enter", "enter",
            *"Lò Văn Mạnh", "enter", "1", "enter", *"15032099"]
    assert snap_compare(TreemApp(sandbox), terminal_size=SIZE, press=keys)


def test_entry_screen_without_colour(
    snap_compare: Any, sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    keys = ["f2", *"0417", "enter", *"na"]
    assert snap_compare(TreemApp(sandbox), terminal_size=SIZE, press=keys)
