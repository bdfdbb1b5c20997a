"""Benchmark: ``treem demo --children N --no-ui`` end to end, and where the time goes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_demo.py [--children 300000] [--runs 3]

Each run creates a fresh sandbox database in a temporary directory with the real
command (a new process, so interpreter start and imports are counted), then prints the
median wall time and the database size. A second, in-process pass splits one run into
generation (``tui.demo.generate``) and storing (``tui.demo.loader.load``: validation by
libchild plus the bulk inserts) in one process (``treem demo`` streams the rows instead,
generated and validated by a worker process while it writes). Targets: 300,000
children in at most 30 s (issue 3); at most 12 s and 300 MB peak RSS (issue 15).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _peaks(pid: int, peaks: dict[int, int]) -> None:
    """Record the peak RSS (``VmHWM``, kB) of ``pid`` and of its child processes."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return
    for each in (pid, *map(int, children)):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[each] = max(peaks.get(each, 0), int(line.split()[1]))
        except OSError:
            continue


def _watch(pid: int, peaks: dict[int, int], stop: threading.Event) -> None:
    while not stop.wait(0.1):
        _peaks(pid, peaks)


def run_command(children: int, seed: int) -> tuple[float, float, int, float, float]:
    """One ``treem demo`` process on a fresh file: (wall s, CPU s, database bytes,
    peak RSS MB, sum of the peak RSS MB of the process and its worker).

    CPU time (user + system) is reported beside wall time because the machine is
    shared: when other work competes for the two cores, wall time stretches. CPU and
    ``ru_maxrss`` come from ``wait4`` and cover the worker process a large demo forks
    (its CPU is added; ``ru_maxrss`` is the larger of the two peaks), so the sum of
    both peaks, sampled from ``/proc`` every 0.1 s, is reported too (an upper bound of
    what the two held at once).
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": tmp}
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "demo", "--db", str(db), "--children",
             str(children), "--seed", str(seed), "--no-ui"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        )
        peaks: dict[int, int] = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(process.pid, peaks, stop))
        watcher.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            stop.set()
            watcher.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if process.returncode:
            raise SystemExit(f"treem demo failed ({process.returncode})")
        return (wall, usage.ru_utime + usage.ru_stime, _size(db),
                usage.ru_maxrss / 1024, sum(peaks.values()) / 1024)


def split_phases(children: int, seed: int) -> dict[str, tuple[float, float]]:
    """Generation and storing measured separately in this process: (wall s, CPU s)."""
    sys.path.insert(0, str(ROOT))
    from libchild import catalog
    from tui.demo import generate
    from tui.demo.generator import paused_gc
    from tui.demo.loader import load
    from tui.services import accounts
    from tui.store import settings
    from tui.store.database import open_db

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "phases.db", create=True)
        commune = catalog.load().communes.get("03808")
        settings.initialize(db, commune_code=commune.code, commune_name=commune.name,
                            province_code=commune.parent, sandbox=True)
        session = accounts.sandbox_session(db)
        with paused_gc():  # as treem demo does
            w0, c0 = time.perf_counter(), time.process_time()
            data = generate(children, seed=seed)
            w1, c1 = time.perf_counter(), time.process_time()
            load(db, data, user_id=session.user_id, username=session.username)  # one process
            w2, c2 = time.perf_counter(), time.process_time()
        db.close()
    return {"generate": (w1 - w0, c1 - c0), "store (validate + insert)": (w2 - w1, c2 - c1)}


def compare_worker(children: int, seed: int) -> None:
    """The streamed load with and without its worker process, in this process: wall,
    CPU of this process and of the worker, peak RSS of each."""
    sys.path.insert(0, str(ROOT))
    import resource

    from libchild import catalog
    from tui.demo.generator import stream
    from tui.demo.loader import load
    from tui.services import accounts
    from tui.store import settings
    from tui.store.database import open_db

    for worker in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            db = open_db(Path(tmp) / "worker.db", create=True)
            commune = catalog.load().communes.get("03808")
            settings.initialize(db, commune_code=commune.code, commune_name=commune.name,
                                province_code=commune.parent, sandbox=True)
            session = accounts.sandbox_session(db)
            load_before = os.getloadavg()[0]
            t0, w0 = os.times(), time.perf_counter()
            load(db, stream(children, seed=seed), user_id=session.user_id,
                 username=session.username, worker=worker)
            t1, wall = os.times(), time.perf_counter() - w0
            db.close()
        own = t1.user + t1.system - t0.user - t0.system
        other = (t1.children_user + t1.children_system - t0.children_user
                 - t0.children_system)
        print(f"{children} children, worker {'on' if worker else 'off'}: wall {wall:.1f} s, "
              f"cpu {own:.1f} s here + {other:.1f} s worker; peak RSS here "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, worker "
              f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB "
              f"(load average before: {load_before:.2f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-phases", action="store_true",
                        help="skip the in-process split into generation and storing")
    parser.add_argument("--compare-worker", type=int, metavar="N",
                        help="only compare the load of N children with and without its "
                             "worker process (in this process; peaks are cumulative)")
    args = parser.parse_args()
    if args.compare_worker:
        compare_worker(args.compare_worker, args.seed)
        return

    times, cpus, sizes, peaks, sums = [], [], [], [], []
    for run in range(args.runs):
        load = os.getloadavg()[0]
        seconds, cpu, size, peak, both = run_command(args.children, args.seed)
        times.append(seconds)
        cpus.append(cpu)
        sizes.append(size)
        peaks.append(peak)
        sums.append(both)
        print(f"run {run + 1}: wall {seconds:.2f} s, cpu {cpu:.2f} s, {size / 1e6:.1f} MB, "
              f"peak RSS {peak:.0f} MB, with its worker {both:.0f} MB "
              f"(load average before: {load:.2f})", flush=True)
    print(f"treem demo --children {args.children} --no-ui: median of {args.runs}: "
          f"wall {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
          f"cpu {statistics.median(cpus):.2f} s; peak RSS {statistics.median(peaks):.0f} MB, "
          f"process and worker together {statistics.median(sums):.0f} MB; "
          f"database {statistics.median(sizes) / 1e6:.1f} MB")
    if args.no_phases:
        return
    phases = split_phases(args.children, args.seed)
    print("phases (one in-process run): " + ", ".join(
        f"{name} wall {wall:.2f} s / cpu {cpu:.2f} s" for name, (wall, cpu) in phases.items()))


if __name__ == "__main__":
    main()
