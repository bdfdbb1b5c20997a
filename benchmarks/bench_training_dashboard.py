"""The trainer's dashboard while 30 trainees type (issue 12): CPU per second, bytes per refresh.

Target: with 30 trainees typing, the dashboard's refresh costs at most 200 ms of CPU per
second and never repaints the whole screen.

Each run:

1. starts a session of ``--trainees`` trainees (``start_session``, the service behind
   ``treem training start``) in a scratch folder;
2. starts ``treem training dashboard FOLDER`` on a pseudo-terminal of 80x24 (as sshd
   would, ``benchmarks/ttyio.py``), waits until every trainee's row is on screen and takes
   the bytes of that first screen as the full paint;
3. measures ``--idle`` seconds with nobody typing (the room unchanged);
4. starts one writer process that plays every trainee at once: each saves one child of
   the scenario's answer key through the services every ``--child-every`` seconds
   (``households.save``; some names typed without diacritics, as a trainee would), writes
   its entry form's draft every ``--draft-every`` seconds (``drafts.save``, as the form does
   within a second of each change) and appends the keystroke measure of each child; once
   all children are typed it goes on correcting them one at a time (``children.save``);
5. after ``--warmup`` seconds measures ``--seconds`` seconds: the dashboard process's CPU
   (utime + stime of ``/proc/<pid>/stat``, all threads), every byte it writes to the pty,
   cut into refreshes at the quiet gaps between them.

Prints the median over ``--runs`` runs and ``uptime``.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_training_dashboard.py --runs 3
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from ttyio import Terminal  # noqa: E402

#: Output quiet this long = one refresh's bytes are all out (refreshes are seconds apart).
REFRESH_GAP_S = 0.5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the writer: every trainee of the room typing ----------------------------------------

def _strip_marks(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"))


class _Trainee:
    """One trainee's sandbox, open, and where they are in the scenario."""

    def __init__(self, folder: Path, username: str, password: str, scenario: Any,
                 number: int) -> None:
        from tui.services import Services, accounts
        from tui.store.database import open_db
        from tui.store.models import bind

        self.username = username
        self.folder = folder
        self.db = open_db(folder / f"{username}.treem")
        bind(self.db)
        self.services = Services(self.db, accounts.login(self.db, username, password))
        self.scenario = scenario
        self.number = number
        self.next_child = 0
        self.households: dict[str, int] = {}
        #: (child id, version, payload as saved, the answer's name)
        self.saved: list[tuple[int, int, dict[str, Any], str]] = []
        self.edits = 0
        self.draft_version = 0

    def use(self) -> None:
        from tui.store.models import bind

        bind(self.db)

    def draft(self) -> None:
        self.use()
        self.draft_version = self.services.drafts.save(
            "entry:new", {"book_number": "0", "keys": self.draft_version})

    def child(self) -> None:
        from tui.services.drafts import entry_key
        from tui.training.keystrokes import KeystrokeMeasure

        sys.path.insert(0, str(ROOT / "tests"))
        from training_kit import payload

        self.use()
        key = self.scenario.key
        if self.next_child < len(key.children):
            answer = key.children[self.next_child]
            self.next_child += 1
            kid = payload(answer.values)
            if (self.next_child + self.number) % 3 == 0:  # a planted mistake
                kid["full_name"] = _strip_marks(kid["full_name"])
            book = answer.ref.book_number
            house = next(h for h in key.households if h.book_number == book)
            head = {"book_number": book, "village": house.village,
                    "address": house.address or "", "poverty": house.poverty}
            if book in self.households:
                head["id"] = self.households[book]
            result = self.services.households.save(
                head, [kid], [{"full_name": a.name, "personal_id": a.personal_id,
                               "relation": a.relation} for a in house.adults])
            self.households[book] = result.household_id
            saved = result.children[0]
            self.saved.append((saved.child_id, saved.version, kid, answer.values.full_name))
            self.services.drafts.discard(entry_key(None))
            record = saved.child_id
        else:  # every child typed: correct one (or spoil it again) and save it
            index = self.edits % len(self.saved)
            self.edits += 1
            child_id, version, kid, right = self.saved[index]
            fixed = dict(kid, full_name=right if kid["full_name"] != right
                         else _strip_marks(right))
            result = self.services.children.save({**fixed, "id": child_id}, version)
            self.saved[index] = (child_id, result.version, fixed, right)
            record = child_id
        from tui.services.training import write_measures

        write_measures(self.folder, self.username, [KeystrokeMeasure(
            record, self.next_child, datetime.now(UTC), 40.0 + self.number, 120, 4)])


def writer(folder: Path, child_every: float, draft_every: float, seed: int) -> None:
    """Play every trainee of the session in ``folder`` (passwords as a JSON line on stdin)
    until SIGTERM; print the counts."""
    from tui.services.training import read_session

    session = read_session(folder)
    scenario = session.scenario()
    passwords = json.loads(sys.stdin.readline())  # {username: password}, from the parent
    people = [_Trainee(folder, t.username, passwords[t.username], scenario, n)
              for n, t in enumerate(session.trainees)]
    rng = random.Random(seed)
    now = time.monotonic()
    events: list[tuple[float, int, str]] = []
    for i in range(len(people)):
        heapq.heappush(events, (now + rng.uniform(0, child_every), i, "child"))
        if draft_every > 0:
            heapq.heappush(events, (now + rng.uniform(0, draft_every), i, "draft"))
    counts = {"child": 0, "draft": 0, "late_s": 0.0}
    stop = False

    def halt(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, halt)
    print("ready", flush=True)
    while not stop:
        at, i, kind = heapq.heappop(events)
        wait = at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        else:
            counts["late_s"] = max(counts["late_s"], -wait)
        if stop:
            break
        person = people[i]
        if kind == "child":
            person.child()
            step = child_every
        else:
            person.draft()
            step = draft_every
        counts[kind] += 1
        heapq.heappush(events, (at + step * rng.uniform(0.8, 1.2), i, kind))
    print(json.dumps(counts), flush=True)


# --- the dashboard under a pty -----------------------------------------------------------

def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _bursts(term: Terminal, seconds: float) -> list[tuple[float, int, bytes]]:
    """Everything written during ``seconds``, cut into bursts at quiet gaps of
    :data:`REFRESH_GAP_S`: (time of the first byte, bytes, the burst)."""
    out: list[tuple[float, int, bytes]] = []
    end = time.perf_counter() + seconds
    current = bytearray()
    first = 0.0
    last = 0.0
    while (left := end - time.perf_counter()) > 0:
        ready, _, _ = select.select([term.master], [], [], min(left, 0.05))
        now = time.perf_counter()
        if current and now - last > REFRESH_GAP_S:
            out.append((first, len(current), bytes(current)))
            current = bytearray()
        if ready:
            chunk = term._read()
            if not chunk:
                break
            if not current:
                first = now
            current += chunk
            last = now
    if current:
        out.append((first, len(current), bytes(current)))
    return out


def one_run(args: argparse.Namespace, run: int) -> dict[str, Any]:
    from tui.services.training import start_session

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "buoi"
        began = time.perf_counter()
        started = start_session(folder, args.scenario, args.trainees)
        started_s = time.perf_counter() - began
        env = dict(os.environ, TERM="xterm", TEXTUAL_COLOR_SYSTEM="standard",
                   PYTHONPATH=str(ROOT))
        env.pop("TREEM_RAW_OUTPUT", None)
        if args.raw:
            env["TREEM_RAW_OUTPUT"] = "1"
        term = Terminal([sys.executable, "-c",
                         "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))",
                         "training", "dashboard", str(folder)], env, cwd=ROOT)
        writer_proc = None
        try:
            last = f"hocvien{min(args.trainees, 15):02d}"  # the last row an 80x24 screen shows
            term.wait_for_text(last, limit=60)
            term.settle(1.0)
            full_paint = len(term.log)
            cpu0, wall0 = _cpu_seconds(term.proc.pid), time.perf_counter()
            idle = _bursts(term, args.idle)
            idle_cpu = (_cpu_seconds(term.proc.pid) - cpu0) / (time.perf_counter() - wall0)
            writer_proc = subprocess.Popen(
                [sys.executable, __file__, "--writer", str(folder), "--child-every",
                 str(args.child_every), "--draft-every", str(args.draft_every),
                 "--seed", str(run)], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True)
            assert writer_proc.stdin is not None and writer_proc.stdout is not None
            writer_proc.stdin.write(json.dumps(dict(started.passwords)) + "\n")
            writer_proc.stdin.flush()
            if writer_proc.stdout.readline().strip() != "ready":
                raise RuntimeError("the writer did not start")
            _bursts(term, args.warmup)
            cpu0, wall0 = _cpu_seconds(term.proc.pid), time.perf_counter()
            typing = _bursts(term, args.seconds)
            cpu1, wall1 = _cpu_seconds(term.proc.pid), time.perf_counter()
            writer_proc.send_signal(signal.SIGTERM)
            counts = json.loads(writer_proc.stdout.readline())
            writer_proc.wait(timeout=30)
            screen = term.screen_lines()
        finally:
            if writer_proc is not None and writer_proc.poll() is None:
                writer_proc.kill()
                writer_proc.wait()
            term.close(quit_key="escape")
    sizes = [n for _t, n, _b in typing]
    wall = wall1 - wall0
    return {
        "start_session_s": started_s,
        "full_paint_bytes": full_paint,
        "idle_cpu_ms_per_s": idle_cpu * 1000,
        "idle_bytes_per_s": sum(n for _t, n, _b in idle) / args.idle,
        "cpu_ms_per_s": (cpu1 - cpu0) / wall * 1000,
        "bytes_per_s": sum(sizes) / wall,
        "refreshes": len(sizes),
        "bytes_per_refresh_median": statistics.median(sizes) if sizes else 0,
        "bytes_per_refresh_max": max(sizes, default=0),
        "largest_refresh_vs_full_paint": max(sizes, default=0) / full_paint,
        "clear_screen_in_refresh": any(b"\x1b[2J" in b for _t, _n, b in typing),
        "children_saved_per_s": counts["child"] / (args.warmup + args.seconds),
        "drafts_per_s": counts["draft"] / (args.warmup + args.seconds),
        "writer_late_max_s": counts["late_s"],
        "screen": screen,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--scenario", default="05-danh-sach-thon-lon-xon")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="measured window while the room types")
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--idle", type=float, default=15.0,
                        help="measured window before anybody types")
    parser.add_argument("--child-every", type=float, default=4.0,
                        help="seconds between two saved children of one trainee")
    parser.add_argument("--draft-every", type=float, default=1.0,
                        help="seconds between two draft writes of one trainee (0: none)")
    parser.add_argument("--raw", action="store_true", help="TREEM_RAW_OUTPUT=1")
    parser.add_argument("--show", action="store_true", help="print the last screen")
    parser.add_argument("--writer", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer(args.writer, args.child_every, args.draft_every, args.seed)
        return
    runs = [one_run(args, run) for run in range(args.runs)]
    print(f"trainer's dashboard at 80x24, {args.trainees} trainees, scenario {args.scenario}, "
          f"a child every {args.child_every:g} s and a draft every {args.draft_every:g} s "
          f"per trainee, {args.seconds:g} s measured, median of {args.runs} runs")
    for key in runs[0]:
        if key == "screen":
            continue
        values = [r[key] for r in runs]
        if isinstance(values[0], bool):
            print(f"  {key:<32} {values}")
        else:
            print(f"  {key:<32} {statistics.median(values):10.2f}   (runs: "
                  + ", ".join(f"{v:.2f}" for v in values) + ")")
    if args.show:
        print("\n".join(runs[-1]["screen"]))
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
