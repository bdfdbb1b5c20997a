"""Logging in: passwords, lockout, first-login change, idle unlock, the sandbox session.

Passwords are hashed with ``hashlib.scrypt`` (memory-hard, stdlib; n=2**14, r=8, p=1,
16-byte random salt) and compared in constant time. Failed logins are counted per (user
name, source terminal) and make the next try from that source wait longer and longer
(:func:`login_delay_s`); an account is never locked by failures, so an outsider cannot
lock the administrator out, and an unknown name gets exactly the answer, the delay and
the work of a real one. The first login forces a new password; a session locks after
the commune's idle timeout. These open a :class:`~tui.services.policy.Session`; what the
session may then do is decided by ``tui.services.policy``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import math
import os
import pwd
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import peewee

from tui.domain import Role
from tui.errors import (
    AccountLocked,
    InvalidInput,
    LoginDelayed,
    LoginFailed,
    PasswordChangeRequired,
    PermissionDenied,
)
from tui.messages import core as msg
from tui.services import held_audit
from tui.services.policy import Scope, Session
from tui.store import audit, tenancy
from tui.store import login_delays as delays
from tui.store import settings as settings_store
from tui.store import users as store
from tui.store.clock import now, now_iso, parse_iso
from tui.store.database import write_tx

__all__ = [
    "FREE_FAILURES",
    "MAX_DELAY_S",
    "MIN_PASSWORD_LENGTH",
    "SANDBOX_USERNAME",
    "change_password",
    "check_new_password",
    "check_unix_login",
    "check_unix_name",
    "check_username",
    "create_account",
    "hash_password",
    "link_unix_login",
    "linked_username",
    "login",
    "login_delay_s",
    "login_source",
    "process_unix_login",
    "sandbox_session",
    "unix_session",
    "unlock",
    "verify_password",
]

#: Failed logins of one name from one source answered at once; then the delay grows.
FREE_FAILURES = 3
#: The longest wait between two tries of one name from one source (5 minutes).
MAX_DELAY_S = 300
MIN_PASSWORD_LENGTH = 8
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_USERNAME = re.compile(r"^[a-z0-9._]{3,32}$")
#: A Unix login as Debian's adduser accepts it (its default NAME_REGEX, without "$").
_UNIX_LOGIN = re.compile(r"^[a-z][-a-z0-9_]{0,31}$")
SANDBOX_USERNAME = "demo"


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
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_hex(8))
    else:
        verify_password(password, _dummy_hash)


def check_username(username: str) -> str:
    """The user name as stored (lower case); ``InvalidInput`` when it is not allowed."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput(msg.USERNAME_INVALID)
    return name


def check_unix_name(unix_login: str) -> str:
    """``unix_login`` stripped; ``InvalidInput`` unless it is a valid Unix login name (as
    Debian's adduser accepts it; whether the account exists is not checked)."""
    name = unix_login.strip()
    if not _UNIX_LOGIN.match(name):
        raise InvalidInput(msg.UNIX_LOGIN_INVALID.format(login=name))
    return name


def check_unix_login(unix_login: str) -> str:
    """The Unix login as stored; ``InvalidInput`` unless it may be linked to an account
    (a valid name of an account that exists on this machine, never root)."""
    name = check_unix_name(unix_login)
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise InvalidInput(msg.UNIX_LOGIN_MISSING.format(login=name)) from None
    if entry.pw_uid == 0:
        raise InvalidInput(msg.UNIX_LOGIN_ROOT)
    return name


def process_unix_login() -> str | None:
    """The Unix account this process runs as, from the kernel (the real uid), or None for
    root and for a uid without an account.

    Under sshd (``ForceCommand``) and in a session of the resident server, the process runs
    as the officer who authenticated to sshd. Environment variables (``USER``,
    ``LOGNAME``) are never consulted: a client can send those.
    """
    uid = os.getuid()
    if uid == 0:
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def unix_session(db: peewee.Database, unix_login: str | None) -> Session | None:
    """The session of the app account linked to ``unix_login`` without a password (the
    operating system has authenticated that person), or None when the login screen must
    be shown: no linked account, or one that is disabled, locked, must change its password
    first, or is a trainer on a real register. Audited as a login."""
    if not unix_login:
        return None
    user = store.by_unix_login(db, unix_login)
    if (user is None or user.disabled or user.must_change_password
            or (user.role == Role.TRAINER and not _is_sandbox(db))):
        return None
    _bind(db, user)
    held_audit.append(db, [_entry(user, "login", field="unix_login", new=unix_login)])
    return _session_for(db, user)


def linked_username(db: peewee.Database, unix_login: str | None) -> str | None:
    """The app account linked to ``unix_login`` (None when there is none): the only
    account a session of that Unix user may log in as."""
    user = store.by_unix_login(db, unix_login) if unix_login else None
    return user.username if user else None


def check_new_password(new_password: str, old_password: str | None = None) -> None:
    """``InvalidInput`` unless ``new_password`` may be set."""
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(msg.PASSWORD_TOO_SHORT.format(length=MIN_PASSWORD_LENGTH))
    if old_password is not None and new_password == old_password:
        raise InvalidInput(msg.PASSWORD_SAME)


def login_delay_s(failures: int) -> int:
    """Seconds the next try must wait after ``failures`` consecutive failed logins of one
    name from one source: none for the first :data:`FREE_FAILURES`, then 1, 2, 4, 8 ...
    up to :data:`MAX_DELAY_S`. Slows guessing to a few hundred tries a day per source;
    the person's own terminal (another source) is never slowed by someone else's tries.
    """
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** min(failures - FREE_FAILURES, 16), MAX_DELAY_S)


def login_source() -> str:
    """Where this process's login comes from: the SSH client address (set by sshd, which
    a client cannot override without ``PermitUserEnvironment``), else the terminal."""
    client = os.environ.get("SSH_CLIENT", "").split()
    if client:
        return "ssh:" + client[0]
    try:
        return "tty:" + os.ttyname(0)
    except OSError:
        return "local"


def _check_delay(db: peewee.Database, key: str, moment: datetime) -> None:
    """``LoginDelayed`` while the key's last failure is more recent than its delay."""
    found = delays.read(db, key)
    if found is None:
        return
    wait = login_delay_s(found.count) - (moment - parse_iso(found.last)).total_seconds()
    if wait > 0:
        raise LoginDelayed(math.ceil(wait))


def _check_password(user: store.UserRow | None, password: str) -> bool:
    """One scrypt whether or not the account exists (see ``_check_unknown_user``)."""
    if user is None:
        _check_unknown_user(password)
        return False
    return verify_password(password, user.password_hash)


def _record_failure(db: peewee.Database, key: str, user: store.UserRow | None,
                    moment: datetime) -> None:
    """Count the failure under ``key`` and audit it: the same writes for a real account
    and an unknown name (whose typed name is not kept: it may be a mistyped password).
    On a full disk the count cannot grow; the audit entry is held in memory."""
    with contextlib.suppress(*held_audit.UNWRITABLE), write_tx(db):
        delays.record(db, key, now_iso(moment))
    held_audit.append(db, [_entry(user, "login_failed")])


def _entry(user: store.UserRow | None, action: str, **more: Any) -> dict[str, Any]:
    return {"user_id": user.id if user else None, "username": user.username if user else "",
            "action": action, "entity": "user", "record_id": user.id if user else None,
            "field": None, "old": None, "new": None, **more}


def _bind(db: peewee.Database, user: store.UserRow) -> Scope:
    """The scope of ``user``'s account, with the database bound to it: the account's
    commune, or for a province account every commune of the (province's) database."""
    if Role(user.role).is_province or user.commune is None:
        scope = Scope(None, None, frozenset(settings_store.communes(db)))
    else:
        scope = Scope(None, user.commune)
    if scope.tenancy is not None:
        tenancy.bind(db, scope.tenancy)
    return scope


def _session_for(db: peewee.Database, user: store.UserRow) -> Session:
    scope = _bind(db, user)
    found = settings_store.read(db)
    minutes = found.idle_timeout_min if found else 15
    role = Role(user.role)
    villages = store.villages_of(db, user.id) if role is Role.COLLABORATOR else None
    return Session(user.id, user.username, user.full_name, role,
                   attrs.evolve(scope, villages=villages),
                   idle_timeout_s=minutes * 60 if minutes else None)


def _is_sandbox(db: peewee.Database) -> bool:
    found = settings_store.read(db)
    return bool(found and found.sandbox)


def login(db: peewee.Database, username: str, password: str, *, source: str | None = None,
          clock: Callable[[], datetime] = now) -> Session:
    """Check the password and open a session.

    ``source`` names where the try comes from (default :func:`login_source`); ``clock``
    gives the current time (tests pass their own). Raises ``LoginFailed`` (unknown user or
    wrong password: one message, one cost), ``LoginDelayed`` (too many failures of this
    name from this source: wait), ``AccountLocked`` (disabled by an administrator; said
    only after the right password), ``PasswordChangeRequired`` (right password, call
    :func:`change_password`) or ``PermissionDenied`` (trainer on a real register).
    """
    name = username.strip().lower()
    key = delays.key_of(name, source or login_source())
    moment = clock()
    _check_delay(db, key, moment)
    user = store.by_username(db, name)
    if not _check_password(user, password):
        _record_failure(db, key, user, moment)
        raise LoginFailed()
    assert user is not None
    _bind(db, user)  # the login is audited in the account's commune
    if user.disabled:
        raise AccountLocked(None)
    if user.role == Role.TRAINER and not _is_sandbox(db):
        raise PermissionDenied(user.role, "login", msg.TRAINER_REAL_DB)
    # on a full disk the counters cannot be reset: let the person in all the same
    with contextlib.suppress(*held_audit.UNWRITABLE), write_tx(db):
        delays.clear(db, key)
        store.update(db, user.id, {"failed_logins": 0, "locked_until": None})
    held_audit.append(db, [_entry(user, "login")])
    if user.must_change_password:
        raise PasswordChangeRequired(user.id)
    return _session_for(db, user)


def change_password(db: peewee.Database, username: str, old_password: str,
                    new_password: str, *, source: str | None = None,
                    clock: Callable[[], datetime] = now) -> Session:
    """Replace the password (checking the old one) and return an open session."""
    name = username.strip().lower()
    key = delays.key_of(name, source or login_source())
    moment = clock()
    _check_delay(db, key, moment)
    user = store.by_username(db, name)
    if not _check_password(user, old_password):
        _record_failure(db, key, user, moment)
        raise LoginFailed()
    assert user is not None
    _bind(db, user)
    if user.disabled:
        raise AccountLocked(None)
    check_new_password(new_password, old_password)
    hashed = hash_password(new_password)
    with write_tx(db):
        delays.clear(db, key)
        store.update(db, user.id, {"password_hash": hashed, "must_change_password": False,
                                   "failed_logins": 0, "locked_until": None,
                                   "password_changed_at": now_iso()})
        audit.append(db, user_id=user.id, username=user.username, action="update",
                     entity="user", record_id=user.id, field="password")
    fresh = store.by_id(db, user.id)
    assert fresh is not None
    return _session_for(db, fresh)


def unlock(db: peewee.Database, session: Session, password: str, *,
           source: str | None = None, clock: Callable[[], datetime] = now) -> None:
    """Resume a session locked when idle, with the same person's password."""
    user = store.by_id(db, session.user_id)
    if user is None or user.disabled:
        raise AccountLocked(None)
    key = delays.key_of(user.username, source or login_source())
    moment = clock()
    _check_delay(db, key, moment)
    if not verify_password(password, user.password_hash):
        _record_failure(db, key, user, moment)
        raise LoginFailed()
    session.resume()


def sandbox_session(db: peewee.Database) -> Session:
    """The password-less session of a sandbox register (``treem demo``).

    Creates the ``demo`` administrator on first use. Raises ``PermissionDenied`` on a
    real register.
    """
    if not _is_sandbox(db):
        raise PermissionDenied(Role.VIEWER, "login", msg.SANDBOX_ONLY)
    user = store.by_username(db, SANDBOX_USERNAME)
    if user is None:
        create_account(db, SANDBOX_USERNAME, "Người dùng thử", Role.ADMINISTRATOR,
                       secrets.token_urlsafe(16), must_change_password=False)
        user = store.by_username(db, SANDBOX_USERNAME)
        assert user is not None
    session = _session_for(db, user)
    session.idle_timeout_s = None
    return session


def create_account(db: peewee.Database, username: str, full_name: str, role: Role,
                   password: str, *, by: Session | None = None,
                   villages: tuple[int, ...] = (), must_change_password: bool = True,
                   unix_login: str | None = None, commune: str | None = store.BOUND) -> int:
    """Create an account (audited, as ``by`` when given); its id. The caller checks that
    ``by`` may manage accounts (``tui.services.users``); ``treem init`` and the sandbox
    create their first account with no one acting. ``unix_login`` links it to that Unix
    account at once (:func:`link_unix_login`). ``commune``: the account's commune
    (default: the commune the database is bound to; None: a province account)."""
    name = check_username(username)
    unix = check_unix_login(unix_login) if unix_login is not None else None
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(msg.UNKNOWN_ROLE.format(role=role)) from None
    check_new_password(password)
    hashed = hash_password(password)
    # a province account belongs to no commune: made, and audited, as the province's
    province = (tenancy.bound(db, tenancy.province_of(db)) if role.is_province
                and tenancy.current(db).commune is not None else contextlib.nullcontext())
    with province, write_tx(db):
        if store.by_username(db, name) is not None:
            raise InvalidInput(msg.USERNAME_TAKEN.format(username=name))
        user_id = store.insert(db, username=name, full_name=full_name, role=role,
                               password_hash=hashed,
                               must_change_password=must_change_password, at=now_iso(),
                               commune=None if role.is_province else commune)
        store.set_villages(db, user_id, villages)
        audit.append(db, user_id=by.user_id if by else None,
                     username=by.username if by else "", action="create", entity="user",
                     record_id=user_id, field="role", new=str(role),
                     chain=tenancy.PROVINCE_CHAIN if role.is_province else None)
        if unix is not None:
            _link(db, user_id, unix, by)
    return user_id


def _link(db: peewee.Database, user_id: int, unix_login: str | None,
          by: Session | None) -> None:
    """Inside a write transaction: set the account's Unix login (None unlinks), audited."""
    if unix_login is not None:
        holder = store.by_unix_login(db, unix_login)
        if holder is not None and holder.id != user_id:
            raise InvalidInput(msg.UNIX_LOGIN_TAKEN.format(login=unix_login,
                                                           username=holder.username))
    current = store.by_id(db, user_id)
    old = current.unix_login if current else None
    if old == unix_login:
        return
    store.update(db, user_id, {"unix_login": unix_login})
    audit.append(db, user_id=by.user_id if by else None, username=by.username if by else "",
                 action="update", entity="user", record_id=user_id, field="unix_login",
                 old=old, new=unix_login)


def link_unix_login(db: peewee.Database, user_id: int, unix_login: str | None, *,
                    by: Session | None = None) -> None:
    """Make the Unix account ``unix_login`` *be* app account ``user_id`` (None unlinks).

    An SSH session of that Unix user then opens as this account without the login screen
    (:func:`unix_session`); one Unix account maps to at most one app account.
    """
    unix = check_unix_login(unix_login) if unix_login is not None else None
    with write_tx(db):
        _link(db, user_id, unix, by)

