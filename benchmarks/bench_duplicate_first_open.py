"""Benchmark: the duplicate screen's first open in a new session, on a large register.

Usage: .venv/bin/python benchmarks/bench_duplicate_first_open.py DB [--runs 3] [--saved 50]

DB is a sandbox register (``treem demo --children 300000 --no-ui``); it is copied to a
temporary folder, never changed. Each figure is a fresh process that opens the copy as
the app does (``tui.services.Services``, sandbox session) and asks for the duplicate
candidates, as the duplicate screen's worker does on its first open:

* ``full``: no pairs kept in the register (``duplicate_candidate_cache`` emptied): the
  whole commune is compared (the behaviour before the pairs were kept);
* ``kept``: the pairs kept and nothing saved since (a demo just made, or a register
  whose pairs a session computed);
* ``saved N``: N children changed since the pairs were kept (a day's entry: each one
  gets another child's name, birth date, sex and parents, so new pairs appear); only
  those N are compared again. The result is checked against a full comparison.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks run from a checkout
    sys.path.insert(0, str(ROOT))

_SESSION = """
import json, sys, time
from tui.services import Services, accounts
from tui.store.database import open_db
start = time.perf_counter()
db = open_db(sys.argv[1])
found = Services(db, accounts.sandbox_session(db)).duplicates.candidates()
print(json.dumps({"seconds": time.perf_counter() - start, "pairs": len(found),
                  "ids": [[p.left_id, p.right_id] for p in found]}))
"""


def session(path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _SESSION, str(path)], cwd=ROOT,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def load() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return f.read().split()[0]


def change_children(path: Path, count: int) -> None:
    """``count`` children take the name, birth date, sex and parents of others (their
    ID number emptied: it is unique) and a new ``updated_at``."""
    import sqlite3

    from tui.store.clock import now_iso

    columns = ("full_name", "name_folded", "birth_date", "sex", "caregiver_id",
               "father_name", "mother_name", "caregiver_name")
    with sqlite3.connect(path) as con:
        ids = [i for (i,) in con.execute(
            "SELECT id FROM child WHERE merged_into IS NULL ORDER BY id")]
        step = len(ids) // (2 * count + 1)
        for n in range(count):
            source, target = ids[(2 * n + 1) * step], ids[(2 * n + 2) * step]
            values = con.execute(f"SELECT {', '.join(columns)} FROM child WHERE id = ?",
                                 (source,)).fetchone()
            sets = ", ".join(f"{c} = ?" for c in columns)
            con.execute(f"UPDATE child SET {sets}, personal_id = NULL, updated_at = ?, "
                        "version = version + 1 WHERE id = ?", (*values, now_iso(), target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saved", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "register.db"
        shutil.copyfile(args.db, copy)
        results: dict[str, list[tuple[float, str]]] = {}

        def measure(name: str, *, empty_first: bool) -> dict[str, object]:
            import sqlite3

            out: dict[str, object] = {}
            for _ in range(args.runs):
                if empty_first:
                    with sqlite3.connect(copy) as con:
                        con.execute("DROP TABLE IF EXISTS duplicate_candidate_cache")
                out = session(copy)
                results.setdefault(name, []).append((float(out["seconds"]), load()))  # type: ignore[arg-type]
            return out

        full = measure("full", empty_first=True)
        kept = measure("kept", empty_first=False)
        assert kept["ids"] == full["ids"]
        name = f"saved {args.saved}"
        for _ in range(args.runs):
            change_children(copy, args.saved)
            out = session(copy)
            results.setdefault(name, []).append((float(out["seconds"]), load()))
        incremental = out
        import sqlite3

        with sqlite3.connect(copy) as con:
            con.execute("DROP TABLE duplicate_candidate_cache")
        check = session(copy)
        same = check["ids"] == incremental["ids"]
        print(f"register {args.db}: medians of {args.runs} fresh sessions")
        for key, runs in results.items():
            seconds = statistics.median(s for s, _ in runs)
            shown = ", ".join(f"{s:.2f}" for s, _ in runs)
            loads = ", ".join(a for _, a in runs)
            print(f"{key:<10} {seconds:7.2f} s  (runs {shown}; load {loads})")
        print(f"pairs: full {full['pairs']}, after the saves {incremental['pairs']}; "
              f"the same as a full comparison: {same}")


if __name__ == "__main__":
    main()
