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

import contextlib
import re
from collections.abc import Iterator

import attrs
import peewee

__all__ = [
    "ALL",
    "NOBODY",
    "PROVINCE_CHAIN",
    "NoCommuneBound",
    "Tenancy",
    "bind",
    "bind_default",
    "bound",
    "current",
    "lock_key",
    "province_of",
    "stamp",
    "where",
    "where_params",
]


_CODES = re.compile(r"[0-9]{5}(,[0-9]{5})*|")


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
        every commune, else the codes separated by commas; a binding without a commune
        of its own (a province session, or nobody yet) also writes the province's chain
        (:data:`PROVINCE_CHAIN`)."""
        if self.communes is None:
            return "*"
        codes = set(self.communes) | ({PROVINCE_CHAIN} if self.commune is None else set())
        value = ",".join(sorted(codes))
        if not _CODES.fullmatch(value):  # it is written into SQL text: digits only
            raise ValueError(f"not commune codes: {value!r}")
        return value


#: The audit chain of what belongs to no commune (a province account's work, a failed
#: login under an unknown name in a database of several communes): no commune has this
#: code.
PROVINCE_CHAIN = "00000"
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
    """Bind ``db`` to ``tenancy``; on PostgreSQL every statement then carries it to
    row-level security (``tui.store.postgres.RegisterDatabase``)."""
    target = getattr(db, "obj", db)
    if getattr(target, "tenancy", None) == tenancy:
        return
    target.tenancy = tenancy


@contextlib.contextmanager
def bound(db: peewee.Database, tenancy: Tenancy) -> Iterator[None]:
    """Inside the block ``db`` is bound to ``tenancy``; the binding before comes back."""
    before = current(db)
    bind(db, tenancy)
    try:
        yield
    finally:
        bind(db, before)


def province_of(db: peewee.Database) -> Tenancy:
    """The binding of a province's work in a database bound to one of its communes (a
    province account made by ``treem init --province``): no commune of its own, so its
    audit goes to the province's chain."""
    return Tenancy(None, current(db).communes or frozenset())


def bind_default(db: peewee.Database) -> Tenancy:
    """Bind a database that has just opened: its one commune, every commune while it
    holds none, nobody while it holds several (a session binds its own)."""
    from tui.store.settings import communes  # here: settings imports the models

    codes = communes(db)
    tenancy = Tenancy.of(codes[0]) if len(codes) == 1 else ALL if not codes else NOBODY
    bind(db, tenancy)
    return tenancy


def lock_key(db: peewee.Database | None) -> int:
    """The second key of the PostgreSQL write lock: the bound commune's code as a number
    (0, the province's chain, for a binding without one commune)."""
    return int(current(db).commune or PROVINCE_CHAIN)


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
