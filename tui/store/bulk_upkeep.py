"""Index and count upkeep set aside during a large bulk insert, then done once.

A row inserted with every index live costs one B-tree insertion per index (the child
table has fifteen, ten of them partial indexes of the review lists) and one run of the
name/ID-prefix count triggers (``tui.store.migrations`` v3). For a large insert it is
several times cheaper to drop those indexes and triggers, insert, then build each index
in one sorted pass and add the new rows to the counts with one ``GROUP BY``.

:func:`deferred_upkeep` does that inside the caller's write transaction, so that a
failure or a killed process rolls back the drops with the rows (SQLite DDL is
transactional, and WAL readers keep seeing the indexes of their snapshot). What it
drops it reads from the database itself (``sqlite_master``, ``pg_indexes``), so a
column or index a later migration adds is rebuilt exactly as it was declared. Unique
indexes stay live (their check must refuse the row, not the rebuild), and so do
triggers other than the count triggers (their effect would have to be redone here).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import peewee

from tui.store.children import living_sql
from tui.store.database import is_postgres

__all__ = ["COUNT_TABLES", "UPKEEP_TABLES", "deferred_upkeep", "wanted"]

#: Tables whose non-unique indexes a bulk load builds afterwards.
UPKEEP_TABLES: tuple[str, ...] = ("household", "caregiver", "child", "child_circumstance",
                                  "support", "workflow_event")
#: The per-row counts kept by triggers on ``child``; a deferred load adds its rows at the end.
COUNT_TABLES: tuple[str, ...] = ("name_prefix_count", "id_prefix_count")
#: Fewest rows worth deferring for: below this the live indexes are cheaper.
MIN_ROWS = 5000


def wanted(db: peewee.Database, new_rows: int, living: int) -> bool:
    """Whether inserting ``new_rows`` children into a register of ``living`` is cheaper
    with the upkeep deferred: a large insert, at least as large as what is there (the
    rebuild reads every row). Never on PostgreSQL: its tables hold many communes (schema
    v9), and dropping an index there would lock the table against every commune's readers
    until the commit and rebuild it over every commune's rows."""
    if new_rows < MIN_ROWS or is_postgres(db):
        return False
    return new_rows >= living


def _prefix_sql(db: peewee.Database) -> str:
    if is_postgres(db):
        return "treem_prefix_key(name_folded)"
    from tui.store.migrations import _prefix_key

    return _prefix_key("child")


def _add_counts(db: peewee.Database, after_id: int) -> None:
    """Add the living children with ``id > after_id`` to the prefix counts, as the
    insert triggers would have one by one."""
    statements = (
        ("name_prefix_count", _prefix_sql(db), "TRUE"),
        ("id_prefix_count", "substr(personal_id, 1, 6)", "personal_id IS NOT NULL"),
    )
    for table, key, where in statements:
        db.execute_sql(
            f"INSERT INTO {table} (commune, prefix, n) SELECT commune, {key}, count(*) "
            f"FROM child AS child WHERE id > {int(after_id)} AND {living_sql('child')} "
            f"AND {where} GROUP BY 1, 2 "
            f"ON CONFLICT (commune, prefix) DO UPDATE SET n = {table}.n + excluded.n")


def _sqlite_parts(db: peewee.Database) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    marks = ", ".join("?" for _ in UPKEEP_TABLES)
    rows = db.execute_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND tbl_name IN ({marks}) AND sql IS NOT NULL ORDER BY type, name",
        UPKEEP_TABLES).fetchall()
    indexes = [(name, sql) for kind, name, sql in rows
               if kind == "index" and not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    triggers = [(name, sql) for kind, name, sql in rows
                if kind == "trigger" and any(t in sql for t in COUNT_TABLES)]
    return indexes, triggers


def _pg_parts(db: peewee.Database) -> tuple[list[tuple[str, str]], list[str]]:
    rows = db.execute_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = ANY(%s) ORDER BY indexname", (list(UPKEEP_TABLES),)).fetchall()
    indexes = [(name, sql) for name, sql in rows if not sql.startswith("CREATE UNIQUE")]
    triggers = [name for (name,) in db.execute_sql(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = 'child'::regclass AND NOT t.tgisinternal "
        "AND p.prosrc LIKE '%%prefix_count%%' ORDER BY 1").fetchall()]
    return indexes, triggers


@contextlib.contextmanager
def deferred_upkeep(db: peewee.Database) -> Iterator[None]:
    """Inside a write transaction: drop the non-unique indexes of :data:`UPKEEP_TABLES`
    and the count triggers; on leaving the block normally rebuild them and add the
    children inserted meanwhile to the counts. On an error nothing is rebuilt: the
    caller's transaction rolls the drops back with everything else."""
    after_id = db.execute_sql("SELECT coalesce(max(id), 0) FROM child").fetchone()[0]
    if is_postgres(db):
        indexes, pg_triggers = _pg_parts(db)
        for name, _sql in indexes:
            db.execute_sql(f'DROP INDEX "{name}"')
        for name in pg_triggers:
            db.execute_sql(f'ALTER TABLE child DISABLE TRIGGER "{name}"')
        yield
        for _name, sql in indexes:
            db.execute_sql(sql)
        for name in pg_triggers:
            db.execute_sql(f'ALTER TABLE child ENABLE TRIGGER "{name}"')
    else:
        indexes, triggers = _sqlite_parts(db)
        for name, _sql in indexes:
            db.execute_sql(f'DROP INDEX "{name}"')
        for name, _sql in triggers:
            db.execute_sql(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in indexes:
            db.execute_sql(sql)
        for _name, sql in triggers:
            db.execute_sql(sql)
    _add_counts(db, after_id)
