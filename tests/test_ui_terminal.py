"""The app as a real terminal sees it: a pty, raw key bytes, and a small screen emulator.

Partial repaints (only the edited cells of a field, no full-screen repaint on focus moves)
must leave the terminal showing exactly what was typed. These tests replay the bytes the
app writes into an emulated 80x24 screen and read it back.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from pathlib import Path

from tui.domain import Role
from tui.services import accounts
from tui.store import settings
from tui.store.database import open_db

ROOT = Path(__file__).resolve().parent.parent
CSI = re.compile(r"\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])")
OSC = re.compile(r"\x1b[\]P_^].*?(\x07|\x1b\\)", re.S)


class Screen:
    """Enough of a VT220 to follow what the app writes: cursor moves, text, clears."""

    def __init__(self, rows: int = 24, cols: int = 80) -> None:
        self.rows, self.cols = rows, cols
        self.cells = [[" "] * cols for _ in range(rows)]
        self.y = self.x = 0

    def feed(self, data: str) -> None:
        data = OSC.sub("", data)
        i = 0
        while i < len(data):
            ch = data[i]
            if ch == "\x1b":
                match = CSI.match(data, i)
                if match:
                    self._csi(match.group(1), match.group(3))
                    i = match.end()
                    continue
                i += 2
                continue
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.rows - 1, self.y + 1)
            elif ch == "\x08":
                self.x = max(0, self.x - 1)
            elif unicodedata.combining(ch) and self.x > 0:
                self.cells[self.y][self.x - 1] += ch
            elif ch.isprintable() and self.x < self.cols:
                self.cells[self.y][self.x] = ch
                self.x += 1
            i += 1

    def _csi(self, params: str, final: str) -> None:
        if params[:1] in ("?", "<", ">", "="):
            return  # private modes and queries
        numbers = [int(p) if p else 0 for p in params.split(";")] if params else []
        if final in "Hf":
            row = numbers[0] if numbers else 1
            col = numbers[1] if len(numbers) > 1 else 1
            self.y, self.x = max(0, row - 1), max(0, col - 1)
        elif final == "J" and (numbers or [0])[0] == 2:
            self.cells = [[" "] * self.cols for _ in range(self.rows)]
        elif final == "K":
            for x in range(self.x, self.cols):
                self.cells[self.y][x] = " "
        elif final == "X":  # erase characters (ECH): the app erases runs of blanks
            for x in range(self.x, min(self.cols, self.x + ((numbers or [1])[0] or 1))):
                self.cells[self.y][x] = " "
        elif final == "C":  # cursor forward (the app skips unchanged cells)
            self.x = min(self.cols - 1, self.x + ((numbers or [1])[0] or 1))

    def lines(self) -> list[str]:
        return [unicodedata.normalize("NFC", "".join(row)) for row in self.cells]



class App:
    """``run_app`` in a child process on an 80x24 pty."""

    def __init__(self, db: Path, env: dict[str, str] | None = None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm", TEXTUAL_COLOR_SYSTEM="standard",
                   PYTHONPATH=str(ROOT), **(env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, "-c",
             "import sys; from tui.app import run_app; sys.exit(run_app(sys.argv[1]))", str(db)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.screen = Screen()
        self.raw = b""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def read(self, quiet: float = 0.15, limit: float = 2.0) -> None:
        """Read until ``quiet`` s without output, or ``limit`` s with none at all."""
        end = time.monotonic() + limit
        got = False
        while time.monotonic() < end or got:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                if got:
                    return
                continue
            chunk = os.read(self.master, 65536)
            got = True
            self.raw += chunk
            self.screen.feed(self.decoder.decode(chunk))

    def wait_for(self, text: str, limit: float = 20.0) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            self.read(quiet=0.1, limit=0.5)
            if any(text in line for line in self.screen.lines()):
                self.read()
                return
        raise AssertionError(f"{text!r} never shown:\n" + "\n".join(self.screen.lines()))

    def keys(self, *keys: str) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            self.read(quiet=0.08, limit=0.5)

    def row(self, label: str) -> str:
        return next(line for line in self.screen.lines() if line.startswith(label))

    def close(self) -> None:
        try:
            os.write(self.master, b"\x11")
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def test_typed_edits_and_unikey_bursts_leave_the_terminal_right(db_path: Path) -> None:
    app = App(db_path)
    try:
        app.wait_for("Trang chính")
        app.keys("n")
        app.wait_for("Số sổ")
        app.keys(*"0417", "\r", *"na", "\r", "1", "\r")
        # Address typed with mistakes fixed: backspace, and an insertion after Left.
        app.keys(*"Tieu khu 33", "\x7f", *["\x1b[D"] * 6, "\x7f", "\x7f")
        assert "Ti khu 3" + " " * 10 in app.row("Địa chỉ")
        app.keys(*"ểu", "\x1b[F")
        # Unikey style: "Lo" then backspace and "ò" (0x08 as backspace this time).
        app.keys("\r", *"Lo", "\x08", "ò", *" Văn Pâng", "\r")
        assert "Tiểu khu 3" in app.row("Địa chỉ")
        assert "Tiểu khu 3" + " " * 10 in app.row("Địa chỉ")  # nothing left behind
        assert "Lò Văn Pâng" in app.row("Người 1")
        assert "Bản Nà Sản" in app.row("Số sổ")
        # Move on through the form and back: both fields still show their values (one
        # Enter: a second on adult 2's empty name would go on to the child).
        app.keys("\r", "\x1b[Z", "\x1b[Z")
        assert "Lò Văn Pâng" in app.row("Người 1")
        assert "0417" in app.row("Số sổ")
    finally:
        app.close()


def test_placeholder_and_shrinking_text_leave_nothing_behind(db_path: Path) -> None:
    """The search field's placeholder is wider than what is typed: no tail may remain."""
    from tui.messages.review import SEARCH_PLACEHOLDER

    app = App(db_path)
    try:
        app.wait_for("Trang chính")
        app.keys("\x1bOS")  # F4
        app.wait_for(SEARCH_PLACEHOLDER)
        app.keys(*"lo thi")
        line = app.row("Tìm:")
        assert line.rstrip() == "Tìm:  lo thi", line  # placeholder -> text
        app.keys("\x7f", "\x7f", "\x7f", "\x7f")  # shrink
        assert app.row("Tìm:").rstrip() == "Tìm:  lo"
        app.keys("\x08", "ò")  # Unikey: backspace, then the accented letter
        assert app.row("Tìm:").rstrip() == "Tìm:  lò"
        app.keys("\x7f", "\x7f")  # text -> placeholder, in full
        assert app.row("Tìm:").rstrip() == "Tìm:  " + SEARCH_PLACEHOLDER
        app.keys(*"ab", "\x7f")
        assert app.row("Tìm:").rstrip() == "Tìm:  a"
    finally:
        app.close()


def test_keys_arriving_in_one_burst_land_in_their_own_fields(db_path: Path) -> None:
    """A slow SSH link delivers a fast typist's keys in bursts: each value after an Enter
    must go to the next field, not stay in the one the Enter left."""
    app = App(db_path)
    try:
        app.wait_for("Trang chính")
        app.keys("n")
        app.wait_for("Số sổ")
        os.write(app.master, b"0417\rna\r1\rTieu khu 3\r")  # one write, one read
        app.read(quiet=0.5, limit=3.0)
        assert app.row("Số sổ").split()[2] == "0417"
        assert "Bản Nà Sản" in app.row("Số sổ")
        assert app.row("Địa chỉ").split()[2:5] == ["Tieu", "khu", "3"]
    finally:
        app.close()


def test_login_typed_in_one_burst_keeps_the_password_out_of_the_name(tmp_path: Path) -> None:
    """Over a slow link ``admin⏎password⏎`` arrives in one read: the password must go
    to the password field (hidden), never into the name field in clear."""
    path = tmp_path / "real.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14")
    accounts.create_account(db, "canbo", "Cán bộ Thử", Role.OFFICER, "matkhau-thu-123",
                            must_change_password=False)
    db.close()
    app = App(path)
    try:
        app.wait_for("Tên đăng nhập")
        os.write(app.master, b"canbo\rmatkhau-thu-123\r")  # one write, one read
        app.read(quiet=0.5, limit=5.0)
        screen = "\n".join(app.screen.lines())
        assert "matkhau" not in screen, screen
        app.wait_for("Trang chính")
    finally:
        app.close()


def test_escape_and_keys_in_one_burst_close_the_help_and_reach_the_field(
        db_path: Path) -> None:
    """Issue 10, item 6: over a slow link F1's help is closed with Esc and the next keys
    arrive in the same packet. ``ESC 0417`` is Esc then 0417, not Alt+0 with the rest lost."""
    app = App(db_path)
    try:
        app.wait_for("Trang chính")
        app.keys("n")
        app.wait_for("Số sổ")
        app.keys("\x1bOP")  # F1
        app.wait_for("Chỉ dẫn:")
        os.write(app.master, b"\x1b0417")  # one write, one read
        app.read(quiet=0.5, limit=3.0)
        screen = "\n".join(app.screen.lines())
        assert "Chỉ dẫn:" not in screen, screen
        assert app.row("Số sổ").split()[2] == "0417", screen
    finally:
        app.close()
