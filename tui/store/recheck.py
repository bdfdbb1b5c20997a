"""The rows behind the re-check (phúc tra): who may be re-checked, and the results.

A result is kept as a workflow event plus an audit entry of entity :data:`ENTITY`; the
rules of the sample and of a result are in ``tui.services.recheck``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs
import peewee

from tui.store import tenancy
from tui.store.children import living_sql

__all__ = ["ENTITY", "SampleRow", "eligible", "result_entries", "results", "sample_rows"]

#: Audit entity of re-check results (the child id is the record id).
ENTITY = "recheck"

# "Not re-checked since the last change" compares audit ids, not timestamps: two writes
# can share a millisecond.
_ELIGIBLE = (
    f"SELECT c.id FROM child c WHERE {living_sql('c')}{{here}} "
    "AND coalesce(c.created_by, -1) != ? AND coalesce(c.updated_by, -1) != ? "
    "AND NOT EXISTS (SELECT 1 FROM audit_entry a WHERE a.entity = ? "
    "AND a.record_id = c.id AND a.id > (SELECT coalesce(max(b.id), 0) FROM audit_entry b "
    "WHERE b.entity = 'child' AND b.record_id = c.id AND b.action IN ('create', 'update'))) "
    "ORDER BY c.id"
)


def eligible(db: peewee.Database, checker_id: int) -> list[int]:
    """Living children ``checker_id`` neither entered nor last edited, and not re-checked
    since their last change."""
    sql = _ELIGIBLE.format(here=tenancy.where(db, "c"))
    return [r[0] for r in db.execute_sql(
        sql, (*tenancy.where_params(db), checker_id, checker_id, ENTITY))]


@attrs.frozen
class SampleRow:
    """A child drawn for re-check, with the name of who last entered or edited it."""

    id: int
    full_name: str
    birth_date: str | None
    sex: str | None
    personal_id: str | None
    village: str | None
    state: str
    entered_by: str
    book_number: str | None = None  # the household book to re-enter from


def sample_rows(db: peewee.Database, child_ids: Sequence[int]) -> list[SampleRow]:
    """The rows of the drawn children (any order)."""
    out: list[SampleRow] = []
    ids = list(child_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        cursor = db.execute_sql(
            "SELECT c.id, c.full_name, c.birth_date, c.sex, c.personal_id, c.village, "
            "c.state, coalesce(u.full_name, ''), h.book_number FROM child c "
            'LEFT JOIN "user" u ON u.id = coalesce(c.updated_by, c.created_by) '
            "LEFT JOIN household h ON h.id = c.household_id "
            f"WHERE c.id IN ({marks}){tenancy.where(db, 'c')}",
            (*chunk, *tenancy.where_params(db)))
        out.extend(SampleRow(*row) for row in cursor)
    return out


def results(db: peewee.Database) -> list[dict[str, Any]]:
    """The value of every re-check result recorded (``ok``, ``enterer``, ...)."""
    cursor = db.execute_sql(
        "SELECT new FROM audit_entry WHERE entity = ? AND action = 'recheck'"
        f"{tenancy.where(db)}", (ENTITY, *tenancy.where_params(db)))
    return [json.loads(row[0]) if row[0] else {} for row in cursor]


def result_entries(db: peewee.Database) -> list[tuple[int, str, str, dict[str, Any]]]:
    """Every re-check result: (child id, when, checker's username, value), oldest first."""
    cursor = db.execute_sql(
        "SELECT record_id, at, username, new FROM audit_entry "
        f"WHERE entity = ? AND action = 'recheck'{tenancy.where(db)} ORDER BY id",
        (ENTITY, *tenancy.where_params(db)))
    return [(row[0], row[1], row[2], json.loads(row[3]) if row[3] else {}) for row in cursor]
