"""The commune this register belongs to, and its options (the one ``setting`` row).

:func:`read` is the one query of that row; everything that needs the commune, the
sandbox flag, the idle timeout or the re-check percentage goes through it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import peewee

from tui.store import audit, tenancy
from tui.store.clock import now_iso
from tui.store.database import open_db, run, write_tx
from tui.store.models import Setting

__all__ = ["CHANGEABLE", "Settings", "communes", "create_register", "initialize",
           "provinces", "read", "update"]

#: The settings an administrator may change; the commune and the sandbox flag are fixed.
CHANGEABLE = frozenset({"commune_name", "idle_timeout_min", "recheck_percent"})


@attrs.frozen
class Settings:
    """The commune of the register and its options."""

    commune_code: str
    commune_name: str
    province_code: str
    sandbox: bool
    idle_timeout_min: int
    recheck_percent: int
    #: The day records are checked on: a training sandbox's scenario date; None: today.
    as_of: date | None = None

    def today(self) -> date:
        """The day this register checks records on (``as_of``, else the real today)."""
        return self.as_of or date.today()


def _this_commune(db: peewee.Database) -> peewee.Expression:
    """The ``setting`` row of the commune the database is bound to (a commune's own file:
    its one row)."""
    commune = tenancy.current(db).commune
    return Setting.commune_code == commune if commune is not None else Setting.id == 1


def read(db: peewee.Database) -> Settings | None:
    """The settings of the bound commune, or None before :func:`initialize` (or when no
    single commune is bound)."""
    if tenancy.current(db).commune is None and tenancy.current(db).communes is not None:
        return None
    row = (Setting.select(Setting.commune_code, Setting.commune_name, Setting.province_code,
                          Setting.sandbox, Setting.idle_timeout_min, Setting.recheck_percent,
                          Setting.as_of)
           .where(_this_commune(db)).order_by(Setting.id).tuples().first())
    if row is None:
        return None
    code, name, province, sandbox, idle, percent, as_of = row
    return Settings(code, name, province, bool(sandbox), int(idle), int(percent),
                    date.fromisoformat(as_of) if as_of else None)


# These two read ``db`` itself, not the models' database: ``treem migrate`` holds two
# databases open at once.
def communes(db: peewee.Database) -> list[str]:
    """The codes of every commune the database holds, in order."""
    return [row[0] for row in db.execute_sql(
        "SELECT commune_code FROM setting ORDER BY commune_code").fetchall()]


def provinces(db: peewee.Database) -> set[str]:
    """The province codes of the communes the database holds."""
    return {row[0] for row in db.execute_sql(
        "SELECT DISTINCT province_code FROM setting").fetchall()}


def commune_names(db: peewee.Database, communes: Sequence[str] | None = None
                  ) -> dict[str, tuple[str, str]]:
    """(commune name, province code) of each commune the database holds (of ``communes``
    when given), by commune code."""
    sql = "SELECT commune_code, commune_name, province_code FROM setting"
    params: tuple[str, ...] = ()
    if communes is not None:
        wanted = sorted(set(communes))
        if not wanted:
            return {}
        sql += f" WHERE commune_code IN ({', '.join('?' for _ in wanted)})"
        params = tuple(wanted)
    return {row[0]: (row[1], row[2]) for row in run(db, sql, params)}


def province_communes(db: peewee.Database, province_code: str) -> list[str]:
    """The codes of the communes of ``province_code`` the database holds, in order."""
    return [row[0] for row in run(
        db, "SELECT commune_code FROM setting WHERE province_code = ? ORDER BY commune_code",
        (province_code,))]


def initialize(db: peewee.Database, *, commune_code: str, commune_name: str,
               province_code: str, sandbox: bool = False, idle_timeout_min: int = 15,
               recheck_percent: int = 5, as_of: date | None = None) -> None:
    """Record the commune of a new register (``treem init`` / ``treem demo``); audited.

    The caller checks the commune against ``libchild.catalog`` first. ``as_of`` (a
    sandbox only) is the day its records are checked on instead of today.
    """
    if as_of is not None and not sandbox:
        raise ValueError("only a sandbox checks its records on a fixed day")
    tenancy.bind(db, tenancy.Tenancy.of(commune_code))
    with write_tx(db):
        Setting.insert(commune_code=commune_code, commune_name=commune_name,
                       province_code=province_code, sandbox=sandbox,
                       idle_timeout_min=idle_timeout_min, recheck_percent=recheck_percent,
                       created_at=now_iso(),
                       as_of=as_of.isoformat() if as_of else None).execute()
        audit.append(db, user_id=None, username="", action="create", entity="setting",
                     record_id=_setting_id(db, commune_code),
                     new={"commune_code": commune_code, "sandbox": sandbox,
                                       "as_of": as_of.isoformat() if as_of else None})


def update(db: peewee.Database, changes: Mapping[str, Any]) -> None:
    """Write ``changes`` (keys of :data:`CHANGEABLE`) in the caller's write transaction."""
    fixed = set(changes) - CHANGEABLE
    if fixed:  # a programming error, not user input
        raise ValueError(f"settings that cannot change: {sorted(fixed)}")
    if changes:
        Setting.update(**dict(changes)).where(_this_commune(db)).execute()


def _setting_id(db: peewee.Database, commune_code: str) -> int:
    return int(Setting.select(Setting.id).where(Setting.commune_code == commune_code)
               .scalar())


def create_register(path: str | os.PathLike[str], *, commune_code: str, commune_name: str,
                    province_code: str, sandbox: bool = False) -> peewee.Database:
    """Create a new register file (0600) for a commune and return it open.

    Raises ``FileExistsError`` if ``path`` already exists: an existing register is never
    re-initialised.
    """
    if Path(path).exists():
        raise FileExistsError(str(path))
    db = open_db(path, create=True)
    initialize(db, commune_code=commune_code, commune_name=commune_name,
               province_code=province_code, sandbox=sandbox)
    return db
