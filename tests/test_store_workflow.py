"""The record workflow: automatic states on save, police, step 5 with its date."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_store_review import GOOD, PASSWORD, make_register

from tui.domain import RowStatus
from tui.errors import InvalidInput, PermissionDenied
from tui.services import Services, accounts, workflow
from tui.services.police import PoliceService
from tui.store import audit


@pytest.fixture
def register(tmp_path: Path) -> Services:
    return make_register(tmp_path)


def states(register: Services, child_id: int) -> list[str]:
    return [h.state for h in register.children.history(child_id).events]


def resave(register: Services, child_id: int, **changes: Any) -> None:
    child = register.children.get(child_id, audit_view=False)
    register.children.save({"id": child.id, **changes}, child.version)


def test_a_clean_child_stays_entered(register: Services) -> None:
    child_id = register.children.save(GOOD).child_id
    assert register.children.get(child_id).state == "entered"
    assert states(register, child_id) == ["entered"]


@pytest.mark.parametrize("changes, code", [
    ({"personal_id": None}, "personal_id.missing"),
    ({"personal_id": "014115001234"}, "personal_id.sex_mismatch"),
    ({"full_name": "Páo"}, "full_name.single_word"),
    ({"ethnicity": None}, "ethnicity.missing"),
    ({"father_name": None, "mother_name": None}, "parents.missing"),
])
def test_a_step3_problem_sends_the_child_to_needs_fixing(register: Services,
                                                         changes: dict, code: str) -> None:
    saved = register.children.save({**GOOD, **changes})
    child = register.children.get(saved.child_id)
    assert child.state == "needs_fixing"
    assert child.version == saved.version == 1  # the move does not break the next save
    history = register.children.history(saved.child_id).events
    assert [h.state for h in history] == ["entered", "needs_fixing"]
    assert code in history[1].note
    moves = [e for e in audit.entries_for(register.db, "child", saved.child_id)
             if e["action"] == "workflow"]
    assert [(e["old"], e["new"]) for e in moves] == [("entered", "needs_fixing")]


def test_fixing_the_problem_returns_the_child_to_entered(register: Services) -> None:
    child_id = register.children.save({**GOOD, "full_name": "Páo"}).child_id
    resave(register, child_id, full_name="Lò Văn Páo")
    assert register.children.get(child_id).state == "entered"
    history = register.children.history(child_id).events
    assert [h.state for h in history] == ["entered", "needs_fixing", "entered"]
    assert history[-1].note == "Đã sửa hết các vấn đề của bước 3."


def test_an_edit_that_keeps_the_problem_does_not_add_events(register: Services) -> None:
    child_id = register.children.save({**GOOD, "personal_id": None}).child_id
    resave(register, child_id, schooling="05")
    assert states(register, child_id) == ["entered", "needs_fixing"]


def test_a_category_warning_alone_is_not_a_step3_problem(register: Services) -> None:
    child_id = register.children.save({**GOOD, "circumstances": ["DB07"]}).child_id
    assert register.children.get(child_id).issues  # DB07 without dropping out: warning
    assert register.children.get(child_id).state == "entered"


def _police(register: Services) -> tuple[PoliceService, PoliceService]:
    accounts.create_account(register.db, "cong.an", "Công An Xã", "police", PASSWORD,
                            must_change_password=False)
    police = Services(register.db, accounts.login(register.db, "cong.an", PASSWORD))
    return register.police, police.police


def test_missing_number_goes_to_police_and_comes_back_verified(register: Services) -> None:
    child_id = register.children.save({**GOOD, "personal_id": None}).child_id
    officer, police = _police(register)
    batch = officer.open_batch([child_id])
    resave(register, child_id, schooling="05")  # still no number: stays with the police
    assert register.children.get(child_id).state == "sent_to_police"
    police.record_answer(batch, 1, "014215001234", RowStatus.VERIFIED)
    child = register.children.get(child_id)
    assert child.state == "id_verified" and child.personal_id == "014215001234"
    assert states(register, child_id) == [
        "entered", "needs_fixing", "sent_to_police", "id_verified"]


def test_a_new_problem_past_police_reopens_and_fixing_restores_verified(
        register: Services) -> None:
    child_id = register.children.save({**GOOD, "personal_id": None}).child_id
    officer, police = _police(register)
    police.record_answer(officer.open_batch([child_id]), 1, "014215001234", RowStatus.VERIFIED)
    resave(register, child_id, full_name="Páo")
    assert register.children.get(child_id).state == "needs_fixing"
    resave(register, child_id, full_name="Lò Văn Páo")
    # the number is still the one the police verified: back to id_verified, not entered
    assert register.children.get(child_id).state == "id_verified"


def test_a_known_warning_past_police_does_not_reopen(register: Services) -> None:
    # the police confirm a number whose structure disagrees with the recorded sex
    child_id = register.children.save({**GOOD, "personal_id": None}).child_id
    officer, police = _police(register)
    police.record_answer(officer.open_batch([child_id]), 1, "014115001234", RowStatus.CORRECTED)
    child = register.children.get(child_id)
    assert child.state == "id_verified"
    assert "personal_id.sex_mismatch" in {i.code for i in child.issues}
    before = states(register, child_id)
    resave(register, child_id, schooling="05")
    assert states(register, child_id) == before


def test_step5_review_records_the_date_in_the_history(register: Services) -> None:
    child_id = register.children.save(GOOD).child_id
    day = register.children.mark_circumstances_reviewed(child_id, on="05/03/2026", note="họp thôn")
    assert day == date(2026, 3, 5)
    assert register.children.get(child_id).state == "circumstances_reviewed"
    history = register.children.history(child_id)
    event = history.events[-1]
    assert event.state == "circumstances_reviewed"
    assert event.note == "Rà soát hoàn cảnh ngày 05/03/2026: họp thôn"
    assert event.by_name == "Cán Bộ Thử"
    dated = [e for e in history.changes if e.field == "circumstances_reviewed_on"]
    assert [e.new for e in dated] == ["2026-03-05"]
    # a later review is recorded again with its own date
    register.children.mark_circumstances_reviewed(child_id)
    today = date.today().strftime("%d/%m/%Y")
    assert register.children.history(child_id).events[-1].note == (
        f"Rà soát hoàn cảnh ngày {today}.")


def test_step5_refuses_a_future_or_bad_date_and_writes_nothing(register: Services) -> None:
    child_id = register.children.save(GOOD).child_id
    future = (date.today() + timedelta(days=2)).strftime("%d/%m/%Y")
    with pytest.raises(InvalidInput, match="sau hôm nay"):
        register.children.mark_circumstances_reviewed(child_id, on=future)
    with pytest.raises(InvalidInput, match="Ngày rà soát không đúng"):
        register.children.mark_circumstances_reviewed(child_id, on="31/02/2026")
    assert states(register, child_id) == ["entered"]


def test_step5_refused_while_problems_wait_and_for_viewers(tmp_path: Path) -> None:
    register = make_register(tmp_path)
    child_id = register.children.save({**GOOD, "full_name": "Páo"}).child_id
    with pytest.raises(InvalidInput, match="“cần sửa” sang “đã rà soát hoàn cảnh”"):
        register.children.mark_circumstances_reviewed(child_id)
    accounts.create_account(register.db, "cong.tac", "Cộng Tác", "collaborator", PASSWORD,
                         must_change_password=False)
    helper = Services(register.db, accounts.login(register.db, "cong.tac", PASSWORD))
    with pytest.raises(PermissionDenied):
        helper.children.mark_circumstances_reviewed(child_id)


def test_auto_target_rules() -> None:
    missing = frozenset({"personal_id.missing"})
    name = frozenset({"full_name.single_word"})
    none: frozenset[str] = frozenset()
    assert workflow.auto_target("entered", none, missing, number_verified=False) == (
        "needs_fixing")
    assert workflow.auto_target("sent_to_police", missing, missing,
                                number_verified=False) is None
    assert workflow.auto_target("sent_to_police", missing, missing | name,
                                number_verified=False) == "needs_fixing"
    assert workflow.auto_target("rechecked", name, name, number_verified=True) is None
    assert workflow.auto_target("needs_fixing", name, none, number_verified=False) == "entered"
    assert workflow.auto_target("needs_fixing", name, none, number_verified=True) == (
        "id_verified")
    assert workflow.auto_target("rechecked", none, none, number_verified=True) is None
