"""Administration: users (administrator only), the village list, commune settings."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from test_store_review import make_register
from test_ui_review import host

from tui.app import HOLD_KEYS_S
from tui.errors import PasswordChangeRequired, PermissionDenied
from tui.screens.admin import AdminScreen, role_of
from tui.services import Services
from tui.services.accounts import login
from tui.services.users import Account
from tui.widgets.paged_table import PagedTable


@pytest.fixture
def register(tmp_path: Path) -> Services:
    reg = make_register(tmp_path)
    reg.commune.add_village("Bản Nà Lo")
    reg.commune.add_village("Bản Pá Hốc")
    return reg


async def start(pilot: Any, register: Services) -> AdminScreen:
    screen = AdminScreen(register)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def message(screen: AdminScreen) -> str:
    return str(screen.query_one("#admin-message").render())


def user(register: Services, username: str) -> Account:
    return next(u for u in register.users.listing() if u.username == username)


def test_role_of() -> None:
    assert role_of("3") == "collaborator"
    assert role_of("officer") == "officer"
    assert role_of("cong-tac-vien") == "collaborator" and role_of(" Can-Bo ") == "officer"
    assert role_of("quan-tri-tinh") is None  # province roles are given by the province
    assert role_of("9") is None and role_of("") is None


def test_add_user_lock_reset_role_villages(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            assert screen.page == "users"
            await pilot.press("f2", *"ctv.nalo", "enter", *"Lo Thi Hoa", "enter",
                              "3", "enter", *"tamthoi-123", "enter", *"ban na lo", "enter")
            await pilot.pause()
            assert "Đã thêm người dùng ctv.nalo" in message(screen)
            added = user(register, "ctv.nalo")
            assert added.role == "collaborator" and added.must_change_password
            villages = {v.name: v.id for v in register.commune.all_villages()}
            assert added.villages == (villages["Bản Nà Lo"],)
            # Highlight the new account (accounts are listed by user name).
            table = screen.query_one("#admin-user-table", PagedTable)
            await pilot.press("home")
            for _ in range([u.username for u in screen.users].index("ctv.nalo")):
                await pilot.press("down")
            assert table.visible_rows[table.cursor].cells[0] == "ctv.nalo"
            await pilot.press("f3")
            await pilot.pause()
            assert user(register, "ctv.nalo").disabled
            await pilot.press("f3")
            await pilot.pause()
            assert not user(register, "ctv.nalo").disabled
            await pilot.press("f6")
            await pilot.press("backspace", "2", "enter")
            await pilot.pause()
            assert user(register, "ctv.nalo").role == "officer"
            await pilot.press("f7")
            screen.query_one("#admin-villages").value = ""
            await pilot.press(*"ban pa hoc, ban na lo", "enter")
            await pilot.pause()
            assert set(user(register, "ctv.nalo").villages) == set(villages.values())
            await pilot.press("f4", *"moi-tam-456", "enter")
            await pilot.pause()
            assert "Đã đặt mật khẩu tạm" in message(screen)
        with pytest.raises(PasswordChangeRequired):
            login(register.db, "ctv.nalo", "moi-tam-456")

    asyncio.run(body())


def test_bad_user_input_keeps_the_form(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await pilot.press("f2", *"ctv.moi", "enter", *"Lo Van Moi", "enter",
                              "9", "enter", *"tamthoi-123", "enter", "enter")
            await pilot.pause()
            assert "Vai trò “9” không có" in message(screen)
            assert screen.mode == "add_user"
            assert screen.query_one("#admin-username").value == "ctv.moi"
            screen.query_one("#admin-role").value = "2"
            screen.query_one("#admin-password").value = "ngan"
            screen.query_one("#admin-villages").focus()
            await pilot.press("enter")
            await pilot.pause()
            assert "Chưa lưu" in message(screen)
            assert not any(u.username == "ctv.moi" for u in register.users.listing())
            await pilot.press("escape")
            await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after a refused Enter wait for it
            assert screen.mode is None

    asyncio.run(body())


def test_villages_add_rename_retire(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await pilot.press("2")
            assert screen.page == "villages"
            await pilot.press("f2", *"Ban Huoi Cuon", "enter")
            await pilot.pause()
            names = [v.name for v in register.commune.all_villages()]
            assert "Ban Huoi Cuon" in names
            # The same name again (any diacritics) is refused.
            await pilot.press("f2", *"Bản Nà Lo", "enter")
            await pilot.pause()
            assert "đã có trong danh sách" in message(screen)
            await pilot.press("escape", "home")
            await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after a refused Enter wait for it
            first = screen.villages[0]
            await pilot.press("f6")
            screen.query_one("#admin-village_name").value = ""
            await pilot.press(*"Bản Huổi Cuồn", "enter")
            await pilot.pause()
            assert first.name == "Ban Huoi Cuon"
            assert "Bản Huổi Cuồn" in [v.name for v in register.commune.all_villages()]
            await pilot.press("home", "f3")
            await pilot.pause()
            retired = [v for v in register.commune.all_villages() if not v.active]
            assert [v.name for v in retired] == ["Bản Huổi Cuồn"]
            assert "đã bỏ" in screen.query_one("#page-villages", PagedTable) \
                .visible_rows[-1].cells[1]

    asyncio.run(body())


def test_settings_saved_and_checked(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await pilot.press("3")
            assert screen.page == "settings"
            screen.query_one("#admin-idle").value = "30"
            screen.query_one("#admin-recheck").value = "150"
            await pilot.press("f2")
            assert "từ 0 đến 100" in message(screen)
            assert register.commune.settings().recheck_percent == 5
            screen.query_one("#admin-recheck").value = "10"
            await pilot.press("f2")
            settings = register.commune.settings()
            assert (settings.idle_timeout_min, settings.recheck_percent) == (30, 10)

    asyncio.run(body())


def test_officer_cannot_manage_users(tmp_path: Path) -> None:
    officer = make_register(tmp_path, role="officer", username="canbo.ldtbxh")
    with pytest.raises(PermissionDenied):
        officer.users.listing()

    async def body() -> None:
        async with host(officer).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, officer)
            assert not screen.manage_users
            assert screen.page == "villages"
            assert not screen.query("#admin-user-table")
            assert "không được phép quản lý danh sách thôn" in message(screen)
            await pilot.press("1")
            assert screen.page == "users"
            only = str(screen.query_one("#admin-users-only").render())
            assert "Chỉ quản trị viên" in only
            await pilot.press("f2", "f3", "f4")  # no user actions for an officer
            assert screen.mode is None

    asyncio.run(body())
