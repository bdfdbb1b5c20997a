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

Blind double entry (CSPro's verification mode): :meth:`RecheckService.compare` takes the
checker's complete re-entry of :data:`BLIND_FIELDS` (typed from the household book with
the stored values hidden) and returns each field compared, both sides cleaned by
libchild; :meth:`RecheckService.resolve` settles every difference (original right,
re-entry right, both wrong with the value from the book), applies the corrections
through :meth:`record` and stores each field's outcome with the result, from which
:meth:`RecheckService.statistics` computes ``tui.training.keyer_stats`` rates per
enterer, per field and over time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from libchild.text.fold import fold
from tui.domain import Permission, RecordState
from tui.errors import InvalidInput, NotFound, PermissionDenied
from tui.messages import core as msg
from tui.services import workflow
from tui.services.base import Service, operation
from tui.services.children import ChildrenService, refuse_unsafe_text
from tui.store import children as child_store
from tui.store import recheck as store
from tui.store import settings as settings_store
from tui.store import users as user_store
from tui.store.recheck import SampleRow
from tui.store.records import CHILD_FIELDS
from tui.training.keyer_stats import (
    FieldCheck,
    KeyerStatistics,
    Period,
    RecheckOutcome,
    Resolution,
    keyer_statistics,
)
from tui.training.values import ChildValues, clean_child

__all__ = ["BLIND_FIELDS", "EntererSummary", "RecheckService", "Sample", "SampleRow",
           "sample_size"]

#: The fields a checker re-enters blind from the household book, in the book's order
#: (identity and the fields the police list and the reports depend on).
BLIND_FIELDS: tuple[str, ...] = ("full_name", "sex", "birth_date", "personal_id",
                                 "ethnicity", "schooling", "father_name", "mother_name")


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

    def _checkable(self, child_id: int) -> child_store.ChildRow:
        row = child_store.get(self.db, int(child_id))
        if row is None:
            raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
        if row["merged_into"] is not None:
            raise InvalidInput(msg.MERGED_ALREADY.format(child_id=child_id))
        if self.session.user_id in (row["created_by"], row["updated_by"]):
            raise PermissionDenied(self.session.role, Permission.RECHECK,
                                   msg.RECHECK_OWN_RECORD.format(child_id=child_id))
        return row

    @operation(Permission.RECHECK)
    def compare(self, child_id: int, entered: Mapping[str, Any]) -> tuple[FieldCheck, ...]:
        """The checker's blind re-entry of :data:`BLIND_FIELDS` (every one present, empty
        allowed: the entry is complete) against the stored record, both cleaned by
        libchild on the register's day. Only now are the stored values shown; the view
        is audited."""
        row = self._checkable(child_id)
        missing = [f for f in BLIND_FIELDS if f not in entered]
        if missing:
            raise InvalidInput(msg.RECHECK_ENTRY_INCOMPLETE.format(fields=", ".join(missing)))
        day = self.ctx.today()
        original = clean_child(ChildValues(**{f: row[f] for f in BLIND_FIELDS}), day)
        again = clean_child(ChildValues(**{
            f: (str(entered[f]).strip() or None) if entered[f] is not None else None
            for f in BLIND_FIELDS}), day)
        checks = tuple(FieldCheck(f, getattr(original, f), getattr(again, f))
                       for f in BLIND_FIELDS)
        self.ctx.audit("view", store.ENTITY, row.id, "compare", None,
                       {"differ": [c.field for c in checks if not c.agrees]})
        return checks

    @operation(Permission.RECHECK)
    def resolve(self, child_id: int, entered: Mapping[str, Any],
                resolutions: Mapping[str, Resolution | str],
                book_values: Mapping[str, Any] | None = None) -> RecordState:
        """Settle the blind re-entry ``entered`` of one child: every field that differs
        needs a resolution; a field whose re-entry is right is corrected to it, a field
        where both were wrong to ``book_values[field]`` (as read in the book). The result
        is recorded by :meth:`record` with each field's outcome (no values)."""
        checks = self.compare(child_id, entered)
        book_values = dict(book_values or {})
        settled: list[FieldCheck] = []
        corrections: dict[str, Any] = {}
        for check in checks:
            if check.agrees:
                settled.append(check)
                continue
            raw = resolutions.get(check.field)
            try:
                resolution = Resolution(raw) if raw is not None else None
            except ValueError:
                resolution = None
            if resolution is None:
                raise InvalidInput(msg.RECHECK_UNRESOLVED.format(field=check.field))
            if resolution is Resolution.REENTRY_RIGHT:
                corrections[check.field] = entered[check.field]
            elif resolution is Resolution.BOTH_WRONG:
                if not str(book_values.get(check.field) or "").strip():
                    raise InvalidInput(msg.RECHECK_BOOK_VALUE_NEEDED.format(field=check.field))
                corrections[check.field] = book_values[check.field]
            settled.append(attrs.evolve(check, resolution=resolution))
        wrong = [c.field for c in settled
                 if c.resolution is not None and c.resolution.enterer_erred]
        note = msg.RECHECK_BLIND_NOTE.format(fields=", ".join(wrong)) if wrong else ""
        outcome = [{"field": c.field, "resolution": str(c.resolution) if c.resolution
                    else "match"} for c in settled]
        return self._record(child_id, not wrong, note, corrections or None, outcome)

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
        return self._record(child_id, ok, note, corrections, None)

    def _record(self, child_id: int, ok: bool, note: str,
                corrections: Mapping[str, Any] | None,
                outcome: list[dict[str, str]] | None) -> RecordState:
        row = self._checkable(child_id)
        note = " ".join(str(note or "").split())
        refuse_unsafe_text({"note": note})
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
            result: dict[str, Any] = {"ok": bool(ok), "note": note, "fields": fields,
                                      "enterer": enterer, "state": str(target)}
            if outcome is not None:
                result["checks"] = outcome
            self.ctx.audit("recheck", store.ENTITY, row.id, "result", None, result)
        return target

    @operation(Permission.RECHECK)
    def outcomes(self, since: date | None = None, until: date | None = None
                 ) -> Sequence[RecheckOutcome]:
        """The blind re-checks done from ``since`` to ``until`` (inclusive), each field's
        outcome (``tui.training.keyer_stats``); re-checks recorded without a blind entry
        (``treem recheck done``) have no fields and are left out."""
        names = user_store.names(self.db)
        out = []
        for record_id, at, checker, value in store.result_entries(self.db):
            checks = value.get("checks")
            if not checks:
                continue
            day = datetime.fromisoformat(at).date()
            if (since and day < since) or (until and day > until):
                continue
            enterer = value.get("enterer")
            # The values are not kept with the result (personal data the rates do not
            # need): an agreeing field is rebuilt as two empty values, a difference as
            # two distinct placeholders carrying its resolution.
            fields = tuple(FieldCheck(c["field"], None, None) if c["resolution"] == "match"
                           else FieldCheck(c["field"], "", "x", Resolution(c["resolution"]))
                           for c in checks)
            out.append(RecheckOutcome(record_id, names.get(enterer, "") or str(enterer),
                                      checker, day, fields))
        return out

    @operation(Permission.RECHECK)
    def statistics(self, period: Period = Period.MONTH) -> KeyerStatistics:
        """Error rates per enterer, per field, per checker and over time of the blind
        re-checks (:meth:`outcomes`)."""
        return keyer_statistics(self.outcomes(), period)

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
