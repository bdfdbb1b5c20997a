"""Before/after: ``bench_validate.py`` on two checkouts, interleaved, in one run.

The machine is shared, so the two versions take turns (before, after, before, ...),
each run a fresh interpreter with the same records, and the medians are compared.
``--before`` is a checkout of the older code, for example made with
``git worktree add /tmp/before <commit>`` or ``git archive <commit> | tar -x -C DIR``.

    .venv/bin/python benchmarks/compare_validate.py --before /tmp/before [--rounds 5]
        [-- --records 200000 --runs 3 --distinct --plain]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIGURES = {
    "wall": re.compile(r"^median: ([\d,]+) records/s wall clock, ([\d,]+) records/s of CPU"),
    "plain": re.compile(r"^plain loop median: ([\d,]+) records/s wall clock, ([\d,]+) rec"),
}


def run(root: Path | None, extra: list[str]) -> dict[str, tuple[int, int]]:
    command = [sys.executable, str(HERE / "bench_validate.py"), *extra]
    if root is not None:
        command += ["--root", str(root)]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = {}
    for line in text.splitlines():
        for name, pattern in FIGURES.items():
            match = pattern.match(line)
            if match:
                found[name] = (int(match[1].replace(",", "")), int(match[2].replace(",", "")))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("extra", nargs="*", help="arguments for bench_validate.py (after --)")
    args = parser.parse_args()
    results: dict[str, list[dict[str, tuple[int, int]]]] = {"before": [], "after": []}
    for round_ in range(args.rounds):
        for label, root in (("before", args.before), ("after", None)):
            figures = run(root, args.extra)
            results[label].append(figures)
            print(f"round {round_ + 1} {label}: " + ", ".join(
                f"{k} {w:,}/{c:,}" for k, (w, c) in figures.items()), flush=True)
    print("medians (records/s, wall clock / CPU time):")
    for label, rows in results.items():
        for name in FIGURES:
            if all(name in row for row in rows):
                wall = statistics.median(row[name][0] for row in rows)
                cpu = statistics.median(row[name][1] for row in rows)
                print(f"  {label:6} {'validate' if name == 'wall' else 'plain loop':10} "
                      f"{wall:>9,.0f} / {cpu:>9,.0f}")
    for index, kind in ((0, "wall clock"), (1, "CPU time")):
        before = statistics.median(row["wall"][index] for row in results["before"])
        after = statistics.median(row["wall"][index] for row in results["after"])
        print(f"after / before ({kind}): {after / before:.2f}x")


if __name__ == "__main__":
    main()
