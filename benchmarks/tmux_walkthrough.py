"""An officer's walk through the real app in tmux at 80x24 (issue 10, "Done when").

Starts ``treem demo`` on a small demo database inside a detached tmux session with
TERM=xterm, then keys what an officer does: enter a household, open a step 3 record and
fix it, mark a circumstance, export the cleaning list to the file name offered, lock with
Ctrl+L; then the same on a database made by ``treem init`` (log in, set the password, add
the first village under F7 → 2 first). Every screen is
captured with ``tmux capture-pane`` and checked for English words that Textual itself
shows and for lines cut in the middle of a word (a trailing ellipsis).

    python benchmarks/tmux_walkthrough.py [--keep DIR]

Prints each problem found and exits 1 if there is any; tests/test_tmux_walkthrough.py runs
it when tmux is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# English strings Textual (and Python) can show on their own: the quit prompt, the
# command palette, notifications, the screenshot and theme commands.
TEXTUAL_ENGLISH = (
    "Do you want to quit", "Press ctrl+q", "to quit the app", "Search for commands",
    "No matches found", "Quit the application", "Toggle", "Screenshot", "Change theme",
    "Maximize", "Minimize", "Keys", "Show help", "Hide keys", "Traceback", "Error",
)
SOCKET = f"treem-walk-{os.getpid()}"
TREEM = str(Path(sys.executable).with_name("treem"))


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          check=False)
    return done.stdout


def keys(*names: str, wait: float = 0.25) -> None:
    """Send key names (Enter, F2, Escape, C-l) one at a time, as a person would."""
    for name in names:
        tmux("send-keys", "-t", "w", name)
        time.sleep(wait)


def text(value: str) -> None:
    """Type ``value`` literally, then Enter."""
    if value:
        tmux("send-keys", "-t", "w", "-l", value)
    tmux("send-keys", "-t", "w", "Enter")
    time.sleep(0.15)


def capture(label: str, shots: list[tuple[str, str]], pause: float = 0.8) -> str:
    time.sleep(pause)
    screen = tmux("capture-pane", "-p", "-t", "w")
    shots.append((label, screen))
    return screen


def problems(label: str, screen: str) -> list[str]:
    found = []
    for word in TEXTUAL_ENGLISH:
        if re.search(rf"\b{re.escape(word)}\b", screen):
            found.append(f"{label}: English text from Textual: {word!r}")
    for line in screen.splitlines():
        if re.search(r"\w…", line):
            found.append(f"{label}: line cut mid-word: {line.strip()!r}")
    return found


# What the Enter flow stops on: adult 3's empty name ends the adults; nationality (VN) and
# the empty caregiver are passed by, so the mother's Enter ends each child.
HOUSEHOLD = ["0917", "na", "1", "Tiểu khu 3", "Lò Văn Pâng", "", "Lò Thị Xuân", "", "",
             "Lò Văn Mạnh", "1", "15032016", "", "tha", "04", "1", "2",
             "Lò Thị Hoa", "2", "01022019", "", "", "03", "", ""]
PASSWORD = "matkhau-thu-123"
NEW_PASSWORD = "matkhau-moi-456"

# What each step must show when it worked (label of the capture, text expected).
EXPECTED = {
    "lưu hộ": "Đã lưu hộ sổ 0917",
    "lưu hồ sơ bước 3": "Rà soát",
    "bước 5": "Đã thêm hoàn cảnh NC01",
    "đã xuất": "Đã ghi danh sách rà soát",
}


def down_to(screen: str, wanted: str, *, last: bool = False) -> None:
    """Move the review list's cursor to the first (``last``: the last) row holding
    ``wanted`` (the demo's rows change with its generator: the officer looks for a
    problem or a name, not a position)."""
    lines = screen.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Số định danh"))
    rows = [i for i, line in enumerate(lines[header + 1:]) if wanted in line]
    if not rows:
        raise SystemExit(f"no row with {wanted!r} on the list:\n{screen}")
    index = rows[-1] if last else rows[0]
    if index:
        keys(*(["Down"] * index), wait=0.3)


def start(command: str) -> None:
    tmux("kill-server")
    tmux("new-session", "-d", "-s", "w", "-x", "80", "-y", "24", f"TERM=xterm {command}")
    time.sleep(3)


def first_run(db: Path, shots: list[tuple[str, str]]) -> None:
    """A database made by ``treem init``: log in, set a password, add the first village."""
    start(f"{TREEM} --db {db}")
    capture("đăng nhập", shots)
    for value in ("admin", PASSWORD, NEW_PASSWORD, NEW_PASSWORD):
        text(value)
        time.sleep(0.3)
    capture("trang chính (sổ mới)", shots, pause=1.5)
    keys("F7", "2", wait=0.8)
    keys("F2")
    text("Bản Nà Sản")
    capture("thêm thôn", shots)
    keys("Escape", "Escape", wait=0.8)


def walk(db: Path, *, fresh: bool) -> list[tuple[str, str]]:
    """Key the officer's round; ``fresh`` is a database made by ``treem init``."""
    shots: list[tuple[str, str]] = []
    if fresh:
        first_run(db, shots)
    else:
        start(f"{TREEM} --db {db} demo")
    capture("trang chính", shots)
    keys("F2", wait=1.0)  # the officer waits for the form to show before typing
    for value in HOUSEHOLD:
        text(value)
    capture("nhập hộ", shots)
    keys("F2")
    capture("lưu hộ", shots)
    keys("Escape", wait=0.8)
    if fresh:  # the new household's children have no ID number yet: list 1
        keys("F5", "1", "Enter", wait=0.8)
        capture("sửa hồ sơ bước 3", shots)
        text("014216012345")  # the ID number the parents' book shows
    else:  # a demo child with no parent named: list 3
        keys("F5", "3", wait=0.8)
        down_to(capture("danh sách 3", shots), "Thiếu cha/mẹ")
        keys("Enter", wait=0.8)
        capture("sửa hồ sơ bước 3", shots)
        text("1")  # the father is adult 1 of the household
    keys("F2")
    capture("lưu hồ sơ bước 3", shots)
    if not fresh:  # step 5 for the child entered above (no ID number yet: list 1)
        keys("1", wait=0.8)
        down_to(capture("danh sách 1", shots), "Lò Thị Hoa", last=True)
    keys("F6", wait=0.8)
    keys("F2")
    text("NC01")
    text("01122026")
    text("")
    capture("bước 5", shots)
    keys("Escape", wait=0.8)
    capture("rà soát", shots)
    keys("Escape", wait=0.8)
    capture("về trang chính", shots)
    keys("F12", wait=0.8)
    keys("2", wait=0.8)  # the cleaning list, to the file name offered
    capture("xuất danh sách", shots)
    keys("F2", wait=2)
    capture("đã xuất", shots)
    keys("C-l")
    capture("khoá màn hình", shots)
    tmux("kill-server")
    return shots


def check(shots: list[tuple[str, str]], *, fresh: bool, home: Path) -> list[str]:
    """The problems seen on the captured screens (and the file the export must write)."""
    name = "sổ mới" if fresh else "demo"
    found = []
    if not sorted(home.glob("treem-lam-sach-*.xlsx")):
        found.append(f"{name}: no cleaning list written to the home folder")
    expected = dict(EXPECTED)
    expected["khoá màn hình"] = "Phiên làm việc" if fresh else "nhấn Enter để mở lại"
    for label, screen in shots:
        found += problems(f"{name}: {label}", screen)
        want = expected.get(label)
        if want and want not in " ".join(screen.split()):
            found.append(f"{name}: {label}: expected {want!r} on the screen")
    locked = next(screen for label, screen in shots if label == "khoá màn hình")
    if "Lò Văn Mạnh" in locked or "Lò Thị Hoa" in locked or "Xã Mường La" in locked:
        found.append(f"{name}: the register is visible behind the lock")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write each captured screen here")
    args = parser.parse_args()
    found: list[str] = []
    count = 0
    for fresh in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "treem.db"
            if fresh:
                secret = Path(tmp) / "admin-password"
                secret.write_text(PASSWORD + "\n", encoding="utf-8")
                secret.chmod(0o600)
                made = [TREEM, "--db", str(db), "init", "--commune", "03808",
                        "--password-file", str(secret)]
            else:
                made = [TREEM, "--db", str(db), "demo", "--children", "200", "--no-ui"]
            subprocess.run(made, check=True, capture_output=True)
            os.environ["HOME"] = tmp  # the default export folder is the officer's home
            shots = walk(db, fresh=fresh)
            found += check(shots, fresh=fresh, home=Path(tmp))
        count += len(shots)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for index, (label, screen) in enumerate(shots):
                name = f"{'init' if fresh else 'demo'}-{index:02}.txt"
                (args.keep / name).write_text(f"{label}\n{screen}", encoding="utf-8")
    for line in found:
        print(line)
    print(f"{count} màn hình, {len(found)} vấn đề")
    return 1 if found else 0


if __name__ == "__main__":
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    sys.exit(main())
