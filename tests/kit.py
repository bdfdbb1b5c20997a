"""Small builders the tests share: a register of Xã Mường La and people logged in to it.

All names and numbers are invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import peewee

from tui.domain import Role
from tui.services import Services, accounts
from tui.store.settings import create_register

PASSWORD = "tam-thoi-123"


def new_register(path: Path, *, sandbox: bool = False) -> peewee.Database:
    """A new register file of Xã Mường La (Sơn La), open."""
    return create_register(path, commune_code="03808", commune_name="Xã Mường La",
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
