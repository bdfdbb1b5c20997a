"""Benchmark: a session's memory after the duplicate candidates of a large register.

Usage: .venv/bin/python benchmarks/bench_session_memory.py DB [--runs 3] [--in-process]

DB is a sandbox register (``treem demo --children 300000 --no-ui``). Each run is a fresh
process that opens DB as the app does (``tui.services.Services`` with the sandbox
session) and asks for the duplicate candidates, as the duplicate screen's worker does.
Printed: the time taken, the session process's RSS and PSS afterwards
(``/proc/self/smaps_rollup``), its own peak RSS, and the peak RSS of the child process
that paired the children (0 when paired in the session). ``--in-process`` forces the
pairing into the session process (the behaviour before ``tui.services.duplicate_pairs``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks run from a checkout
    sys.path.insert(0, str(ROOT))


def _rollup() -> dict[str, float]:
    values = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            parts = line.split()
            if parts[0] in ("Rss:", "Pss:"):
                values[parts[0][:-1].lower()] = int(parts[1]) / 1024
    return values


def one_run(db_path: str, in_process: bool) -> dict[str, float]:
    from tui.services import Services, accounts
    from tui.services import duplicates as service
    from tui.store.database import open_db

    if in_process:
        service.IN_PROCESS_LIMIT = 10**9
    db = open_db(db_path)
    reg = Services(db, accounts.sandbox_session(db))
    before = _rollup()
    start = time.perf_counter()
    found = reg.duplicates.candidates()
    seconds = time.perf_counter() - start
    after = _rollup()
    db.close()
    return {"pairs": len(found), "seconds": seconds, "rss_before": before["rss"],
            "rss_after": after["rss"], "pss_after": after["pss"],
            "peak_session": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.db, args.in_process)))
        return
    results = []
    for run in range(args.runs):
        done = subprocess.run([sys.executable, __file__, args.db, "--one"]
                              + (["--in-process"] if args.in_process else []),
                              check=True, capture_output=True, text=True)
        result = json.loads(done.stdout)
        results.append(result)
        print(f"run {run + 1}: {result['pairs']} pairs in {result['seconds']:.1f} s "
              f"(load average {result['load']:.2f}); session RSS {result['rss_before']:.0f}"
              f" -> {result['rss_after']:.0f} MB, PSS {result['pss_after']:.0f} MB, "
              f"session peak {result['peak_session']:.0f} MB, pairing child peak "
              f"{result['peak_child']:.0f} MB")
    print("median: " + ", ".join(
        f"{key} {statistics.median(r[key] for r in results):.1f}"
        for key in ("seconds", "rss_after", "pss_after", "peak_session", "peak_child")))


if __name__ == "__main__":
    main()
