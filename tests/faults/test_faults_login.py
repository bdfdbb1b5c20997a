"""Item 9 of issue 9: accounts cannot be enumerated and the administrator cannot be locked
out by an outsider. Failed logins are counted per (name, source) and delay the next try
from that source (a clock is injected: nothing sleeps)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tui.errors import LoginDelayed, LoginFailed
from tui.services import accounts
from tui.store.clock import now
from tui.store.settings import create_register

PASSWORD = "mat-khau-quan-tri-1"


class Clock:
    def __init__(self):
        self.moment = now()

    def __call__(self):
        return self.moment

    def advance(self, seconds):
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def db(tmp_path):
    db = create_register(tmp_path / "r.db", commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    accounts.create_account(db, "quan.tri", "Quản Trị", "administrator", PASSWORD,
                            must_change_password=False)
    yield db
    db.close()


def _answers(db, name, clock, tries=8):
    """The message and delay of each of ``tries`` wrong passwords, a second apart."""
    seen = []
    for _ in range(tries):
        with pytest.raises(LoginFailed) as failed:
            accounts.login(db, name, "doan-bua-123", source="ssh:203.0.113.5", clock=clock)
        seen.append((type(failed.value).__name__, str(failed.value)))
        clock.advance(1)
    return seen


def test_unknown_and_real_accounts_get_the_same_answers_and_the_same_writes(db):
    audit_before = db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    real = _answers(db, "quan.tri", Clock())
    audit_real = db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    unknown = _answers(db, "khong.ton.tai", Clock())
    audit_unknown = db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    assert real == unknown
    assert {kind for kind, _ in real} == {"LoginFailed", "LoginDelayed"}
    assert not any("khoá" in text for _, text in real)
    assert audit_real - audit_before == audit_unknown - audit_real  # same work
    typed = db.execute_sql("SELECT count(*) FROM audit_entry WHERE username LIKE "
                           "'%khong.ton.tai%'").fetchone()[0]
    assert typed == 0  # what a stranger typed is not kept


def test_an_outsider_hammering_the_administrator_cannot_keep_him_out(db):
    clock = Clock()
    for _ in range(500):  # a script of an outsider, from its own address
        with pytest.raises(LoginFailed):
            accounts.login(db, "quan.tri", "doan-bua", source="ssh:198.51.100.4",
                           clock=clock)
        clock.advance(0.5)
    with pytest.raises(LoginDelayed) as delayed:
        accounts.login(db, "quan.tri", PASSWORD, source="ssh:198.51.100.4", clock=clock)
    assert delayed.value.seconds <= accounts.MAX_DELAY_S
    session = accounts.login(db, "quan.tri", PASSWORD, source="ssh:10.1.1.2", clock=clock)
    assert session.username == "quan.tri"
    disabled = db.execute_sql('SELECT disabled, locked_until FROM "user" '
                              "WHERE username = 'quan.tri'").fetchone()
    assert disabled == (0, None)


def test_the_source_is_the_ssh_client_address_else_the_terminal(monkeypatch):
    monkeypatch.setenv("SSH_CLIENT", "203.0.113.5 51234 22")
    assert accounts.login_source() == "ssh:203.0.113.5"
    monkeypatch.delenv("SSH_CLIENT")
    assert accounts.login_source().startswith(("tty:", "local"))
