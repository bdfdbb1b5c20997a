"""Time ``import libchild`` plus ``libchild.catalog.load()`` in fresh interpreters.

Each run starts a new Python process (so no module is cached) and measures, inside
it, the time from before ``import libchild`` to after ``load()`` returns; the wall
time of the whole process (interpreter start-up included) is reported beside it.
Target: well under 100 ms for the in-process figure.

    python benchmarks/bench_import_catalog.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import time
t0 = time.perf_counter()
import libchild
import libchild.catalog
cat = libchild.catalog.load()
t1 = time.perf_counter()
assert len(cat.communes) == 3321
print(t1 - t0)
"""


def run_once() -> tuple[float, float]:
    """Return (in-process seconds, whole-process wall seconds) of one fresh run."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    return float(out.stdout.strip()), wall


def main() -> None:
    """Run the benchmark and print the medians in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    inner, wall = zip(*(run_once() for _ in range(max(args.runs, 7))), strict=True)
    print(f"runs: {len(inner)}")
    print(f"import libchild + load(): median {statistics.median(inner) * 1000:.1f} ms "
          f"(min {min(inner) * 1000:.1f}, max {max(inner) * 1000:.1f})")
    print(f"whole process incl. interpreter start: median {statistics.median(wall) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
