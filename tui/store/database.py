"""Opening the register's SQLite file safely, and write transactions that never say "locked".

The database is one SQLite file shared by every staff session (one process each, over SSH).
``open_db`` turns on WAL, foreign keys, a busy timeout and ``synchronous=NORMAL``, creates new
files readable by their owner only (0600), checks that the file is a treem register and
migrates its schema. ``write_tx`` starts ``BEGIN IMMEDIATE`` so that two writers queue on the
lock instead of one failing at once, and retries the start for a while so that "database is
locked" never reaches a user; every SQLite fault is mapped to an exception with a Vietnamese
message (``tui.errors``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee

from tui.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DiskFull,
    DiskIOError,
    NotOurDatabase,
    TreemError,
)

__all__ = ["BUSY_TIMEOUT_S", "DB_ERRORS", "FULL_DISK_BYTES", "LOCK_WAIT_S", "is_disk_full",
           "is_postgres", "map_error", "open_db",
           "run", "run_many", "translate_errors", "write_tx"]

#: Seconds SQLite itself waits on a busy lock before reporting it.
BUSY_TIMEOUT_S = 5.0
#: How long a write waits for another process's write lock before ``DatabaseLocked``;
#: ``TREEM_LOCK_WAIT_S`` (seconds) overrides it, e.g. for a script that must not hang.
LOCK_WAIT_S = float(os.environ.get("TREEM_LOCK_WAIT_S") or 30.0)
#: The schema version from which tables carry their commune (many communes in one
#: database, issue 13).
TENANT_VERSION = 9

_SQLITE_HEADER = b"SQLite format 3\x00"

PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 1,  # NORMAL: safe against process crashes in WAL mode
    "busy_timeout": int(BUSY_TIMEOUT_S * 1000),
    "cache_size": -16000,  # 16 MB page cache per connection
    "temp_store": 2,  # memory
}


def _message_kind(exc: BaseException) -> str | None:
    text = str(exc).lower()
    if "file is not a database" in text or "malformed" in text:
        return "corrupt"
    if "database is locked" in text or "database table is locked" in text or "busy" in text:
        return "locked"
    if "database or disk is full" in text:
        return "full"
    if "readonly database" in text or "unable to open database" in text:
        return "readonly"
    if "disk i/o error" in text:
        return "io"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "full"
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "readonly"
    return None


def map_error(exc: BaseException, path: str = "") -> TreemError | None:
    """Return the user-facing ``TreemError`` for an SQLite/OS error, or None if unknown."""
    if isinstance(exc, TreemError):
        return exc
    kind = _message_kind(exc)
    if kind == "corrupt":
        return DatabaseCorrupt(path)
    if kind == "locked":
        return DatabaseLocked()
    if kind == "full":
        return DiskFull()
    if kind == "readonly":
        return DatabaseReadOnly(path)
    if kind == "io":
        return DiskIOError()
    return None


#: The exceptions of the database driver and the file system (``map_error`` names them).
DB_ERRORS = (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error, OSError)


@contextlib.contextmanager
def translate_errors(db: peewee.SqliteDatabase | None = None) -> Iterator[None]:
    """Re-raise known SQLite faults inside the block as ``TreemError`` subclasses."""
    try:
        yield
    except DB_ERRORS as exc:
        mapped = map_error(exc, str(getattr(db, "database", "")) if db is not None else "")
        if mapped is None:
            raise
        raise mapped from exc


def run(db: peewee.Database, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """Execute hand-written ``sql`` whose parameters are written ``?``; the cursor.

    The few statements of the hottest paths (a save: about ten statements; a search
    page) are written as text because building them with peewee's query builder costs
    0.2-0.3 ms each, which tripled the CPU time of a save. The ``?`` marks are turned into
    the database's own parameter style (``%s`` on PostgreSQL) by
    ``tui.store.postgres.RegisterDatabase``, once per statement.
    """
    return db.execute_sql(sql, params)


def run_many(db: peewee.Database, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """``executemany`` of hand-written ``sql`` (``?`` marks) over ``rows``."""
    if is_postgres(db):
        db.executemany(sql, rows)
    else:
        db.cursor().executemany(sql, rows)


def is_postgres(db: peewee.Database) -> bool:
    """True when ``db`` is the register on PostgreSQL."""
    return isinstance(db, peewee.PostgresqlDatabase)


def _is_locked(exc: BaseException) -> bool:
    return _message_kind(exc) == "locked"


@contextlib.contextmanager
def write_tx(db: peewee.SqliteDatabase, *, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """A write transaction: ``BEGIN IMMEDIATE``, commit on success, roll back on error.

    Taking the write lock at the start means a transaction never has to upgrade a read
    lock (which SQLite refuses at once with "database is locked" when another process
    writes). Getting the lock is retried with a short back-off for up to ``wait_s``
    seconds on top of SQLite's busy timeout; only then ``DatabaseLocked`` is raised.
    Nested calls become savepoints. Errors inside are mapped by ``translate_errors``.
    """
    if is_disk_full(db) and not _reopen_if_space(db):
        raise DiskFull()
    if db.in_transaction():
        with translate_errors(db), db.atomic():
            yield
        return
    if is_postgres(db):
        from tui.store.postgres import WRITE_LOCK
        from tui.store.tenancy import lock_key

        with translate_errors(db), db.atomic():
            # One writer at a time per commune, as SQLite's BEGIN IMMEDIATE is for a
            # commune's file: the commune's audit seal, book numbers and ID numbers are
            # read and written under it; communes of one database do not wait for each
            # other (schema v9; ids come from the tables' identities).
            db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)",
                           (WRITE_LOCK, lock_key(db)))
            yield
        return
    tx = _begin_immediate(db, wait_s)
    with translate_errors(db):
        try:
            yield
        except BaseException:
            _finish(db, tx, commit=False)
            raise
        _finish(db, tx, commit=True)


def _begin_immediate(db: peewee.SqliteDatabase, wait_s: float) -> Any:
    """Enter a ``BEGIN IMMEDIATE`` transaction, polling for the write lock.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... ms between tries and is
    not woken when the lock frees, so a short wait often becomes tens of milliseconds.
    Here the busy timeout is off while taking the lock and we poll every 0.3-2 ms
    instead, up to ``wait_s`` seconds; then ``DatabaseLocked``.
    """
    deadline = time.monotonic() + wait_s
    delay = 0.0003
    db.execute_sql("PRAGMA busy_timeout = 0")
    try:
        while True:
            tx = db.transaction("IMMEDIATE")
            try:
                tx.__enter__()
                return tx
            except DB_ERRORS as exc:
                if _is_locked(exc) and time.monotonic() < deadline:
                    time.sleep(delay)
                    delay = min(delay * 1.5, 0.002)
                    continue
                raise map_error(exc, str(db.database)) or exc from exc
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def _finish(db: peewee.SqliteDatabase, tx: Any, *, commit: bool) -> None:
    """Commit or roll back ``tx``; SQLite may already have rolled back (e.g. SQLITE_FULL)."""
    try:
        if commit:
            try:
                db.commit()
            except BaseException:
                if db.connection().in_transaction:
                    db.rollback()
                raise
        elif db.connection().in_transaction:
            db.rollback()
    finally:
        db.pop_transaction()


def _create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 (umask tightened while creating)."""
    old = os.umask(0o077)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    finally:
        os.umask(old)


def _tighten_modes(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{path}{suffix}")
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(target, 0o600)


def _check_header(path: Path) -> bool:
    """True for an empty file, False for a non-empty SQLite file; raise if not SQLite."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except PermissionError as exc:
        raise DatabaseReadOnly(str(path)) from exc
    except OSError as exc:
        raise DatabaseCorrupt(str(path)) from exc
    if not head:
        return True
    if head != _SQLITE_HEADER:
        raise DatabaseCorrupt(str(path))
    return False


def _inspect_readonly(path: Path) -> None:
    """Check the application id through a read-only connection (the file is not modified)."""
    from tui.store import schema  # here, not at the top: schema imports this module

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise map_error(exc, str(path)) or DatabaseCorrupt(str(path)) from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != schema.APPLICATION_ID:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            raise NotOurDatabase(str(path))
    except sqlite3.Error as exc:
        raise map_error(exc, str(path)) or DatabaseCorrupt(str(path)) from exc
    finally:
        conn.close()


#: Below this many free bytes in the register's folder, a failed open is a full disk.
FULL_DISK_BYTES = 1 << 20


def is_disk_full(db: peewee.Database) -> bool:
    """True for a register opened read-only because its disk is full (every write raises
    ``DiskFull``)."""
    return bool(getattr(db, "disk_full", False))


def _open_on_full_disk(target: Path) -> peewee.Database:
    """The register opened read-only (SQLite ``immutable``) when its disk is too full for
    the WAL's shared-memory file, so that login, viewing, backup, ``audit --verify`` and
    exports to another disk still work. Refused (``DiskFull``) when a write-ahead log
    holds data (immutable would not read it) or the schema needs a migration."""
    from tui.store import models, schema, tenancy  # here: schema imports this module

    wal = Path(f"{target}-wal")
    if shutil.disk_usage(target.parent).free >= FULL_DISK_BYTES:
        raise DiskIOError()
    if wal.exists() and wal.stat().st_size > 0:
        raise DiskFull()
    pragmas = {k: v for k, v in PRAGMAS.items() if k != "journal_mode"}
    db = peewee.SqliteDatabase(f"{target.resolve().as_uri()}?immutable=1", uri=True,
                               pragmas=pragmas, timeout=BUSY_TIMEOUT_S)
    with translate_errors(db):
        try:
            db.connect()
            schema.check_ours(db, allow_new=False)
            if schema.version(db) != schema.SCHEMA_VERSION:
                raise DiskFull()
            models.bind(db)
            tenancy.bind_default(db)
        except BaseException:
            if not db.is_closed():
                db.close()
            raise
    db.disk_full = True  # type: ignore[attr-defined]
    db.full_disk_path = target  # type: ignore[attr-defined]
    return db


def _reopen_if_space(db: peewee.SqliteDatabase) -> bool:
    """Reopen a register opened on a full disk for writing, once space has returned; True
    when it is writable again."""
    target: Path = db.full_disk_path  # type: ignore[attr-defined]
    if shutil.disk_usage(target.parent).free < FULL_DISK_BYTES:
        return False
    db.close()
    db.init(str(target), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_S)
    db.disk_full = False  # type: ignore[attr-defined]
    with translate_errors(db):
        db.connect(reuse_if_open=True)
    return True


def open_db(
    path: str | os.PathLike[str], *, create: bool = False, migrate: bool = True
) -> peewee.Database:
    """Open (or with ``create=True`` create) the register at ``path`` and bind the models.

    ``path`` is a file (SQLite, the default) or a ``postgresql://`` URL
    (``tui.store.postgres``): the choice of backend is configuration only.

    Raises ``DatabaseMissing``, ``DatabaseCorrupt``, ``NotOurDatabase``, ``DatabaseTooNew``,
    ``DatabaseReadOnly`` or ``DiskFull``, each with a Vietnamese message; the file is never
    modified when it is not ours or corrupt. The models of ``tui.store.models`` are bound
    to the returned database (one open register per process at a time).
    """
    from tui.store import models, schema, tenancy  # here: schema imports this module
    from tui.store.postgres import is_url, open_pg

    if is_url(path):
        return open_pg(str(path), create=create)
    target = Path(path)
    created = False
    if not target.exists():
        if not create:
            raise DatabaseMissing(str(target))
        try:
            _create_private_file(target)
        except FileNotFoundError as exc:
            raise DatabaseMissing(str(target)) from exc
        except PermissionError as exc:
            raise DatabaseReadOnly(str(target)) from exc
        except OSError as exc:
            raise map_error(exc, str(target)) or exc from exc
        created = True
    empty = _check_header(target)
    if empty and not create:
        raise NotOurDatabase(str(target))

    if not empty:
        try:
            _inspect_readonly(target)  # never touch (not even WAL mode) a file that is not ours
        except (DiskIOError, DiskFull):
            return _open_on_full_disk(target)
    db = peewee.SqliteDatabase(str(target), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_S)
    with translate_errors(db):
        try:
            db.connect()
            schema.check_ours(db, allow_new=empty)
            models.bind(db)
            if migrate or empty:
                schema.migrate(db)
            if schema.version(db) >= TENANT_VERSION:
                tenancy.bind_default(db)
        except BaseException:
            if not db.is_closed():
                db.close()
            if created:  # a half-made register is not left behind (e.g. a full disk)
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        Path(f"{target}{suffix}").unlink()
            raise
    if created or empty:
        _tighten_modes(target)
    return db
