"""Police verification lists (step 4, DOMAIN.md §1).

The officer puts children on a batch (they move to ``sent_to_police``); the commune
police, who see only these lists, record the number from the population database for
each row; the number is validated and stored on the child, which moves to
``id_verified``. A sandbox register can never produce a police list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee

from tui.messages import core as msg
from tui.store import workflow
from tui.store.accounts import Session
from tui.store.clock import now_iso
from tui.store.errors import InvalidInput, NotFound, PermissionDenied, ValidationFailed
from tui.store.register import Register

__all__ = ["ROW_STATUSES", "PoliceLists"]

ROW_STATUSES = ("pending", "verified", "corrected", "not_found")

_ROW_SQL = (
    "SELECT r.row_no, r.child_id, c.full_name, c.birth_date, c.sex, c.father_name, "
    "c.mother_name, c.caregiver_name, c.village, r.id_before, r.id_verified, r.status "
    "FROM police_batch_row r JOIN child c ON c.id = r.child_id WHERE r.batch_id = ? "
    "ORDER BY r.row_no"
)
_ROW_KEYS = ("row_no", "child_id", "full_name", "birth_date", "sex", "father_name",
             "mother_name", "caregiver_name", "village", "id_before", "id_verified", "status")


class PoliceLists:
    """Batches of children sent to the commune police and their answers."""

    def __init__(self, db: peewee.SqliteDatabase, user: Session) -> None:
        self.db = db
        self.user = user
        self._register = Register(db, user)

    def _sandbox(self) -> bool:
        row = self.db.execute_sql("SELECT sandbox FROM setting WHERE id = 1").fetchone()
        return bool(row and row[0])

    def create_batch(self, child_ids: Iterable[int], note: str = "") -> int:
        """A new batch with these children, in order; each moves to ``sent_to_police``."""
        self._register._act("make_police_batch")
        if self._sandbox():
            raise PermissionDenied(self.user.role, "make_police_batch", msg.SANDBOX_NO_POLICE)
        ids = list(dict.fromkeys(int(i) for i in child_ids))
        with self._register._tx():
            cursor = self.db.execute_sql(
                "INSERT INTO police_batch (created_at, created_by, status, note) "
                "VALUES (?, ?, 'open', ?)", (now_iso(), self.user.user_id, note))
            batch_id = int(cursor.lastrowid)
            for row_no, child_id in enumerate(ids, start=1):
                row = self.db.execute_sql(
                    "SELECT personal_id FROM child WHERE id = ? AND merged_into IS NULL",
                    (child_id,)).fetchone()
                if row is None:
                    raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
                self.db.execute_sql(
                    "INSERT INTO police_batch_row (batch_id, row_no, child_id, id_before, "
                    "status) VALUES (?, ?, ?, ?, 'pending')", (batch_id, row_no, child_id, row[0]))
                workflow.transition(self.db, child_id, "sent_to_police", self.user,
                                    f"batch {batch_id}")
            self._register._audit("create", "police_batch", batch_id, "children", None, ids)
        return batch_id

    def batches(self) -> list[dict[str, Any]]:
        """All batches, newest first, with their row counts."""
        self._register._act("police_lists")
        rows = self.db.execute_sql(
            "SELECT b.id, b.created_at, b.status, b.note, count(r.id), "
            "sum(r.status != 'pending') FROM police_batch b "
            "LEFT JOIN police_batch_row r ON r.batch_id = b.id GROUP BY b.id ORDER BY b.id DESC")
        return [{"id": r[0], "created_at": r[1], "status": r[2], "note": r[3], "rows": r[4],
                 "answered": r[5] or 0} for r in rows]

    def rows(self, batch_id: int) -> list[dict[str, Any]]:
        """The rows of a batch: what the police need to find each child (audited)."""
        self._register._act("police_lists")
        rows = [dict(zip(_ROW_KEYS, r, strict=True))
                for r in self.db.execute_sql(_ROW_SQL, (batch_id,))]
        with self._register._tx():
            self._register._audit("view", "police_batch", batch_id)
        return rows

    def record_answer(self, batch_id: int, row_no: int, verified_id: str | None,
                      status: str) -> None:
        """Record the police answer for one row; a number found is validated and stored.

        ``status`` is ``verified`` (number confirmed), ``corrected`` (a different number)
        or ``not_found``. Raises ``ValidationFailed`` when the number is invalid or
        already belongs to another child; nothing is written then.
        """
        self._register._act("police_lists")
        if status not in ROW_STATUSES[1:]:
            raise InvalidInput(msg.POLICE_STATUS_INVALID.format(status=status))
        row = self.db.execute_sql(
            "SELECT child_id FROM police_batch_row WHERE batch_id = ? AND row_no = ?",
            (batch_id, row_no)).fetchone()
        if row is None:
            raise NotFound(msg.POLICE_ROW_NOT_FOUND.format(batch_id=batch_id, row_no=row_no))
        child_id = row[0]
        if status != "not_found" and not (verified_id or "").strip():
            raise InvalidInput(msg.POLICE_ID_REQUIRED)
        with self._register._tx():
            if status != "not_found":
                self._store_number(child_id, verified_id)
            self.db.execute_sql(
                "UPDATE police_batch_row SET id_verified = ?, status = ? "
                "WHERE batch_id = ? AND row_no = ?", (verified_id, status, batch_id, row_no))
            self._register._audit("update", "police_batch", batch_id, f"row {row_no}",
                                  None, {"status": status, "id": verified_id})
            state = self.db.execute_sql("SELECT state FROM child WHERE id = ?",
                                        (child_id,)).fetchone()[0]
            if status != "not_found" and state != "id_verified":
                workflow.transition(self.db, child_id, "id_verified", self.user,
                                    f"batch {batch_id}")
            left = self.db.execute_sql(
                "SELECT count(*) FROM police_batch_row WHERE batch_id = ? AND status = 'pending'",
                (batch_id,)).fetchone()[0]
            self.db.execute_sql("UPDATE police_batch SET status = ? WHERE id = ?",
                                ("returned" if left == 0 else "sent", batch_id))

    def _store_number(self, child_id: int, verified_id: str | None) -> None:
        current = self._register._child_dict(self._register._current(child_id))
        data = {**current, "personal_id": verified_id}
        prepared, village_id = self._register._prepare(data, child_id)
        if prepared.errors:
            raise ValidationFailed(prepared.issues)
        self._register._write_child(child_id, prepared, village_id, None, None, data)
