"""Opening, creating and copying a register file; building the sandbox demo.

These are what happens before anyone is logged in (``treem init``, ``treem demo``, the
app opening its file) or to the file as a whole (``treem backup``, which needs the
settings permission of the person acting).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path

import attrs
import peewee

from exports.messages import os_reason
from exports.private_dirs import make_private_dirs
from libchild.catalog import Entry
from libchild.gcpause import paused_gc
from tui.domain import Permission, Role
from tui.errors import BackupFailed, InvalidInput
from tui.messages import core as core_msg
from tui.paths import is_url
from tui.services import accounts
from tui.services.base import Service, operation
from tui.store import settings as settings_store
from tui.store import users as users_store
from tui.store.backup import copy_database, remove_database
from tui.store.children import count_living
from tui.store.database import is_disk_full, is_postgres, open_db
from tui.store.settings import Settings

__all__ = [
    "BackupResult",
    "BackupService",
    "DemoSummary",
    "RegisterFile",
    "build_demo",
    "create_register",
    "open_register",
    "remove_register",
]


@attrs.frozen
class RegisterFile:
    """An open register: its database and its commune (None before initialisation)."""

    path: Path
    db: peewee.Database
    settings: Settings | None

    @property
    def sandbox(self) -> bool:
        """True for a sandbox (demo, training) register."""
        return bool(self.settings and self.settings.sandbox)

    def children(self) -> int:
        """How many children the register holds."""
        return count_living(self.db)

    @property
    def disk_full(self) -> bool:
        """True when the register's disk is full: it opened read-only (viewing, backup,
        export to another disk; no save)."""
        return is_disk_full(self.db)

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def open_register(path: str | os.PathLike[str], *, create: bool = False) -> RegisterFile:
    """Open the register at ``path`` (Vietnamese ``TreemError`` for a missing, corrupt,
    foreign or too new file, which is never modified)."""
    db = open_db(path, create=create)
    return RegisterFile(path if is_url(path) else Path(path), db, settings_store.read(db))  # type: ignore[arg-type]


def remove_register(path: Path) -> None:
    """Delete a register file with its WAL files (a half-made register)."""
    remove_database(path)


def create_register(path: Path, commune: Entry, *, admin: str, admin_name: str,
                    password: str, province_admin: bool = False) -> None:
    """A new register for ``commune`` with its first administrator, who must choose a new
    password at first login. A failure leaves no file behind. ``path`` may be a
    ``postgresql://`` URL of an empty database."""
    if not is_url(path):
        make_private_dirs(path.parent)
    db = open_db(path, create=True)
    try:
        settings_store.initialize(db, commune_code=commune.code, commune_name=commune.name,
                                  province_code=commune.parent or "", sandbox=False)
        accounts.create_account(db, admin, admin_name, _first_role(province_admin),
                                password, must_change_password=True)
    except BaseException:
        db.close()
        if not is_url(path):
            remove_database(path)
        raise
    db.close()


def _first_role(province_admin: bool) -> Role:
    """The role of the first account ``treem init`` makes: the commune's administrator,
    or with ``--province`` the province's administrator (who then makes the communes'
    accounts)."""
    return Role.PROVINCE_ADMINISTRATOR if province_admin else Role.ADMINISTRATOR


def add_commune(path: str | os.PathLike[str], commune: Entry, *, admin: str,
                admin_name: str, password: str, province_admin: bool = False) -> None:
    """Add ``commune`` with its first administrator to the database at ``path`` that
    already holds other communes of the same province (a province's PostgreSQL database,
    issue 13). Refused (``InvalidInput``, nothing written) when the commune is already
    there or belongs to another province."""
    db = open_db(path)
    try:
        held = settings_store.communes(db)
        if commune.code in held:
            raise InvalidInput(core_msg.COMMUNE_ALREADY_HERE.format(commune=commune.code))
        provinces = settings_store.provinces(db)
        if provinces and (commune.parent or "") not in provinces:
            raise InvalidInput(core_msg.COMMUNE_OTHER_PROVINCE.format(
                commune=commune.code, province=commune.parent or "",
                here=", ".join(sorted(provinces))))
        name = accounts.check_username(admin)  # user names are unique in the database
        if users_store.by_username(db, name) is not None:
            raise InvalidInput(core_msg.USERNAME_TAKEN.format(username=name))
        accounts.check_new_password(password)
        settings_store.initialize(db, commune_code=commune.code, commune_name=commune.name,
                                  province_code=commune.parent or "", sandbox=False)
        accounts.create_account(db, admin, admin_name, _first_role(province_admin),
                                password, must_change_password=True)
    finally:
        db.close()


@attrs.frozen
class DemoSummary:
    """A sandbox built: households, children, planted problems, seconds taken."""

    households: int
    children: int
    problems: int
    seconds: float


def build_demo(path: Path, commune: Entry, *, children: int, seed: int) -> DemoSummary:
    """A sandbox register of synthetic households of ``commune`` (never a real one).
    A failure leaves no file behind."""
    # Imported here: the generator costs 8 ms at import (python -X importtime) and only
    # `treem demo` needs it, not the app's start.
    from tui.demo import generate
    from tui.demo.loader import load

    started = time.perf_counter()
    make_private_dirs(path.parent)
    db = open_db(path, create=True)
    try:
        settings_store.initialize(db, commune_code=commune.code, commune_name=commune.name,
                                  province_code=commune.parent or "", sandbox=True)
        session = accounts.sandbox_session(db)
        with paused_gc():
            data = generate(children, seed=seed, commune_code=commune.code)
            result = load(db, data, user_id=session.user_id, username=session.username)
    except BaseException:
        db.close()
        remove_database(path)
        raise
    db.close()
    return DemoSummary(result.households, result.children, len(data.problems),
                       time.perf_counter() - started)


@attrs.frozen
class BackupResult:
    """A backup written: the file and the children it holds."""

    path: Path
    children: int


def _reason(exc: OSError | sqlite3.Error) -> str:
    """Why a copy failed, in Vietnamese (never the English text of the OS or SQLite)."""
    if isinstance(exc, OSError):
        return os_reason(exc.errno)
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return os_reason(errno.ENOSPC)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return os_reason(errno.EACCES if code == sqlite3.SQLITE_PERM else errno.EROFS)
    return os_reason(errno.EIO)


class BackupService(Service):
    """Copies of the register, for the acting administrator."""

    @operation(Permission.MANAGE_SETTINGS)
    def backup(self, out: Path) -> BackupResult:
        """A consistent, self-contained copy of the register at ``out`` (0600; refused
        when ``out`` exists). ``BackupFailed`` when the copy fails (nothing is left at
        ``out``)."""
        if is_postgres(self.db):
            raise BackupFailed(core_msg.BACKUP_ON_SERVER)
        try:
            children = copy_database(Path(str(self.db.database)), out)
        except (OSError, sqlite3.Error) as exc:
            raise BackupFailed(_reason(exc)) from exc
        self.ctx.audit("export", "backup", None, "path", None,
                       {"path": str(out), "children": children})
        return BackupResult(out, children)

