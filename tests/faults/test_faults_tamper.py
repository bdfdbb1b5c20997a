"""Tamper evidence for the data, not only the log (issue 9, item 2).

Each test changes the register behind the app's back with plain ``sqlite3`` (what anyone
holding the file can do) and checks that ``audit.verify`` / ``treem audit --verify``
names what was changed; the clean cases check that the app's own changes verify clean.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tui.errors import AuditKeyMissing, AuditKeyWrong
from tui.services import Services, accounts
from tui.store import audit, schema
from tui.store.database import open_db
from tui.store.settings import create_register

ROOT = Path(__file__).resolve().parents[2]
PW = "tam-thoi-123"
CHILD = {"full_name": "Lò Văn Ánh", "sex": "Nam", "birth_date": "12/03/2016"}


@pytest.fixture
def reg(tmp_path):
    db = create_register(tmp_path / "r.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14")
    accounts.create_account(db, "lan.admin", "Lò Thị Lan", "administrator", PW,
                            must_change_password=False)
    services = Services(db, accounts.login(db, "lan.admin", PW))
    yield services
    db.close()


def _raw(reg: Services, sql: str, params: tuple = ()) -> None:
    """Change the file with sqlite3 as an outsider would (no app, no key)."""
    conn = sqlite3.connect(reg.db.database)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _version(reg: Services, child_id: int) -> int:
    """The stored version of a child, the base of a change (read without a view entry)."""
    return reg.children.get(child_id, audit_view=False).version


def _two_children(reg: Services) -> tuple[int, int]:
    a = reg.children.save(dict(CHILD)).child_id
    b = reg.children.save(dict(CHILD, full_name="Cầm Thị Bun")).child_id
    reg.children.add_circumstance(a, "DB04", "10/03/2026")
    return a, b


def test_a_clean_register_and_edits_through_the_app_verify_clean(reg):
    a, _b = _two_children(reg)
    assert audit.verify(reg.db) == []
    reg.children.save({"id": a, "full_name": "Lò Văn Ánh Dương"}, _version(reg, a))
    household = reg.households.save({"book_number": "NL-1", "address": "Bản Nà"}, [],
                                    [{"full_name": "Lò Văn Cha", "relation": "father"}])
    reg.children.save({"id": a, "household_id": household.household_id}, _version(reg, a))
    assert audit.verify(reg.db) == []


def test_raw_update_of_a_child_is_reported_with_table_and_id(reg):
    _a, b = _two_children(reg)
    _raw(reg, "UPDATE child SET full_name = 'Tên Giả', personal_id = '014216000001' "
              "WHERE id = ?", (b,))
    assert audit.verify(reg.db) == [
        f"Bảng child, mã số {b}: dữ liệu bị sửa ngoài phần mềm."]


def test_raw_insert_and_delete_are_reported(reg):
    a, b = _two_children(reg)
    _raw(reg, "DELETE FROM child WHERE id = ?", (b,))
    conn = sqlite3.connect(reg.db.database)  # a ghost child: a copy of child a as id 99
    conn.executescript(f"CREATE TEMP TABLE ghost AS SELECT * FROM child WHERE id = {a};"
                       "UPDATE ghost SET id = 99, full_name = 'Ma';"
                       "INSERT INTO child SELECT * FROM ghost;")
    conn.close()
    problems = audit.verify(reg.db)
    assert "Bảng child, mã số 99: dòng được thêm ngoài phần mềm." in problems
    assert f"Bảng child, mã số {b}: dòng bị xoá ngoài phần mềm." in problems
    assert len(problems) == 2


def test_a_deleted_circumstance_changes_its_child(reg):
    a, _b = _two_children(reg)
    _raw(reg, "DELETE FROM child_circumstance WHERE child_id = ?", (a,))
    assert audit.verify(reg.db) == [
        f"Bảng child, mã số {a}: dữ liệu bị sửa ngoài phần mềm."]


def test_a_role_changed_with_sqlite_is_reported(reg):
    accounts.create_account(reg.db, "ctv.na", "Lò Văn Na", "collaborator", PW)
    user_id = reg.db.execute_sql(
        "SELECT id FROM \"user\" WHERE username = 'ctv.na'").fetchone()[0]
    _raw(reg, "UPDATE \"user\" SET role = 'administrator' WHERE id = ?", (user_id,))
    assert audit.verify(reg.db) == [
        f"Bảng user, mã số {user_id}: dữ liệu bị sửa ngoài phần mềm."]


def test_a_rewritten_audit_entry_is_detected_even_without_the_trigger(reg):
    _a, _b = _two_children(reg)
    target = reg.db.execute_sql("SELECT max(id) FROM audit_entry WHERE entity = 'child'"
                                ).fetchone()[0]
    _raw(reg, "DROP TRIGGER audit_entry_no_update")
    # rewrite the entry and every hash after it with the project's (unkeyed) digest
    conn = sqlite3.connect(reg.db.database)
    rows = conn.execute('SELECT id, at, user_id, username, action, entity, record_id, '
                        '"field", old, new, prev_hash FROM audit_entry WHERE id >= ? '
                        "ORDER BY id", (target,)).fetchall()
    prev = rows[0][10]
    for row in rows:
        fields = dict(zip(audit._FIELDS, row[:10], strict=True))
        if row[0] == target:
            fields["new"] = '"Tên giả"'
        forged = audit._digest(prev, fields)
        conn.execute("UPDATE audit_entry SET new = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (fields["new"], prev, forged, row[0]))
        prev = forged
    conn.execute("UPDATE audit_seal SET last_hash = ?", (prev,))
    conn.commit()
    conn.close()
    problems = audit.verify(reg.db)
    assert f"Mục nhật ký số {target} đã bị sửa sau khi ghi." in problems


def test_the_key_file_is_private_and_outside_the_database(reg):
    key = Path(f"{reg.db.database}.key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    secret = bytes.fromhex(json.loads(key.read_text())["key"])
    with open(reg.db.database, "rb") as f:
        assert secret not in f.read()
    assert schema.version(reg.db) == schema.SCHEMA_VERSION


def test_a_missing_or_wrong_key_is_reported_and_nothing_is_written(reg):
    _two_children(reg)
    key = Path(f"{reg.db.database}.key")
    saved = key.read_bytes()
    key.unlink()
    with pytest.raises(AuditKeyMissing, match="Không tìm thấy khoá bí mật"):
        audit.verify(reg.db)
    with pytest.raises(AuditKeyMissing):
        reg.children.save(dict(CHILD, full_name="Không Được Ghi"))
    assert reg.db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 2
    other = json.loads(saved)
    other["key"] = "00" * 32
    key.write_text(json.dumps(other))
    with pytest.raises(AuditKeyWrong, match="không phải khoá đã niêm phong"):
        audit.verify(reg.db)
    key.write_bytes(saved)
    assert audit.verify(reg.db) == []


def test_since_accepts_a_written_code_and_refuses_a_forged_one(reg):
    _two_children(reg)
    _entry, code = audit.head(reg.db)
    reg.children.save(dict(CHILD, full_name="Sau Mã"))
    assert audit.verify(reg.db, since=code.lower().replace("-", " ")) == []
    forged = "AAAA-AAAA-AAAA" if code != "AAAA-AAAA-AAAA" else "BBBB-BBBB-BBBB"
    with pytest.raises(audit.HeadNotFound):
        audit.verify(reg.db, since=forged)


def test_a_register_made_before_keys_gets_one_and_keeps_its_old_chain(reg, tmp_path):
    """Simulate a v5 register: unkeyed entries, no key file, no row digests."""
    a, _b = _two_children(reg)
    path = Path(reg.db.database)
    reg.db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_entry_no_update")
    prev = audit.GENESIS
    for row in conn.execute('SELECT id, at, user_id, username, action, entity, record_id, '
                            '"field", old, new FROM audit_entry ORDER BY id').fetchall():
        fields = dict(zip(audit._FIELDS, row, strict=True))
        digest = audit._digest(prev, fields)
        conn.execute("UPDATE audit_entry SET prev_hash = ?, hash = ?, row_digest = NULL "
                     "WHERE id = ?", (prev, digest, row[0]))
        prev = digest
    conn.execute("UPDATE audit_seal SET last_hash = ?, key_id = NULL", (prev,))
    conn.commit()
    conn.close()
    Path(f"{path}.key").unlink()
    db = open_db(path)
    try:
        assert audit.verify(db) == []  # the old chain still verifies (unkeyed)
        assert not audit.is_keyed(db)
        services = Services(db, accounts.login(db, "lan.admin", PW))  # first write: keyed
        assert audit.is_keyed(db)
        assert stat.S_IMODE(Path(f"{path}.key").stat().st_mode) == 0o600
        services.children.save({"id": a, "full_name": "Lò Văn Mới"}, _version(services, a))
        assert audit.verify(db) == []
        conn = sqlite3.connect(path)
        conn.execute("UPDATE child SET full_name = 'Giả' WHERE id = ?", (a,))
        conn.commit()
        conn.close()
        assert audit.verify(db) == [f"Bảng child, mã số {a}: dữ liệu bị sửa ngoài phần mềm."]
    finally:
        db.close()


def _treem(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(HOME=str(tmp / "home"), PYTHONPATH=str(ROOT), TREEM_PASSWORD=PW)
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_the_command_line_reports_tampering_codes_and_key_faults(reg, tmp_path):
    _a, b = _two_children(reg)
    db = str(reg.db.database)
    who = ("--db", db, "--as", "lan.admin")
    head = _treem(tmp_path, "audit", "--head", *who)
    assert head.returncode == 0, head.stderr
    code = head.stdout.split("Mã đầu chuỗi nhật ký: ")[1][:14]
    assert audit.normalize_code(code) == code
    ok = _treem(tmp_path, "audit", "--verify", "--since", code, *who)
    assert ok.returncode == 0 and code in ok.stdout, ok.stdout + ok.stderr
    forged = _treem(tmp_path, "audit", "--verify", "--since", "ABCD-EFGH-2345", *who)
    assert forged.returncode == 1 and "không có trong nhật ký" in forged.stdout
    bad = _treem(tmp_path, "audit", "--verify", "--since", "xyz", *who)
    assert bad.returncode == 2 and "không đúng dạng" in bad.stderr + bad.stdout
    _raw(reg, "UPDATE child SET full_name = 'Tên Giả' WHERE id = ?", (b,))
    broken = _treem(tmp_path, "audit", "--verify", *who)
    assert broken.returncode == 1
    assert f"Bảng child, mã số {b}: dữ liệu bị sửa ngoài phần mềm." in broken.stdout
    Path(f"{db}.key").rename(f"{db}.key.moved")
    missing = _treem(tmp_path, "audit", "--verify", *who)
    assert missing.returncode == 5, missing.stdout + missing.stderr
    assert "Không tìm thấy khoá bí mật" in missing.stderr + missing.stdout
    assert "Traceback" not in missing.stderr


def test_the_police_list_footer_carries_the_head_code_found_by_since(reg, tmp_path):
    import openpyxl

    _two_children(reg)
    out = tmp_path / "police.xlsx"
    reg.transfer.export_police(out)
    footer = openpyxl.load_workbook(out).worksheets[0].oddFooter.left.text
    code = footer.split("Mã nhật ký: ")[1]
    assert audit.normalize_code(code) == code
    reg.children.save(dict(CHILD, full_name="Sau Danh Sách"))
    assert audit.verify(reg.db, since=code) == []


@pytest.mark.backend
def test_on_either_backend_a_change_behind_the_app_is_named(tmp_path):
    """The same check on the configured backend (``TREEM_TEST_DB=postgresql``: the key
    lives under ``TREEM_AUDIT_KEY_DIR``, not beside a file)."""
    from kit import new_register, person

    from tui.store import audit_key

    db = new_register(tmp_path / "b.db")
    try:
        admin = person(db, "lan.admin", "administrator")
        a = admin.children.save(dict(CHILD)).child_id
        b = admin.children.save(dict(CHILD, full_name="Cầm Thị Bun")).child_id
        admin.children.save({"id": a, "full_name": "Lò Văn Ánh Dương"}, expected_version=1)
        assert audit.verify(db) == []
        key = audit_key.key_path(db)
        assert key is not None and stat.S_IMODE(key.stat().st_mode) == 0o600
        db.execute_sql("UPDATE child SET full_name = 'Tên Giả' WHERE id = ?", (b,))
        assert audit.verify(db) == [f"Bảng child, mã số {b}: dữ liệu bị sửa ngoài phần mềm."]
        _entry, code = audit.head(db)
        assert audit.verify(db, since=code)
    finally:
        db.close()


def test_a_backup_carries_its_key_and_verifies_on_its_own(reg, tmp_path):
    _two_children(reg)
    out = tmp_path / "copy" / "backup.db"
    out.parent.mkdir()
    reg.backup.backup(out)
    key = Path(f"{out}.key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    copy = open_db(out)
    try:
        assert audit.verify(copy) == []
    finally:
        copy.close()


def test_erasing_the_seals_key_mark_is_not_a_way_back_to_an_unkeyed_chain(reg):
    """Clearing ``audit_seal.key_id`` (so that the app would start a new keyed chain and
    seal forged rows) is refused while the key file names keyed entries."""
    from tui.errors import AuditKeyError

    a, _b = _two_children(reg)
    _raw(reg, "UPDATE child SET full_name = 'Giả' WHERE id = ?", (a,))
    _raw(reg, "UPDATE audit_seal SET key_id = NULL")
    with pytest.raises(AuditKeyError, match="Dấu khoá trong mốc nhật ký"):
        audit.verify(reg.db)
    with pytest.raises(AuditKeyError):
        reg.children.save({"id": a, "full_name": "Lò Văn Ánh"}, expected_version=2)
