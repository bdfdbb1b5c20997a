"""The police round trip under crashes: the list file never exists for a batch the
register has not recorded, and a returned file whose rows name other children than the
batch's (by row key, name and birth date) stores nothing.

Each crash is real: a child process runs the export with ``TREEM_FAULT`` naming a step
(``tui.faults``) and kills itself with SIGKILL there; then a fresh process looks at the
database and the output folder.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from exports.errors import SpreadsheetError
from tui.services import Services, accounts
from tui.store.settings import create_register

ROOT = Path(__file__).resolve().parents[2]
KIDS = [
    {"full_name": "Bạc Thị Bun", "sex": "Nữ", "birth_date": "12/03/2016"},
    {"full_name": "Lò Văn Ánh", "sex": "Nam", "birth_date": "05/11/2018"},
    {"full_name": "Quàng Thị Mai", "sex": "Nữ", "birth_date": "20/01/2020"},
]
PW = "tam-thoi-123"

EXPORT = """
import sys
from pathlib import Path
from tui.services import Services, accounts
from tui.store.database import open_db
db = open_db(Path(sys.argv[1]))
reg = Services(db, accounts.login(db, "lan.officer", "tam-thoi-123"))
print(reg.transfer.export_police(Path(sys.argv[2])).batch, flush=True)
"""


def make_register(path: Path, kids=KIDS) -> Services:
    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    accounts.create_account(db, "lan.officer", "Lò Thị Lan", "officer", PW,
                            must_change_password=False)
    reg = Services(db, accounts.login(db, "lan.officer", PW))
    for kid in kids:
        reg.children.save(kid)
    return reg


def run_export(db: Path, out: Path, fault: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TREEM_FAULT"}
    env["PYTHONPATH"] = str(ROOT)
    env["TMPDIR"] = str(out.parent.parent / "scratch")
    Path(env["TMPDIR"]).mkdir(exist_ok=True)
    if fault:
        env["TREEM_FAULT"] = fault
    return subprocess.run([sys.executable, "-c", EXPORT, str(db), str(out)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def batches(db: Path) -> list[int]:
    import sqlite3
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT id FROM police_batch ORDER BY id")]


def export_audits(db: Path) -> int:
    import sqlite3
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM audit_entry "
                           "WHERE entity = 'export_police'").fetchone()[0]


@pytest.mark.parametrize("point, committed", [
    ("police.written", False),
    ("police.committed", True),
    ("police.published", True),
])
def test_sigkill_at_each_step_never_leaves_a_file_of_an_unrecorded_batch(
        tmp_path, point, committed):
    db = tmp_path / "reg.db"
    make_register(db).ctx.db.close()
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "ca.xlsx"
    done = run_export(db, out, point)
    assert done.returncode == -signal.SIGKILL, done.stderr
    has_batch = bool(batches(db))
    assert has_batch is committed
    assert export_audits(db) == (1 if committed else 0)  # batch and audit together
    if out.exists():  # published: only ever after the commit
        assert has_batch
    assert out.exists() is (point == "police.published")
    assert [p.name for p in outdir.iterdir()] == (["ca.xlsx"] if out.exists() else [])
    # the next export (a fresh process) makes a new batch number, never reuses one
    again = run_export(db, out, None)
    assert again.returncode == 0, again.stderr
    assert int(again.stdout.split()[-1]) == (2 if committed else 1)
    assert "Traceback" not in again.stderr


def test_random_sigkill_during_export_never_publishes_before_commit(tmp_path):
    """Real ``kill -9`` at random moments while the export runs: a file under the final
    name always has its batch and audit entry in the database."""
    db = tmp_path / "reg.db"
    make_register(db, KIDS * 20).ctx.db.close()
    rng = random.Random(9)
    env = {k: v for k, v in os.environ.items() if k != "TREEM_FAULT"}
    env["PYTHONPATH"] = str(ROOT)
    runs = int(os.environ.get("TREEM_CRASH_RUNS", "12"))
    seen_file = 0
    for run in range(runs):
        out = tmp_path / f"ca-{run}.xlsx"
        proc = subprocess.Popen([sys.executable, "-c", EXPORT, str(db), str(out)],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            seen_file += 1
            wb = openpyxl.load_workbook(out, read_only=True)
            subtitle = str(next(wb.active.iter_rows(min_row=2, max_row=2,
                                                    values_only=True))[0])
            batch = int(subtitle.rsplit(" ", 1)[-1])
            assert batch in batches(db), f"run {run}: file of unrecorded batch {batch}"
    print(f"runs={runs} files={seen_file} batches={len(batches(db))}")
    assert sorted(batches(db)) == list(range(1, len(batches(db)) + 1))
    assert not list(tmp_path.glob(".*.tmp"))


def fill(path: Path, numbers: dict[str, str]) -> None:
    book = openpyxl.load_workbook(path)
    ws = book.active
    cols = {c.value: c.column for c in ws[5] if c.value}
    for row in range(6, ws.max_row + 1):
        name = ws.cell(row, cols["Họ và tên"]).value
        if name in numbers:
            ws.cell(row, cols["Số định danh đã xác minh (Công an ghi)"]).value = numbers[name]
    book.save(path)


def test_an_orphan_file_of_another_batch_1_stores_no_number_on_the_wrong_child(tmp_path):
    """The crash of the issue: a list of batch 1 exists, but the register's batch 1 holds
    other children in other rows. The return is refused whole; nothing changes."""
    orphan_reg = make_register(tmp_path / "a.db")
    orphan = tmp_path / "orphan.xlsx"
    orphan_reg.transfer.export_police(orphan)
    fill(orphan, {"Bạc Thị Bun": "014316000101"})
    other = {"full_name": "Cầm Văn Sơn", "sex": "Nam", "birth_date": "12/03/2016"}
    reg = make_register(tmp_path / "b.db", [other, *KIDS[1:]])
    reg.transfer.export_police(tmp_path / "real.xlsx")  # batch 1 again, row 1 another child
    with pytest.raises(SpreadsheetError) as refused:
        reg.transfer.import_police(orphan)
    assert "không khớp" in str(refused.value) and "Không lưu số nào" in str(refused.value)
    kids = reg.db.execute_sql("SELECT full_name, personal_id FROM child").fetchall()
    assert all(number is None for _name, number in kids)


def test_a_hand_edited_name_in_the_return_is_refused(tmp_path):
    reg = make_register(tmp_path / "a.db")
    out = tmp_path / "ca.xlsx"
    reg.transfer.export_police(out)
    book = openpyxl.load_workbook(out)
    ws = book.active
    cols = {c.value: c.column for c in ws[5] if c.value}
    ws.cell(6, cols["Họ và tên"]).value = "Người Khác"
    ws.cell(6, cols["Số định danh đã xác minh (Công an ghi)"]).value = "014316000101"
    book.save(out)
    with pytest.raises(SpreadsheetError, match="Người Khác"):
        reg.transfer.import_police(out)
    assert reg.db.execute_sql(
        "SELECT count(*) FROM child WHERE personal_id IS NOT NULL").fetchone()[0] == 0


def test_the_same_names_in_another_case_and_spacing_still_match(tmp_path):
    reg = make_register(tmp_path / "a.db")
    out = tmp_path / "ca.xlsx"
    reg.transfer.export_police(out)
    book = openpyxl.load_workbook(out)
    ws = book.active
    cols = {c.value: c.column for c in ws[5] if c.value}
    name = ws.cell(6, cols["Họ và tên"]).value
    ws.cell(6, cols["Họ và tên"]).value = "  " + name.upper().replace(" ", "  ")
    book.save(out)
    fill(out, {"Lò Văn Ánh": "014218000101"})
    result = reg.transfer.import_police(out)
    assert len(result.stored) == 1
