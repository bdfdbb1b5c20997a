"""Small builders the tests share: a register of Xã Mường La and people logged in to it.

All names and numbers are invented.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import peewee

from tui.domain import Role
from tui.services import Services, accounts
from tui.store.audit_key import key_path_for
from tui.store.settings import create_register

PASSWORD = "tam-thoi-123"

#: Set by ``conftest`` when the run is on PostgreSQL: gives a fresh database's URL.
_fresh_postgres: Callable[..., str] | None = None


def use_postgres(fresh_url: Callable[..., str]) -> None:
    """Make :func:`new_register` create its registers on PostgreSQL."""
    global _fresh_postgres
    _fresh_postgres = fresh_url


def on_postgres() -> bool:
    """True when this run's registers are on PostgreSQL."""
    return _fresh_postgres is not None


def where(db: peewee.Database) -> str:
    """What ``open_db`` takes to open ``db`` again: its file, or its URL."""
    return str(db.connect_params.get("dsn") or db.database)


def copy_register(source: str, dest: Path) -> str:
    """A copy of the closed register at ``source`` (``where``): the file ``dest``, or on a
    PostgreSQL run a new database made from it; what ``open_db`` takes to open it."""
    target = _fresh_postgres(source) if _fresh_postgres is not None else str(dest)
    if _fresh_postgres is None:
        shutil.copy(source, dest)
    key, copied = key_path_for(source), key_path_for(target)
    if key is not None and copied is not None and key.exists():
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(key, copied)  # the copy's audit chain is sealed by the same key
    return target


def new_register(path: Path, *, sandbox: bool = False) -> peewee.Database:
    """A new register of Xã Mường La (Sơn La), open: the file ``path``, or on a PostgreSQL
    run a fresh database of the test cluster."""
    target: Path | str = _fresh_postgres() if _fresh_postgres is not None else path
    return create_register(target, commune_code="03808", commune_name="Xã Mường La",
                           province_code="14", sandbox=sandbox)


def person(db: peewee.Database, username: str, role: Role | str,
           villages: Sequence[int] = (), password: str = PASSWORD) -> Services:
    """A new account of ``role``, logged in: its services."""
    accounts.create_account(db, username, username.title(), Role(role), password,
                            villages=tuple(villages), must_change_password=False)
    return Services(db, accounts.login(db, username, password))


def login(db: peewee.Database, username: str, password: str = PASSWORD) -> Services:
    """An existing account logged in again: its services."""
    return Services(db, accounts.login(db, username, password))
