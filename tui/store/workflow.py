"""The workflow of a child's record (DOMAIN.md §1): states, transitions and history.

Every transition is a ``WorkflowEvent`` row plus an audit entry, and the current state is
kept on the child for the lists. Entering puts a record in ``entered``; step 3 may send it
to ``needs_fixing``; a police batch moves it to ``sent_to_police`` and the returned list
to ``id_verified``; step 5 marks ``circumstances_reviewed``; a re-check ``rechecked``.

Saving moves a record automatically (:func:`auto_target`): a save that leaves a step-3
problem (the codes of the "no ID", "bad ID" and "basic information" review lists) sends
it to ``needs_fixing``; the save that clears the last one brings it back to ``entered``,
or to ``id_verified`` when its number is the one the police verified. A record that has
moved past entry (with the police, verified, reviewed, re-checked) is sent back only by a
*new* problem, so that a known, accepted warning (an unusual but police-verified number)
does not re-open it at every edit; while the police hold it, problems of the ID number
alone leave it with them (their answer settles the number).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

import peewee

from tui.messages import core as msg
from tui.store import audit
from tui.store.clock import now_iso
from tui.store.errors import InvalidInput, NotFound

__all__ = [
    "ALLOWED",
    "INITIAL",
    "PAST_ENTRY",
    "STATES",
    "apply_auto",
    "auto_target",
    "history",
    "id_codes",
    "record",
    "step3_codes",
    "step3_of",
    "transition",
]

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


#: States a record reaches after entry and fixing: only a new problem sends it back.
PAST_ENTRY = frozenset({"sent_to_police", "id_verified", "circumstances_reviewed",
                        "rechecked"})


@functools.cache
def step3_codes() -> frozenset[str]:
    """Issue codes that put a child on a step-3 list (no ID, bad ID, basic information)."""
    from tui.store.review import kind_codes

    return frozenset(c for kind in ("no_id", "bad_id", "basic_info") for c in kind_codes(kind))


@functools.cache
def id_codes() -> frozenset[str]:
    """The step-3 codes about the ID number alone (what the police answer settles)."""
    from tui.store.review import kind_codes

    return frozenset(c for kind in ("no_id", "bad_id") for c in kind_codes(kind))


def step3_of(issues: Iterable[Any] | str | None) -> frozenset[str]:
    """The step-3 codes among ``issues``: Issue objects, dicts, or the stored JSON text."""
    if issues is None:
        return frozenset()
    if isinstance(issues, str):
        try:
            issues = json.loads(issues or "[]")
        except ValueError:
            return frozenset()
    wanted = step3_codes()
    found = set()
    for item in issues:
        code = item.get("code") if isinstance(item, dict) else getattr(item, "code", None)
        if code in wanted:
            found.add(code)
    return frozenset(found)


def auto_target(state: str, before: frozenset[str], after: frozenset[str], *,
                number_verified: bool) -> str | None:
    """The state a save moves a record to, or None to leave it where it is.

    ``before`` and ``after`` are the step-3 codes of the record before and after the save
    (``before`` empty for a new record); ``number_verified`` says whether the saved ID
    number is one the police verified.
    """
    if after:
        if state == "needs_fixing":
            return None
        if state == "sent_to_police" and after <= id_codes():
            return None
        if state in PAST_ENTRY and after <= before:
            return None
        return "needs_fixing"
    if state == "needs_fixing":
        return "id_verified" if number_verified else "entered"
    return None


def _number_verified(db: peewee.SqliteDatabase, child_id: int) -> bool:
    row = db.execute_sql(
        "SELECT 1 FROM police_batch_row r JOIN child c ON c.id = r.child_id "
        "WHERE r.child_id = ? AND c.personal_id IS NOT NULL AND r.id_verified = c.personal_id "
        "AND r.status IN ('verified', 'corrected') LIMIT 1", (child_id,)).fetchone()
    return row is not None


def apply_auto(db: peewee.SqliteDatabase, child_id: int, user: Any,
               before: frozenset[str], after: frozenset[str]) -> str | None:
    """Move a just-saved child as :func:`auto_target` says (inside the caller's write
    transaction; the save has already set the record's version). Returns the new state,
    or None when the record stays where it was."""
    row = db.execute_sql("SELECT state FROM child WHERE id = ?", (child_id,)).fetchone()
    if row is None:
        return None
    state = row[0]
    target = auto_target(state, before, after,
                         number_verified=not after and state == "needs_fixing"
                         and _number_verified(db, child_id))
    if target is None or target not in ALLOWED.get(state, frozenset()):
        return None
    note = (msg.AUTO_NEEDS_FIXING.format(codes=", ".join(sorted(after)))
            if target == "needs_fixing" else msg.AUTO_FIXED)
    transition(db, child_id, target, user, note, bump=False)
    return target


def record(db: peewee.SqliteDatabase, child_id: int, state: str, user: Any,
           note: str = "") -> None:
    """Append a workflow event (inside the caller's write transaction)."""
    db.execute_sql(
        "INSERT INTO workflow_event (child_id, state, at, by_id, note) VALUES (?, ?, ?, ?, ?)",
        (child_id, state, now_iso(), getattr(user, "user_id", None), note),
    )


def transition(db: peewee.SqliteDatabase, child_id: int, target: str, user: Any,
               note: str = "", *, bump: bool = True) -> None:
    """Move a child to ``target`` (inside the caller's write transaction); audited.

    ``bump`` False leaves the record's version alone (a save that already set it).

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
    db.execute_sql("UPDATE child SET state = ?, version = version + ? WHERE id = ?",
                   (target, int(bump), child_id))
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
