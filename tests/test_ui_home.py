"""Home: counts of the review lists and every action reachable by a key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tui.app import TreemApp
from tui.screens import load_screen
from tui.screens.home import HomeScreen
from tui.services import Services, accounts
from tui.store import settings
from tui.store.database import open_db

SIZE = (80, 24)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A sandbox register with one household: one child without an ID number."""
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    register = Services(db, accounts.sandbox_session(db))
    register.commune.add_village("Bản Púng")
    register.households.save(
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


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic 400-child demo register: every review list and some duplicates filled."""
    from tui.cli import main

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["demo", "--no-ui", "--children", "400", "--seed", "3", "--db", str(path)]) == 0
    return path


def _home_counts(text: str) -> dict[str, int]:
    """Key (1-6, D) -> count, read from the home screen's counts."""
    return {line.split()[0]: int(line.split()[1].replace(".", ""))
            for line in text.splitlines()}


def test_home_counts_equal_what_each_review_screen_lists(demo_path: Path) -> None:
    """The number beside each list on home is the number of rows its screen shows."""
    from tui.screens.duplicates import DuplicateReviewScreen
    from tui.screens.review import ReviewListScreen
    from tui.widgets.paged_table import PagedTable

    async def wait(pilot: Any, ready: Any) -> None:
        for _ in range(100):
            await pilot.pause(0.05)
            if ready():
                return
        raise AssertionError("never ready")

    async def run() -> tuple[dict[str, int], dict[str, int]]:
        app = TreemApp(demo_path, sandbox=True)
        listed: dict[str, int] = {}
        async with app.run_test(size=SIZE) as pilot:
            counts = app.screen.query_one("#home-counts")
            await wait(pilot, lambda: "…" not in str(counts.render())
                       and "D " in str(counts.render()))
            shown = _home_counts(str(counts.render()))
            for key in ("1", "2", "3", "4", "5", "6", "d"):
                await pilot.press(key)
                expected = ReviewListScreen if key != "d" else DuplicateReviewScreen
                await wait(pilot, lambda expected=expected: isinstance(app.screen, expected))
                table = app.screen.query_one(PagedTable)
                await wait(pilot, lambda table=table, key=key: table.count_known
                           and (key != "d" or app.screen.ready))
                listed[key.upper()] = table.row_count
                await pilot.press("escape")
                await wait(pilot, lambda: isinstance(app.screen, HomeScreen))
        return shown, listed

    shown, listed = asyncio.run(run())
    assert shown == listed
    assert set(shown) == {"1", "2", "3", "4", "5", "6", "D"}
    assert sum(shown.values()) > 0  # the demo plants problems: not a comparison of zeros


def test_f12_opens_the_spreadsheet_screen_and_esc_comes_back(db_path: Path) -> None:
    from tui.screens.transfer import TransferScreen

    async def run() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(app.screen, TransferScreen)
            footer = " ".join(d for _k, d, _e in _footer_keys(app.screen))
            assert "Thực hiện" in footer and "Quay lại" in footer
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            names = {name: cb for name, _help, cb in app.palette_commands()}
            names["Xuất/nhập bảng tính Excel"]()
            await pilot.pause()
            assert isinstance(app.screen, TransferScreen)

    asyncio.run(run())


def _footer_keys(screen: Any) -> list[tuple[str, str, bool]]:
    from tui.widgets.quiet import _signature

    return list(_signature(screen))


def test_home_fits_80x24_with_every_action(demo_path: Path) -> None:
    """Every count and action line is on screen above the status bar, none wrapped."""
    async def run() -> None:
        app = TreemApp(demo_path, sandbox=True)
        async with app.run_test(size=SIZE) as pilot:
            counts = app.screen.query_one("#home-counts")
            for _ in range(100):
                await pilot.pause(0.05)
                if "D " in str(counts.render()) and "…" not in str(counts.render()):
                    break
            await pilot.pause()
            bottom = app.screen.query_one(".bottom-bar").region.y
            for name, lines in (("#home-counts", 7), ("#home-action-list", 12)):
                widget = app.screen.query_one(name)
                assert str(widget.render()).count("\n") + 1 == lines
                assert widget.region.height == lines, name  # nothing wrapped
                assert widget.region.bottom <= bottom and widget.region.right <= 80, name
                assert all(len(row) <= widget.content_region.width
                           for row in str(widget.render()).splitlines()), name

    asyncio.run(run())


def test_a_register_without_villages_says_where_to_add_them(tmp_path: Path) -> None:
    """A register fresh from ``treem init`` has no village: home says F7 → 2 before the
    officer finds an empty Thôn field; once a village exists the line goes."""
    path = tmp_path / "fresh.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    db.close()

    async def run() -> tuple[str, str]:
        app = TreemApp(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            before = str(screen.query_one("#home-setup").render())
            screen.services.commune.add_village("Bản Púng")
            screen.refresh_data()
            await pilot.pause()
            return before, str(screen.query_one("#home-setup").render())

    before, after = asyncio.run(run())
    assert "F7 → 2" in before and "thôn/xóm" in before
    assert after.strip() == ""


def test_key_v_leads_an_administrator_to_the_village_form_in_one_key(tmp_path: Path
                                                                   ) -> None:
    """Issue 10 (first run): on a register without villages home tells the administrator
    to press V, and V opens the village page with its add form; an officer, who may not
    add villages, is told who does and V does nothing."""
    from tui.domain import Role
    from tui.screens.admin import AdminScreen

    path = tmp_path / "fresh.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=False)
    accounts.create_account(db, "quantri", "Lò Văn Quản", Role.ADMINISTRATOR,
                            "matkhau-quan-tri", must_change_password=False)
    accounts.create_account(db, "canbo", "Cán Bộ", Role.OFFICER, "matkhau-can-bo",
                            must_change_password=False)
    db.close()

    async def run(username: str, password: str) -> tuple[str, type, str]:
        app = TreemApp(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(*username, "enter")
            await pilot.pause()
            await pilot.press(*password, "enter")
            for _ in range(20):
                await pilot.pause(0.05)
                if isinstance(app.screen, HomeScreen):
                    break
            assert isinstance(app.screen, HomeScreen)
            setup = str(app.screen.query_one("#home-setup").render())
            await pilot.press("v")
            await pilot.pause()
            screen = app.screen
            focused = ""
            if isinstance(screen, AdminScreen):
                focused = getattr(app.focused, "id", "") or ""
                await pilot.press(*"Bản Púng", "enter")
                await pilot.pause()
                assert [v.name for v in screen.villages] == ["Bản Púng"]
            return setup, type(screen), focused

    setup, screen, focused = asyncio.run(run("canbo", "matkhau-can-bo"))
    assert "quản trị viên thêm ở F7" in setup and "nhấn V" not in setup
    assert screen is HomeScreen
    setup, screen, focused = asyncio.run(run("quantri", "matkhau-quan-tri"))
    assert "nhấn V" in setup
    assert screen.__name__ == "AdminScreen" and focused == "admin-village_name"


def test_a_window_too_small_says_so_and_the_size_needed(db_path: Path) -> None:
    """Issue 10, item 15: home and the entry form are laid out down to 60x20 (see
    test_ui_compact); below that, and on the other screens below 80x24, the officer is told
    the window is too small and what it needs."""
    from tui.screens.entry import EntryScreen
    from tui.widgets.quiet import TooSmallNotice

    def notice(app: TreemApp) -> str:
        found = app.screen.query(TooSmallNotice)
        return str(found.first().render()) if found else ""

    async def run() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=(58, 18)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            text = notice(app)
            assert "58 cột, 18 dòng" in text and "60 cột, 20 dòng" in text
            await pilot.resize_terminal(60, 20)
            await pilot.pause()
            assert notice(app) == ""
            await pilot.press("t")  # search: laid out for 80x24 only
            await pilot.pause()
            assert "80 cột, 24 dòng" in notice(app)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen)
            assert notice(app) == ""
            await pilot.resize_terminal(58, 18)
            await pilot.pause()
            assert "60 cột, 20 dòng" in notice(app)
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert notice(app) == ""
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert notice(app) == ""  # home was resized while the form was on top

    asyncio.run(run())


def test_no_footer_key_is_cut_on_any_main_screen(db_path: Path) -> None:
    """A key whose text reaches under the palette key was cut ("f9 Gõ dấ"); the
    palette key's own margin must count too. Home, entry and administration at 80x24."""
    from textual.widgets._footer import FooterKey

    async def run() -> list[tuple[str, int, int]]:
        app = TreemApp(db_path)
        out = []
        async with app.run_test(size=SIZE) as pilot:
            for keys in ([], ["f2"], ["escape", "f7"]):
                await pilot.press(*keys)
                await pilot.pause(0.3)
                found = app.screen.query(FooterKey)
                palette = found.filter(".-command-palette").first().region.x
                out += [(key.description, key.region.right, palette) for key in found
                        if not key.has_class("-command-palette")]
        return out

    for description, right, palette_x in asyncio.run(run()):
        assert right <= palette_x, description
