"""Drafts: unsaved form state, stored within a second of each change.

``save_draft`` is one small upsert in its own committed transaction (WAL, so it survives
``kill -9`` of the process and a dropped SSH link); ``pending_drafts`` offers them back at
the user's next login; ``discard_draft`` removes one once the record is saved.
"""

from __future__ import annotations

import json
from typing import Any

import peewee

from tui.store.clock import now_iso
from tui.store.database import write_tx

__all__ = ["discard_draft", "load_draft", "pending_drafts", "save_draft"]


def save_draft(db: peewee.SqliteDatabase, user_id: int, key: str, payload: Any) -> None:
    """Store ``payload`` (JSON-serialisable) as the user's draft ``key``, replacing any."""
    text = json.dumps(payload, ensure_ascii=False, default=str)
    with write_tx(db):
        db.execute_sql(
            "INSERT INTO draft (user_id, key, payload, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(user_id, key) DO UPDATE SET payload = excluded.payload, "
            "updated_at = excluded.updated_at",
            (user_id, key, text, now_iso()),
        )


def load_draft(db: peewee.SqliteDatabase, user_id: int, key: str) -> Any | None:
    """The payload of one draft, or None."""
    row = db.execute_sql("SELECT payload FROM draft WHERE user_id = ? AND key = ?",
                         (user_id, key)).fetchone()
    return json.loads(row[0]) if row else None


def pending_drafts(db: peewee.SqliteDatabase, user_id: int) -> list[dict[str, Any]]:
    """The user's drafts, newest first: ``{"key", "payload", "updated_at"}``."""
    rows = db.execute_sql(
        "SELECT key, payload, updated_at FROM draft WHERE user_id = ? "
        "ORDER BY updated_at DESC, id DESC", (user_id,)).fetchall()
    return [{"key": r[0], "payload": json.loads(r[1]), "updated_at": r[2]} for r in rows]


def discard_draft(db: peewee.SqliteDatabase, user_id: int, key: str) -> None:
    """Forget a draft (after saving or when the user declines it)."""
    with write_tx(db):
        db.execute_sql("DELETE FROM draft WHERE user_id = ? AND key = ?", (user_id, key))
