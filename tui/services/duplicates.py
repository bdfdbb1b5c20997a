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
from datetime import timedelta
from typing import Any

import attrs

from tui.domain import Decision, Permission
from tui.errors import Conflict, InvalidInput, NotFound
from tui.messages import core as msg
from tui.services.base import Service, operation
from tui.services.children import ChildrenService, SaveResult, refuse_unsafe_text
from tui.services.duplicate_pairs import (
    IN_PROCESS_LIMIT,
    MIN_SCORE,
    Pair,
    pairs,
    pairs_in_child_process,
    updated_pairs,
)
from tui.store import audit as audit_store
from tui.store import children as child_store
from tui.store import duplicate_cache as cache_store
from tui.store import duplicates as store
from tui.store import settings as settings_store
from tui.store.clock import now, now_iso, parse_iso
from tui.store.records import CHILD_FIELDS

__all__ = ["MIN_SCORE", "Candidate", "DuplicatesService", "MergeResult", "PairBrief",
           "clear_cache"]

#: Audit entity of a merge (its record id is the merged-away child); the entry keeps
#: what :meth:`DuplicatesService.undo_merge` restores.
MERGE_ENTITY = "merge"



#: Above this many children saved since the kept pairs were computed, they are compared
#: in full again (an import, a restore): the neighbours read for each would approach the
#: whole commune.
INCREMENTAL_LIMIT = 500

#: A save is stamped (``updated_at``) before it commits, and servers' clocks differ a
#: little: pairs computed less than this long after the newest ``updated_at`` they saw
#: have the children saved in the same span before it compared again next time.
UPDATE_MARGIN_S = 60


def _since(stamp: tuple[Any, ...], *, settled: bool) -> str:
    """After which ``updated_at`` the children are to be compared again, for pairs
    computed now from the children of ``stamp``: its latest ``updated_at``, or
    :data:`UPDATE_MARGIN_S` before it while a save stamped then may still be committing
    (``settled``: no other session writes)."""
    latest = str(stamp[2]) if len(stamp) > 2 and stamp[2] else ""
    if not latest or settled:
        return latest
    try:
        moment = parse_iso(latest)
    except ValueError:
        return ""
    if now() - moment >= timedelta(seconds=UPDATE_MARGIN_S):
        return latest
    return now_iso(moment - timedelta(seconds=UPDATE_MARGIN_S))


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
    """Forget every candidate list cached in this process (after a restore; between
    tests). The pairs kept in the register are checked against its stamp on reading."""
    with _cache_lock:
        _cache.clear()


class DuplicatesService(Service):
    """Duplicate review for the acting person."""

    def _key(self) -> tuple[str, Any]:
        villages = self.session.scope.villages
        return str(self.db.database), None if villages is None else tuple(sorted(villages))

    @operation(Permission.DECIDE_DUPLICATES)
    def candidates(self) -> list[Candidate]:
        """Undecided candidate pairs, best score first (those scoring at least
        ``MIN_SCORE``). The pairs are kept in the register (``tui.store.duplicate_cache``)
        with the stamp of the children they were computed for: a later call compares only
        the children saved since (milliseconds for a day's work). The first comparison of
        a register is slow on a large one: call this from a worker. Above
        ``IN_PROCESS_LIMIT`` children a full comparison runs in a child process
        (:mod:`tui.services.duplicate_pairs`), so that the session stays small."""
        found = self._pairs(full=True)
        assert found is not None
        decided = store.decided_pairs(self.db)
        return [c for c in found if (c.left_id, c.right_id) not in decided]

    def _scope(self) -> str:
        """The key of the kept pairs: the commune, and a collaborator's villages."""
        found = settings_store.read(self.db)
        villages = self.session.scope.villages
        return (f"{found.commune_code if found else ''}:"
                + ("*" if villages is None else ",".join(str(v) for v in sorted(villages))))

    def _pairs(self, *, full: bool, settled: bool = False) -> list[Candidate] | None:
        """Every candidate pair, decided ones included: from this process's cache, else
        from the register's kept pairs brought up to date, else compared in full (only
        when ``full``; None otherwise). ``settled``: no other session writes (``treem
        demo``), so no save can be committing late."""
        key = self._key()
        stamp = store.stamp(self.db)
        since = _since(stamp, settled=settled)
        with _cache_lock:
            cached = _cache.get(key)
        if cached is not None and cached[0] == stamp and not settled:
            return cached[1]
        scope = self._scope()
        kept = None if settled else cache_store.read(self.db, scope)
        found: list[Candidate] | None = None
        if kept is not None and list(kept.stamp) == list(stamp) and kept.since == since:
            found = [Pair(*p) for p in kept.pairs]
        elif kept is not None:
            found = self._brought_up_to_date(kept, stamp)
            if found is not None:
                cache_store.write(self.db, scope, stamp, since,
                                  [attrs.astuple(p) for p in found])
        if found is None and full:
            villages = self.session.scope.villages
            path = str(self.db.database)
            if (child_store.count_living(self.db, villages) <= IN_PROCESS_LIMIT
                    or path == ":memory:"):
                found = pairs(self.db, villages)
            else:  # its peak memory (about 1 GB at 300,000) goes when the child exits
                found = pairs_in_child_process(path, villages)
            cache_store.write(self.db, scope, stamp, since, [attrs.astuple(p) for p in found])
        if found is not None:
            with _cache_lock:
                _cache[key] = (stamp, found)
        return found

    @operation(Permission.DECIDE_DUPLICATES)
    def keep_all(self) -> int:
        """Compare every child and keep the pairs in the register, when no other session
        writes (``treem demo`` right after loading); how many pairs. The duplicate screen
        of a later session then opens at once."""
        found = self._pairs(full=True, settled=True)
        return len(found or [])

    def _brought_up_to_date(self, kept: cache_store.Stored, stamp: tuple[Any, ...]
                            ) -> list[Candidate] | None:
        """The kept pairs with the children saved since compared again; None when a
        full comparison is due (children removed, or too many saved since)."""
        count, last_id = [*kept.stamp, None, None][:2]
        if count is None or last_id is None:
            return None
        changed = cache_store.changed_since(self.db, int(last_id), kept.since)
        added = sum(1 for i in changed if i > int(last_id))
        if int(count) + added != int(stamp[0]) or len(changed) > INCREMENTAL_LIMIT:
            return None
        return updated_pairs(self.db, self.session.scope.villages,
                             [Pair(*p) for p in kept.pairs], changed)

    @operation(Permission.DECIDE_DUPLICATES)
    def count_candidates(self, *, max_children: int) -> int | None:
        """How many undecided pairs there are; None above ``max_children`` children
        unless the register keeps its pairs (a full comparison takes tens of seconds
        there)."""
        full = child_store.count_living(self.db, self.session.scope.villages) <= max_children
        found = self._pairs(full=full)
        if found is None:
            return None
        decided = store.decided_pairs(self.db)
        return sum(1 for c in found if (c.left_id, c.right_id) not in decided)

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
        refuse_unsafe_text({"note": note})
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
