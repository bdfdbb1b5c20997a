"""The commune this register belongs to, and its options (the one ``setting`` row)."""

from __future__ import annotations

from typing import Any

import peewee

from tui.store import audit
from tui.store.clock import now_iso
from tui.store.database import write_tx

__all__ = ["create_register", "get_settings", "initialize", "update_settings"]

_KEYS = ("commune_code", "commune_name", "province_code", "sandbox", "idle_timeout_min",
         "recheck_percent")


def initialize(db: peewee.SqliteDatabase, *, commune_code: str, commune_name: str,
               province_code: str, sandbox: bool = False, idle_timeout_min: int = 15,
               recheck_percent: int = 5) -> None:
    """Record the commune of a new register (``treem init`` / ``treem demo``); audited.

    The caller checks the commune against ``libchild.catalog`` first.
    """
    with write_tx(db):
        db.execute_sql(
            "INSERT INTO setting (id, commune_code, commune_name, province_code, sandbox, "
            "idle_timeout_min, recheck_percent, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            (commune_code, commune_name, province_code, int(sandbox), idle_timeout_min,
             recheck_percent, now_iso()))
        audit.append(db, user_id=None, username="", action="create", entity="setting",
                     record_id=1, new={"commune_code": commune_code, "sandbox": sandbox})


def get_settings(db: peewee.SqliteDatabase) -> dict[str, Any] | None:
    """The settings as a dict (``sandbox`` a bool), or None before ``initialize``."""
    row = db.execute_sql("SELECT " + ", ".join(_KEYS) + " FROM setting WHERE id = 1").fetchone()
    if row is None:
        return None
    out = dict(zip(_KEYS, row, strict=True))
    out["sandbox"] = bool(out["sandbox"])
    return out


def update_settings(db: peewee.SqliteDatabase, by: Any, **changes: Any) -> None:
    """Change idle timeout, re-check percentage or names (administrator); audited."""
    from tui.store.accounts import require

    require(by, "manage_settings")
    fixed = set(changes) - {"commune_name", "idle_timeout_min", "recheck_percent"}
    if fixed:  # a programming error, not user input: the commune and sandbox flag are fixed
        raise ValueError(f"settings that cannot change: {sorted(fixed)}")
    with write_tx(db):
        old = get_settings(db) or {}
        for key, value in changes.items():
            db.execute_sql(f'UPDATE setting SET "{key}" = ? WHERE id = 1', (value,))
            audit.append(db, user_id=by.user_id, username=by.username, action="update",
                         entity="setting", record_id=1, field=key, old=old.get(key), new=value)


def create_register(path: Any, *, commune_code: str, commune_name: str, province_code: str,
                    sandbox: bool = False) -> peewee.SqliteDatabase:
    """Create a new register file (0600) for a commune and return it open.

    Raises ``FileExistsError`` if ``path`` already exists: an existing register is never
    re-initialised.
    """
    from pathlib import Path

    from tui.store.database import open_db

    if Path(path).exists():
        raise FileExistsError(str(path))
    db = open_db(path, create=True)
    initialize(db, commune_code=commune_code, commune_name=commune_name,
               province_code=province_code, sandbox=sandbox)
    return db
