"""Decisions on candidate duplicate pairs (``duplicate_decision``) and the change stamp
that tells when the children changed (so cached candidates can be reused)."""

from __future__ import annotations

import peewee

from tui.store.models import Child, DuplicateDecision

__all__ = ["decided_pairs", "decision_of", "forget", "record", "stamp"]


def stamp(db: peewee.Database) -> tuple[object, ...]:
    """Changes whenever a child is added, changed or merged."""
    row = Child.select(peewee.fn.COUNT(Child.id), peewee.fn.MAX(Child.id),
                       peewee.fn.MAX(Child.updated_at)).tuples().first()
    return tuple(row) if row else ()


def decided_pairs(db: peewee.Database) -> dict[tuple[int, int], str]:
    """Every decision taken, by (smaller id, larger id)."""
    query = DuplicateDecision.select(DuplicateDecision.left, DuplicateDecision.right,
                                     DuplicateDecision.decision).tuples()
    return {(left, right): decision for left, right, decision in query}


def decision_of(db: peewee.Database, left: int, right: int) -> tuple[str, ...] | None:
    """The stored decision row of a pair (decision, by_id, at, note), or None."""
    row = (DuplicateDecision.select(DuplicateDecision.decision, DuplicateDecision.by,
                                    DuplicateDecision.at, DuplicateDecision.note)
           .where((DuplicateDecision.left == left) & (DuplicateDecision.right == right))
           .tuples().first())
    return tuple(row) if row else None


def record(db: peewee.Database, left: int, right: int, decision: str, by: int | None,
           at: str, note: str) -> None:
    """Store (or replace) the decision on pair (left, right)."""
    (DuplicateDecision
     .insert(left=left, right=right, decision=decision, by=by, at=at, note=note)
     .on_conflict(conflict_target=[DuplicateDecision.left, DuplicateDecision.right],
                  update={DuplicateDecision.decision: decision, DuplicateDecision.by: by,
                          DuplicateDecision.at: at, DuplicateDecision.note: note})
     .execute())


def forget(db: peewee.Database, left: int, right: int) -> None:
    """Remove the decision on pair (left, right)."""
    DuplicateDecision.delete().where((DuplicateDecision.left == left)
                                     & (DuplicateDecision.right == right)).execute()
