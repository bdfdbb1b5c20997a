"""Hostile workbooks are refused quickly, with a Vietnamese message and bounded memory.

Each read runs in a child process limited to 1.5 GB of address space (RLIMIT_AS), so a
regression fails the test instead of exhausting the machine; the child reports the
error code, the seconds taken and its peak resident memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from fixtures import hostile_books as hostile

ROOT = Path(__file__).resolve().parent.parent
_CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from exports.columns import header_score
from exports.errors import SpreadsheetError
from exports.workbook_reader import read_table
start = time.perf_counter()
try:
    table = read_table(sys.argv[1], header_score)
    code, message = "read", str(len(table.rows))
except SpreadsheetError as exc:
    code, message = exc.code, str(exc)
# VmHWM: the peak of this program only (ru_maxrss keeps the parent's size from the fork)
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM:"))
print(json.dumps({"code": code, "message": message,
                  "seconds": time.perf_counter() - start, "peak_mb": peak / 1024}))
"""


def read_bounded(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def assert_refused(result: dict, code: str) -> None:
    assert result["code"] == code, result
    assert result["seconds"] < 10
    assert result["peak_mb"] < 300
    message = result["message"]
    assert unicodedata.is_normalized("NFC", message)
    assert len(message) < 400  # never the content of the file


@pytest.mark.parametrize(("build", "code"), [
    (lambda p: hostile.huge_cell(p), "limit.part_size"),
    (lambda p: hostile.huge_cell(p, lie=True), "limit.part_declared"),
    (lambda p: hostile.whitespace(p), "limit.part_size"),
    (lambda p: hostile.whitespace(p, lie=True), "limit.part_declared"),
], ids=["1GB-cell", "1GB-cell-size-lies", "2GB-blank", "2GB-blank-size-lies"])
def test_zip_bombs_are_refused_before_or_while_decompressing(tmp_path, build, code):
    path = build(tmp_path / "bom.xlsx")
    assert path.stat().st_size < 3_000_000
    assert_refused(read_bounded(path), code)


def test_a_gigabyte_cell_within_the_declared_sizes_is_stopped_by_its_length(tmp_path):
    # sizes told truthfully but under the limits' radar: a 150 MB cell (ratio > 100)
    assert_refused(read_bounded(hostile.huge_cell(tmp_path / "a.xlsx", size=150 << 20)),
                   "limit.ratio")
    # and a cell longer than Excel allows, in a small file: the run-length counter
    result = read_bounded(hostile.huge_cell(tmp_path / "b.xlsx", size=1 << 20, varied=True))
    assert_refused(result, "limit.text_run")


@pytest.mark.parametrize(("ref", "code"), [
    ("XFD1", "limit.columns"),  # one row of 16,384 columns: 268 million cells with A16384
    ("XFD1048576", "file.too_many_rows"),
    ("AMJ290000", "limit.cells"),  # each within its limit, the grid is not
])
def test_a_far_cell_reference_never_reaches_the_grid_reader(tmp_path, ref, code):
    assert_refused(read_bounded(hostile.far_cell(tmp_path / "xa.xlsx", ref)), code)


def test_a_row_of_empty_cells_without_references_is_counted(tmp_path):
    assert_refused(read_bounded(hostile.empty_cells(tmp_path / "rong.xlsx", 200 * 1024)),
                   "limit.columns")


def test_deeply_nested_xml_is_refused(tmp_path):
    assert_refused(read_bounded(hostile.nested_workbook(tmp_path / "long.xlsx")),
                   "file.xml_nested")


@pytest.mark.parametrize("where", ["sheet", "workbook"])
def test_entity_bomb_is_refused(tmp_path, where):
    assert_refused(read_bounded(hostile.entity_bomb(tmp_path / "lol.xlsx", where)),
                   "file.xml_declaration")


def test_shared_string_index_out_of_range_is_a_message_not_index_error(tmp_path):
    result = read_bounded(hostile.bad_shared_index(tmp_path / "hong.xlsx"))
    assert_refused(result, "cell.shared_string_missing")
    assert "hong.xlsx" in result["message"]


def test_the_import_preview_never_prints_a_long_cell(tmp_path):
    from fixtures.exports_books import write_book

    from exports.import_children import plan_import

    long_name = "Lò Văn " + "Ánh" * 10_000
    rows = [(1, long_name, "12/03/2016", "Nam", "Thái", None, "Bản Nà Sản", "Lò Văn Bình",
             "Quàng Thị Lả")]
    plan = plan_import(write_book(tmp_path / "dai.xlsx", rows=rows))
    preview = plan.preview()
    shown = preview["rows"][0]
    assert len(shown["full_name"]) <= 60
    assert all(len(m) <= 300 for m in shown["messages"])
    kept = (plan.accepted + plan.rejected)[0]
    assert kept.cells[1] == long_name  # the error workbook keeps it whole


def test_an_honest_workbook_reads_under_the_same_bounds(tmp_path):
    from fixtures.exports_books import write_book

    result = read_bounded(write_book(tmp_path / "tot.xlsx"))
    assert result["code"] == "read" and result["message"] == "3"
    assert result["peak_mb"] < 300


def test_one_long_shared_string_repeated_in_every_cell_is_counted_each_time(tmp_path):
    path = hostile.repeated_shared_string(tmp_path / "lap.xlsx")
    assert path.stat().st_size < 100_000
    assert_refused(read_bounded(path), "limit.text_chars")
