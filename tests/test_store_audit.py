"""The audit log is append-only and tamper-evident."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.services import accounts
from tui.store import audit
from tui.store.database import write_tx
from tui.store.settings import create_register


@pytest.fixture
def db(tmp_path):
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14")
    with write_tx(db):
        for n in range(1, 6):
            audit.append(db, user_id=None, username="lan.officer", action="update",
                         entity="child", record_id=n, field="full_name",
                         old=f"Tên cũ {n}", new=f"Tên mới {n}")
    return db


def _raw(tmp_path):
    conn = sqlite3.connect(tmp_path / "reg.db", isolation_level=None)
    conn.execute("DROP TRIGGER audit_entry_no_update")
    conn.execute("DROP TRIGGER audit_entry_no_delete")
    return conn


def _id_of(db, record_id):
    return db.execute_sql("SELECT id FROM audit_entry WHERE record_id = ? AND entity = 'child'",
                          (record_id,)).fetchone()[0]


def test_intact_log_verifies_clean(db):
    assert audit.verify(db) == []


def test_triggers_forbid_update_and_delete(db):
    with pytest.raises(Exception, match="append-only"):
        db.execute_sql("UPDATE audit_entry SET new = '\"x\"'")
    with pytest.raises(Exception, match="append-only"):
        db.execute_sql("DELETE FROM audit_entry WHERE id = 2")
    assert audit.verify(db) == []


def test_edited_entry_is_detected(db, tmp_path):
    target = _id_of(db, 3)
    conn = _raw(tmp_path)
    conn.execute("UPDATE audit_entry SET new = '\"Tên giả\"' WHERE id = ?", (target,))
    conn.close()
    problems = audit.verify(db)
    assert problems == [f"Mục nhật ký số {target} đã bị sửa sau khi ghi."]


def test_edited_entry_resealed_without_the_key_is_detected(db, tmp_path):
    """Re-hashing an edited entry with the project's own (unkeyed) digest is no longer
    enough: the chain is an HMAC with the register's secret key."""
    target = _id_of(db, 3)
    conn = _raw(tmp_path)
    row = conn.execute('SELECT id, at, user_id, username, action, entity, record_id, "field", '
                       "old, new, prev_hash FROM audit_entry WHERE id = ?", (target,)).fetchone()
    fields = dict(zip(audit._FIELDS, row[:10], strict=True))
    fields["new"] = '"Tên giả"'
    forged = audit._digest(row[10], fields)
    conn.execute("UPDATE audit_entry SET new = ?, hash = ? WHERE id = ?",
                 (fields["new"], forged, target))
    conn.close()
    problems = audit.verify(db)
    assert problems[0] == f"Mục nhật ký số {target} đã bị sửa sau khi ghi."
    assert str(target + 1) in problems[1]


def test_deleted_entry_is_detected(db, tmp_path):
    target = _id_of(db, 2)
    conn = _raw(tmp_path)
    conn.execute("DELETE FROM audit_entry WHERE id = ?", (target,))
    conn.close()
    problems = audit.verify(db)
    assert any("bị xoá" in p and str(target + 1) in p for p in problems)


def test_deleting_the_newest_entry_is_detected(db, tmp_path):
    last = db.execute_sql("SELECT max(id) FROM audit_entry").fetchone()[0]
    conn = _raw(tmp_path)
    conn.execute("DELETE FROM audit_entry WHERE id = ?", (last,))
    conn.close()
    assert audit.verify(db) == [f"Mất mục nhật ký cuối cùng (số {last}) so với mốc đã lưu."]


def test_reordered_entries_are_detected(db, tmp_path):
    a, b = _id_of(db, 2), _id_of(db, 4)
    conn = _raw(tmp_path)
    cols = 'at, user_id, username, action, entity, record_id, "field", old, new, prev_hash, hash'
    row_a = conn.execute(f"SELECT {cols} FROM audit_entry WHERE id = ?", (a,)).fetchone()
    row_b = conn.execute(f"SELECT {cols} FROM audit_entry WHERE id = ?", (b,)).fetchone()
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    conn.execute(f"UPDATE audit_entry SET {sets} WHERE id = ?", (*row_b, a))
    conn.execute(f"UPDATE audit_entry SET {sets} WHERE id = ?", (*row_a, b))
    conn.close()
    assert audit.verify(db)


def test_logins_are_audited_without_passwords(db):
    accounts.create_account(db, "lan.officer", "Lê Thị Lan", "officer", "tam-thoi-123",
                         must_change_password=False)
    accounts.login(db, "lan.officer", "tam-thoi-123")
    with pytest.raises(accounts.LoginFailed):
        accounts.login(db, "lan.officer", "sai-mat-khau")
    actions = [r[0] for r in db.execute_sql("SELECT action FROM audit_entry ORDER BY id")]
    assert actions[-2:] == ["login", "login_failed"]
    dump = " ".join(str(r) for r in db.execute_sql("SELECT * FROM audit_entry"))
    assert "tam-thoi-123" not in dump and "sai-mat-khau" not in dump
    assert audit.verify(db) == []


_SCALARS = (st.none() | st.text() | st.integers(min_value=-2**63, max_value=2**63 - 1)
            | st.booleans() | st.floats(allow_nan=False))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(row=st.fixed_dictionaries({
    "id": st.integers(min_value=1), "at": st.text(), "user_id": st.none() | st.integers(),
    "username": st.text(), "action": st.text(), "entity": st.text(),
    "record_id": st.none() | st.integers() | st.text(), "field": st.none() | st.text(),
    "old": _VALUES, "new": _VALUES}), prev=st.text(alphabet="0123456789abcdef", max_size=64))
def test_hashes_and_values_keep_the_format_of_every_stored_entry(row, prev):
    """Entries already written must keep verifying: the fast encoders write the bytes
    of ``json.dumps`` exactly."""
    import hashlib
    import json

    for value in (row["old"], row["new"]):
        assert audit.encode_value(value) == (
            None if value is None
            else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    row = {**row, "old": audit.encode_value(row["old"]), "new": audit.encode_value(row["new"])}
    payload = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()
    assert audit._digest(prev, row) == expected
