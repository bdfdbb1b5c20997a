"""Pairing a trainee's records with the answer key (the matching rule of the scorer).

Children are paired by book number and child order, falling back to the best name and
birth-date match (docs/decisions.md "Training"): every key child and every record the
trainee left get a :func:`similarity` (name, birth date, same book); a pair at the same
place (book number compared without case and spaces, same position in the book) gets
:data:`PLACE_BONUS` more and is accepted from :data:`BOOK_ORDER_MIN`, any other pair
from :data:`FALLBACK_MIN`; pairs are then taken greedily, best first. So the child at
the same place goes with its answer when it looks like the same child, a skipped child
does not shift every sibling onto the wrong answer, twins typed in the other order find
each other, and a child typed into the wrong book is still found by name and birth.

Households are paired by book number, else with the trainee's household that holds most
of the key household's paired children. Adults are paired within a household by name.

>>> round(similarity(Person("Lò Thị Mai", "2017-04-02", "ml-001"),
...                  Person("lo thi mai", "2017-04-02", "ml-001")), 2)
1.0
>>> similarity(Person("Lò Thị Mai", "2017-04-02", "ml-001"),
...            Person("Lò Văn Khằm", "2024-06-15", "ml-001")) < FALLBACK_MIN
True
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from difflib import SequenceMatcher
from enum import StrEnum

import attrs

from libchild.text.fold import fold

__all__ = [
    "BOOK_ORDER_MIN",
    "FALLBACK_MIN",
    "NAME_MIN",
    "PLACE_BONUS",
    "MatchKind",
    "Person",
    "match_adults",
    "match_children",
    "match_households",
    "name_similarity",
    "similarity",
]

#: Least similarity for a pair at the same place (book number and order).
BOOK_ORDER_MIN = 0.5
#: What being at the same place adds to a pair's similarity when pairs compete.
PLACE_BONUS = 0.1
#: Least similarity for a pair found by name and birth date alone.
FALLBACK_MIN = 0.6
#: Least name similarity for two adults of a household to be the same person.
NAME_MIN = 0.6
_NAME_WEIGHT, _BIRTH_WEIGHT, _BOOK_WEIGHT = 0.6, 0.3, 0.1


class MatchKind(StrEnum):
    """How a key child found its record."""

    BOOK_ORDER = "book_order"
    NAME_BIRTH = "name_birth"


@attrs.frozen(slots=True)
class Person:
    """What matching looks at: name, ISO birth date, book key (see ``book_key``), order."""

    name: str | None
    birth: str | None
    book: str = ""
    order: int = 0


@functools.lru_cache(maxsize=8192)
def _folded(name: str) -> str:
    return fold(name)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@functools.lru_cache(maxsize=16384)
def name_similarity(a: str | None, b: str | None) -> float:
    """0..1: how alike two names are, diacritics, case and spacing ignored; the given
    name (last word) weighs half, since siblings share family and middle names."""
    if not a or not b:
        return 0.0
    fa, fb = _folded(a), _folded(b)
    if fa == fb:
        return 1.0
    given_a, given_b = fa.rsplit(" ", 1)[-1], fb.rsplit(" ", 1)[-1]
    return 0.5 * _ratio(fa, fb) + 0.5 * _ratio(given_a, given_b)


def _birth_similarity(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    pa, pb = a.split("-"), b.split("-")
    if len(pa) != 3 or len(pb) != 3:
        return 0.0
    same = sum(x == y for x, y in zip(pa, pb, strict=True))
    swapped = pa[0] == pb[0] and pa[1] == pb[2] and pa[2] == pb[1]
    return 0.5 if same == 2 or swapped else 0.0


def similarity(a: Person, b: Person) -> float:
    """0..1: name (0.6), birth date (0.3; one part wrong or day and month swapped counts
    half) and same book (0.1)."""
    book = _BOOK_WEIGHT if a.book and a.book == b.book else 0.0
    return (_NAME_WEIGHT * name_similarity(a.name, b.name)
            + _BIRTH_WEIGHT * _birth_similarity(a.birth, b.birth) + book)


def match_children(key: Sequence[Person], entered: Sequence[Person]
                   ) -> dict[int, tuple[int, MatchKind]]:
    """Pair key children with entered records: ``{key index: (entered index, kind)}``."""
    scored = []
    for k, a in enumerate(key):
        for e, b in enumerate(entered):
            score = similarity(a, b)
            same_place = bool(a.book) and a.book == b.book and a.order == b.order
            if same_place and score >= BOOK_ORDER_MIN:
                scored.append((-(score + PLACE_BONUS), k, e, MatchKind.BOOK_ORDER))
            elif score >= FALLBACK_MIN:
                scored.append((-score, k, e, MatchKind.NAME_BIRTH))
    scored.sort()
    pairs: dict[int, tuple[int, MatchKind]] = {}
    taken: set[int] = set()
    for _score, k, e, kind in scored:
        if k not in pairs and e not in taken:
            pairs[k] = (e, kind)
            taken.add(e)
    return pairs


def match_households(key_books: Sequence[str], entered_books: Sequence[str],
                     key_of_child: Sequence[int], entered_of_child: dict[int, int]
                     ) -> dict[int, int]:
    """Pair key households with entered ones: ``{key index: entered index}``.

    ``key_books`` and ``entered_books`` are book keys; ``key_of_child[k]`` is the key
    household of key child ``k``; ``entered_of_child[k]`` the entered household of the
    record paired with key child ``k`` (absent when unpaired or without a household).
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    first = {}
    for e, book in enumerate(entered_books):
        first.setdefault(book, e)
    for k, book in enumerate(key_books):
        e = first.get(book)
        if e is not None and e not in taken:
            pairs[k] = e
            taken.add(e)
    for k in range(len(key_books)):
        if k in pairs:
            continue
        votes: dict[int, int] = {}
        for child, household in enumerate(key_of_child):
            e = entered_of_child.get(child)
            if household == k and e is not None and e not in taken:
                votes[e] = votes.get(e, 0) + 1
        if votes:
            best = max(votes, key=lambda e: (votes[e], -e))
            pairs[k] = best
            taken.add(best)
    return pairs


def match_adults(key_names: Sequence[str | None], entered_names: Sequence[str | None]
                 ) -> dict[int, int]:
    """Pair the adults of two household books by name: ``{key index: entered index}``."""
    scored = sorted(
        (-name_similarity(a, b), k, e)
        for k, a in enumerate(key_names) for e, b in enumerate(entered_names))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for score, k, e in scored:
        if -score >= NAME_MIN and k not in pairs and e not in taken:
            pairs[k] = e
            taken.add(e)
    return pairs
