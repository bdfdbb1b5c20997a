"""Time ``import libchild`` plus ``libchild.catalog.load()`` in fresh interpreters.

Each run starts a new Python process (so no module is cached) and measures, inside
it, the time from before ``import libchild`` to after ``load()`` returns; the wall
time of the whole process (interpreter start-up included) is reported beside it.
Target: well under 100 ms for the in-process figure.

    python benchmarks/bench_import_catalog.py [--runs N] [--root CHECKOUT]
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
c0, t0 = time.process_time(), time.perf_counter()
import libchild
import libchild.catalog
t1 = time.perf_counter()
cat = libchild.catalog.load()
c2, t2 = time.process_time(), time.perf_counter()
assert len(cat.communes) == 3321
print(t2 - t0, c2 - c0, t1 - t0, t2 - t1)
"""
# `import libchild` alone: what a project pays that needs one helper, later or never.
ALONE = """
import time
t0 = time.perf_counter()
import libchild
print(time.perf_counter() - t0)
"""


def run_once(root: Path = ROOT) -> tuple[float, ...]:
    """Return (in-process wall, in-process CPU, import, load, whole process, import
    libchild alone) seconds."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=root, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    alone = subprocess.run(
        [sys.executable, "-c", ALONE], cwd=root, capture_output=True, text=True, check=True
    )
    return (*map(float, out.stdout.split()), wall, float(alone.stdout))


def main() -> None:
    """Run the benchmark and print the medians in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout to import libchild from (before/after runs)")
    args = parser.parse_args()
    runs = [run_once(args.root) for _ in range(max(args.runs, 7))]
    inner, cpu, imports, loads, wall, alone = zip(*runs, strict=True)

    def ms(values: tuple[float, ...]) -> str:
        return f"{statistics.median(values) * 1000:.1f} ms"

    print(f"runs: {len(runs)}")
    print(f"import libchild + load(): median {ms(inner)} "
          f"(min {min(inner) * 1000:.1f}, max {max(inner) * 1000:.1f}); CPU median {ms(cpu)}")
    print(f"  of which import {ms(imports)}, load() {ms(loads)}")
    print(f"whole process incl. interpreter start: median {ms(wall)}")
    print(f"import libchild alone: median {statistics.median(alone) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
