"""Benchmark: bulk import of N synthetic rows (default 50,000) with validation and the
duplicate check against M existing records (default 50,000).

Usage: .venv/bin/python benchmarks/bench_import.py [--rows N] [--existing M] [--runs 3]
       [--font-share 0.0..1.0]

The workbook is written once (xlsxwriter; a share of rows typed in TCVN3 with a
".VnTime" cell font, as old lists are), then :func:`exports.import_children.plan_import`
reads, repairs, validates and de-duplicates it. Prints each run and the median; the
phases (reading, converting and validating, duplicate check) are timed separately.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks run from a checkout
    sys.path.insert(0, str(ROOT))

from bench_export_full import children  # noqa: E402  (same synthetic people)

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh",
           "Thôn", "Họ tên cha", "Họ tên mẹ", "Địa chỉ"]
SEX = {"1": "Nam", "2": "Nữ"}
ETHNIC = {"01": "Kinh", "03": "Thái", "08": "H'Mông"}


def write_input(path: Path, rows: int, legacy_share: float) -> None:
    import xlsxwriter

    from libchild.text import encode_legacy

    rnd = random.Random(7)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    legacy = book.add_format({"font_name": ".VnTime"})
    sheet.write_row(0, 0, HEADERS)
    for i, child in enumerate(children(rows, seed=3), start=1):
        day = child["birth_date"]
        values = [i, child["full_name"], f"{day[8:10]}/{day[5:7]}/{day[:4]}",
                  SEX[child["sex"]], ETHNIC[child["ethnicity"]], child["personal_id"] or "",
                  child["village"], child["father_name"], child["mother_name"],
                  child["address_detail"]]
        if rnd.random() < legacy_share:
            for col, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(i, col, encode_legacy(value, "tcvn3"), legacy)
                else:
                    sheet.write_number(i, col, value, legacy)
        else:
            sheet.write_row(i, 0, values)
    book.close()


def one_run(path: Path, existing: list[dict]) -> dict[str, float]:
    import libchild
    from exports import import_children

    timings: dict[str, float] = {}
    real_read, real_dups = import_children.read_table, libchild.find_duplicates

    def timed_read(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_read(*args, **kwargs)
        finally:
            timings["read"] = time.perf_counter() - start

    def timed_dups(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_dups(*args, **kwargs)
        finally:
            timings["duplicates"] = time.perf_counter() - start

    import_children.read_table = timed_read
    libchild.find_duplicates = timed_dups
    try:
        start, cpu_start = time.perf_counter(), time.process_time()
        plan = import_children.plan_import(path, existing=existing)
        timings["total"] = time.perf_counter() - start
        timings["cpu"] = time.process_time() - cpu_start
        timings["load"] = os.getloadavg()[0]
    finally:
        import_children.read_table = real_read
        libchild.find_duplicates = real_dups
    timings["accepted"] = len(plan.accepted)
    timings["rejected"] = len(plan.rejected)
    timings["rows_in"] = plan.rows_in
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--font-share", type=float, default=0.2,
                        help="share of rows typed in TCVN3 with a .VnTime font")
    args = parser.parse_args()
    existing = [dict(c) for c in children(args.existing, seed=11)]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.xlsx"
        write_input(path, args.rows, args.font_share)
        for run in range(args.runs):
            result = one_run(path, existing)
            results.append(result)
            print(f"run {run + 1}: {result['rows_in']} rows in {result['total']:.1f} s "
                  f"(CPU {result['cpu']:.1f} s, load average {result['load']:.1f}) "
                  f"(read {result['read']:.1f} s, duplicates {result['duplicates']:.1f} s); "
                  f"accepted {result['accepted']}, rejected {result['rejected']}")
    print(f"median: {statistics.median(r['total'] for r in results):.1f} s "
          f"(CPU {statistics.median(r['cpu'] for r in results):.1f} s) "
          f"(read {statistics.median(r['read'] for r in results):.1f} s, duplicates "
          f"{statistics.median(r['duplicates'] for r in results):.1f} s)")


if __name__ == "__main__":
    main()
