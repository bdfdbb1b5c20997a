"""Benchmark: ``treem demo --children N --no-ui`` end to end, and where the time goes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_demo.py [--children 300000] [--runs 3]

Each run creates a fresh sandbox database in a temporary directory with the real
command (a new process, so interpreter start and imports are counted), then prints the
median wall time and the database size. A second, in-process pass splits one run into
generation (``tui.demo.generate``) and storing (``tui.demo.loader.load``: validation by
libchild plus the bulk inserts). Target (issue 3): 300,000 children in at most 30 s.
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


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def run_command(children: int, seed: int) -> tuple[float, int]:
    """One ``treem demo`` process on a fresh file: (seconds, database bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": tmp}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "demo", "--db", str(db), "--children",
             str(children), "--seed", str(seed), "--no-ui"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - started, _size(db)


def split_phases(children: int, seed: int) -> dict[str, float]:
    """Generation and storing measured separately, in this process."""
    sys.path.insert(0, str(ROOT))
    from libchild import catalog
    from tui.demo import generate
    from tui.demo.loader import load
    from tui.store import accounts
    from tui.store.clock import now_iso
    from tui.store.database import open_db
    from tui.store.models import Setting

    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "phases.db", create=True)
        commune = catalog.load().communes.get("03808")
        Setting.create(id=1, commune_code=commune.code, commune_name=commune.name,
                       province_code=commune.parent, sandbox=True, created_at=now_iso())
        session = accounts.sandbox_session(db)
        t0 = time.perf_counter()
        data = generate(children, seed=seed)
        t1 = time.perf_counter()
        load(db, data, user_id=session.user_id, username=session.username)
        t2 = time.perf_counter()
        db.close()
    return {"generate": t1 - t0, "store (validate + insert)": t2 - t1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    times, sizes = [], []
    for run in range(args.runs):
        seconds, size = run_command(args.children, args.seed)
        times.append(seconds)
        sizes.append(size)
        print(f"run {run + 1}: {seconds:.2f} s, {size / 1e6:.1f} MB", flush=True)
    print(f"treem demo --children {args.children} --no-ui: median {statistics.median(times):.2f} s "
          f"of {args.runs} (min {min(times):.2f}, max {max(times):.2f}); "
          f"database {statistics.median(sizes) / 1e6:.1f} MB")
    phases = split_phases(args.children, args.seed)
    print("phases (one in-process run): "
          + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items()))


if __name__ == "__main__":
    main()
