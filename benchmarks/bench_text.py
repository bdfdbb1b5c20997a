"""Benchmark: the libchild.text helpers the rules engine calls per record.

``name_error`` must keep up with about 200,000 calls a second (the validate budget).
Synthetic names only (about 2% in TCVN3 or VNI, 3% with digits or symbols, some
Latin-1-only names such as "Lê Hà" that take the detector's slow path). Prints calls per
second for each helper, the median of several runs (CPU time of this process, so the
figure is one core's throughput even when other processes share the machine).

    .venv/bin/python benchmarks/bench_text.py [--names 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from libchild.text import (
    compose,
    decode_legacy,
    detect_legacy,
    encode_legacy,
    fold,
    name_error,
    normalize_name,
)

SURNAMES = ["Lò", "Quàng", "Cầm", "Nguyễn", "Trần", "Lê", "Hà", "Giàng", "Phạm", "Hoàng", "Vũ"]
MIDDLE = ["Văn", "Thị", "Ngọc", "Minh", "Thu", "A", "Hồng", "Xuân", "Đức"]
GIVEN = ["Páo", "An", "Bình", "Hà", "Tú", "Lan", "Hương", "Mỷ", "Chiến", "Ánh", "Sơn", "Yến"]


def make_names(count: int, seed: int = 2025) -> list[str]:
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        roll = rng.random()
        if roll < 0.01:
            name = encode_legacy(name, "tcvn3")
        elif roll < 0.02:
            name = encode_legacy(name, "vni")
        elif roll < 0.035:
            name += " 2"
        elif roll < 0.05:
            name = name.replace(" ", ". ", 1)
        elif roll < 0.1:
            name = name.upper()
        names.append(name)
    return names


def rate(func: Callable[[str], object], items: list[str], runs: int) -> float:
    """Median calls per second of ``func`` over ``items`` (CPU time)."""
    rates = []
    for _ in range(runs):
        start = time.process_time()
        for item in items:
            func(item)
        rates.append(len(items) / (time.process_time() - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    names = make_names(args.names)
    keys = [
        "Nguyeenx Vawn Anhs",
        "Lof Vawn Pasow",
        "Traafn Thij Ngocj Hoaf",
        "dduwowngf Leex Lowij",
    ] * (args.names // 40 or 1)
    legacy = [n for n in names if detect_legacy(n)]
    print(f"{len(names):,} names, {len(legacy):,} of them legacy-encoded; median of {args.runs}")
    for label, func, items in (
        ("name_error", name_error, names),
        ("normalize_name", normalize_name, names),
        ("fold", fold, names),
        ("detect_legacy", detect_legacy, names),
        ("decode_legacy (legacy names)", decode_legacy, legacy),
        ("compose (telex, 3-4 words)", compose, keys),
    ):
        print(f"{label:30} {rate(func, items, args.runs):>12,.0f} calls/s")


if __name__ == "__main__":
    main()
