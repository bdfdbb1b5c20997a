"""Bulk inserts for the demo generator and spreadsheet imports.

One ``BEGIN IMMEDIATE`` transaction and ``cursor.executemany`` per table (peewee's
``insert_many`` is about 15 times slower here). Children keep the same invariants as
a save through ``tui.services.children``: validated by libchild, ``name_folded``
filled, issues stored, an ``entered`` workflow event, one ID number per child. The
import itself is audited as one entry per call (count and id range), not one per field:
the rows are the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Sized
from datetime import date
from typing import Any

import attrs
import peewee

import libchild
from libchild.gcpause import paused_gc
from libchild.issues import Issue
from libchild.text.fold import fold
from tui.domain import Poverty, RecordState
from tui.review_rules import step3_codes
from tui.store import audit, settings, tenancy
from tui.store.children import LIVING
from tui.store.clock import now_iso
from tui.store.database import is_postgres, run_many, write_tx
from tui.store.models import Child
from tui.store.records import CHILD_FIELDS, issues_to_json, name_key, prepare_child, store_issue

__all__ = ["BulkResult", "insert_children_bulk", "insert_households_bulk", "insert_villages"]

_CHILD_COLUMNS = (
    "id", *CHILD_FIELDS, "name_folded", "household_id", "village_id", "issues", "has_error",
    "has_warning", "state", "version", "created_at", "created_by", "updated_at", "updated_by",
    "commune",
)
_CHILD_INSERT = (
    "INSERT INTO child (" + ", ".join(f'"{c}"' for c in _CHILD_COLUMNS) + ") VALUES ("
    + ", ".join("?" for _ in _CHILD_COLUMNS) + ")"
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
        self.db, self.table, self.block = db, table, max(1, block or CHUNK)
        self.pool: list[int] = []
        self.next: int | None = None

    def take(self) -> int:
        """The next new id."""
        if is_postgres(self.db):
            if not self.pool:
                self.pool = sorted((row[0] for row in self.db.execute_sql(
                    f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) "
                    "FROM generate_series(1, %s)", (self.block,)).fetchall()), reverse=True)
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
    at = now_iso()
    commune = tenancy.stamp(db)
    with write_tx(db):
        new_ids = _NewIds(db, "household", len(rows))
        ids = [new_ids.take() for _ in rows]
        run_many(
            db, "INSERT INTO household (id, book_number, village_id, address, poverty, version, "
            "created_at, created_by, updated_at, updated_by, commune) "
            "VALUES (?,?,?,?,?,1,?,?,?,?,?)",
            [(hid, str(r["book_number"]), r.get("village_id"), r.get("address") or "",
              r.get("poverty") or Poverty.NONE, at, user_id, at, user_id, commune)
             for hid, r in zip(ids, rows, strict=True)])
        run_many(
            db, "INSERT INTO caregiver (household_id, personal_id, full_name, relation, "
            "commune) VALUES (?, ?, ?, ?, ?)",
            [(hid, c.get("personal_id"), c.get("full_name") or c.get("name") or "",
              c.get("relation") or "guardian", commune)
             for hid, r in zip(ids, rows, strict=True) for c in r.get("caregivers") or ()])
        if rows:
            audit.append(db, user_id=user_id, username=username, action="import",
                         entity="household", record_id=ids[0], field="count",
                         new={"count": len(rows), "first_id": ids[0], "last_id": ids[-1]})
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
    """
    today = on or date.today()
    defaults = _settings(db)
    with paused_gc():
        return _insert_children(db, rows, user_id, username, allow_errors, today, defaults,
                                cleaned)


#: Rows validated and written per ``executemany`` inside the one transaction: what a
#: bulk insert holds at a time, instead of every prepared row of the call.
CHUNK = 5000


def _insert_children(db: peewee.SqliteDatabase, rows: Iterable[Mapping[str, Any]],
                     user_id: int | None, username: str, allow_errors: bool, today: date,
                     defaults: dict[str, Any],
                     cleaned: Sequence[libchild.Cleaned] | None = None) -> BulkResult:
    at = now_iso()
    commune = tenancy.stamp(db)
    villages = {r[1]: (r[0], r[2]) for r in db.execute_sql(
        "SELECT id, name_folded, name FROM village WHERE commune_code = ?", (commune,))}
    names_by_id = {vid: name for vid, name in villages.values()}
    village_of: dict[str, int | None] = {}
    rejected: list[tuple[int, tuple[Issue, ...]]] = []
    ids: list[int | None] = []
    child_values: list[tuple[Any, ...]] = []
    circ_values: list[tuple[Any, ...]] = []
    supp_values: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []

    def flush() -> None:
        run_many(db, _CHILD_INSERT, child_values)
        run_many(
            db, "INSERT INTO child_circumstance (child_id, code, start_date, end_date, note, "
            "commune) VALUES (?, ?, ?, ?, ?, ?)", circ_values)
        run_many(db, "INSERT INTO support (child_id, form, date, note, commune) "
                 "VALUES (?,?,?,?,?)", supp_values)
        run_many(db, "INSERT INTO workflow_event (child_id, state, at, by_id, note, commune) "
                 "VALUES (?, ?, ?, ?, ?, ?)", events)
        for values in (child_values, circ_values, supp_values, events):
            values.clear()

    with write_tx(db):
        taken = {r[0] for r in Child.select(Child.personal_id).where(
            LIVING & Child.personal_id.is_null(False)).tuples()}
        new_ids = _NewIds(db, "child", min(len(rows), CHUNK) if isinstance(rows, Sized)
                          else None)
        step3 = step3_codes()
        for index, row in enumerate(rows):
            prepared = prepare_child(row, on=today, defaults=defaults,
                                     cleaned=cleaned[index] if cleaned is not None else None)
            village_id = row.get("village_id")
            if village_id is None and prepared.columns["village"]:
                village_id = village_of.get(prepared.columns["village"], 0)
                if village_id == 0:  # first time this spelling is seen
                    village_id = villages.get(fold(prepared.columns["village"]),
                                              (None, None))[0]
                    village_of[prepared.columns["village"]] = village_id
            if village_id is not None and village_id in names_by_id:
                prepared.columns["village"] = names_by_id[village_id]  # the list's spelling
            elif village_id is not None:  # not a village of the list: flagged, never a crash
                prepared.issues.append(store_issue(
                    "village.unknown", "village",
                    village=prepared.columns["village"] or village_id))
                village_id = None
            pid = prepared.columns["personal_id"]
            if pid and pid in taken:
                prepared.issues.append(store_issue("personal_id.taken", "personal_id",
                                                   other=pid))
            errors = prepared.errors
            if errors and not allow_errors:
                rejected.append((index, tuple(prepared.issues)))
                ids.append(None)
                continue
            if pid:
                taken.add(pid)
            child_id = new_ids.take()
            ids.append(child_id)
            columns = prepared.columns
            state = row.get("state") or (
                RecordState.NEEDS_FIXING if any(i.code in step3 for i in prepared.issues)
                else RecordState.ENTERED)
            child_values.append((
                child_id, *(columns[k] for k in CHILD_FIELDS), name_key(columns["full_name"]),
                row.get("household_id"), village_id, issues_to_json(prepared.issues),
                int(bool(errors)), int(any(i.severity == "warning" for i in prepared.issues)),
                state, 1, at, user_id, at, user_id, commune,
            ))
            circ_values.extend(
                (child_id, c["code"], c["start"] or at[:10], c["end"], c["note"], commune)
                for c in prepared.circumstances)
            supp_values.extend((child_id, s["form"], s["date"], s["note"], commune)
                               for s in prepared.supports)
            events.append((child_id, RecordState.ENTERED, at, user_id, "", commune))
            if state != RecordState.ENTERED:
                events.append((child_id, state, at, user_id, "", commune))
            if len(child_values) >= CHUNK:
                flush()
        flush()
        stored = [i for i in ids if i is not None]
        if stored:
            audit.append(db, user_id=user_id, username=username, action="import",
                         entity="child", record_id=stored[0], field="count",
                         new={"count": len(stored), "first_id": stored[0],
                              "last_id": stored[-1], "rejected": len(rejected)})
    return BulkResult(tuple(ids), tuple(rejected))
