"""Step-3 problems planted in a share of the demo children (DOMAIN.md §1, step 3).

Each kind breaks one thing the review lists look for: no ID number, an ID number in
a wrong format, an ID whose structure disagrees with the record, missing parents,
missing ethnicity, a missing or future birth date, missing sex, an invalid name.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

__all__ = ["KINDS", "PROBLEM_FIELDS", "plant"]

# kind -> (weight, canonical field the problem is on)
_TABLE: dict[str, tuple[float, str]] = {
    "id_missing": (34.0, "personal_id"),
    "id_format": (18.0, "personal_id"),
    "id_structure": (6.0, "personal_id"),
    "parents_missing": (10.0, "caregiver_name"),
    "ethnicity_missing": (10.0, "ethnicity"),
    "birth_date_missing": (5.0, "birth_date"),
    "birth_date_future": (5.0, "birth_date"),
    "sex_missing": (6.0, "sex"),
    "name_invalid": (6.0, "full_name"),
}
KINDS: tuple[str, ...] = tuple(_TABLE)
PROBLEM_FIELDS: dict[str, str] = {kind: field for kind, (_, field) in _TABLE.items()}
_CUM_WEIGHTS: list[float] = []
_total = 0.0
for _weight, _ in _TABLE.values():
    _total += _weight
    _CUM_WEIGHTS.append(_total)


def _bad_format(rng: Random, number: str) -> str:
    variant = rng.randrange(4)
    if variant == 0:
        return number[:11]  # a digit lost while copying
    if variant == 1:
        return number + str(rng.randrange(10))  # a digit typed twice
    if variant == 2:
        return number[3:]  # the 9-digit tail, as if it were an old CMND
    position = rng.randrange(4, 12)
    return number[:position] + "O" + number[position + 1 :]  # letter O for zero


def _flip_sex_digit(number: str) -> str:
    digit = int(number[3])
    return number[:3] + str(digit ^ 1) + number[4:]


def plant(rng: Random, child: dict[str, Any], on: date) -> str:
    """Break ``child`` in place with one randomly chosen problem; return its kind."""
    kind = rng.choices(KINDS, cum_weights=_CUM_WEIGHTS)[0]
    if kind in ("id_format", "id_structure") and not child["personal_id"]:
        kind = "id_missing"
    if kind == "id_missing":
        child["personal_id"] = ""
    elif kind == "id_format":
        child["personal_id"] = _bad_format(rng, child["personal_id"])
    elif kind == "id_structure":
        child["personal_id"] = _flip_sex_digit(child["personal_id"])
    elif kind == "parents_missing":
        child.update(father_name="", mother_name="", caregiver_name="", caregiver_id="")
    elif kind == "ethnicity_missing":
        child["ethnicity"] = ""
    elif kind == "birth_date_missing":
        child["birth_date"] = None
    elif kind == "birth_date_future":
        child["birth_date"] = on + timedelta(days=rng.randint(2, 400))
    elif kind == "sex_missing":
        child["sex"] = ""
    else:  # name_invalid
        child["full_name"] = f"{child['full_name']} {rng.randint(1, 9)}"
    return kind
