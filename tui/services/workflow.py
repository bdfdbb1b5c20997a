"""The workflow of a child's record (DOMAIN.md §1): which state may follow which, and the
automatic moves on save.

Every transition is a workflow event plus an audit entry, and the current state is kept on
the child for the lists. Entering puts a record in ``entered``; step 3 may send it to
``needs_fixing``; a police batch moves it to ``sent_to_police`` and the returned list to
``id_verified``; step 5 marks ``circumstances_reviewed``; a re-check ``rechecked``.

Saving moves a record automatically (:func:`auto_target`): a save that leaves a step 3
problem (``tui.review_rules.step3_codes``) sends it to ``needs_fixing``; the save that
clears the last one brings it back to ``entered``, or to ``id_verified`` when its number
is the one the police verified. A record that has moved past entry (with the police,
verified, reviewed, re-checked) is sent back only by a *new* problem, so that a known,
accepted warning (an unusual but police-verified number) does not re-open it at every
edit; while the police hold it, problems of the ID number alone leave it with them.

These functions run inside an operation's transaction (``tui.services.base.Context``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tui.domain import RecordState
from tui.errors import InvalidInput, NotFound
from tui.messages import core as msg
from tui.messages.labels import STATE_NAMES, name_of
from tui.review_rules import id_codes, step3_codes
from tui.services.base import Context
from tui.store import police as police_store
from tui.store import workflow as store

__all__ = ["ALLOWED", "PAST_ENTRY", "apply_auto", "auto_target", "can_move", "record",
           "step3_of", "transition"]

S = RecordState

#: Which states may follow each state. A record can always go back to needs_fixing.
ALLOWED: dict[RecordState, frozenset[RecordState]] = {
    S.ENTERED: frozenset({S.NEEDS_FIXING, S.SENT_TO_POLICE, S.ID_VERIFIED,
                          S.CIRCUMSTANCES_REVIEWED, S.RECHECKED}),
    S.NEEDS_FIXING: frozenset({S.ENTERED, S.SENT_TO_POLICE, S.ID_VERIFIED}),
    S.SENT_TO_POLICE: frozenset({S.ID_VERIFIED, S.NEEDS_FIXING}),
    S.ID_VERIFIED: frozenset({S.CIRCUMSTANCES_REVIEWED, S.RECHECKED, S.NEEDS_FIXING,
                              S.SENT_TO_POLICE}),
    S.CIRCUMSTANCES_REVIEWED: frozenset({S.RECHECKED, S.NEEDS_FIXING,
                                         S.CIRCUMSTANCES_REVIEWED, S.SENT_TO_POLICE}),
    S.RECHECKED: frozenset({S.NEEDS_FIXING, S.CIRCUMSTANCES_REVIEWED, S.RECHECKED,
                            S.SENT_TO_POLICE}),
}

#: States a record reaches after entry and fixing: only a new problem sends it back.
PAST_ENTRY = frozenset({S.SENT_TO_POLICE, S.ID_VERIFIED, S.CIRCUMSTANCES_REVIEWED,
                        S.RECHECKED})


def can_move(current: str, target: str) -> bool:
    """True when ``target`` may follow ``current``."""
    try:
        return RecordState(target) in ALLOWED.get(RecordState(current), frozenset())
    except ValueError:
        return False


def step3_of(issues: Iterable[Any] | str | None) -> frozenset[str]:
    """The step 3 codes among ``issues``: Issue objects, dicts, or the stored JSON text."""
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
                number_verified: bool) -> RecordState | None:
    """The state a save moves a record to, or None to leave it where it is.

    ``before`` and ``after`` are the step 3 codes of the record before and after the save
    (``before`` empty for a new record); ``number_verified`` says whether the saved ID
    number is one the police verified.
    """
    if after:
        if state == S.NEEDS_FIXING:
            return None
        if state == S.SENT_TO_POLICE and after <= id_codes():
            return None
        if state in PAST_ENTRY and after <= before:
            return None
        return S.NEEDS_FIXING
    if state == S.NEEDS_FIXING:
        return S.ID_VERIFIED if number_verified else S.ENTERED
    return None


def record(ctx: Context, child_id: int, state: str, note: str = "") -> None:
    """Append a workflow event without moving the record."""
    store.add_event(ctx.db, child_id, state, ctx.session.user_id, note)


def transition(ctx: Context, child_id: int, target: RecordState, note: str = "", *,
               bump: bool = True) -> None:
    """Move a child to ``target``; audited. ``bump`` False leaves the version alone (a
    save that already set it). ``InvalidInput`` (naming both states) when the step is
    not allowed, ``NotFound`` for an unknown child."""
    current = store.state_of(ctx.db, child_id)
    if current is None:
        raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
    if not can_move(current, target):
        raise InvalidInput(msg.TRANSITION_INVALID.format(
            current=name_of(STATE_NAMES, current), target=name_of(STATE_NAMES, target)))
    store.set_state(ctx.db, child_id, target, bump=bump)
    store.add_event(ctx.db, child_id, target, ctx.session.user_id, note)
    ctx.audit("workflow", "child", child_id, "state", current, str(target))


def apply_auto(ctx: Context, child_id: int, before: frozenset[str],
               after: frozenset[str]) -> RecordState | None:
    """Move a just-saved child as :func:`auto_target` says; the new state or None."""
    state = store.state_of(ctx.db, child_id)
    if state is None:
        return None
    verified = (not after and state == S.NEEDS_FIXING
                and bool(police_store.verified_ids(ctx.db, [child_id])))
    target = auto_target(state, before, after, number_verified=verified)
    if target is None or not can_move(state, target):
        return None
    note = (msg.AUTO_NEEDS_FIXING.format(codes=", ".join(sorted(after)))
            if target == S.NEEDS_FIXING else msg.AUTO_FIXED)
    transition(ctx, child_id, target, note, bump=False)
    return target
