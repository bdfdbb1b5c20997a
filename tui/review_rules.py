"""What puts a child on each review list: the one definition every consumer uses.

The step 3 lists (no ID number, ID number wrong, basic information missing or wrong) and
the category-rule list are found by the libchild issue codes stored with each record, so
the rule engine stays the single source of truth; "aged 16 and over" follows the age rule
of ``libchild.dates`` (Bộ luật Dân sự Điều 148) and Luật Trẻ em 2016 Điều 1 (a child is
under 16); "special circumstances without support" is read from the circumstance and
support rows. The review screens, the home counts, ``treem check``, the cleaning
workbook, the automatic "needs fixing" state and the report all use this module.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from libchild.dates import CHILD_AGE_LIMIT, born_by
from libchild.messages import MESSAGES
from tui.domain import STEP3_KINDS, ReviewKind

__all__ = [
    "aged_out_born_by",
    "id_codes",
    "kind_codes",
    "kinds_of",
    "step3_codes",
    "visible_codes",
]

_BASIC_PREFIXES = (
    "full_name.", "father_name.", "mother_name.", "caregiver_name.", "sex.",
    "birth_date.", "ethnicity.", "parents.",
)


@functools.cache
def kind_codes(kind: ReviewKind) -> tuple[str, ...]:
    """The libchild issue codes that put a child on list ``kind`` (empty for the lists
    computed from dates and other tables)."""
    kind = ReviewKind(kind)
    if kind is ReviewKind.NO_ID:
        return ("personal_id.missing",)
    if kind is ReviewKind.BAD_ID:
        return tuple(c for c in MESSAGES
                     if c.startswith("personal_id.") and c != "personal_id.missing")
    if kind is ReviewKind.BASIC_INFO:
        return tuple(c for c in MESSAGES if c.startswith(_BASIC_PREFIXES))
    if kind is ReviewKind.CATEGORY_RULES:
        return tuple(c for c, m in MESSAGES.items()
                     if c.startswith("rule.") and m.severity != "info")
    return ()


@functools.cache
def visible_codes(kind: ReviewKind, hidden_fields: frozenset[str]) -> tuple[str, ...]:
    """The codes of :func:`kind_codes` about a field not in ``hidden_fields``: what puts a
    child on list ``kind`` for a person who may not see those fields (a problem they could
    neither see nor fix does not put the child on their list)."""
    return tuple(code for code in kind_codes(kind)
                 if MESSAGES[code].field not in hidden_fields)


@functools.cache
def step3_codes() -> frozenset[str]:
    """Issue codes that put a child on a step 3 list (what sends a record to "needs
    fixing" when saved)."""
    return frozenset(c for kind in STEP3_KINDS for c in kind_codes(kind))


@functools.cache
def id_codes() -> frozenset[str]:
    """The step 3 codes about the ID number alone (what the police answer settles)."""
    return frozenset(c for kind in (ReviewKind.NO_ID, ReviewKind.BAD_ID)
                     for c in kind_codes(kind))


def kinds_of(codes: Iterable[str]) -> set[ReviewKind]:
    """The code-based lists a record with issue ``codes`` is on."""
    found = set(codes)
    return {kind for kind in ReviewKind if found.intersection(kind_codes(kind))}


def aged_out_born_by(on: date) -> date:
    """Children born on or before this date are aged 16 or over on ``on``
    (``libchild.dates.CHILD_AGE_LIMIT``, Luật Trẻ em 2016 Điều 1)."""
    return born_by(on, CHILD_AGE_LIMIT)
