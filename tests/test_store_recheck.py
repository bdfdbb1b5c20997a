"""Re-check (phúc tra): sample drawn for a checker other than the enterer, results
recorded, corrections validated and applied, discrepancies counted per enterer."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_review import GOOD, PASSWORD, make_register

from tui.errors import InvalidInput, PermissionDenied, ValidationFailed
from tui.services import Services, accounts
from tui.services.recheck import sample_size
from tui.store import audit

NAMES = ("Lò Văn Páo", "Quàng Thị Un", "Cầm Văn Tươi", "Lường Thị Ón", "Tòng Văn Ban",
         "Vì Thị Hoa", "Hà Văn Khánh", "Sa Thị Mai", "Lò Thị Hương", "Mè Văn Sơn")


def draw_sample(checker: Services, **options: object) -> list:
    return list(checker.recheck.sample(**options).rows)


def record_recheck(checker: Services, *args: object) -> str:
    return checker.recheck.record(*args)


def summary(checker: Services) -> list:
    return checker.recheck.summary()


def _user(register: Services, username: str, role: str = "officer") -> Services:
    accounts.create_account(register.db, username, username.title(), role, PASSWORD,
                         must_change_password=False)
    return Services(register.db, accounts.login(register.db, username, PASSWORD))


def _children(register: Services, count: int, start: int = 0) -> list[int]:
    ids = []
    for n in range(start, start + count):
        ids.append(register.children.save({
            **GOOD, "full_name": NAMES[n % len(NAMES)],
            "personal_id": f"0142150{n:05d}"}).child_id)
    return ids


@pytest.fixture
def enterer(tmp_path: Path) -> Services:
    return make_register(tmp_path)


@pytest.fixture
def checker(enterer: Services) -> Services:
    return _user(enterer, "kiem.tra")


@pytest.mark.parametrize("percent, children, size", [
    (5, 100, 5), (5, 101, 6), (5, 1, 1), (10, 25, 3), (100, 7, 7), (5, 0, 0), (7, 100, 7)])
def test_sample_size_is_percent_rounded_up(percent: float, children: int, size: int) -> None:
    assert sample_size(percent, children) == size


def test_sample_uses_the_commune_percentage_and_is_random(enterer, checker) -> None:
    ids = _children(enterer, 41)
    sample = draw_sample(checker)  # Setting.recheck_percent, 5 by default
    assert len(sample) == 3  # ceil(5% of 41)
    assert {r.id for r in sample} <= set(ids)
    assert all(r.entered_by == "Cán Bộ Thử" for r in sample)
    enterer.commune.update_settings(recheck_percent=20)
    assert len(draw_sample(checker)) == 9  # ceil(20% of 41)
    assert len(draw_sample(checker, percent=50)) == 21
    drawn = {tuple(sorted(r.id for r in draw_sample(checker, percent=10)))
             for _ in range(8)}
    assert len(drawn) > 1  # without a seed, samples differ


def test_same_seed_same_sample(enterer, checker) -> None:
    _children(enterer, 60)
    first = [r.id for r in draw_sample(checker, percent=10, seed=7)]
    assert first == [r.id for r in draw_sample(checker, percent=10, seed=7)]
    assert first != [r.id for r in draw_sample(checker, percent=10, seed=8)]


def test_sample_excludes_own_records_and_those_already_rechecked(enterer, checker) -> None:
    theirs = _children(enterer, 10)
    mine = _children(checker, 10, start=10)
    edited = theirs[0]
    child = checker.children.get(edited, audit_view=False)
    checker.children.save({"id": child.id, "schooling": "05"}, child.version)  # checker edited it
    sample = {r.id for r in draw_sample(checker, percent=100)}
    assert sample == set(theirs) - {edited}
    assert not sample & set(mine)
    record_recheck(checker, theirs[1], True)
    sample = {r.id for r in draw_sample(checker, percent=100)}
    assert theirs[1] not in sample and len(sample) == 8
    # a change after the re-check puts the record back in the pool
    child = enterer.children.get(theirs[1], audit_view=False)
    enterer.children.save({"id": child.id, "schooling": "06"}, child.version)
    assert theirs[1] in {r.id for r in draw_sample(checker, percent=100)}


def test_sample_is_capped_by_what_the_checker_may_recheck(enterer, checker) -> None:
    _children(enterer, 2)
    _children(checker, 8, start=2)
    assert len(draw_sample(checker, percent=50)) == 2  # 5 wanted, 2 eligible


def test_bad_percentage_gets_a_message(enterer, checker) -> None:
    for value in (0, 101, "năm"):
        with pytest.raises(InvalidInput, match="Tỷ lệ phúc tra"):
            draw_sample(checker, percent=value)


def test_the_enterer_cannot_recheck_own_record(enterer, checker) -> None:
    child_id = _children(enterer, 1)[0]
    with pytest.raises(PermissionDenied, match="phải khác người đã nhập"):
        record_recheck(enterer, child_id, True)
    assert enterer.children.get(child_id).state == "entered"


def test_permission_recheck_is_needed(enterer) -> None:
    child_id = _children(enterer, 1)[0]
    helper = _user(enterer, "cong.tac", "collaborator")
    with pytest.raises(PermissionDenied):
        record_recheck(helper, child_id, True)
    with pytest.raises(PermissionDenied):
        draw_sample(helper)


def test_a_match_moves_to_rechecked_with_history(enterer, checker) -> None:
    child_id = _children(enterer, 1)[0]
    assert record_recheck(checker, child_id, True) == "rechecked"
    event = enterer.children.history(child_id).events[-1]
    assert event.state == "rechecked" and event.by_name == "Kiem.Tra"
    assert event.note == "Phúc tra: khớp với sổ."


def test_a_discrepancy_records_note_fields_and_applies_corrections(enterer, checker) -> None:
    child_id = _children(enterer, 1)[0]
    state = record_recheck(checker, child_id, False, "sổ ghi mẹ là Quàng Thị Un",
                           {"mother_name": "quàng thị un", "schooling": "04"})
    assert state == "rechecked"
    child = enterer.children.get(child_id, audit_view=False)
    assert child.mother_name == "Quàng Thị Un"
    changes = [e for e in audit.entries_for(enterer.db, "child", child_id)
               if e["field"] == "mother_name" and e["action"] == "update"]
    assert [(e["username"], e["old"], e["new"]) for e in changes] == [
        ("kiem.tra", "Quàng Thị Ín", "Quàng Thị Un")]
    result = audit.entries_for(enterer.db, "recheck", child_id)[-1]
    assert result["username"] == "kiem.tra"
    assert result["new"]["fields"] == ["mother_name"]  # schooling was already 04
    assert result["new"]["note"] == "sổ ghi mẹ là Quàng Thị Un"
    assert result["new"]["enterer"] == enterer.session.user_id
    note = enterer.children.history(child_id).events[-1].note
    assert note == "Phúc tra: sai lệch (mother_name): sổ ghi mẹ là Quàng Thị Un"


def test_a_discrepancy_leaving_a_step3_problem_goes_to_needs_fixing(enterer, checker) -> None:
    child_id = _children(enterer, 1)[0]
    assert record_recheck(checker, child_id, False, "sổ không ghi số định danh",
                          {"personal_id": None}) == "needs_fixing"
    assert enterer.children.get(child_id).state == "needs_fixing"


def test_invalid_corrections_are_refused_and_nothing_is_written(enterer, checker) -> None:
    child_id = _children(enterer, 1)[0]
    before = len(audit.entries_for(enterer.db, "child", child_id))
    with pytest.raises(ValidationFailed):
        record_recheck(checker, child_id, False, "ngày sinh khác", {"birth_date": "01/01/2099"})
    with pytest.raises(InvalidInput, match="ghi rõ sai lệch"):
        record_recheck(checker, child_id, False, "  ")
    with pytest.raises(InvalidInput, match="không có trong hồ sơ"):
        record_recheck(checker, child_id, False, "x", {"shoe_size": "3"})
    with pytest.raises(InvalidInput, match="không có gì để sửa"):
        record_recheck(checker, child_id, True, "", {"schooling": "05"})
    assert len(audit.entries_for(enterer.db, "child", child_id)) == before
    assert audit.entries_for(enterer.db, "recheck", child_id) == []
    assert enterer.children.get(child_id).state == "entered"


def test_summary_counts_discrepancies_per_enterer(enterer, checker) -> None:
    other = _user(enterer, "nhap.lieu")
    first = _children(enterer, 3)
    second = _children(other, 2, start=3)
    record_recheck(checker, first[0], True)
    record_recheck(checker, first[1], False, "sai tên cha", {"father_name": "Lò Văn Tống"})
    record_recheck(checker, first[2], False, "sai giới tính trong sổ")
    record_recheck(checker, second[0], True)
    rows = {r.name: r for r in summary(checker)}
    assert rows["Cán Bộ Thử"].checked == 3
    assert rows["Cán Bộ Thử"].discrepancies == 2
    assert rows["Cán Bộ Thử"].rate == pytest.approx(2 / 3)
    assert (rows["Nhap.Lieu"].checked, rows["Nhap.Lieu"].discrepancies) == (1, 0)
    assert [r.name for r in summary(checker)] == ["Cán Bộ Thử", "Nhap.Lieu"]  # most first
