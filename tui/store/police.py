"""Police verification lists as stored: ``police_batch`` and ``police_batch_row``.

What a batch means and when its status changes is decided in ``tui.services.police``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import peewee

from tui.domain import BatchStatus, RowStatus
from tui.store.models import Child, PoliceBatch, PoliceBatchRow

__all__ = ["BatchRow", "insert_batch", "pending_count", "rows", "set_row", "set_status",
           "verified_ids", "verified_sql"]


@attrs.frozen
class BatchRow:
    """One child of a batch: its number before the list and as the police verified it."""

    row_no: int
    child_id: int
    id_before: str | None
    id_verified: str | None
    status: str


def insert_batch(db: peewee.Database, *, at: str, by: int | None,
                 children: Sequence[tuple[int, str | None]]) -> int:
    """A new batch (status ``sent``) with one pending row per (child id, its number)."""
    batch = int(PoliceBatch.insert(created_at=at, created_by=by, status=BatchStatus.SENT,
                                   note="").execute())
    for start in range(0, len(children), 500):
        PoliceBatchRow.insert_many([
            {"batch": batch, "row_no": start + n, "child": child_id, "id_before": number,
             "status": RowStatus.PENDING}
            for n, (child_id, number) in enumerate(children[start:start + 500], start=1)
        ]).execute()
    return batch


def rows(db: peewee.Database, batch_id: int) -> list[BatchRow]:
    """The rows of a batch by row number (empty for an unknown batch)."""
    query = (PoliceBatchRow.select(PoliceBatchRow.row_no, PoliceBatchRow.child,
                                   PoliceBatchRow.id_before, PoliceBatchRow.id_verified,
                                   PoliceBatchRow.status)
             .where(PoliceBatchRow.batch == batch_id).order_by(PoliceBatchRow.row_no).tuples())
    return [BatchRow(*row) for row in query]


def set_row(db: peewee.Database, batch_id: int, row_no: int, *, id_verified: str | None,
            status: RowStatus) -> None:
    """Record the police answer of one row."""
    (PoliceBatchRow.update(id_verified=id_verified, status=status)
     .where((PoliceBatchRow.batch == batch_id) & (PoliceBatchRow.row_no == row_no))
     .execute())


def pending_count(db: peewee.Database, batch_id: int) -> int:
    """Rows of the batch the police have not answered."""
    return int(PoliceBatchRow.select().where(
        (PoliceBatchRow.batch == batch_id)
        & (PoliceBatchRow.status == RowStatus.PENDING)).count())


def set_status(db: peewee.Database, batch_id: int, status: BatchStatus) -> None:
    """Set the status of a batch."""
    PoliceBatch.update(status=status).where(PoliceBatch.id == batch_id).execute()


def verified_sql(alias: str = "c") -> str:
    """:func:`verified_ids` as an SQL condition on the ``child`` row named ``alias`` (for
    a streamed query that must not hold the set of every verified child)."""
    statuses = ", ".join(f"'{status}'" for status in (RowStatus.VERIFIED, RowStatus.CORRECTED))
    return (f"EXISTS (SELECT 1 FROM police_batch_row AS pbr WHERE pbr.child_id = {alias}.id"
            f" AND pbr.status IN ({statuses}) AND {alias}.personal_id IS NOT NULL"
            f" AND pbr.id_verified = {alias}.personal_id)")


def verified_ids(db: peewee.Database, child_ids: Sequence[int] | None = None) -> set[int]:
    """Children (among ``child_ids`` when given) whose current ID number is one the
    police verified or corrected: the one definition of "ID verified"."""
    query = (PoliceBatchRow.select(PoliceBatchRow.child)
             .join(Child, on=(Child.id == PoliceBatchRow.child))
             .where(PoliceBatchRow.status.in_((RowStatus.VERIFIED, RowStatus.CORRECTED))
                    & Child.personal_id.is_null(False)
                    & (PoliceBatchRow.id_verified == Child.personal_id)))
    if child_ids is not None:
        query = query.where(PoliceBatchRow.child.in_(list(child_ids)))
    return {row[0] for row in query.tuples()}
