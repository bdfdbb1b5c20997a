"""Benchmark: the libchild.text helpers the rules engine calls per record.

``name_error`` must keep up with about 200,000 calls a second (the validate budget).
Synthetic names only (about 2% in TCVN3 or VNI, 3% with digits or symbols, some
Latin-1-only names such as "Lê Hà" that take the detector's slow path). Prints calls per
second for each helper, the median of several runs (CPU time of this process, so the
figure is one core's throughput even when other processes share the machine).

Typing (``compose`` and ``Composer``) is measured in keys per second over a fixed list of
Telex and VNI key strings for names, including minority names and keys typed late in the
syllable (free marking); ``--typing-only`` skips the name helpers.

    .venv/bin/python benchmarks/bench_text.py [--names 100000] [--runs 5] [--typing-only]
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
    Composer,
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


# What a keyer types for a name field: Vietnamese names, minority names, marks typed late.
TELEX_NAMES = [
    "Nguyeenx Vawn Anhs",
    "Lof Thij Ngocj Hoaf",
    "Traafn Thij Thuyf Duwowng",
    "Hoangf Vawn Tuyenre",
    "Giangf A Pos",
    "Quangf Thij Quynhf",
    "DDawks Lawks",
    "Kroong Pawcs",
    "Y-Moan EEban",
    "H'Hen Niee",
    "Ksor Hroong",
    "Row Mah Thij Huwou",
    "Cafm Vawn Bocos",
    "Phamj Minh DDucws",
]
VNI_NAMES = [
    "Nguye6n4 Va8n A1nh",
    "Lo2 Thi5 Ngoc5 Hoa2",
    "Tra6n2 Thi5 Thuy2 Du7o7ng",
    "Hoang2 Va8n Tuye6n3",
    "D9a8k1 La8k1",
    "Kro6ng Pa8c1",
]


def typing_rate(keys: list[str], runs: int, method: str, *, per_key: bool) -> float:
    """Median keys per second: whole strings through ``compose`` or one key at a time."""
    total = sum(len(k) for k in keys)
    rates = []
    for _ in range(runs):
        start = time.process_time()
        if per_key:
            for text in keys:
                composer = Composer(method)
                for key in text:
                    composer.feed(key)
        else:
            for text in keys:
                compose(text, method)
        rates.append(total / (time.process_time() - start))
    return statistics.median(rates)


def bench_typing(runs: int, repeat: int = 300) -> None:
    telex, vni = TELEX_NAMES * repeat, VNI_NAMES * repeat
    print(f"typing: {sum(map(len, telex)):,} Telex keys, {sum(map(len, vni)):,} VNI keys")
    for label, keys, method, per_key in (
        ("compose telex", telex, "telex", False),
        ("compose vni", vni, "vni", False),
        ("Composer.feed telex, per key", telex, "telex", True),
    ):
        print(f"{label:30} {typing_rate(keys, runs, method, per_key=per_key):>12,.0f} keys/s")


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
    parser.add_argument("--typing-only", action="store_true")
    args = parser.parse_args()
    bench_typing(args.runs)
    if args.typing_only:
        return
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
