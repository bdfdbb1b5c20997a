"""Duplicate candidate pairs of a register, computed where their memory can be given back.

``libchild.find_duplicates`` over a whole commune peaks near 1 GB at 300,000 children;
a session must stay under 150 MB, and CPython keeps most of a peak once the objects are
gone. Above :data:`IN_PROCESS_LIMIT` children the pairing therefore runs in a child
process (``python -m tui.services.duplicate_pairs DB [VILLAGE_ID ...]``) that reads the
register itself and writes one line per pair on its standard output (ids, score and
reason codes: no personal data); its memory goes back to the system when it exits.
Smaller registers are paired in the session process, which is quicker than starting an
interpreter.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import attrs
import peewee

import libchild
from tui.store import children as child_store

__all__ = ["IN_PROCESS_LIMIT", "MIN_SCORE", "Pair", "pairs", "pairs_in_child_process",
           "updated_pairs"]

#: Pairs scoring below this are not proposed. On a 300,000-child demo register the
#: matcher returns about 264,000 pairs, nine in ten of them brothers and sisters
#: (names one letter apart, the same parents, two different valid ID numbers: score
#: 0.25-0.35); 28,000 pairs remain at 0.5 and above, the real duplicates first.
MIN_SCORE = 0.5

#: Up to this many children the pairs are computed in the session process (well under
#: a second and a few MB); above, in a child process.
IN_PROCESS_LIMIT = 20_000


@attrs.frozen
class Pair:
    """Two children that may be the same (``left_id`` < ``right_id``)."""

    left_id: int
    right_id: int
    score: float
    reasons: tuple[str, ...]


def pairs(db: peewee.Database, villages: Iterable[int] | None) -> list[Pair]:
    """The pairs scoring at least :data:`MIN_SCORE` among the living children (of
    ``villages`` when given), best first, computed in this process."""
    scope = None if villages is None else frozenset(villages)
    records = list(child_store.living_records(db, child_store.MATCH_COLUMNS,
                                              villages=scope))
    ids = [r.pop("id") for r in records]
    found = []
    for pair in libchild.find_duplicates(records):
        if pair.score < MIN_SCORE:
            continue
        left, right = sorted((ids[pair.left], ids[pair.right]))
        found.append(Pair(left, right, float(pair.score), tuple(pair.reasons)))
    found.sort(key=lambda p: (-p.score, p.left_id, p.right_id))
    return found


def _neighbour_filter(records: Sequence[dict[str, Any]]) -> Any:
    """A condition selecting every child a batch comparison could pair with one of
    ``records``: the same personal or caregiver ID number, the same household or
    mother's name (the parents' block), a birth date within the date window or
    day/month-swapped (the spelled-name and typo blocks, which need one birth date)."""
    from libchild.dates import parse_date
    from libchild.duplicates import DEFAULT_DATE_WINDOW_DAYS
    from tui.store.models import Child

    window = timedelta(days=DEFAULT_DATE_WINDOW_DAYS)
    pids = {r["personal_id"] for r in records if r["personal_id"]}
    cids = {r["caregiver_id"] for r in records if r["caregiver_id"]}
    households = {r["household_id"] for r in records if r["household_id"]}
    mothers = {r["mother_name"] for r in records if r["mother_name"]}
    ranges: list[tuple[date, date]] = []
    days: set[str] = set()
    for r in records:
        born = parse_date(r["birth_date"]) if r["birth_date"] else None
        if born is None:
            continue
        ranges.append((born - window, born + window))
        if born.day <= 12 and born.day != born.month:
            with contextlib.suppress(ValueError):
                days.add(born.replace(month=born.day, day=born.month).isoformat())
    condition = Child.id.in_([])  # nothing, then each block's own terms
    for column, values in ((Child.personal_id, pids), (Child.caregiver_id, cids),
                           (Child.household, households), (Child.mother_name, mothers),
                           (Child.birth_date, days)):
        if values:
            condition |= column.in_(sorted(values, key=str))
    ranges.sort()
    merged: list[list[date]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    for low, high in merged:
        condition |= Child.birth_date.between(low.isoformat(), high.isoformat())
    return condition


def updated_pairs(db: peewee.Database, villages: Iterable[int] | None,
                  previous: Iterable[Pair], changed: Iterable[int]) -> list[Pair]:
    """:func:`pairs` brought up to date from ``previous`` (the pairs before the children
    ``changed`` were added, changed or merged): only those children are compared, with
    the children a batch comparison could pair them with (``_neighbour_filter``), so a
    few saves cost milliseconds, not a comparison of the commune.

    The same pairs as :func:`pairs`, except that a block's size cap
    (``libchild.duplicates.blocking``) counts only the children read here: for a name or
    a birth date shared by very many children a pair the batch skips may be proposed.
    """
    from libchild.duplicates import DuplicateIndex
    from tui.store.models import Child

    changed = set(changed)
    kept = [p for p in previous if p.left_id not in changed and p.right_id not in changed]
    scope = None if villages is None else frozenset(villages)
    columns = (*child_store.MATCH_COLUMNS, "household_id")
    mine = _records(db, columns, Child.id.in_(sorted(changed)), scope) if changed else []
    if not mine:
        return _sorted(kept)
    others = _records(db, columns, _neighbour_filter(mine), scope)
    index = DuplicateIndex((r["id"], _matchable(r)) for r in others)
    for r in mine:
        index.add(r["id"], _matchable(r))
    found = {(p.left_id, p.right_id): p for p in kept}
    for r in mine:
        for match in index.replace(r["id"], _matchable(r), min_score=MIN_SCORE):
            left, right = sorted((int(r["id"]), int(match.key)))
            found.setdefault((left, right), Pair(left, right, float(match.score),
                                                 tuple(match.reasons)))
    return _sorted(list(found.values()))


def _records(db: peewee.Database, columns: Sequence[str], where: Any,
             scope: frozenset[int] | None) -> list[dict[str, Any]]:
    from tui.store.models import Child

    fields = Child._meta.columns
    query = Child.select(*[fields[c] for c in columns]).where(child_store.LIVING & where)
    if scope is not None:
        query = query.where(Child.village_ref.in_(sorted(scope)))
    return [dict(zip(columns, row, strict=True)) for row in query.tuples()]


def _matchable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("id", "household_id")}


def _sorted(found: list[Pair]) -> list[Pair]:
    found.sort(key=lambda p: (-p.score, p.left_id, p.right_id))
    return found


def pairs_in_child_process(path: str, villages: Iterable[int] | None) -> list[Pair]:
    """:func:`pairs` of the register file ``path``, computed by a child process."""
    args = [sys.executable, "-m", "tui.services.duplicate_pairs", str(path)]
    if villages is not None:
        args += ["--villages", *(str(v) for v in sorted(villages))]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return [_parse(line) for line in done.stdout.splitlines() if line]


def _line(pair: Pair) -> str:
    return f"{pair.left_id}\t{pair.right_id}\t{pair.score!r}\t{','.join(pair.reasons)}"


def _parse(line: str) -> Pair:
    left, right, score, reasons = line.split("\t")
    return Pair(int(left), int(right), float(score),
                tuple(reasons.split(",")) if reasons else ())


def main(argv: list[str]) -> int:
    """The child process: print the pairs of the register ``argv[0]``."""
    from tui.store.database import open_db

    path, villages = argv[0], None
    if len(argv) > 1 and argv[1] == "--villages":
        villages = [int(v) for v in argv[2:]]
    db = open_db(path, migrate=False)
    try:
        found = pairs(db, villages)
    finally:
        db.close()
    sys.stdout.write("".join(_line(p) + "\n" for p in found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
