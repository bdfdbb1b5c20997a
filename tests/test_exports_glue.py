"""treem export / treem import against a register database (tui.services.transfer)."""

from __future__ import annotations

import json
import os
import stat

import openpyxl
import pytest
from fixtures.exports_books import ROWS, write_book

from tui.cli import main
from tui.services import Services, accounts
from tui.store.settings import create_register

KIDS = [
    {"full_name": "Lò Văn Ánh", "sex": "Nam", "birth_date": "12/03/2016", "ethnicity": "Thái",
     "father_name": "Lò Văn Bình", "mother_name": "Quàng Thị Lả"},
    {"full_name": "Quàng Thị Mai", "sex": "Nữ", "birth_date": "05/11/2018",
     "ethnicity": "Thái", "father_name": "Quàng Văn Hùng", "mother_name": "Lò Thị Xuân"},
    {"full_name": "Cầm Văn Sơn", "sex": "Nam", "birth_date": "20/01/2020", "ethnicity": "Thái",
     "father_name": "Cầm Văn Tâm", "mother_name": "Lường Thị Hoa",
     "personal_id": "014220000303"},
]


@pytest.fixture
def register(tmp_path):
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14")
    accounts.create_account(db, "lan.officer", "Lò Thị Lan", "officer", "tam-thoi-123",
                         must_change_password=False)
    session = accounts.login(db, "lan.officer", "tam-thoi-123")
    reg = Services(db, session)
    ids = [reg.children.save(kid).child_id for kid in KIDS]
    yield db, session, reg, ids
    db.close()


def audit_rows(db, action):
    return db.execute_sql(
        "SELECT entity, new FROM audit_entry WHERE action = ? ORDER BY id", (action,)
    ).fetchall()


def fill_numbers(path, numbers):
    book = openpyxl.load_workbook(path)
    ws = book.active
    cols = {c.value: c.column for c in ws[5] if c.value}
    for row in range(6, ws.max_row + 1):
        name = ws.cell(row, cols["Họ và tên"]).value
        if name in numbers:
            ws.cell(row, cols["Số định danh đã xác minh (Công an ghi)"]).value = numbers[name]
    book.save(path)


def test_police_round_trip_stores_numbers_once(register, tmp_path):
    db, _session, reg, ids = register
    out = tmp_path / "ca.xlsx"
    exported = reg.transfer.export_police(out)
    assert exported.rows == 3 and exported.batch is not None
    assert reg.children.get(ids[0], audit_view=False).state == "sent_to_police"
    entity, new = audit_rows(db, "export")[-1]
    assert entity == "export_police" and json.loads(new)["rows"] == 3
    fill_numbers(out, {"Lò Văn Ánh": "014216000101", "Quàng Thị Mai": "014220000303"})

    result = reg.transfer.import_police(out)
    statuses = {r.row_key: r.status for r in result.rows}
    assert sorted(statuses.values()) == ["blank", "taken", "verified"]
    child = reg.children.get(ids[0], audit_view=False)
    assert child.personal_id == "014216000101" and child.state == "id_verified"
    taken = next(r for r in result.rows if r.status == "taken")
    assert "Cầm Văn Sơn" in taken.message  # names the record that holds the number
    versions = [reg.children.get(i, audit_view=False).version for i in ids]
    audits = len(audit_rows(db, "import")) + len(audit_rows(db, "update"))

    again = reg.transfer.import_police(out)
    assert not again.stored
    assert {r.status for r in again.rows} >= {"unchanged"}
    assert [reg.children.get(i, audit_view=False).version for i in ids] == versions
    assert len(audit_rows(db, "import")) + len(audit_rows(db, "update")) == audits


def test_police_export_is_refused_on_a_sandbox(tmp_path, capsys):
    db_path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db_path), "--no-ui", "--children", "40"]) == 0
    out = tmp_path / "ca.xlsx"
    code = main(["export", "--db", str(db_path), "police", "--out", str(out)])
    assert code != 0
    err = capsys.readouterr().err
    assert "thử nghiệm" in err and "công an" in err
    assert not out.exists()


@pytest.fixture
def sandbox(tmp_path):
    db_path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db_path), "--no-ui", "--children", "60"]) == 0
    return db_path


def test_full_cleaning_and_report_exports_are_audited(sandbox, tmp_path, capsys):
    from tui.store.database import open_db

    for kind in ("full", "cleaning", "report"):
        out = tmp_path / f"{kind}.xlsx"
        args = ["export", "--db", str(sandbox), kind, "--out", str(out)]
        assert main([*args, "--as-of", "30/06/2026"] if kind == "report" else args) == 0
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    db = open_db(sandbox)
    try:
        exports = {e: json.loads(n) for e, n in audit_rows(db, "export")}
    finally:
        db.close()
    assert exports["export_full"]["rows"] == 60
    assert exports["export_report"]["kind"] == "report"
    header = next(openpyxl.load_workbook(tmp_path / "full.xlsx").active.iter_rows(
        values_only=True))
    assert "Dân tộc" not in header and "Trạng thái hồ sơ" in header  # not asked: hidden


def test_import_children_dry_run_then_commit(sandbox, tmp_path, capsys):
    from tui.store.database import open_db

    rows = [list(r) for r in ROWS]
    rows[1][2] = "31/02/2018"  # rejected: no such day
    source = write_book(tmp_path / "ds.xlsx", rows=rows)
    db = open_db(sandbox)
    before = db.execute_sql("SELECT count(*) FROM child").fetchone()[0]
    db.close()

    assert main(["import", "--db", str(sandbox), "children", str(source), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "Đọc được 3 dòng" in printed and "chưa ghi gì" in printed
    db = open_db(sandbox)
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == before
    db.close()

    assert main(["import", "--db", str(sandbox), "children", str(source), "--yes"]) == 0
    printed = capsys.readouterr().out
    assert "Đã nhập 2 trẻ em; 1 dòng bị từ chối; tổng 3 dòng" in printed
    errors = tmp_path / "ds-loi.xlsx"
    assert errors.exists()
    db = open_db(sandbox)
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == before + 2
    db.close()


def test_real_register_exports_need_an_allowed_account(register, tmp_path, monkeypatch, capsys):
    db, _session, _reg, _ids = register
    accounts.create_account(db, "hoa.viewer", "Hà Thị Hoa", "viewer", "tam-thoi-456",
                         must_change_password=False)
    path = str(tmp_path / "reg.db")
    full = tmp_path / "full.xlsx"
    assert main(["export", "--db", path, "full", "--out", str(full)]) != 0  # no --as
    assert not full.exists()
    monkeypatch.setenv("TREEM_PASSWORD", "tam-thoi-456")
    args = ["export", "--db", path, "full", "--out", str(full), "--as", "hoa.viewer"]
    assert main(args) != 0  # a viewer sees reports only
    assert not full.exists()
    report = tmp_path / "report.xlsx"
    assert main(["export", "--db", path, "report", "--out", str(report),
                 "--as", "hoa.viewer"]) == 0
    monkeypatch.setenv("TREEM_PASSWORD", "tam-thoi-123")
    assert main([*args[:-1], "lan.officer", "--sensitive"]) == 0
    header = next(openpyxl.load_workbook(full).active.iter_rows(values_only=True))
    assert "Dân tộc" in header  # asked for, and the officer may


def test_import_of_a_nameless_row_rejects_that_row_and_keeps_the_others(sandbox, tmp_path,
                                                                       capsys):
    from tui.store.database import open_db

    rows = [list(r) for r in ROWS]
    rows[0][1] = None  # a row with every value but the name
    source = write_book(tmp_path / "ds.xlsx", rows=rows)
    db = open_db(sandbox)
    before = db.execute_sql("SELECT count(*) FROM child").fetchone()[0]
    db.close()
    assert main(["import", "--db", str(sandbox), "children", str(source), "--yes"]) == 0
    assert "Đã nhập 2 trẻ em; 1 dòng bị từ chối; tổng 3 dòng" in capsys.readouterr().out
    errors = openpyxl.load_workbook(tmp_path / "ds-loi.xlsx").active
    assert any("Lò Văn Bình" in str(v) for row in errors.iter_rows(values_only=True)
               for v in row)  # the rejected row is written back whole, with the reason
    db = open_db(sandbox)
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == before + 2
    assert db.execute_sql("SELECT count(*) FROM child WHERE full_name = ''").fetchone()[0] == 0
    db.close()


def test_every_text_of_the_spreadsheet_commands_exists_in_vietnamese():
    import re
    import unicodedata
    from pathlib import Path

    import tui.cli_spreadsheets
    import tui.services.police
    import tui.services.transfer
    from tui.messages import spreadsheets as texts

    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (
        tui.cli_spreadsheets, tui.services.transfer, tui.services.police))
    used = set(re.findall(r'(?:_t|texts\.text|sheet_msg\.text)\(\s*"([\w.]+)"', source))
    used |= {"yes", "no"}  # chosen by a condition inside the call
    assert used and used <= set(texts.MESSAGES)
    for code, template in texts.MESSAGES.items():
        assert unicodedata.is_normalized("NFC", template), code
    assert texts.text("police_done", rows=2, batch=7, path="a.xlsx") == (
        "Đã lập đợt xác minh 7 với 2 trẻ em và ghi tệp a.xlsx.")


def test_full_export_rows_stream_the_same_children_circumstances_and_verification(
        register, tmp_path):
    """The one streamed query of the full export gives each child exactly its own
    circumstances and supports (in order) and the police verification of its number."""
    from tui.store import children as child_store
    from tui.store import police as police_store

    db, _session, reg, ids = register
    exported = reg.transfer.export_police(tmp_path / "ca.xlsx")
    fill_numbers(tmp_path / "ca.xlsx", {"Lò Văn Ánh": "014216000101"})
    reg.transfer.import_police(tmp_path / "ca.xlsx")
    assert exported.rows == 3
    commune = db.execute_sql("SELECT commune FROM child WHERE id = ?", (ids[1],)).fetchone()[0]
    db.execute_sql("INSERT INTO child_circumstance (child_id, code, start_date, end_date, note,"
                   " commune) VALUES (?, 'NC02', '2020-01-01', NULL, '', ?),"
                   " (?, 'DB04', NULL, NULL, '', ?), (?, 'DB01', NULL, '2024-05-01', '', ?)",
                   (ids[1], commune, ids[1], commune, ids[2], commune))
    db.execute_sql("INSERT INTO support (child_id, form, date, note, commune)"
                   " VALUES (?, 'TG01', '2023-12-31', '', ?)", (ids[1], commune))

    rows = list(child_store.export_records(db, ("id", "full_name")))
    circumstances = child_store.grouped_rows(db, "circumstances")
    supports = child_store.grouped_rows(db, "supports")
    verified = police_store.verified_ids(db)
    assert sorted(r["id"] for r in rows) == sorted(ids)
    assert verified == {ids[0]}
    for row in rows:
        assert row["circumstances"] == circumstances.get(row["id"], [])
        assert row["supports"] == supports.get(row["id"], [])
        assert row["id_verified"] is (row["id"] in verified)
    assert [c["code"] for c in circumstances[ids[1]]] == ["NC02", "DB04"]


def test_app_exports_work_in_its_private_scratch_folder_and_clean_what_a_kill_left(
        register, tmp_path, monkeypatch):
    from tui import paths

    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "data")
    monkeypatch.setattr(paths, "_cleaned", False)
    scratch = tmp_path / "data" / "scratch"
    scratch.mkdir(parents=True, mode=0o700)
    stale = scratch / "w-999999999-killed"  # no process has this id
    stale.mkdir()
    (stale / "partial.xlsx").write_bytes(b"personal data")
    seen = []
    import exports.atomic

    real = exports.atomic.work_folder

    def spy(root=None):
        seen.append(root)
        return real(root)

    monkeypatch.setattr(exports.atomic, "work_folder", spy)
    _db, _session, reg, _ids = register
    for kind in ("full", "cleaning", "report"):
        reg.transfer.export(kind, tmp_path / f"{kind}.xlsx")
    assert seen == [scratch] * 3
    assert not stale.exists()
    assert stat.S_IMODE(os.stat(scratch).st_mode) == 0o700
    assert list(scratch.iterdir()) == []


def test_import_validates_each_row_once_and_stores_what_the_plan_found(
        sandbox, tmp_path, monkeypatch):
    import libchild
    from tui.store.database import open_db

    calls = []
    real_clean = libchild.clean

    def counting(record, **kwargs):
        calls.append(record.get("full_name"))
        return real_clean(record, **kwargs)

    monkeypatch.setattr(libchild, "clean", counting)
    source = write_book(tmp_path / "ds.xlsx")
    db = open_db(sandbox)
    reg = Services(db, accounts.sandbox_session(db))
    plan, options = reg.transfer.plan_children_import(source)
    assert len(calls) == plan.rows_in == 3
    result = reg.transfer.commit_children_import(plan, options, tmp_path / "loi.xlsx")
    assert len(calls) == 3  # the insert used the plan's results
    assert result.imported == 3
    stored = db.execute_sql(
        "SELECT full_name, birth_date, personal_id FROM child WHERE full_name = ?",
        ("Lò Văn Ánh",)).fetchall()
    assert ("Lò Văn Ánh", "2016-03-12", "014216000101") in stored
    db.close()


def test_a_row_the_register_refuses_at_the_commit_keeps_its_cells_and_reason(
        sandbox, tmp_path):
    """The plan keeps its rows compactly while the person confirms; a number saved by
    someone else meanwhile still sends the row, as typed, to the error workbook."""
    from exports.import_children import RowResult
    from tui.store.bulk import insert_children_bulk
    from tui.store.database import open_db

    source = write_book(tmp_path / "ds.xlsx")
    db = open_db(sandbox)
    reg = Services(db, accounts.sandbox_session(db))
    plan, options = reg.transfer.plan_children_import(source)
    first = plan.accepted[0]
    assert isinstance(first, RowResult) and first.record["personal_id"] == "014216000101"
    other = dict(first.record, full_name="Lò Văn Khác")
    assert insert_children_bulk(db, [other]).inserted == 1  # saved in between
    result = reg.transfer.commit_children_import(plan, options, tmp_path / "loi.xlsx")
    assert (result.imported, result.rejected) == (2, 1)
    assert [r.number for r in plan.rejected] == [first.number]
    assert all(not r.problems for r in plan.accepted)  # the other rows stay clean
    sheet = openpyxl.load_workbook(tmp_path / "loi.xlsx").active
    values = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert "Lò Văn Ánh" in values and "014216000101" in values
    assert any("Số định danh này đã có ở hồ sơ trẻ khác" in str(v) for v in values)
    db.close()
