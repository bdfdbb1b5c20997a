"""Accounts as stored: the rows of ``user`` and ``user_village``.

Login, password rules, lockout and sessions are in ``tui.services.accounts``; this
module only reads and writes the rows (inside the caller's write transaction for writes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import peewee

from tui.store.models import User, UserVillage

__all__ = [
    "UserRow",
    "by_id",
    "by_unix_login",
    "by_username",
    "insert",
    "listing",
    "names",
    "set_villages",
    "update",
    "villages_of",
]


@attrs.frozen
class UserRow:
    """An account as stored (no password hash beyond what login needs)."""

    id: int
    username: str
    full_name: str
    role: str
    password_hash: str
    must_change_password: bool
    failed_logins: int
    locked_until: str | None
    disabled: bool
    villages: tuple[int, ...] = ()
    unix_login: str | None = None
    commune: str | None = None  # None: a province account (schema v9)


_COLUMNS = (User.id, User.username, User.full_name, User.role, User.password_hash,
            User.must_change_password, User.failed_logins, User.locked_until, User.disabled,
            User.unix_login, User.commune)


def _row(values: tuple[Any, ...], villages: tuple[int, ...] = ()) -> UserRow:
    (user_id, username, full_name, role, password_hash, must_change, failed, locked_until,
     disabled, unix_login, commune) = values
    return UserRow(user_id, username, full_name, role, password_hash, bool(must_change),
                   int(failed), locked_until, bool(disabled), villages, unix_login, commune)


# User names (and Unix logins) are unique in the whole database: an account is found
# before anyone knows its commune (at login), so these three read every commune; the
# services decide whether the acting person may see or change the account found.
def by_username(db: peewee.Database, username: str) -> UserRow | None:
    """The account named ``username`` (already lower-cased), in any commune, or None."""
    row = User.all_communes(*_COLUMNS).where(User.username == username).tuples().first()
    return _row(row) if row else None


def by_unix_login(db: peewee.Database, unix_login: str) -> UserRow | None:
    """The account linked to the Unix account ``unix_login``, in any commune, or None."""
    row = User.all_communes(*_COLUMNS).where(User.unix_login == unix_login).tuples().first()
    return _row(row) if row else None


def by_id(db: peewee.Database, user_id: int) -> UserRow | None:
    """The account with id ``user_id``, in any commune, or None."""
    row = User.all_communes(*_COLUMNS).where(User.id == user_id).tuples().first()
    return _row(row) if row else None


def villages_of(db: peewee.Database, user_id: int) -> frozenset[int]:
    """The villages assigned to an account."""
    query = UserVillage.select(UserVillage.village).where(UserVillage.user == user_id).tuples()
    return frozenset(row[0] for row in query)


def listing(db: peewee.Database) -> list[UserRow]:
    """Every account by user name, with its villages."""
    villages: dict[int, list[int]] = {}
    for user_id, village_id in (UserVillage.select(UserVillage.user, UserVillage.village)
                                .order_by(UserVillage.village).tuples()):
        villages.setdefault(user_id, []).append(village_id)
    query = User.select(*_COLUMNS).order_by(User.username).tuples()
    return [_row(r, tuple(villages.get(r[0], ()))) for r in query]


def names(db: peewee.Database) -> dict[int, str]:
    """Full name by user id."""
    return dict(User.select(User.id, User.full_name).tuples())


#: ``insert``'s ``commune`` when the account belongs to the bound commune.
BOUND = "bound"


def insert(db: peewee.Database, *, username: str, full_name: str, role: str,
           password_hash: str, must_change_password: bool, at: str,
           commune: str | None = BOUND) -> int:
    """A new account of ``commune`` (default: the bound commune; None: a province
    account); its id."""
    values: dict[str, Any] = {}
    if commune != BOUND:
        values["commune"] = commune
    return int(User.insert(username=username, full_name=full_name, role=role,
                           password_hash=password_hash,
                           must_change_password=must_change_password, failed_logins=0,
                           disabled=False, created_at=at, **values).execute())


def update(db: peewee.Database, user_id: int, changes: Mapping[str, Any]) -> None:
    """Set fields of an account (by field name)."""
    if changes:
        User.update(**dict(changes)).where(User.id == user_id).execute()


def set_villages(db: peewee.Database, user_id: int, village_ids: Iterable[int]) -> None:
    """Make the account's assigned villages exactly ``village_ids``."""
    UserVillage.delete().where(UserVillage.user == user_id).execute()
    owner = by_id(db, user_id)  # the rows belong to the account's commune
    commune = owner.commune if owner is not None and owner.commune else None
    rows = [{"user": user_id, "village": v, **({"commune": commune} if commune else {})}
            for v in sorted(set(village_ids))]
    if rows:
        UserVillage.insert_many(rows).execute()
