"""Benchmark: 200 officers' sessions plus 4 flat-out savers against one register.

Usage (from the repository root)::

    PYTHONPATH=.:tests .venv/bin/python benchmarks/bench_sessions_pg.py
        [--backend postgresql|pgbouncer|sqlite|both|pooled|all] [--pool 20] [--sessions 200]
        [--processes 4] [--fast 4] [--seconds 40] [--runs 3] [--children 20000]

A register of ``--children`` synthetic children (``treem demo``'s generator) is made
once; each run works on a fresh copy of it (a new database from a template on
PostgreSQL, a copied file on SQLite). ``--sessions`` simulated sessions run as threads
spread over ``--processes`` worker processes; each thread has **its own connection**
(peewee keeps one per thread) and its own ``Services`` over one officer account per
process (logging in 200 times would only time scrypt). A session saves a new child every
10 s and runs a name search (count + first page of 50) every 5 s, starting at a random
moment of the first 10 s; ``--fast`` more processes save as fast as they can. Every
operation goes through ``tui.services`` as a screen does; each process makes one save
and one search before the clock starts (a session's start loads the rules then). Per run
it prints the paced sessions' save p50/p95/max, the flat-out savers' save p95 and
throughput, the search p95, the errors that reached a caller (any exception: there must
be none), and on PostgreSQL the server connections in use. Target (issue 13): save p95 <= 50 ms, no
error. The PostgreSQL cluster is the tests' throw-away one (``tests/pg_cluster.py``:
unix socket, fsync off), started with room for the connections. ``pgbouncer`` runs the
same load through PgBouncer (the distribution's package) in transaction pooling mode with
``--pool`` server connections; "server connections" then counts the server's backends.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
PASSWORD = "mat-khau-thu-nghiem"
SEARCHES = ["lo thi", "ha van", "quang", "cam van", "dinh", "vi van", "lo van m", "nguyen",
            "hoang thi", "tong"]


def _child(n: int, tag: str) -> dict:
    return {
        "full_name": f"Lò Thị {tag} {chr(65 + n % 26)}",
        "sex": "2",
        "birth_date": "2017-03-0" + str(1 + n % 9),
        "ethnicity": "03",
        "father_name": "Lò Văn Minh",
        "mother_name": "Quàng Thị Xuân",
        "schooling": "04",
        "circumstances": [{"code": "DB04", "start": "2024-01-15"}],
    }


def _letters(k: int) -> str:
    """A session's tag in a child's name (a name holds no digits): 0 -> "Aa", 27 -> "Bb"."""
    return chr(65 + k // 26 % 26) + chr(97 + k % 26)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- worker process -----------------------------------------------------------------------
def worker(target: str, username: str, sessions: int, fast: bool, seconds: float) -> int:
    """Run ``sessions`` session threads (or one flat-out saver); print JSON results."""
    from tui.services import Services, accounts
    from tui.store.database import open_db

    db = open_db(target)
    session = accounts.login(db, username, PASSWORD)
    saves: list[float] = []
    searches: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    go = threading.Event()

    def paced(k: int) -> None:
        rnd = random.Random(k)
        services = Services(db, session)
        go.wait()
        start = time.monotonic()
        end = start + seconds
        next_save = start + rnd.uniform(0, 10)
        next_search = start + rnd.uniform(0, 5)
        n = 0
        while True:
            due = min(next_save, next_search)
            if due >= end:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            began = time.perf_counter()
            try:
                if due == next_save:
                    n += 1
                    services.children.save(_child(n, _letters(k)))
                    kind, next_save = saves, next_save + 10
                else:
                    text = rnd.choice(SEARCHES)
                    services.children.count_search(text)
                    services.children.search(text, limit=50)
                    kind, next_search = searches, next_search + 5
            except Exception as exc:  # every error reaching a caller is counted
                with lock:
                    errors.append(type(exc).__name__)
                next_save = next_save + 10 if due == next_save else next_save
                next_search = next_search + 5 if due == next_search else next_search
                continue
            with lock:
                kind.append(time.perf_counter() - began)
        db.close()  # this thread's connection

    def flat_out() -> None:
        services = Services(db, session)
        go.wait()
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            began = time.perf_counter()
            try:
                services.children.save(_child(n, "F"))
            except Exception as exc:
                errors.append(type(exc).__name__)
                continue
            saves.append(time.perf_counter() - began)
        db.close()

    # Warm up as a session's start does: the first save and search of a process load the
    # rules, catalogues and statements (about a second of CPU), which is not a save's cost.
    warm = Services(db, session)
    warm.children.save(_child(0, "Warm"))
    warm.children.count_search(SEARCHES[0])
    warm.children.search(SEARCHES[0], limit=50)
    threads = ([threading.Thread(target=flat_out)] if fast else
               [threading.Thread(target=paced, args=(k,)) for k in range(sessions)])
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    sys.stdin.readline()
    go.set()
    for thread in threads:
        thread.join()
    print(json.dumps({"saves": saves, "searches": searches, "errors": errors}), flush=True)
    return 0


# --- driver -------------------------------------------------------------------------------
def _prepare(folder: Path, children: int, accounts_needed: int) -> Path:
    from libchild import catalog
    from tui.services import accounts
    from tui.services.registers import build_demo
    from tui.store.database import open_db

    source = folder / "commune.db"
    build_demo(source, catalog.load().communes.get("03808"), children=children, seed=1)
    db = open_db(source)
    for k in range(accounts_needed):
        accounts.create_account(db, f"can.bo{k}", f"Cán bộ {k}", "officer", PASSWORD,
                                must_change_password=False)
    db.close()
    return source


def _connections(url: str) -> int:
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0]) - 1
    finally:
        conn.close()


class Bouncer:
    """PgBouncer (the distribution's package) in transaction pooling mode in front of the
    cluster: its own private unix socket, ``pool`` server connections per database."""

    def __init__(self, cluster: object, pool: int, clients: int) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="treem-bouncer-"))
        as_postgres = list(getattr(cluster, "_as", []))
        if as_postgres:
            shutil.chown(self.root, "postgres")
        socket = cluster.socket_dir
        (self.root / "users.txt").write_text('"postgres" ""\n', encoding="utf-8")
        (self.root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={socket}\n"
            "[pgbouncer]\n"
            "listen_addr =\n"
            f"unix_socket_dir = {self.root}\n"
            "listen_port = 6432\n"
            "auth_type = trust\n"
            f"auth_file = {self.root}/users.txt\n"
            "pool_mode = transaction\n"
            f"max_client_conn = {clients}\n"
            f"default_pool_size = {pool}\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
            f"logfile = {self.root}/pgbouncer.log\n"
            f"pidfile = {self.root}/pgbouncer.pid\n", encoding="utf-8")
        for name in ("users.txt", "pgbouncer.ini"):
            if as_postgres:
                shutil.chown(self.root / name, "postgres")
        subprocess.run([*as_postgres, shutil.which("pgbouncer") or "/usr/sbin/pgbouncer",
                        "-d", str(self.root / "pgbouncer.ini")], check=True,
                       capture_output=True, timeout=30)
        for _ in range(50):
            if (self.root / ".s.PGSQL.6432").exists():
                break
            time.sleep(0.1)

    def url(self, direct: str) -> str:
        """The URL of the database of ``direct`` (a cluster URL) through the bouncer."""
        name = direct.split("?")[0].rsplit("/", 1)[1]
        return f"postgresql://postgres@/{name}?host={self.root}&port=6432"

    def stop(self) -> None:
        pid = self.root / "pgbouncer.pid"
        if pid.exists():
            subprocess.run(["kill", pid.read_text().strip()], check=False)
            time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)


def _copy_key(source: str, target: str) -> None:
    """The copy's audit chain is sealed with the source's key: put the key where the
    copy's URL looks for it (the key's path names the host, port and database)."""
    from tui.store.audit_key import key_path_for

    key, copied = key_path_for(str(source)), key_path_for(str(target))
    if key is not None and copied is not None and key.exists():
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(key, copied)


def one_run(target: str, args: argparse.Namespace, direct: str | None = None) -> dict:
    per = [args.sessions // args.processes + (1 if i < args.sessions % args.processes else 0)
           for i in range(args.processes)]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}"}
    procs = []
    specs = [(f"can.bo{i}", n, False) for i, n in enumerate(per)]
    specs += [(f"can.bo{args.processes + i}", 1, True) for i in range(args.fast)]
    for username, n, fast in specs:
        procs.append(subprocess.Popen(
            [sys.executable, __file__, "--worker", target, username, str(n),
             "fast" if fast else "paced", str(args.seconds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env))
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    in_use = 0
    if target.startswith("postgresql://"):
        time.sleep(min(5.0, args.seconds / 2))
        in_use = _connections(direct or target)
    results = [json.loads(proc.communicate()[0].strip().splitlines()[-1]) for proc in procs]
    paced = [r for r, spec in zip(results, specs, strict=True) if not spec[2]]
    fast = [r for r, spec in zip(results, specs, strict=True) if spec[2]]
    saves = [x for r in paced for x in r["saves"]]
    fast_saves = [x for r in fast for x in r["saves"]]
    searches = [x for r in paced for x in r["searches"]]
    errors = [e for r in results for e in r["errors"]]
    return {
        "save_p50": _pct(saves, 0.5) * 1000, "save_p95": _pct(saves, 0.95) * 1000,
        "save_max": max(saves, default=float("nan")) * 1000, "saves": len(saves),
        "fast_p95": _pct(fast_saves, 0.95) * 1000, "fast_per_s": len(fast_saves) / args.seconds,
        "search_p95": _pct(searches, 0.95) * 1000, "searches": len(searches),
        "errors": len(errors), "error_kinds": sorted(set(errors)), "connections": in_use,
    }


def _line(backend: str, run: int, r: dict) -> str:
    return (f"{backend} run {run}: paced save p50 {r['save_p50']:.1f} / p95 {r['save_p95']:.1f}"
            f" / max {r['save_max']:.0f} ms ({r['saves']} saves); flat-out save p95 "
            f"{r['fast_p95']:.1f} ms, {r['fast_per_s']:.0f}/s; search p95 "
            f"{r['search_p95']:.1f} ms ({r['searches']}); errors {r['errors']} "
            f"{r['error_kinds']}; server connections {r['connections']}")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        target, username, n, mode, seconds = sys.argv[2:7]
        return worker(target, username, int(n), mode == "fast", float(seconds))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "pgbouncer", "sqlite", "both",
                                              "pooled", "all"], default="both",
                        help="both: postgresql and sqlite; pooled: postgresql and "
                        "pgbouncer; all: the three")
    parser.add_argument("--pool", type=int, default=20,
                        help="PgBouncer's server connections per database")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--fast", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--children", type=int, default=20_000)
    args = parser.parse_args()
    from pg_cluster import start_cluster

    from tui.services.migration import migrate_register

    backends = (["postgresql", "sqlite"] if args.backend == "both" else
                ["postgresql", "pgbouncer", "sqlite"] if args.backend == "all"
                else ["postgresql", "pgbouncer"] if args.backend == "pooled"
                else [args.backend])
    cluster = bouncer = None
    with tempfile.TemporaryDirectory() as folder:
        source = _prepare(Path(folder), args.children, args.processes + args.fast)
        if "postgresql" in backends or "pgbouncer" in backends:
            cluster = start_cluster(max_connections=args.sessions + args.fast + 50)
            if isinstance(cluster, str):
                raise SystemExit(cluster)
        if "pgbouncer" in backends:
            bouncer = Bouncer(cluster, args.pool, args.sessions + args.fast + 50)
        try:
            template = None
            if cluster is not None:
                template = cluster.fresh_url()
                migrate_register(source, template)
            for backend in backends:
                found = []
                for run in range(1, args.runs + 1):
                    direct = None
                    if backend in ("postgresql", "pgbouncer"):
                        assert cluster is not None and template is not None
                        target = direct = cluster.fresh_url(template)
                        if backend == "pgbouncer":
                            assert bouncer is not None
                            target = bouncer.url(direct)
                        _copy_key(template, target)
                    else:
                        target = str(Path(folder) / f"run{run}.db")
                        shutil.copy(source, target)
                        _copy_key(source, target)
                    found.append(one_run(target, args, direct))
                    print(_line(backend, run, found[-1]), flush=True)
                keys = ("save_p50", "save_p95", "save_max", "fast_p95", "fast_per_s",
                        "search_p95", "errors")
                print(f"{backend} median of {args.runs}: " + ", ".join(
                    f"{k} {statistics.median(r[k] for r in found):.1f}" for k in keys),
                    flush=True)
        finally:
            if bouncer is not None:
                bouncer.stop()
            if cluster is not None:
                cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
