"""The audit log as a person reads it: recent entries, one child's entries, the check of
the hash chain; and the record of a view that is not an operation of its own (a list
printed by the command line)."""

from __future__ import annotations

from typing import Any

import attrs

from tui.domain import Permission
from tui.errors import NotFound
from tui.messages import core as msg
from tui.services.base import Service, operation, unchecked
from tui.store import audit as store
from tui.store.tenancy import PROVINCE_CHAIN

__all__ = ["AuditService", "HeadNotFound", "LogEntry", "Verification", "normalize_code"]

#: No entry of the chain has the head code given to ``verify(since=...)``.
HeadNotFound = store.HeadNotFound
#: A head code as typed (spaces, dashes, case) -> its canonical form, or None if malformed.
normalize_code = store.normalize_code


@attrs.frozen
class LogEntry:
    """One audit entry (``old`` and ``new`` decoded from JSON)."""

    id: int
    at: str
    username: str
    action: str
    entity: str
    record_id: int | None
    field: str | None
    old: Any
    new: Any


@attrs.frozen
class Verification:
    """The result of checking the chain: the entries checked and the problems found."""

    entries: int
    problems: tuple[str, ...]
    since_entry: int | None = None  # the entry whose head is the ``since`` code
    keyed: bool = True  # False: a register made before keys, not written to since


@attrs.frozen
class Head:
    """The newest entry and the short code of the chain's head (written on paper)."""

    entry_id: int
    code: str


class AuditService(Service):
    """Reading and checking the log, for the acting person."""

    @operation(Permission.VIEW_AUDIT)
    def recent(self, *, child_id: int | None = None, limit: int = 100) -> list[LogEntry]:
        """The newest ``limit`` entries (of one child when given), oldest first; the
        reading itself is audited."""
        rows = store.recent(self.db, entity="child" if child_id is not None else None,
                            record_id=child_id, limit=limit)
        self.ctx.audit("view", "audit", None, "list", None,
                       {"child": child_id} if child_id is not None else None)
        return [LogEntry(r["id"], r["at"], r["username"], r["action"], r["entity"],
                         r["record_id"], r["field"], r["old"], r["new"]) for r in rows]

    @operation(Permission.VIEW_AUDIT)
    def verify(self, *, since: str | None = None) -> Verification:
        """Recompute the keyed chain and the digest of every audited row; the problems
        found (Vietnamese), none when intact. With ``since`` (a code from ``head``),
        ``store.HeadNotFound`` when no entry has that head; a missing or wrong key raises
        ``AuditKeyError``."""
        problems, since_entry = store.verify_since(self.db, since=since)
        checked = store.count(self.db)
        keyed = store.is_keyed(self.db)  # read before this view's own entry keys it
        self.ctx.audit("view", "audit", None, "verify", None, {"problems": len(problems)})
        return Verification(checked, tuple(problems), since_entry, keyed)

    @operation(Permission.MANAGE_COMMUNES)
    def verify_communes(self, commune: str | None = None) -> list[tuple[str, Verification]]:
        """Each commune's chain checked apart (``commune`` only, when given; else every
        commune of the province's database and the province's own chain), as the
        province administrator checks them: the problems name tables and ids, never a
        child's data. Tampering in one commune is reported for that commune only."""
        scope = self.session.scope
        chains = [c for c in store.chain_communes(self.db)
                  if c == PROVINCE_CHAIN or scope.covers_commune(c)]
        if commune is not None:
            if commune not in chains:
                raise NotFound(msg.COMMUNE_NOT_HERE.format(commune=commune))
            chains = [commune]
        out = []
        for code in chains:
            problems, _since = store.verify_since(self.db, commune=code)
            out.append((code, Verification(store.count(self.db, code), tuple(problems),
                                           None, store.is_keyed(self.db, code))))
        self.ctx.audit("view", "audit", None, "verify", None,
                       {code: len(found.problems) for code, found in out})
        return out

    @operation(Permission.VIEW_AUDIT)
    def head(self) -> Head:
        """The chain's head as a short code. Not audited itself: reading it changes
        nothing, and an entry for it would move the head the officer is copying."""
        entry_id, code = store.head(self.db)
        return Head(entry_id, code)

    @unchecked("records a view its caller was allowed to make")
    def record_view(self, entity: str, field: str, **details: Any) -> None:
        """Log that the person viewed ``entity`` (e.g. the review lists printed by
        ``treem check``); ``details`` are kept with the entry."""
        self.ctx.audit("view", entity, None, field, None, details or None)
