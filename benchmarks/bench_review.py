"""Benchmark: review lists and duplicate candidates on a large register.

For each review list of ``tui.store.review``: the time to read the first page (one
screenful, 20 rows), the count, and the last page; the time from pushing
``ReviewListScreen`` to its first page on screen (headless, 80x24); and the duplicate
candidates (``libchild.find_duplicates`` over the commune), cold and from the cache.
Figures are medians of ``--runs`` runs (the duplicate cold run is done ``--dup-runs``
times). Then the app runs on a pseudo-terminal (80x24, 16 colours) and the bytes and
latency of opening a list, moving the cursor and paging are measured (``--pty-only``
for just these).

    .venv/bin/python benchmarks/bench_review.py --children 300000 --runs 7

The register is a ``treem demo --no-ui`` sandbox made once and kept at ``--db`` (default
in the system temporary directory) so later runs skip the ~1 minute it takes to build.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script run from a checkout

PAGE = 20  # rows a review list shows at 80x24


def ensure_db(path: Path, children: int) -> None:
    """Build the sandbox register with ``treem demo`` unless it already exists."""
    if path.exists():
        return
    print(f"building {path} with {children} children (treem demo --no-ui)...", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "tui.cli", "demo", "--db", str(path), "--children",
         str(children), "--no-ui"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``fn`` in milliseconds, and its last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


async def screen_open_ms(register: Any, kind: str) -> float:
    """Push a review list in a headless app and wait until its first page is drawn."""
    from tui.app import TreemApp
    from tui.screens.review import ReviewListScreen
    from tui.widgets.paged_table import PagedTable

    app = TreemApp(services=register)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        screen = ReviewListScreen(register, kind)
        await app.push_screen(screen)
        table = screen.query_one(PagedTable)
        while not table.visible_rows and table.row_count == 0 and \
                time.perf_counter() - start < 30:
            await pilot.pause(0.001)
        elapsed = (time.perf_counter() - start) * 1000
        assert len(table.visible_rows) <= table.page_size
    return elapsed


def pty_figures(db_path: Path, moves: int) -> None:
    """The app on a pseudo-terminal at 80x24, 16 colours: open a review list from home,
    move the cursor, page, sit idle; bytes written and keystroke-to-screen latency."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_tui_bytes import Terminal

    term = Terminal(db_path, 16)
    try:
        started = term.wait_for("Trang chính".encode())
        opened_bytes, opened_s = term.key("r")
        if "Rà soát".encode() not in term.log:
            raise RuntimeError("the review list did not open")
        term.read_until_quiet(quiet=0.5, limit=5)  # the background count arrives
        down = [term.key("\x1b[B") for _ in range(moves)]
        pages = [term.key("\x1b[6~") for _ in range(5)]
        idle = term.idle(3.0)
    finally:
        term.close()
    down_bytes = [b for b, _ in down]
    down_ms = sorted(t * 1000 for _, t in down)
    p95 = down_ms[min(len(down_ms) - 1, round(0.95 * (len(down_ms) - 1)))]
    print(f"pty 80x24, 16 colours: home painted {started:.2f} s after start; 'r' to the "
          f"review list {opened_s * 1000:.0f} ms, {opened_bytes} bytes")
    print(f"cursor down x{moves}: median {statistics.median(down_bytes):.0f} bytes, "
          f"latency median {statistics.median(down_ms):.1f} ms, p95 {p95:.1f} ms")
    print(f"page down x5: median {statistics.median(b for b, _ in pages):.0f} bytes, "
          f"{statistics.median(t for _, t in pages) * 1000:.1f} ms; idle 3 s: {idle} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dup-runs", type=int, default=3)
    parser.add_argument("--pty-only", action="store_true",
                        help="only the pseudo-terminal figures")
    args = parser.parse_args()
    db_path = args.db or Path(tempfile.gettempdir()) / f"treem-bench-{args.children}.db"
    ensure_db(db_path, args.children)
    if args.pty_only:
        pty_figures(db_path, moves=40)
        return

    from tui.domain import ReviewKind
    from tui.services import Services
    from tui.services.accounts import sandbox_session
    from tui.services.duplicates import clear_cache
    from tui.services.review import ReviewQuery
    from tui.store.database import open_db

    db = open_db(db_path)
    register = Services(db, sandbox_session(db))
    total = db.execute_sql("SELECT count(*) FROM child").fetchone()[0]
    print(f"register {db_path}: {total} children; medians of {args.runs} runs (ms)")
    print(f"{'list':<16}{'rows':>8}{'first page':>12}{'count':>10}{'last page':>11}"
          f"{'screen':>9}")
    for kind in ReviewKind:
        review = ReviewQuery(register.review, kind)
        first_ms, _ = median_ms(lambda r=review: r.page(0, PAGE), args.runs)
        count_ms, rows = median_ms(review.count, args.runs)
        last_ms, _ = median_ms(lambda r=review, n=rows: r.page(max(0, n - PAGE), PAGE),
                               args.runs)
        screens = [asyncio.run(screen_open_ms(register, kind))
                   for _ in range(max(1, args.runs // 2))]
        print(f"{kind:<16}{rows:>8}{first_ms:>12.1f}{count_ms:>10.1f}{last_ms:>11.1f}"
              f"{statistics.median(screens):>9.1f}")

    colds = []
    pairs: list[Any] = []
    for _ in range(args.dup_runs):
        clear_cache()
        start = time.perf_counter()
        pairs = register.duplicates.candidates()
        colds.append(time.perf_counter() - start)
    warm_ms, _ = median_ms(register.duplicates.candidates, args.runs)
    print(f"duplicate candidates: {len(pairs)} pairs; cold (libchild.find_duplicates "
          f"over {total} children) median {statistics.median(colds):.1f} s "
          f"of {args.dup_runs}; cached {warm_ms:.1f} ms")
    db.close()
    pty_figures(db_path, moves=40)


if __name__ == "__main__":
    main()
