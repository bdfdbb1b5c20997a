"""Re-check (phúc tra, DOMAIN.md §1): a checker other than the enterer re-verifies a sample.

:func:`draw_sample` picks ``percent``% (``Setting.recheck_percent`` by default) of the
commune's children at random, rounded up, among those the checker may re-check: not
entered or last edited by the checker, not already re-checked since their last change.
:func:`record_recheck` records the result: a match moves the child to ``rechecked``; a
discrepancy records the note and the fields that differed, applies the corrections
through ``Register.save_child`` (libchild validates them; an error refuses the whole
re-check, nothing is written) and moves the child to ``needs_fixing`` when step-3
problems remain, else to ``rechecked``. Each result is one workflow event (the child's
history) and one audit entry (``entity="recheck"``, attributed to the checker, naming the
enterer), from which :func:`summary` counts checks and discrepancies per enterer, as
CSPro's verification counts errors per keyer.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping
from typing import Any

from libchild.text.fold import fold
from tui.messages import core as msg
from tui.store import workflow
from tui.store.errors import InvalidInput, NotFound, PermissionDenied
from tui.store.records import CHILD_FIELDS

__all__ = ["draw_sample", "record_recheck", "sample_size", "summary"]

#: Audit entity of re-check results (indexed with the child id as record id).
ENTITY = "recheck"


def sample_size(percent: float, children: int) -> int:
    """``ceil(percent% of children)``: 5% of 101 children is 6."""
    return math.ceil(children * percent / 100 - 1e-9) if children > 0 else 0


def _percent(register: Any, percent: float | None) -> float:
    if percent is None:
        row = register.db.execute_sql(
            "SELECT recheck_percent FROM setting WHERE id = 1").fetchone()
        percent = row[0] if row and row[0] else 5
    try:
        value = float(percent)
    except (TypeError, ValueError):
        raise InvalidInput(msg.RECHECK_PERCENT_INVALID.format(value=percent)) from None
    if not 0 < value <= 100:
        raise InvalidInput(msg.RECHECK_PERCENT_INVALID.format(value=percent))
    return value


# "Not re-checked since the last change" compares audit ids, not timestamps: two writes
# can share a millisecond.
_ELIGIBLE = (
    "SELECT c.id FROM child c WHERE c.merged_into IS NULL "
    "AND coalesce(c.created_by, -1) != ? AND coalesce(c.updated_by, -1) != ? "
    "AND NOT EXISTS (SELECT 1 FROM audit_entry a WHERE a.entity = 'recheck' "
    "AND a.record_id = c.id AND a.id > (SELECT coalesce(max(b.id), 0) FROM audit_entry b "
    "WHERE b.entity = 'child' AND b.record_id = c.id AND b.action IN ('create', 'update'))) "
    "ORDER BY c.id"
)


def draw_sample(register: Any, percent: float | None = None,
                seed: int | None = None) -> list[dict[str, Any]]:
    """A random sample for ``register.user`` to re-check, by village then name.

    The size is ``ceil(percent% of the commune's children)`` (merged records aside),
    capped by how many the checker may re-check. The same ``seed`` on the same register
    gives the same sample. Each row: ``id``, ``full_name``, ``birth_date``, ``sex``,
    ``personal_id``, ``village``, ``state``, ``entered_by`` (name of the person who last
    entered or edited it). Viewing the sample is audited.
    """
    register._act("recheck")
    value = _percent(register, percent)
    db = register.db
    me = register.user.user_id
    total = int(db.execute_sql(
        "SELECT count(*) FROM child WHERE merged_into IS NULL").fetchone()[0])
    eligible = [r[0] for r in db.execute_sql(_ELIGIBLE, (me, me))]
    size = min(sample_size(value, total), len(eligible))
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    picked = rng.sample(eligible, size)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(picked), 500):
        chunk = picked[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        cursor = db.execute_sql(
            "SELECT c.id, c.full_name, c.birth_date, c.sex, c.personal_id, c.village, "
            "c.state, coalesce(u.full_name, '') FROM child c "
            "LEFT JOIN user u ON u.id = coalesce(c.updated_by, c.created_by) "
            f"WHERE c.id IN ({marks})", chunk)
        keys = ("id", "full_name", "birth_date", "sex", "personal_id", "village", "state",
                "entered_by")
        rows.extend(dict(zip(keys, r, strict=True)) for r in cursor)
    rows.sort(key=lambda r: (fold(r["village"] or ""), fold(r["full_name"] or ""), r["id"]))
    with register._tx():
        register._audit("view", ENTITY, None, "sample", None,
                        {"percent": value, "seed": seed, "children": [r["id"] for r in rows]})
    return rows


def _enterer(row: Mapping[str, Any]) -> int | None:
    return row.get("updated_by") or row.get("created_by")


def record_recheck(register: Any, child_id: int, ok: bool, note: str = "",
                   corrections: Mapping[str, Any] | None = None) -> str:
    """Record the re-check of one child by ``register.user``; returns the new state.

    ``ok`` True: the record matches the paper book. ``ok`` False: ``note`` (required)
    says what differed and ``corrections`` (canonical field -> value as read in the book)
    are applied through ``save_child``. Raises ``PermissionDenied`` when the checker
    entered or last edited the record, ``InvalidInput`` / ``ValidationFailed`` (Vietnamese)
    for bad input; nothing is written then.
    """
    register._act("recheck")
    db = register.db
    cursor = db.execute_sql(
        "SELECT id, created_by, updated_by, merged_into, version, state FROM child "
        "WHERE id = ?", (int(child_id),))
    found = cursor.fetchone()
    if found is None:
        raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
    row = dict(zip([d[0] for d in cursor.description], found, strict=True))
    if row["merged_into"] is not None:
        raise InvalidInput(msg.MERGED_ALREADY.format(child_id=child_id))
    me = register.user.user_id
    if me in (row["created_by"], row["updated_by"]):
        raise PermissionDenied(register.user.role, "recheck",
                               msg.RECHECK_OWN_RECORD.format(child_id=child_id))
    note = " ".join(str(note or "").split())
    corrections = dict(corrections or {})
    if ok and corrections:
        raise InvalidInput(msg.RECHECK_OK_WITH_CORRECTIONS)
    if not ok and not note:
        raise InvalidInput(msg.RECHECK_NOTE_REQUIRED)
    allowed = {*CHILD_FIELDS, "circumstances", "supports"}
    for field in corrections:
        if field not in allowed:
            raise InvalidInput(msg.RECHECK_FIELD_UNKNOWN.format(field=field))
    enterer = _enterer(row)
    with register._tx():
        fields: list[str] = []
        if corrections:
            current = register.get_child(row["id"], audit_view=False)
            data = {k: current[k] for k in CHILD_FIELDS}
            data.update(id=current["id"], village_id=current["village_id"],
                        circumstances=current["circumstances"], supports=current["supports"])
            data.update(corrections)
            register.save_child(data, current["version"])
            after = register.get_child(row["id"], audit_view=False)
            fields = [f for f in corrections if _differs(current.get(f), after.get(f))]
        state = db.execute_sql("SELECT state, issues FROM child WHERE id = ?",
                               (row["id"],)).fetchone()
        remaining = workflow.step3_of(state[1])
        if ok:
            event = msg.RECHECK_OK_NOTE
        else:
            event = msg.RECHECK_DISCREPANCY_NOTE.format(
                fields=", ".join(fields) or msg.RECHECK_NO_FIELDS, note=note)
        target = "needs_fixing" if remaining else "rechecked"
        if state[0] == target or target not in workflow.ALLOWED.get(state[0], frozenset()):
            workflow.record(db, row["id"], state[0], register.user, event)  # no move
            target = state[0]
        else:
            workflow.transition(db, row["id"], target, register.user, event)
        register._audit("recheck", ENTITY, row["id"], "result", None, {
            "ok": bool(ok), "note": note, "fields": fields, "enterer": enterer,
            "state": target})
    return target


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, list) and isinstance(new, list):
        strip = [{k: v for k, v in (i or {}).items() if k != "id"} for i in old]
        return strip != [{k: v for k, v in (i or {}).items() if k != "id"} for i in new]
    return old != new


def summary(register: Any) -> list[dict[str, Any]]:
    """Checks and discrepancies per enterer (CSPro's errors per keyer), most checked first.

    Each row: ``enterer`` (user id or None), ``name``, ``checked``, ``discrepancies``,
    ``rate`` (discrepancies / checked, 0..1).
    """
    register._act("recheck")
    counts: dict[int | None, list[int]] = {}
    for entry_new in register.db.execute_sql(
            "SELECT new FROM audit_entry WHERE entity = ? AND action = 'recheck'", (ENTITY,)):
        value = json.loads(entry_new[0]) if entry_new[0] else {}
        item = counts.setdefault(value.get("enterer"), [0, 0])
        item[0] += 1
        item[1] += 0 if value.get("ok") else 1
    names = {r[0]: r[1] for r in register.db.execute_sql("SELECT id, full_name FROM user")}
    rows = [{"enterer": k, "name": names.get(k, ""), "checked": v[0], "discrepancies": v[1],
             "rate": v[1] / v[0] if v[0] else 0.0} for k, v in counts.items()]
    rows.sort(key=lambda r: (-r["checked"], r["name"]))
    return rows
