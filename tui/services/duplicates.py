"""Duplicate records: candidate pairs, decisions, merge and undo of a merge.

Candidates come from ``libchild.find_duplicates`` over the commune's children (typos and
diacritics included, which SQL blocking cannot do). That is slow for a whole commune, so
screens call :meth:`DuplicatesService.candidates` from a worker; the result is cached per
database until the children change (a change stamp) and decisions are applied at every
call, so a decided pair never comes back.

A merge keeps both records: the merged one is hidden (``merged_into``) and the kept one
takes its missing fields, circumstances and supports. Everything both records held before
(their rows, circumstances, supports, workflow events and the pair's decision) is kept in
the merge's audit entry, so :meth:`DuplicatesService.undo_merge` puts them back exactly,
as long as neither record changed since.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import attrs

from tui.domain import Decision, Permission
from tui.errors import Conflict, InvalidInput, NotFound
from tui.messages import core as msg
from tui.services import pair_cache
from tui.services.base import Service, operation
from tui.services.children import ChildrenService, SaveResult
from tui.services.duplicate_pairs import (
    IN_PROCESS_LIMIT,
    MIN_SCORE,
    Pair,
    pairs,
    pairs_in_child_process,
)
from tui.store import audit as audit_store
from tui.store import children as child_store
from tui.store import duplicates as store
from tui.store.clock import now_iso
from tui.store.records import CHILD_FIELDS

__all__ = ["MIN_SCORE", "Candidate", "DuplicatesService", "MergeResult", "PairBrief",
           "clear_cache"]

#: Audit entity of a merge (its record id is the merged-away child); the entry keeps
#: what :meth:`DuplicatesService.undo_merge` restores.
MERGE_ENTITY = "merge"



#: Two children that may be the same (``left_id`` < ``right_id``), with score and reasons.
Candidate = Pair


@attrs.frozen
class MergeResult:
    """A merge done: the kept record's new version."""

    keep_id: int
    drop_id: int
    version: int


@attrs.frozen
class PairBrief:
    """Name, birth date, ID number and village of a child, for a list row."""

    id: int
    full_name: str
    birth_date: str | None
    personal_id: str | None
    village: str | None
    merged_into: int | None


_cache_lock = threading.Lock()
_cache: dict[tuple[str, Any], tuple[tuple[Any, ...], list[Candidate]]] = {}


def clear_cache() -> None:
    """Forget every cached candidate list, the files shared with other sessions included
    (after a restore; between tests)."""
    with _cache_lock:
        _cache.clear()
        pair_cache.forget()


class DuplicatesService(Service):
    """Duplicate review for the acting person."""

    def _key(self) -> tuple[str, Any]:
        villages = self.session.scope.villages
        return str(self.db.database), None if villages is None else tuple(sorted(villages))

    @operation(Permission.DECIDE_DUPLICATES)
    def candidates(self) -> list[Candidate]:
        """Undecided candidate pairs, best score first (those scoring at least
        ``MIN_SCORE``). Slow on a large register: call it from a worker. Above
        ``IN_PROCESS_LIMIT`` children the pairing runs in a child process
        (:mod:`tui.services.duplicate_pairs`), so that the session stays small."""
        key = self._key()
        stamp = store.stamp(self.db)
        with _cache_lock:
            cached = _cache.get(key)
        if cached is None or cached[0] != stamp:
            villages = self.session.scope.villages
            path = str(self.db.database)

            def compute() -> list[Candidate]:
                if (child_store.count_living(self.db, villages) <= IN_PROCESS_LIMIT
                        or path == ":memory:"):
                    return pairs(self.db, villages)
                # its peak memory (about 1 GB at 300,000) goes when the child exits
                return pairs_in_child_process(path, villages)

            # Every session of this register file shares one pairing (a room logging in).
            found = pair_cache.shared_pairs(path, villages, stamp, compute)
            cached = (stamp, found)
            with _cache_lock:
                _cache[key] = cached
        decided = store.decided_pairs(self.db)
        return [c for c in cached[1] if (c.left_id, c.right_id) not in decided]

    @operation(Permission.DECIDE_DUPLICATES)
    def count_candidates(self, *, max_children: int) -> int | None:
        """How many undecided pairs there are; None above ``max_children`` children (the
        comparison takes tens of seconds there)."""
        if child_store.count_living(self.db, self.session.scope.villages) > max_children:
            return None
        return len(self.candidates())

    @operation(Permission.DECIDE_DUPLICATES)
    def brief(self, child_ids: Sequence[int]) -> dict[int, PairBrief]:
        """Name, birth date, ID number and village of each child (list rows)."""
        found = child_store.brief(self.db, child_ids)
        return {i: PairBrief(b.id, b.full_name, b.birth_date, b.personal_id, b.village,
                             b.merged_into)
                for i, b in found.items() if self.session.scope.covers(b.village_id)}

    @operation(Permission.DECIDE_DUPLICATES)
    def decide(self, left_id: int, right_id: int, decision: Decision, note: str = "") -> None:
        """Record that two children are the same person or different ones (audited)."""
        try:
            decision = Decision(decision)
        except ValueError:
            raise InvalidInput(msg.DUPLICATE_DECISION_INVALID) from None
        if left_id == right_id:
            raise InvalidInput(msg.MERGE_SAME)
        left, right = sorted((int(left_id), int(right_id)))
        with self.ctx.tx():
            self._decide(left, right, decision, note)

    def _decide(self, left: int, right: int, decision: Decision, note: str) -> None:
        old = store.decision_of(self.db, left, right)
        store.record(self.db, left, right, decision, self.session.user_id, now_iso(), note)
        self.ctx.audit("decide", "duplicate", left, "same_as", old[0] if old else None,
                       {"right": right, "decision": str(decision)})

    @operation(Permission.MERGE_CHILDREN)
    def merge(self, keep_id: int, drop_id: int) -> MergeResult:
        """Merge ``drop_id`` into ``keep_id``: empty fields of the kept record are filled
        from the other, circumstances and supports it lacks are moved over, and the other
        record is hidden (``merged_into``) but kept. Audited; the pair is decided "same";
        :meth:`undo_merge` takes it back."""
        keep_id, drop_id = int(keep_id), int(drop_id)
        if keep_id == drop_id:
            raise InvalidInput(msg.MERGE_SAME)
        kids = ChildrenService(self.ctx)
        keep = kids.get(keep_id, audit_view=False)
        drop = kids.get(drop_id, audit_view=False)
        if keep.merged_into is not None:
            raise InvalidInput(msg.MERGED_ALREADY.format(child_id=keep_id))
        if drop.merged_into is not None:
            raise InvalidInput(msg.MERGED_ALREADY.format(child_id=drop_id))
        data: dict[str, Any] = {
            f: keep.value(f) if keep.value(f) not in (None, "") else drop.value(f)
            for f in CHILD_FIELDS}
        circ_keys = {(c.code, c.start) for c in keep.circumstances}
        circumstances = [attrs.asdict(c) for c in keep.circumstances] + [
            attrs.asdict(c) for c in drop.circumstances if (c.code, c.start) not in circ_keys]
        supp_keys = {(s.form, s.date) for s in keep.supports}
        supports = [attrs.asdict(s) for s in keep.supports] + [
            attrs.asdict(s) for s in drop.supports if (s.form, s.date) not in supp_keys]
        data.update(id=keep_id, village_id=keep.village_id, circumstances=circumstances,
                    supports=supports)
        left, right = sorted((keep_id, drop_id))
        with self.ctx.tx():
            before = child_store.snapshot(self.db, [keep_id, drop_id])
            decision = store.decision_of(self.db, left, right)
            child_store.update(self.db, drop_id, {
                "merged_into": keep_id, "version": drop.version + 1, "updated_at": now_iso(),
                "updated_by": self.session.user_id})
            self.ctx.audit("merge", "child", drop_id, "merged_into", None, keep_id)
            result: SaveResult = kids._save(data, keep.version, also_ignore=drop_id)
            self.ctx.audit("merge", "child", keep_id, "merged_from", None, drop_id)
            self._decide(left, right, Decision.SAME, "")
            self.ctx.audit("merge", MERGE_ENTITY, drop_id, "snapshot",
                           {"rows": before, "decision": list(decision) if decision else None},
                           {"keep": keep_id, "drop": drop_id,
                            "versions": [result.version, drop.version + 1]})
        self._forget_merged(drop_id)
        return MergeResult(keep_id, drop_id, result.version)

    def _forget_merged(self, drop_id: int) -> None:
        """Drop the pairs of the merged-away child from the cache instead of comparing
        every pair of the commune again."""
        key = self._key()
        with _cache_lock:
            cached = _cache.get(key)
            if cached is None:
                return
            kept = [c for c in cached[1] if drop_id not in (c.left_id, c.right_id)]
            _cache[key] = (store.stamp(self.db), kept)

    @operation(Permission.MERGE_CHILDREN)
    def undo_merge(self, drop_id: int) -> MergeResult:
        """Take back the merge of ``drop_id``: both records, their circumstances,
        supports, workflow events and the pair's decision become exactly what they were
        before it (the audit log keeps both the merge and its undoing).

        Refused (``Conflict``) when either record changed since the merge, and
        (``InvalidInput``) when the record was not merged or its ID number now belongs
        to another child.
        """
        drop_id = int(drop_id)
        row = child_store.get(self.db, drop_id)
        if row is None:
            raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=drop_id))
        entry = audit_store.last_entry(self.db, MERGE_ENTITY, drop_id, "merge")
        if row["merged_into"] is None or entry is None:
            raise InvalidInput(msg.NOT_MERGED.format(child_id=drop_id))
        keep_id = int(entry["new"]["keep"])
        versions = entry["new"]["versions"]
        saved = entry["old"]["rows"]
        keep_row = child_store.get(self.db, keep_id)
        assert keep_row is not None
        for current, expected in ((keep_row, versions[0]), (row, versions[1])):
            if current["version"] != expected or (current.id == drop_id
                                                 and current["merged_into"] != keep_id):
                raise Conflict({}, {}, mine_version=expected, theirs_version=current["version"],
                               by=child_store.updater_name(self.db, current["updated_by"]),
                               at=current["updated_at"])
        for child in saved["child"]:
            number = child["personal_id"]
            if child["merged_into"] is None and number and any(
                    i not in (keep_id, drop_id) for i in child_store.id_holders(self.db, number)):
                raise InvalidInput(msg.UNDO_MERGE_ID_TAKEN.format(child_id=child["id"]))
        left, right = sorted((keep_id, drop_id))
        decision = entry["old"]["decision"]
        with self.ctx.tx():
            child_store.restore(self.db, saved)
            if decision is None:
                store.forget(self.db, left, right)
            else:
                store.record(self.db, left, right, *decision)
            self.ctx.audit("unmerge", "child", drop_id, "merged_into", keep_id, None)
            self.ctx.audit("unmerge", "child", keep_id, "merged_from", drop_id, None)
        restored = next(c for c in saved["child"] if c["id"] == keep_id)
        return MergeResult(keep_id, drop_id, int(restored["version"]))
