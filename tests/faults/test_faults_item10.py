"""Item 10 of issue 9 ("Smaller"), one test per defect, each in the scenario the issue
found it: (a) a stale copy saved without its version overwrote a newer save; (b) a
household saved without children lost its village; (c) the conflict message showed a raw
ISO timestamp; (d) ``treem import police`` with another workbook asked for children's
columns; (e) the folders ``treem init`` made followed the umask; (f) a 10,000-character
name was stored with a warning."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from kit import new_register, person
from test_faults_commands import PASSWORD, ROOT, _as, _treem, register, template

from libchild.rules import validate
from libchild.text import NAME_MAX_CHARS, TEXT_MAX_CHARS
from tui.domain import Role
from tui.errors import Conflict, InvalidInput
from tui.services import Services
from tui.store.bulk import insert_children_bulk

assert template and register  # the register fixtures of test_faults_commands, shared

KID = {"full_name": "Lò Văn Páo", "sex": "1", "birth_date": "2015-03-15", "ethnicity": "03",
       "nationality": "VN", "schooling": "04", "father_name": "Lò Văn Tòng",
       "mother_name": "Quàng Thị Ín", "personal_id": "014215001234"}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SHOWN = re.compile(r"lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2} ")


@pytest.fixture
def world(tmp_path: Path) -> tuple[Services, Services, int]:
    db = new_register(tmp_path / "reg.db")
    admin = person(db, "quan.tri", Role.ADMINISTRATOR)
    village = admin.commune.add_village("Bản Nà Lo")
    officer = person(db, "can.bo", Role.OFFICER)
    yield admin, officer, village
    db.close()


def _count(services: Services, table: str) -> int:
    return services.db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]


# --- (a) --------------------------------------------------------------------------------
def test_a_stale_copy_saved_without_its_version_never_overwrites_a_newer_save(world) -> None:
    admin, officer, village = world
    child_id = admin.children.save({**KID, "village_id": village}).child_id
    stale = admin.children.get(child_id)  # the admin opens the record (version 1)
    officer.children.save({"id": child_id, "schooling": "05"}, expected_version=1)
    whole = {**stale.fields(), "id": child_id, "village_id": village}
    with pytest.raises(InvalidInput, match="thiếu phiên bản") as refused:
        admin.children.save(whole)  # the whole stale record, no version: refused
    assert unicodedata.is_normalized("NFC", str(refused.value))
    with pytest.raises(Conflict):
        admin.children.save(whole, expected_version=stale.version)
    now = admin.children.get(child_id)
    assert (now.schooling, now.version) == ("05", 2)  # the officer's save is kept
    # a change of one field based on the version stored is served
    admin.children.save({"id": child_id, "address_detail": "Tổ 3"}, expected_version=2)
    assert admin.children.get(child_id).schooling == "05"
    # the same rule through a household book: a stored child, or the household, without
    # the version it was based on is refused, and nothing of the book is written
    household = admin.households.save({"book_number": "NL-1", "village_id": village}, [],
                                      []).household_id
    audit_before = _count(admin, "audit_entry")
    with pytest.raises(InvalidInput, match="thiếu phiên bản"):
        admin.households.save({"id": household, "version": 1, "book_number": "NL-2"},
                              [{**KID, "id": child_id, "schooling": "06"}], [])
    with pytest.raises(InvalidInput, match="thiếu phiên bản"):
        admin.households.save({"id": household, "book_number": "NL-2"}, [], [])
    assert admin.households.get(household).book_number == "NL-1"
    assert admin.children.get(child_id, audit_view=False).schooling == "05"
    assert _count(admin, "audit_entry") == audit_before  # nothing of either save


# --- (b) --------------------------------------------------------------------------------
def test_a_household_saved_without_children_keeps_its_village(world) -> None:
    admin, _officer, village = world
    saved = admin.households.save({"book_number": "NL-1", "village_id": village,
                                   "address": "Bản Nà Lo"}, [{**KID}], [])
    household = admin.households.get(saved.household_id)
    assert household.village_id == village
    # the book's header corrected on its own: no children, no village in the form
    admin.households.save({"id": household.id, "version": household.version,
                           "book_number": "NL-1", "address": "Tổ 2, Bản Nà Lo",
                           "village": ""}, [], [])
    again = admin.households.get(household.id)
    assert (again.village_id, again.village) == (village, "Bản Nà Lo")
    assert again.address == "Tổ 2, Bản Nà Lo"
    changed = [r[0] for r in admin.db.execute_sql(
        "SELECT field FROM audit_entry WHERE entity = 'household' AND action = 'update'")]
    assert changed == ["address"]


# --- (c) --------------------------------------------------------------------------------
def test_conflict_messages_show_the_local_date_and_time_never_an_iso_timestamp(world) -> None:
    admin, officer, village = world
    child_id = admin.children.save({**KID, "village_id": village}).child_id
    officer.children.save({"id": child_id, "schooling": "05"}, expected_version=1)
    household = admin.households.save({"book_number": "NL-1", "village_id": village}, [],
                                      []).household_id
    officer.households.save({"id": household, "version": 1, "book_number": "NL-1",
                             "address": "Tổ 1"}, [], [])
    keep = admin.children.save({**KID, "personal_id": None, "full_name": "Hà Văn Ken",
                                "village_id": village}).child_id
    drop = admin.children.save({**KID, "personal_id": None, "full_name": "Ha Van Ken",
                                "village_id": village}).child_id
    merged = admin.duplicates.merge(keep, drop)
    officer.children.save({"id": keep, "schooling": "06"}, expected_version=merged.version)
    conflicts = []
    for attempt in (
            lambda: admin.children.save({"id": child_id, "schooling": "06"},
                                        expected_version=1),
            lambda: admin.children.add_support(child_id, "TG01", "2025-02-01",
                                               expected_version=1),
            lambda: admin.households.save({"id": household, "version": 1,
                                           "book_number": "NL-1"}, [], []),
            lambda: admin.duplicates.undo_merge(drop)):
        with pytest.raises(Conflict) as caught:
            attempt()
        conflicts.append(caught.value)
    # and whoever raises one in future with the stored timestamp
    conflicts.append(Conflict({}, {}, mine_version=1, theirs_version=2, by="Cán Bộ",
                              at="2026-12-05T23:59:58.123456+00:00"))
    for conflict in conflicts:
        text = str(conflict)
        assert SHOWN.search(text) and not ISO.search(text), text
        assert not ISO.search(conflict.at), conflict.at


# --- (d) --------------------------------------------------------------------------------
def _police_state(register: Path) -> tuple:
    with sqlite3.connect(register) as conn:
        return tuple(conn.execute(sql).fetchall() for sql in (
            "SELECT * FROM police_batch", "SELECT * FROM police_batch_row",
            "SELECT id, personal_id, state, version FROM child ORDER BY id"))


def _children_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh"])
    sheet.append([1, "Lò Văn Ánh", "12/03/2016", "Nam", "Thái", "014216001234"])
    book.save(path)
    return path


def test_import_police_with_another_workbook_says_it_is_not_a_police_return(
        register, tmp_path) -> None:
    def cli(*words: str) -> subprocess.CompletedProcess[str]:
        return _treem(words[0], words[1], "--db", str(register), *_as(tmp_path),
                      *words[2:], tmp=tmp_path)

    for kind in ("cleaning", "full"):
        done = cli("export", kind, "--out", str(tmp_path / f"{kind}.xlsx"))
        assert done.returncode == 0, done.stderr
    before = _police_state(register)
    for name in ("cleaning.xlsx", "full.xlsx", "tre-em.xlsx"):
        workbook = tmp_path / name
        if name == "tre-em.xlsx":
            _children_workbook(workbook)
        done = cli("import", "police", str(workbook), "--yes")
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        assert "không phải danh sách công an trả về" in done.stderr, done.stderr
        assert "Mã đợt" in done.stderr and "Mã dòng" in done.stderr
        assert "Cần có các cột" not in done.stderr  # never the children's columns
        assert "Traceback" not in done.stderr and "Error" not in done.stderr
        assert unicodedata.is_normalized("NFC", done.stderr)
    assert _police_state(register) == before  # no batch, row or number written


# --- (e) --------------------------------------------------------------------------------
def _init_under(umask: int, tmp: Path, *db: str) -> subprocess.CompletedProcess[str]:
    secret = tmp / "mat-khau"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    clean.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "home" / "data"),
                 PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *db, "init", "--commune", "03808",
         "--admin", "quan.tri", "--password-file", str(secret)],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL, preexec_fn=lambda: os.umask(umask))


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_the_folders_and_files_init_makes_are_private_whatever_the_umask(umask,
                                                                        tmp_path) -> None:
    chosen = _init_under(umask, tmp_path, "--db", str(tmp_path / "xa" / "so" / "treem.db"))
    assert chosen.returncode == 0, chosen.stderr
    default = _init_under(umask, tmp_path)  # the user's data folder, made from nothing
    assert default.returncode == 0, default.stderr
    assert (tmp_path / "home" / "data" / "treem" / "treem.db").exists()
    made = [p for top in (tmp_path / "xa", tmp_path / "home")
            for p in (top, *top.rglob("*"))]
    assert len(made) >= 8
    for path in made:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (oct(mode), path)


# --- (f) --------------------------------------------------------------------------------
def test_a_ten_thousand_character_name_is_refused_in_vietnamese(world, tmp_path) -> None:
    admin, officer, village = world
    huge = "Lò Văn " + "a" * 9_993
    assert len(huge) == 10_000
    for field in ("full_name", "father_name", "mother_name", "caregiver_name"):
        with pytest.raises(InvalidInput) as refused:
            officer.children.save({**KID, "village_id": village, field: huge})
        text = str(refused.value)
        assert f"dài 10000 ký tự, quá giới hạn {NAME_MAX_CHARS} ký tự" in text, text
        assert unicodedata.is_normalized("NFC", text)
    with pytest.raises(InvalidInput, match=f"quá giới hạn {TEXT_MAX_CHARS} ký tự"):
        officer.children.save({**KID, "village_id": village, "address_detail": "Tổ " * 200})
    assert _count(admin, "child") == 0
    # an edit: refused, the stored name unchanged
    child_id = officer.children.save({**KID, "village_id": village}).child_id
    with pytest.raises(InvalidInput, match="Họ và tên"):
        officer.children.save({"id": child_id, "full_name": huge}, expected_version=1)
    assert admin.children.get(child_id).full_name == "Lò Văn Páo"
    # a household's caregiver, a village, an account holder
    with pytest.raises(InvalidInput, match="quá giới hạn"):
        officer.households.save({"book_number": "NL-9", "village_id": village}, [],
                                [{"full_name": huge, "relation": "guardian"}])
    with pytest.raises(InvalidInput, match="quá giới hạn"):
        admin.commune.add_village("Bản " + "Nà " * 100)
    with pytest.raises(InvalidInput, match="quá giới hạn"):
        admin.users.create("nguoi.moi", huge, Role.OFFICER, "mat-khau-tam-1")
    assert _count(admin, "household") == 0 and _count(admin, "user") == 2
    # libchild, which imports and other programs use, calls it an error (not a warning)
    issues = [i for i in validate({**KID, "full_name": huge}) if i.field == "full_name"]
    assert [(i.code, i.severity) for i in issues] == [("full_name.over_limit", "error")]
    assert f"dài quá {NAME_MAX_CHARS} ký tự" in issues[0].message
    # and the bulk path of spreadsheet imports rejects such rows (into the error workbook)
    rows = [{**KID, "personal_id": None, "full_name": huge},
            {**KID, "personal_id": None, "address_detail": "Tổ " * 200}]
    result = insert_children_bulk(admin.db, rows, allow_errors=False)
    assert result.ids == (None, None)
    assert [[i.code for i in issues if i.severity == "error"]
            for _n, issues in result.rejected] == [["full_name.over_limit"],
                                                   ["address_detail.over_limit"]]
    # a long but real name at the bound is still served (with the "unusually long" warning)
    at_bound = "Lò Văn " + "a" * (NAME_MAX_CHARS - 7)
    saved = officer.children.save({**KID, "personal_id": None, "full_name": at_bound,
                                   "village_id": village})
    assert [i.code for i in saved.issues if i.field == "full_name"] == ["full_name.too_long"]


def test_a_note_longer_than_the_bound_is_refused_wherever_a_note_is_written(world) -> None:
    """Step 5, duplicate decisions and police lists keep their notes in the register and
    show them on screens and in files: a pasted page is refused, nothing is written."""
    admin, officer, village = world
    one = officer.children.save({**KID, "village_id": village}).child_id
    two = officer.children.save({**KID, "personal_id": None, "full_name": "Lò Thị Mai",
                                 "village_id": village}).child_id
    page = "ghi chú " * 100
    events = _count(admin, "workflow_event")
    with pytest.raises(InvalidInput, match=f"quá giới hạn {TEXT_MAX_CHARS} ký tự"):
        officer.children.mark_circumstances_reviewed(one, note=page)
    with pytest.raises(InvalidInput, match=f"quá giới hạn {TEXT_MAX_CHARS} ký tự"):
        officer.duplicates.decide(one, two, "different", note=page)
    with pytest.raises(InvalidInput, match=f"quá giới hạn {TEXT_MAX_CHARS} ký tự"):
        officer.police.open_batch([one], note=page)
    assert _count(admin, "workflow_event") == events
    assert _count(admin, "duplicate_decision") == 0 and _count(admin, "police_batch") == 0
    officer.duplicates.decide(one, two, "different", note="hai bạn khác nhau")
    assert _count(admin, "duplicate_decision") == 1
