"""A consistent copy of the register while others keep writing (SQLite's online backup)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from tui.store.database import BUSY_TIMEOUT_S

__all__ = ["copy_database", "remove_database"]


def copy_database(source: Path, out: Path) -> int:
    """Copy the register ``source`` to the new file ``out`` (0600); the children copied.

    The whole copy is one step (``pages=-1``) inside one read transaction, so it is a
    consistent snapshot while other processes keep writing (WAL lets them). The copy is
    switched to a rollback journal so that it is one self-contained file, and checked
    with ``quick_check``. Raises ``FileExistsError`` when ``out`` exists, ``OSError`` or
    ``sqlite3.Error`` on failure (the partial copy is removed). The audit chain's key
    is copied beside it as ``<out>.key`` (0600).
    """
    fd = os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(out, 0o600)
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
        dst = sqlite3.connect(out)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
            if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check")
            children = int(dst.execute("SELECT count(*) FROM child").fetchone()[0])
        finally:
            dst.close()
            src.close()
        _copy_key(source, out)
        return children
    except BaseException:
        remove_database(out)
        raise


def _copy_key(source: Path, out: Path) -> None:
    """Copy the register's audit key beside the copy (``<out>.key``, 0600): a copy
    without its key can neither be verified nor written to."""
    try:
        key = Path(f"{source}.key").read_bytes()
    except FileNotFoundError:
        return  # a register made before audit keys: its key comes at its next write
    fd = os.open(f"{out}.key", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_database(path: Path) -> None:
    """Delete a database file with its WAL and shared-memory files and its audit key."""
    for suffix in ("", "-wal", "-shm", ".key"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
