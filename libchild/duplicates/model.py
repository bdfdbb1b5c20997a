"""The calibrated score: a logistic model over the relations of a pair.

The probability that a candidate pair is the same child is

    p = 1 / (1 + exp(-(w · x)))

where ``x`` are the binary features of :data:`FEATURES` computed from the pair's five
relations (:func:`design`) and ``w`` the coefficients in
:mod:`libchild.duplicates.weights`, fitted by ``benchmarks/fit_duplicates.py`` with
:func:`libchild.duplicates.fit.fit_logistic` on labelled synthetic registers (see
docs/decisions.md, "Duplicates"). Since the relations take few values, the score of
every cell is computed once at import (:data:`CELL_SCORES`).
"""

from __future__ import annotations

import math

from libchild.duplicates.compare import CELLS, Relations, cell_reasons, relations_of_cell
from libchild.duplicates.weights import WEIGHTS

__all__ = [
    "AGAINST_CAP",
    "CELL_REASONS",
    "CELL_SCORES",
    "FEATURES",
    "REVIEW_THRESHOLD",
    "against",
    "design",
    "probability",
    "score",
]

#: Pairs scoring at least this are proposed for review (find_duplicates' default
#: ``min_score``): more likely the same child than not. On the labelled synthetic
#: register (20,000 children, 500 planted duplicates, 300 twin pairs) it gives
#: precision 0.9 or more and recall 0.95 or more; see docs/decisions.md.
REVIEW_THRESHOLD = 0.5

#: Highest score of a pair with evidence against a match (:func:`against`). The rule
#: is policy, not data: the labelled sets have almost no duplicates of a different sex
#: or with two different fitting ID numbers, so the fitted model alone would say
#: little about such pairs.
AGAINST_CAP = 0.25

#: Names of the model's features, in the order of :func:`design`.
FEATURES = (
    "intercept",
    "name_exact", "name_diacritics", "name_spelling", "name_typo_given", "name_typo_other",
    "name_missing",
    "birth_same", "birth_swap", "birth_close", "birth_digit", "birth_year", "birth_missing",
    "family_same", "family_alike", "family_conflict",
    "sex_different", "sex_unknown",
    "id_same", "id_close", "id_different", "id_one",
    # interactions
    "siblings",             # same or alike family, born in different years
    "alike_same_birth_family",  # same family and birth date, names alike but not equal
    "household_typo_given",  # same family, given names one letter apart (An/Anh)
)


def design(rel: Relations) -> tuple[int, ...]:
    """Return the feature vector (0/1 values, :data:`FEATURES` order) of the relations."""
    name, birth, family, sex, ids = rel
    same_family = family == "same"
    parents = family in ("same", "alike")
    return (
        1,
        name == "exact", name == "diacritics", name == "spelling", name == "typo_given",
        name == "typo_other", name == "missing",
        birth == "same", birth == "swap", birth == "close", birth == "digit", birth == "year",
        birth == "missing",
        same_family, family == "alike", family == "conflict",
        sex == "different", sex == "unknown",
        ids == "same", ids == "close", ids == "different", ids == "one",
        parents and birth == "far",
        same_family and birth == "same" and name in ("spelling", "typo_given", "typo_other"),
        same_family and name == "typo_given",
    )  # type: ignore[return-value]


def probability(weights: dict[str, float], rel: Relations) -> float:
    """Return the model's probability for the relations ``rel`` under ``weights``."""
    z = sum(weights.get(f, 0.0) for f, on in zip(FEATURES, design(rel), strict=True) if on)
    if z < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def against(rel: Relations) -> bool:
    """Whether the relations carry evidence against a match that caps the score.

    Two valid, different ID numbers that fit their records; different sex; the same
    (or alike) parents and different birth years (brothers and sisters). The same ID number on
    both records overrides them: such a pair is always worth a look.
    """
    return rel.ids != "same" and (
        rel.ids == "different" or rel.sex == "different"
        or (rel.family in ("same", "alike") and rel.birth == "far")
    )


def score(weights: dict[str, float], rel: Relations) -> float:
    """Return the score of relations ``rel``: the model's probability, capped at
    :data:`AGAINST_CAP` when :func:`against` holds, rounded to 3 decimals."""
    p = probability(weights, rel)
    if against(rel):
        p = min(p, AGAINST_CAP)
    return round(p, 3)


#: Score of each cell (index: :func:`libchild.duplicates.compare.cell`).
CELL_SCORES: tuple[float, ...] = tuple(
    score(WEIGHTS, relations_of_cell(i)) for i in range(CELLS)
)
#: Reason codes of each cell.
CELL_REASONS: tuple[tuple[str, ...], ...] = tuple(cell_reasons(i) for i in range(CELLS))
