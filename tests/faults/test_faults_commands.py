"""Every command of ``treem`` against every fault: a Vietnamese message, a documented exit
code (``tui.messages.cli.EXIT_*``), no traceback and no English (issue 9, item 7).

Faults: a full disk (a real tmpfs filled to the last block; skipped with the reason when
mounting is refused), a read-only output folder (a tmpfs mounted read-only: chmod does not
stop root), a database locked by another process holding ``BEGIN IMMEDIATE``, a corrupt
workbook (a shared-string index out of range, and a file that is not a zip), a missing
file and a wrong password. Each command runs as a real process.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tui.messages import cli as msg
from tui.services import Services, accounts
from tui.store.settings import create_register

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-quan-tri-1"

#: Words of the OS's, SQLite's and Python's English error texts.
ENGLISH = re.compile(
    r"\b(error|errno|traceback|exception|no such|denied|permission|read-only|readonly|"
    r"disk|full|space|database|locked|file|the|is|not|cannot|failed|invalid|index|"
    r"range|zip|space)\b", re.IGNORECASE)


def _english_words(stderr: str) -> list[str]:
    """English words in ``stderr``, leaving out paths and file names (they are the test's)."""
    words = [w for w in stderr.split() if "/" not in w and "." not in w.strip(".,:;“”")]
    return ENGLISH.findall(" ".join(words))


def _treem(*args: str, tmp: Path, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    clean.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "home" / "data"),
                 PYTHONPATH=str(ROOT), TREEM_LOCK_WAIT_S="1")
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real register with an administrator and three children ready for the police."""
    path = tmp_path_factory.mktemp("template") / "xa.db"
    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    accounts.create_account(db, "quan.tri", "Quản Trị", "administrator", PASSWORD,
                            must_change_password=False)
    admin = Services(db, accounts.login(db, "quan.tri", PASSWORD))
    village = admin.commune.add_village("Bản Nà")
    for name, born in (("Lò Văn Ánh", "12/03/2016"), ("Quàng Thị Bun", "02/11/2018"),
                       ("Cà Văn Dũng", "30/06/2020")):
        admin.children.save({"full_name": name, "sex": "Nam", "birth_date": born,
                             "village_id": village, "mother_name": "Lò Thị Mai"})
    db.close()
    return path


@pytest.fixture
def register(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "xa.db"
    shutil.copy(template, copy)
    shutil.copy(f"{template}.key", f"{copy}.key")  # the chain's key goes with the file
    os.chmod(copy, 0o600)
    return copy


def _mount_tmpfs(where: Path, size: str, *, read_only: bool = False) -> None:
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size},mode=0700" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"mount refused: {done.stderr.strip()}")
        pytest.skip(f"a tmpfs cannot be mounted here ({done.stderr.strip()})")


@pytest.fixture
def mounts():
    made: list[Path] = []

    def mount(where: Path, size: str, *, read_only: bool = False, fill: bool = False,
              ) -> Path:
        _mount_tmpfs(where, size, read_only=read_only)
        made.append(where)
        if fill:
            _fill(where)
        return where

    yield mount
    for where in reversed(made):
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> None:
    """Fill the file system of ``folder`` to its last block."""
    fd = os.open(folder / "filler", os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free < 4096


def _corrupt_workbook(path: Path) -> Path:
    """An .xlsx whose first cell points at a shared string that does not exist."""
    import xlsxwriter  # writes text as shared strings, as Excel does

    plain = path.with_suffix(".plain.xlsx")
    book = xlsxwriter.Workbook(str(plain))
    sheet = book.add_worksheet()
    for row, values in enumerate([["Họ và tên", "Ngày sinh", "Giới tính"],
                                  ["Lò Văn Ánh", "12/03/2016", "Nam"]]):
        sheet.write_row(row, 0, values)
    book.close()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="A2"([^>]*)><v>\d+</v>', rb'<c r="A2"\1><v>9999</v>', data)
                assert b"<v>9999</v>" in data
            dst.writestr(item, data)
    plain.unlink()
    return path


def _as(tmp: Path, password: str = PASSWORD) -> list[str]:
    secret = tmp / "pw"
    secret.write_text(password + "\n", encoding="utf-8")
    return ["--as", "quan.tri", "--password-file", str(secret)]


#: Each command, with the file it writes (``OUT``) or reads (``IN``) as a placeholder.
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "audit": ["audit"],
    "audit-verify": ["audit", "--verify"],
    "users-list": ["users", "list"],
    "backup": ["backup", "--out", "OUT/sao-luu.db"],
    "export-police": ["export", "police", "--out", "OUT/cong-an.xlsx"],
    "export-cleaning": ["export", "cleaning", "--out", "OUT/ra-soat.xlsx"],
    "export-full": ["export", "full", "--out", "OUT/toan-bo.xlsx"],
    "export-report": ["export", "report", "--out", "OUT/bao-cao.xlsx"],
    "report": ["report", "--out", "OUT/chi-tieu.xlsx"],
    "import-children": ["import", "children", "IN", "--yes"],
    "import-police": ["import", "police", "IN", "--yes"],
}
WRITERS = [name for name, words in COMMANDS.items() if any("OUT" in w for w in words)]
READERS = [name for name, words in COMMANDS.items() if "IN" in words]


def _run(name: str, register: Path, tmp: Path, *, out: Path | None = None,
         workbook: Path | None = None, password: str = PASSWORD,
         ) -> subprocess.CompletedProcess[str]:
    out = out or tmp / "out"
    out.mkdir(exist_ok=True)
    workbook = workbook or _corrupt_workbook(tmp / "hong.xlsx")
    words = [str(workbook) if w == "IN" else w.replace("OUT", str(out))
             for w in COMMANDS[name]]
    split = 2 if words[0] in ("users", "export", "import") else 1
    head, rest = words[:split], words[split:]
    return _treem(*head, "--db", str(register), *_as(tmp, password), *rest, tmp=tmp)


def _assert_clean_failure(done: subprocess.CompletedProcess[str], code: int) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stderr.strip(), "a failure must say why"
    assert not _english_words(done.stderr), done.stderr


def test_the_exit_codes_are_defined_once_and_documented_in_the_help(tmp_path):
    done = _treem("--help", tmp=tmp_path)
    for code in (msg.EXIT_OK, msg.EXIT_FINDINGS, msg.EXIT_USAGE, msg.EXIT_DATABASE,
                 msg.EXIT_ACCESS):
        assert re.search(rf"^\s+{code}\s+\S", done.stdout, re.MULTILINE), code
    readme = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    for code in (0, 1, 2, 3, 4, 130):
        assert f"| {code} |" in readme


@pytest.mark.parametrize("name", WRITERS)
def test_full_output_disk(name, register, tmp_path, mounts):
    full = mounts(tmp_path / "full", "256k", fill=True)
    done = _run(name, register, tmp_path, out=full)
    _assert_clean_failure(done, msg.EXIT_USAGE)
    assert "đầy" in done.stderr
    assert sorted(p.name for p in full.iterdir()) == ["filler"]  # no partial file left


@pytest.mark.parametrize("name", WRITERS)
def test_read_only_output_folder(name, register, tmp_path, mounts):
    read_only = mounts(tmp_path / "ro", "256k", read_only=True)
    done = _run(name, register, tmp_path, out=read_only)
    _assert_clean_failure(done, msg.EXIT_USAGE)
    assert "chỉ cho đọc" in done.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_locked_database(name, register, tmp_path):
    holder = sqlite3.connect(register, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = _run(name, register, tmp_path)
    finally:
        holder.rollback()
        holder.close()
    _assert_clean_failure(done, msg.EXIT_DATABASE)
    assert "đang" in done.stderr  # "... đang ghi ..."


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_missing_database(name, tmp_path):
    done = _run(name, tmp_path / "khong-co.db", tmp_path)
    _assert_clean_failure(done, msg.EXIT_DATABASE)
    assert "Chưa có cơ sở dữ liệu" in done.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_wrong_password(name, register, tmp_path):
    done = _run(name, register, tmp_path, password="khong-dung-ma")
    _assert_clean_failure(done, msg.EXIT_ACCESS)


@pytest.mark.parametrize("name", READERS)
def test_corrupt_workbook_with_a_shared_string_out_of_range(name, register, tmp_path):
    done = _run(name, register, tmp_path)
    _assert_clean_failure(done, msg.EXIT_USAGE)


@pytest.mark.parametrize("name", READERS)
def test_workbook_that_is_not_a_zip(name, register, tmp_path):
    bad = tmp_path / "khong-phai.xlsx"
    bad.write_bytes(b"PK\x03\x04 cut short")
    done = _run(name, register, tmp_path, workbook=bad)
    _assert_clean_failure(done, msg.EXIT_USAGE)


@pytest.mark.parametrize("name", READERS)
def test_missing_workbook(name, register, tmp_path):
    done = _run(name, register, tmp_path, workbook=tmp_path / "khong-co.xlsx")
    _assert_clean_failure(done, msg.EXIT_USAGE)
    assert "Không tìm thấy tệp" in done.stderr


def test_corrupt_database(tmp_path):
    broken = tmp_path / "hong.db"
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    done = _run("check", broken, tmp_path)
    _assert_clean_failure(done, msg.EXIT_DATABASE)


@pytest.mark.parametrize("kind", ["full", "read-only"])
@pytest.mark.parametrize("words", [["init", "--commune", "03808"],
                                   ["demo", "--no-ui", "--children", "20"]],
                         ids=["init", "demo"])
def test_a_new_register_on_a_full_or_read_only_disk_leaves_nothing(words, kind, tmp_path,
                                                                    mounts):
    disk = mounts(tmp_path / "disk", "256k", read_only=kind == "read-only",
                  fill=kind == "full")
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    extra = ["--password-file", str(secret)] if words[0] == "init" else []
    done = _treem(*words, "--db", str(disk / "xa.db"), *extra, tmp=tmp_path)
    _assert_clean_failure(done, msg.EXIT_DATABASE)
    assert not list(disk.glob("xa.db*"))  # no half-made register
