"""A whole training session through real terminals (issue 12, "Done when").

The trainer starts a session for three trainees with ``treem training start``; each trainee
opens their own sandbox with ``treem training join`` on an 80x24 pty, logs in as their own
account and types the page of scenario 01 with scripted keys and planted mistakes; the
trainer's dashboard (``treem training dashboard``, on a pty too) then shows each trainee's
accuracy and keys per child, which must match the answer computed by hand below.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
import termios
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from test_ui_terminal import ROOT
from test_ui_terminal import App as PtyApp

ENTER, F2 = "\r", "\x1bOQ"

#: Scenario 01's page (tui/training/scenarios/01-ho-dau-tien.toml) as the entry form's
#: fields the Enter flow stops on: book, village (number 1 of the sandbox's one village),
#: poverty (0: not poor), address, two adults (name, ID), adult 3's empty name (Enter there
#: goes on to the child).
HOUSEHOLD = ["ML-001", "1", "0", "Bản Nà Tòng, xã Mường La", "Lò Văn Panh",
             "014088003517", "Quàng Thị Ón", "014190002846", ""]
#: Per child: name, sex, birth date, ID, ethnicity (03 Thái), schooling (04 Tiểu học, 01
#: not yet at school age), father, mother (the adults' numbers, carried to the next child).
#: Enter passes nationality (Việt Nam, filled in) and the empty caregiver.
CHILD_1 = ["Lò Thị Mai", "2", "02042017", "014317004125", "03", "04", "1", "2"]
CHILD_2 = ["Lò Văn Khằm", "1", "15062024", "", "", "01", "", ""]

# The answer by hand. The values compared for a perfect page: the household's 4 fields
# (book, village, address, poverty), 2 adults x 3 (name, ID, relation to the child), child 1
# 9 (name, sex, birth date, ID, ethnicity, nationality, schooling, father, mother) and child
# 2 the same 9 but the ID it has not got: 8. 4 + 6 + 9 + 8 = 27 values.
CHECKED = 27
#: hocvien01 types the page right; hocvien02 types child 1's name without diacritics (one
#: value wrong); hocvien03 types child 2's birth date as 16/06/2024 and child 1's schooling
#: as 05 (two values wrong), and corrects a typo in child 2's name with Backspace.
WRONG = {"hocvien01": 0, "hocvien02": 1, "hocvien03": 2}


def pages(username: str) -> tuple[list[str], list[str], list[str]]:
    household, one, two = list(HOUSEHOLD), list(CHILD_1), list(CHILD_2)
    if username == "hocvien02":
        one[0] = "Lo Thi Mai"
    if username == "hocvien03":
        one[5] = "05"
        two[0] = "Lò Văn Khằmx\x7f"
        two[2] = "16062024"
    return household, one, two


def keys_typed(username: str) -> int:
    """Keys pressed on the entry form: every character, one Enter per field, and F2."""
    fields = [v for page in pages(username) for v in page]
    return sum(len(v) for v in fields) + len(fields) + 1


class Terminal(PtyApp):
    """``python -m tui.cli ARGS`` on an 80x24 pty (the screen helpers of test_ui_terminal)."""

    def __init__(self, *args: str, home: Path) -> None:  # no super(): another command line
        import codecs

        from test_ui_terminal import Screen

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
        env.update(TERM="xterm", TEXTUAL_COLOR_SYSTEM="standard", PYTHONPATH=str(ROOT),
                   HOME=str(home), XDG_DATA_HOME=str(home / "data"))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", *args], stdin=slave, stdout=slave, stderr=slave,
            env=env, cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.master = master
        self.screen = Screen()
        self.raw = b""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def type_field(self, value: str) -> None:
        """A field's text and Enter in one burst, as a fast typist's keys reach the app
        over a slow link."""
        os.write(self.master, (value + ENTER).encode())
        self.read(quiet=0.15, limit=2.0)


def treem(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(PYTHONPATH=str(ROOT), HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def type_page(folder: Path, username: str, password: str, home: Path) -> None:
    app = Terminal("training", "join", str(folder), username, home=home)
    try:
        app.wait_for("Mật khẩu")
        assert any(username in line for line in app.screen.lines())  # their own account
        app.type_field(password)
        app.wait_for("Trang chính")
        assert any("THỬ NGHIỆM" in line for line in app.screen.lines())  # marked sandbox
        app.keys("n")
        app.wait_for("Số sổ")
        for page in pages(username):
            for value in page:
                app.type_field(value)
        app.keys(F2)
        app.wait_for("Đã lưu")
    finally:
        app.close()


def test_a_whole_session_three_trainees_scored_on_the_dashboard(tmp_path):
    home = tmp_path / "home"
    folder = tmp_path / "buoi"
    started = treem("training", "start", "01-ho-dau-tien", "--trainees", "3",
                    "--dir", str(folder), home=home)
    assert started.returncode == 0, started.stderr
    assert f"treem training join {folder} hocvien02" in started.stdout
    passwords = dict(line.split("\t")[:2] for line in
                     (folder / "mat-khau.txt").read_text(encoding="utf-8").splitlines())
    # The room types at the same time, each on their own terminal.
    with ThreadPoolExecutor(max_workers=len(WRONG)) as room:
        for done in [room.submit(type_page, folder, name, passwords[name], home)
                     for name in WRONG]:
            done.result()

    # Keystroke measures: counts and timings only, two children per trainee.
    for username in WRONG:
        lines = (folder / f"{username}.phim.jsonl").read_text(encoding="utf-8").splitlines()
        measures = [json.loads(line) for line in lines]
        assert sorted(measures[0]) == ["corrections", "keys", "order", "record_id", "seconds",
                                       "started_at"]
        assert [m["order"] for m in measures] == [1, 2]
        assert sum(m["keys"] for m in measures) == keys_typed(username)
        assert sum(m["corrections"] for m in measures) == (username == "hocvien03")

    status = json.loads(treem("training", "status", str(folder), "--json",
                              home=home).stdout)
    rows = {t["username"]: t for t in status["trainees"]}
    for username, wrong in WRONG.items():
        row = rows[username]
        assert (row["checked"], row["correct"]) == (CHECKED, CHECKED - wrong), username
        assert row["children_entered"] == 2 and row["missed"] == 0 and row["extra"] == 0
        assert row["keys_per_child"] == keys_typed(username) / 2

    board = Terminal("training", "dashboard", str(folder), home=home)
    try:
        board.wait_for("hocvien03")
        board.wait_for("2/2 trẻ")
        for username, wrong in WRONG.items():
            accuracy = f"{(CHECKED - wrong) / CHECKED * 100:.1f}%".replace(".", ",")
            line = next(line for line in board.screen.lines() if username in line)
            assert accuracy in line, line
            assert f"{keys_typed(username) / 2:.0f}" in line.split()[-1], line
    finally:
        board.close()
