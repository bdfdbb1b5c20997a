"""Benchmark: ``insert_children_bulk`` with the index and count upkeep live (row by row)
or deferred (``tui.store.bulk_upkeep``: indexes built and counts added at the end).

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_bulk_upkeep.py [--rows 50000] [--existing 0] [--runs 3]

Each run stores the same rows (the demo generator's children, without households) into
a fresh register holding ``--existing`` children, once each way, interleaved, in one
process: what a spreadsheet import's commit does (``TransferService``). Prints CPU and
wall seconds of each insert and the medians, with the load average.
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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks run from a checkout
    sys.path.insert(0, str(ROOT))

ON = date(2026, 11, 23)


def _rows(count: int, seed: int) -> list[dict]:
    from tui.demo import generate

    return [{k: v for k, v in child.items() if k != "household_id"}
            for child in generate(count, seed=seed, on=ON).children]


def one(rows: list[dict], existing: list[dict], defer: bool) -> tuple[float, float]:
    """Insert ``rows`` into a new register holding ``existing``: (wall s, CPU s)."""
    from tui.store.bulk import insert_children_bulk
    from tui.store.settings import create_register

    with tempfile.TemporaryDirectory() as tmp:
        db = create_register(Path(tmp) / "reg.db", commune_code="03808",
                             commune_name="Xã Mường La", province_code="14")
        if existing:
            insert_children_bulk(db, existing, allow_errors=True, on=ON, defer=False)
        w, c = time.perf_counter(), time.process_time()
        insert_children_bulk(db, rows, allow_errors=True, on=ON, defer=defer)
        seconds = (time.perf_counter() - w, time.process_time() - c)
        db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = _rows(args.rows, 1)
    existing = _rows(args.existing, 2) if args.existing else []
    for row in existing:  # other children: no ID number taken twice
        row["personal_id"] = ""
    found: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for run in range(args.runs):
        for defer in (False, True):
            wall, cpu = one(rows, existing, defer)
            found[defer].append((wall, cpu))
            print(f"run {run + 1} {'deferred' if defer else 'row by row'}: wall {wall:.2f} s, "
                  f"cpu {cpu:.2f} s", flush=True)
    for defer in (False, True):
        walls = [w for w, _ in found[defer]]
        cpus = [c for _, c in found[defer]]
        print(f"{args.rows} rows into {args.existing}, "
              f"{'deferred' if defer else 'row by row'}: median wall "
              f"{statistics.median(walls):.2f} s, cpu {statistics.median(cpus):.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
