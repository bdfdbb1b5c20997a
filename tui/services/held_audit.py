"""Audit entries of read actions kept in memory while the database's disk is full.

Decision (docs/decisions.md, "Read-only mode on a full disk"): logging in, viewing,
``backup`` to another disk, ``audit --verify`` and exports to another disk must work when
the register's disk is full, exactly when a backup is most needed. Their audit entries
cannot be written then; they are held here (with the time they happened in ``new``) and
written before the next entry once a write succeeds. A write action (a save, an import, a
police list) is refused as before (``DiskFull``): nothing is changed without its audit.
At most :data:`MAX_HELD` entries are held; beyond that read actions are refused too, so
that no audit entry is silently dropped. What a killed process held is lost: that is
the one gap, stated in docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from tui.errors import DatabaseReadOnly, DiskFull, DiskIOError
from tui.store import audit
from tui.store.clock import now_iso
from tui.store.database import write_tx

__all__ = ["MAX_HELD", "READ_ACTIONS", "UNWRITABLE", "append", "held", "write_held", "written"]

#: Actions that change nothing in the register: they may run while the disk is full.
READ_ACTIONS = frozenset({"login", "login_failed", "view", "export"})
#: The faults of a database that cannot be written (its disk full, or opened read-only
#: because of that).
UNWRITABLE = (DiskFull, DatabaseReadOnly, DiskIOError)
MAX_HELD = 10_000

_held: list[dict[str, Any]] = []


def held() -> int:
    """How many entries wait in memory."""
    return len(_held)


def _stamped(entry: dict[str, Any]) -> dict[str, Any]:
    new = entry.get("new")
    return {**entry, "new": {"held_at": now_iso(), **(new if isinstance(new, dict)
                                                       else {"value": new})}}


def append(db: peewee.Database, entries: Sequence[dict[str, Any]]) -> None:
    """Write ``entries`` (after any held ones) in one transaction; when the disk is full
    and every entry is a read action, hold them instead. Raises the database fault for a
    write action, or when :data:`MAX_HELD` would be exceeded."""
    try:
        with write_tx(db):
            audit.append_many(db, [*_held, *entries])
    except UNWRITABLE:
        if (any(e["action"] not in READ_ACTIONS for e in entries)
                or len(_held) + len(entries) > MAX_HELD):
            raise
        _held.extend(_stamped(e) for e in entries)
        return
    _held.clear()


def write_held() -> list[dict[str, Any]]:
    """The held entries, to be written first inside the caller's transaction; call
    :func:`written` once it commits."""
    return list(_held)


def written(count: int) -> None:
    """Forget the first ``count`` held entries (they were committed)."""
    del _held[:count]
