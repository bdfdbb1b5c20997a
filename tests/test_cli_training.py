"""``treem training list | print | start | status | export`` run as a real process: what a
trainer types."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from training_kit import type_books

from tui.messages.training import ERROR_KINDS, field_label
from tui.training.loader import load_shipped
from tui.training.print import sheet_names

ROOT = Path(__file__).resolve().parents[1]


def treem(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tui.cli ARGS`` with a private HOME and no TREEM_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(HOME=str(tmp / "home"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_list_names_every_shipped_scenario_by_level(tmp_path):
    done = treem("training", "list", "--json", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    shipped = load_shipped()
    assert [row["id"] for row in listed] == [s.id for s in shipped]
    assert [row["level"] for row in listed] == sorted(row["level"] for row in listed)
    assert len(listed) >= 5
    assert all(row["reference_date"] == "2025-09-01" for row in listed)
    text = treem("training", "list", tmp=tmp_path)
    assert text.returncode == 0
    assert f"Mức 1  {shipped[0].id}: {shipped[0].title}" in text.stdout


def test_print_writes_one_owner_only_sheet_per_book_page(tmp_path):
    scenario = next(s for s in load_shipped() if len(s.pages) > 1)
    out = tmp_path / "trang.xlsx"
    done = treem("training", "print", scenario.id, "--out", str(out), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Đã in {len(scenario.pages)} trang sổ của kịch bản {scenario.id}" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == sheet_names([p.book_number for p in scenario.pages])


def test_print_key_for_the_trainer(tmp_path):
    scenario = load_shipped()[0]
    out = tmp_path / "dap-an.xlsx"
    done = treem("training", "print", scenario.id, "--key", "--out", str(out), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Đã in đáp án" in done.stdout
    assert load_workbook(out, read_only=True).sheetnames


def test_refusals_say_why_in_vietnamese_and_write_nothing(tmp_path):
    unknown = treem("training", "print", "khong-co", "--out", str(tmp_path / "a.xlsx"),
                    tmp=tmp_path)
    assert unknown.returncode == 2
    assert "Không tìm thấy kịch bản «khong-co»" in unknown.stderr
    assert load_shipped()[0].id in unknown.stderr
    key_pdf = treem("training", "print", load_shipped()[0].id, "--key", "--out",
                    str(tmp_path / "a.pdf"), tmp=tmp_path)
    assert key_pdf.returncode == 2
    assert "Đáp án chỉ in ra tệp .xlsx" in key_pdf.stderr
    kind = treem("training", "print", load_shipped()[0].id, "--out", str(tmp_path / "a.txt"),
                 tmp=tmp_path)
    assert kind.returncode == 2
    assert "phải là .xlsx hoặc .pdf" in kind.stderr
    missing = treem("training", "print", load_shipped()[0].id, "--out",
                    str(tmp_path / "khong" / "a.xlsx"), tmp=tmp_path)
    assert missing.returncode == 3
    assert "không tồn tại" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".xlsx", ".pdf", ".txt")]


def test_a_session_from_start_to_status_and_export(tmp_path):
    """The trainer starts a session for 3 trainees; two type the book (one drops every
    diacritic of the names); status and the results workbook show each one's score."""
    scenario = load_shipped()[0]
    folder = tmp_path / "buoi"
    started = treem("training", "start", scenario.id, "--trainees", "3", "--dir", str(folder),
                    tmp=tmp_path)
    assert started.returncode == 0, started.stderr
    assert "cho 3 học viên" in started.stdout
    lines = (folder / "mat-khau.txt").read_text(encoding="utf-8").splitlines()
    passwords = dict(line.split("\t")[:2] for line in lines)
    assert sorted(passwords) == ["hocvien01", "hocvien02", "hocvien03"]
    assert not any(p in started.stdout for p in passwords.values())

    def strip_marks(kid):
        kid["full_name"] = "".join(c for c in unicodedata.normalize("NFD", kid["full_name"])
                                   if unicodedata.category(c) != "Mn")

    type_books(folder, "hocvien01", passwords["hocvien01"], scenario)
    type_books(folder, "hocvien02", passwords["hocvien02"], scenario, change=strip_marks)
    children = len(scenario.key.children)

    status = treem("training", "status", str(folder), "--json", tmp=tmp_path)
    assert status.returncode == 0, status.stderr
    rows = {t["username"]: t for t in json.loads(status.stdout)["trainees"]}
    assert rows["hocvien01"]["accuracy"] == 1.0
    assert rows["hocvien01"]["to_fix"] == 0
    second = rows["hocvien02"]
    assert second["to_fix"] == children
    assert second["correct"] == second["checked"] - children
    assert rows["hocvien03"]["children_entered"] == 0
    assert rows["hocvien03"]["missed"] == children
    room = json.loads(status.stdout)["room_errors"]
    assert (room[0]["field"], room[0]["kind"]) == ("full_name", "diacritics")
    assert second["accuracy"] == pytest.approx(1 - children / second["checked"])
    assert room[0]["trainees"] == 1

    text = treem("training", "status", str(folder), tmp=tmp_path)
    assert f"hocvien01: {children}/{children} trẻ, chính xác 100,0%" in text.stdout
    assert f"Lỗi hay gặp ở «{field_label('full_name')}»: {ERROR_KINDS['diacritics']}" \
        in text.stdout

    out = tmp_path / "ket-qua.xlsx"
    exported = treem("training", "export", str(folder), "--out", str(out), "--pass-mark",
                     "99,5", "--trainer", "Giảng viên A", tmp=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "3 học viên (1 đạt)" in exported.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    again = treem("training", "start", scenario.id, "--trainees", "2", "--dir", str(folder),
                  tmp=tmp_path)
    assert again.returncode == 2
    assert "đã có" in again.stderr


def test_dashboard_runs_on_a_terminal_and_leaves_with_escape(tmp_path):
    """``treem training dashboard`` on a pseudo-terminal of 80x24: the trainees' rows and
    the sandbox mark appear; Escape leaves with exit code 0."""
    import fcntl
    import pty
    import struct
    import termios
    import time

    scenario = load_shipped()[0]
    folder = tmp_path / "buoi"
    assert treem("training", "start", scenario.id, "--trainees", "2", "--dir", str(folder),
                 tmp=tmp_path).returncode == 0
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path), TERM="xterm-256color",
               COLUMNS="80", LINES="24")
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", "training", "dashboard",
                                str(folder)], cwd=ROOT, stdin=slave, stdout=slave,
                               stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    screen = b""

    def wait_for(text: bytes) -> bool:
        nonlocal screen
        deadline = time.monotonic() + 60
        while text not in screen and time.monotonic() < deadline:
            try:
                screen += os.read(master, 4096)
            except OSError:
                break
        return text in screen

    try:
        assert wait_for(b"hocvien02"), screen[-2000:]
        assert "thử nghiệm".encode() in screen
        os.write(master, b"\x1b")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)


def test_join_refuses_in_vietnamese_before_any_screen(tmp_path):
    folder = tmp_path / "buoi"
    assert treem("training", "start", "01-ho-dau-tien", "--trainees", "1", "--dir",
                 str(folder), tmp=tmp_path).returncode == 0
    unknown = treem("training", "join", str(folder), "hocvien07", tmp=tmp_path)
    assert unknown.returncode != 0
    assert "không có học viên «hocvien07»; các học viên: hocvien01" in unknown.stderr
    nowhere = treem("training", "join", str(tmp_path), "hocvien01", tmp=tmp_path)
    assert nowhere.returncode != 0
    assert "không chứa buổi tập huấn" in nowhere.stderr
