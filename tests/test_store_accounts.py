"""Accounts: passwords, lock-out, first login, idle sessions, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from kit import person

from tui.domain import Permission, Role
from tui.errors import (
    AccountLocked,
    InvalidInput,
    LoginDelayed,
    LoginFailed,
    PasswordChangeRequired,
    PermissionDenied,
    SessionExpired,
)
from tui.services import Services, accounts
from tui.services.policy import Scope, Session, allowed, require, require_village
from tui.store.clock import now
from tui.store.models import User
from tui.store.settings import create_register


def create_user(db, username, full_name, role, password, **kw):
    return accounts.create_account(db, username, full_name, role, password, **kw)


@pytest.fixture
def db(tmp_path):
    return create_register(tmp_path / "reg.db", commune_code="03808",
                           commune_name="Xã Mường La", province_code="14")


def _ready_user(db, username="lan.officer", role="officer", password="mat-khau-moi-1"):
    create_user(db, username, "Lê Thị Lan", role, "tam-thoi-123")
    return accounts.change_password(db, username, "tam-thoi-123", password)


def test_password_hash_is_scrypt_salted_and_verifies():
    first = accounts.hash_password("mật khẩu dài")
    second = accounts.hash_password("mật khẩu dài")
    assert first.startswith("scrypt$16384$8$1$") and first != second
    assert accounts.verify_password("mật khẩu dài", first)
    assert not accounts.verify_password("mat khau dai", first)
    assert not accounts.verify_password("x", "not-a-hash")


def test_first_login_forces_a_new_password(db):
    create_user(db, "lan.officer", "Lê Thị Lan", "officer", "tam-thoi-123")
    with pytest.raises(PasswordChangeRequired, match="đặt mật khẩu mới"):
        accounts.login(db, "lan.officer", "tam-thoi-123")
    with pytest.raises(InvalidInput, match="ít nhất 8 ký tự"):
        accounts.change_password(db, "lan.officer", "tam-thoi-123", "ngan")
    with pytest.raises(InvalidInput, match="khác mật khẩu cũ"):
        accounts.change_password(db, "lan.officer", "tam-thoi-123", "tam-thoi-123")
    session = accounts.change_password(db, "lan.officer", "tam-thoi-123", "mat-khau-moi-1")
    assert session.role == "officer"
    assert accounts.login(db, "LAN.officer ", "mat-khau-moi-1").username == "lan.officer"
    stored = User.get(User.username == "lan.officer").password_hash
    assert "mat-khau-moi-1" not in stored


def test_wrong_password_and_unknown_user_give_the_same_message(db):
    _ready_user(db)
    with pytest.raises(LoginFailed) as wrong:
        accounts.login(db, "lan.officer", "sai-mat-khau")
    with pytest.raises(LoginFailed) as unknown:
        accounts.login(db, "khong.co", "sai-mat-khau")
    assert str(wrong.value) == str(unknown.value) == "Tên đăng nhập hoặc mật khẩu không đúng."


class Clock:
    """An injected clock: time passes only when the test says so (no real sleeping)."""

    def __init__(self):
        self.moment = now()

    def __call__(self):
        return self.moment

    def advance(self, seconds):
        self.moment += timedelta(seconds=seconds)


def test_failures_delay_the_next_try_from_that_source_and_never_lock_the_account(db):
    _ready_user(db)
    clock = Clock()
    for _ in range(accounts.FREE_FAILURES):
        with pytest.raises(LoginFailed) as failed:
            accounts.login(db, "lan.officer", "sai-mat-khau", source="ssh:10.0.0.9",
                           clock=clock)
        assert not isinstance(failed.value, LoginDelayed)
    with pytest.raises(LoginDelayed) as delayed:  # even the right password must wait
        accounts.login(db, "lan.officer", "mat-khau-moi-1", source="ssh:10.0.0.9",
                       clock=clock)
    assert delayed.value.seconds == 1 and "chờ 1 giây" in str(delayed.value)
    # the owner at another terminal is not slowed by the outsider's tries
    assert accounts.login(db, "lan.officer", "mat-khau-moi-1", source="ssh:10.0.0.7",
                          clock=clock).username == "lan.officer"
    clock.advance(1)
    assert accounts.login(db, "lan.officer", "mat-khau-moi-1", source="ssh:10.0.0.9",
                          clock=clock).username == "lan.officer"


def test_the_delay_doubles_up_to_five_minutes():
    assert [accounts.login_delay_s(n) for n in range(8)] == [0, 0, 0, 1, 2, 4, 8, 16]
    assert accounts.login_delay_s(12) == 300 and accounts.login_delay_s(10_000) == 300


def test_success_resets_the_failure_count(db):
    _ready_user(db)
    clock = Clock()
    for _ in range(accounts.FREE_FAILURES + 2):
        with pytest.raises(LoginFailed):
            accounts.login(db, "lan.officer", "sai-mat-khau", source="tty:/dev/pts/3",
                           clock=clock)
        clock.advance(60)
    accounts.login(db, "lan.officer", "mat-khau-moi-1", source="tty:/dev/pts/3",
                   clock=clock)
    for _ in range(accounts.FREE_FAILURES):  # counting starts again: answered at once
        with pytest.raises(LoginFailed) as failed:
            accounts.login(db, "lan.officer", "sai-mat-khau", source="tty:/dev/pts/3",
                           clock=clock)
        assert not isinstance(failed.value, LoginDelayed)


def test_idle_session_expires_and_unlocks_with_password(db):
    session = _ready_user(db)
    assert session.idle_timeout_s == 15 * 60  # the commune's default setting
    session.idle_timeout_s = 0.01
    session.last_active -= 1
    with pytest.raises(SessionExpired, match="không thao tác"):
        session.touch()
    with pytest.raises(SessionExpired):  # stays locked until unlocked
        session.touch()
    with pytest.raises(LoginFailed):
        accounts.unlock(db, session, "sai-mat-khau")
    accounts.unlock(db, session, "mat-khau-moi-1")
    session.touch()


def test_roles_allow_only_their_actions(db):
    officer = Session(1, "a", "A", Role.OFFICER)
    police = Session(2, "b", "B", Role.POLICE)
    viewer = Session(3, "c", "C", Role.VIEWER)
    collaborator = Session(4, "d", "D", Role.COLLABORATOR, Scope(frozenset({7})))
    assert allowed(officer, Permission.EDIT_CHILD) and allowed(officer, Permission.POLICE_LISTS)
    assert not allowed(officer, Permission.MANAGE_USERS)
    assert allowed(police, Permission.POLICE_LISTS)
    assert not allowed(police, Permission.VIEW_PERSONAL)
    assert allowed(viewer, Permission.REPORTS) and not allowed(viewer, Permission.VIEW_PERSONAL)
    assert allowed(collaborator, Permission.EDIT_CHILD)
    require_village(collaborator, Permission.EDIT_CHILD, 7)
    with pytest.raises(PermissionDenied):
        require_village(collaborator, Permission.EDIT_CHILD, 8)
    with pytest.raises(PermissionDenied, match="công an xã không được phép xem dữ liệu cá nhân"):
        require(police, Permission.VIEW_PERSONAL)


def test_only_administrators_create_accounts(db):
    officer = Services(db, _ready_user(db))
    with pytest.raises(PermissionDenied):
        officer.users.create("moi.nguoi", "Người Mới", Role.VIEWER, "tam-thoi-123")
    with pytest.raises(InvalidInput, match="Vai trò không hợp lệ"):
        create_user(db, "moi.nguoi", "Người Mới", "boss", "tam-thoi-123")
    with pytest.raises(InvalidInput, match="đã có"):
        create_user(db, "lan.officer", "Lê Thị Lan", "viewer", "tam-thoi-123")


def test_trainer_cannot_log_in_to_a_real_register(db):
    create_user(db, "tap.huan", "Giảng Viên", "trainer", "tam-thoi-123",
                         must_change_password=False)
    with pytest.raises(PermissionDenied, match="thử nghiệm"):
        accounts.login(db, "tap.huan", "tam-thoi-123")


def test_sandbox_needs_no_password_but_a_real_register_does(db, tmp_path):
    with pytest.raises(PermissionDenied):
        accounts.sandbox_session(db)
    sandbox = create_register(tmp_path / "demo.db", commune_code="03808",
                              commune_name="Xã Mường La", province_code="14", sandbox=True)
    session = accounts.sandbox_session(sandbox)
    assert session.role == "administrator" and session.idle_timeout_s is None
    assert accounts.sandbox_session(sandbox).user_id == session.user_id


def test_administrator_locks_and_resets(db):
    admin = person(db, "quan.tri", "administrator")
    _ready_user(db)
    admin.users.set_disabled("lan.officer", True)
    with pytest.raises(AccountLocked, match="quản trị viên"):
        accounts.login(db, "lan.officer", "mat-khau-moi-1")
    admin.users.set_disabled("lan.officer", False)
    admin.users.reset_password("lan.officer", "tam-thoi-456")
    with pytest.raises(PasswordChangeRequired):
        accounts.login(db, "lan.officer", "tam-thoi-456")


def _count_scrypt(monkeypatch):
    """Count the scrypt calls of tui.services.accounts, with their cost parameters."""
    calls = []
    real = accounts.hashlib.scrypt

    def counting(password, **kw):
        calls.append((kw["n"], kw["r"], kw["p"]))
        return real(password, **kw)

    monkeypatch.setattr(accounts.hashlib, "scrypt", counting)
    return calls


def test_unknown_user_costs_one_scrypt_like_a_wrong_password_even_the_first(db, monkeypatch):
    _ready_user(db)
    monkeypatch.setattr(accounts, "_dummy_hash", None)  # as in a freshly started app
    calls = _count_scrypt(monkeypatch)
    cost = [(accounts.SCRYPT_N, accounts.SCRYPT_R, accounts.SCRYPT_P)]
    with pytest.raises(LoginFailed):
        accounts.login(db, "lan.officer", "sai-mat-khau")
    assert calls == cost
    for _ in range(2):  # the first unknown name makes the dummy hash, the next use it
        calls.clear()
        with pytest.raises(LoginFailed):
            accounts.login(db, "khong.co", "sai-mat-khau")
        assert calls == cost
    calls.clear()
    with pytest.raises(LoginFailed):
        accounts.change_password(db, "khong.co", "sai-mat-khau", "mat-khau-moi-2")
    assert calls == cost


def test_unknown_user_and_wrong_password_take_about_the_same_time(db, monkeypatch):
    import statistics
    import time

    _ready_user(db)
    monkeypatch.setattr(accounts, "_dummy_hash", None)

    def elapsed(username):
        start = time.perf_counter()
        with pytest.raises(LoginFailed):
            accounts.login(db, username, "sai-mat-khau")
        db.execute_sql("DELETE FROM login_delay")  # never reach the delay
        return time.perf_counter() - start

    def first_unknown():
        monkeypatch.setattr(accounts, "_dummy_hash", None)  # the dummy hash is made now
        return elapsed("khong.co")

    # interleaved, so that a burst of load on the shared machine hits all three alike;
    # medians of nine tries each, never a single timing
    tries: dict[str, list[float]] = {"first": [], "unknown": [], "wrong": []}
    for _ in range(9):
        tries["first"].append(first_unknown())
        tries["unknown"].append(elapsed("khong.co"))
        tries["wrong"].append(elapsed("lan.officer"))
    first, unknown, wrong = (statistics.median(tries[k]) for k in ("first", "unknown", "wrong"))
    assert 0.6 < unknown / wrong < 1.6
    assert 0.6 < first / wrong < 1.6


def test_importing_accounts_computes_no_password_hash():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import hashlib\n"
        "calls = []\n"
        "real = hashlib.scrypt\n"
        "hashlib.scrypt = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "import tui.services.accounts\n"
        "print(len(calls))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "0"
