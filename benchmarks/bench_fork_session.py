"""The app side of an SSH login: what a session forked by the resident server costs.

No sshd, no connector: this process does what ``treem server run`` does before forking
(``tui.server.resident.preload``), then forks N sessions at the same instant, each on its
own 80x24 pty, through the server's own ``run_session`` (drop to the officer, own the
terminal, run the app). For each session it records

- the wall time from the fork to the home screen on the terminal ("Trang chính" and the
  place line, read through pyte as a terminal would show it);
- the session's CPU time (user + system, all threads, ``/proc/PID/stat``) at that moment
  and again once it has been idle for a few seconds (what it did after the first paint:
  the review counts, the duplicate count);
- the bytes of its first screen.

``--profile FILE`` runs session 1 under cProfile (main thread) and writes its statistics
when the home screen shows (``--profile-until settled``: after the idle wait).

Usage (root: the sessions drop to ``--user``, default ``nobody``; from the repository root)::

    .venv/bin/python benchmarks/bench_fork_session.py [--db FILE] [--sessions 30]
        [--runs 3] [--profile /tmp/session.prof]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import os
import pwd
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ttyio import set_size  # noqa: E402

HOME_TEXT = "Trang chính"
SETTLE_S = 4.0
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` (all its threads, live and ended)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK if fields else float("nan")


def minor_faults(pid: int) -> int:
    """Minor page faults of ``pid`` so far (after a fork: mostly copy-on-write copies)."""
    fields = _stat(pid)
    return int(fields[7]) if fields else 0


class Session:
    """One forked session on its pty, read through pyte."""

    def __init__(self, pid: int, master: int, t0: float) -> None:
        import pyte

        self.pid, self.master, self.t0 = pid, master, t0
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes = 0
        self.home_s: float | None = None
        self.home_bytes = 0
        self.home_cpu = float("nan")
        self.home_faults = 0

    def read(self) -> None:
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return
        self.bytes += len(chunk)
        self.stream.feed(chunk)

    def at_home(self) -> bool:
        lines = self.screen.display
        # The title and the place line: the screen is painted, not just begun.
        return any(HOME_TEXT in line for line in lines) and any("Xã" in line for line in lines)


#: ``--phases``: (module, qualified name) of the calls timed in the session.
PHASES = (
    ("tui.server.resident", "_become_officer"),
    ("tui.app", "TreemApp.__init__"),
    ("tui.terminal.driver", "LeanDriver.start_application_mode"),
    ("tui.app", "TreemApp.on_mount"),
    ("tui.app", "open_register"),
    ("tui.services.accounts", "sandbox_session"),
    ("tui.services.accounts", "unix_session"),
    ("tui.app", "TreemApp._logged_in"),
    ("tui.screens.home", "HomeScreen.compose"),
    ("tui.screens.home", "HomeScreen.on_mount"),
    ("tui.screens.home", "HomeScreen._load_counts"),
)


def trace_phases(out: str) -> None:
    """In a session: log wall and process CPU time at the start and end of each call in
    :data:`PHASES`, and at each terminal write; written to ``out`` on SIGUSR1."""
    import importlib
    import threading

    from tui.terminal.driver import LeanDriver

    t0 = time.perf_counter()
    log: list[tuple[str, float, float]] = []

    def mark(what: str) -> None:
        log.append((what, time.perf_counter() - t0, time.process_time()))

    def wrap(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)  # Textual counts the parameters of handlers
        def timed(*args: object, **kwargs: object) -> object:
            mark(f"> {label}")
            try:
                return original(*args, **kwargs)
            finally:
                mark(f"< {label}")

        setattr(owner, name, timed)

    for module_name, qualname in PHASES:
        owner: object = importlib.import_module(module_name)
        *path, name = qualname.split(".")
        for part in path:
            owner = getattr(owner, part)
        wrap(owner, name, qualname)
    write = LeanDriver.write

    def timed_write(self: LeanDriver, data: str) -> None:
        write(self, data)
        mark(f"write {len(data)} ({threading.current_thread().name})")

    LeanDriver.write = timed_write  # type: ignore[method-assign]
    mark("fork")

    def dump(_signum: int, _frame: object) -> None:
        mark("dump")
        with open(out, "w") as f:
            for what, wall, cpu in log:
                f.write(f"{wall * 1000:8.1f} ms {cpu * 1000:8.1f} ms  {what}\n")
        os._exit(0)

    signal.signal(signal.SIGUSR1, dump)


#: ``--no-counts``: the home screen does not start its count worker (to see its share).
NO_COUNTS = False


def fork_session(db: Path, user: pwd.struct_passwd, profile: str | None,
                 phases: str | None = None) -> Session:
    from tui.server import resident

    master, slave = os.openpty()
    set_size(slave, 24, 80)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the session
        code = 70
        try:
            os.close(master)
            login = resident.Login(uid=user.pw_uid, gid=user.pw_gid, pid=os.getpid(),
                                   user=user, tty_fd=slave,
                                   env={"TERM": "xterm", "LANG": "C.UTF-8"})
            if phases:
                trace_phases(phases)
            if NO_COUNTS:
                from tui.screens.home import HomeScreen

                HomeScreen._start_count = lambda self: None  # type: ignore[method-assign]
            if profile or phases:
                prof = cProfile.Profile()

                def dump(_signum: int, _frame: object) -> None:
                    prof.disable()
                    prof.dump_stats(profile)
                    os._exit(0)

                if profile:
                    signal.signal(signal.SIGUSR1, dump)
                real_run = resident.run_session

                def run(login: resident.Login, path: Path) -> int:
                    # run_session resets signals; put the dump handler back after it did
                    original = signal.signal

                    def keep(sig: int, handler: object) -> object:
                        if sig == signal.SIGUSR1:
                            return None
                        return original(sig, handler)  # type: ignore[arg-type]

                    signal.signal = keep  # type: ignore[assignment]
                    try:
                        if profile:
                            prof.enable()
                        return real_run(login, path)
                    finally:
                        signal.signal = original

                code = run(login, db)
            else:
                code = resident.run_session(login, db)
        finally:
            os._exit(code)
    os.close(slave)
    return Session(pid, master, t0)


def room(db: Path, n: int, user: pwd.struct_passwd, profile: str | None,
         profile_until: str, phases: str | None = None) -> list[Session]:
    sessions = [fork_session(db, user, profile if i == 0 else None,
                             phases if i == 0 else None) for i in range(n)]
    end = time.perf_counter() + 60
    pending = list(sessions)
    while pending and time.perf_counter() < end:
        ready, _, _ = select.select([s.master for s in pending], [], [], 0.2)
        for s in pending[:]:
            if s.master in ready:
                s.read()
                if s.at_home():
                    s.home_s = time.perf_counter() - s.t0
                    s.home_cpu = cpu_s(s.pid)
                    s.home_faults = minor_faults(s.pid)
                    s.home_bytes = s.bytes
                    pending.remove(s)
                    if (profile or phases) and s is sessions[0] and profile_until == "home":
                        os.kill(s.pid, signal.SIGUSR1)
    settle_end = time.perf_counter() + SETTLE_S
    while (left := settle_end - time.perf_counter()) > 0:
        ready, _, _ = select.select([s.master for s in sessions], [], [], left)
        for s in sessions:
            if s.master in ready:
                s.read()
    for s in sessions:
        s.settled_cpu = cpu_s(s.pid)  # type: ignore[attr-defined]
    if (profile or phases) and profile_until == "settled":
        os.kill(sessions[0].pid, signal.SIGUSR1)
        time.sleep(0.5)
    for s in sessions:
        with contextlib.suppress(ProcessLookupError):
            os.kill(s.pid, signal.SIGHUP)
    for s in sessions:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(s.pid, 0)
        os.close(s.master)
    missing = [s for s in sessions if s.home_s is None]
    if missing:
        raise RuntimeError(f"{len(missing)} of {n} sessions never showed the home screen")
    return sessions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a register (default: a new 2,000-child demo)")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--user", default="nobody")
    parser.add_argument("--no-warm", action="store_true", help="preload without the warm-up")
    parser.add_argument("--profile", help="cProfile statistics of session 1 of each run to "
                        "PROFILE.1, PROFILE.2 ... (merge them with pstats)")
    parser.add_argument("--phases", help="times of the main calls of session 1 of each run "
                        "to PHASES.1, PHASES.2 ...")
    parser.add_argument("--no-counts", action="store_true",
                        help="sessions skip the home screen's counts (their share of a room)")
    parser.add_argument("--profile-until", choices=("home", "settled"), default="home")
    args = parser.parse_args(argv)
    user = pwd.getpwnam(args.user)
    global NO_COUNTS
    NO_COUNTS = args.no_counts
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
          f"cores={os.cpu_count()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="treem-forkbench-"))
    try:
        os.chmod(work, 0o777)
        db = work / "register.db"
        if args.db:
            shutil.copy(args.db, db)
        else:
            subprocess.run([sys.executable, "-m", "tui.cli", "demo", "--no-ui", "--db",
                            str(db)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        for path in work.iterdir():
            os.chmod(path, 0o666)
        from tui.server import resident

        started = time.perf_counter()
        cpu0 = time.process_time()
        resident.preload(warm=not args.no_warm)
        print(f"preload: {time.perf_counter() - started:.2f} s wall, "
              f"{time.process_time() - cpu0:.2f} s CPU", flush=True)
        homes: list[float] = []
        cpus: list[float] = []
        settled: list[float] = []
        first_bytes: list[int] = []
        faults: list[int] = []
        for run in range(args.runs):
            profile = f"{args.profile}.{run + 1}" if args.profile else None
            phases = f"{args.phases}.{run + 1}" if args.phases else None
            sessions = room(db, args.sessions, user, profile, args.profile_until, phases)
            homes += [s.home_s for s in sessions if s.home_s is not None]
            cpus += [s.home_cpu for s in sessions]
            settled += [s.settled_cpu for s in sessions]  # type: ignore[attr-defined]
            first_bytes += [s.home_bytes for s in sessions]
            faults += [s.home_faults for s in sessions]
            print(f"run {run + 1}: home p50 {statistics.median(homes[-args.sessions:]):.2f} s, "
                  f"max {max(homes[-args.sessions:]):.2f} s; load {os.getloadavg()[0]:.1f}",
                  flush=True)
        print(f"| N | home p50 / max (s) | CPU to home p50 (s) | CPU settled p50 (s) "
              f"| minor faults to home p50 | first screen B p50 | load |\n"
              f"|---|---|---|---|---|---|---|\n"
              f"| {args.sessions} | {statistics.median(homes):.2f} / {max(homes):.2f} "
              f"| {statistics.median(cpus):.3f} | {statistics.median(settled):.3f} "
              f"| {statistics.median(faults):,.0f} | {statistics.median(first_bytes):,.0f} "
              f"| {os.getloadavg()[0]:.1f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
