"""Drafts survive a killed process and a dropped SSH link, and come back at next login."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.services import accounts
from tui.store import drafts
from tui.store.database import open_db
from tui.store.settings import create_register

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def setup(tmp_path):
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14")
    user = accounts.create_account(db, "lan.officer", "Lê Thị Lan", "officer", "tam-thoi-123")
    return db, user


def test_drafts_upsert_list_and_discard(setup):
    db, user = setup
    drafts.save_draft(db, user, "child:new", {"full_name": "Lò Thị"})
    drafts.save_draft(db, user, "child:new", {"full_name": "Lò Thị Mai"})
    drafts.save_draft(db, user, "household:12", {"book_number": "12"})
    pending = drafts.pending_drafts(db, user)
    assert [d["key"] for d in pending] == ["household:12", "child:new"]
    assert pending[1]["payload"] == {"full_name": "Lò Thị Mai"}
    drafts.discard_draft(db, user, "child:new")
    assert [d["key"] for d in drafts.pending_drafts(db, user)] == ["household:12"]
    other = accounts.create_account(db, "hoa.officer", "Đỗ Thị Hoa", "officer", "tam-thoi-123")
    assert drafts.pending_drafts(db, other) == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP])
def test_draft_survives_the_process_dying(setup, tmp_path, sig):
    db, user = setup
    db.close()
    script = textwrap.dedent(f"""
        import time
        from tui.store.database import open_db
        from tui.store.drafts import save_draft
        db = open_db({str(tmp_path / 'reg.db')!r})
        save_draft(db, {user}, "child:new", {{"full_name": "Quàng Văn Đức", "step": 3}})
        print("saved", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "saved"
    proc.send_signal(sig)
    assert proc.wait(timeout=10) == -sig
    reopened = open_db(tmp_path / "reg.db")
    assert drafts.pending_drafts(reopened, user)[0]["payload"] == {
        "full_name": "Quàng Văn Đức", "step": 3}
