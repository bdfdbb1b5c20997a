"""Benchmark: diacritic-insensitive name-prefix search over 300,000 children.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_search.py [--children 300000]
        [--db PATH] [--repeat 200]

Without ``--db`` a sandbox register is built in a temporary directory with
``tui.store.bulk`` (synthetic children, family names at rough national frequencies plus
Thái and H'Mông names, so "nguyen" matches about a quarter of all children). With
``--db`` an existing register (e.g. from ``treem demo --children 300000 --no-ui``) is used,
or built there when missing (building runs in a separate process, so that measuring
starts in a fresh one, as the app would).
For each query it times ``services.children.search(text)`` (one 50-row page) and
``services.children.count_search(text)``, as the search screen calls them, and
prints the median and 95th percentile in milliseconds. Targets (issue 3): page <= 2 ms,
count <= 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

QUERIES = ["nguyen", "Nguyễn Văn", "nguyen thi h", "tran", "lo thi", "Đinh", "dinh van d",
           "giang a", "q", "điêu", "0143", "xyz"]

FAMILY = [("Nguyễn", 30), ("Trần", 9), ("Lê", 8), ("Phạm", 6), ("Hoàng", 4), ("Vũ", 3),
          ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Đinh", 2),
          ("Lò", 6), ("Quàng", 4), ("Lường", 3), ("Cầm", 2), ("Điêu", 2), ("Giàng", 4),
          ("Vàng", 3), ("Sùng", 2), ("Mùa", 2), ("Thào", 2)]
MIDDLE = {"1": ["Văn", "Đức", "Minh", "Quang", "A", "Công"],
          "2": ["Thị", "Ngọc", "Thu", "Thanh", "Thị Thu"]}
GIVEN = {"1": ["An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hùng", "Khánh", "Long",
               "Minh", "Nam", "Phong", "Quân", "Sơn", "Tài", "Thắng", "Tuấn", "Việt", "Páo",
               "Chứ", "Dơ", "Lử", "Sinh", "Tòng", "Xuân", "Hiếu", "Kiên", "Lâm", "Trung"],
         "2": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hoa", "Hương", "Lan", "Linh", "Mai",
               "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Uyên", "Vân",
               "Yến", "Của", "Dợ", "Mỷ", "Ón", "Xuân", "Pằng", "Sy", "Lả", "Nga", "Tâm"]}
ETHNIC = {"Lò": "03", "Quàng": "03", "Lường": "03", "Cầm": "03", "Điêu": "03",
          "Giàng": "08", "Vàng": "08", "Sùng": "08", "Mùa": "08", "Thào": "08"}
VILLAGES = [f"Bản {n}" for n in ("Nà Lốc", "Pá Ban", "Hua Trai", "Nậm Păm", "Co Mạ", "Ít Ong",
                                 "Chiềng Lao", "Mường Trai", "Pi Toong", "Ngọc Chiến")]


def synthetic_children(count: int, seed: int = 7, start: int = 0) -> list[dict]:
    """``count`` synthetic child records (valid for libchild; never real people).

    ID numbers are structurally consistent (prefix 014, century/sex digit, birth year)
    and made unique by a running number from ``start``.
    """
    rng = random.Random(seed)
    names, weights = zip(*FAMILY, strict=True)
    today = date(2026, 1, 1)
    rows = []
    for n in range(start, start + count):
        sex = rng.choice("12")
        family = rng.choices(names, weights)[0]
        birth = today - timedelta(days=rng.randint(30, 15 * 365))
        rows.append({
            "full_name": f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}",
            "sex": sex,
            "birth_date": birth.isoformat(),
            "ethnicity": ETHNIC.get(family, "01"),
            "personal_id": f"014{'2' if sex == '1' else '3'}{birth.year % 100:02d}{n:06d}",
            "father_name": f"{family} Văn {rng.choice(GIVEN['1'])}",
            "village": VILLAGES[n % len(VILLAGES)],
        })
    return rows


def build(path: Path, children: int) -> float:
    """Create a sandbox register with ``children`` synthetic children; seconds taken."""
    from tui.store.bulk import insert_children_bulk, insert_villages
    from tui.store.settings import create_register

    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14", sandbox=True)
    insert_villages(db, VILLAGES)
    rows = synthetic_children(children)
    started = time.perf_counter()
    result = insert_children_bulk(db, rows, on=date(2026, 1, 1))
    elapsed = time.perf_counter() - started
    assert result.inserted == children, result.rejected[:3]
    db.execute_sql("PRAGMA optimize")
    db.close()
    return elapsed


def _time(fn, repeat: int) -> tuple[float, float, object]:
    for _ in range(5):  # warm the page cache
        value = fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_only:
        seconds = build(args.db, args.children)
        print(f"built {args.children} children with insert_children_bulk in {seconds:.1f} s")
        return 0

    from tui.services import Services, accounts
    from tui.store.database import open_db

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if not path.exists():  # built in another process: measure as a fresh app would
            subprocess.run([sys.executable, __file__, "--build-only", "--db", str(path),
                            "--children", str(args.children)], check=True)
        db = open_db(path)
        total = db.execute_sql("SELECT count(*) FROM child").fetchone()[0]
        print(f"children: {total}; file: {path.stat().st_size / 1e6:.0f} MB")
        session = (accounts.sandbox_session(db) if (db.execute_sql(
            "SELECT sandbox FROM setting").fetchone() or [0])[0] else None)
        if session is None:
            print("not a sandbox register: use one made by `treem demo`", file=sys.stderr)
            return 2
        register = Services(db, session)
        print(f"{'query':<16}{'matches':>9}{'page med':>10}{'page p95':>10}"
              f"{'count med':>11}{'count p95':>11}  (ms)")
        worst_page = worst_count = 0.0
        for query in QUERIES:
            page_med, page_p95, page = _time(lambda q=query: register.children.search(q),
                                             args.repeat)
            count_med, count_p95, count = _time(lambda q=query: register.children.count_search(q),
                                                args.repeat)
            assert len(page) == min(50, count)
            worst_page, worst_count = max(worst_page, page_med), max(worst_count, count_med)
            print(f"{query:<16}{count:>9}{page_med:>10.3f}{page_p95:>10.3f}"
                  f"{count_med:>11.3f}{count_p95:>11.3f}")
        print(f"worst median: page {worst_page:.3f} ms (target 2), "
              f"count {worst_count:.3f} ms (target 5)")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
