"""Comparing two prepared records: five relations, one cell, the reasons of the cell.

A pair of records is described by five relations, each a small set of values:

=========  ==========================================================================
name       :data:`~libchild.duplicates.names.NAME_RELATIONS`
birth      ``same``; ``swap`` (day and month swapped, same year); ``close`` (within
           the date window); ``digit`` (same year, one digit of day or month
           different); ``year`` (same year otherwise); ``far`` (different years);
           ``missing``
family     ``same`` (same caregiver ID, or a parent's or the caregiver's name of one
           is a parent's or the caregiver's name of the other, without diacritics or
           as a spelling variant, in the same commune, and neither the mothers' nor
           the fathers' names differ); ``alike`` (such a name only one typo apart,
           or one parent the same and the other different); ``conflict`` (the
           mothers' or the fathers' names differ, none is the same); ``unknown``
sex        ``same``, ``different``, ``unknown``
ID number  ``same``; ``close`` (one digit or two adjacent digits apart: a typing
           slip); ``different`` (both valid, otherwise different, and each agrees
           with its record's birth year and sex); ``one`` (only one record has a
           number that fits it); ``none``
=========  ==========================================================================

Together they form one of :data:`CELLS` cells (:func:`cell`); the model gives each
cell a probability (:mod:`libchild.duplicates.model`) and :func:`cell_reasons` the
reason codes a reviewer sees.
"""

from __future__ import annotations

from typing import NamedTuple

from libchild.duplicates.names import (
    ALIKE_PERSON,
    NAME_RELATIONS,
    OTHER_PERSON,
    SAME_PERSON,
    person_link,
    relation,
)
from libchild.duplicates.prepare import Prepared, id_fits

__all__ = [
    "BIRTH_RELATIONS",
    "CELLS",
    "FAMILY_RELATIONS",
    "ID_RELATIONS",
    "NEGATIVE_REASONS",
    "POSITIVE_REASONS",
    "REASONS",
    "SEX_RELATIONS",
    "Relations",
    "cell",
    "cell_reasons",
    "full_cell",
    "relations",
    "relations_of_cell",
]

BIRTH_RELATIONS = ("same", "swap", "close", "digit", "year", "far", "missing")
FAMILY_RELATIONS = ("same", "alike", "conflict", "unknown")
SEX_RELATIONS = ("same", "different", "unknown")
ID_RELATIONS = ("same", "close", "different", "one", "none")

_N, _B, _F, _S, _I = (len(NAME_RELATIONS), len(BIRTH_RELATIONS), len(FAMILY_RELATIONS),
                      len(SEX_RELATIONS), len(ID_RELATIONS))
#: Number of distinct cells (combinations of the five relations).
CELLS = _N * _B * _F * _S * _I

_NAME_INDEX = {r: i for i, r in enumerate(NAME_RELATIONS)}
_UNLIKE = _NAME_INDEX["other"]  # "other" and "missing": names not alike

#: Reasons for a match, in the order they are listed. The first eight codes are those
#: of the first version of find_duplicates (other projects store them).
POSITIVE_REASONS = (
    "same_personal_id",
    "same_name_close_birth",
    "name_diacritics_only_same_birth",
    "name_one_typo_same_birth",
    "same_name_same_caregiver",
    "name_diacritics_only_same_caregiver",
    "name_one_typo_same_caregiver",
    "name_variant_same_birth",
    "similar_name_close_birth",
    "similar_name_day_month_swapped",
    "similar_name_birth_one_digit",
    "name_variant_same_caregiver",
)
#: Evidence against a match, listed after the reasons for it.
NEGATIVE_REASONS = (
    "different_personal_id",
    "different_sex",
    "born_years_apart_same_parents",
    "different_parents",
)
#: Every reason code, in the order reasons are listed in a pair.
REASONS = POSITIVE_REASONS + NEGATIVE_REASONS


class Relations(NamedTuple):
    """The five relations of a pair (see the module docstring)."""

    name: str
    birth: str
    family: str
    sex: str
    ids: str


def _birth(a: Prepared, b: Prepared, window: int) -> int:
    if a.birth is None or b.birth is None:
        return 6
    gap = a.birth - b.birth
    if gap == 0:
        return 0
    da, db = a.born, b.born
    if da.year != db.year:  # type: ignore[union-attr]
        return 5
    if da.day == db.month and da.month == db.day:  # type: ignore[union-attr]
        return 1
    if -window <= gap <= window:
        return 2
    if da.month == db.month:  # type: ignore[union-attr]
        x, y = da.day, db.day  # type: ignore[union-attr]
    elif da.day == db.day:  # type: ignore[union-attr]
        x, y = da.month, db.month  # type: ignore[union-attr]
    else:
        return 4
    return 3 if x // 10 == y // 10 or x % 10 == y % 10 else 4


def _family(a: Prepared, b: Prepared) -> int:
    if a.cid is not None and a.cid == b.cid:
        return 0
    mother = person_link(a.mother, b.mother)
    father = person_link(a.father, b.father)
    links = [mother, father]
    if not a.commune or not b.commune or a.commune == b.commune:
        for carer, other in ((a.carer, b), (b.carer, a)):
            if carer is not None:
                links.extend((person_link(carer, other.mother), person_link(carer, other.father),
                              person_link(carer, other.carer)))
    else:  # names in different communes: only a difference counts
        links = [x if x == OTHER_PERSON else None for x in links]
    differ = mother == OTHER_PERSON or father == OTHER_PERSON
    if SAME_PERSON in links:
        return 1 if differ else 0
    if differ:
        return 2
    return 1 if ALIKE_PERSON in links else 3


def _sex(a: Prepared, b: Prepared) -> int:
    if a.sex is None or b.sex is None:
        return 2
    return 0 if a.sex == b.sex else 1


def _ids(a: Prepared, b: Prepared) -> int:
    x, y = a.pid, b.pid
    if x is None:
        return 4 if y is None else 3
    if y is None:
        return 3
    if x == y:
        return 0
    diff = [i for i in range(12) if x[i] != y[i]]
    if len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                          and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]):
        return 1
    fits_a, fits_b = id_fits(a), id_fits(b)
    if fits_a and fits_b:
        return 2
    # A number that does not fit its record (a parent's number in the child's field)
    # is no evidence against.
    return 3 if fits_a or fits_b else 4


def cell(a: Prepared, b: Prepared, window: int) -> int:
    """Return the cell (0 .. CELLS - 1) of the pair ``a``, ``b``, or -1 when the pair
    can never be proposed (names not alike and ID numbers not equal: the cell has no
    reason for a match), without comparing the rest."""
    name = _NAME_INDEX[relation(a.name, b.name)]
    if name >= _UNLIKE and (a.pid is None or a.pid != b.pid):
        return -1
    return (((name * _B + _birth(a, b, window)) * _F + _family(a, b)) * _S
            + _sex(a, b)) * _I + _ids(a, b)


def full_cell(a: Prepared, b: Prepared, window: int) -> int:
    """Return the cell of the pair ``a``, ``b`` (never -1)."""
    name = _NAME_INDEX[relation(a.name, b.name)]
    return (((name * _B + _birth(a, b, window)) * _F + _family(a, b)) * _S
            + _sex(a, b)) * _I + _ids(a, b)


def relations_of_cell(index: int) -> Relations:
    """Return the five relations of a cell."""
    index, ids = divmod(index, _I)
    index, sex = divmod(index, _S)
    index, family = divmod(index, _F)
    name, birth = divmod(index, _B)
    return Relations(NAME_RELATIONS[name], BIRTH_RELATIONS[birth], FAMILY_RELATIONS[family],
                     SEX_RELATIONS[sex], ID_RELATIONS[ids])


def relations(a: Prepared, b: Prepared, window: int) -> Relations:
    """Return the five relations of the pair ``a``, ``b``."""
    return relations_of_cell(full_cell(a, b, window))


_SIMILAR = ("exact", "diacritics", "spelling", "typo_given", "typo_other")
_SAME_BIRTH_REASON = {
    "diacritics": "name_diacritics_only_same_birth",
    "spelling": "name_variant_same_birth",
    "typo_given": "name_one_typo_same_birth",
    "typo_other": "name_one_typo_same_birth",
}
_CAREGIVER_REASON = {
    "exact": "same_name_same_caregiver",
    "diacritics": "name_diacritics_only_same_caregiver",
    "spelling": "name_variant_same_caregiver",
    "typo_given": "name_one_typo_same_caregiver",
    "typo_other": "name_one_typo_same_caregiver",
}


def cell_reasons(index: int) -> tuple[str, ...]:
    """Return the reason codes of a cell: reasons for a match first, then against.

    A cell without any reason for a match gives ``()``: such pairs are not proposed
    whatever their score.
    """
    name, birth, family, sex, ids = relations_of_cell(index)
    reasons = []
    if ids == "same":
        reasons.append("same_personal_id")
    if name in _SIMILAR:
        if name == "exact" and birth in ("same", "close"):
            reasons.append("same_name_close_birth")
        elif birth == "same":
            reasons.append(_SAME_BIRTH_REASON[name])
        elif birth == "close":
            reasons.append("similar_name_close_birth")
        elif birth == "swap":
            reasons.append("similar_name_day_month_swapped")
        elif birth == "digit":
            reasons.append("similar_name_birth_one_digit")
        if family == "same":
            reasons.append(_CAREGIVER_REASON[name])
    if not reasons:
        return ()
    if ids == "different":
        reasons.append("different_personal_id")
    if sex == "different":
        reasons.append("different_sex")
    if family in ("same", "alike") and birth == "far":
        reasons.append("born_years_apart_same_parents")
    if family == "conflict":
        reasons.append("different_parents")
    return tuple(reasons)

