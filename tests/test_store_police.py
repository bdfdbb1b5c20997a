"""Police verification lists: batches, answers, sandbox refusal, police-only access."""

from __future__ import annotations

import pytest

from tui.domain import RowStatus
from tui.errors import InvalidInput, PermissionDenied, ValidationFailed
from tui.services import Services, accounts
from tui.store.bulk import insert_villages
from tui.store.settings import create_register

CHILD = {"full_name": "Lò Thị Mai", "sex": "2", "birth_date": "2018-09-05",
         "ethnicity": "03", "father_name": "Lò Văn Minh", "village": "Bản Nà Lốc"}


def _setup(tmp_path, sandbox=False):
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14", sandbox=sandbox)
    insert_villages(db, ["Bản Nà Lốc"])
    sessions = {}
    for name, role in (("can.bo", "officer"), ("cong.an", "police")):
        accounts.create_account(db, name, name, role, "tam-thoi-123", must_change_password=False)
        sessions[role] = accounts.login(db, name, "tam-thoi-123")
    return db, sessions


def test_batch_round_trip_stores_verified_numbers(tmp_path):
    db, sessions = _setup(tmp_path)
    officer = Services(db, sessions["officer"])
    ids = [officer.children.save(CHILD).child_id,
           officer.children.save({**CHILD, "full_name": "Lò Văn Páo", "sex": "1"}).child_id]
    batch = officer.police.open_batch(ids)
    assert officer.children.get(ids[0]).state == "sent_to_police"
    police = Services(db, sessions["police"]).police
    rows = police.lines(batch)
    assert [(r.row_no, r.child.full_name, r.child.personal_id) for r in rows] == [
        (1, "Lò Thị Mai", None), (2, "Lò Văn Páo", None)]
    assert all(r.child.ethnicity is None for r in rows)  # sensitive: not for the police
    police.record_answer(batch, 1, "014318000123", RowStatus.VERIFIED)
    assert _status(db) == "sent"  # one row still pending
    police.record_answer(batch, 2, None, RowStatus.NOT_FOUND)
    child = officer.children.get(ids[0])
    assert child.personal_id == "014318000123" and child.state == "id_verified"
    assert officer.children.get(ids[1]).state == "sent_to_police"
    assert _status(db) == "returned"
    states = [h.state for h in officer.children.history(ids[0]).events]
    assert states == ["entered", "needs_fixing", "sent_to_police", "id_verified"]


def _status(db):
    return db.execute_sql("SELECT status FROM police_batch").fetchone()[0]


def test_invalid_or_taken_number_is_refused(tmp_path):
    db, sessions = _setup(tmp_path)
    officer = Services(db, sessions["officer"])
    officer.children.save({**CHILD, "full_name": "Lò Thị Ngọc", "personal_id": "014318000999"})
    child_id = officer.children.save(CHILD).child_id
    batch = officer.police.open_batch([child_id])
    police = Services(db, sessions["police"]).police
    with pytest.raises(ValidationFailed):
        police.record_answer(batch, 1, "01431800", RowStatus.VERIFIED)
    with pytest.raises(ValidationFailed) as taken:
        police.record_answer(batch, 1, "014318000999", RowStatus.CORRECTED)
    assert taken.value.errors[0].code == "personal_id.taken"
    with pytest.raises(InvalidInput, match="12 chữ số"):
        police.record_answer(batch, 1, "", RowStatus.VERIFIED)
    assert police.lines(batch)[0].status == "pending"
    assert officer.children.get(child_id).personal_id is None


def test_sandbox_never_produces_a_police_list(tmp_path):
    db, sessions = _setup(tmp_path, sandbox=True)
    officer = Services(db, sessions["officer"])
    child_id = officer.children.save(CHILD).child_id
    with pytest.raises(PermissionDenied, match="thử nghiệm"):
        officer.police.open_batch([child_id])


def test_police_see_only_the_lists(tmp_path):
    db, sessions = _setup(tmp_path)
    police_register = Services(db, sessions["police"])
    with pytest.raises(PermissionDenied):
        police_register.children.search("lo")
    with pytest.raises(PermissionDenied):
        police_register.police.open_batch([])
