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

import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import attrs
import peewee

import libchild
from tui.store import children as child_store
from tui.store import duplicate_cache as cache_store

__all__ = ["IN_PROCESS_LIMIT", "MIN_SCORE", "Pair", "line_of", "pairs",
           "pairs_in_child_process", "parse_line", "updated_pairs"]

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


def _births(records: Sequence[dict[str, Any]]) -> list[date]:
    from libchild.dates import parse_date

    found = []
    for r in records:
        born = parse_date(r["birth_date"]) if r["birth_date"] else None
        if born is not None:
            found.append(born)
    return found


def _key_neighbours(db: peewee.Database, records: Sequence[dict[str, Any]],
                    scope: frozenset[int] | None) -> set[int]:
    """Ids of the children that share a blocking key with one of ``records`` other than
    the spelled name: the same personal or caregiver ID number, the same household,
    the same father and mother (folded; read by the mother's name as written), or the
    same birth date and a name one typo apart (``libchild.duplicates.blocking``). One
    indexed query per key."""
    from libchild.duplicates.blocking import typo_keys
    from libchild.duplicates.names import NameKeys
    from libchild.text.fold import fold

    ids: set[int] = set()
    for key in ("personal_id", "caregiver_id", "household_id"):
        values = {r[key] for r in records if r[key]}
        if values:
            ids.update(i for (i,) in cache_store.living_where(db, ("id",), key, values,
                                                               scope))
    parents = {(fold(r["father_name"]), fold(r["mother_name"])) for r in records
               if r["father_name"] and r["mother_name"]}
    if parents:
        mothers = {r["mother_name"] for r in records if r["mother_name"]}
        ids.update(i for i, father, mother in cache_store.living_where(
            db, ("id", "father_name", "mother_name"), "mother_name", mothers, scope)
            if father and (fold(father), fold(mother)) in parents)
    typos: dict[str, set[str]] = {}
    for r in records:
        births = _births([r])
        if births and r["full_name"]:
            typos.setdefault(births[0].isoformat(), set()).update(
                typo_keys(NameKeys.of(r["full_name"])))
    if typos:
        ids.update(i for i, folded, birth in cache_store.living_where(
            db, ("id", "name_folded", "birth_date"), "birth_date", typos, scope)
            if folded and typos[birth] & set(typo_keys(NameKeys.of(folded))))
    return ids


def spelled_variants(key: str) -> set[str]:
    """Every folded name whose spelled key (``libchild.duplicates.names.spelled``) is
    ``key``: each word's other spellings (``gi``/``d``, ``tr``/``ch``, ``ngh``/``ng``,
    ``s``/``x``, ``y``/``i``) combined, kept when they spell ``key``.

    >>> sorted(spelled_variants("dang a xu"))
    ['dang a su', 'dang a xu', 'giang a su', 'giang a xu']
    """
    from itertools import product

    from libchild.duplicates.names import spelled

    def word_variants(word: str) -> set[str]:
        starts = {word}
        if word.startswith("d"):
            starts.add("gi" + word[1:])
        if word.startswith("di"):
            starts.add("gi" + word[2:])
        for new, old in (("ch", "tr"), ("ng", "ngh"), ("x", "s")):
            if word.startswith(new):
                starts.add(old + word[len(new):])
        found = set()
        for start in starts:
            parts = start.split("i")
            for joins in product("iy", repeat=len(parts) - 1):
                found.add(parts[0] + "".join(j + p for j, p in zip(joins, parts[1:],
                                                                   strict=True)))
        return found

    names = (" ".join(words) for words in product(*(sorted(word_variants(w))
                                                    for w in key.split(" ") if w)))
    return {name for name in names if spelled(name) == key}


def _same_spelling_near(db: peewee.Database, records: Sequence[dict[str, Any]],
                        scope: frozenset[int] | None) -> set[int]:
    """Ids of the children whose name spells like one of ``records``' (the spelled-name
    block) and who were born within the date window of one of them, or on the
    day/month-swapped date: the folded names that spell alike are looked up in the
    index of folded names."""
    from libchild.duplicates import DEFAULT_DATE_WINDOW_DAYS
    from libchild.duplicates.names import spelled

    wanted: dict[str, list[date]] = {}
    for r in records:
        births = _births([r])
        if births and r["full_name"]:
            wanted.setdefault(spelled(r["full_name"]), []).append(births[0])
    variants = {v for key in wanted for v in spelled_variants(key)}
    found = set()
    for child_id, folded, birth in cache_store.living_where(
            db, ("id", "name_folded", "birth_date"), "name_folded", variants, scope):
        try:
            born = date.fromisoformat(birth)
        except (TypeError, ValueError):  # not a whole date: the batch skips it too
            continue
        for near in wanted.get(spelled(folded), ()):
            if (abs((born - near).days) <= DEFAULT_DATE_WINDOW_DAYS
                    or (born.year, born.month, born.day) == (near.year, near.day, near.month)):
                found.add(child_id)
                break
    return found


def updated_pairs(db: peewee.Database, villages: Iterable[int] | None,
                  previous: Iterable[Pair], changed: Iterable[int]) -> list[Pair]:
    """:func:`pairs` brought up to date from ``previous`` (the pairs before the children
    ``changed`` were added, changed or merged): only those children are compared, with
    the children a batch comparison could pair them with (``_key_neighbours``,
    ``_same_spelling_near``, both read through indexes where the register has them), so
    a day's saves cost a fraction of a second, not a comparison of the commune.

    The same pairs as :func:`pairs`, except that a block's size cap
    (``libchild.duplicates.blocking``) counts only the children read here: for a name or
    a birth date shared by very many children a pair the batch skips may be proposed.
    """
    from libchild.duplicates import DuplicateIndex

    changed = set(changed)
    kept = [p for p in previous if p.left_id not in changed and p.right_id not in changed]
    scope = None if villages is None else frozenset(villages)
    mine = _records(db, changed, scope)
    if not mine:
        return _sorted(kept)
    ids = _key_neighbours(db, mine, scope) | _same_spelling_near(db, mine, scope)
    others = _records(db, ids - changed, scope)
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


_COLUMNS = (*child_store.MATCH_COLUMNS, "household_id")


def _records(db: peewee.Database, ids: Iterable[int], scope: frozenset[int] | None
             ) -> list[dict[str, Any]]:
    """The matching fields of the living children ``ids`` (of ``scope``)."""
    return [dict(zip(_COLUMNS, row, strict=True))
            for row in cache_store.living_where(db, _COLUMNS, "id", ids, scope)]


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
    return [parse_line(line) for line in done.stdout.splitlines() if line]


def line_of(pair: Pair) -> str:
    """One pair as a line of text: ids, score and reason codes, tab-separated."""
    return f"{pair.left_id}\t{pair.right_id}\t{pair.score!r}\t{','.join(pair.reasons)}"


def parse_line(line: str) -> Pair:
    """The pair of a :func:`line_of` line (ValueError if it is not one)."""
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
    sys.stdout.write("".join(line_of(p) + "\n" for p in found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
