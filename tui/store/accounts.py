"""Accounts, roles, passwords, login and idle sessions.

Roles (issue 3): administrator; officer (all data of the commune); collaborator (entry for
assigned villages only); police (the verification lists only); viewer (reports without
personal data); trainer (training databases only). Passwords are hashed with
``hashlib.scrypt`` (memory-hard, stdlib; n=2**14, r=8, p=1, 16-byte random salt) and
compared in constant time. Five wrong passwords lock an account for 15 minutes; the first
login forces a new password; a session locks after the commune's idle timeout.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import secrets
import time
from collections.abc import Iterable
from datetime import timedelta

import attrs
import peewee

from tui.messages import core as msg
from tui.store import audit
from tui.store.clock import now, now_iso, parse_iso
from tui.store.database import write_tx
from tui.store.errors import InvalidInput, NotFound, PermissionDenied, StoreError
from tui.store.models import Setting, User, UserVillage

__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILED_LOGINS",
    "MIN_PASSWORD_LENGTH",
    "PERMISSIONS",
    "ROLES",
    "AccountLocked",
    "LoginFailed",
    "PasswordChangeRequired",
    "Session",
    "SessionExpired",
    "can",
    "change_password",
    "create_user",
    "hash_password",
    "login",
    "require",
    "sandbox_session",
    "set_disabled",
    "verify_password",
]

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_USERNAME = re.compile(r"^[a-z0-9._]{3,32}$")

ROLES = ("administrator", "officer", "collaborator", "police", "viewer", "trainer")

_OFFICER = frozenset(
    {
        "view_personal", "edit_child", "delete_child", "merge_children", "decide_duplicates",
        "police_lists", "make_police_batch", "review", "recheck", "reports",
        "export_personal", "view_audit",
    }
)
#: What each role may do; ``can`` also applies village scope and the sandbox rule.
PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": _OFFICER
    | {"manage_users", "manage_villages", "manage_settings"},
    "officer": _OFFICER,
    "collaborator": frozenset({"view_personal", "edit_child"}),
    "police": frozenset({"police_lists"}),
    "viewer": frozenset({"reports"}),
    "trainer": _OFFICER | {"manage_users", "manage_villages"},
}


class LoginFailed(StoreError):
    """Unknown user or wrong password (the message does not say which)."""

    def __init__(self) -> None:
        super().__init__(msg.LOGIN_FAILED)


class AccountLocked(StoreError):
    """Too many wrong passwords, or disabled by an administrator."""

    def __init__(self, minutes_left: int | None) -> None:
        text = (
            msg.ACCOUNT_DISABLED
            if minutes_left is None
            else msg.ACCOUNT_LOCKED.format(minutes=minutes_left)
        )
        super().__init__(text)
        self.minutes_left = minutes_left


class PasswordChangeRequired(StoreError):
    """The password was right but must be replaced (first login or reset)."""

    def __init__(self, user_id: int) -> None:
        super().__init__(msg.PASSWORD_CHANGE_REQUIRED)
        self.user_id = user_id


class SessionExpired(StoreError):
    """The session was idle too long; ``Session.unlock(password)`` resumes it."""

    def __init__(self, minutes: int) -> None:
        super().__init__(msg.SESSION_EXPIRED.format(minutes=minutes))
        self.minutes = minutes


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) for ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=32)
    salt_text = base64.b64encode(salt).decode()
    digest_text = base64.b64encode(digest).decode()
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt_text}${digest_text}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt),
                                n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


#: A hash of a random secret, for unknown user names: made on first need, not at import
#: (otherwise one scrypt, 30-80 ms, delays every start). See ``_check_unknown_user``.
_dummy_hash: str | None = None


def _check_unknown_user(password: str) -> None:
    """Spend the time of one password check on a user name that does not exist.

    An unknown user and a wrong password must take the same time, or the login screen
    tells which names exist. Checking ``password`` against a dummy hash costs one scrypt;
    so does making that hash, which is why the first call makes it and checks nothing:
    every call, the first included, costs exactly one scrypt with the stored parameters.
    (Two threads failing at once may both make it; each still spends one scrypt.)
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_hex(8))
    else:
        verify_password(password, _dummy_hash)


@attrs.define
class Session:
    """A logged-in person. ``touch()`` before each action enforces the idle timeout.

    ``idle_timeout_s`` of None never expires (command line, sandbox without password).
    """

    user_id: int
    username: str
    full_name: str
    role: str
    villages: frozenset[int] = frozenset()
    idle_timeout_s: float | None = None
    last_active: float = attrs.field(factory=time.monotonic)
    expired: bool = False

    def touch(self) -> None:
        """Record activity now; raise ``SessionExpired`` if the session was idle too long."""
        moment = time.monotonic()
        if self.expired or (
            self.idle_timeout_s is not None and moment - self.last_active > self.idle_timeout_s
        ):
            self.expired = True
            raise SessionExpired(max(1, round((self.idle_timeout_s or 60) / 60)))
        self.last_active = moment

    def unlock(self, db: peewee.SqliteDatabase, password: str) -> None:
        """Resume an expired session with the same person's password."""
        user = User.get_or_none(User.id == self.user_id)
        if user is None or user.disabled:
            raise AccountLocked(None)
        if not verify_password(password, user.password_hash):
            _record_failure(db, user)
            raise LoginFailed()
        self.expired = False
        self.last_active = time.monotonic()


def can(user: Session | User, action: str, *, village_id: int | None = None) -> bool:
    """May ``user`` do ``action`` (a key of ``messages.core.ACTION_NAMES``)?

    With ``village_id``, a collaborator is allowed only in an assigned village.
    """
    role = user.role
    if action not in PERMISSIONS.get(role, frozenset()):
        return False
    if role == "collaborator" and village_id is not None:
        villages = user.villages if isinstance(user, Session) else _villages_of(user.id)
        return village_id in villages
    return True


def require(user: Session | User, action: str, *, village_id: int | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, village_id=...)``."""
    if not can(user, action, village_id=village_id):
        raise PermissionDenied(user.role, action)


def _villages_of(user_id: int) -> frozenset[int]:
    rows = UserVillage.select(UserVillage.village).where(UserVillage.user == user_id)
    return frozenset(row.village_id for row in rows)


def _check_password_rules(new_password: str, old_password: str | None = None) -> None:
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(msg.PASSWORD_TOO_SHORT.format(length=MIN_PASSWORD_LENGTH))
    if old_password is not None and new_password == old_password:
        raise InvalidInput(msg.PASSWORD_SAME)


def create_user(
    db: peewee.SqliteDatabase,
    username: str,
    full_name: str,
    role: str,
    password: str,
    *,
    by: Session | None = None,
    villages: Iterable[int] = (),
    must_change_password: bool = True,
) -> User:
    """Create an account (the person must choose a new password at first login)."""
    if by is not None:
        require(by, "manage_users")
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInput(msg.USERNAME_INVALID)
    if role not in ROLES:
        raise InvalidInput(msg.UNKNOWN_ROLE.format(role=role))
    _check_password_rules(password)
    hashed = hash_password(password)
    with write_tx(db):
        if User.select().where(User.username == username).exists():
            raise InvalidInput(msg.USERNAME_TAKEN.format(username=username))
        user = User.create(
            username=username, full_name=full_name, role=role, password_hash=hashed,
            must_change_password=must_change_password, created_at=now_iso(),
        )
        for village_id in villages:
            UserVillage.create(user=user, village=village_id)
        audit.append(
            db, user_id=by.user_id if by else None, username=by.username if by else "",
            action="create", entity="user", record_id=user.id, field="role", new=role,
        )
    return user


def _record_failure(db: peewee.SqliteDatabase, user: User) -> None:
    with write_tx(db):
        fresh = User.get_by_id(user.id)
        failed = fresh.failed_logins + 1
        locked_until = None
        if failed >= MAX_FAILED_LOGINS:
            locked_until = now_iso(now() + timedelta(minutes=LOCK_MINUTES))
            failed = 0
        User.update(failed_logins=failed, locked_until=locked_until or fresh.locked_until).where(
            User.id == user.id
        ).execute()
        audit.append(db, user_id=user.id, username=user.username, action="login_failed",
                     entity="user", record_id=user.id)
        if locked_until:
            audit.append(db, user_id=user.id, username=user.username, action="lock",
                         entity="user", record_id=user.id, field="locked_until",
                         new=locked_until)


def _minutes_left(user: User) -> int | None:
    if not user.locked_until:
        return None
    left = (parse_iso(user.locked_until) - now()).total_seconds()
    return math.ceil(left / 60) if left > 0 else None


def _idle_timeout_s() -> float | None:
    setting = Setting.get_or_none(Setting.id == 1)
    minutes = setting.idle_timeout_min if setting else 15
    return minutes * 60 if minutes else None


def _is_sandbox() -> bool:
    setting = Setting.get_or_none(Setting.id == 1)
    return bool(setting and setting.sandbox)


def _session_for(user: User) -> Session:
    return Session(
        user_id=user.id, username=user.username, full_name=user.full_name, role=user.role,
        villages=_villages_of(user.id), idle_timeout_s=_idle_timeout_s(),
    )


def login(db: peewee.SqliteDatabase, username: str, password: str) -> Session:
    """Check the password and open a session.

    Raises ``LoginFailed`` (unknown user or wrong password), ``AccountLocked`` (with the
    minutes left, even for the right password), ``PasswordChangeRequired`` (right password,
    call ``change_password``) or ``PermissionDenied`` (trainer on a real register).
    """
    user = User.get_or_none(User.username == username.strip().lower())
    if user is None:
        _check_unknown_user(password)  # same time as a real check
        raise LoginFailed()
    if user.disabled:
        raise AccountLocked(None)
    left = _minutes_left(user)
    if left is not None:
        raise AccountLocked(left)
    if not verify_password(password, user.password_hash):
        _record_failure(db, user)
        fresh = User.get_by_id(user.id)
        left = _minutes_left(fresh)
        if left is not None:
            raise AccountLocked(left)
        raise LoginFailed()
    if user.role == "trainer" and not _is_sandbox():
        raise PermissionDenied(user.role, "login", msg.TRAINER_REAL_DB)
    with write_tx(db):
        User.update(failed_logins=0, locked_until=None).where(User.id == user.id).execute()
        audit.append(db, user_id=user.id, username=user.username, action="login",
                     entity="user", record_id=user.id)
    if user.must_change_password:
        raise PasswordChangeRequired(user.id)
    return _session_for(user)


def change_password(
    db: peewee.SqliteDatabase, username: str, old_password: str, new_password: str
) -> Session:
    """Replace the password (checking the old one) and return an open session."""
    user = User.get_or_none(User.username == username.strip().lower())
    if user is None:
        _check_unknown_user(old_password)  # same time as a wrong old password
        raise LoginFailed()
    left = _minutes_left(user)
    if left is not None:
        raise AccountLocked(left)
    if not verify_password(old_password, user.password_hash):
        _record_failure(db, user)
        raise LoginFailed()
    _check_password_rules(new_password, old_password)
    hashed = hash_password(new_password)
    with write_tx(db):
        User.update(
            password_hash=hashed, must_change_password=False, failed_logins=0,
            locked_until=None, password_changed_at=now_iso(),
        ).where(User.id == user.id).execute()
        audit.append(db, user_id=user.id, username=user.username, action="update",
                     entity="user", record_id=user.id, field="password")
    return _session_for(User.get_by_id(user.id))


def reset_password(
    db: peewee.SqliteDatabase, by: Session, username: str, new_password: str
) -> None:
    """An administrator sets a temporary password; the person must change it at login."""
    require(by, "manage_users")
    _check_password_rules(new_password)
    hashed = hash_password(new_password)
    with write_tx(db):
        user = User.get_or_none(User.username == username.strip().lower())
        if user is None:
            raise NotFound(msg.LOGIN_FAILED)
        User.update(password_hash=hashed, must_change_password=True, failed_logins=0,
                    locked_until=None).where(User.id == user.id).execute()
        audit.append(db, user_id=by.user_id, username=by.username, action="update",
                     entity="user", record_id=user.id, field="password")


def set_disabled(db: peewee.SqliteDatabase, by: Session, username: str, disabled: bool) -> None:
    """An administrator locks (``disabled=True``) or unlocks an account."""
    require(by, "manage_users")
    with write_tx(db):
        user = User.get_or_none(User.username == username.strip().lower())
        if user is None:
            raise NotFound(msg.LOGIN_FAILED)
        User.update(disabled=disabled, failed_logins=0, locked_until=None).where(
            User.id == user.id
        ).execute()
        audit.append(db, user_id=by.user_id, username=by.username, action="update",
                     entity="user", record_id=user.id, field="disabled",
                     old=bool(user.disabled), new=disabled)


SANDBOX_USERNAME = "demo"


def sandbox_session(db: peewee.SqliteDatabase) -> Session:
    """The password-less session of a sandbox register (``treem demo``).

    Creates the ``demo`` administrator on first use. Raises ``PermissionDenied`` on a
    real register.
    """
    if not _is_sandbox():
        raise PermissionDenied("viewer", "login", msg.SANDBOX_ONLY)
    user = User.get_or_none(User.username == SANDBOX_USERNAME)
    if user is None:
        user = create_user(db, SANDBOX_USERNAME, "Người dùng thử", "administrator",
                           secrets.token_urlsafe(16), must_change_password=False)
    session = _session_for(user)
    session.idle_timeout_s = None
    return session
