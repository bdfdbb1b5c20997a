"""SVG snapshots at 80x24 of the review list, search, detail, step-5 editor, duplicate
review and administration screens (pytest-textual-snapshot).

Regenerate after an intended change with ``pytest tests/test_ui_review_snapshots.py
--snapshot-update`` and review the SVG diff. Dates and times are pinned so that the
pictures do not change from one day to the next.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register

from tui.app import TreemApp
from tui.services import Services
from tui.services.duplicates import clear_cache

SIZE = (80, 24)
ON = date(2026, 11, 23)
MOMENT = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


@pytest.fixture
def vietnam_time() -> Iterator[None]:
    """Local time is Vietnam's (UTC+7) whatever the test machine's zone."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Ho_Chi_Minh"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             vietnam_time: None) -> tuple[Services, dict[str, int]]:
    monkeypatch.setattr("tui.store.clock.now", lambda: MOMENT)
    clear_cache()
    reg = make_register(tmp_path)
    village = reg.commune.add_village("Bản Nà Lo")
    ids = {
        "no_id": add_child(reg, personal_id=None, village_id=village),
        "typo": add_child(reg, personal_id=None, full_name="Lo Van Pao", mother_name=None),
        "db14": add_child(reg, personal_id="014315009999", full_name="Lò Văn Ún",
                          circumstances=[{"code": "DB14", "start": "2025-01-05"}],
                          supports=[{"form": "TG01", "date": "2025-02-10"}]),
    }
    return reg, ids


def app_with(register: Services, make_screen: Any) -> tuple[TreemApp, Any]:
    app = TreemApp(services=register)

    async def run_before(pilot: Any) -> None:
        await pilot.app.push_screen(make_screen())
        await pilot.pause(0.3)

    return app, run_before


def test_review_list(snap_compare: Any, register: Any) -> None:
    from tui.screens.review import ReviewListScreen

    reg, _ = register
    app, before = app_with(reg, lambda: ReviewListScreen(reg, "no_id", on=ON))
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_search(snap_compare: Any, register: Any) -> None:
    from tui.screens.search import SearchScreen

    reg, _ = register
    app, before = app_with(reg, lambda: SearchScreen(reg))

    async def typed(pilot: Any) -> None:
        await before(pilot)
        await pilot.press(*"lo van")
        await pilot.pause(0.5)

    assert snap_compare(app, terminal_size=SIZE, run_before=typed)


def test_child_detail(snap_compare: Any, register: Any) -> None:
    from tui.screens.detail import ChildDetailScreen

    reg, ids = register
    app, before = app_with(reg, lambda: ChildDetailScreen(reg, ids["db14"], on=ON))
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_step5_editor(snap_compare: Any, register: Any) -> None:
    from tui.screens.circumstances import CircumstanceEditorScreen

    reg, ids = register
    app, before = app_with(reg, lambda: CircumstanceEditorScreen(reg, ids["db14"]))
    assert snap_compare(app, terminal_size=SIZE, run_before=before, press=["f4"])


def test_duplicate_review(snap_compare: Any, register: Any) -> None:
    from tui.screens.duplicates import DuplicateReviewScreen

    reg, _ = register
    app, before = app_with(reg, lambda: DuplicateReviewScreen(reg))

    async def ready(pilot: Any) -> None:
        await before(pilot)
        for _ in range(50):
            if getattr(pilot.app.screen, "ready", False):
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_administration(snap_compare: Any, register: Any) -> None:
    from tui.screens.admin import AdminScreen

    reg, _ = register
    app, before = app_with(reg, lambda: AdminScreen(reg))
    assert snap_compare(app, terminal_size=SIZE, run_before=before)
