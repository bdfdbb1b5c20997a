"""Writing generated demo rows into a register through the store's bulk writers.

Villages, then households (with their caregivers) and their children as they are
generated, all in one transaction: a demo is stored whole or not at all. Children are
validated by libchild on the way, and rows with step-3 problems are kept
(``allow_errors``) so that they appear on the review lists, exactly as a legacy import
would. Into a register without children the index and count upkeep is done once at
the end (``tui.store.bulk_upkeep``), which gives the same register several times faster.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import attrs
import peewee

from libchild.gcpause import paused_gc
from tui.demo.generator import DemoData, DemoStream, HouseholdBatch
from tui.store import bulk, bulk_upkeep
from tui.store.children import count_living
from tui.store.database import write_tx

__all__ = ["LoadResult", "load"]


@attrs.frozen
class LoadResult:
    """What ``load`` stored: counts, and the database ids of the first and last child."""

    villages: int
    households: int
    caregivers: int
    children: int
    first_child_id: int | None
    last_child_id: int | None


def _batches(data: DemoData | DemoStream) -> Iterator[HouseholdBatch]:
    """The household batches of a stream, or of generated lists regrouped."""
    if isinstance(data, DemoStream):
        yield from data
        return
    carers_of: dict[int, list[dict[str, Any]]] = {}
    for carer in data.caregivers:
        carers_of.setdefault(carer["household_id"], []).append(carer)
    kids_of: dict[int, list[dict[str, Any]]] = {}
    copies = {copy for _, copy in data.duplicates}
    for index, child in enumerate(data.children):
        if index not in copies:
            kids_of.setdefault(child["household_id"], []).append(child)
    for household in data.households:
        yield HouseholdBatch(household, carers_of.get(household["id"], []),
                             kids_of.get(household["id"], []))
    if copies:
        yield HouseholdBatch(None, [], [data.children[i] for i in sorted(copies)])


def load(
    db: peewee.Database, data: DemoData | DemoStream, *, user_id: int | None, username: str,
    defer: bool | None = None,
) -> LoadResult:
    """Store ``data`` (generated lists, or a stream read once) in the open register ``db``
    on behalf of the given user, in one transaction. ``defer``: set the index and count
    upkeep aside until the end (default: when the register holds no children yet)."""
    with write_tx(db), paused_gc():
        village_ids = bulk.insert_villages(db, data.villages, user_id=user_id,
                                           username=username)
        if defer is None:
            defer = count_living(db) == 0
        with bulk_upkeep.deferred_upkeep(db) if defer else contextlib.nullcontext():
            households = bulk.HouseholdWriter(db, user_id=user_id, username=username)
            children = bulk.ChildWriter(db, user_id=user_id, username=username,
                                        allow_errors=True, on=data.on,
                                        before_flush=households.flush)
            first_household = households.next_id
            caregivers = 0
            for batch in _batches(data):
                if batch.household is not None:
                    h = batch.household
                    households.add({
                        "book_number": h["book_number"],
                        "village_id": village_ids[h["village"]],
                        "address": h["address"],
                        "poverty": h["poverty"],
                        "caregivers": batch.caregivers,
                    })
                    caregivers += len(batch.caregivers)
                for child in batch.children:
                    children.add({**child,
                                  "household_id": first_household + child["household_id"] - 1,
                                  "village_id": village_ids[child["village"]]})
            children.flush()
        households.finish()
        children.finish()
    return LoadResult(
        villages=len(village_ids),
        households=households.next_id - first_household,
        caregivers=caregivers,
        children=len(children.ids),  # every row is kept (allow_errors)
        first_child_id=children.ids[0] if children.ids else None,
        last_child_id=children.ids[-1] if children.ids else None,
    )
