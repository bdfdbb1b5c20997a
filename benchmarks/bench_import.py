"""Benchmark: bulk import planning of N synthetic rows x 17 columns (default 50,000) with
validation and the duplicate check against M existing records.

Usage: .venv/bin/python benchmarks/bench_import.py [--rows N] [--existing M] [--runs 3]
       [--font-share 0.0..1.0] [--round-trip]
       .venv/bin/python benchmarks/bench_import.py --app [--rows N] [--runs 3]

The workbook is written once (xlsxwriter; a share of rows typed in TCVN3 with a
".VnTime" cell font, as old lists are). With ``--round-trip`` the input is instead the
app's own full export (:func:`exports.full.write_full`, sensitive columns included) of N
synthetic children, and every row must come back accepted.

Each run is a fresh process (so that its peak resident memory, ru_maxrss, is measured
alone) calling :func:`exports.import_children.plan_import`, which reads, repairs,
validates and de-duplicates. Prints each run (wall, CPU, phases, peak RSS, how many
times ``libchild.clean`` ran) and the medians, with the load average.

With ``--app`` each run imports the rows as the app does (``TransferService``: plan,
then commit into a new empty sandbox register, in one process): wall and CPU of the
plan and of the commit, peak RSS of the process, ``libchild.clean`` calls in all.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks run from a checkout
    sys.path.insert(0, str(ROOT))

from bench_export_full import children  # noqa: E402  (same synthetic people)

HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh",
           "Quốc tịch", "Nơi ở hiện tại", "Địa chỉ", "Tình trạng học tập", "Thôn",
           "Mã xã", "Mã tỉnh", "Số định danh người chăm sóc", "Họ tên cha", "Họ tên mẹ",
           "Hoàn cảnh"]
SEX = {"1": "Nam", "2": "Nữ"}
ETHNIC = {"01": "Kinh", "03": "Thái", "08": "H'Mông"}


def write_input(path: Path, rows: int, legacy_share: float) -> None:
    """The 17-column list of ``rows`` synthetic children at ``path``."""
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
                  "Việt Nam", child["current_address"], child["address_detail"],
                  child["schooling"], child["village"], child["commune_code"],
                  child["province_code"], child["caregiver_id"], child["father_name"],
                  child["mother_name"], "; ".join(child["circumstances"])]
        if rnd.random() < legacy_share:
            for col, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(i, col, encode_legacy(value, "tcvn3"), legacy)
                else:
                    sheet.write_number(i, col, value, legacy)
        else:
            for col, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(i, col, value)
                else:
                    sheet.write_number(i, col, value)
    book.close()


def write_full_export(path: Path, rows: int) -> None:
    """The app's own full export of ``rows`` synthetic children (sensitive columns too)."""
    from exports.full import write_full

    write_full(path, children(rows, seed=3), sensitive=True, total=rows)


#: The fields of existing records the app passes for the duplicate check
#: (the import service's existing-records lookup).
EXISTING_FIELDS = ("personal_id", "full_name", "sex", "birth_date", "caregiver_id",
                   "caregiver_name", "mother_name", "father_name", "commune_code")


def one_run(path: Path, existing_count: int, skip_duplicates: bool) -> dict[str, float]:
    import libchild
    from exports import import_children

    existing = [{k: c[k] for k in EXISTING_FIELDS} for c in children(existing_count, seed=11)]
    timings: dict[str, float] = {}
    real_read, real_dups, real_clean = (
        import_children.read_table, libchild.find_duplicates, libchild.clean)
    calls = {"clean": 0}

    def timed_read(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_read(*args, **kwargs)
        finally:
            timings["read"] = time.perf_counter() - start

    def timed_dups(*args, **kwargs):
        start = time.perf_counter()
        try:
            return [] if skip_duplicates else real_dups(*args, **kwargs)
        finally:
            timings["duplicates"] = time.perf_counter() - start

    def counted_clean(*args, **kwargs):
        calls["clean"] += 1
        return real_clean(*args, **kwargs)

    import_children.read_table = timed_read
    libchild.find_duplicates = timed_dups
    libchild.clean = counted_clean
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        start, cpu_start = time.perf_counter(), time.process_time()
        plan = import_children.plan_import(path, existing=existing)
        timings["total"] = time.perf_counter() - start
        timings["cpu"] = time.process_time() - cpu_start
        timings["load"] = os.getloadavg()[0]
    finally:
        import_children.read_table = real_read
        libchild.find_duplicates = real_dups
        libchild.clean = real_clean
    timings.setdefault("duplicates", 0.0)
    timings["accepted"] = len(plan.accepted)
    timings["rejected"] = len(plan.rejected)
    timings["rows_in"] = plan.rows_in
    timings["clean_calls"] = calls["clean"]
    timings["exports_from"] = import_children.__file__
    timings["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings["before_mb"] = before_kb / 1024
    reasons: dict[str, int] = {}
    for row in plan.rejected:
        for reason in row.reasons()[:1]:
            key = reason[:60]
            reasons[key] = reasons.get(key, 0) + 1
    timings["top_reasons"] = sorted(reasons.items(), key=lambda kv: -kv[1])[:3]
    return timings


def app_run(path: Path) -> dict[str, float]:
    """Plan and commit ``path`` through the app's service into a new sandbox register."""
    import libchild
    from tui.services import Services, accounts
    from tui.store.settings import create_register

    real_clean = libchild.clean
    calls = {"clean": 0}

    def counted_clean(*args, **kwargs):
        calls["clean"] += 1
        return real_clean(*args, **kwargs)

    libchild.clean = counted_clean
    with tempfile.TemporaryDirectory() as tmp:
        db = create_register(Path(tmp) / "reg.db", commune_code="03808",
                             commune_name="Xã Mường La", province_code="14", sandbox=True)
        reg = Services(db, accounts.sandbox_session(db))
        start, cpu_start = time.perf_counter(), time.process_time()
        plan, options = reg.transfer.plan_children_import(path)
        planned, cpu_planned = time.perf_counter(), time.process_time()
        result = reg.transfer.commit_children_import(plan, options, Path(tmp) / "loi.xlsx")
        end, cpu_end = time.perf_counter(), time.process_time()
        db.close()
    libchild.clean = real_clean
    return {"rows_in": result.rows_in, "imported": result.imported,
            "rejected": result.rejected, "plan": planned - start, "commit": end - planned,
            "total": end - start, "cpu": cpu_end - cpu_start,
            "cpu_commit": cpu_end - cpu_planned, "clean_calls": calls["clean"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--font-share", type=float, default=0.2,
                        help="share of rows typed in TCVN3 with a .VnTime font")
    parser.add_argument("--round-trip", action="store_true",
                        help="import the app's own full export instead of an old list")
    parser.add_argument("--skip-duplicates", action="store_true",
                        help="leave out libchild.find_duplicates (reading and validation only)")
    parser.add_argument("--app", action="store_true",
                        help="plan and commit through the app's service into a new register")
    parser.add_argument("--one", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one and args.app:
        print(json.dumps(app_run(Path(args.one))))
        return
    if args.one:
        print(json.dumps(one_run(Path(args.one), args.existing, args.skip_duplicates)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.xlsx"
        if args.round_trip:
            write_full_export(path, args.rows)
        else:
            write_input(path, args.rows, args.font_share)
        print(f"input: {path.stat().st_size / 1e6:.1f} MB on disk, load average "
              f"{os.getloadavg()[0]:.2f}")
        if args.app:
            app_runs(path, args.runs)
            return
        for run in range(args.runs):
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(path), "--existing",
                 str(args.existing)] + (["--skip-duplicates"] if args.skip_duplicates else []),
                check=True, capture_output=True, text=True,
            )
            result = json.loads(done.stdout)
            results.append(result)
            print(f"run {run + 1}: {result['rows_in']} rows in {result['total']:.2f} s "
                  f"(CPU {result['cpu']:.2f} s, load average {result['load']:.2f}) "
                  f"(read {result['read']:.2f} s, duplicates {result['duplicates']:.2f} s); "
                  f"peak RSS {result['peak_mb']:.0f} MB (before planning "
                  f"{result['before_mb']:.0f} MB); clean calls {result['clean_calls']}; "
                  f"accepted {result['accepted']}, rejected {result['rejected']} "
                  f"{result['top_reasons']}")
    print(f"median: {statistics.median(r['total'] for r in results):.2f} s "
          f"(CPU {statistics.median(r['cpu'] for r in results):.2f} s) "
          f"(read {statistics.median(r['read'] for r in results):.2f} s, duplicates "
          f"{statistics.median(r['duplicates'] for r in results):.2f} s), "
          f"peak RSS {statistics.median(r['peak_mb'] for r in results):.0f} MB")


def app_runs(path: Path, runs: int) -> None:
    """``--app``: each run in a fresh process; print each and the medians."""
    results = []
    for run in range(runs):
        done = subprocess.run([sys.executable, __file__, "--one", str(path), "--app"],
                              check=True, capture_output=True, text=True)
        result = json.loads(done.stdout)
        results.append(result)
        print(f"run {run + 1}: {result['rows_in']} rows, {result['imported']} imported, "
              f"{result['rejected']} rejected in {result['total']:.2f} s (plan "
              f"{result['plan']:.2f} s, commit {result['commit']:.2f} s; CPU "
              f"{result['cpu']:.2f} s, load average {result['load']:.2f}); peak RSS "
              f"{result['peak_mb']:.0f} MB; clean calls {result['clean_calls']}")
    print(f"median: {statistics.median(r['total'] for r in results):.2f} s (plan "
          f"{statistics.median(r['plan'] for r in results):.2f} s, commit "
          f"{statistics.median(r['commit'] for r in results):.2f} s, CPU "
          f"{statistics.median(r['cpu'] for r in results):.2f} s), peak RSS "
          f"{statistics.median(r['peak_mb'] for r in results):.0f} MB")


if __name__ == "__main__":
    main()
