"""Failed logins as stored: one row per (user name, source) in ``login_delay``.

The key is a SHA-256 of the typed user name and the source, so what strangers type at
the login prompt is not kept in clear. Rows exist for unknown names too: the delay, and
the work done on a failure, are the same whether the account exists or not. The rule
(how long to wait) is ``tui.services.accounts``'s; this module only reads and writes.
"""

from __future__ import annotations

import hashlib

import attrs
import peewee

from tui.store.database import run

__all__ = ["Failures", "clear", "key_of", "read", "record"]


@attrs.frozen
class Failures:
    """Consecutive failed logins of one key and the time of the last (ISO text)."""

    count: int
    last: str


def key_of(username: str, source: str) -> str:
    """The stored key of ``username`` tried from ``source``."""
    return hashlib.sha256(f"{username}\x1f{source}".encode()).hexdigest()


def read(db: peewee.Database, key: str) -> Failures | None:
    """The failures recorded under ``key``, or None."""
    row = run(db, 'SELECT "failures", "last_failure" FROM "login_delay" WHERE "key" = ?',
              (key,)).fetchone()
    return Failures(int(row[0]), str(row[1])) if row else None


def record(db: peewee.Database, key: str, at: str) -> int:
    """Count one more failure under ``key`` at ``at`` (inside a write transaction); the
    new count."""
    found = read(db, key)
    if found is None:
        run(db, 'INSERT INTO "login_delay" ("key", "failures", "last_failure") '
                "VALUES (?, 1, ?)", (key, at))
        return 1
    run(db, 'UPDATE "login_delay" SET "failures" = ?, "last_failure" = ? WHERE "key" = ?',
        (found.count + 1, at, key))
    return found.count + 1


def clear(db: peewee.Database, key: str) -> None:
    """Forget the failures under ``key`` (a successful login; inside a write transaction)."""
    run(db, 'DELETE FROM "login_delay" WHERE "key" = ?', (key,))
