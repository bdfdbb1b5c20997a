"""Benchmark: every indicator of every shipped plan for 300,000 children (issue 14).

Target: as of one date and over four six-month periods, at most 2 s. Facts are made
in memory first (not timed: they come from the facts source); the timed part is
compiling them into bit sets and evaluating all indicators of all shipped plans for the
commune and each of its villages, as of the date and for the four periods before it.
Prints the median of several runs (wall and CPU) and the load.

    .venv/bin/python benchmarks/bench_report_evaluate.py [--children 300000] [--runs 5]
    .venv/bin/python benchmarks/bench_report_evaluate.py --memory

``--memory`` streams the facts from a generator (as a facts source over a cursor does),
compiles and evaluates them once, and prints the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs
from report_facts import area, make_facts

from libchild.indicators import (
    Plan,
    as_of,
    compile_facts,
    evaluate,
    last_periods,
    load_plans,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    if args.memory:
        measure_memory(args.children, args.villages)
        return
    facts = make_facts(args.children, args.villages)
    plans = load_plans()
    everything = Plan("all", "all", "", "", "", "", tuple(
        attrs.evolve(i, id=f"{p.id}.{i.id}") for p in plans.values() for i in p.indicators))
    day = date(2026, 8, 20)
    periods = [as_of(day), *last_periods(date(2026, 6, 30), 4)]
    walls, cpus = [], []
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        compiled = compile_facts(facts)
        t_compile = time.perf_counter() - w0
        ev = evaluate(everything, compiled, periods, area=area(villages=args.villages))
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        print(f"run: {walls[-1]:.2f} s wall ({t_compile:.2f} s compiling), "
              f"{cpus[-1]:.2f} s CPU", flush=True)
    print(f"{args.children} children, {len(everything.indicators)} indicators, "
          f"{len(ev.periods)} periods (as of {day:%d/%m/%Y} + 4 halves), "
          f"{args.villages} villages")
    print(f"median {statistics.median(walls):.2f} s wall, "
          f"{statistics.median(cpus):.2f} s CPU; load {os.getloadavg()[0]:.2f}")


def measure_memory(children: int, villages: int) -> None:
    """Peak memory of compiling and evaluating streamed facts (10,000 made at a time)."""
    import resource

    def stream():
        for batch in range(0, children, 10_000):
            yield from make_facts(min(10_000, children - batch), villages, seed=batch)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    compiled = compile_facts(stream())
    evaluate(load_plans()["son-la-2026"], compiled, last_periods(date(2026, 6, 30), 4),
             area=area(villages=villages))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{children} children streamed: peak resident memory {peak:.0f} MB "
          f"(before: {before:.0f} MB)")


if __name__ == "__main__":
    main()
