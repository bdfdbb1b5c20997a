"""Benchmark: the commune report from the register, in the service and on the screen
(issue 14: 2,000 children on screen ≤ 0.5 s; 300,000 children ≤ 5 s).

Builds a demo register of ``--children`` children once (``treem demo --no-ui``, kept in
``--dir``; not timed), then times, median of ``--runs``:

* ``service``: ``services.reports.evaluate`` for the default plan over the default four
  periods: reading every child, circumstance and support from SQLite through the
  service layer (stream + merge join) and evaluating every indicator per village;
* ``screen``: from pushing the report screen in the real app (headless, 80x24) to the
  figures painted (indicator table and the first chart).

Each run opens the register afresh (no figures cached between runs). Prints the load and
the peak resident memory of the whole benchmark process. ``--memory`` instead runs each
part once in a fresh process and prints that process's peak resident memory (what one
person's session adds when opening the report).

    .venv/bin/python benchmarks/bench_report_screen.py --children 2000 --runs 7
    .venv/bin/python benchmarks/bench_report_screen.py --children 300000 --runs 3
    .venv/bin/python benchmarks/bench_report_screen.py --children 300000 --memory
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exports.report import DEFAULT_PLAN
from tui.services import Services, accounts, registers

ON = date(2026, 12, 5)


def build(path: Path, children: int) -> None:
    """The demo register of ``children`` children at ``path`` (made once)."""
    if path.exists():
        return
    treem = Path(sys.executable).with_name("treem")
    subprocess.run([str(treem), "demo", "--db", str(path), "--no-ui", "--children",
                    str(children)], check=True, stdout=subprocess.DEVNULL)


def _services(path: Path) -> tuple[object, Services]:
    register = registers.open_register(path)
    return register, Services(register.db, accounts.sandbox_session(register.db))


def time_service(path: Path) -> float:
    register, services = _services(path)
    try:
        start = time.perf_counter()
        evaluation = services.reports.evaluate(DEFAULT_PLAN, ON)
        elapsed = time.perf_counter() - start
        assert evaluation.current.counts
    finally:
        register.close()  # type: ignore[attr-defined]
    return elapsed


def time_screen(path: Path) -> float:
    from tui.app import TreemApp
    from tui.screens.report import ReportScreen

    register, services = _services(path)
    elapsed = 0.0

    async def main() -> None:
        nonlocal elapsed
        app = TreemApp(services=services)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = ReportScreen(services, on=ON)
            start = time.perf_counter()
            await app.push_screen(screen)
            while screen.evaluation is None:
                await asyncio.sleep(0.005)
            await pilot.pause()  # the table and chart painted
            elapsed = time.perf_counter() - start
            table = str(screen.query_one("#report-table").render())
            assert "%" in table

    try:
        asyncio.run(main())
    finally:
        register.close()  # type: ignore[attr-defined]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default="/tmp/treem-bench-report")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--one", choices=("service", "screen"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{args.children}.db"
    build(path, args.children)
    if args.one:
        elapsed = (time_service if args.one == "service" else time_screen)(path)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.one}: {elapsed:.3f} s, peak resident memory {peak:.0f} MB")
        return
    if args.memory:
        for part in ("service", "screen"):
            subprocess.run([sys.executable, __file__, "--children", str(args.children),
                            "--dir", args.dir, "--one", part], check=True)
        return
    time_service(path)  # warm the file cache and load the plans and catalogues once
    service = [time_service(path) for _ in range(args.runs)]
    screen = [time_screen(path) for _ in range(args.runs)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.children} children, {args.runs} runs; load {os.getloadavg()[0]:.2f}")
    print(f"service evaluate: median {statistics.median(service):.3f} s "
          f"(min {min(service):.3f}, max {max(service):.3f})")
    print(f"screen to figures: median {statistics.median(screen):.3f} s "
          f"(min {min(screen):.3f}, max {max(screen):.3f})")
    print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
