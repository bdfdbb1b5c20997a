"""Incremental matching: the candidates of one new or changed record, at save time.

:class:`DuplicateIndex` keeps the blocking keys of a register's records (the
personal and caregiver ID numbers, the parents' names, the spelled name with the
birth date, the birth date) and answers, for one record, the pairs that
:func:`libchild.duplicates.find_duplicates` would return for it: the same blocking
relation (:mod:`libchild.duplicates.blocking`), the same caps (counted with the new
record), the same scores. A store can keep its candidate list current by matching
each record as it is saved instead of re-running the batch over the register.

>>> index = DuplicateIndex()
>>> index.add(1, {"full_name": "Giàng A Sử", "birth_date": "09/05/2015", "sex": "1"})
>>> index.add(2, {"full_name": "Lò Thị Mai", "birth_date": "01/01/2016", "sex": "2"})
>>> [(m.key, m.reasons) for m in index.match(
...     {"full_name": "Dàng A Sử", "birth_date": "05/09/2015", "sex": "1"})]
[(1, ('similar_name_day_month_swapped',))]

The caller owns the keys (say, the database id of each child). To match a changed
record, remove its old version first (:meth:`DuplicateIndex.replace` does both).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Any

import attrs

from libchild.duplicates.blocking import (
    BLOCK_CAP,
    DAY_CAP,
    ID_BLOCK_CAP,
    NAME_GROUP_CAP,
    swapped_birth,
    typo_keys,
)
from libchild.duplicates.compare import cell
from libchild.duplicates.model import CELL_REASONS, CELL_SCORES, REVIEW_THRESHOLD
from libchild.duplicates.names import NameKeys
from libchild.duplicates.prepare import Prepared, prepare

__all__ = ["DuplicateIndex", "Match"]


@attrs.frozen
class Match:
    """An indexed record that may be the same child as the record matched."""

    key: Hashable
    score: float
    reasons: tuple[str, ...]


class _Group:
    """Records with one spelled name, sorted by birth date (day numbers)."""

    __slots__ = ("births", "keys")

    def __init__(self) -> None:
        self.births: list[int] = []
        self.keys: list[Hashable] = []

    def add(self, birth: int, key: Hashable) -> None:
        at = bisect_right(self.births, birth)
        self.births.insert(at, birth)
        self.keys.insert(at, key)

    def remove(self, birth: int, key: Hashable) -> None:
        lo, hi = bisect_left(self.births, birth), bisect_right(self.births, birth)
        at = self.keys.index(key, lo, hi)
        del self.births[at]
        del self.keys[at]

    def count(self, birth: int) -> int:
        return bisect_right(self.births, birth) - bisect_left(self.births, birth)

    def between(self, low: int, high: int) -> list[tuple[int, Hashable]]:
        lo, hi = bisect_left(self.births, low), bisect_right(self.births, high)
        return list(zip(self.births[lo:hi], self.keys[lo:hi], strict=True))


class DuplicateIndex:
    """The blocking keys of a set of records, for matching one record at a time.

    ``window`` is the date window of :func:`libchild.duplicates.find_duplicates`
    (``date_window_days``); records are dicts or objects with the canonical field
    names, as there.
    """

    def __init__(self, records: Iterable[tuple[Hashable, Any]] = (), *,
                 window: int = 31) -> None:
        self.window = max(0, int(window))
        self._memo: dict[str, NameKeys | None] = {}
        self._recs: dict[Hashable, Prepared] = {}
        self._pid: dict[str, list[Hashable]] = defaultdict(list)
        self._cid: dict[str, list[Hashable]] = defaultdict(list)
        self._parents: dict[tuple[str, str], list[Hashable]] = defaultdict(list)
        self._spelled: dict[tuple[str, ...], _Group] = defaultdict(_Group)
        self._day: dict[int, list[Hashable]] = defaultdict(list)
        for key, record in records:
            self.add(key, record)

    def __len__(self) -> int:
        return len(self._recs)

    def __contains__(self, key: object) -> bool:
        return key in self._recs

    def add(self, key: Hashable, record: Any) -> None:
        """Index ``record`` under ``key`` (a key already present is replaced)."""
        if key in self._recs:
            self.remove(key)
        r = prepare(record, self._memo)
        self._recs[key] = r
        if r.pid is not None:
            self._pid[r.pid].append(key)
        if r.cid is not None:
            self._cid[r.cid].append(key)
        if r.parents is not None:
            self._parents[r.parents].append(key)
        if r.name is not None and r.birth is not None:
            self._spelled[r.name.spelled].add(r.birth, key)
            self._day[r.birth].append(key)

    def remove(self, key: Hashable) -> None:
        """Forget the record under ``key`` (nothing happens for an unknown key)."""
        r = self._recs.pop(key, None)
        if r is None:
            return
        for table, value in ((self._pid, r.pid), (self._cid, r.cid),
                             (self._parents, r.parents)):
            if value is not None:
                table[value].remove(key)  # type: ignore[attr-defined]
                if not table[value]:  # type: ignore[index]
                    del table[value]  # type: ignore[attr-defined]
        if r.name is not None and r.birth is not None:
            group = self._spelled[r.name.spelled]
            group.remove(r.birth, key)
            if not group.births:
                del self._spelled[r.name.spelled]
            self._day[r.birth].remove(key)
            if not self._day[r.birth]:
                del self._day[r.birth]

    def replace(self, key: Hashable, record: Any, *, min_score: float | None = None
                ) -> list[Match]:
        """Match the new version of the record under ``key``, then index it."""
        self.remove(key)
        found = self.match(record, min_score=min_score)
        self.add(key, record)
        return found

    def candidates(self, record: Any) -> set[Hashable]:
        """Return the keys of the indexed records that ``record`` is compared with."""
        return self._candidates(prepare(record, self._memo))

    def _candidates(self, r: Prepared) -> set[Hashable]:
        out: set[Hashable] = set()
        for table, value, cap in ((self._pid, r.pid, ID_BLOCK_CAP),
                                  (self._cid, r.cid, BLOCK_CAP),
                                  (self._parents, r.parents, BLOCK_CAP)):
            if value is not None:
                members = table.get(value, ())  # type: ignore[attr-defined]
                if 0 < len(members) < cap:
                    out.update(members)
        if r.name is None or r.birth is None:
            return out
        group = self._spelled.get(r.name.spelled)
        if group is not None and len(group.births) < NAME_GROUP_CAP \
                and group.count(r.birth) < DAY_CAP:
            w = self.window
            for birth, key in group.between(r.birth - w, r.birth + w):
                if group.count(birth) + (birth == r.birth) <= DAY_CAP:
                    out.add(key)
            swapped = swapped_birth(r.born)  # type: ignore[arg-type]
            if swapped is not None and abs(swapped - r.birth) > w \
                    and group.count(swapped) <= DAY_CAP:
                out.update(key for _, key in group.between(swapped, swapped))
        day = self._day.get(r.birth)
        if day:
            mine = set(typo_keys(r.name))
            blocks: dict[str, list[Hashable]] = defaultdict(list)
            for key in day:
                for k in typo_keys(self._recs[key].name):  # type: ignore[arg-type]
                    if k in mine:
                        blocks[k].append(key)
            for members in blocks.values():
                if len(members) < BLOCK_CAP:
                    out.update(members)
        return out

    def match(self, record: Any, *, min_score: float | None = None) -> list[Match]:
        """Return the indexed records that may be the same child as ``record``.

        Best score first (ties in index order of insertion); only pairs with a reason
        for a match and a score of at least ``min_score`` (default
        :data:`libchild.duplicates.REVIEW_THRESHOLD`), as in ``find_duplicates``.
        """
        floor = REVIEW_THRESHOLD if min_score is None else min_score
        r = prepare(record, self._memo)
        order = {key: n for n, key in enumerate(self._recs)}
        found = []
        for key in self._candidates(r):
            c = cell(self._recs[key], r, self.window)
            if c < 0:
                continue
            reasons = CELL_REASONS[c]
            if reasons and CELL_SCORES[c] >= floor:
                found.append(Match(key, CELL_SCORES[c], reasons))
        found.sort(key=lambda m: (-m.score, order[m.key]))
        return found
