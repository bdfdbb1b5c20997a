"""Bytes and latency of the treem app at 80x24 under a pseudo-terminal.

Starts ``run_app`` in a child process on a pty (as sshd would), sends keys as a terminal
sends them and reads every byte the app writes back. Reports:

- start: process start to the first usable screen (the home screen painted, output quiet);
- bytes per character typed in a text field (the child's name) and in the book number;
- bytes per move to the next field (Enter on the household adults);
- bytes per second while idle (3 s with no input);
- keystroke to updated screen (last byte of the response), median and p95;
- keystrokes to enter a sample household book page with 3 children, against the target
  "the data's own characters plus one per field", and that the 3 children were saved.

With ``--actions`` it measures instead the bytes of each action the SSH budgets name
(issue 16): screen switches, Tab, a typed search word (per character, results included),
resize steps and mouse motion, with the app's own terminal driver and with Textual's
output (``TREEM_RAW_OUTPUT=1``), side by side. ``bench_ssh.py`` measures the same through a
real sshd, compressed or not, and over a slow link.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_tui_bytes.py [--children 300000] [--colors 16|256]
        [--db PATH] [--runs 3] [--no-color] [--verbose] [--actions]

``--children N`` builds the database with ``treem demo --no-ui`` (once, cached in /tmp);
without it a small sandbox register with a few villages is created.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIET_S = 0.06  # output silent this long = the screen is updated
ENTER, F2, ESC = "\r", "\x1bOQ", "\x1b"

# A synthetic household book page (no real person): header, adults, three children.
# Each value is what the officer reads off the page; "" means the field is left as is
# (carried over or empty) and costs only the Enter.
# Enter stops as the form does: adult 3's empty name ends the adults; nationality and the
# empty caregiver are passed by (issue 10, item 13).
PAGE_HOUSEHOLD = ["0417", "na", "1", "Tiểu khu 3, Bản Nà Sản",
                  "Lò Văn Pâng", "", "Lò Thị Xuân", "", ""]
PAGE_CHILDREN = [
    ["Lò Văn Mạnh", "1", "15032016", "", "tha", "04", "1", "2"],
    ["Lò Thị Hoa", "2", "01022019", "", "", "03", "", ""],
    ["Lò Văn Tùng", "1", "20112022", "", "", "02", "", ""],
]


def copy_db(template: Path, db: Path) -> None:
    """A copy of the register ``template`` with its audit key (without it the copy is
    sealed and refuses every save)."""
    from tui.store.audit_key import key_path_for

    db.write_bytes(template.read_bytes())
    key, copied = key_path_for(str(template)), key_path_for(str(db))
    if key is not None and copied is not None and key.exists():
        copied.parent.mkdir(parents=True, exist_ok=True)
        copied.write_bytes(key.read_bytes())
        copied.chmod(0o600)


def build_small_db(path: Path) -> None:
    """A sandbox register of Xã Mường La with three villages and no children."""
    code = (
        "import sys\n"
        "from tui.store.database import open_db\n"
        "from tui.store import settings\n"
        "from tui.services import Services, accounts\n"
        "db = open_db(sys.argv[1], create=True)\n"
        "settings.initialize(db, commune_code='03808', commune_name='Xã Mường La',"
        " province_code='14', sandbox=True)\n"
        "reg = Services(db, accounts.sandbox_session(db))\n"
        "for name in ('Bản Nà Sản', 'Bản Púng', 'Tiểu khu 1'):\n"
        "    reg.commune.add_village(name)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, check=True, env=_env())


def build_demo_db(path: Path, children: int) -> None:
    """``treem demo --children N --no-ui`` into ``path``."""
    code = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    subprocess.run(
        [sys.executable, "-c", code, "demo", "--db", str(path), "--no-ui",
         "--children", str(children)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_env(),
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    return env


class Terminal:
    """The app in a child process on a pty of 80x24."""

    def __init__(self, db: Path, colors: int, no_color: bool = False) -> None:
        env = dict(os.environ)
        env.update(TERM="xterm-256color" if colors == 256 else "xterm",
                   TEXTUAL_ANIMATIONS="none", COLUMNS="80", LINES="24",
                   PYTHONPATH=os.pathsep.join(
                       p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
        if colors == 16:
            env["TEXTUAL_COLOR_SYSTEM"] = "standard"
        if no_color:
            env["NO_COLOR"] = "1"
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.master = master
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-c",
             "import sys; from tui.app import run_app; sys.exit(run_app(sys.argv[1]))",
             str(db)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.log = bytearray()

    def read_until_quiet(self, quiet: float = QUIET_S, limit: float = 5.0) -> tuple[int, float]:
        """Read until no output for ``quiet`` s; (bytes read, time of the last byte)."""
        got = 0
        last = time.perf_counter()
        end = last + limit
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                if got:
                    break
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            got += len(chunk)
            self.log += chunk
            last = time.perf_counter()
        return got, last

    def wait_for(self, marker: bytes, limit: float = 30.0) -> float:
        """Read until ``marker`` appeared and output went quiet; time since start."""
        end = time.perf_counter() + limit
        while marker not in self.log and time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                self.log += os.read(self.master, 65536)
        if marker not in self.log:
            raise RuntimeError(f"{marker!r} never appeared")
        _n, last = self.read_until_quiet()
        return last - self.t0

    def key(self, data: str) -> tuple[int, float]:
        """Send one key; (bytes written in response, seconds to the last byte)."""
        sent = time.perf_counter()
        os.write(self.master, data.encode())
        got, last = self.read_until_quiet()
        return got, (last - sent) if got else 0.0

    def idle(self, seconds: float) -> int:
        """Bytes written while nothing is typed for ``seconds``."""
        got = 0
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                chunk = os.read(self.master, 65536)
                got += len(chunk)
        return got

    def close(self) -> None:
        try:
            os.write(self.master, b"\x11")  # Ctrl+Q
            self.proc.wait(timeout=3)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def one_run(db: Path, colors: int, no_color: bool = False) -> dict[str, object]:
    term = Terminal(db, colors, no_color)
    try:
        start = term.wait_for("Trang chính".encode())
        os.write(term.master, b"n")
        term.wait_for("Số sổ".encode())
        term.read_until_quiet(0.5)
        idle_bytes = term.idle(3.0)
        keys = 0
        latencies: list[float] = []
        typed: list[int] = []
        moves: list[int] = []
        book_typed: list[int] = []
        slowest: list[tuple[float, str, int]] = []

        def send(data: str, bucket: list[int] | None = None) -> None:
            nonlocal keys
            keys += 1
            n, dt = term.key(data)
            latencies.append(dt)
            slowest.append((dt, repr(data), n))
            if bucket is not None:
                bucket.append(n)

        for index, value in enumerate(PAGE_HOUSEHOLD):
            for ch in value:
                send(ch, book_typed if index == 0 else None)
            send(ENTER, moves if index >= 4 else None)
        for child in PAGE_CHILDREN:
            for index, value in enumerate(child):
                for ch in value:
                    send(ch, typed if index == 0 else None)
                send(ENTER)
        send(F2)
        term.read_until_quiet(0.5)
        saved = b"3 tr" in term.log  # "Đã lưu hộ sổ 0417 với 3 trẻ."
    finally:
        term.close()
    data_chars = sum(len(v) for v in PAGE_HOUSEHOLD) + sum(len(v) for c in PAGE_CHILDREN for v in c)
    fields = len(PAGE_HOUSEHOLD) + sum(len(c) for c in PAGE_CHILDREN)
    return {
        "start_ms": start * 1000,
        "bytes_per_char_name": statistics.median(typed),
        "bytes_per_char_book": statistics.median(book_typed),
        "bytes_per_move": statistics.median(moves),
        "idle_bytes_per_s": idle_bytes / 3.0,
        "latency_median_ms": statistics.median(latencies) * 1000,
        "latency_p95_ms": statistics.quantiles(latencies, n=20)[18] * 1000,
        "keystrokes": keys,
        "target_keystrokes": data_chars + fields + 1,  # + the one save key
        "saved_3_children": saved,
        "slowest": sorted(slowest, reverse=True)[:8],
    }


ACTION_SWITCHES = (("home->entry", "n"), ("entry->home", "\x1b"), ("home->search", "t"),
                   ("search->home", "\x1b"), ("home->review", "r"), ("review->home", "\x1b"))


def action_run(db: Path, raw: bool) -> dict[str, float]:
    """Bytes per action at 80x24 (see --actions)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ttyio import Terminal

    env = dict(os.environ, TERM="xterm", TEXTUAL_ANIMATIONS="none",
               TEXTUAL_COLOR_SYSTEM="standard", PYTHONPATH=str(ROOT))
    env.pop("TREEM_RAW_OUTPUT", None)
    if raw:
        env["TREEM_RAW_OUTPUT"] = "1"
    term = Terminal([sys.executable, "-c",
                     "import sys; from tui.app import run_app; sys.exit(run_app(sys.argv[1]))",
                     str(db)], env, cwd=ROOT)
    out: dict[str, float] = {}
    try:
        term.wait_for("Trang chính".encode())
        term.drain(1.0)
        for name, key in ACTION_SWITCHES:
            out[f"switch {name}"] = term.key(key, quiet=0.3, limit=3)[0]
        term.key("n", quiet=0.3, limit=3)
        out["Tab (median of 6)"] = statistics.median(
            term.key("\t", quiet=0.2, limit=3)[0] for _ in range(6))
        term.key("\x1b", quiet=0.3, limit=3)
        term.key("t", quiet=0.3, limit=3)
        begin = len(term.log)
        for ch in "nguyen van":
            term.send(ch)
            term.drain(0.25)
        term.drain(1.5)
        out["search, per character"] = (len(term.log) - begin) / len("nguyen van")
        term.key("\x1b", quiet=0.3, limit=3)
        steps = [term.resize(r, c, quiet=0.3)[0]
                 for r, c in ((24, 82), (25, 84), (26, 86), (25, 84), (24, 80))]
        out["resize step (median of 5)"] = statistics.median(steps)
        out["resize, five-step drag"] = sum(steps)
        begin = len(term.log)
        for i in range(40):
            term.send(f"\x1b[<35;{10 + i % 30};{5 + i % 10}M".encode())
        term.drain(0.8)
        out["40 mouse motions"] = len(term.log) - begin
        out["any-motion tracking asked (1=yes)"] = float(b"\x1b[?1003h" in term.log)
    finally:
        term.close()
    return out


def main_actions(template: Path, runs: int, label: str) -> int:
    results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for _ in range(runs):
        for raw in (True, False):
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "bench.db"
                copy_db(template, db)
                results[raw].append(action_run(db, raw))
    print(f"bytes per action at 80x24, {label}, median of {runs} runs")
    print("| action | Textual's output (TREEM_RAW_OUTPUT=1) | treem's driver |")
    print("|---|---|---|")
    for key in results[False][0]:
        before = statistics.median(r[key] for r in results[True])
        after = statistics.median(r[key] for r in results[False])
        print(f"| {key} | {before:,.0f} | {after:,.0f} |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=0)
    parser.add_argument("--colors", type=int, choices=(16, 256), default=16)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="list the slowest keys")
    parser.add_argument("--no-color", action="store_true", help="run with NO_COLOR=1")
    parser.add_argument("--actions", action="store_true",
                        help="bytes per screen switch, Tab, search, resize, mouse")
    args = parser.parse_args(argv)
    if args.db is not None:
        template = args.db
        label = f"given database {template}"
    elif args.children:
        template = Path(tempfile.gettempdir()) / f"treem-bench-{args.children}.db"
        if not template.exists():
            build_demo_db(template, args.children)
        label = f"treem demo database, {args.children:,} children"
    else:
        template = Path(tempfile.gettempdir()) / "treem-bench-small.db"
        template.unlink(missing_ok=True)
        build_small_db(template)
        label = "small sandbox database (3 villages, no children)"
    if args.actions:
        return main_actions(template, args.runs, label)
    results = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            copy_db(template, db)
            results.append(one_run(db, args.colors, args.no_color))
    colours = "NO_COLOR" if args.no_color else f"{args.colors} colours"
    print(f"treem TUI at 80x24, {colours}, {label}, median of {args.runs} runs")
    if args.verbose:
        for r in results:
            print("  slowest keys (s, key, bytes):", r["slowest"])
    for key in results[0]:
        if key == "slowest":
            continue
        values = [r[key] for r in results]
        if isinstance(values[0], bool):
            print(f"  {key:<22} {all(values)}")
        else:
            print(f"  {key:<22} {statistics.median(values):.1f}   (runs: "
                  + ", ".join(f"{v:.1f}" for v in values) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
