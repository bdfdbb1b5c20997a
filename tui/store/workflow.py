"""The rows of a child's workflow: its current state and the events that led there.

The rules (which state may follow which, the automatic moves on save) are in
``tui.services.workflow``; this module only reads and writes ``child.state`` and
``workflow_event``, inside the caller's write transaction.
"""

from __future__ import annotations

import attrs
import peewee

from tui.store import tenancy
from tui.store.clock import now_iso
from tui.store.database import run
from tui.store.models import User, WorkflowEvent

__all__ = ["Event", "add_event", "events", "set_state", "state_of"]


@attrs.frozen
class Event:
    """One workflow event of a child, as its history shows it."""

    state: str
    at: str
    by_id: int | None
    by_name: str
    note: str


# Written as text: these run at every save (see ``tui.store.children``).
def state_of(db: peewee.Database, child_id: int) -> str | None:
    """The child's current state, None for an unknown child."""
    row = run(db, f"SELECT state FROM child WHERE id = ?{tenancy.where(db)}",
              (child_id, *tenancy.where_params(db))).fetchone()
    return row[0] if row else None


def set_state(db: peewee.Database, child_id: int, state: str, *, bump: bool) -> None:
    """Set the child's state; ``bump`` adds one to its version."""
    run(db, f"UPDATE child SET state = ?, version = version + ? WHERE id = ?{tenancy.where(db)}",
        (str(state), int(bump), child_id, *tenancy.where_params(db)))


def add_event(db: peewee.Database, child_id: int, state: str, user_id: int | None,
              note: str = "") -> None:
    """Append a workflow event."""
    run(db, "INSERT INTO workflow_event (child_id, state, at, by_id, note, commune) "
            "VALUES (?, ?, ?, ?, ?, ?)",
        (child_id, str(state), now_iso(), user_id, note, tenancy.stamp(db)))


def events(db: peewee.Database, child_id: int) -> list[Event]:
    """The child's workflow events, oldest first, with the name of who made each."""
    query = (WorkflowEvent
             .select(WorkflowEvent.state, WorkflowEvent.at, WorkflowEvent.by,
                     User.full_name, WorkflowEvent.note)
             .join(User, peewee.JOIN.LEFT_OUTER, on=(User.id == WorkflowEvent.by))
             .where(WorkflowEvent.child == child_id)
             .order_by(WorkflowEvent.id).tuples())
    return [Event(state, at, by_id, name or "", note)
            for state, at, by_id, name, note in query]
