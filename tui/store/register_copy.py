"""Copying a whole register from one database to another (SQLite <-> PostgreSQL).

``treem migrate`` moves a commune's register into a province's PostgreSQL database and
back. The copy knows no table by name: it reads the tables, their columns and their
foreign keys from the source database itself, orders the tables so that every row's
parents are written before it, and copies every column of every row with its id. A table
or a column added by a later migration step therefore moves without a change here.

Left out are the tables that are not data: the schema marker of PostgreSQL
(``treem_schema``) and the search counts the triggers keep (``name_prefix_count``,
``id_prefix_count``), which the target's triggers rebuild as the children arrive.

All rows are written in one transaction of the target under its write lock
(``write_tx``), read from one consistent snapshot of the source, in batches; before the
commit the row count and a digest of every table are compared with the source, so that
a copy that differs is rolled back and a killed copy leaves the target as empty as it
was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
import peewee

from tui.faults import fault_point
from tui.store.database import is_postgres, write_tx
from tui.store.postgres import APPLICATION_ID_TABLE, sync_ids

__all__ = ["BATCH_ROWS", "COMMUNE_COLUMNS", "DATABASE_TABLES", "DERIVED_TABLES", "CopyMismatch",
           "TableCopy", "TableShape", "copy_tables", "count_rows", "digest", "of_commune",
           "shapes"]

#: Rows read and written per batch (one multi-row INSERT on PostgreSQL).
BATCH_ROWS = 2000
#: Tables kept by triggers or by the backend itself: never copied.
DERIVED_TABLES = frozenset({APPLICATION_ID_TABLE, "name_prefix_count", "id_prefix_count"})


@attrs.frozen
class TableShape:
    """One table to copy: its columns (in the source's order) and the columns that
    point at the table itself (written after all its rows, e.g. ``child.merged_into``)."""

    name: str
    columns: tuple[str, ...]
    self_references: tuple[str, ...]
    #: Only the rows of one commune (schema v9): (its commune column, the code), the
    #: province's accounts (commune NULL) too for ``user``; None: every row.
    commune: tuple[str, str] | None = None

    def where(self) -> str:
        """The SQL condition on the rows copied ("" for every row)."""
        if self.commune is None:
            return ""
        column, code = self.commune
        if not code.isdigit():  # written into SQL text: a commune code only
            raise ValueError(f"not a commune code: {code!r}")
        extra = f" OR {_quote(column)} IS NULL" if self.name == "user" else ""
        return f" WHERE ({_quote(column)} = '{code}'{extra})"


#: The column naming the commune of a table's rows, for one commune's copy.
COMMUNE_COLUMNS = {"village": "commune_code", "setting": "commune_code"}
#: Tables of the database, not of any commune: left out of one commune's copy.
DATABASE_TABLES = frozenset({"login_delay"})


def of_commune(tables: Sequence[TableShape], code: str) -> list[TableShape]:
    """``tables`` narrowed to the rows of commune ``code`` (the way out of a province's
    database: ``treem migrate --commune CODE``)."""
    return [attrs.evolve(t, commune=(COMMUNE_COLUMNS.get(t.name, "commune"), code))
            for t in tables if t.name not in DATABASE_TABLES]


@attrs.frozen
class TableCopy:
    """The rows of one table in the source and, after a copy, in the target."""

    name: str
    source_rows: int
    target_rows: int


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _data_tables(db: peewee.Database) -> list[str]:
    return sorted(t for t in db.get_tables()
                  if t not in DERIVED_TABLES and not t.startswith("sqlite_"))


def shapes(db: peewee.Database) -> list[TableShape]:
    """The register's data tables, parents before children (read from ``db``).

    Raises ``ValueError`` for a cycle of foreign keys between tables (none exists: a new
    one would need its own treatment, as a self-reference has).
    """
    tables = _data_tables(db)
    parents: dict[str, set[str]] = {}
    selfs: dict[str, list[str]] = {}
    for table in tables:
        parents[table] = set()
        selfs[table] = []
        for key in db.get_foreign_keys(table):
            if key.dest_table == table:
                selfs[table].append(key.column)
            elif key.dest_table in parents or key.dest_table in tables:
                parents[table].add(key.dest_table)
    ordered: list[str] = []
    done: set[str] = set()
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in done and parents[t] <= done]
        if not ready:
            raise ValueError(f"foreign keys form a cycle among {sorted(set(tables) - done)}")
        ordered.extend(ready)
        done.update(ready)
    return [TableShape(t, tuple(c.name for c in db.get_columns(t)), tuple(selfs[t]))
            for t in ordered]


def count_rows(db: peewee.Database, table: str | TableShape) -> int:
    """How many rows ``table`` holds (of its commune, for a commune's shape)."""
    name, where = (table.name, table.where()) if isinstance(table, TableShape) else (table, "")
    return int(db.execute_sql(f"SELECT count(*) FROM {_quote(name)}{where}").fetchone()[0])


def _select(shape: TableShape) -> str:
    columns = ", ".join(_quote(c) for c in shape.columns)
    order = '"id"' if "id" in shape.columns else columns
    return f"SELECT {columns} FROM {_quote(shape.name)}{shape.where()} ORDER BY {order}"


def _batches(db: peewee.Database, shape: TableShape) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a table in id order, ``BATCH_ROWS`` at a time, without holding the
    whole table in memory (a server-side cursor on PostgreSQL)."""
    if is_postgres(db):
        db.execute_sql("SELECT 1")  # binds the transaction to the communes read (RLS)
        # A named cursor streams; psycopg2 wants ``withhold`` for one on a connection in
        # autocommit mode (as peewee keeps it), even inside our explicit transaction.
        cursor = db.connection().cursor(name=f"treem_copy_{shape.name}", withhold=True)
        cursor.itersize = BATCH_ROWS
        cursor.execute(_select(shape))
    else:
        cursor = db.execute_sql(_select(shape))
    try:
        while True:
            rows = cursor.fetchmany(BATCH_ROWS)
            if not rows:
                return
            yield [tuple(row) for row in rows]
    finally:
        cursor.close()


def digest(db: peewee.Database, shape: TableShape) -> str:
    """A sha256 of every row of a table in id order: equal on two databases when they
    hold the same rows (integers and texts read back as the same Python values)."""
    hashed = hashlib.sha256()
    for rows in _batches(db, shape):
        for row in rows:
            hashed.update(repr(row).encode("utf-8"))
    return hashed.hexdigest()


def _insert(db: peewee.Database, shape: TableShape, rows: list[tuple[Any, ...]]) -> None:
    columns = ", ".join(_quote(c) for c in shape.columns)
    table = _quote(shape.name)
    if is_postgres(db):
        from psycopg2.extras import execute_values

        cursor = db.cursor()
        execute_values(cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows,
                       page_size=BATCH_ROWS)
    else:
        marks = ", ".join("?" for _ in shape.columns)
        db.cursor().executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _mark(db: peewee.Database) -> str:
    return "%s" if is_postgres(db) else "?"


def _copy_table(source: peewee.Database, target: peewee.Database, shape: TableShape) -> None:
    """Copy one table's rows; self-references are written once every row is there."""
    positions = [shape.columns.index(c) for c in shape.self_references]
    later: dict[str, list[tuple[Any, Any]]] = {c: [] for c in shape.self_references}
    id_at = shape.columns.index("id") if positions else -1
    for rows in _batches(source, shape):
        if positions:
            cleared = []
            for row in rows:
                values = list(row)
                for column, at in zip(shape.self_references, positions, strict=True):
                    if values[at] is not None:
                        later[column].append((values[at], values[id_at]))
                        values[at] = None
                cleared.append(tuple(values))
            rows = cleared
        _insert(target, shape, rows)
    mark = _mark(target)
    for column, pairs in later.items():
        if pairs:
            target.cursor().executemany(
                f"UPDATE {_quote(shape.name)} SET {_quote(column)} = {mark} "
                f'WHERE "id" = {mark}', pairs)
    if "id" in shape.columns:
        sync_ids(target, shape.name)


def copy_tables(source: peewee.Database, target: peewee.Database,
                tables: Sequence[TableShape], *,
                check: Callable[[peewee.Database], list[str]] | None = None
                ) -> list[TableCopy]:
    """Copy every row of ``tables`` from ``source`` into the empty ``target`` in one
    transaction; compare counts and digests before the commit.

    ``check(target)`` (optional) runs before the commit too and returns a list of
    problems (the audit chain's); any problem, or any table that differs, rolls the whole
    copy back with ``CopyMismatch``. The source is read in one snapshot.
    """
    with _snapshot(source), write_tx(target):
        for shape in tables:
            _copy_table(source, target, shape)
            fault_point(f"migrate.table.{shape.name}")
        copied = [TableCopy(s.name, count_rows(source, s), count_rows(target, s))
                  for s in tables]
        differing = [c.name for c in copied if c.source_rows != c.target_rows]
        differing += [s.name for s in tables if s.name not in differing
                      and digest(source, s) != digest(target, s)]
        problems = list(check(target)) if check is not None else []
        if differing or problems:
            raise CopyMismatch(differing, problems)
        fault_point("migrate.before_commit")
    return copied


class CopyMismatch(Exception):
    """The copy differs from the source (rolled back): the tables and problems found."""

    def __init__(self, tables: list[str], problems: list[str]) -> None:
        super().__init__(", ".join([*tables, *problems]))
        self.tables = tables
        self.problems = problems


def _snapshot(db: peewee.Database) -> Any:
    """One read transaction on the source: every table read as of the same moment."""
    if is_postgres(db):
        return db.atomic(isolation_level="REPEATABLE READ")
    return db.atomic()
