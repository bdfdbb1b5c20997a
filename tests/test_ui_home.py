"""Home: counts of the review lists and every action reachable by a key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tui.app import TreemApp
from tui.screens import load_screen
from tui.screens.home import HomeScreen
from tui.store import accounts, settings
from tui.store.database import open_db
from tui.store.register import Register

SIZE = (80, 24)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A sandbox register with one household: one child without an ID number."""
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    register = Register(db, accounts.sandbox_session(db))
    register.add_village("Bản Púng")
    register.save_household(
        {"book_number": "9", "village": "Bản Púng", "address": "", "poverty": "none"},
        [{"full_name": "Lò Văn Mạnh", "sex": "1", "birth_date": "2016-03-15",
          "ethnicity": "03", "father_name": "Lò Văn Pâng"}],
        [{"full_name": "Lò Văn Pâng", "relation": "father", "personal_id": ""}],
    )
    db.close()
    return path


def test_home_shows_the_count_of_each_review_list(db_path: Path) -> None:
    async def run() -> str:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(50):  # the counts arrive from a worker thread
                await pilot.pause(0.05)
                text = str(app.screen.query_one("#home-counts").render())
                if "Đang đếm" not in text:
                    return text
        return text

    text = asyncio.run(run())
    line = next(row for row in text.splitlines() if "Chưa có số định danh" in row)
    assert line.split()[:2] == ["1", "1"]  # key 1, one child without an ID number


@pytest.mark.parametrize(
    ("key", "screen"),
    [("t", "search"), ("1", "review"), ("r", "review"), ("d", "duplicates"), ("a", "admin"),
     ("k", "keytest"), ("n", "entry")],
)
def test_each_home_key_opens_its_screen(db_path: Path, key: str, screen: str) -> None:
    expected = load_screen(screen)
    if expected is None:
        pytest.skip(f"screen {screen} not installed")

    async def run() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, expected)

    asyncio.run(run())


def test_palette_offers_every_screen_and_review_list(db_path: Path) -> None:
    async def run() -> list[str]:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return [name for name, _help, _cb in app.palette_commands()]

    names = asyncio.run(run())
    assert "Nhập hộ mới" in names
    assert "Rà soát: Chưa có số định danh" in names
    assert "Thử phím" in names and "Thoát" in names
