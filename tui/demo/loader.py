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
import multiprocessing
import os
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

import attrs
import peewee

from libchild.gcpause import paused_gc
from tui.demo.generator import DemoData, DemoStream, HouseholdBatch
from tui.store import bulk, bulk_upkeep
from tui.store.children import count_living
from tui.store.database import write_tx
from tui.store.records import Prepared

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


#: Children from which a stream is generated and validated in a second process while
#: this one writes, when a core is idle (below this the start costs more).
WORKER_FROM = 20_000


def _prepared_here(data: DemoData | DemoStream, writer: bulk.ChildWriter
                   ) -> Iterator[tuple[HouseholdBatch, list[Prepared]]]:
    for batch in _batches(data):
        yield batch, [writer.prepare(child) for child in batch.children]


def _produce(data: DemoStream, prepare: Callable[[dict[str, Any]], Prepared],
             out: Connection, writer_end: Connection) -> None:
    """In the worker: generate and validate, a block of households per message; then the
    planted problems and duplicates."""
    writer_end.close()  # else the pipe keeps a reader after the writer dies: no EPIPE
    try:
        block: list[tuple[HouseholdBatch, list[Prepared]]] = []
        for batch in data:
            prepared = [prepare(child) for child in batch.children]
            # the writer needs only the household and village of each child beside its
            # prepared row: half the bytes to pickle
            batch.children = [{"household_id": child["household_id"],
                               "village": child["village"]} for child in batch.children]
            block.append((batch, prepared))
            if len(block) >= _BLOCK:
                out.send(("rows", block))
                block = []
        out.send(("rows", block))
        out.send(("done", data.problems, data.duplicates))
    except BrokenPipeError:  # the writer is gone (killed or failed): nothing to tell
        pass
    except BaseException as exc:
        out.send(("error", exc))
    finally:
        out.close()


_BLOCK = 250  # households per message from the worker


def _prepared_in_worker(data: DemoStream, writer: bulk.ChildWriter
                        ) -> Iterator[tuple[HouseholdBatch, list[Prepared]]]:
    """The batches of ``data`` with their children validated, made by a forked worker
    process (the pipe holds a block or two: memory stays flat). The worker ends with
    this process: a write to the closed pipe ends it."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_produce, args=(data, writer.prepare, send, receive),
                             daemon=True, name="treem-demo-rows")
    worker.start()
    send.close()
    try:
        while True:
            message = receive.recv()
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "done":
                data.problems.update(message[1])
                data.duplicates.extend(message[2])
                return
            else:
                raise message[1]
    finally:
        receive.close()
        worker.join(timeout=5)
        if worker.is_alive():
            worker.kill()
            worker.join()


def _use_worker(data: DemoData | DemoStream) -> bool:
    """A worker only helps when a core is idle: on a busy server the two processes share
    the same cores and the pickling between them costs about 15 % more CPU
    (docs/benchmarks.md)."""
    cores = os.cpu_count() or 1
    return (isinstance(data, DemoStream) and data.size >= WORKER_FROM and cores > 1
            and os.getloadavg()[0] <= cores - 1
            and "fork" in multiprocessing.get_all_start_methods())


def load(
    db: peewee.Database, data: DemoData | DemoStream, *, user_id: int | None, username: str,
    defer: bool | None = None, worker: bool | None = None,
) -> LoadResult:
    """Store ``data`` (generated lists, or a stream read once) in the open register ``db``
    on behalf of the given user, in one transaction. ``defer``: set the index and count
    upkeep aside until the end (default: when the register holds no children yet).
    ``worker``: generate and validate a stream in a second process (default: for a large
    stream when a core is idle, i.e. the load average is at most the cores less one)."""
    with write_tx(db), paused_gc():
        village_ids = bulk.insert_villages(db, data.villages, user_id=user_id,
                                           username=username)
        if defer is None:  # never on PostgreSQL (bulk_upkeep.wanted: shared tables)
            defer = bulk_upkeep.wanted(db, bulk_upkeep.MIN_ROWS, count_living(db))
        with bulk_upkeep.deferred_upkeep(db) if defer else contextlib.nullcontext():
            households = bulk.HouseholdWriter(db, user_id=user_id, username=username)
            children = bulk.ChildWriter(db, user_id=user_id, username=username,
                                        allow_errors=True, on=data.on,
                                        before_flush=households.flush)
            household_ids: list[int] = []  # the generator's household n is [n - 1]
            caregivers = 0
            in_worker = _use_worker(data) if worker is None else worker
            source = (_prepared_in_worker(data, children)  # type: ignore[arg-type]
                      if in_worker else _prepared_here(data, children))
            with contextlib.closing(source):  # on an error the worker stops now
                for batch, prepared in source:
                    if batch.household is not None:
                        h = batch.household
                        household_ids.append(households.add({
                            "book_number": h["book_number"],
                            "village_id": village_ids[h["village"]],
                            "address": h["address"],
                            "poverty": h["poverty"],
                            "caregivers": batch.caregivers,
                        }))
                        caregivers += len(batch.caregivers)
                    for child, ready in zip(batch.children, prepared, strict=True):
                        children.add({**child,
                                      "household_id": household_ids[child["household_id"] - 1],
                                      "village_id": village_ids[child["village"]]},
                                     prepared=ready)
            children.flush()
        households.finish()
        children.finish()
    return LoadResult(
        villages=len(village_ids),
        households=len(household_ids),
        caregivers=caregivers,
        children=len(children.ids),  # every row is kept (allow_errors)
        first_child_id=children.ids[0] if children.ids else None,
        last_child_id=children.ids[-1] if children.ids else None,
    )
