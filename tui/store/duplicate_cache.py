"""The duplicate candidate pairs of a register, kept in the register itself.

Comparing every child of a large commune takes tens of seconds on an old machine; the
pairs (ids, score and reason codes: no personal data) are therefore kept in the table
``duplicate_candidate_cache`` with the change stamp of the children they were computed
for (``tui.store.duplicates.stamp``), so that a later session starts from them and
compares only the children saved since (``tui.services.duplicate_pairs``).

The table is derived data, like a search index: it is created on first use (``CREATE
TABLE IF NOT EXISTS``, no schema version step), with three indexes on ``child`` that
bringing the pairs up to date reads through (:data:`INDEXES`); never copied by ``treem migrate``
(``tui.store.register_copy.DERIVED_TABLES``), and may be emptied at any time; a missing
or unreadable row only means one full comparison. One row per scope (the commune and,
for a collaborator, the villages compared).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import peewee

from tui.errors import DatabaseReadOnly, DiskFull, DiskIOError
from tui.store.children import LIVING
from tui.store.database import write_tx
from tui.store.models import Child

#: Errors of a register that cannot be written (tui.services.held_audit.UNWRITABLE).
UNWRITABLE = (DiskFull, DatabaseReadOnly, DiskIOError)

#: Values per ``IN (...)`` (well under the bound of SQLite's and PostgreSQL's statement
#: parameters).
CHUNK = 5000

__all__ = ["CHUNK", "INDEXES", "TABLE", "Stored", "changed_since", "clear", "living_where",
           "read", "write"]

TABLE = "duplicate_candidate_cache"
#: Indexes the comparison of a few changed children reads through (their neighbours by
#: caregiver ID, mother's name, birth date; personal ID, household and folded name have
#: their own already). Derived too: created with the table, on either backend.
INDEXES = (
    'CREATE INDEX IF NOT EXISTS "duplicate_child_caregiver_id" ON "child" ("caregiver_id")',
    'CREATE INDEX IF NOT EXISTS "duplicate_child_mother_name" ON "child" ("mother_name")',
    'CREATE INDEX IF NOT EXISTS "duplicate_child_birth_date" ON "child" ("birth_date")',
)
_CREATE = (f'CREATE TABLE IF NOT EXISTS "{TABLE}" ('
           '"scope" TEXT NOT NULL PRIMARY KEY, "stamp" TEXT NOT NULL, "since" TEXT NOT NULL, '
           '"pairs" TEXT NOT NULL)')


@attrs.frozen
class Stored:
    """Pairs as ``(left_id, right_id, score, reasons)``, the stamp they were computed
    for (count of children, highest id, latest ``updated_at``) and ``since``: children
    saved after it (``updated_at`` greater) or with a higher id are to be compared again
    (earlier than the stamp's latest ``updated_at`` when a save might still have been
    committing then)."""

    stamp: tuple[Any, ...]
    since: str
    pairs: list[tuple[int, int, float, tuple[str, ...]]]


def read(db: peewee.Database, scope: str) -> Stored | None:
    """The pairs kept for ``scope``, or None (none kept, or the table is not there)."""
    try:
        if not db.table_exists(TABLE):
            return None
        row = db.execute_sql(f'SELECT "stamp", "pairs", "since" FROM "{TABLE}" WHERE '
                             f'"scope" = {db.param}', (scope,)).fetchone()
    except peewee.DatabaseError:  # a role that may not read it: compare in full
        return None
    if row is None:
        return None
    try:
        stamp = tuple(json.loads(row[0]))
        pairs = [(int(a), int(b), float(s), tuple(r)) for a, b, s, r in json.loads(row[1])]
    except (ValueError, TypeError):
        return None
    return Stored(stamp, str(row[2]), pairs)


def write(db: peewee.Database, scope: str, stamp: Sequence[Any], since: str,
          pairs: Sequence[tuple[int, int, float, tuple[str, ...]]]) -> bool:
    """Keep ``pairs`` for ``scope``; False when the register cannot be written (full
    disk, read-only file, a database role that may not create the table): the pairs
    are then only in the session's memory."""
    param = db.param
    with contextlib.suppress(*UNWRITABLE, peewee.DatabaseError):
        with write_tx(db):
            db.execute_sql(_CREATE)
            for statement in INDEXES:
                db.execute_sql(statement)
            db.execute_sql(
                f'INSERT INTO "{TABLE}" ("scope", "stamp", "since", "pairs") VALUES '
                f'({param}, {param}, {param}, {param}) ON CONFLICT ("scope") DO UPDATE SET '
                '"stamp" = excluded."stamp", "since" = excluded."since", '
                '"pairs" = excluded."pairs"',
                (scope, json.dumps(list(stamp)), since,
                 json.dumps([[a, b, s, list(r)] for a, b, s, r in pairs],
                            separators=(",", ":"))))
        return True
    return False


def clear(db: peewee.Database) -> None:
    """Forget every kept list (the next comparison is a full one)."""
    if db.table_exists(TABLE):
        with write_tx(db):
            db.execute_sql(f'DELETE FROM "{TABLE}"')


def changed_since(db: peewee.Database, last_id: int, since: str) -> list[int]:
    """Ids of the children added after ``last_id`` or changed after ``since`` (an
    ``updated_at`` value), merged ones included."""
    query = Child.select(Child.id).where((Child.id > last_id) | (Child.updated_at > since))
    return [i for (i,) in query.tuples()]


def living_where(db: peewee.Database, columns: Sequence[str], key: str,
                 values: Iterable[Any], villages: frozenset[int] | None
                 ) -> list[tuple[Any, ...]]:
    """``columns`` of the living children whose column ``key`` holds one of ``values``
    (of ``villages`` when given): the neighbours of changed children, read through the
    index of ``key``."""
    fields = Child._meta.columns
    wanted = sorted(set(values), key=str)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), CHUNK):
        query = Child.select(*[fields[c] for c in columns]).where(
            LIVING & fields[key].in_(wanted[start:start + CHUNK]))
        if villages is not None:
            query = query.where(Child.village_ref.in_(sorted(villages)))
        found.extend(query.tuples().iterator())
    return found
