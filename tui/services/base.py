"""What every service shares: the acting session, one write transaction with its audit
entries, and the ``@operation`` mark that checks the permission before the body runs.

An operation runs as::

    @operation(Permission.EDIT_CHILD)
    def save(self, ...):
        ...                       # session touched (idle lock), role checked
        with self.ctx.tx():       # BEGIN IMMEDIATE; audit entries written before commit
            self.ctx.audit("update", "child", child_id, field, old, new)

Nested operations (a re-check applying corrections, a police return storing numbers)
run as savepoints of the outer transaction and share its audit entries, per thread (the
spreadsheet screen works in a thread with its own connection).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, ParamSpec, TypeVar

import peewee

from tui.domain import Permission
from tui.services import held_audit
from tui.services.policy import Session, require
from tui.store import audit, settings, tenancy
from tui.store.database import DB_ERRORS, map_error, write_tx

__all__ = ["Context", "Service", "operation", "unchecked"]

P = ParamSpec("P")
R = TypeVar("R")


class Context:
    """One person's session on one register database."""

    def __init__(self, db: peewee.Database, session: Session) -> None:
        self._db = db
        self.session = session
        self._local = threading.local()  # audit entries of the open transaction, per thread
        self._commune: dict[str, Any] | None = None
        self._as_of: date | None = None

    def commune_defaults(self) -> dict[str, Any]:
        """The commune and province codes every child of the register takes by default
        (read once: a register's commune never changes)."""
        if self._commune is None:
            found = settings.read(self.db)
            self._commune = ({"commune_code": found.commune_code,
                              "province_code": found.province_code} if found else {})
            self._as_of = found.as_of if found else None
        return self._commune

    def today(self) -> date:
        """The day records are checked on: a training sandbox's scenario date (fixed when
        the register is made), else the real today."""
        self.commune_defaults()
        return self._as_of or date.today()

    @property
    def db(self) -> peewee.Database:
        """The register's database, bound to the acting person's commune(s) (schema v9:
        the one place a session's scope reaches the store, ``tui.store.tenancy``)."""
        bound = getattr(self._local, "acting_in", None) or self.session.scope.tenancy
        if bound is not None:
            tenancy.bind(self._db, bound)
        return self._db

    @contextlib.contextmanager
    def acting_in(self, commune: str | None) -> Iterator[None]:
        """Inside the block, a province session works in ``commune`` (None: no change):
        what a province administrator changes of a commune's account is written, and
        audited, in that commune's register and chain."""
        if commune is None or not self.session.scope.covers_commune(commune):
            yield
            return
        self._local.acting_in = tenancy.Tenancy.of(commune)
        try:
            yield
        finally:
            self._local.acting_in = None

    @property
    def in_transaction(self) -> bool:
        """True inside :meth:`tx` on this thread."""
        return self._pending is not None

    @property
    def _pending(self) -> list[dict[str, Any]] | None:
        return getattr(self._local, "pending", None)

    @contextlib.contextmanager
    def tx(self) -> Iterator[None]:
        """A write transaction whose audit entries are written together before commit.

        Inside another one it is a savepoint: if its block fails, its writes and its
        audit entries are undone and the outer transaction goes on (a police return
        refused for one child keeps the others).
        """
        pending = self._pending
        if pending is not None:
            mark = len(pending)
            try:
                with write_tx(self.db):  # nested: a savepoint
                    yield
            except BaseException:
                del pending[mark:]
                raise
            return
        self._local.pending = []
        held = held_audit.write_held()
        try:
            with write_tx(self.db):
                yield
                audit.append_many(self.db, [*held, *self._local.pending])
        finally:
            self._local.pending = None
        held_audit.written(len(held))

    def audit(self, action: str, entity: str, record_id: int | None,
              field: str | None = None, old: Any = None, new: Any = None) -> None:
        """Log one entry as the acting person (with the transaction when one is open)."""
        entry = {"user_id": self.session.user_id, "username": self.session.username,
                 "action": action, "entity": entity, "record_id": record_id, "field": field,
                 "old": old, "new": new}
        if self._pending is None:
            held_audit.append(self.db, [entry])  # held in memory for a read on a full disk
        else:
            self._pending.append(entry)


class Service:
    """Base of the services: holds the context of the acting person."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def db(self) -> peewee.Database:
        """The register's database, bound to the acting person's commune(s)."""
        return self.ctx.db

    @property
    def session(self) -> Session:
        """The acting person."""
        return self.ctx.session


def operation(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service method as an operation needing ``permission``.

    The session is touched first (an idle session raises ``SessionExpired``), then the
    role is checked (``PermissionDenied``); database faults inside become the
    ``tui.errors`` exception that says them in Vietnamese. ``method.permission`` names
    what it needs; the role x operation test reads it.
    """

    def mark(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            service = args[0]
            assert isinstance(service, Service)
            service.session.touch()
            require(service.session, permission)
            try:
                return method(*args, **kwargs)
            except DB_ERRORS as exc:  # as translate_errors, without a generator per call
                mapped = map_error(exc, str(service.db.database))
                if mapped is None:
                    raise
                raise mapped from exc

        checked.permission = permission  # type: ignore[attr-defined]
        return checked

    return mark


def unchecked(reason: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a public service method that needs no role (e.g. the person's own drafts);
    ``reason`` says why, and the role x operation test lists it."""

    def mark(method: Callable[P, R]) -> Callable[P, R]:
        method.unchecked = reason  # type: ignore[attr-defined]
        return method

    return mark
