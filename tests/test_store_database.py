"""Opening the register file and the faults a user can meet: each must give a clear
Vietnamese message and lose nothing already saved."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tui.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DiskFull,
    NotOurDatabase,
)
from tui.services.accounts import create_account as create_user
from tui.store import audit, drafts, schema
from tui.store.database import open_db, write_tx
from tui.store.settings import create_register, read

ROOT = Path(__file__).resolve().parents[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _new(tmp_path: Path, name: str = "reg.db"):
    return create_register(tmp_path / name, commune_code="03808", commune_name="Xã Mường La",
                           province_code="14")


def test_new_register_is_private_wal_with_foreign_keys(tmp_path):
    db = _new(tmp_path)
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{tmp_path / 'reg.db'}{suffix}")
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, suffix
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1
    assert schema.version(db) == schema.SCHEMA_VERSION
    assert read(db).commune_code == "03808"


def test_missing_file_is_not_created_silently(tmp_path):
    with pytest.raises(DatabaseMissing, match="Không tìm thấy tệp dữ liệu"):
        open_db(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_garbage_file_is_reported_corrupt_and_left_untouched(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(os.urandom(8192))
    before = _digest(path)
    with pytest.raises(DatabaseCorrupt, match="bị hỏng"):
        open_db(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.db"]


def test_register_with_damaged_pages_is_reported_corrupt(tmp_path):
    db = _new(tmp_path)
    db.close()
    path = tmp_path / "reg.db"
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page:len(data)] = os.urandom(len(data) - page)  # schema pages and tables destroyed
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt) as caught:
        reopened = open_db(path)
        reopened.execute_sql("SELECT count(*) FROM child").fetchone()
    assert "sao lưu" in str(caught.value)


def test_foreign_sqlite_file_is_refused_without_modification(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotOurDatabase, match="không phải sổ theo dõi trẻ em"):
        open_db(path)
    assert _digest(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()


def test_empty_file_is_not_taken_for_a_register(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(NotOurDatabase):
        open_db(path)


def test_locked_database_waits_for_the_other_writer(tmp_path):
    db = _new(tmp_path)
    other = sqlite3.connect(tmp_path / "reg.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    releaser.start()
    started = time.monotonic()
    user = create_user(db, "lan.officer", "Lê Thị Lan", "officer", "mat-khau-dai")
    assert time.monotonic() - started >= 0.9  # it waited instead of failing
    assert user > 0
    releaser.join()
    other.close()


def test_locked_database_too_long_gives_vietnamese_message(tmp_path):
    db = _new(tmp_path)
    db.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(tmp_path / "reg.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked, match="người khác đang ghi"), write_tx(db, wait_s=0.3):
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    with write_tx(db):  # usable again once the other writer is gone
        db.execute_sql("UPDATE setting SET recheck_percent = 7")
    assert read(db).recheck_percent == 7


def test_full_disk_rolls_back_and_keeps_saved_data(tmp_path):
    db = _new(tmp_path)
    user = create_user(db, "lan.officer", "Lê Thị Lan", "officer", "mat-khau-dai")
    drafts.save_draft(db, user, "child:new", {"full_name": "Đã lưu trước"})
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    big = {"text": "x" * 200_000}
    with pytest.raises(DiskFull, match="Ổ đĩa đã đầy"):
        drafts.save_draft(db, user, "child:big", big)
    assert drafts.load_draft(db, user, "child:new") == {"full_name": "Đã lưu trước"}
    assert drafts.load_draft(db, user, "child:big") is None
    db.execute_sql(f"PRAGMA max_page_count = {pages * 100}")  # space freed
    drafts.save_draft(db, user, "child:big", big)
    assert drafts.load_draft(db, user, "child:big") == big


def test_process_killed_in_the_middle_of_a_save_leaves_database_consistent(tmp_path):
    db = _new(tmp_path)
    user = create_user(db, "lan.officer", "Lê Thị Lan", "officer", "mat-khau-dai")
    drafts.save_draft(db, user, "saved", {"n": 1})
    db.close()
    script = textwrap.dedent(f"""
        import sys, time
        from tui.store.database import open_db, write_tx
        db = open_db({str(tmp_path / 'reg.db')!r})
        with write_tx(db):
            for i in range(2000):
                db.execute_sql(
                    "INSERT INTO draft (user_id, key, payload, updated_at) VALUES (?,?,?,?)",
                    ({user}, f"half-{{i}}", "{{}}", "2026-01-01"))
            print("inside", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "inside"
    proc.kill()  # SIGKILL: no cleanup at all
    proc.wait()
    db = open_db(tmp_path / "reg.db")
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert drafts.load_draft(db, user, "saved") == {"n": 1}
    assert db.execute_sql("SELECT count(*) FROM draft WHERE key LIKE 'half-%'").fetchone()[0] == 0
    drafts.save_draft(db, user, "after", {"ok": True})  # the lock was released
    assert drafts.load_draft(db, user, "after") == {"ok": True}


def test_old_schema_is_migrated_on_open_keeping_data(tmp_path):
    from tui.store.migrations import MIGRATIONS

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(
        "INSERT INTO child (full_name, name_folded, issues, has_error, has_warning, state, "
        "version, created_at, updated_at) VALUES ('Lò Thị Mai', 'lo thi mai', '[]', 0, 0, "
        "'entered', 1, '2025-01-01', '2025-01-01')")
    conn.execute("INSERT INTO setting VALUES (1, '02245', 'Xã Pà Vầy Sủ', '02', 0, 15, 5, "
                 "'2025-01-01')")
    conn.execute("COMMIT")
    conn.close()
    db = open_db(path)
    assert schema.version(db) == schema.SCHEMA_VERSION == 10
    # v9 (issue 13): every row back-filled with the file's commune, counts per commune
    assert db.execute_sql("SELECT commune FROM child").fetchall() == [("02245",)]
    assert db.execute_sql("SELECT commune, prefix, n FROM name_prefix_count").fetchall() == [
        ("02245", "lo thi", 1)]
    indexes = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "child_name_folded" in indexes
    assert {"child_review_no_id", "child_review_bad_id_village"} <= indexes  # issue 15
    from datetime import date

    from tui.domain import ReviewKind
    from tui.store import review
    assert review.count(db, ReviewKind.NO_ID, on=date(2026, 1, 1), villages=None) == 1
    assert db.execute_sql("SELECT full_name FROM child").fetchall() == [("Lò Thị Mai",)]
    with write_tx(db):
        audit.append(db, user_id=None, username="", action="test")
    assert audit.is_keyed(db) and audit.verify(db) == []  # the first write sealed the child
    with pytest.raises(Exception, match="append-only"):  # v2 triggers are in place
        db.execute_sql("DELETE FROM audit_entry")


def test_models_match_the_migrated_schema(tmp_path):
    from tui.store.models import MODELS

    db = _new(tmp_path)
    for model in MODELS:
        table = model._meta.table_name
        stored = {r[1] for r in db.execute_sql(f'PRAGMA table_info("{table}")')}
        declared = {f.column_name for f in model._meta.sorted_fields}
        assert stored == declared, table


def test_newer_schema_is_refused(tmp_path):
    db = _new(tmp_path)
    db.execute_sql(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(Exception, match="phiên bản treem mới hơn"):
        open_db(tmp_path / "reg.db")
