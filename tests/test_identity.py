"""One identity: a Unix (SSH) account linked to an app account *is* that account.

In process here (the Unix user of the session is substituted where the app asks the
kernel); ``tests/test_ssh_server.py`` checks the same through a real sshd.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.kit import PASSWORD, new_register, person
from tui.app import TreemApp
from tui.errors import InvalidInput
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen
from tui.services import accounts
from tui.store import audit
from tui.widgets import StatusBar

ROOT = Path(__file__).resolve().parent.parent
SIZE = (80, 24)
NEW_PASSWORD = "mat-khau-moi-2"
#: A Unix account every Debian system has (not root): stands for an officer's login.
UNIX = "daemon"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A real register: an administrator, an officer linked to ``UNIX`` who has chosen
    their password, and another officer with no link."""
    path = tmp_path / "register.db"
    db = new_register(path)
    admin = person(db, "admin", "administrator")
    admin.users.create("cb.lan", "Nguyễn Thị Lan", "officer", PASSWORD, unix_login=UNIX)
    accounts.change_password(db, "cb.lan", PASSWORD, NEW_PASSWORD)
    admin.users.create("cb.hoa", "Lò Thị Hoa", "officer", PASSWORD)
    db.close()
    return path


def run_app_as(path: Path, unix: str | None, monkeypatch: pytest.MonkeyPatch,
               keys: tuple[str, ...] = ()) -> tuple[type, str, str]:
    """Start the app as if the kernel said the process runs as ``unix``; after ``keys``,
    the screen's class, the status bar's user and the login message (if any)."""
    monkeypatch.setattr(accounts, "process_unix_login", lambda: unix)

    async def go() -> tuple[type, str, str]:
        app = TreemApp(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            if keys:
                await pilot.press(*keys)
                await pilot.pause()
            screen = app.screen
            user = "".join(bar.user for bar in screen.query(StatusBar))
            said = (str(screen.query_one("#login-message").render())
                    if isinstance(screen, LoginScreen) else "")
            if isinstance(screen, LoginScreen):
                user = screen.query_one("#username").value  # type: ignore[attr-defined]
            return type(screen), user, said

    return asyncio.run(go())


def test_a_linked_unix_user_opens_home_as_its_account_without_login(
        register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    screen, user, _ = run_app_as(register, UNIX, monkeypatch)
    assert screen is HomeScreen and user == "cb.lan"
    db = new_register_open(register)
    entry = audit.recent(db, limit=1)[-1]
    db.close()
    assert (entry["action"], entry["username"], entry["field"], entry["new"]) == (
        "login", "cb.lan", "unix_login", UNIX)


def test_an_unlinked_unix_user_gets_the_normal_login(
        register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    screen, user, _ = run_app_as(register, "nobody", monkeypatch)
    assert screen is LoginScreen and user == ""
    screen, _, _ = run_app_as(register, None, monkeypatch)  # root, or no account
    assert screen is LoginScreen


def test_a_linked_session_cannot_log_in_as_another_account(
        register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A linked account that must change its password gets the login screen, with its own
    name fixed: typing another account's name and password changes nothing."""
    db = new_register_open(register)
    admin = accounts.login(db, "admin", PASSWORD)
    from tui.services import Services

    Services(db, admin).users.reset_password("cb.lan", "tam-moi-456")
    db.close()
    screen, user, _ = run_app_as(register, UNIX, monkeypatch,
                                 keys=("a", "d", "m", "i", "n", *PASSWORD, "enter"))
    assert screen is LoginScreen and user == "cb.lan"
    screen, user, said = run_app_as(register, UNIX, monkeypatch,
                                    keys=(*"tam-moi-456", "enter"))
    assert screen is LoginScreen and user == "cb.lan" and "mật khẩu mới" in said


def test_a_disabled_linked_account_is_not_opened(
        register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = new_register_open(register)
    from tui.services import Services

    Services(db, accounts.login(db, "admin", PASSWORD)).users.set_disabled("cb.lan", True)
    db.close()
    screen, user, said = run_app_as(register, UNIX, monkeypatch,
                                    keys=(*NEW_PASSWORD, "enter"))
    assert screen is LoginScreen and user == "cb.lan"
    assert "khoá" in said


def test_links_are_checked(tmp_path: Path) -> None:
    db = new_register(tmp_path / "r.db")
    admin = person(db, "admin", "administrator")
    with pytest.raises(InvalidInput, match="root"):
        admin.users.create("cb.a", "A", "officer", PASSWORD, unix_login="root")
    with pytest.raises(InvalidInput, match="không có tài khoản Unix"):
        admin.users.create("cb.b", "B", "officer", PASSWORD, unix_login="khongco")
    with pytest.raises(InvalidInput, match="không hợp lệ"):
        admin.users.create("cb.c", "C", "officer", PASSWORD, unix_login="Cb.Lan")
    assert [a.username for a in admin.users.listing()] == ["admin"]  # nothing half-made
    admin.users.create("cb.d", "D", "officer", PASSWORD, unix_login=UNIX)
    admin.users.create("cb.e", "E", "officer", PASSWORD)
    with pytest.raises(InvalidInput, match=r"đã gắn với tài khoản treem cb\.d"):
        admin.users.link_unix("cb.e", UNIX)
    admin.users.link_unix("cb.d", None)
    assert admin.users.link_unix("cb.e", UNIX).unix_login == UNIX
    db.close()


def test_the_unix_user_comes_from_the_kernel_not_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A process running as ``daemon`` with USER and LOGNAME naming someone else: the
    kernel's answer wins (a forked child drops to daemon's uid, as sshd does)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to become another user")
    monkeypatch.setenv("USER", "admin")
    monkeypatch.setenv("LOGNAME", "admin")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(pwd.getpwnam(UNIX).pw_gid)
            os.setuid(pwd.getpwnam(UNIX).pw_uid)
            os.write(write, str(accounts.process_unix_login()).encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert answer == UNIX
    assert accounts.process_unix_login() is None  # root is never an officer


def test_users_add_and_link_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "r.db"
    db = new_register(db_path)
    person(db, "admin", "administrator")
    db.close()
    env = {"TREEM_PASSWORD": PASSWORD, "TREEM_USER_PASSWORD": "tam-thoi-789",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def treem(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tui.cli", *args, "--db", str(db_path),
                               "--as", "admin"], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=False)

    added = treem("users", "add", "cb.lan", "--role", "officer", "--name", "Lan",
                  "--unix", UNIX)
    assert added.returncode == 0, added.stderr
    assert f"Tài khoản Unix {UNIX} là tài khoản treem cb.lan" in added.stdout
    treem("users", "add", "cb.hoa", "--role", "officer", "--name", "Hoa")
    taken = treem("users", "link", "cb.hoa", "--unix", UNIX)
    assert taken.returncode != 0 and "đã gắn với tài khoản treem cb.lan" in taken.stderr
    assert treem("users", "unlink", "cb.lan").returncode == 0
    assert treem("users", "link", "cb.hoa", "--unix", UNIX).returncode == 0
    listing = treem("users", "list").stdout
    (hoa,) = [line for line in listing.splitlines() if line.startswith("cb.hoa")]
    assert f"Unix: {UNIX}" in hoa


def new_register_open(path: Path) -> Any:
    from tui.store.database import open_db

    return open_db(path)
