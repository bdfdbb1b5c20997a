"""The append-only, tamper-evident audit log.

Every entry carries ``hash = sha256(prev_hash + canonical JSON of the entry)``, chained to
the entry before it; a one-row seal keeps the last id and hash so that removing the newest
entries is noticed too. SQLite triggers refuse UPDATE and DELETE on the table as a second
line. ``verify`` recomputes the chain and reports edited, deleted and reordered entries.
Personal data stays in the database: nothing here writes to Python logs.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import peewee

from tui.messages import core as msg
from tui.store.clock import now_iso
from tui.store.database import run_many

__all__ = ["GENESIS", "append", "append_many", "count", "entries_for", "last_entry", "recent",
           "verify"]

GENESIS = "0" * 64

_FIELDS = ("id", "at", "user_id", "username", "action", "entity", "record_id", "field",
           "old", "new")


#: The entry's fields (JSON key, name) in the order ``json.dumps(..., sort_keys=True)`` uses.
_SORTED_FIELDS = tuple((f'"{k}":', k) for k in sorted(_FIELDS))
_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def encode_value(value: Any) -> str | None:
    """Store a field value as canonical JSON text (None stays None)."""
    if value is None:
        return None
    if value.__class__ is str:  # most values: the same text as json.dumps, much cheaper
        return _json_string(value)
    if value.__class__ is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _scalar(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for the values an entry holds."""
    if value.__class__ is str:
        return _json_string(value)
    if value is None:
        return "null"
    if value.__class__ is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(prev_hash: str, row: dict[str, Any]) -> str:
    """sha256 of ``prev_hash`` + the entry as compact, key-sorted JSON.

    The JSON is built field by field (the same bytes as ``json.dumps(row,
    ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, which a test checks):
    the hash of every stored entry depends on it.
    """
    payload = "{" + ",".join([key + _scalar(row[name]) for key, name in _SORTED_FIELDS]) + "}"
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _seal(db: peewee.SqliteDatabase) -> tuple[int, str]:
    row = db.execute_sql('SELECT last_id, last_hash FROM audit_seal WHERE id = 1').fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(
    db: peewee.SqliteDatabase,
    *,
    user_id: int | None,
    username: str,
    action: str,
    entity: str = "",
    record_id: int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> int:
    """Append one entry; call inside ``write_tx`` (the seal is read under the write lock).

    ``old`` and ``new`` are JSON-encoded. Returns the entry id.
    """
    return append_many(db, [{
        "user_id": user_id, "username": username, "action": action, "entity": entity,
        "record_id": record_id, "field": field, "old": old, "new": new,
    }])


def append_many(db: peewee.SqliteDatabase, entries: list[dict[str, Any]]) -> int:
    """Append several entries (keys as ``append``'s arguments) in order; the last id.

    One seal read, one ``executemany`` and one seal write, however many entries: a save
    that changes twenty fields stays cheap. Call inside ``write_tx``.
    """
    last_id, last_hash = _seal(db)
    at = now_iso()
    values = []
    for entry in entries:
        last_id += 1
        row = {
            "id": last_id,
            "at": at,
            "user_id": entry.get("user_id"),
            "username": entry.get("username") or "",
            "action": entry["action"],
            "entity": entry.get("entity") or "",
            "record_id": entry.get("record_id"),
            "field": entry.get("field"),
            "old": encode_value(entry.get("old")),
            "new": encode_value(entry.get("new")),
        }
        digest = _digest(last_hash, row)
        values.append((*[row[k] for k in _FIELDS], last_hash, digest))
        last_hash = digest
    if not values:
        return last_id
    run_many(
        db, 'INSERT INTO audit_entry (id, at, user_id, username, action, entity, record_id, '
        '"field", old, new, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)', values)
    db.execute_sql(
        "INSERT INTO audit_seal (id, last_id, last_hash) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
        (last_id, last_hash),
    )
    return last_id


def entries_for(db: peewee.SqliteDatabase, entity: str, record_id: int) -> list[dict[str, Any]]:
    """The audit entries of one record, oldest first, values decoded."""
    cursor = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new '
        "FROM audit_entry WHERE entity = ? AND record_id = ? ORDER BY id",
        (entity, record_id),
    )
    return [_decoded(values) for values in cursor.fetchall()]


def _decoded(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(_FIELDS, values, strict=True))
    for key in ("old", "new"):
        row[key] = json.loads(row[key]) if row[key] is not None else None
    return row


def recent(db: peewee.SqliteDatabase, *, entity: str | None = None,
           record_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The newest ``limit`` entries (of one record when given), oldest first, decoded."""
    where, params = "", ()
    if entity is not None:
        where, params = "WHERE entity = ? AND record_id = ?", (entity, record_id)
    cursor = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new '
        f"FROM audit_entry {where} ORDER BY id DESC LIMIT ?", (*params, max(1, int(limit))))
    return [_decoded(values) for values in reversed(cursor.fetchall())]


def last_entry(db: peewee.SqliteDatabase, entity: str, record_id: int,
               action: str) -> dict[str, Any] | None:
    """The newest entry of ``action`` on a record, decoded, or None."""
    row = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new '
        "FROM audit_entry WHERE entity = ? AND record_id = ? AND action = ? "
        "ORDER BY id DESC LIMIT 1", (entity, record_id, action)).fetchone()
    return _decoded(row) if row else None


def count(db: peewee.SqliteDatabase) -> int:
    """How many entries the log holds."""
    return int(db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0])


def verify(db: peewee.SqliteDatabase) -> list[str]:
    """Recompute the chain; return the problems found (Vietnamese), empty when intact."""
    problems: list[str] = []
    running, last_id = GENESIS, 0
    cursor = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new, '
        "prev_hash, hash FROM audit_entry ORDER BY id"
    )
    for values in cursor:
        row = dict(zip(_FIELDS, values[:10], strict=True))
        prev_hash, stored = values[10], values[11]
        if _digest(prev_hash, row) != stored:
            problems.append(msg.AUDIT_EDITED.format(entry_id=row["id"]))
        if prev_hash != running:
            if row["id"] != last_id + 1:
                problems.append(msg.AUDIT_DELETED.format(entry_id=row["id"]))
            else:
                problems.append(msg.AUDIT_REORDERED.format(entry_id=row["id"]))
        elif row["id"] != last_id + 1:
            problems.append(msg.AUDIT_DELETED.format(entry_id=row["id"]))
        running, last_id = stored, row["id"]
    seal_id, seal_hash = _seal(db)
    if (seal_id, seal_hash) != (last_id, running):
        problems.append(msg.AUDIT_TAIL_DELETED.format(entry_id=seal_id))
    return problems
