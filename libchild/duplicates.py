"""Candidate duplicate records: scored pairs for a person to review.

:func:`find_duplicates` compares records only inside blocks of records that share
a key, never all pairs, so 300,000 records take seconds:

* the same valid personal ID number;
* the same folded name (:func:`libchild.text.fold`), scanned in birth-date order
  within ``date_window_days``;
* the same birth date and a shared typo key of the folded name (the name with one
  word left out, the name without spaces), which finds names one typo apart;
* the same caregiver (caregiver's ID number, or the folded name of the caregiver,
  mother or father within the same commune), compared pairwise inside the
  household or, for large groups, again by typo keys.

Each candidate is then scored from all the evidence it has. Reason codes (stable;
other projects store them):

=======================================  ===============================================
``same_personal_id``                     the same 12-digit personal ID number
``same_name_close_birth``                same folded name, birth dates within the window
``name_diacritics_only_same_birth``      names differ only by diacritics/case, same birth
``name_one_typo_same_birth``             names one typo apart, same birth date
``same_name_same_caregiver``             same name, same caregiver
``name_diacritics_only_same_caregiver``  names differ only by diacritics, same caregiver
``name_one_typo_same_caregiver``         names one typo apart, same caregiver
``different_personal_id``                evidence against: both have valid, different
                                         ID numbers (the score is halved)
=======================================  ===============================================

A typo is one inserted, deleted or replaced character, or two adjacent characters
swapped, in the folded name. Fields that are missing or cannot be read are simply
not used; nothing raises.

>>> records = [
...     {"full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
...     {"full_name": "Nguyen Van An", "birth_date": "2016-03-05"},
...     {"full_name": "Lê Thị Bình", "birth_date": "01/01/2015"},
...     {"full_name": "Nguyễn Văn Anh", "birth_date": "05/03/2016"},
... ]
>>> for pair in find_duplicates(records):
...     print(pair.left, pair.right, pair.score, pair.reasons)
0 1 0.85 ('name_diacritics_only_same_birth',)
0 3 0.7 ('name_one_typo_same_birth',)
1 3 0.7 ('name_one_typo_same_birth',)
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import attrs

from libchild.dates import parse_date
from libchild.gcpause import paused_gc
from libchild.text.fold import fold

__all__ = ["DEFAULT_DATE_WINDOW_DAYS", "REASONS", "DuplicatePair", "find_duplicates"]

#: Default tolerance between birth dates for names that fold to the same key.
DEFAULT_DATE_WINDOW_DAYS = 31

#: Every reason code, in the order reasons are listed in a pair.
REASONS = (
    "same_personal_id",
    "same_name_close_birth",
    "name_diacritics_only_same_birth",
    "name_one_typo_same_birth",
    "same_name_same_caregiver",
    "name_diacritics_only_same_caregiver",
    "name_one_typo_same_caregiver",
    "different_personal_id",
)
_ORDER = {code: i for i, code in enumerate(REASONS)}

# Weight of each piece of evidence; a pair's score combines them as a noisy OR,
# 1 - prod(1 - w). same_name_close_birth falls from _CLOSE_MAX (same day) to
# _CLOSE_MIN (at the edge of the window).
_WEIGHTS = {
    "same_personal_id": 0.9,
    "name_diacritics_only_same_birth": 0.85,
    "name_one_typo_same_birth": 0.7,
    "same_name_same_caregiver": 0.7,
    "name_diacritics_only_same_caregiver": 0.6,
    "name_one_typo_same_caregiver": 0.5,
}
_CLOSE_MAX, _CLOSE_MIN = 0.9, 0.6
_DIFFERENT_ID_FACTOR = 0.5

# Groups up to this size are compared pairwise; larger ones through deletion keys.
_SMALL_GROUP = 24
# Blocks larger than this are placeholders or garbage, not duplicates: they are
# skipped to stay near-linear. One ID number on more than _MAX_ID_BLOCK records is a
# placeholder ("000000000000"); the rules report a number shared by two children.
_MAX_BLOCK = 500
_MAX_ID_BLOCK = 20

_PERSON_FIELDS = ("caregiver_name", "mother_name", "father_name")


@attrs.frozen
class DuplicatePair:
    """Two records that may be the same child.

    ``left`` < ``right`` are positions in the input, ``score`` is in [0, 1]
    (higher is more likely a duplicate) and ``reasons`` are stable codes from
    :data:`REASONS`.
    """

    left: int
    right: int
    score: float
    reasons: tuple[str, ...]


@attrs.define(slots=True)
class _Prepared:
    personal_id: str | None
    folded: str | None
    exact: str | None
    birth: int | None
    caregivers: tuple[tuple[str, ...], ...]


def _getter(record: Any) -> Callable[[str], Any]:
    """Return a function reading a field of a dict or an object (None when absent)."""
    if type(record) is dict:
        return record.get
    mapping = isinstance(record, Mapping)

    def get(name: str) -> Any:
        try:
            return record.get(name) if mapping else getattr(record, name, None)
        except Exception:  # a broken mapping or property: the field is unreadable
            return None

    return get


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _digits(value: Any) -> str | None:
    if type(value) is str and value.isdigit() and value.isascii():
        return value if len(value) in (9, 12) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    compact = "".join(value.replace(".", "").replace("-", "").split())
    if compact.isascii() and compact.isdigit() and len(compact) in (9, 12):
        return compact
    return None


# Apostrophes and hyphens, removed as fold() removes them.
_PUNCT = {ord(c): None for c in "'’‘`´-‐‑‒–—ʼ"}


def _exact_key(name: str) -> str:
    """Case-, spacing- and punctuation-insensitive form that keeps the diacritics."""
    lowered = unicodedata.normalize("NFC", name).lower().translate(_PUNCT)
    return " ".join(lowered.split())


def _prepare(record: Any, folds: dict[str, str], exacts: dict[str, str]) -> _Prepared:
    field = _getter(record)
    personal_id = _digits(field("personal_id"))
    if personal_id is not None and len(personal_id) != 12:
        personal_id = None
    name = _text(field("full_name"))
    folded = exact = None
    if name:
        folded = folds.get(name)
        if folded is None:
            folded = folds[name] = fold(name)
        exact = exacts.get(name)
        if exact is None:
            exact = exacts[name] = _exact_key(name)
    birth = None
    raw_birth = field("birth_date")
    if raw_birth is not None:
        try:
            birth = parse_date(raw_birth).toordinal()
        except Exception:  # unreadable or garbage: the birth date is not used
            birth = None
    keys: list[tuple[str, ...]] = []
    caregiver_id = _digits(field("caregiver_id"))
    if caregiver_id:
        keys.append(("id", caregiver_id))
    commune = _text(field("commune_code")) or ""
    for name_field in _PERSON_FIELDS:
        person = _text(field(name_field))
        if person:
            key = folds.get(person)
            if key is None:
                key = folds[person] = fold(person)
            if key:
                keys.append(("person", key, commune))
    return _Prepared(personal_id, folded or None, exact, birth, tuple(dict.fromkeys(keys)))


def _one_typo(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` differ by exactly one edit or adjacent swap."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    return a[i:] == b[i + 1:]


def _deletion_keys(name: str) -> set[str]:
    keys = {name}
    for i in range(len(name)):
        keys.add(name[:i] + name[i + 1:])
    return keys


def _typo_keys(name: str) -> list[str]:
    """Blocking keys shared by any two folded names one typo apart (see module doc).

    A typo inside one word leaves the other words unchanged, so each name gets
    one key per word: the name with that word left out (and its position). A typo
    that adds, removes or moves a space leaves the name without spaces unchanged.
    One-word names use the full deletion neighbourhood. Not covered: a letter
    typed in place of a space or the reverse ("Văn An" / "VănxAn").
    """
    tokens = name.split(" ")
    keys = [name.replace(" ", "")]
    if len(tokens) == 1:
        keys.extend("d|" + key for key in _deletion_keys(name))
    else:
        for i in range(len(tokens)):
            keys.append(f"{i}|{' '.join(tokens[:i] + tokens[i + 1:])}")
    return keys


def _add_block_pairs(candidates: set[tuple[int, int]], members: Sequence[int]) -> None:
    if 1 < len(members) <= _MAX_BLOCK:
        candidates.update(combinations(members, 2))


class _TypoKeys(dict):  # type: ignore[type-arg]
    """Memo of :func:`_typo_keys` (names repeat a lot in a register)."""

    def __missing__(self, name: str) -> list[str]:
        keys = self[name] = _typo_keys(name)
        return keys


def _add_similar_name_pairs(
    candidates: set[tuple[int, int]],
    members: Sequence[int],
    prepared: Sequence[_Prepared],
    typo_keys: _TypoKeys,
) -> None:
    """Add the pairs of ``members`` whose folded names are equal or one typo apart."""
    named = [i for i in members if prepared[i].folded]
    if len(named) < 2:
        return
    if len(named) <= _SMALL_GROUP:
        for i, j in combinations(named, 2):
            a, b = prepared[i].folded, prepared[j].folded
            if a == b or _one_typo(a, b):  # type: ignore[arg-type]
                candidates.add((i, j) if i < j else (j, i))
        return
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in named:
        for key in typo_keys[prepared[i].folded]:
            blocks[key].append(i)
    for block in blocks.values():
        if len(block) > 1:
            _add_block_pairs(candidates, block)


def _candidates(prepared: Sequence[_Prepared], window: int) -> set[tuple[int, int]]:
    candidates: set[tuple[int, int]] = set()
    typo_keys = _TypoKeys()
    by_id: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_birth: dict[int, list[int]] = defaultdict(list)
    by_caregiver: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        if p.personal_id:
            by_id[p.personal_id].append(i)
        if p.folded and p.birth is not None:
            by_name[p.folded].append(i)
            by_birth[p.birth].append(i)
        for key in p.caregivers:
            by_caregiver[key].append(i)

    for members in by_id.values():
        if 1 < len(members) <= _MAX_ID_BLOCK:
            _add_block_pairs(candidates, members)
    # same birth date: names equal or one typo apart
    for members in by_birth.values():
        if len(members) > 1:
            _add_similar_name_pairs(candidates, members, prepared, typo_keys)
    # same folded name: birth dates within the window, in date order
    for members in by_name.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: prepared[i].birth)  # type: ignore[arg-type,return-value]
        births = [prepared[i].birth for i in members]
        for x, i in enumerate(members):
            limit = births[x] + window  # type: ignore[operator]
            y = x + 1
            while y < len(members) and births[y] <= limit:  # type: ignore[operator]
                j = members[y]
                candidates.add((i, j) if i < j else (j, i))
                y += 1
    # same caregiver: names equal or one typo apart. A household's caregiver ID,
    # father, mother and caregiver names usually give the same group several times:
    # compare each distinct group once.
    groups = {tuple(members) for members in by_caregiver.values() if len(members) > 1}
    for group in groups:
        _add_similar_name_pairs(candidates, group, prepared, typo_keys)
    return candidates


def _evaluate(a: _Prepared, b: _Prepared, window: int) -> tuple[float, tuple[str, ...]] | None:
    weights: dict[str, float] = {}
    if a.personal_id and a.personal_id == b.personal_id:
        weights["same_personal_id"] = _WEIGHTS["same_personal_id"]
    relation = None
    if a.folded and b.folded:
        if a.folded == b.folded:
            relation = "same" if a.exact == b.exact else "diacritics"
        elif _one_typo(a.folded, b.folded):
            relation = "typo"
    if relation is not None:
        if a.birth is not None and b.birth is not None:
            gap = abs(a.birth - b.birth)
            if relation == "typo":
                if gap == 0:
                    weights["name_one_typo_same_birth"] = _WEIGHTS["name_one_typo_same_birth"]
            elif relation == "diacritics" and gap == 0:
                weights["name_diacritics_only_same_birth"] = _WEIGHTS[
                    "name_diacritics_only_same_birth"
                ]
            elif gap <= window:
                share = gap / window if window else 0.0
                weights["same_name_close_birth"] = _CLOSE_MAX - (_CLOSE_MAX - _CLOSE_MIN) * share
        if a.caregivers and b.caregivers and not set(a.caregivers).isdisjoint(b.caregivers):
            code = {
                "same": "same_name_same_caregiver",
                "diacritics": "name_diacritics_only_same_caregiver",
                "typo": "name_one_typo_same_caregiver",
            }[relation]
            weights[code] = _WEIGHTS[code]
    if not weights:
        return None
    miss = 1.0
    for weight in weights.values():
        miss *= 1.0 - weight
    score = 1.0 - miss
    reasons = sorted(weights, key=_ORDER.__getitem__)
    if a.personal_id and b.personal_id and a.personal_id != b.personal_id:
        score *= _DIFFERENT_ID_FACTOR
        reasons.append("different_personal_id")
    return min(1.0, max(0.0, round(score, 4))), tuple(reasons)


def find_duplicates(
    records: Iterable[Any], *, date_window_days: int = DEFAULT_DATE_WINDOW_DAYS
) -> list[DuplicatePair]:
    """Return the candidate duplicate pairs among ``records``, highest score first.

    ``records`` are dicts or objects (e.g. :class:`libchild.model.Child`) with the
    canonical field names: ``personal_id``, ``full_name``, ``birth_date`` (a date
    or any form :func:`libchild.dates.parse_date` reads), ``caregiver_id``,
    ``caregiver_name``, ``mother_name``, ``father_name``, ``commune_code``.
    Positions in the result refer to the order of ``records``. Ties are ordered
    by position.
    """
    window = max(0, int(date_window_days))
    # Millions of small tuples and lists are built and dropped here; the cyclic
    # garbage collector would rescan them over and over (a third of the time).
    with paused_gc():
        folds: dict[str, str] = {}
        exacts: dict[str, str] = {}
        prepared = [_prepare(record, folds, exacts) for record in records]
        pairs = []
        for left, right in _candidates(prepared, window):
            result = _evaluate(prepared[left], prepared[right], window)
            if result is not None:
                pairs.append(DuplicatePair(left, right, result[0], result[1]))
    pairs.sort(key=lambda p: (-p.score, p.left, p.right))
    return pairs
