"""Police verification lists: batches, answers, sandbox refusal, police-only access."""

from __future__ import annotations

import pytest

from tui.store import accounts
from tui.store.bulk import insert_villages
from tui.store.errors import InvalidInput, PermissionDenied, ValidationFailed
from tui.store.police import PoliceLists
from tui.store.register import Register
from tui.store.settings import create_register

CHILD = {"full_name": "Lò Thị Mai", "sex": "2", "birth_date": "2018-09-05",
         "ethnicity": "03", "father_name": "Lò Văn Minh", "village": "Bản Nà Lốc"}


def _setup(tmp_path, sandbox=False):
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14", sandbox=sandbox)
    insert_villages(db, ["Bản Nà Lốc"])
    sessions = {}
    for name, role in (("can.bo", "officer"), ("cong.an", "police")):
        accounts.create_user(db, name, name, role, "tam-thoi-123", must_change_password=False)
        sessions[role] = accounts.login(db, name, "tam-thoi-123")
    return db, sessions


def test_batch_round_trip_stores_verified_numbers(tmp_path):
    db, sessions = _setup(tmp_path)
    officer = Register(db, sessions["officer"])
    ids = [officer.save_child(CHILD).child_id,
           officer.save_child({**CHILD, "full_name": "Lò Văn Páo", "sex": "1"}).child_id]
    batch = PoliceLists(db, sessions["officer"]).create_batch(ids)
    assert officer.get_child(ids[0])["state"] == "sent_to_police"
    police = PoliceLists(db, sessions["police"])
    rows = police.rows(batch)
    assert [(r["row_no"], r["full_name"], r["id_before"]) for r in rows] == [
        (1, "Lò Thị Mai", None), (2, "Lò Văn Páo", None)]
    police.record_answer(batch, 1, "014318000123", "verified")
    police.record_answer(batch, 2, None, "not_found")
    child = officer.get_child(ids[0])
    assert child["personal_id"] == "014318000123" and child["state"] == "id_verified"
    assert officer.get_child(ids[1])["state"] == "sent_to_police"
    assert police.batches()[0]["status"] == "returned"
    states = [h["state"] for h in officer.child_history(ids[0])["workflow"]]
    assert states == ["entered", "needs_fixing", "sent_to_police", "id_verified"]


def test_invalid_or_taken_number_is_refused(tmp_path):
    db, sessions = _setup(tmp_path)
    officer = Register(db, sessions["officer"])
    officer.save_child({**CHILD, "full_name": "Lò Thị Ngọc", "personal_id": "014318000999"})
    child_id = officer.save_child(CHILD).child_id
    batch = PoliceLists(db, sessions["officer"]).create_batch([child_id])
    police = PoliceLists(db, sessions["police"])
    with pytest.raises(ValidationFailed):
        police.record_answer(batch, 1, "01431800", "verified")
    with pytest.raises(ValidationFailed) as taken:
        police.record_answer(batch, 1, "014318000999", "corrected")
    assert taken.value.errors[0].code == "personal_id.taken"
    with pytest.raises(InvalidInput, match="12 chữ số"):
        police.record_answer(batch, 1, "", "verified")
    assert police.rows(batch)[0]["status"] == "pending"
    assert officer.get_child(child_id)["personal_id"] is None


def test_sandbox_never_produces_a_police_list(tmp_path):
    db, sessions = _setup(tmp_path, sandbox=True)
    child_id = Register(db, sessions["officer"]).save_child(CHILD).child_id
    with pytest.raises(PermissionDenied, match="thử nghiệm"):
        PoliceLists(db, sessions["officer"]).create_batch([child_id])


def test_police_see_only_the_lists(tmp_path):
    db, sessions = _setup(tmp_path)
    police_register = Register(db, sessions["police"])
    with pytest.raises(PermissionDenied):
        police_register.search("lo")
    with pytest.raises(PermissionDenied):
        PoliceLists(db, sessions["police"]).create_batch([])
