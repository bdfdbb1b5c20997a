"""The workflow of a child's record (DOMAIN.md §1): states, transitions and history.

Every transition is a ``WorkflowEvent`` row plus an audit entry, and the current state is
kept on the child for the lists. Entering puts a record in ``entered``; step 3 may send it
to ``needs_fixing``; a police batch moves it to ``sent_to_police`` and the returned list
to ``id_verified``; step 5 marks ``circumstances_reviewed``; a re-check ``rechecked``.
"""

from __future__ import annotations

from typing import Any

import peewee

from tui.messages import core as msg
from tui.store import audit
from tui.store.clock import now_iso
from tui.store.errors import InvalidInput, NotFound

__all__ = ["ALLOWED", "INITIAL", "STATES", "history", "record", "transition"]

INITIAL = "entered"
STATES = ("entered", "needs_fixing", "sent_to_police", "id_verified",
          "circumstances_reviewed", "rechecked")

#: Which states may follow each state. A record can always go back to needs_fixing.
ALLOWED: dict[str, frozenset[str]] = {
    "entered": frozenset({"needs_fixing", "sent_to_police", "id_verified",
                          "circumstances_reviewed", "rechecked"}),
    "needs_fixing": frozenset({"entered", "sent_to_police", "id_verified"}),
    "sent_to_police": frozenset({"id_verified", "needs_fixing"}),
    "id_verified": frozenset({"circumstances_reviewed", "rechecked", "needs_fixing",
                              "sent_to_police"}),
    "circumstances_reviewed": frozenset({"rechecked", "needs_fixing",
                                         "circumstances_reviewed", "sent_to_police"}),
    "rechecked": frozenset({"needs_fixing", "circumstances_reviewed", "rechecked",
                            "sent_to_police"}),
}


def record(db: peewee.SqliteDatabase, child_id: int, state: str, user: Any,
           note: str = "") -> None:
    """Append a workflow event (inside the caller's write transaction)."""
    db.execute_sql(
        "INSERT INTO workflow_event (child_id, state, at, by_id, note) VALUES (?, ?, ?, ?, ?)",
        (child_id, state, now_iso(), getattr(user, "user_id", None), note),
    )


def transition(db: peewee.SqliteDatabase, child_id: int, target: str, user: Any,
               note: str = "") -> None:
    """Move a child to ``target`` (inside the caller's write transaction); audited.

    Raises ``InvalidInput`` (Vietnamese message naming both states) when the step is not
    allowed, ``NotFound`` for an unknown child.
    """
    row = db.execute_sql("SELECT state FROM child WHERE id = ?", (child_id,)).fetchone()
    if row is None:
        raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
    current = row[0]
    if target not in STATES or target not in ALLOWED.get(current, frozenset()):
        raise InvalidInput(msg.TRANSITION_INVALID.format(
            current=msg.STATE_NAMES.get(current, current),
            target=msg.STATE_NAMES.get(target, target)))
    db.execute_sql("UPDATE child SET state = ?, version = version + 1 WHERE id = ?",
                   (target, child_id))
    record(db, child_id, target, user, note)
    audit.append(db, user_id=getattr(user, "user_id", None),
                 username=getattr(user, "username", ""), action="workflow", entity="child",
                 record_id=child_id, field="state", old=current, new=target)


def history(db: peewee.SqliteDatabase, child_id: int) -> list[dict[str, Any]]:
    """The child's workflow events, oldest first, with the state's Vietnamese name."""
    rows = db.execute_sql(
        "SELECT e.state, e.at, e.by_id, u.full_name, e.note FROM workflow_event e "
        "LEFT JOIN user u ON u.id = e.by_id WHERE e.child_id = ? ORDER BY e.id",
        (child_id,),
    ).fetchall()
    return [
        {"state": r[0], "state_name": msg.STATE_NAMES.get(r[0], r[0]), "at": r[1],
         "by": r[2], "by_name": r[3] or "", "note": r[4]}
        for r in rows
    ]
