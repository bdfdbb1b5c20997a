"""Login, lockout, the first-login password change, the idle lock, help and the key test."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from tui.app import HOLD_KEYS_S, TreemApp
from tui.messages import ui
from tui.screens.entry import EntryScreen
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.keytest import KeyTestScreen
from tui.screens.login import LoginScreen, SandboxLockScreen, UnlockScreen
from tui.services import accounts
from tui.store import settings
from tui.store.database import open_db

SIZE = (80, 24)
PASSWORD = "mat-khau-tam-1"
NEW_PASSWORD = "mat-khau-moi-2"


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


@pytest.fixture
def real_db(tmp_path: Path) -> Path:
    """A real (not sandbox) register with one officer who has never logged in."""
    path = tmp_path / "register.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=False, idle_timeout_min=15)
    accounts.create_account(db, "cb.lan", "Nguyễn Thị Lan", "officer", PASSWORD)
    db.close()
    return path


def message(app: TreemApp) -> str:
    return str(app.screen.query_one("#login-message").render())


async def log_in(pilot: Any, username: str, password: str) -> None:
    await pilot.press(*username, "enter", *password, "enter")
    await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after the last Enter wait for the hold


@sync
async def test_first_login_forces_a_new_password_then_opens_home(real_db: Path) -> None:
    app = TreemApp(real_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await log_in(pilot, "cb.lan", PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert "mật khẩu mới" in message(app)
        await pilot.press(*NEW_PASSWORD, "enter", *"khac-han-9", "enter")
        await pilot.pause()
        assert message(app) == ui.PASSWORD_MISMATCH
        await pilot.press(*NEW_PASSWORD, "enter", *NEW_PASSWORD, "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        place = str(app.screen.query_one("#home-place").render())
        assert "Xã Mường La" in place and "Nguyễn Thị Lan" in place


@sync
async def test_wrong_passwords_then_a_growing_delay(real_db: Path, monkeypatch) -> None:
    # a long delay after the third failure, so that slow typing on a busy machine cannot
    # outlast it (the delays themselves are tested with an injected clock)
    monkeypatch.setattr(accounts, "login_delay_s", lambda failures: 600 * (failures >= 3))
    app = TreemApp(real_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await log_in(pilot, "cb.lan", "sai-mat-khau")
        assert "không đúng" in message(app)
        for _ in range(2):
            await pilot.press(*"sai-mat-khau", "enter")
            await pilot.pause()
        assert "không đúng" in message(app)
        # Even the right password waits for the delay (the account itself is not locked).
        await pilot.press(*PASSWORD, "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "chờ" in message(app) and "giây" in message(app)


@sync
async def test_idle_session_locks_and_keeps_the_form(real_db: Path) -> None:
    db = open_db(real_db)
    accounts.change_password(db, "cb.lan", PASSWORD, NEW_PASSWORD)
    db.close()
    app = TreemApp(real_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await log_in(pilot, "cb.lan", NEW_PASSWORD)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        await pilot.press(*"0417", "enter")
        # Fifteen minutes pass without a key.
        app._last_activity = time.monotonic() - 16 * 60
        app.session.last_active = time.monotonic() - 16 * 60
        app._check_idle()
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"sai", "enter")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*NEW_PASSWORD, "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen._inputs["book_number"].value == "0417"
        assert not app.session.expired


@sync
async def test_sandbox_opens_home_without_login(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    db.close()
    app = TreemApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert ui.SANDBOX_TAG in str(app.screen.query_one("StatusBar").render())


@sync
async def test_f1_shows_help_of_the_focused_field(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    db.close()
    app = TreemApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        app.screen._inputs["birth_date"].focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = str(app.screen.query_one("#help-body").render())
        assert "15032016" in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)


@sync
async def test_key_test_screen_lists_keys_not_yet_received(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    db.close()
    app = TreemApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, KeyTestScreen)
        await pilot.press("f2", "ctrl+s", "shift+tab")
        missing = str(app.screen.query_one("#keytest-missing").render())
        assert "f2" not in missing.split() and "shift+tab" not in missing
        assert "f4" in missing
        assert "shift+tab" in str(app.screen.query_one("#keytest-log").render())
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@sync
async def test_command_palette_finds_actions_typed_without_diacritics(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    db.close()
    app = TreemApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"nhap ho")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)


@sync
async def test_ctrl_l_hides_the_screen_and_says_it_was_locked_by_hand(real_db: Path) -> None:
    """Issue 10, item 10: nothing of the register shows behind the lock; the wording fits."""
    import html
    import re

    db = open_db(real_db)
    accounts.change_password(db, "cb.lan", PASSWORD, NEW_PASSWORD)
    db.close()
    app = TreemApp(real_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await log_in(pilot, "cb.lan", NEW_PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        hint = str(app.screen.query_one("#unlock-hint").render())
        assert "lâu không thao tác" not in hint and "Ctrl+L" in hint
        svg = app.export_screenshot()
        shown = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
        assert "Xã Mường La" not in shown  # the home screen underneath is hidden
        assert "Nhập hộ" not in shown


def shown(app: TreemApp) -> str:
    """The text of the whole screen as the person sees it (screens below included)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def search_results(pilot: Any, app: TreemApp) -> Any:
    """Open the search (F4 on home), find "lo van"; the screen, results on it."""
    from tui.screens.search import DEBOUNCE_S, SearchScreen

    await pilot.press("f4")
    await pilot.pause()
    await pilot.press(*"lo van")
    await pilot.pause(DEBOUNCE_S + 0.3)
    assert isinstance(app.screen, SearchScreen)
    text = shown(app)
    assert "Lò Văn Páo" in text and "15/03/2015" in text
    return app.screen


async def stays_covered(pilot: Any, app: TreemApp, lock: type, keys: tuple[str, ...]) -> None:
    """The lock screen stays on top, hiding the child, before and after each of ``keys``."""
    for key in ("", *keys):
        if key:
            await pilot.press(key)
            await pilot.pause(0.1)
        assert isinstance(app.screen, lock), key
        text = shown(app)
        assert "Lò Văn Páo" not in text and "15/03/2015" not in text, key


@sync
async def test_ctrl_l_over_search_results_hides_names_and_birth_dates(tmp_path: Path) -> None:
    """Issue 10, item 10: names and birth dates of search results are not visible behind
    the lock; nothing (palette, help) opens over it; the password brings the results back."""
    from test_store_review import PASSWORD as OFFICER_PASSWORD
    from test_store_review import add_child, make_register

    register = make_register(tmp_path)
    add_child(register)
    app = TreemApp(services=register)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        search = await search_results(pilot, app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        hint = str(app.screen.query_one("#unlock-hint").render())
        assert hint == ui.UNLOCK_HINT_MANUAL.format(user="canbo.xa")
        await stays_covered(pilot, app, UnlockScreen, ("ctrl+p", "f1", "ctrl+l"))
        await pilot.press(*OFFICER_PASSWORD, "enter")
        await pilot.pause()
        assert app.screen is search and "Lò Văn Páo" in shown(app)


@sync
async def test_ctrl_l_on_the_demo_covers_the_screen_and_enter_opens_it(tmp_path: Path) -> None:
    """Issue 10, item 10: the demo logs in without a password; Ctrl+L covers it all the
    same (it did nothing) and says Enter opens it again."""
    from tui.services import Services

    path = tmp_path / "demo.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    demo = Services(db, accounts.sandbox_session(db))
    demo.children.save({"personal_id": "014215001234", "full_name": "Lò Văn Páo", "sex": "1",
                        "birth_date": "2015-03-15", "ethnicity": "03", "nationality": "VN",
                        "schooling": "04"})
    db.close()
    app = TreemApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        search = await search_results(pilot, app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, SandboxLockScreen)
        assert str(app.screen.query_one("#unlock-hint").render()) == ui.UNLOCK_HINT_SANDBOX
        await stays_covered(pilot, app, SandboxLockScreen,
                            ("ctrl+p", "f1", "escape", *"abc"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is search and "Lò Văn Páo" in shown(app)


@sync
async def test_ctrl_l_on_a_trainees_seat_asks_the_trainees_password(tmp_path: Path) -> None:
    """A training seat is a sandbox entered with a password: Ctrl+L locks it like a
    register (not the demo's Enter-to-open cover)."""
    from tui.services import training as sessions

    started = sessions.start_session(tmp_path / "buoi", "01-ho-dau-tien", 1)
    (username, password), = started.passwords
    seat = sessions.join_session(started.session.folder, username)
    app = TreemApp(seat.register, sandbox=True, seat=seat)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*password, "enter")
        await pilot.pause(HOLD_KEYS_S + 0.1)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("enter")  # an empty password does not open it
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*password, "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
