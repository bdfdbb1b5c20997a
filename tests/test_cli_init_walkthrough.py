"""``treem init`` on a terminal walks through commune, villages and accounts (issue 10:
"a real database can be used in minutes without reading docs"), then the app opens on
the register it made. Driven through a pty as an officer types."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from test_ui_terminal import App

from tui.store.database import open_db

ROOT = Path(__file__).resolve().parent.parent
ADMIN_PW = "matkhau-quan-tri"
TEMP_PW = "tam-thoi-1234"


class Init:
    """``treem init --db PATH`` (no --commune) on a pty: stdin, stdout and stderr."""

    def __init__(self, db: Path, tmp: Path) -> None:
        master, slave = os.openpty()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
        env.update(PYTHONPATH=str(ROOT), HOME=str(tmp), TERM="xterm")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "init", "--db", str(db)],
            cwd=ROOT, stdin=slave, stdout=slave, stderr=slave, env=env,
            start_new_session=True,  # no controlling terminal: getpass reads stdin's pty
        )
        os.close(slave)
        self.master = master
        self.text = ""
        self.seen = 0  # what the last ``answer`` waited for ends here

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):  # OSError: the child closed the pty
                self.text += os.read(self.master, 4096).decode(errors="replace")

    def answer(self, prompt: str, typed: str) -> str:
        """Wait for ``prompt`` after the last answer, type ``typed`` and Enter; what was
        shown since the previous answer."""
        end = time.monotonic() + 30
        while prompt not in self.text[self.seen:] and time.monotonic() < end:
            self._read(0.2)
        start = self.seen
        at = self.text.find(prompt, self.seen)
        assert at >= 0, f"{prompt!r} never asked:\n{self.text[self.seen:]}"
        self.seen = at + len(prompt)
        os.write(self.master, typed.encode() + b"\r")
        return self.text[start:self.seen]

    def finish(self) -> tuple[int, str]:
        code = self.proc.wait(timeout=60)
        end = time.monotonic() + 2
        while time.monotonic() < end:
            before = len(self.text)
            self._read(0.2)
            if len(self.text) == before:
                break
        os.close(self.master)
        return code, self.text


def test_init_walks_through_and_the_app_opens_on_the_register(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    init = Init(db, tmp_path)
    try:
        # 1. the commune, by name: a list to choose from, then name and province shown
        init.answer("Mã hoặc tên xã: ", "muong la")
        shown = init.answer("Chọn số (Enter để tìm lại): ", "1")
        assert "03808  Xã Mường La (tỉnh Sơn La)" in shown
        shown = init.answer("Đúng xã này? [C/k]: ", "")
        assert "Xã Mường La, tỉnh Sơn La (mã 03808)" in shown
        # 2. villages: a name that folds like one before is refused, the line asked again
        assert "Dòng trống (chỉ Enter) là xong" in init.answer("Thôn/xóm thứ 1: ",
                                                                "Bản Nà Sản")
        init.answer("Thôn/xóm thứ 2: ", "ban  na san")
        shown = init.answer("Thôn/xóm thứ 2: ", "Bản Púm")
        assert "đã có trong danh sách" in shown
        init.answer("Thôn/xóm thứ 3: ", "")
        # 3. the administrator: the rule said before the password, a short one asked again
        init.answer("Tên đăng nhập [admin]: ", "quantri")
        shown = init.answer("Họ và tên [Quản trị viên]: ", "Lò Văn Quản")
        shown = init.answer("Mật khẩu cho quantri: ", "ngan")
        assert "ít nhất 8 ký tự" in shown  # said before anything is typed
        shown = init.answer("Mật khẩu cho quantri: ", ADMIN_PW)
        assert "phải có ít nhất 8 ký tự" in shown  # the short one: said, asked again
        init.answer("Nhập lại mật khẩu: ", ADMIN_PW + "x")
        init.answer("Mật khẩu cho quantri: ", ADMIN_PW)
        init.answer("Nhập lại mật khẩu: ", ADMIN_PW)
        # 4. a collaborator for the second village
        init.answer("Thêm tài khoản cho một người khác? [c/K]: ", "c")
        init.answer("Tên đăng nhập: ", "ctv.pum")
        init.answer("Họ và tên: ", "Hà Thị Cộng")
        shown = init.answer("Chọn số vai trò: ", "3")
        assert "3. cộng tác viên" in shown
        shown = init.answer("(số, cách nhau bằng dấu phẩy): ", "2")
        assert " 2. Bản Púm" in shown
        init.answer("Mật khẩu tạm cho ctv.pum: ", TEMP_PW)
        init.answer("Nhập lại mật khẩu: ", TEMP_PW)
        init.answer("Thêm một tài khoản nữa? [c/K]: ", "")
        shown = init.answer("Tạo sổ? [C/k]: ", "")
        assert "Bản Nà Sản, Bản Púm" in shown
        assert "ctv.pum (Hà Thị Cộng, cộng tác viên: Bản Púm)" in shown
        code, text = init.finish()
    finally:
        if init.proc.poll() is None:
            init.proc.kill()
    assert code == 0, text
    assert "2 thôn/xóm" in text and f"treem --db {db}" in text
    assert ADMIN_PW not in text and TEMP_PW not in text  # never echoed

    database = open_db(db)
    try:
        villages = [r[0] for r in database.execute_sql(
            "SELECT name FROM village ORDER BY name").fetchall()]
        users = dict(database.execute_sql(
            'SELECT username, must_change_password FROM "user"').fetchall())
    finally:
        database.close()
    assert villages == ["Bản Nà Sản", "Bản Púm"]
    # the administrator chose their password at the keyboard; the collaborator's is
    # temporary
    assert users == {"quantri": 0, "ctv.pum": 1}

    app = App(db)
    try:
        app.wait_for("Tên đăng nhập")
        os.write(app.master, b"quantri\r")
        app.read(quiet=0.3)
        os.write(app.master, ADMIN_PW.encode() + b"\r")
        app.wait_for("Trang chính")
        screen = "\n".join(app.screen.lines())
        assert "Xã Mường La (03808)" in screen and "Lò Văn Quản" in screen
        assert "Chưa có thôn" not in screen  # the villages are there
    finally:
        app.close()


def test_ctrl_d_in_the_walk_through_leaves_nothing(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    init = Init(db, tmp_path)
    try:
        init.answer("Mã hoặc tên xã: ", "03808")
        init.answer("Đúng xã này? [C/k]: ", "")
        init.answer("Thôn/xóm thứ 1: ", "Bản Nà Sản")
        end = time.monotonic() + 10
        while "Thôn/xóm thứ 2: " not in init.text and time.monotonic() < end:
            init._read(0.2)
        os.write(init.master, b"\x04")
        code, text = init.finish()
    finally:
        if init.proc.poll() is None:
            init.proc.kill()
    assert code == 2 and "Chưa tạo gì" in text
    assert not db.exists()


def test_init_without_commune_and_without_a_terminal_says_what_to_give(tmp_path: Path
                                                                        ) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "tui.cli", "init", "--db",
                           str(tmp_path / "x.db")], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--commune" in done.stderr and "từng bước" in done.stderr
    assert not (tmp_path / "x.db").exists()
