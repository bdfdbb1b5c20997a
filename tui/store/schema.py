"""Schema marker and version: ``PRAGMA application_id`` says "this is a treem register",
``PRAGMA user_version`` says which migration step it is at.
"""

from __future__ import annotations

import peewee

from tui.errors import DatabaseTooNew, NotOurDatabase
from tui.store.migrations import MIGRATIONS

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "check_ours", "migrate", "version"]

#: "TrEm" as a 32-bit big-endian integer; written in the file header at offset 68.
APPLICATION_ID = 0x5472456D
#: The version this program writes; ``migrate`` brings older files up to it.
SCHEMA_VERSION = len(MIGRATIONS)


def _pragma(db: peewee.Database, name: str) -> int:
    if isinstance(db, peewee.PostgresqlDatabase):  # tui.store.postgres keeps them in a table
        column = "application_id" if name == "application_id" else "version"
        row = db.execute_sql(f"SELECT {column} FROM treem_schema").fetchone()
        return int(row[0]) if row else 0
    return int(db.execute_sql(f"PRAGMA {name}").fetchone()[0])


def version(db: peewee.SqliteDatabase) -> int:
    """The file's schema version (0 for a new, empty file)."""
    return _pragma(db, "user_version")


def check_ours(db: peewee.SqliteDatabase, *, allow_new: bool = False) -> None:
    """Raise ``NotOurDatabase`` unless the file carries our application id.

    ``allow_new`` accepts a file with no tables at all (one we are about to initialise).
    Raise ``DatabaseTooNew`` when its schema is newer than this program.
    """
    app_id = _pragma(db, "application_id")
    if app_id != APPLICATION_ID:
        tables = db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if not (allow_new and app_id == 0 and tables == 0):
            raise NotOurDatabase(str(db.database))
        return
    found = version(db)
    if found > SCHEMA_VERSION:
        raise DatabaseTooNew(str(db.database), found, SCHEMA_VERSION)


def migrate(db: peewee.SqliteDatabase, *, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migration steps up to ``target`` in one transaction; return it.

    Safe to call from several processes at once: the version is re-read under the
    write lock, so each step runs exactly once.
    """
    from tui.store.database import write_tx  # here: database imports this module

    if version(db) >= target and _pragma(db, "application_id") == APPLICATION_ID:
        return version(db)
    with write_tx(db):
        current = version(db)
        for step in range(current, target):
            for statement in MIGRATIONS[step]:
                db.execute_sql(statement)
        if current < target:
            db.execute_sql(f"PRAGMA user_version = {int(target)}")
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    return target
