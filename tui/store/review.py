"""The review lists as SQL: one condition per list over ``child AS c``, counted and paged.

Which codes and dates put a child on a list is decided in ``tui.review_rules``; this
module turns that into one WHERE condition, so the screens, ``treem check`` and the
cleaning workbook read the same rows. A page is ``ORDER BY id LIMIT ? OFFSET ?``, so the
first page of a list of any size costs a scan only until a screenful is found.

The conditions are ``tui.store.review_sql``'s text, on which migration 6 built one
partial index per list (stored issues are JSON text searched with ``instr``; PostgreSQL
gets ``instr`` as ``strpos``): a count or a page reads only the children of the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs
import peewee

from tui.domain import ReviewKind
from tui.review_rules import aged_out_born_by
from tui.store import tenancy
from tui.store.children import living_sql
from tui.store.review_sql import aged_out_sql, codes_sql, list_sql

__all__ = ["ReviewRow", "condition", "count", "flag_counts", "open_special_codes", "page"]


@attrs.frozen
class ReviewRow:
    """One child on a review list, with its stored issues (JSON text)."""

    child_id: int
    personal_id: str | None
    full_name: str
    birth_date: str | None
    sex: str | None
    village: str | None
    village_id: int | None
    state: str
    issues: str
    father_name: str | None
    mother_name: str | None
    caregiver_name: str | None
    ethnicity: str | None


_OPEN_SPECIAL = ("SELECT child_id FROM child_circumstance WHERE code LIKE 'DB%' "
                 "AND (end_date IS NULL OR end_date > ?)")


def condition(kind: ReviewKind, on: date, db: peewee.Database | None = None
              ) -> tuple[str, tuple[Any, ...]]:
    """The SQL condition (on ``child AS c``) that puts a child on list ``kind`` on ``on``.

    The date-free part is ``tui.store.review_sql``'s text, the same the list's partial
    index is built on, so that the database answers from that index. Given ``db``, the
    circumstances read for "without support" are those of the communes ``db`` is bound
    to (``child_circumstance_commune_code``), not every commune's of a province.
    """
    kind = ReviewKind(kind)
    if kind is ReviewKind.AGED_OUT:
        return (f"({aged_out_sql('c')} AND c.birth_date <= ?)",
                (aged_out_born_by(on).isoformat(),))
    if kind is ReviewKind.UNSUPPORTED:
        scope = tenancy.where(db) if db is not None else ""
        scope_params = tenancy.where_params(db) if db is not None else ()
        return (f"(c.death_date IS NULL AND c.id IN ({_OPEN_SPECIAL}{scope}) AND NOT EXISTS "
                "(SELECT 1 FROM support AS s WHERE s.child_id = c.id))",
                (on.isoformat(), *scope_params))
    return list_sql(kind, "c"), ()


def _where(db: peewee.Database, kind: ReviewKind, on: date, villages: frozenset[int] | None,
           codes: tuple[str, ...] | None = None) -> tuple[str, tuple[Any, ...]]:
    where, params = living_sql("c") + tenancy.where(db, "c"), tenancy.where_params(db)
    if villages is not None:
        ids = sorted(villages) or [-1]
        where += f" AND c.village_id IN ({', '.join('?' for _ in ids)})"
        params = (*params, *ids)
    test, test_params = condition(kind, on, db)
    if codes is not None:
        # Narrower than the list's own condition, which stays in the query so that its
        # partial index still answers.
        test = f"{test} AND {codes_sql(codes, 'c')}"
    return f"{where} AND {test}", (*params, *test_params)


def count(db: peewee.Database, kind: ReviewKind, *, on: date,
          villages: frozenset[int] | None, codes: tuple[str, ...] | None = None) -> int:
    """How many children are on list ``kind`` (in ``villages`` when given; with one of
    ``codes`` when given, a part of the list's codes)."""
    where, params = _where(db, kind, on, villages, codes)
    return int(db.execute_sql(f"SELECT count(*) FROM child AS c WHERE {where}",
                              params).fetchone()[0])


_ROW = ("SELECT c.id, c.personal_id, c.full_name, c.birth_date, c.sex, c.village, "
        "c.village_id, c.state, c.issues, c.father_name, c.mother_name, c.caregiver_name, "
        "c.ethnicity ")


def page(db: peewee.Database, kind: ReviewKind, *, on: date,
         villages: frozenset[int] | None, offset: int, limit: int,
         codes: tuple[str, ...] | None = None) -> list[ReviewRow]:
    """At most ``limit`` children of list ``kind`` from position ``offset``, by id (with
    one of ``codes`` when given, as :func:`count`)."""
    where, params = _where(db, kind, on, villages, codes)
    rows = db.execute_sql(
        _ROW + f"FROM child AS c WHERE {where} ORDER BY c.id LIMIT ? OFFSET ?",
        (*params, int(limit), int(offset))).fetchall()
    return [ReviewRow(*row) for row in rows]


def open_special_codes(db: peewee.Database, child_ids: Sequence[int], on: date
                       ) -> dict[int, str]:
    """The special circumstances (DB..) open on ``on`` of each child, as ``"DB01, DB04"``."""
    out: dict[int, list[str]] = {}
    ids = list(child_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for child_id, code in db.execute_sql(
                "SELECT DISTINCT child_id, code FROM child_circumstance "
                f"WHERE child_id IN ({marks}) AND code LIKE 'DB%'{tenancy.where(db)} "
                "AND (end_date IS NULL OR end_date > ?) ORDER BY child_id, code",
                (*chunk, *tenancy.where_params(db), on.isoformat())):
            out.setdefault(child_id, []).append(code)
    return {k: ", ".join(v) for k, v in out.items()}


def flag_counts(db: peewee.Database, villages: frozenset[int] | None) -> tuple[int, int]:
    """(children whose record has an error, children whose record has a warning)."""
    where, params = living_sql("c") + tenancy.where(db, "c"), tenancy.where_params(db)
    if villages is not None:
        ids = sorted(villages) or [-1]
        where += f" AND c.village_id IN ({', '.join('?' for _ in ids)})"
        params = (*params, *ids)
    row = db.execute_sql(
        "SELECT coalesce(sum(c.has_error), 0), coalesce(sum(c.has_warning), 0) "
        f"FROM child AS c WHERE {where}", params).fetchone()
    return int(row[0]), int(row[1])
