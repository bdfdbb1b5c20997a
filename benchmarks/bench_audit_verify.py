"""Benchmark: ``audit.verify`` of a 20,000-child register (keyed chain and the digest of
every audited row), and the cost of one save with its row digests.

Usage (from the repository root)::

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/bench_audit_verify.py \
        [--children 20000] [--edits 2000] [--saves 200] [--runs 3] [--saves-only]

Each run creates a register in a temporary directory, imports ``--children`` synthetic
children (``tui.store.bulk``, one audit entry sealing all their digests), then makes
``--edits`` saves of existing children through ``services.children.save`` (each an
audited change carrying its row digest), then times ``audit.verify`` (the whole chain,
then every row of every audited table) and ``--saves`` saves of a new child with two
circumstances and one support. ``--saves-only`` skips the edits and the verify: with
``PYTHONPATH`` pointing at an export of another commit (``git archive``) it gives the
"before" figure of a save. Prints the medians over ``--runs`` and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "mat-khau-thu-nghiem"


def _child(n: int) -> dict:
    return {
        "full_name": f"Lò Thị Đo {chr(65 + n % 26)}", "sex": "2",
        "birth_date": "2017-03-0" + str(1 + n % 9), "ethnicity": "03",
        "father_name": "Lò Văn Minh", "mother_name": "Quàng Thị Xuân",
        "village": "Bản Nà Lốc", "schooling": "04",
        "circumstances": [{"code": "DB04", "start": "2024-01-15"},
                          {"code": "NC02", "start": "2024-01-15"}],
        "supports": [{"form": "TG01", "date": "2024-06-01"}],
    }


def one_run(children: int, edits: int, saves: int,
            saves_only: bool) -> tuple[float | None, float, int]:
    """(verify seconds or None, median save ms, audit entries)."""
    from bench_search import synthetic_children

    from tui.services import Services, accounts
    from tui.store import audit
    from tui.store.bulk import insert_children_bulk, insert_villages
    from tui.store.settings import create_register

    with tempfile.TemporaryDirectory() as tmp:
        db = create_register(Path(tmp) / "bench.db", commune_code="03808",
                             commune_name="Xã Mường La", province_code="14")
        insert_villages(db, ["Bản Nà Lốc"])
        insert_children_bulk(db, [dict(r, village="Bản Nà Lốc")
                                  for r in synthetic_children(children)])
        accounts.create_account(db, "can.bo", "Cán Bộ", "officer", PASSWORD,
                                must_change_password=False)
        register = Services(db, accounts.login(db, "can.bo", PASSWORD))
        verify_s = None
        if not saves_only:
            ids = [(r[0], r[1]) for r in db.execute_sql(
                "SELECT id, version FROM child ORDER BY id LIMIT ?", (edits,)).fetchall()]
            for n, (child_id, version) in enumerate(ids):
                register.children.save({"id": child_id, "address_detail": f"Tổ {n}"},
                                       expected_version=version)
            start = time.perf_counter()
            problems = audit.verify(db)
            verify_s = time.perf_counter() - start
            assert problems == [], problems[:5]
        times = []
        for n in range(saves):
            start = time.perf_counter()
            register.children.save(_child(n))
            times.append((time.perf_counter() - start) * 1000)
        entries = int(db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0])
        db.close()
        return verify_s, statistics.median(times), entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20000)
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saves-only", action="store_true")
    args = parser.parse_args(argv)
    verifies, saves = [], []
    for run in range(args.runs):
        verify_s, save_ms, entries = one_run(args.children, args.edits, args.saves,
                                             args.saves_only)
        saves.append(save_ms)
        if verify_s is not None:
            verifies.append(verify_s)
        shown = f"{verify_s:.2f} s" if verify_s is not None else "-"
        print(f"run {run + 1}: verify {shown} ({entries} entries), "
              f"median save {save_ms:.2f} ms", flush=True)
    if verifies:
        print(f"verify median of {args.runs}: {statistics.median(verifies):.2f} s")
    print(f"save median of {args.runs} run medians: {statistics.median(saves):.2f} ms")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
