"""A bulk load with the index and count upkeep deferred (``tui.store.bulk_upkeep``) gives
the register the row-by-row path gives: the same rows, review lists, counts, audit
entries, indexes and triggers; and a process killed half-way leaves nothing behind.
SQLite and, in the backend half, PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from kit import copy_register, new_register, on_postgres, person, where

from tui.demo import generate, loader
from tui.demo.generator import stream
from tui.demo.loader import load
from tui.services import accounts
from tui.store import audit, bulk_upkeep
from tui.store.bulk import insert_children_bulk, insert_households_bulk, insert_villages
from tui.store.database import is_postgres, open_db

pytestmark = pytest.mark.backend

ON = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[1]
#: Columns that hold the time of the write or what is derived from it (the audit hash
#: chain, sealed with each register's own key).
VOLATILE = {"at", "created_at", "updated_at", "hash", "prev_hash", "start_date"}
TABLES = ("village", "household", "caregiver", "child", "child_circumstance", "support",
          "workflow_event", "name_prefix_count", "id_prefix_count", "audit_entry",
          "duplicate_decision")


def _contents(db) -> dict[str, list[tuple]]:
    out = {}
    for table in TABLES:
        cursor = db.execute_sql(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        keep = [i for i, name in enumerate(names) if name not in VOLATILE]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            if table == "audit_entry" and row["entity"] == "user":
                row["row_digest"] = None  # a digest of the random salt of the password
        out[table] = sorted((tuple(row[names[i]] for i in keep) for row in rows), key=repr)
    return out


def _schema(db) -> set[tuple]:
    """Every index (with its definition) and trigger of the register, enabled or not."""
    if is_postgres(db):
        indexes = db.execute_sql("SELECT indexname, indexdef FROM pg_indexes "
                                 "WHERE schemaname = current_schema()").fetchall()
        triggers = db.execute_sql("SELECT tgname, tgenabled FROM pg_trigger "
                                  "WHERE NOT tgisinternal").fetchall()
        return {("index", *i) for i in indexes} | {("trigger", *t) for t in triggers}
    return set(db.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master "
                              "WHERE type IN ('index', 'trigger')").fetchall())


def _review_counts(db) -> dict[str, int]:
    from tui.store import review
    from tui.store.review_sql import INDEXED_KINDS

    return {str(kind): review.count(db, kind, on=ON, villages=None) for kind in INDEXED_KINDS}


def _demo_the_slow_way(db, data, user_id, username) -> None:
    """The demo as it was stored before the streamed loader: villages, households and
    children in three bulk calls, every index and trigger live."""
    villages = insert_villages(db, data.villages, user_id=user_id, username=username)
    carers: dict[int, list] = {}
    for carer in data.caregivers:
        carers.setdefault(carer["household_id"], []).append(carer)
    ids = insert_households_bulk(db, [
        {"book_number": h["book_number"], "village_id": villages[h["village"]],
         "address": h["address"], "poverty": h["poverty"], "caregivers": carers.get(h["id"], [])}
        for h in data.households], user_id=user_id, username=username)
    insert_children_bulk(db, ({**c, "household_id": ids[c["household_id"] - 1],
                               "village_id": villages[c["village"]]} for c in data.children),
                         user_id=user_id, username=username, allow_errors=True, on=data.on,
                         defer=False)


def _facts(db) -> tuple:
    """What must agree between two registers (read while ``db`` is the open one)."""
    assert audit.verify(db) == []
    return _schema(db), _contents(db), _review_counts(db)


@pytest.mark.parametrize("worker", [False, True], ids=["one-process", "worker"])
def test_a_demo_loaded_with_deferred_upkeep_is_the_register_of_the_slow_path(
        tmp_path, worker):
    """The streamed demo (generated and validated in a worker process, or here) stores
    what the generated lists stored through the row-by-row path."""
    data = generate(1500, seed=5, on=ON)
    slow = new_register(tmp_path / "slow.db", sandbox=True)
    before = _schema(slow)
    session = accounts.sandbox_session(slow)
    _demo_the_slow_way(slow, data, session.user_id, session.username)
    want = _facts(slow)
    slow.close()
    fast = new_register(tmp_path / "fast.db", sandbox=True)  # the models follow it
    assert accounts.sandbox_session(fast).user_id == session.user_id
    streamed = stream(1500, seed=5, on=ON)
    result = load(fast, streamed, user_id=session.user_id, username=session.username,
                  worker=worker)
    assert result.children == len(data.children) == 1500
    assert (streamed.problems, streamed.duplicates) == (data.problems, data.duplicates)
    assert result.households == len(data.households)
    got = _facts(fast)
    assert got[0] == want[0] == before  # every index and trigger is back
    for table in TABLES:
        assert got[1][table] == want[1][table], table
    assert got[1]["name_prefix_count"] and got[1]["id_prefix_count"]
    assert got[2] == want[2] and sum(got[2].values()) > 0
    # the counts are kept up to date by their triggers again afterwards
    fast.execute_sql("DELETE FROM workflow_event WHERE child_id = 1")
    fast.execute_sql("DELETE FROM child_circumstance WHERE child_id = 1")
    fast.execute_sql("DELETE FROM support WHERE child_id = 1")
    fast.execute_sql("DELETE FROM child WHERE id = 1")
    assert sum(n for (n,) in fast.execute_sql("SELECT n FROM id_prefix_count")) == \
        fast.execute_sql("SELECT count(*) FROM child WHERE personal_id IS NOT NULL"
                         ).fetchone()[0]


def test_a_large_import_into_a_register_in_use_matches_the_row_by_row_path(
        tmp_path, monkeypatch):
    """Into a register that holds children (one merged away: its prefixes are counted
    down to zero), the deferred path adds to the counts as the triggers would."""
    data = generate(400, seed=9, on=ON)
    rows = [{k: v for k, v in c.items() if k != "household_id"} for c in data.children]
    db = new_register(tmp_path / "reg.db")
    admin = person(db, "quan.tri", "administrator")
    insert_children_bulk(db, rows[:100], allow_errors=True, on=ON)
    prefix = db.execute_sql("SELECT prefix FROM name_prefix_count WHERE n = 1 "
                            "ORDER BY prefix LIMIT 1").fetchone()[0]
    drop = next(i for i, name in db.execute_sql("SELECT id, name_folded FROM child")
                if f"{name} ".startswith(f"{prefix} "))
    admin.duplicates.merge(1 if drop != 1 else 2, drop)
    assert db.execute_sql("SELECT n FROM name_prefix_count WHERE prefix = ?",
                          (prefix,)).fetchone()[0] == 0
    source = where(db)
    db.close()
    copy = copy_register(source, tmp_path / "copy.db")
    slow = open_db(copy)
    before = _schema(slow)
    slow_result = insert_children_bulk(slow, rows[100:], allow_errors=True, on=ON,
                                       defer=False)
    want = _facts(slow)
    slow.close()
    fast = open_db(source)
    monkeypatch.setattr(bulk_upkeep, "MIN_ROWS", 50)  # the automatic choice, on 300 rows
    assert bulk_upkeep.wanted(fast, 300, 99) != on_postgres()
    fast_result = insert_children_bulk(fast, rows[100:], allow_errors=True, on=ON,
                                       defer=True)
    assert fast_result == slow_result
    got = _facts(fast)
    assert got[0] == want[0] == before
    for table in TABLES:
        assert got[1][table] == want[1][table], table
    assert got[2] == want[2]


def test_small_imports_and_imports_into_a_large_register_keep_the_indexes_live(tmp_path):
    db = new_register(tmp_path / "reg.db")
    assert not bulk_upkeep.wanted(db, bulk_upkeep.MIN_ROWS - 1, 0)
    # never on PostgreSQL: its tables are shared by every commune of the province
    assert bulk_upkeep.wanted(db, bulk_upkeep.MIN_ROWS, 0) != on_postgres()
    assert bulk_upkeep.wanted(db, 50_000, 50_000) != on_postgres()
    assert not bulk_upkeep.wanted(db, 10_000, 50_000)


def test_a_failure_half_way_rolls_the_upkeep_back_with_the_rows(tmp_path, monkeypatch):
    from tui.store import bulk

    db = new_register(tmp_path / "reg.db")
    before = _schema(db)
    monkeypatch.setattr(bulk, "CHUNK", 50)
    rows = [{k: v for k, v in c.items() if k != "household_id"}
            for c in generate(200, seed=2, on=ON).children]

    def broken(*args, **kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(bulk.audit, "append", broken)
    with pytest.raises(RuntimeError):
        insert_children_bulk(db, rows, allow_errors=True, on=ON, defer=True)
    assert _schema(db) == before
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 0
    assert db.execute_sql("SELECT count(*) FROM name_prefix_count").fetchone()[0] == 0


_KILLED_IMPORT = """
import sys
import time
from datetime import date
from tui.demo import generate
from tui.demo.generator import stream
from tui.store import bulk
from tui.store.bulk import insert_children_bulk
from tui.store.database import open_db

bulk.CHUNK = 100
db = open_db(sys.argv[1])
rows = [{k: v for k, v in c.items() if k != "household_id"}
        for c in generate(600, seed=4, on=date(2026, 11, 23)).children]
insert_children_bulk(db, rows, allow_errors=True, on=date(2026, 11, 23), defer=True)
"""


def test_a_bulk_import_killed_half_way_leaves_the_register_as_it_was(tmp_path):
    if on_postgres():
        pytest.skip("the kill is the same on PostgreSQL: its transaction is dropped")
    path = tmp_path / "reg.db"
    db = new_register(path)
    person(db, "quan.tri", "administrator")
    before, entries = _schema(db), audit.count(db)
    db.close()
    done = subprocess.run([sys.executable, "-c", _KILLED_IMPORT, str(path)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT),
                               "TREEM_FAULT": "bulk.flushed"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr  # killed after the first chunk was written
    db = open_db(path)
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 0
    assert _schema(db) == before  # no index or trigger lost with the rolled-back drops
    assert audit.count(db) == entries and audit.verify(db) == []
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_treem_demo_killed_half_way_leaves_no_register_and_runs_again(tmp_path):
    if on_postgres():
        pytest.skip("treem demo makes a SQLite file")
    target = tmp_path / "thu.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    size = str(loader.WORKER_FROM)  # generated and validated by a worker process
    command = [sys.executable, "-m", "tui.cli", "demo", "--db", str(target), "--children",
               size, "--no-ui"]
    log = tmp_path / "log"
    with log.open("w") as out:  # a file, not a pipe: a process left over cannot hang us
        done = subprocess.run(command, cwd=ROOT, env={**env, "TREEM_FAULT": "bulk.flushed"},
                              stdout=out, stderr=out, timeout=300)
    assert done.returncode == -9, log.read_text()
    assert not list(tmp_path.glob("thu.db")) and not list(tmp_path.glob("thu.db.key"))
    deadline = time.monotonic() + 30
    while _running(str(target)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(str(target))  # the worker ended with the writer
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("thu.db*")) == ["thu.db", "thu.db.key"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM child").fetchone()[0] == int(size)


def _running(marker: str) -> list[int]:
    """Processes whose command line names ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


_KILLED_WORKER = """
import sys
from datetime import date
from tui.demo.generator import stream
from tui.demo.loader import load
from tui.services import accounts
from tui.store import settings
from tui.store.database import open_db

db = open_db(sys.argv[1], create=True)
settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                    province_code="14", sandbox=True)
session = accounts.sandbox_session(db)
load(db, stream(12000, seed=3, on=date(2026, 11, 23)), user_id=session.user_id,
     username=session.username, worker=True)
"""


def test_the_demo_worker_ends_when_the_writer_is_killed(tmp_path):
    if on_postgres():
        pytest.skip("a demo is a SQLite file")
    target = tmp_path / "worker-marker.db"
    log = tmp_path / "log"
    with log.open("w") as out:
        done = subprocess.run([sys.executable, "-c", _KILLED_WORKER, str(target)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT),
                                   "TREEM_FAULT": "bulk.flushed"},
                              stdout=out, stderr=out, timeout=300)
    assert done.returncode == -9, log.read_text()
    deadline = time.monotonic() + 30
    while _running(str(target)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(str(target))
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM child").fetchone()[0] == 0


def test_a_writer_error_stops_the_demo_worker_at_once(tmp_path, monkeypatch):
    import multiprocessing

    from tui.store import bulk

    db = new_register(tmp_path / "reg.db", sandbox=True)
    session = accounts.sandbox_session(db)
    added = bulk.ChildWriter.add

    def failing(self, row, cleaned=None, *, prepared=None):
        if len(self.ids) == 300:
            raise RuntimeError("disk went away")
        return added(self, row, cleaned, prepared=prepared)

    monkeypatch.setattr(bulk.ChildWriter, "add", failing)
    with pytest.raises(RuntimeError):
        load(db, stream(3000, seed=1, on=ON), user_id=session.user_id,
             username=session.username, worker=True)
    assert multiprocessing.active_children() == []
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 0
