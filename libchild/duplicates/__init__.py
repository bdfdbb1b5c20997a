"""Candidate duplicate records: pairs with a calibrated probability, for a person to review.

:func:`find_duplicates` compares records only when they share a blocking key
(:mod:`libchild.duplicates.blocking`: the personal ID number, the caregiver's ID
number, the parents' names together, a sorted neighbourhood over the spelled name
and birth date, day/month-swapped birth dates, names one typo apart on the same
birth date), so 300,000 records take seconds and about two comparisons each. Each
candidate is described by five relations (:mod:`libchild.duplicates.compare`: name,
birth date, family, sex, ID number) and scored by a logistic model fitted on
labelled synthetic registers (:mod:`libchild.duplicates.model`): the score reads as
the probability that the two records are the same child. Evidence against a match
(two valid, different ID numbers; different sex; the same parents and different
birth years, as for brothers and sisters; different parents) lowers it.

Pairs scoring at least :data:`REVIEW_THRESHOLD` are for review; ``min_score`` lowers
or raises that floor. A pair is returned only with at least one reason for a match;
its reasons (stable codes, :data:`REASONS`; labels in
:data:`libchild.messages.DUPLICATE_REASONS`) list the evidence for, then against.
Fields that are missing or cannot be read are not used; nothing raises.

>>> records = [
...     {"full_name": "Nguyễn Văn An", "birth_date": "05/03/2016", "sex": "1",
...      "mother_name": "Trần Thị Hoa"},
...     {"full_name": "Nguyen Van An", "birth_date": "2016-03-05", "sex": "1"},
...     {"full_name": "Nguyễn Văn Anh", "birth_date": "05/03/2019", "sex": "1",
...      "mother_name": "Trần Thị Hoa"},
...     {"full_name": "Giàng A Sử", "birth_date": "09/05/2015", "sex": "1"},
...     {"full_name": "Dàng A Sử", "birth_date": "05/09/2015", "sex": "1"},
... ]
>>> for pair in find_duplicates(records):
...     print(pair.left, pair.right, pair.reasons)
0 1 ('name_diacritics_only_same_birth',)
3 4 ('similar_name_day_month_swapped',)

:class:`DuplicateIndex` gives the same pairs for one record at a time (incremental
matching at save time).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from libchild.duplicates.blocking import candidate_pairs
from libchild.duplicates.compare import NEGATIVE_REASONS, POSITIVE_REASONS, REASONS, cell
from libchild.duplicates.index import DuplicateIndex, Match
from libchild.duplicates.model import CELL_REASONS, CELL_SCORES, REVIEW_THRESHOLD
from libchild.duplicates.names import NameKeys
from libchild.duplicates.prepare import Prepared, prepare
from libchild.gcpause import paused_gc

__all__ = [
    "DEFAULT_DATE_WINDOW_DAYS",
    "NEGATIVE_REASONS",
    "POSITIVE_REASONS",
    "REASONS",
    "REVIEW_THRESHOLD",
    "DuplicateIndex",
    "DuplicatePair",
    "Match",
    "find_duplicates",
    "prepare_all",
]

#: Tolerance between birth dates of records with the same spelled name (days).
DEFAULT_DATE_WINDOW_DAYS = 31


@attrs.frozen
class DuplicatePair:
    """Two records that may be the same child.

    ``left`` < ``right`` are positions in the input, ``score`` is the probability
    (0 to 1) that they are the same child and ``reasons`` are stable codes from
    :data:`REASONS`: reasons for a match first, then evidence against.
    """

    left: int
    right: int
    score: float
    reasons: tuple[str, ...]


def prepare_all(records: Iterable[Any]) -> list[Prepared]:
    """Return the matching view of each record (for the blocking and benchmarks)."""
    memo: dict[str, NameKeys | None] = {}
    return [prepare(record, memo) for record in records]


def find_duplicates(
    records: Iterable[Any],
    *,
    date_window_days: int = DEFAULT_DATE_WINDOW_DAYS,
    min_score: float = REVIEW_THRESHOLD,
) -> list[DuplicatePair]:
    """Return the candidate duplicate pairs among ``records``, highest score first.

    ``records`` are dicts or objects (e.g. :class:`libchild.model.Child`) with the
    canonical field names: ``personal_id``, ``full_name``, ``birth_date`` (a date
    or any form :func:`libchild.dates.parse_date` reads), ``sex`` (``"1"``/``"2"``
    or Nam/Nữ), ``caregiver_id``, ``caregiver_name``, ``mother_name``,
    ``father_name``, ``commune_code``. Positions in the result refer to the order of
    ``records``; ties are ordered by position. Only pairs scoring at least
    ``min_score`` come back (the model was fitted with the default window).
    """
    window = max(0, int(date_window_days))
    pairs = []
    # Many small objects are built and dropped here; the cyclic garbage collector
    # would rescan them over and over.
    with paused_gc():
        recs = prepare_all(records)
        scores, reasons = CELL_SCORES, CELL_REASONS
        for left, right in candidate_pairs(recs, window):
            c = cell(recs[left], recs[right], window)
            if c >= 0 and scores[c] >= min_score and reasons[c]:
                pairs.append(DuplicatePair(left, right, scores[c], reasons[c]))
    pairs.sort(key=lambda p: (-p.score, p.left, p.right))
    return pairs
