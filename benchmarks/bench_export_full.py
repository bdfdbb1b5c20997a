"""Benchmark: the full export of N synthetic children (default 300,000).

Usage: .venv/bin/python benchmarks/bench_export_full.py [--children N] [--runs 3]
       .venv/bin/python benchmarks/bench_export_full.py --children 30000 --compare-writers
       .venv/bin/python benchmarks/bench_export_full.py --app DB [--children N] [--runs 3]

With ``--app DB`` the export runs as ``treem export full --sensitive`` does, from the
sandbox register DB (made with ``treem demo --children N --no-ui`` when missing):
the app's row query and the writer together, peak RSS of that process. With
``--app-streamed DB`` the same rows come from one streamed query instead (what
the full export of ``tui.services.transfer`` should do: each child's circumstances, supports and
police verification read by correlated subqueries, not held for every child; the
ORDER BY sorted in a temporary file, not in memory): the figure the app can reach.

Each run happens in a fresh process, so that its peak resident memory (ru_maxrss of
that process: the interpreter, libchild, xlsxwriter and the export together) is
measured alone. Wall time and CPU time are both printed, with the load average: on
the shared 2-core machine other work stretches the wall time. Rows are generated
lazily, as the database cursor gives them in the app. Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import contextlib
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

FAMILY = ["Lò", "Quàng", "Cầm", "Lường", "Nguyễn", "Hà", "Vì", "Tòng", "Điêu", "Mùa"]
MIDDLE_M = ["Văn", "Đức", "Minh"]
MIDDLE_F = ["Thị", "Ngọc", "Thu"]
GIVEN = ["Ánh", "Bình", "Hương", "Mai", "Xuân", "Tâm", "Đức", "Hùng", "Lả", "Sơn", "Hoa"]
VILLAGES = ["Bản Nà Sản", "Bản Cang", "Tiểu khu 1", "Bản Hua Trai", "Bản Pá Uôn"]
CIRC = [[], [], [], [], [], [], [], [], ["DB04"], ["NC02"], ["DB01", "NC02"]]


def children(count: int, seed: int = 1):
    """Yield ``count`` synthetic canonical child dicts (no real person)."""
    rnd = random.Random(seed)
    for i in range(count):
        sex = rnd.choice("12")
        year = rnd.randint(2011, 2025)
        middle = MIDDLE_M if sex == "1" else MIDDLE_F
        circs = rnd.choice(CIRC)
        yield {
            "personal_id": None if i % 10 == 0 else
            f"014{int(sex) + 1}{year % 100:02d}{i % 1_000_000:06d}",
            "full_name": f"{rnd.choice(FAMILY)} {rnd.choice(middle)} {rnd.choice(GIVEN)}",
            "sex": sex,
            "birth_date": f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "ethnicity": rnd.choice(["03", "03", "01", "08"]),
            "nationality": "VN",
            "current_address": "Xã Mường La, Sơn La",
            "address_detail": f"Nhà số {i % 300}",
            "schooling": rnd.choice(["01", "03", "04", "05"]),
            "village": rnd.choice(VILLAGES),
            "commune_code": "03808",
            "province_code": "14",
            "caregiver_id": f"0141{rnd.randint(70, 99)}{i % 1_000_000:06d}",
            "father_name": f"{rnd.choice(FAMILY)} Văn {rnd.choice(GIVEN)}",
            "mother_name": f"{rnd.choice(FAMILY)} Thị {rnd.choice(GIVEN)}",
            "caregiver_name": None,
            "circumstances": circs,
            "supports": [{"form": "TG01", "date": f"{year}-12-31"}] if "DB04" in circs else [],
            "death_date": None,
        }


def one_run(count: int) -> dict[str, float]:
    from exports.full import write_full

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "full.xlsx"
        start, cpu_start = time.perf_counter(), time.process_time()
        rows = write_full(out, children(count), sensitive=True, total=count)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        size = out.stat().st_size
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024,
            "size_mb": size / 1e6, "load": os.getloadavg()[0]}


def app_run(db: str) -> dict[str, float]:
    """One ``treem export full --sensitive`` from ``db``, in this process."""
    from tui.cli import main as treem

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "full.xlsx"
        start, cpu_start = time.perf_counter(), time.process_time()
        code = treem(["export", "full", "--db", db, "--out", str(out), "--sensitive"])
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        size = out.stat().st_size if out.exists() else 0
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "SELECT count(*) FROM child WHERE merged_into IS NULL").fetchone()[0]
    if code != 0:
        raise SystemExit(f"treem export failed with {code}")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024,
            "size_mb": size / 1e6, "load": os.getloadavg()[0]}


#: One query, streamed: what the app's row source needs for the full export.
STREAMED_SQL = """
SELECT c.*,
  (SELECT json_group_array(json_object('code', code, 'start', start_date, 'end', end_date))
     FROM child_circumstance WHERE child_id = c.id) AS circumstances_json,
  (SELECT json_group_array(json_object('form', form, 'date', date))
     FROM support WHERE child_id = c.id) AS supports_json,
  EXISTS (SELECT 1 FROM police_batch_row AS r WHERE r.child_id = c.id
          AND r.status = 'verified' AND r.id_verified = c.personal_id) AS id_verified
FROM child AS c WHERE c.merged_into IS NULL ORDER BY c.village, c.name_folded
"""


def app_streamed_run(db: str) -> dict[str, float]:
    """The full export from ``db`` with the streamed row source above."""
    import sqlite3

    from exports.full import write_full
    from tui.messages.labels import STATE_NAMES

    connection = sqlite3.connect(db)
    connection.execute("PRAGMA temp_store = FILE")
    cursor = connection.execute(STREAMED_SQL)
    names = [d[0] for d in cursor.description]

    def rows():
        for values in cursor:
            child = dict(zip(names, values, strict=True))
            child["circumstances"] = json.loads(child.pop("circumstances_json"))
            child["supports"] = json.loads(child.pop("supports_json"))
            child["id_verified"] = bool(child["id_verified"])
            child["state_name"] = STATE_NAMES.get(child["state"], child["state"])
            child["id_verified_text"] = "Có" if child["id_verified"] else "Không"
            yield child

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "full.xlsx"
        start, cpu_start = time.perf_counter(), time.process_time()
        count = write_full(out, rows(), sensitive=True,
                           extra=(("state_name", "Trạng thái"),
                                  ("id_verified_text", "Đã xác minh")))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        size = out.stat().st_size
    connection.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024,
            "size_mb": size / 1e6, "load": os.getloadavg()[0]}


def compare_writers(count: int) -> None:
    """CPU time of three ways to write the same rows (the choice of the full export)."""
    import openpyxl
    import xlsxwriter

    from exports.full import full_columns, write_full

    rows = list(children(count))
    columns = full_columns(True)

    def values(child):
        return [str(child.get(name) or "") for _header, name, _kind in columns]

    def with_openpyxl(path):
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for child in rows:
            sheet.append(values(child))
        book.save(path)

    def with_xlsxwriter(path):
        book = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = book.add_worksheet()
        for i, child in enumerate(rows):
            for j, value in enumerate(values(child)):
                sheet.write_string(i, j, value)
        book.close()

    def with_exports(path):
        write_full(path, rows, sensitive=True)

    with tempfile.TemporaryDirectory() as tmp:
        for name, write in (("openpyxl write-only", with_openpyxl),
                            ("xlsxwriter constant_memory", with_xlsxwriter),
                            ("exports.full (envelope + streamed rows)", with_exports)):
            cpu = []
            for _ in range(3):
                start = time.process_time()
                write(str(Path(tmp) / "out.xlsx"))
                cpu.append(time.process_time() - start)
            print(f"{name}: {count} rows x {len(columns)} columns, "
                  f"median CPU {statistics.median(cpu):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--app", metavar="DB", help="export a sandbox register as the app does")
    parser.add_argument("--app-streamed", metavar="DB",
                        help="export a sandbox register from one streamed query")
    parser.add_argument("--compare-writers", action="store_true",
                        help="CPU time of openpyxl, xlsxwriter and exports.full on --children")
    args = parser.parse_args()
    if args.compare_writers:
        compare_writers(args.children)
        return
    if args.one:
        if args.app_streamed:
            print(json.dumps(app_streamed_run(args.app_streamed)))
            return
        if args.app:
            import io

            with contextlib.redirect_stdout(io.StringIO()):
                result = app_run(args.app)
            print(json.dumps(result))
            return
        print(json.dumps(one_run(args.children)))
        return
    if args.app and not Path(args.app).exists():
        subprocess.run([sys.executable, "-m", "tui.cli", "demo", "--db", args.app,
                        "--children", str(args.children), "--no-ui"], check=True, cwd=ROOT)
    results = []
    for run in range(args.runs):
        done = subprocess.run(
            [sys.executable, __file__, "--one", "--children", str(args.children)]
            + (["--app", args.app] if args.app else [])
            + (["--app-streamed", args.app_streamed] if args.app_streamed else []),
            check=True, capture_output=True, text=True,
        )
        result = json.loads(done.stdout)
        results.append(result)
        print(f"run {run + 1}: {result['rows']} rows in {result['seconds']:.1f} s "
              f"(CPU {result['cpu']:.1f} s, load average {result['load']:.1f}), "
              f"peak RSS {result['peak_mb']:.0f} MB, file {result['size_mb']:.1f} MB")
    print(f"median: {statistics.median(r['seconds'] for r in results):.1f} s "
          f"(CPU {statistics.median(r['cpu'] for r in results):.1f} s), "
          f"peak RSS {statistics.median(r['peak_mb'] for r in results):.0f} MB")


if __name__ == "__main__":
    main()
