"""Starting a training session of N trainees and reading the room's status (issue 12).

Target: a session of 30 trainees started in at most 10 s. Each run is a fresh process
(``--child``) so imports count as a trainer would feel them; prints the median, min and
max of the runs, and the status (re-scoring every sandbox) after the start.

    .venv/bin/python benchmarks/bench_training_session.py --trainees 30 --runs 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(trainees: int, scenario: str) -> None:
    started = time.perf_counter()
    from tui.services.training import session_status, start_session

    with tempfile.TemporaryDirectory() as work:
        start_session(Path(work) / "s", scenario, trainees)
        made = time.perf_counter() - started
        before = time.perf_counter()
        session_status(Path(work) / "s")
        status = time.perf_counter() - before
    print(json.dumps({"start": made, "status": status}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", default="05-danh-sach-thon-lon-xon")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.trainees, args.scenario)
        return
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, __file__, "--child", "--trainees",
                               str(args.trainees), "--scenario", args.scenario],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    for key in ("start", "status"):
        values = [r[key] for r in runs]
        print(f"{key}: median {statistics.median(values):.2f} s, min {min(values):.2f} s, "
              f"max {max(values):.2f} s ({args.trainees} trainees, {args.runs} runs)")


if __name__ == "__main__":
    main()
