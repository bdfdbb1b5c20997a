"""Items 4, 6 and 8 of issue 9 reproduced end to end through ``treem import`` (their unit
tests are in tests/test_exports_hostile.py, tests/test_exports_headers.py and
tests/test_exports_scratch.py): a zip bomb is refused within bounded memory, a merged
"Họ và tên" header stores the whole name, and a process killed after an import commits
leaves no personal data outside the private scratch folder, which the next start
empties."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from fixtures import hostile_books as hostile
from test_faults_commands import ROOT, _as, _assert_clean_failure, template

from tui.messages import cli as msg

assert template  # the module-scoped register fixture, shared


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB of address space


def _import(register: Path, workbook: Path, tmp: Path, *, env: dict[str, str] | None = None,
            limit: bool = False) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    clean.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "home" / "data"),
                 PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "import", "children", "--db", str(register),
         *_as(tmp), str(workbook), "--yes", "--errors", str(tmp / "loi.xlsx")],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=180,
        stdin=subprocess.DEVNULL, preexec_fn=_limited if limit else None)


@pytest.fixture
def register(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "xa.db"
    shutil.copy(template, copy)
    shutil.copy(f"{template}.key", f"{copy}.key")  # the chain's key goes with the file
    return copy


def _merged_book(path: Path, rows: int = 2) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", None, "Ngày sinh", "Giới tính", "Dân tộc"])
    sheet.append([None, "Họ", "Tên", None, None, None])
    sheet.append([1, "Nguyễn Văn", "Hùng", "12/03/2016", "Nam", "Kinh"])
    for n in range(rows - 1):
        sheet.append([n + 2, "Lò Thị", f"Mai {n}", "99/99/2018", "Nữ", "Thái"])  # rejected
    for ref in ("B1:C1", "A1:A2", "D1:D2", "E1:E2", "F1:F2"):
        sheet.merge_cells(ref)
    book.save(path)
    return path


@pytest.mark.parametrize("lie", [False, True], ids=["sizes-told", "sizes-lie"])
def test_item4_a_one_gigabyte_cell_is_refused_under_one_gigabyte_of_memory(
        register, tmp_path, lie):
    bomb = hostile.huge_cell(tmp_path / "bom.xlsx", lie=lie)
    assert bomb.stat().st_size < 3_000_000
    done = _import(register, bomb, tmp_path, limit=True)
    _assert_clean_failure(done, msg.EXIT_USAGE)
    assert len(done.stderr) < 600 and len(done.stdout) < 2000  # never the cell itself


def test_item8_a_merged_name_header_stores_the_whole_name(register, tmp_path):
    done = _import(register, _merged_book(tmp_path / "gop.xlsx", rows=1), tmp_path)
    assert done.returncode == 0, done.stderr
    names = [r[0] for r in sqlite3.connect(register).execute(
        "SELECT full_name FROM child WHERE full_name LIKE 'Nguyễn%'")]
    assert names == ["Nguyễn Văn Hùng"]


def _files(folder: Path, skip: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and skip not in p.parents}


def test_item6_a_kill_after_the_import_commits_leaves_no_personal_data_behind(
        register, tmp_path):
    from exports.scratch import clean_stale

    book = _merged_book(tmp_path / "gop.xlsx", rows=3)  # two rows go to the error workbook
    scratch = tmp_path / "home" / "data"
    before = _files(tmp_path, scratch)
    done = _import(register, book, tmp_path, env={"TREEM_FAULT": "import.committed"})
    assert done.returncode == -9  # killed on the spot, as a power cut would
    left = _files(tmp_path, scratch) - before
    # no partial error workbook, no hidden tmp file: only the password file and the WAL
    assert left <= {"pw", "xa.db-wal", "xa.db-shm"}, left
    for root in scratch.rglob("scratch"):  # what the next start does
        clean_stale(root)
    leftovers = [p for p in scratch.rglob("*") if p.is_file()]
    assert not leftovers, leftovers
    rows = sqlite3.connect(register).execute(
        "SELECT count(*) FROM child WHERE full_name = 'Nguyễn Văn Hùng'").fetchone()[0]
    assert rows == 1  # the commit is kept; the error workbook is written by a new import
