"""No personal data left behind, and a full disk is a Vietnamese message.

Partial files live in a private scratch folder, never beside the output; a writer
killed at random times leaves nothing in the output folder but complete files.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from exports import atomic
from exports.errors import SpreadsheetError
from exports.full import write_full
from exports.progress import Cancelled
from exports.scratch import clean_stale, private_root, work_folder
from libchild.issues import issue

ROOT = Path(__file__).resolve().parent.parent
CHILD = {"personal_id": "014216000101", "full_name": "Lò Văn Ánh", "sex": "1",
         "birth_date": "2016-03-12", "ethnicity": "03", "village": "Bản Nà Sản"}


def children(count):
    for i in range(count):
        yield dict(CHILD, full_name=f"Lò Văn Ánh {i}")


def test_scratch_root_is_private_and_work_folders_go_away(tmp_path):
    root = private_root(tmp_path / "rieng")
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    with work_folder(root) as work:
        assert work.parent == root and work.is_dir()
    assert list(root.iterdir()) == []


def test_a_scratch_root_others_can_read_is_refused(tmp_path):
    shared = tmp_path / "chung"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(SpreadsheetError) as err:
        private_root(shared)
    assert err.value.code == "output.scratch_unsafe"
    link = tmp_path / "lienket"
    link.symlink_to(private_root(tmp_path / "that"))
    with pytest.raises(SpreadsheetError):
        private_root(link)


def test_partial_file_is_written_in_scratch_and_only_the_result_appears(tmp_path):
    out_dir, scratch = tmp_path / "out", tmp_path / "scratch"
    out_dir.mkdir()
    seen = []

    def watch(step):
        seen.append((step, sorted(p.name for p in out_dir.iterdir()),
                     sorted(p.name for p in scratch.rglob("*"))))

    atomic.fault_hook = watch
    try:
        write_full(out_dir / "ds.xlsx", children(50), scratch=scratch)
    finally:
        atomic.fault_hook = None
    step, in_out, in_scratch = seen[0]
    assert step == "written" and in_out == []  # nothing beside the output while writing
    assert "ds.xlsx" in in_scratch
    assert [p.name for p in out_dir.iterdir()] == ["ds.xlsx"]
    assert stat.S_IMODE((out_dir / "ds.xlsx").stat().st_mode) == 0o600
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("how", ["cancel", "error"])
def test_cancel_or_failure_leaves_nothing_anywhere(tmp_path, how):
    out_dir, scratch = tmp_path / "out", tmp_path / "scratch"
    out_dir.mkdir()

    def rows():
        yield from children(10)
        if how == "cancel":
            raise Cancelled
        raise RuntimeError("broken cursor")

    with pytest.raises(Cancelled if how == "cancel" else RuntimeError):
        write_full(out_dir / "ds.xlsx", rows(), scratch=scratch)
    assert list(out_dir.iterdir()) == [] and list(scratch.iterdir()) == []


def _disk_full(step):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("writer", ["full", "police", "cleaning", "errors"])
def test_full_disk_is_a_vietnamese_message_for_every_writer(tmp_path, writer):
    from datetime import date

    from fixtures.exports_books import write_book

    from exports.cleaning import write_cleaning
    from exports.import_children import plan_import, write_error_workbook
    from exports.police import write_police_list

    out = tmp_path / "ra.xlsx"
    atomic.fault_hook = _disk_full
    try:
        with pytest.raises(SpreadsheetError) as err:
            if writer == "full":
                write_full(out, children(5), scratch=tmp_path / "s")
            elif writer == "police":
                write_police_list(out, [dict(CHILD, row_key="1")], batch_id="1",
                                  commune="Xã Mường La", on=date(2026, 1, 5),
                                  scratch=tmp_path / "s")
            elif writer == "cleaning":
                write_cleaning(out, {"no_id": [(CHILD, [issue("personal_id.missing")])]},
                               scratch=tmp_path / "s")
            else:
                rows = [(1, "Lò Văn Ánh", "32/13/2016", "Nam", "Thái", None, "Bản Nà Sản",
                         "Lò Văn Bình", "Quàng Thị Lả")]
                plan = plan_import(write_book(tmp_path / "vao.xlsx", rows=rows))
                write_error_workbook(plan, out, scratch=tmp_path / "s")
    finally:
        atomic.fault_hook = None
    assert err.value.code == "output.disk_full"
    assert "ổ đĩa đã đầy" in str(err.value)
    assert not out.exists()
    assert list((tmp_path / "s").iterdir()) == []


def _mount_tiny_tmpfs(path: Path) -> bool:
    path.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs",
                               str(path)], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def test_full_disk_on_a_real_tiny_file_system(tmp_path):
    """A 64 KB tmpfs as output folder (root only); else the ENOSPC is injected."""
    disk = tmp_path / "disk"
    mounted = _mount_tiny_tmpfs(disk)
    try:
        if not mounted:
            atomic.fault_hook = _disk_full
        for scratch in (tmp_path / "s", disk / "s"):  # copy across, and write in place
            with pytest.raises(SpreadsheetError) as err:
                write_full(disk / "ds.xlsx", children(3000), scratch=scratch)
            assert err.value.code == "output.disk_full", err.value
            assert not (disk / "ds.xlsx").exists()
            assert [p.name for p in disk.iterdir() if p.name != "s"] == []
    finally:
        atomic.fault_hook = None
        if mounted:
            subprocess.run(["umount", str(disk)], check=False)


_WRITER = r"""
import sys
from exports.full import write_full
rows = ({"full_name": f"Lò Văn Ánh {i}", "birth_date": "2016-03-12", "sex": "1",
         "personal_id": "014216%06d" % i} for i in range(int(sys.argv[3])))
write_full(sys.argv[1] + "/ds.xlsx", rows, scratch=sys.argv[2])
print("done")
"""


def test_writer_killed_at_random_times_leaves_only_complete_files(tmp_path):
    out_dir, scratch = tmp_path / "out", tmp_path / "scratch"
    out_dir.mkdir()
    rnd = random.Random(9)
    rows = 4000
    command = [sys.executable, "-c", _WRITER, str(out_dir), str(scratch), str(rows)]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)
    whole = time.perf_counter() - start  # kills spread over a whole run, however busy
    (out_dir / "ds.xlsx").unlink()
    finished = killed = 0
    for _ in range(24):
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        time.sleep(rnd.uniform(0.0, whole))
        process.send_signal(signal.SIGKILL)
        out, _err = process.communicate(timeout=60)
        if b"done" in out:
            finished += 1
        else:
            killed += 1
        for entry in out_dir.iterdir():
            assert entry.name == "ds.xlsx", entry.name  # no hidden partial file
            with zipfile.ZipFile(entry) as book:  # complete: every row is there
                sheet = book.read("xl/worksheets/sheet1.xml")
                assert sheet.count(b"<row ") == rows + 1
            entry.unlink()
    assert killed >= 3  # the kill really hit writers at work
    assert clean_stale(scratch) >= 0
    assert list(scratch.iterdir()) == []  # what the killed ones left is cleaned at start
    assert finished + killed == 24


def test_clean_stale_keeps_the_work_of_live_processes(tmp_path):
    root = private_root(tmp_path / "r")
    dead = root / "w-999999999-abc"
    dead.mkdir()
    (dead / "ds.xlsx").write_bytes(b"personal data")
    with work_folder(root) as mine:
        assert clean_stale(root) == 1
        assert mine.exists() and not dead.exists()


def _other_file_system(tmp_path: Path) -> Path | None:
    """A folder on another file system than ``tmp_path`` (/dev/shm or a small tmpfs)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and \
            shm.stat().st_dev != tmp_path.stat().st_dev:
        return shm
    disk = tmp_path / "khac"
    if _mount_tiny_tmpfs(disk):
        subprocess.run(["mount", "-o", "remount,size=16m", str(disk)], check=False)
        return disk
    return None


def test_publishing_across_file_systems_leaves_no_partial_file(tmp_path):
    other = _other_file_system(tmp_path)
    if other is None:
        pytest.skip("no second file system to write across")
    scratch = other / f"treem-test-{os.getpid()}"
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    seen = []
    atomic.fault_hook = lambda step: seen.append((step, sorted(p.name for p in out_dir.iterdir())))
    try:
        write_full(out_dir / "ds.xlsx", children(200), scratch=scratch)
    finally:
        atomic.fault_hook = None
        shutil.rmtree(scratch, ignore_errors=True)
        if other.name == "khac":
            subprocess.run(["umount", str(other)], check=False)
    # the copy is complete before anything has a name in the output folder
    assert ("copied", []) in seen
    assert [p.name for p in out_dir.iterdir()] == ["ds.xlsx"]
    assert stat.S_IMODE((out_dir / "ds.xlsx").stat().st_mode) == 0o600
    with zipfile.ZipFile(out_dir / "ds.xlsx") as book:
        assert book.read("xl/worksheets/sheet1.xml").count(b"<row ") == 201
