"""Benchmark: ``treem migrate`` of a 20,000-child commune, SQLite -> PostgreSQL and back.

Usage (from the repository root)::

    PYTHONPATH=.:tests .venv/bin/python benchmarks/bench_migrate.py [--children 20000]
        [--runs 3]

Builds a synthetic commune register of ``--children`` children (``treem demo``'s
generator: households, caregivers, circumstances, supports, history, audit entries),
starts a throw-away PostgreSQL cluster (``tests/pg_cluster.py``, fsync off as in the
tests: the copy is one transaction, so fsync costs one flush at the commit) and per run
times ``treem migrate`` into a fresh empty database, a second run into the same one (a
no-op that compares every table) and the way back into a new SQLite file, each as a
separate ``python -m tui.cli`` process (imports included). Prints each run and the
medians. Target (issue 13): SQLite -> PostgreSQL of 20,000 children <= 60 s.

``--shared`` times the same into a database that already holds another commune (the
commune *joins* it: new ids, its audit chain re-sealed), the second run (finds the
commune there) and ``treem migrate --commune 03808 --from URL --to FILE`` (the commune
taken out again).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _timed(*words: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tui.cli", *words], env=env,
                          capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"treem {' '.join(words)} failed: {done.stderr}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared", action="store_true",
                        help="into a database that already holds another commune")
    args = parser.parse_args()
    from pg_cluster import start_cluster

    from libchild import catalog
    from tui.services.registers import build_demo

    cluster = start_cluster()
    if isinstance(cluster, str):
        raise SystemExit(cluster)
    try:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "commune.db"
            summary = build_demo(source, catalog.load().communes.get("03808"),
                                 children=args.children, seed=1)
            print(f"register: {summary.children} children, {summary.households} households, "
                  f"{source.stat().st_size / 1e6:.1f} MB", flush=True)
            times: dict[str, list[float]] = {"to_pg": [], "again": [], "back": []}
            for run in range(args.runs):
                url = cluster.fresh_url()
                if args.shared:
                    from tui.store.settings import create_register

                    create_register(url, commune_code="03688", commune_name="Xã Mường Chiên",
                                    province_code="14").close()
                times["to_pg"].append(_timed("migrate", str(source), "--to", url))
                times["again"].append(_timed("migrate", str(source), "--to", url))
                back = Path(folder) / f"back{run}.db"
                out = (("--commune", "03808", "--from", url) if args.shared else (url,))
                times["back"].append(_timed("migrate", *out, "--to", str(back)))
                print(f"run {run + 1}: to PostgreSQL {times['to_pg'][-1]:.1f} s, second run "
                      f"(no-op) {times['again'][-1]:.1f} s, back to SQLite "
                      f"{times['back'][-1]:.1f} s", flush=True)
            print("median: " + ", ".join(f"{k} {statistics.median(v):.1f} s"
                                         for k, v in times.items()))
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
