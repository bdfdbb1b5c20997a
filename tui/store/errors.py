"""Exceptions of the storage layer, each carrying a Vietnamese message for the user.

Screens and the command line show ``str(exc)``; nothing here contains personal data.
"""

from __future__ import annotations

from typing import Any

from tui.messages import core as msg


class StoreError(Exception):
    """Base class: a fault the user can understand; ``str()`` is the Vietnamese message."""


class DatabaseMissing(StoreError):
    """The database file does not exist (and creating it was not asked for)."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_MISSING.format(path=path))
        self.path = path


class DatabaseCorrupt(StoreError):
    """The file is not an SQLite database, or its pages are malformed."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_CORRUPT.format(path=path))
        self.path = path


class NotOurDatabase(StoreError):
    """A valid SQLite file that does not carry the treem application id."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_NOT_OURS.format(path=path))
        self.path = path


class DatabaseTooNew(StoreError):
    """The schema version is newer than this program knows."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        super().__init__(msg.DB_TOO_NEW.format(path=path, found=found, supported=supported))
        self.path, self.found, self.supported = path, found, supported


class DatabaseLocked(StoreError):
    """Another process held the write lock for longer than we are willing to wait."""

    def __init__(self) -> None:
        super().__init__(msg.DB_LOCKED)


class DiskFull(StoreError):
    """SQLITE_FULL or ENOSPC: the write was rolled back, earlier data is intact."""

    def __init__(self) -> None:
        super().__init__(msg.DB_DISK_FULL)


class DatabaseReadOnly(StoreError):
    """The file or its directory cannot be written."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_READ_ONLY.format(path=path))
        self.path = path


class DiskIOError(StoreError):
    """SQLITE_IOERR: the operating system failed a read or write."""

    def __init__(self) -> None:
        super().__init__(msg.DB_IO_ERROR)


class NotFound(StoreError):
    """A record asked for by id does not exist."""


class PermissionDenied(StoreError):
    """The user's role does not allow the action."""

    def __init__(self, role: str, action: str, message: str | None = None) -> None:
        super().__init__(
            message
            or msg.PERMISSION_DENIED.format(
                role=msg.ROLE_NAMES.get(role, role), action=msg.ACTION_NAMES.get(action, action)
            )
        )
        self.role, self.action = role, action


class InvalidInput(StoreError):
    """Input the store refuses before touching the database (message says why)."""


class ValidationFailed(StoreError):
    """libchild found errors: nothing was saved. ``issues`` lists every issue found."""

    def __init__(self, issues: list[Any]) -> None:
        errors = [i for i in issues if getattr(i, "severity", "error") == "error"]
        super().__init__(msg.VALIDATION_FAILED.format(count=len(errors)))
        self.issues = list(issues)
        self.errors = errors


class Conflict(StoreError):
    """Someone saved the record after this user loaded it.

    ``mine`` is the data the user tried to save, ``theirs`` the record as now stored
    (a dict with ``version``, ``updated_by`` and ``updated_at``); nothing was written.
    """

    def __init__(self, mine: dict[str, Any], theirs: dict[str, Any], mine_version: int) -> None:
        super().__init__(
            msg.CONFLICT.format(
                user=theirs.get("updated_by_name") or "người khác",
                at=theirs.get("updated_at", ""),
                theirs=theirs.get("version"),
                mine=mine_version,
            )
        )
        self.mine, self.theirs, self.mine_version = mine, theirs, mine_version
