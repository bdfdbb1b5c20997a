"""The application's one exception hierarchy: every fault a person can understand.

``str(exc)`` is the Vietnamese message (texts in ``tui.messages.core``); nothing here holds
personal data beyond what the person typed. The store raises the database faults, the
services raise the refusals (permission, village, validation, conflict, accounts); the
screens and the command line catch :class:`TreemError` and show ``str(exc)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tui.messages import core as msg
from tui.messages.labels import PERMISSION_NAMES, ROLE_NAMES, name_of

__all__ = [
    "AccountLocked",
    "AuditKeyError",
    "AuditKeyMissing",
    "AuditKeyUnreadable",
    "AuditKeyWrong",
    "BackupFailed",
    "Conflict",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DiskFull",
    "DiskIOError",
    "InvalidInput",
    "LoginDelayed",
    "LoginFailed",
    "MigrationRefused",
    "NotFound",
    "NotOurDatabase",
    "PasswordChangeRequired",
    "PermissionDenied",
    "SessionExpired",
    "StaleDraft",
    "TreemError",
    "ValidationFailed",
]


class TreemError(Exception):
    """Base class: a fault the user can understand; ``str()`` is the Vietnamese message."""


# --- the database file -------------------------------------------------------------
class DatabaseMissing(TreemError):
    """The database file does not exist (and creating it was not asked for)."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_MISSING.format(path=path))
        self.path = path


class DatabaseCorrupt(TreemError):
    """The file is not an SQLite database, or its pages are malformed."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_CORRUPT.format(path=path))
        self.path = path


class NotOurDatabase(TreemError):
    """A valid SQLite file that does not carry the treem application id."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_NOT_OURS.format(path=path))
        self.path = path


class DatabaseTooNew(TreemError):
    """The schema version is newer than this program knows."""

    def __init__(self, path: str, found: int, supported: int) -> None:
        super().__init__(msg.DB_TOO_NEW.format(path=path, found=found, supported=supported))
        self.path, self.found, self.supported = path, found, supported


class DatabaseLocked(TreemError):
    """Another process held the write lock for longer than we are willing to wait."""

    def __init__(self) -> None:
        super().__init__(msg.DB_LOCKED)


class DiskFull(TreemError):
    """SQLITE_FULL or ENOSPC: the write was rolled back, earlier data is intact."""

    def __init__(self) -> None:
        super().__init__(msg.DB_DISK_FULL)


class DatabaseReadOnly(TreemError):
    """The file or its directory cannot be written."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.DB_READ_ONLY.format(path=path))
        self.path = path


class DiskIOError(TreemError):
    """SQLITE_IOERR: the operating system failed a read or write."""

    def __init__(self) -> None:
        super().__init__(msg.DB_IO_ERROR)


class AuditKeyError(TreemError):
    """The secret key of the audit chain is missing, unreadable or not this register's:
    the app refuses to write (an entry it cannot seal would break the chain)."""

    def __init__(self, template: str, path: str) -> None:
        super().__init__(template.format(path=path))
        self.path = path


class AuditKeyMissing(AuditKeyError):
    """The register was sealed with a key whose file is gone."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.AUDIT_KEY_MISSING, path)


class AuditKeyUnreadable(AuditKeyError):
    """The key file exists but cannot be read or is not a key."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.AUDIT_KEY_UNREADABLE, path)


class AuditKeyWrong(AuditKeyError):
    """The key file is another register's key (or a replaced one)."""

    def __init__(self, path: str) -> None:
        super().__init__(msg.AUDIT_KEY_WRONG, path)


class BackupFailed(TreemError):
    """A copy of the register could not be written (nothing was left at the target)."""

    def __init__(self, detail: str) -> None:
        super().__init__(msg.BACKUP_FAILED.format(detail=detail))


class MigrationRefused(TreemError):
    """``treem migrate`` wrote nothing: the target holds other data, the schemas differ,
    the source's audit log is broken, or the copy did not match (rolled back)."""


# --- refusals of an operation ------------------------------------------------------
class NotFound(TreemError):
    """A record asked for by id does not exist (or is outside the person's scope)."""


class PermissionDenied(TreemError):
    """The person's role (or village scope) does not allow the operation."""

    def __init__(self, role: str, permission: str, message: str | None = None) -> None:
        super().__init__(
            message
            or msg.PERMISSION_DENIED.format(role=name_of(ROLE_NAMES, role),
                                            action=name_of(PERMISSION_NAMES, permission))
        )
        self.role, self.permission = role, permission


class InvalidInput(TreemError):
    """Input refused before touching the database (the message says why)."""


class ValidationFailed(TreemError):
    """libchild (or the register) found errors: nothing was saved.

    ``issues`` lists every issue found; ``per_child`` (a household save) maps the position
    of each child with errors to its issues.
    """

    def __init__(self, issues: Sequence[Any],
                 per_child: Mapping[int, Sequence[Any]] | None = None) -> None:
        errors = [i for i in issues if getattr(i, "severity", "error") == "error"]
        super().__init__(msg.VALIDATION_FAILED.format(count=len(errors)))
        self.issues = list(issues)
        self.errors = errors
        self.per_child = {k: list(v) for k, v in (per_child or {}).items()}


class Conflict(TreemError):
    """Someone saved the record after this person loaded it; nothing was written.

    ``mine`` holds the values the person tried to save, ``theirs`` the record's values as
    now stored (both by field name), ``mine_version`` / ``theirs_version`` the versions,
    ``by`` and ``at`` who saved the newer one and when: ``at`` is given as stored (an ISO
    timestamp) and kept and shown as local ``dd/mm/yyyy hh:mm``, never raw.
    """

    def __init__(self, mine: Mapping[str, Any], theirs: Mapping[str, Any], *,
                 mine_version: int, theirs_version: int, by: str, at: str) -> None:
        # Imported here: tui.formatting loads rich, which most users of errors never need.
        from tui.formatting import when

        at = when(at)  # idempotent: a text already shown as dd/mm/yyyy hh:mm is kept
        super().__init__(msg.CONFLICT.format(user=by or msg.SOMEONE_ELSE, at=at,
                                             theirs=theirs_version, mine=mine_version))
        self.mine = dict(mine)
        self.theirs = dict(theirs)
        self.mine_version, self.theirs_version = mine_version, theirs_version
        self.by, self.at = by, at


# --- accounts ------------------------------------------------------------------------
class StaleDraft(TreemError):
    """Another session of the same person has written this draft since this form loaded
    or wrote it; nothing was written (the newer draft is kept)."""

    def __init__(self) -> None:
        super().__init__(msg.DRAFT_STALE)


class LoginFailed(TreemError):
    """Unknown user or wrong password (the message does not say which)."""

    def __init__(self) -> None:
        super().__init__(msg.LOGIN_FAILED)


class LoginDelayed(LoginFailed):
    """Too many failed logins of this name from this source: wait ``seconds`` (the same
    answer whether the account exists or not)."""

    def __init__(self, seconds: int) -> None:
        TreemError.__init__(self, msg.LOGIN_DELAYED.format(seconds=seconds))
        self.seconds = seconds


class AccountLocked(TreemError):
    """Too many wrong passwords (``minutes_left``), or disabled by an administrator."""

    def __init__(self, minutes_left: int | None) -> None:
        super().__init__(msg.ACCOUNT_DISABLED if minutes_left is None
                         else msg.ACCOUNT_LOCKED.format(minutes=minutes_left))
        self.minutes_left = minutes_left


class PasswordChangeRequired(TreemError):
    """The password was right but must be replaced (first login or reset)."""

    def __init__(self, user_id: int) -> None:
        super().__init__(msg.PASSWORD_CHANGE_REQUIRED)
        self.user_id = user_id


class SessionExpired(TreemError):
    """The session was idle too long; unlocking it with the password resumes it."""

    def __init__(self, minutes: int) -> None:
        super().__init__(msg.SESSION_EXPIRED.format(minutes=minutes))
        self.minutes = minutes
