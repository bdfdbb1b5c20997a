"""Bulk inserts for the demo generator and spreadsheet imports.

One ``BEGIN IMMEDIATE`` transaction and ``cursor.executemany`` per table (peewee's
``insert_many`` is about 15 times slower here). Children keep the same invariants as
a save through ``tui.services.children``: validated by libchild, ``name_folded``
filled, issues stored, an ``entered`` workflow event, one ID number per child. The
import itself is audited as one entry per call (count and id range), not one per field:
the rows are the source.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from datetime import date
from typing import Any

import attrs
import peewee

import libchild
from libchild.gcpause import paused_gc
from libchild.issues import Issue
from libchild.text.fold import fold
from tui.domain import Poverty, RecordState
from tui.faults import fault_point
from tui.review_rules import step3_codes
from tui.store import audit, bulk_upkeep, settings, tenancy
from tui.store.children import LIVING, count_living
from tui.store.clock import now_iso
from tui.store.database import is_postgres, run_many, write_tx
from tui.store.models import Child
from tui.store.records import (
    CHILD_FIELDS,
    Prepared,
    issues_to_json,
    name_key,
    prepare_child,
    store_issue,
)

__all__ = ["BulkResult", "ChildWriter", "HouseholdWriter", "insert_children_bulk",
           "insert_households_bulk", "insert_villages"]

_CHILD_COLUMNS = (
    "id", *CHILD_FIELDS, "name_folded", "household_id", "village_id", "issues", "has_error",
    "has_warning", "state", "version", "created_at", "created_by", "updated_at", "updated_by",
)


@attrs.frozen
class BulkResult:
    """``ids``: the new child ids in input order (None for a rejected row);
    ``rejected``: (input position, issues) of rows refused for errors."""

    ids: tuple[int | None, ...]
    rejected: tuple[tuple[int, tuple[Issue, ...]], ...]

    @property
    def inserted(self) -> int:
        """How many children were stored."""
        return sum(1 for i in self.ids if i is not None)


class _NewIds:
    """New ids of ``table`` for rows inserted with explicit ids. SQLite: after the
    largest (the file's write lock keeps every other writer out). PostgreSQL: drawn from
    the table's identity in blocks, since communes of one database write at once (each
    under its own lock, schema v9) and row-level security hides the other communes'
    largest id; an id drawn and not used is a gap, nothing more."""

    def __init__(self, db: peewee.Database, table: str, block: int | None = None) -> None:
        """``block``: how many rows are coming, when known (PostgreSQL then draws that
        many ids); unknown, blocks start small and double up to :data:`CHUNK`, so that
        the ids left unused stay fewer than those used."""
        self.db, self.table = db, table
        self.fixed = block is not None
        self.block = max(1, min(block, CHUNK)) if block is not None else 64
        self.pool: list[int] = []
        self.next: int | None = None
        self.taken = 0  # ids handed out so far

    def take(self) -> int:
        """The next new id."""
        self.taken += 1
        if is_postgres(self.db):
            if not self.pool:
                self.pool = sorted((row[0] for row in self.db.execute_sql(
                    f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) "
                    "FROM generate_series(1, %s)", (self.block,)).fetchall()), reverse=True)
                if not self.fixed:
                    self.block = min(self.block * 2, CHUNK)
            return self.pool.pop()
        if self.next is None:
            self.next = int(self.db.execute_sql(
                f'SELECT coalesce(max(id), 0) FROM "{self.table}"').fetchone()[0]) + 1
        self.next += 1
        return self.next - 1


def _settings(db: peewee.SqliteDatabase) -> dict[str, Any]:
    found = settings.read(db)
    return ({"commune_code": found.commune_code, "province_code": found.province_code}
            if found else {})


def insert_villages(db: peewee.SqliteDatabase, names: Iterable[str], *,
                    user_id: int | None = None, username: str = "") -> dict[str, int]:
    """Add villages to the commune's list (existing names are kept); name -> id."""
    commune = tenancy.stamp(db)
    out: dict[str, int] = {}
    with write_tx(db):
        for raw in names:
            name = " ".join(raw.split())
            key = fold(name)
            row = db.execute_sql("SELECT id FROM village WHERE commune_code = ? AND "
                                 "name_folded = ?", (commune, key)).fetchone()
            if row is None:
                cursor = db.execute_sql(
                    "INSERT INTO village (commune_code, name, name_folded, active) "
                    "VALUES (?, ?, ?, 1) RETURNING id", (commune, name, key))
                out[name] = int(cursor.fetchone()[0])
                audit.append(db, user_id=user_id, username=username, action="create",
                             entity="village", record_id=out[name], field="name", new=name)
            else:
                out[name] = row[0]
    return out


def insert_households_bulk(db: peewee.SqliteDatabase, rows: Sequence[Mapping[str, Any]], *,
                           user_id: int | None = None, username: str = "") -> list[int]:
    """Insert households (``book_number``, ``village_id``, ``address``, ``poverty``, optional
    ``caregivers``: list of ``{personal_id, full_name, relation}``); their ids in order."""
    with write_tx(db):
        writer = HouseholdWriter(db, user_id=user_id, username=username,
                                 expected=len(rows))
        ids = [writer.add(row) for row in rows]
        writer.finish()
    return ids


def insert_children_bulk(
    db: peewee.SqliteDatabase,
    rows: Iterable[Mapping[str, Any]],
    *,
    user_id: int | None = None,
    username: str = "",
    allow_errors: bool = False,
    on: date | None = None,
    cleaned: Sequence[libchild.Cleaned] | None = None,
    defer: bool | None = None,
) -> BulkResult:
    """Insert children in one transaction; validate each with libchild.

    ``rows`` is read once, in order (a generator is fine); they are validated and written
    :data:`CHUNK` at a time, so the memory held does not grow with their number.

    ``cleaned[i]``, when given, is ``libchild.clean``'s result for ``rows[i]`` on ``on``
    (an import's plan already validated every row): it is used instead of a second call.

    Each row has the canonical fields plus optional ``household_id``, ``village_id``,
    ``circumstances`` and ``supports``. A row with errors is rejected (listed in
    ``rejected``) unless ``allow_errors``: then it is stored with ``has_error`` set so that
    it appears on the step 3 lists (legacy imports). An ID number already in the register
    or earlier in ``rows`` is an error like any other.

    ``defer`` sets the index and count upkeep aside until the rows are in
    (``tui.store.bulk_upkeep``; the register ends up the same); by default it is done for
    a large list of rows (``bulk_upkeep.wanted``).
    """
    with write_tx(db):
        if defer is None:
            defer = (isinstance(rows, Sized) and len(rows) >= bulk_upkeep.MIN_ROWS
                     and bulk_upkeep.wanted(db, len(rows), count_living(db)))
        upkeep = bulk_upkeep.deferred_upkeep(db) if defer else contextlib.nullcontext()
        with paused_gc(), upkeep:
            writer = ChildWriter(db, user_id=user_id, username=username,
                                 allow_errors=allow_errors, on=on,
                                 expected=len(rows) if isinstance(rows, Sized) else None)
            for index, row in enumerate(rows):
                writer.add(row, cleaned[index] if cleaned is not None else None)
            writer.flush()
        writer.finish()
    return writer.result()


#: Rows validated and written per ``executemany`` inside the one transaction: what a
#: bulk insert holds at a time, instead of every prepared row of the call.
CHUNK = 5000


def _same_for_every_row(db: peewee.Database) -> dict[str, Any]:
    """Columns that every row a bulk writer inserts carries with one value, whatever its
    table: the commune that owns the rows (schema v9, ``tui.store.tenancy``)."""
    return {"commune": tenancy.stamp(db)}


class _Table:
    """Rows of one table gathered for one ``INSERT ... VALUES`` run by ``executemany``:
    the one place where the bulk writers name a table's columns. ``rows`` hold the values
    of ``columns``; those of :func:`_same_for_every_row` are added when they are written."""

    def __init__(self, db: peewee.Database, table: str, columns: tuple[str, ...]) -> None:
        self.db = db
        fixed = _same_for_every_row(db)
        self.extra = tuple(fixed.values())
        names = (*columns, *fixed)
        self.sql = (f'INSERT INTO "{table}" (' + ", ".join(f'"{c}"' for c in names)
                    + ") VALUES (" + ", ".join("?" for _ in names) + ")")
        self.rows: list[tuple[Any, ...]] = []

    def flush(self) -> None:
        """Write the rows gathered."""
        if self.rows:
            extra = self.extra
            run_many(self.db, self.sql,
                     [row + extra for row in self.rows] if extra else self.rows)
            self.rows.clear()


class HouseholdWriter:
    """Households with their caregivers, written :data:`CHUNK` at a time inside the
    caller's write transaction; :meth:`finish` writes the one audit entry of the batch."""

    def __init__(self, db: peewee.Database, *, user_id: int | None, username: str,
                 expected: int | None = None) -> None:
        """``expected``: how many households are coming, when known."""
        self.db, self.user_id, self.username = db, user_id, username
        self.at = now_iso()
        self.new_ids = _NewIds(db, "household", expected)
        self.first: int | None = None
        self.last: int | None = None
        self.households = _Table(db, "household", (
            "id", "book_number", "village_id", "address", "poverty", "version", "created_at",
            "created_by", "updated_at", "updated_by"))
        self.caregivers = _Table(db, "caregiver", (
            "household_id", "personal_id", "full_name", "relation"))

    def add(self, row: Mapping[str, Any]) -> int:
        """Queue one household; its id."""
        hid = self.new_ids.take()
        if self.first is None:
            self.first = hid
        self.last = hid
        at, user_id = self.at, self.user_id
        self.households.rows.append((
            hid, str(row["book_number"]), row.get("village_id"), row.get("address") or "",
            row.get("poverty") or Poverty.NONE, 1, at, user_id, at, user_id))
        self.caregivers.rows.extend(
            (hid, c.get("personal_id"), c.get("full_name") or c.get("name") or "",
             c.get("relation") or "guardian") for c in row.get("caregivers") or ())
        if len(self.households.rows) >= CHUNK:
            self.flush()
        return hid

    def flush(self) -> None:
        """Write what is queued (households before their caregivers)."""
        self.households.flush()
        self.caregivers.flush()

    def finish(self) -> None:
        """Write the rest and audit the batch (count and id range)."""
        self.flush()
        if self.first is not None and self.last is not None:
            audit.append(self.db, user_id=self.user_id, username=self.username,
                         action="import", entity="household", record_id=self.first,
                         field="count", new={"count": self.new_ids.taken,
                                             "first_id": self.first, "last_id": self.last})


class ChildWriter:
    """Children validated by libchild and written :data:`CHUNK` at a time inside the
    caller's write transaction (see :func:`insert_children_bulk` for the rules);
    :meth:`finish` writes the one audit entry of the batch."""

    def __init__(self, db: peewee.Database, *, user_id: int | None, username: str,
                 allow_errors: bool, on: date | None,
                 before_flush: Callable[[], None] | None = None,
                 expected: int | None = None) -> None:
        """``before_flush`` runs before each write of queued children (a loader writes
        the households they belong to); ``expected``: how many rows are coming, when
        known."""
        self.db, self.user_id, self.username = db, user_id, username
        self.before_flush = before_flush
        self.allow_errors = allow_errors
        self.today = on or date.today()
        self.defaults = _settings(db)
        self.at = now_iso()
        self.villages = {r[1]: (r[0], r[2]) for r in db.execute_sql(
            "SELECT id, name_folded, name FROM village WHERE commune_code = ?",
            (tenancy.stamp(db),))}
        self.names_by_id = {vid: name for vid, name in self.villages.values()}
        self.village_of: dict[str, int | None] = {}
        self.taken = {r[0] for r in Child.select(Child.personal_id).where(
            LIVING & Child.personal_id.is_null(False)).tuples()}
        self.new_ids = _NewIds(db, "child", expected)
        self.step3 = step3_codes()
        self.ids: list[int | None] = []
        self.rejected: list[tuple[int, tuple[Issue, ...]]] = []
        self.children = _Table(db, "child", _CHILD_COLUMNS)
        self.circumstances = _Table(db, "child_circumstance", (
            "child_id", "code", "start_date", "end_date", "note"))
        self.supports = _Table(db, "support", ("child_id", "form", "date", "note"))
        self.events = _Table(db, "workflow_event", ("child_id", "state", "at", "by_id", "note"))

    def prepare(self, row: Mapping[str, Any], cleaned: libchild.Cleaned | None = None
                ) -> Prepared:
        """``row`` validated as :meth:`add` stores it (depends on the register's
        settings and the day only, not on what it holds)."""
        return prepare_child(row, on=self.today, defaults=self.defaults, cleaned=cleaned)

    def _village(self, row: Mapping[str, Any], prepared: Prepared) -> int | None:
        columns = prepared.columns
        village_id = row.get("village_id")
        if village_id is None and columns["village"]:
            village_id = self.village_of.get(columns["village"], 0)
            if village_id == 0:  # first time this spelling is seen
                village_id = self.villages.get(fold(columns["village"]), (None, None))[0]
                self.village_of[columns["village"]] = village_id
        if village_id is not None and village_id in self.names_by_id:
            columns["village"] = self.names_by_id[village_id]  # the list's spelling
        elif village_id is not None:  # not a village of the list: flagged, never a crash
            prepared.issues.append(store_issue(
                "village.unknown", "village", village=columns["village"] or village_id))
            village_id = None
        return village_id

    def add(self, row: Mapping[str, Any], cleaned: libchild.Cleaned | None = None, *,
            prepared: Prepared | None = None) -> int | None:
        """Validate and queue one child; its id, or None when it is rejected.

        ``prepared`` is :meth:`prepare`'s result for ``row``, when it was computed
        elsewhere (another process)."""
        index = len(self.ids)
        if prepared is None:
            prepared = self.prepare(row, cleaned)
        village_id = self._village(row, prepared)
        columns = prepared.columns
        pid = columns["personal_id"]
        if pid and pid in self.taken:
            prepared.issues.append(store_issue("personal_id.taken", "personal_id", other=pid))
        errors = prepared.errors
        if errors and not self.allow_errors:
            self.rejected.append((index, tuple(prepared.issues)))
            self.ids.append(None)
            return None
        if pid:
            self.taken.add(pid)
        child_id = self.new_ids.take()
        self.ids.append(child_id)
        at, user_id = self.at, self.user_id
        state = row.get("state") or (
            RecordState.NEEDS_FIXING if any(i.code in self.step3 for i in prepared.issues)
            else RecordState.ENTERED)
        self.children.rows.append((
            child_id, *(columns[k] for k in CHILD_FIELDS), name_key(columns["full_name"]),
            row.get("household_id"), village_id, issues_to_json(prepared.issues),
            int(bool(errors)), int(any(i.severity == "warning" for i in prepared.issues)),
            state, 1, at, user_id, at, user_id,
        ))
        self.circumstances.rows.extend(
            (child_id, c["code"], c["start"] or at[:10], c["end"], c["note"])
            for c in prepared.circumstances)
        self.supports.rows.extend((child_id, s["form"], s["date"], s["note"])
                                  for s in prepared.supports)
        self.events.rows.append((child_id, RecordState.ENTERED, at, user_id, ""))
        if state != RecordState.ENTERED:
            self.events.rows.append((child_id, state, at, user_id, ""))
        if len(self.children.rows) >= CHUNK:
            self.flush()
        return child_id

    def flush(self) -> None:
        """Write what is queued (children before the rows that refer to them)."""
        if self.before_flush is not None:
            self.before_flush()
        for table in (self.children, self.circumstances, self.supports, self.events):
            table.flush()
        fault_point("bulk.flushed")

    def finish(self) -> None:
        """Write the rest and audit the batch (count, id range, rows rejected)."""
        self.flush()
        stored = [i for i in self.ids if i is not None]
        if stored:
            audit.append(self.db, user_id=self.user_id, username=self.username,
                         action="import", entity="child", record_id=stored[0],
                         field="count", new={"count": len(stored), "first_id": stored[0],
                                             "last_id": stored[-1],
                                             "rejected": len(self.rejected)})

    def result(self) -> BulkResult:
        """The ids in input order and the rows rejected."""
        return BulkResult(tuple(self.ids), tuple(self.rejected))
