"""Benchmark: a generated province on PostgreSQL (issue 13, "Numbers"; all data invented).

Generates ``--children`` children in ``--communes`` communes (``benchmarks/province_load``)
into a throw-away cluster started as the tests start theirs (``tests/pg_cluster.py``:
initdb from the distribution's packages, private unix socket, no TCP port), then
measures, on the app's own queries:

* the name search page of one commune (``tui.store.search.page``, 50 rows): p95 over
  many prefixes typed by officers (targets: p95 <= 5 ms);
* the review list counts of one commune as the home screen asks for them
  (``tui.store.review.count`` of every list; target <= 50 ms for all);
* the province report (what ``ReportsService.communes_report`` counts for a province
  account: every indicator of the default plan for every commune, four periods, counted
  in SQL and added up per commune; target <= 10 s), wall time and the server's CPU time;

and prints the load time, the size on disk per table and per million children. The
generated COPY files are kept in ``--data`` and reused by a later run with the same
parameters; the database is owned by the app's role (not a superuser), so that the
row-level security policies bind the measured queries as they bind the app's.
Medians of ``--runs`` runs; ``uptime`` before and after.

    PYTHONPATH=.:tests .venv/bin/python benchmarks/bench_province.py \\
        --children 3000000 --communes 300 --jobs 2 --load-only --keep
    PYTHONPATH=.:tests .venv/bin/python benchmarks/bench_province.py \\
        --children 3000000 --communes 300 --url URL --runs 5 --report-runs 1 [--every]
    PYTHONPATH=.:tests .venv/bin/python benchmarks/bench_province.py \\
        --children 30000 --communes 10        # a quick run
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from province_load import (  # noqa: E402
    copy_table,
    finish_schema,
    layout,
    set_aside,
    write_commune,
)

#: Server settings of the benchmark's cluster (a province server would have more memory;
#: fsync off as in the tests' cluster: the load is measured, not its durability).
SERVER = {"shared_buffers": "2GB", "work_mem": "64MB", "maintenance_work_mem": "1GB",
          "max_wal_size": "8GB", "effective_cache_size": "8GB", "random_page_cost": "1.1"}


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _write_one(args: tuple) -> tuple[str, int, int]:
    folder, plan, seed, on = args
    return write_commune(folder, plan, seed, on)


def _copy_one(args: tuple) -> tuple[str, int]:
    url, folder, table = args
    return table, copy_table(url, folder, table)


def generate(folder: Path, children: int, communes: int, seed: int, jobs: int, on: date,
             province: str) -> float:
    """Write the province's COPY files into ``folder`` (kept: a second run with the same
    parameters reuses them); the seconds it took."""
    marker = folder / f"done-{children}-{communes}-{seed}-{on}-{province}"
    if marker.exists():
        return 0.0
    plan = layout(children, communes, seed=seed, on=on, province=province)
    start = time.perf_counter()
    tasks = [(folder, c, seed, on) for c in sorted(plan.communes, key=lambda c: -c.children)]
    done = rows = 0
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for _code, n, written in pool.imap_unordered(_write_one, tasks):
            done += n
            rows += written
            print(f"\r  generated {done:,} children, {rows:,} rows, "
                  f"{time.perf_counter() - start:.0f} s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    marker.write_text(str(rows), encoding="utf-8")
    return time.perf_counter() - start


TABLES = ("setting", "village", "household", "caregiver", "child", "child_circumstance",
          "support", "workflow_event", "police_batch", "police_batch_row")


def _before_v9(cursor: object) -> None:
    """On a schema older than v9 (no ``commune`` column yet), the columns the province
    report reads and the household book numbers per commune, so that the load and the
    report can be measured; nothing else of v9 (no tenancy, no row-level security)."""
    cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_name = 'child' "  # type: ignore[attr-defined]
                   "AND column_name = 'commune'")
    if cursor.fetchone() is not None:  # type: ignore[attr-defined]
        return
    print("  schema before v9: commune columns added for this run", file=sys.stderr)
    for table in ("household", "caregiver", "child", "child_circumstance", "support",
                  "workflow_event", "police_batch", "police_batch_row"):
        cursor.execute(f'ALTER TABLE "{table}" ADD COLUMN commune TEXT COLLATE "C"')  # type: ignore[attr-defined]
    cursor.execute('DROP INDEX "household_book_number"')  # type: ignore[attr-defined]
    cursor.execute('CREATE UNIQUE INDEX "household_book_number" '  # type: ignore[attr-defined]
                   'ON "household" ("commune", "book_number")')


def build(url: str, folder: Path, jobs: int, province: str, *, app_url: str | None = None
          ) -> dict[str, float]:
    """Make the schema, COPY the files, rebuild the keys; the timings in seconds.

    ``url`` is a superuser's (``COPY`` is refused to a role that row-level security
    binds), ``app_url`` the app's role, which makes the schema and owns it. Every
    commune's ``setting`` row is put in ``province`` (the simulated province
    borrows real communes of other provinces when it has fewer than asked; their
    children keep their own commune and province codes)."""
    import psycopg2

    from tui.store.postgres import open_pg

    timings: dict[str, float] = {}
    open_pg(app_url or url, create=True).close()  # the app's own schema, owned by the app
    conn = psycopg2.connect(url)  # a superuser loads: COPY is refused under row security
    with conn.cursor() as cursor:
        cursor.execute("DELETE FROM setting")  # the province's communes come with the load
        _before_v9(cursor)
        rebuild = set_aside(cursor)
    conn.commit()
    start = time.perf_counter()
    rows = 0
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for table, n in pool.imap_unordered(_copy_one, [(url, folder, t) for t in TABLES]):
            rows += n
            print(f"  COPY {table}: {n:,} rows, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)
    timings["COPY"] = time.perf_counter() - start
    with conn.cursor() as cursor:
        cursor.execute("UPDATE setting SET province_code = %s", (province,))
        finish_schema(cursor, rebuild, timings)
    conn.commit()
    conn.autocommit = True
    start = time.perf_counter()
    with conn.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings["vacuum analyze"] = time.perf_counter() - start
    conn.close()
    timings["rows"] = rows
    return timings


def sizes(url: str) -> list[tuple[str, int, int]]:
    """(table, rows, bytes with indexes and TOAST) of every table, largest first; the
    database as a whole last."""
    import psycopg2

    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) "
                       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 3 DESC")
        out = [(name, int(rows), int(size)) for name, rows, size in cursor.fetchall()]
        cursor.execute("SELECT pg_database_size(current_database())")
        out.append(("(database)", 0, int(cursor.fetchone()[0])))
    conn.close()
    return out


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def _p95_ms(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000



def province_report(db: object, on: date, province: str, every: bool = False) -> object:
    """The province report of every commune of ``province`` as the service computes it
    (``counted_in_database`` then ``add_up``), without the session around it."""
    from exports.report_merge import add_up
    from libchild.indicators import last_periods
    from tui.services.reports import DEFAULT_PERIODS, _shipped_plans, counted_in_database
    from tui.store import tenancy
    from tui.store.settings import province_communes

    plan = _shipped_plans()["son-la-2026"]
    communes = province_communes(db, province)  # type: ignore[arg-type]
    # bound as a province account's session is: its communes (row-level security)
    tenancy.bind(db, tenancy.ALL if every else  # type: ignore[arg-type]
                 tenancy.Tenancy(None, frozenset(communes)))
    return add_up(counted_in_database(db, plan, last_periods(on, DEFAULT_PERIODS), communes,
                                      sensitive=True, by_village=False))


def _server_cpu(db: object) -> float:
    """CPU seconds used so far by this connection's server process and by the parallel
    workers the server has reaped (their time goes to the postmaster's children's time).
    The machine is shared: this is the work a report costs, whatever else runs."""
    pid = int(db.execute_sql("SELECT pg_backend_pid()").fetchone()[0])  # type: ignore[attr-defined]
    tick = os.sysconf("SC_CLK_TCK")

    def fields(process: int) -> list[str]:
        text = Path(f"/proc/{process}/stat").read_text()
        return text[text.rindex(")") + 2:].split()

    mine = fields(pid)
    parent = fields(int(mine[1]))
    return (int(mine[11]) + int(mine[12]) + int(parent[13]) + int(parent[14])) / tick


def _bind(db: object, commune: str) -> None:
    """Bind the connection to one commune as a commune officer's session is (schema v9)."""
    from tui.store import tenancy

    tenancy.bind(db, tenancy.Tenancy.of(commune))  # type: ignore[arg-type]


def measure(url: str, runs: int, on: date, commune: str | None, province: str,
            report_only: bool, report_runs: int, every: bool) -> dict[str, object]:
    """The three figures of the issue on the loaded province (medians of ``runs``)."""
    from tui.domain import ReviewKind
    from tui.store import review, search, tenancy
    from tui.store.postgres import open_pg

    db = open_pg(url)
    result: dict[str, object] = {}
    if not report_only:
        tenancy.bind(db, tenancy.ALL)  # to pick the commune and its names
        if commune is None:
            commune = db.execute_sql("SELECT commune FROM child GROUP BY commune "
                                     "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        names = [r[0] for r in db.execute_sql(
            "SELECT name_folded FROM child WHERE commune = %s AND merged_into IS NULL",
            (commune,)).fetchall()]
        rng = random.Random(7)
        prefixes = []
        for _ in range(400):  # what officers type: a family name, two words, a full name
            words = rng.choice(names).split()
            cut = rng.choice([1, 2, 2, 3, len(words)])
            text = " ".join(words[:cut])
            if rng.random() < 0.5 and len(words) > cut:
                text += " " + words[cut][: rng.randint(1, 3)]
            prefixes.append(text)
        _bind(db, commune)
        result.update({"commune": commune, "commune children": len(names)})
        search_p95, search_med, count_runs = [], [], []
        for _ in range(runs):
            times = []
            for text in prefixes:
                start = time.perf_counter()
                search.page(db, text, villages=None, limit=50, offset=0)
                times.append(time.perf_counter() - start)
            search_p95.append(_p95_ms(times))
            search_med.append(_median_ms(times))
            start = time.perf_counter()
            for kind in ReviewKind:
                review.count(db, kind, on=on, villages=None)
            count_runs.append((time.perf_counter() - start) * 1000)
        result.update({
            "search page p95 ms (median of runs)": round(statistics.median(search_p95), 2),
            "search page p95 ms per run": [round(x, 2) for x in search_p95],
            "search page median ms": round(statistics.median(search_med), 2),
            "review counts ms (median)": round(statistics.median(count_runs), 1),
            "review counts ms per run": [round(x, 1) for x in count_runs],
        })
        db.close()
        db = open_pg(url)
    walls, report_cpu = [], []
    evaluation = None
    for _ in range(report_runs):
        cpu = _server_cpu(db)
        start = time.perf_counter()
        evaluation = province_report(db, on, province, every)
        walls.append(time.perf_counter() - start)
        report_cpu.append(_server_cpu(db) - cpu)
    db.close()
    assert evaluation is not None
    result.update({
        "province report s (median)": round(statistics.median(walls), 2),
        "province report s per run": [round(x, 2) for x in walls],
        "report bound to": "every commune ('*')" if every else "the province's communes",
        "province report server CPU s (median)": round(statistics.median(report_cpu), 2),
        "province report server CPU s per run": [round(x, 2) for x in report_cpu],
        "province children counted (alive, under 16)": evaluation.current.breakdown.total,
        "communes in report": len(evaluation.area_names),
    })
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=3_000_000)
    parser.add_argument("--communes", type=int, default=300)
    parser.add_argument("--province", default="79", help="the province listed first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--on", type=date.fromisoformat, default=date(2026, 8, 20))
    parser.add_argument("--commune", help="commune measured (default: the largest)")
    parser.add_argument("--url", help="an existing loaded database (skip the load)")
    parser.add_argument("--keep", action="store_true",
                        help="leave the cluster running and print its URL")
    parser.add_argument("--data", type=Path, default=Path("/tmp/treem-province"),
                        help="folder of the generated COPY files (reused)")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--report-only", action="store_true",
                        help="measure the province report only")
    parser.add_argument("--report-runs", type=int, default=3)
    parser.add_argument("--every", action="store_true",
                        help="report bound to every commune ('*') instead of the "
                        "province's list (row-level security's cost)")
    options = parser.parse_args()
    print("before:", _uptime())
    folder = options.data / f"{options.children}-{options.communes}-{options.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    took = generate(folder, options.children, options.communes, options.seed, options.jobs,
                    options.on, options.province)
    print(f"  generate: {took:,.1f} s" if took else f"  generated files reused: {folder}")
    if options.generate_only:
        return
    cluster = None
    url = options.url
    if url is None:
        from pg_cluster import start_cluster

        cluster = start_cluster(max_connections=50, settings=SERVER)
        if isinstance(cluster, str):
            raise SystemExit(cluster)
        from pg_cluster import owned_by_app

        admin_url = cluster.fresh_url()
        url = owned_by_app(admin_url)  # the app logs in as the owner, not a superuser
        print("database:", url)
        try:
            timings = build(admin_url, folder, options.jobs, options.province, app_url=url)
        except BaseException:
            cluster.stop()  # a failed load leaves no server running
            raise
        for key, value in timings.items():
            print(f"  {key}: {value:,.1f}" if isinstance(value, float) else
                  f"  {key}: {value:,}")
        print("after load:", _uptime())
        total = 0
        for name, rows, size in sizes(url):
            print(f"  {name:24} {rows:>12,} rows {size / 2**20:>10,.1f} MB")
            total = size
        print(f"  per million children: {total / 2**20 / (options.children / 1e6):,.0f} MB")
    try:
        if not options.load_only:
            for key, value in measure(url, options.runs, options.on, options.commune,
                                      options.province, options.report_only,
                                      options.report_runs, options.every).items():
                print(f"  {key}: {value}")
        print("after:", _uptime())
    finally:
        if cluster is not None:
            if options.keep:
                print("kept:", url, "stop with: pg_ctl -D", cluster.root / "data", "stop",
                      "(as postgres)")
            else:
                cluster.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
