"""Benchmark: every review list's count and first page, straight from the store.

For each list of ``tui.store.review``: the count and the first page (20 rows, by id),
for the whole register and for a user limited to one village; then all six counts as
the home screen asks for them. Medians of ``--runs`` runs in milliseconds. Opening the
register with this program applies its migrations (the review indexes, schema step 6)
to the file first, so give it a copy.

    .venv/bin/python benchmarks/bench_review_counts.py /tmp/perf2/d300k.db --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script run from a checkout

PAGE = 20


def median_ms(fn, runs: int) -> tuple[float, object]:
    """Median wall time of ``fn`` in milliseconds, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--on", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()

    from tui.domain import ReviewKind
    from tui.store import review
    from tui.store.database import open_db

    start = time.perf_counter()
    db = open_db(args.db)
    print(f"opened (and migrated) in {time.perf_counter() - start:.1f} s")
    total = db.execute_sql("SELECT count(*) FROM child").fetchone()[0]
    village = db.execute_sql("SELECT village_id FROM child GROUP BY village_id "
                             "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    one = frozenset({village})
    print(f"{args.db}: {total} children; on {args.on}; medians of {args.runs} runs (ms)")
    print(f"{'list':<16}{'rows':>8}{'count':>9}{'page 1':>9}"
          f"{'rows v':>9}{'count v':>9}{'page 1 v':>10}")
    for kind in ReviewKind:
        line = f"{kind:<16}"
        for villages in (None, one):
            count_ms, rows = median_ms(
                lambda k=kind, v=villages: review.count(db, k, on=args.on, villages=v),
                args.runs)
            page_ms, _ = median_ms(
                lambda k=kind, v=villages: review.page(db, k, on=args.on, villages=v,
                                                       offset=0, limit=PAGE), args.runs)
            line += f"{rows:>8}{count_ms:>9.2f}{page_ms:>9.2f} "
        print(line)
    all_ms, _ = median_ms(lambda: [review.count(db, k, on=args.on, villages=None)
                                   for k in ReviewKind], args.runs)
    print(f"all six counts (home screen): {all_ms:.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
