"""Drafts: unsaved form state, stored within a second of each change.

``save_draft`` is one small upsert in its own committed transaction (WAL, so it survives
``kill -9`` of the process and a dropped SSH link); ``pending_drafts`` offers them back at
the user's next login; ``discard_draft`` forgets one once the record is saved.

Every write bumps the draft's ``version`` and records its ``writer`` (the stamp of the
session that wrote it). A form that tracks the version it last wrote or loaded writes with
``save_draft_if``: refused when the stored version has moved on, so that a session that
has fallen behind (the old SSH session of a dropped link, still alive while the officer
has reconnected and typed more) can never overwrite the newer draft. A discarded draft
stays as an empty row (``payload`` null) so that its version never goes back: a stale
session cannot mistake a later draft of the same form for the one it knew.
"""

from __future__ import annotations

import json
from typing import Any

import peewee

from tui.store import tenancy
from tui.store.clock import now_iso
from tui.store.database import write_tx

__all__ = [
    "discard_draft",
    "discard_draft_if",
    "draft_version",
    "load_draft",
    "pending_drafts",
    "save_draft",
    "save_draft_if",
]

_EMPTY = "null"  # the payload of a discarded draft


def _commune(db: peewee.Database) -> str:
    """The commune a person's drafts are kept under: the bound commune, or for a province
    session the province's (``tenancy.PROVINCE_CHAIN``: a province officer's typing mode
    is a draft too)."""
    return tenancy.current(db).commune or tenancy.PROVINCE_CHAIN


def _here(db: peewee.Database) -> str:
    """The commune condition of the hand-written SQL below, parameter :func:`_commune`."""
    return " AND commune = ?"


def _version(db: peewee.SqliteDatabase, user_id: int, key: str) -> int | None:
    row = db.execute_sql(f"SELECT version FROM draft WHERE user_id = ? AND key = ?{_here(db)}",
                         (user_id, key, _commune(db))).fetchone()
    return int(row[0]) if row else None


def _write(db: peewee.SqliteDatabase, user_id: int, key: str, text: str, writer: str,
           current: int | None) -> int:
    """Inside a write transaction: store ``text`` as the next version; that version."""
    if current is None:
        db.execute_sql(
            "INSERT INTO draft (user_id, key, payload, updated_at, version, writer, commune) "
            "VALUES (?, ?, ?, ?, 1, ?, ?)",
            (user_id, key, text, now_iso(), writer, _commune(db)))
        return 1
    db.execute_sql(
        "UPDATE draft SET payload = ?, updated_at = ?, version = ?, writer = ? "
        f"WHERE user_id = ? AND key = ?{_here(db)}",
        (text, now_iso(), current + 1, writer, user_id, key, _commune(db)))
    return current + 1


def save_draft(db: peewee.SqliteDatabase, user_id: int, key: str, payload: Any,
               writer: str = "") -> int:
    """Store ``payload`` (JSON-serialisable) as the user's draft ``key``, replacing any;
    the new version."""
    text = json.dumps(payload, ensure_ascii=False, default=str)
    with write_tx(db):
        return _write(db, user_id, key, text, writer, _version(db, user_id, key))


def save_draft_if(db: peewee.SqliteDatabase, user_id: int, key: str, payload: Any, *,
                  base: int, writer: str) -> int | None:
    """Store ``payload`` only if the stored version is still ``base`` (0: no draft yet);
    the new version, or None (nothing written) when another session wrote since."""
    text = json.dumps(payload, ensure_ascii=False, default=str)
    with write_tx(db):
        current = _version(db, user_id, key)
        if (current or 0) != base:
            return None
        return _write(db, user_id, key, text, writer, current)


def draft_version(db: peewee.SqliteDatabase, user_id: int, key: str) -> int:
    """The stored version of draft ``key`` (0 when it was never written)."""
    return _version(db, user_id, key) or 0


def load_draft(db: peewee.SqliteDatabase, user_id: int, key: str) -> Any | None:
    """The payload of one draft, or None."""
    row = db.execute_sql(f"SELECT payload FROM draft WHERE user_id = ? AND key = ?{_here(db)}",
                         (user_id, key, _commune(db))).fetchone()
    return json.loads(row[0]) if row else None


def pending_drafts(db: peewee.SqliteDatabase, user_id: int) -> list[dict[str, Any]]:
    """The user's drafts, newest first:
    ``{"key", "payload", "updated_at", "version", "writer"}`` (discarded ones left out)."""
    rows = db.execute_sql(
        "SELECT key, payload, updated_at, version, writer FROM draft "
        f"WHERE user_id = ? AND payload != ?{_here(db)} ORDER BY updated_at DESC, id DESC",
        (user_id, _EMPTY, _commune(db))).fetchall()
    return [{"key": r[0], "payload": json.loads(r[1]), "updated_at": r[2],
             "version": int(r[3]), "writer": r[4]} for r in rows]


def discard_draft(db: peewee.SqliteDatabase, user_id: int, key: str) -> None:
    """Forget a draft (after saving or when the user declines it); its version stays."""
    with write_tx(db):
        current = _version(db, user_id, key)
        if current is not None:
            _write(db, user_id, key, _EMPTY, "", current)


def discard_draft_if(db: peewee.SqliteDatabase, user_id: int, key: str, *, base: int,
                     writer: str) -> int | None:
    """Forget a draft only if its stored version is still ``base``; the new version, or
    None when another session wrote since (the newer draft is kept)."""
    with write_tx(db):
        current = _version(db, user_id, key)
        if (current or 0) != base:
            return None
        return _write(db, user_id, key, _EMPTY, writer, current) if current else 0
