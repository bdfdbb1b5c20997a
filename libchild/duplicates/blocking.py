"""Which pairs of records are compared at all (blocking), in one pass over the records.

Two records are compared when they share one of these keys (the "blocking
relation"; :class:`~libchild.duplicates.index.DuplicateIndex` applies the same one to
one record at a time):

1. **the personal ID number** (a number on more than :data:`ID_BLOCK_CAP` records is
   a placeholder and ignored);
2. **the caregiver's ID number** (a household);
3. **the father's and the mother's names together** (folded);
4. **the spelled name** (:func:`libchild.duplicates.names.spelled`: the folded name
   with spelling variants made one, Giàng/Dàng), with birth dates at most ``window``
   days apart: a sorted neighbourhood over (spelled name, birth date);
5. the same spelled name with **day and month of birth swapped** (2015-05-09 and
   2015-09-05);
6. the **same birth date** and names one typo or one filler word apart
   (:func:`typo_keys`: the sound key, :func:`libchild.duplicates.names.sound_key`,
   for Vàng A Páo/Vàng Páo; the name without spaces; the first letters and the last
   letters of its words).

Blocks 2, 3 and 6 larger than :data:`BLOCK_CAP` records, spelled names on more than
:data:`NAME_GROUP_CAP` records and more than :data:`DAY_CAP` records with the same
spelled name and birth date are not used: they are placeholders or garbage, and skipping
them keeps the work near-linear. Caregiver names within a commune are *not* a key: in
a commune where names repeat they put thousands of children in one block.

:func:`candidate_pairs` yields every pair of the relation exactly once (a pair found
by an earlier key is not yielded again), holding one block at a time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import combinations

from libchild.duplicates.names import NameKeys
from libchild.duplicates.prepare import Prepared

__all__ = [
    "BLOCK_CAP",
    "DAY_CAP",
    "ID_BLOCK_CAP",
    "NAME_GROUP_CAP",
    "candidate_pairs",
    "swapped_birth",
    "typo_keys",
]

#: An ID number on more records than this is a placeholder, not a blocking key.
ID_BLOCK_CAP = 20
#: Largest household (caregiver ID, parents' names) or typo-key block compared.
BLOCK_CAP = 30
#: Largest number of records with one spelled name that are compared by birth date.
NAME_GROUP_CAP = 5000
#: Largest number of records with one spelled name and one birth date.
DAY_CAP = 30

def typo_keys(name: NameKeys, memo: dict[str, tuple[str, ...]] | None = None
              ) -> tuple[str, ...]:
    """Return the keys that two names one typo or one filler word apart share (step 6).

    The sound key (names a filler word apart, Vàng A Páo/Vàng Páo), the name without
    spaces (a space added or lost), the first letters of its words and the last
    letters of its words: one typo changes one word, and in a word of three letters
    or more it keeps the first or the last letter. ``memo`` caches the keys by folded
    name for one run (names repeat); it is the caller's, so nothing outlives the run.
    """
    folded = name.folded
    keys = memo.get(folded) if memo is not None else None
    if keys is None:
        words = folded.split(" ")
        keys = ("~" + name.sound, "_" + folded.replace(" ", ""),
                "<" + "".join(w[0] for w in words), ">" + "".join(w[-1] for w in words))
        if memo is not None:
            memo[folded] = keys
    return keys


_SWAPPED: dict[int, int | None] = {}  # a few thousand birth dates at most (bounded)


def swapped_birth(born: date) -> int | None:
    """Return the day number of ``born`` with day and month swapped, or None."""
    ordinal = born.toordinal()
    try:
        return _SWAPPED[ordinal]
    except KeyError:
        pass
    swapped = None
    if born.day <= 12 and born.day != born.month:
        swapped = date(born.year, born.day, born.month).toordinal()
    if len(_SWAPPED) < 20_000:
        _SWAPPED[ordinal] = swapped
    return swapped


def _blocks(recs: Sequence[Prepared], attr: str) -> Iterator[list[int]]:
    """Yield the positions of the records sharing each value of ``attr`` (two or more)."""
    first: dict[object, int] = {}
    shared: dict[object, list[int]] = {}
    setdefault = first.setdefault
    for i, r in enumerate(recs):
        key = getattr(r, attr)
        if key is not None:
            j = setdefault(key, i)
            if j != i:
                members = shared.get(key)
                if members is None:
                    shared[key] = [j, i]
                else:
                    members.append(i)
    del first
    yield from shared.values()


def candidate_pairs(recs: Sequence[Prepared], window: int) -> Iterator[tuple[int, int]]:
    """Yield each pair ``(i, j)``, ``i < j``, of the blocking relation exactly once."""
    n = len(recs)
    pid_ok = bytearray(n)
    cid_ok = bytearray(n)
    par_ok = bytearray(n)
    name_ok = bytearray(n)

    def earlier(i: int, j: int, upto: int) -> bool:
        """Whether a key before step ``upto`` already pairs ``i`` and ``j``."""
        a, b = recs[i], recs[j]
        if pid_ok[i] and a.pid == b.pid:
            return True
        if upto > 2 and cid_ok[i] and a.cid == b.cid:
            return True
        if upto > 3 and par_ok[i] and a.parents == b.parents:
            return True
        if upto > 4 and name_ok[i] and name_ok[j] and a.name.spelled == b.name.spelled:  # type: ignore[union-attr]
            return -window <= a.birth - b.birth <= window  # type: ignore[operator]
        return False

    # 1. personal ID number
    for members in _blocks(recs, "pid"):
        if len(members) <= ID_BLOCK_CAP:
            for i in members:
                pid_ok[i] = 1
            yield from combinations(members, 2)
    # 2. caregiver ID, 3. parents' names
    for step, attr, ok in ((2, "cid", cid_ok), (3, "parents", par_ok)):
        for members in _blocks(recs, attr):
            if len(members) <= BLOCK_CAP:
                for i in members:
                    ok[i] = 1
                for i, j in combinations(members, 2):
                    if not earlier(i, j, step):
                        yield i, j
    # 4. spelled name and birth date within the window; 5. day and month swapped
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if r.name is not None and r.birth is not None:
            groups[r.name.spelled].append(i)
    for members in groups.values():
        if len(members) < 2 or len(members) > NAME_GROUP_CAP:
            continue
        members.sort(key=lambda i: recs[i].birth)  # type: ignore[arg-type,return-value]
        births: list[int] = [recs[i].birth for i in members]  # type: ignore[misc]
        ok = _day_ok(births)
        for x, i in enumerate(members):
            if ok[x]:
                name_ok[i] = 1
        size = len(members)
        for x in range(size):
            if not ok[x]:
                continue
            i, birth = members[x], births[x]
            end = bisect_right(births, birth + window, x + 1)
            spans = [(x + 1, end)]
            swapped = swapped_birth(recs[i].born)  # type: ignore[arg-type]
            if swapped is not None and swapped > birth + window:  # each pair once
                spans.append((bisect_left(births, swapped, end),
                              bisect_right(births, swapped, end)))
            for low, high in spans:
                for y in range(low, high):
                    if ok[y]:
                        j = members[y]
                        pair = (i, j) if i < j else (j, i)
                        if not earlier(pair[0], pair[1], 4):
                            yield pair
    del groups
    # 6. same birth date, names one typo apart
    days: dict[int, list[int]] = defaultdict(list)
    memo: dict[str, tuple[str, ...]] = {}
    for i, r in enumerate(recs):
        if r.name is not None and r.birth is not None:
            days[r.birth].append(i)
    for members in days.values():
        if len(members) < 2:
            continue
        blocks: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for key in typo_keys(recs[i].name, memo):  # type: ignore[arg-type]
                blocks[key].append(i)
        found: set[tuple[int, int]] = set()
        for block in blocks.values():
            if 1 < len(block) <= BLOCK_CAP:
                found.update(combinations(block, 2))
        for i, j in sorted(found):
            if not earlier(i, j, 5):
                yield i, j


def _day_ok(births: list[int]) -> list[bool]:
    """For sorted ``births``, whether each one's run of equal dates is within DAY_CAP."""
    ok = [True] * len(births)
    if len(births) <= DAY_CAP:
        return ok
    start = 0
    for x in range(1, len(births) + 1):
        if x == len(births) or births[x] != births[start]:
            if x - start > DAY_CAP:
                for y in range(start, x):
                    ok[y] = False
            start = x
    return ok
