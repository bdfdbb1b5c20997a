"""Police verification lists (step 4, DOMAIN.md §1): the one implementation.

The officer opens a batch of children (they move to ``sent_to_police``; the batch is
``sent``); the commune police answer each row with the number from the population
database; each answer is validated and stored on the child, which moves to
``id_verified``; the batch is ``returned`` once no row is pending. A sandbox register
can never produce a police list.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from tui.domain import BatchStatus, Permission, RecordState, RowStatus
from tui.errors import InvalidInput, NotFound, PermissionDenied
from tui.messages import core as msg
from tui.messages import spreadsheets as sheet_msg
from tui.services import workflow
from tui.services.base import Service, operation
from tui.services.children import ChildRecord, ChildrenService, refuse_unsafe_text
from tui.store import children as child_store
from tui.store import police as store
from tui.store import settings as settings_store
from tui.store import workflow as workflow_store
from tui.store.clock import now_iso

__all__ = ["BatchLine", "PoliceService"]


@attrs.frozen
class BatchLine:
    """One row of a batch with the child as stored, and whether the child's current
    number is the one the police verified on this row."""

    row_no: int
    status: RowStatus
    id_verified: str | None
    child: ChildRecord
    number_verified: bool


class PoliceService(Service):
    """Verification lists for the acting person."""

    @operation(Permission.MAKE_POLICE_BATCH)
    def open_batch(self, child_ids: Sequence[int], note: str = "") -> int:
        """A new batch of these children, in order; each moves to ``sent_to_police``
        where its state allows. Refused on a sandbox register."""
        found = settings_store.read(self.db)
        if found is not None and found.sandbox:
            raise PermissionDenied(self.session.role, Permission.MAKE_POLICE_BATCH,
                                   msg.SANDBOX_NO_POLICE)
        refuse_unsafe_text({"note": note})
        ids = list(dict.fromkeys(int(i) for i in child_ids))
        with self.ctx.tx():
            numbers = []
            for child_id in ids:
                row = child_store.get(self.db, child_id)
                if row is None or row["merged_into"] is not None:
                    raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
                numbers.append((child_id, row["personal_id"]))
            batch = store.insert_batch(self.db, at=now_iso(), by=self.session.user_id,
                                       children=numbers)
            note_text = sheet_msg.text("batch_note", batch=batch)
            for child_id in ids:
                state = workflow_store.state_of(self.db, child_id) or ""
                if workflow.can_move(state, RecordState.SENT_TO_POLICE):
                    workflow.transition(self.ctx, child_id, RecordState.SENT_TO_POLICE,
                                        note_text)
            self.ctx.audit("create", "police_batch", batch, "children", None, ids)
        return batch

    @operation(Permission.POLICE_LISTS)
    def lines(self, batch_id: int) -> list[BatchLine]:
        """The rows of a batch with their children (empty for an unknown batch): what the
        police need to find each child (the permission covers these children only;
        sensitive fields stay redacted for the police). Audited."""
        kids = ChildrenService(self.ctx)
        rows = store.rows(self.db, int(batch_id))
        verified = store.verified_ids(self.db, [r.child_id for r in rows])
        out = []
        for row in rows:
            stored = child_store.get(self.db, row.child_id)
            assert stored is not None  # a batch row keeps its child (foreign key)
            child = kids._record(stored)
            out.append(BatchLine(row.row_no, RowStatus(row.status), row.id_verified, child,
                                 row.child_id in verified
                                 and row.id_verified == child.personal_id))
        if rows:
            self.ctx.audit("view", "police_batch", int(batch_id))
        return out

    @operation(Permission.POLICE_LISTS)
    def record_answer(self, batch_id: int, row_no: int, number: str | None,
                      status: RowStatus) -> None:
        """Record the police answer for one row: the number is validated and stored on
        the child (``verified``: confirmed, ``corrected``: a different number), or
        ``not_found``. Raises ``ValidationFailed`` when the number is invalid or already
        another child's; nothing is written then."""
        try:
            status = RowStatus(status)
        except ValueError:
            raise InvalidInput(msg.POLICE_STATUS_INVALID.format(status=status)) from None
        if status is RowStatus.PENDING:
            raise InvalidInput(msg.POLICE_STATUS_INVALID.format(status=status))
        number = (number or "").strip() or None
        if status is not RowStatus.NOT_FOUND and number is None:
            raise InvalidInput(msg.POLICE_ID_REQUIRED)
        row = next((r for r in store.rows(self.db, int(batch_id)) if r.row_no == row_no),
                   None)
        if row is None:
            raise NotFound(msg.POLICE_ROW_NOT_FOUND.format(batch_id=batch_id, row_no=row_no))
        with self.ctx.tx():
            if status is not RowStatus.NOT_FOUND:
                kids = ChildrenService(self.ctx)
                current = child_store.get(self.db, row.child_id)
                if current is not None and current["personal_id"] != number:
                    kids._save({"id": row.child_id, "personal_id": number},
                               current["version"])  # read in this transaction
            store.set_row(self.db, int(batch_id), row_no, id_verified=number, status=status)
            self.ctx.audit("update", "police_batch", int(batch_id), f"row {row_no}", None,
                           {"status": str(status), "id": number})
            if status is not RowStatus.NOT_FOUND:
                state = workflow_store.state_of(self.db, row.child_id) or ""
                if state != RecordState.ID_VERIFIED and workflow.can_move(
                        state, RecordState.ID_VERIFIED):
                    workflow.transition(self.ctx, row.child_id, RecordState.ID_VERIFIED,
                                        sheet_msg.text("batch_note", batch=batch_id))
            left = store.pending_count(self.db, int(batch_id))
            store.set_status(self.db, int(batch_id),
                             BatchStatus.RETURNED if left == 0 else BatchStatus.SENT)
