"""Benchmark: merging 300 commune report workbooks into the province report (issue 14).

Target: at most 30 s. Writes ``--communes`` synthetic commune reports (2,000 children
each, 12 villages, the Sơn La 2026 plan over four periods) into a temporary folder
(not timed), then times :func:`exports.report_merge.merge_reports`: reading and
checking every file (digest, visible figures, period, plan, duplicates), adding up and
writing the province workbook with its charts and ranking. Prints the median of several
runs (wall and CPU) and the load.

    .venv/bin/python benchmarks/bench_report_merge.py [--communes 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from report_facts import area, make_facts

from exports.report import write_evaluation
from exports.report_merge import merge_reports
from libchild import catalog
from libchild.indicators import ListSource, evaluate_last, load_plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=300)
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    plan = load_plans()["son-la-2026"]
    codes = [e.code for e in catalog.load().communes]  # synthetic: any 300 codes will do
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        t0 = time.perf_counter()
        for k in range(args.communes):
            code = codes[k]
            facts = make_facts(args.children, 12, seed=k)
            ev = evaluate_last(plan, ListSource(area(code, f"Xã {code}", 12), tuple(facts)),
                               date(2026, 6, 30), 4)
            path = Path(folder) / f"{code}.xlsx"
            write_evaluation(path, ev)
            paths.append(path)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(f"wrote {len(paths)} commune reports in {time.perf_counter() - t0:.1f} s "
              f"({size / 1024:.0f} KB each)", flush=True)
        walls, cpus = [], []
        for _ in range(args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            result = merge_reports(paths, Path(folder) / "tinh.xlsx")
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            print(f"run: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU", flush=True)
        print(f"merged {result.communes} communes; median {statistics.median(walls):.2f} s "
              f"wall, {statistics.median(cpus):.2f} s CPU; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
