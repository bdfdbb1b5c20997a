"""Which commune's rows a database connection reads and writes: the one place it is held.

Since schema v9 one database may hold the registers of many communes (a province on
PostgreSQL); every tenant table carries ``commune`` (``village`` its ``commune_code``).
The open database carries a :class:`Tenancy`: the commune whose rows it writes and the
communes whose rows it reads. ``tui.store.models.TenantModel`` adds the condition to
every peewee select, update and delete of a tenant table and stamps every insert; the
store's hand-written SQL asks :func:`where` for the condition and :func:`stamp` for the
commune to write. The services bind it from the acting session's scope before each
operation (``tui.services.base``); on PostgreSQL the same binding is set on every
connection and transaction (``treem.communes``), which the row-level security policies
read (``tui.store.postgres``).

A register file of one commune is bound to that commune when it opens, so everything
written before v9 behaves as it did.
"""

from __future__ import annotations

import attrs
import peewee

__all__ = ["ALL", "NOBODY", "NoCommuneBound", "Tenancy", "bind", "bind_default", "current",
           "stamp", "where", "where_params"]


class NoCommuneBound(RuntimeError):
    """A tenant row was to be written while no single commune is bound (a programming
    error: a province session writes no commune's records)."""


@attrs.frozen
class Tenancy:
    """The communes a connection reads (``communes``: None is every commune of the
    database, for the database tools) and the one it writes (``commune``)."""

    commune: str | None = None
    communes: frozenset[str] | None = None

    @classmethod
    def of(cls, commune: str) -> Tenancy:
        """Bound to one commune: reads and writes only its rows."""
        return cls(commune, frozenset({commune}))

    @property
    def setting_value(self) -> str:
        """The value of PostgreSQL's ``treem.communes`` for this binding: ``*`` for
        every commune, else the codes separated by commas (none: the empty text)."""
        if self.communes is None:
            return "*"
        return ",".join(sorted(self.communes))


#: Every commune (``treem migrate``, ``treem audit --verify`` of the whole database, a
#: database not yet holding any commune).
ALL = Tenancy()
#: No commune: a database of several communes before a session has logged in.
NOBODY = Tenancy(None, frozenset())


def current(db: peewee.Database | None) -> Tenancy:
    """The binding of ``db`` (a peewee proxy is followed); :data:`ALL` when unbound."""
    target = getattr(db, "obj", db)
    return getattr(target, "tenancy", ALL)


def bind(db: peewee.Database, tenancy: Tenancy) -> None:
    """Bind ``db`` to ``tenancy``; on PostgreSQL also the open connection (and every one
    opened later, see ``tui.store.postgres.RegisterDatabase``)."""
    target = getattr(db, "obj", db)
    if getattr(target, "tenancy", None) == tenancy:
        return
    target.tenancy = tenancy
    apply = getattr(target, "apply_tenancy", None)
    if apply is not None:
        apply()


def bind_default(db: peewee.Database) -> Tenancy:
    """Bind a database that has just opened: its one commune, every commune while it
    holds none, nobody while it holds several (a session binds its own)."""
    codes = [row[0] for row in db.execute_sql(
        "SELECT commune_code FROM setting ORDER BY id LIMIT 2").fetchall()]
    tenancy = Tenancy.of(codes[0]) if len(codes) == 1 else ALL if not codes else NOBODY
    bind(db, tenancy)
    return tenancy


def stamp(db: peewee.Database | None) -> str:
    """The commune a new tenant row is written with."""
    commune = current(db).commune
    if commune is None:
        raise NoCommuneBound("no commune is bound to this database connection")
    return commune


def where(db: peewee.Database | None, alias: str = "", column: str = "commune") -> str:
    """The condition of hand-written SQL, `` AND <alias>.commune IN (?, ...)`` (to follow
    another condition), or ``""`` when every commune is readable; its parameters are
    :func:`where_params`."""
    communes = current(db).communes
    if communes is None:
        return ""
    name = f"{alias}.{column}" if alias else column
    if not communes:
        return " AND 1 = 0"
    if len(communes) == 1:
        return f" AND {name} = ?"
    return f" AND {name} IN ({', '.join('?' for _ in communes)})"


def where_params(db: peewee.Database | None) -> tuple[str, ...]:
    """The parameters of :func:`where`'s condition."""
    communes = current(db).communes
    return () if communes is None else tuple(sorted(communes))
