"""Re-check (phúc tra, DOMAIN.md §1): a checker other than the enterer re-verifies a sample.

:meth:`RecheckService.sample` picks ``percent``% (the commune's setting by default) of the
children at random, rounded up, among those the checker may re-check: not entered or last
edited by the checker, not already re-checked since their last change.
:meth:`RecheckService.record` records a result: a match moves the child to ``rechecked``;
a discrepancy records the note and the fields that differed, applies the corrections
through the children service (libchild validates them; an error refuses the whole
re-check, nothing is written) and moves the child to ``needs_fixing`` when step 3
problems remain, else to ``rechecked``. Each result is one workflow event and one audit
entry (attributed to the checker, naming the enterer), from which
:meth:`RecheckService.summary` counts checks and discrepancies per enterer, as CSPro's
verification counts errors per keyer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import attrs

from libchild.text.fold import fold
from tui.domain import Permission, RecordState
from tui.errors import InvalidInput, NotFound, PermissionDenied
from tui.messages import core as msg
from tui.services import workflow
from tui.services.base import Service, operation
from tui.services.children import ChildrenService
from tui.store import children as child_store
from tui.store import recheck as store
from tui.store import settings as settings_store
from tui.store import users as user_store
from tui.store.records import CHILD_FIELDS

__all__ = ["EntererSummary", "RecheckService", "Sample", "sample_size"]


def sample_size(percent: float, children: int) -> int:
    """``ceil(percent% of children)``: 5% of 101 children is 6."""
    return math.ceil(children * percent / 100 - 1e-9) if children > 0 else 0


@attrs.frozen
class Sample:
    """A drawn sample: the percentage used, the commune's children, the rows."""

    percent: float
    children: int
    rows: tuple[store.SampleRow, ...]


@attrs.frozen
class EntererSummary:
    """Re-checks of one enterer's records: how many, how many differed, the rate."""

    enterer: int | None
    name: str
    checked: int
    discrepancies: int

    @property
    def rate(self) -> float:
        """Discrepancies per check, 0..1."""
        return self.discrepancies / self.checked if self.checked else 0.0


class RecheckService(Service):
    """The re-check for the acting checker."""

    def _percent(self, percent: float | None) -> float:
        if percent is None:
            found = settings_store.read(self.db)
            percent = found.recheck_percent if found and found.recheck_percent else 5
        try:
            value = float(percent)
        except (TypeError, ValueError):
            raise InvalidInput(msg.RECHECK_PERCENT_INVALID.format(value=percent)) from None
        if not 0 < value <= 100:
            raise InvalidInput(msg.RECHECK_PERCENT_INVALID.format(value=percent))
        return value

    @operation(Permission.RECHECK)
    def sample(self, percent: float | None = None, seed: int | None = None) -> Sample:
        """A random sample for the checker, by village then name; the same ``seed`` on the
        same register gives the same sample. Viewing the sample is audited."""
        value = self._percent(percent)
        total = child_store.count_living(self.db)
        eligible = store.eligible(self.db, self.session.user_id)
        size = min(sample_size(value, total), len(eligible))
        rng = random.Random(seed) if seed is not None else random.SystemRandom()
        rows = store.sample_rows(self.db, rng.sample(eligible, size))
        rows.sort(key=lambda r: (fold(r.village or ""), fold(r.full_name or ""), r.id))
        self.ctx.audit("view", store.ENTITY, None, "sample", None,
                       {"percent": value, "seed": seed, "children": [r.id for r in rows]})
        return Sample(value, total, tuple(rows))

    @operation(Permission.RECHECK)
    def record(self, child_id: int, ok: bool, note: str = "",
               corrections: Mapping[str, Any] | None = None) -> RecordState:
        """Record the re-check of one child; returns its state afterwards.

        ``ok`` True: the record matches the paper book. ``ok`` False: ``note`` (required)
        says what differed and ``corrections`` (canonical field -> value as read in the
        book) are applied. ``PermissionDenied`` when the checker entered or last edited
        the record; ``InvalidInput`` / ``ValidationFailed`` for bad input (nothing is
        written then).
        """
        row = child_store.get(self.db, int(child_id))
        if row is None:
            raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
        if row["merged_into"] is not None:
            raise InvalidInput(msg.MERGED_ALREADY.format(child_id=child_id))
        me = self.session.user_id
        if me in (row["created_by"], row["updated_by"]):
            raise PermissionDenied(self.session.role, Permission.RECHECK,
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
        enterer = row["updated_by"] or row["created_by"]
        kids = ChildrenService(self.ctx)
        with self.ctx.tx():
            fields: list[str] = []
            if corrections:
                before = kids.get(row.id, audit_view=False)
                kids._save({"id": row.id, **corrections}, before.version)
                after = kids.get(row.id, audit_view=False)
                fields = [f for f in corrections if _differs(before, after, f)]
            current = child_store.get(self.db, row.id)
            assert current is not None
            remaining = workflow.step3_of(current["issues"])
            if ok:
                event = msg.RECHECK_OK_NOTE
            else:
                event = msg.RECHECK_DISCREPANCY_NOTE.format(
                    fields=", ".join(fields) or msg.RECHECK_NO_FIELDS, note=note)
            target = RecordState.NEEDS_FIXING if remaining else RecordState.RECHECKED
            state = RecordState(current["state"])
            if state == target or not workflow.can_move(state, target):
                workflow.record(self.ctx, row.id, state, event)  # no move
                target = state
            else:
                workflow.transition(self.ctx, row.id, target, event)
            self.ctx.audit("recheck", store.ENTITY, row.id, "result", None, {
                "ok": bool(ok), "note": note, "fields": fields, "enterer": enterer,
                "state": str(target)})
        return target

    @operation(Permission.RECHECK)
    def summary(self) -> list[EntererSummary]:
        """Checks and discrepancies per enterer, most checked first."""
        counts: dict[int | None, list[int]] = {}
        for value in store.results(self.db):
            item = counts.setdefault(value.get("enterer"), [0, 0])
            item[0] += 1
            item[1] += 0 if value.get("ok") else 1
        names = user_store.names(self.db)
        rows = [EntererSummary(k, names.get(k, "") if k is not None else "", v[0], v[1])
                for k, v in counts.items()]
        rows.sort(key=lambda r: (-r.checked, r.name))
        return rows


def _differs(before: Any, after: Any, field: str) -> bool:
    old, new = getattr(before, field), getattr(after, field)
    if isinstance(old, tuple) and isinstance(new, tuple):
        strip = [{k: v for k, v in attrs.asdict(i).items() if k != "id"} for i in old]
        return strip != [{k: v for k, v in attrs.asdict(i).items() if k != "id"} for i in new]
    return bool(old != new)
