"""Writing generated demo rows into a register through the store's bulk API.

Villages, households (with their caregivers) and children go in with
``tui.store.bulk`` (``executemany``, one transaction per table group); children are
validated by libchild there, and rows with step-3 problems are kept (``allow_errors``)
so that they appear on the review lists, exactly as a legacy import would.
"""

from __future__ import annotations

from typing import Any

import attrs
import peewee

from tui.demo.generator import DemoData
from tui.store import bulk

__all__ = ["LoadResult", "load"]


@attrs.frozen
class LoadResult:
    """What ``load`` stored: counts, and the database id of each generated child."""

    villages: int
    households: int
    caregivers: int
    children: int
    child_ids: tuple[int | None, ...]


def load(
    db: peewee.SqliteDatabase, data: DemoData, *, user_id: int | None, username: str
) -> LoadResult:
    """Store ``data`` in the open register ``db`` on behalf of the given user."""
    village_ids = bulk.insert_villages(db, data.villages, user_id=user_id, username=username)
    carers_of: dict[int, list[dict[str, Any]]] = {}
    for carer in data.caregivers:
        carers_of.setdefault(carer["household_id"], []).append({
            "personal_id": carer["personal_id"],
            "full_name": carer["full_name"],
            "relation": carer["relation"],
        })
    household_rows = [
        {
            "book_number": h["book_number"],
            "village_id": village_ids[h["village"]],
            "address": h["address"],
            "poverty": h["poverty"],
            "caregivers": carers_of.get(h["id"], []),
        }
        for h in data.households
    ]
    household_ids = bulk.insert_households_bulk(
        db, household_rows, user_id=user_id, username=username
    )
    child_rows = (  # one at a time: a copy of every child would double the peak
        {**child, "household_id": household_ids[child["household_id"] - 1],
         "village_id": village_ids[child["village"]]}
        for child in data.children)
    result = bulk.insert_children_bulk(
        db, child_rows, user_id=user_id, username=username, allow_errors=True, on=data.on
    )
    return LoadResult(
        villages=len(village_ids),
        households=len(household_ids),
        caregivers=len(data.caregivers),
        children=result.inserted,
        child_ids=result.ids,
    )
