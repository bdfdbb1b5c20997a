"""The defects found before the service layer (issue 8, "Why"), each pinned.

Every test here failed on the code before it: the cleaning workbook counted other
children than the screens, a collaborator read sensitive and out-of-village data, the
review screen's age disagreed with libchild, police batches had two status sets, a
merge had no way back, and a fix made in the entry form erased what the form does not
show.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from kit import new_register, person

from tui.domain import STEP3_KINDS, BatchStatus, ReviewKind, Role
from tui.errors import PermissionDenied
from tui.formatting import age_text
from tui.services import Services
from tui.services.duplicates import clear_cache
from tui.services.transfer import CLEANING_KINDS
from tui.store.bulk import insert_children_bulk

#: Run again on PostgreSQL by the second half of the test command (README).
pytestmark = pytest.mark.backend

ON = date(2026, 6, 30)
GOOD = {"full_name": "Lò Văn Páo", "sex": "1", "birth_date": "2015-03-15", "ethnicity": "03",
        "nationality": "VN", "schooling": "04", "father_name": "Lò Văn Tòng",
        "mother_name": "Quàng Thị Ín", "personal_id": "014215001234"}


@pytest.fixture
def world(tmp_path: Path) -> tuple[Services, int]:
    clear_cache()
    db = new_register(tmp_path / "reg.db")
    admin = person(db, "quan.tri", Role.ADMINISTRATOR)
    village = admin.commune.add_village("Bản Nà Lo")
    return admin, village


def test_cleaning_workbook_check_and_screens_list_the_same_children(world, tmp_path) -> None:
    admin, village = world
    rows = [
        dict(GOOD, village_id=village),
        dict(GOOD, full_name="Quàng Thị Un", personal_id=None, sex="2"),
        # a number whose 4th digit says female for a boy: a structure warning, bad ID list
        dict(GOOD, full_name="Cầm Văn Ơn", personal_id="014315009999"),
        dict(GOOD, full_name="Vì Văn Dũng", personal_id="01421500"),  # too short
        dict(GOOD, full_name="Lường Thị Hoa", sex="2", personal_id="014310001111",
             birth_date="2010-06-30"),  # 16 on the day: "aged 16 and over", not "basic"
        dict(GOOD, full_name="Hà Văn Nam", personal_id="014215003333",
             father_name=None, mother_name=None),  # no parent
    ]
    insert_children_bulk(admin.db, rows, allow_errors=True, on=ON)
    screen = admin.review.counts(on=ON)
    out = tmp_path / "clean.xlsx"
    result = admin.transfer.export_cleaning(out, as_of=ON)
    assert dict(result.lists) == {str(k): screen[k] for k in CLEANING_KINDS}
    assert screen[ReviewKind.BAD_ID] == 2 and screen[ReviewKind.AGED_OUT] == 1
    assert screen[ReviewKind.BASIC_INFO] == 1
    book = openpyxl.load_workbook(out)
    for kind, sheet in zip(CLEANING_KINDS, book.worksheets, strict=True):
        names = [r[1] for r in sheet.iter_rows(min_row=4, values_only=True)]
        listed = [i.full_name for i in admin.review.all_of(kind, on=ON)]
        assert names == listed, kind
    # treem check prints the same lists (it reads review.all_of): see test_cli
    for kind in STEP3_KINDS:
        assert len(list(admin.review.all_of(kind, on=ON))) == screen[kind]


def test_report_and_aged_out_list_share_the_age_rule(world) -> None:
    admin, _village = world
    births = ["2010-06-30", "2010-07-01", "2008-02-29", "2012-02-29", "2016-01-31"]
    rows = [dict(GOOD, full_name=f"Lò Văn {chr(65 + n)}", birth_date=b,
                 personal_id=f"0142{b[2:4]}00{n:04d}") for n, b in enumerate(births)]
    insert_children_bulk(admin.db, rows, allow_errors=True, on=ON)
    for day in (ON, date(2024, 2, 28), date(2024, 2, 29), date(2026, 7, 1)):
        report = admin.transfer.report(day)
        aged = admin.review.count(ReviewKind.AGED_OUT, on=day)
        born = sum(1 for b in births if date.fromisoformat(b) <= day)
        assert report.total + aged == born, day


def test_a_collaborator_never_receives_sensitive_data(world, tmp_path) -> None:
    admin, village = world
    child_id = admin.children.save({**GOOD, "village_id": village,
                                    "circumstances": ["DB01"]}).child_id
    household = admin.households.save({"book_number": "NL-1", "village_id": village,
                                       "poverty": "poor"}, [], []).household_id
    admin.children.save({"id": child_id, "household_id": household}, expected_version=1)
    collaborator = person(admin.db, "ctv.nalo", Role.COLLABORATOR, villages=[village])
    child = collaborator.children.get(child_id)
    assert child.ethnicity is None and child.circumstances == () and child.supports == ()
    assert {"ethnicity", "circumstances", "supports"} <= child.hidden
    history = collaborator.children.history(child_id)
    assert all(c.old is None and c.new is None for c in history.changes
               if c.field in ("ethnicity", "circumstance"))
    assert any(c.hidden for c in history.changes)
    assert collaborator.households.get(household).poverty is None
    with pytest.raises(PermissionDenied):
        collaborator.children.add_circumstance(child_id, "DB04")
    # what the entry form sends back (ethnicity left blank) changes nothing sensitive
    collaborator.children.save({"id": child_id, "ethnicity": "", "schooling": "05"},
                               expected_version=child.version)
    stored = admin.children.get(child_id)
    assert stored.ethnicity == "03" and [c.code for c in stored.circumstances] == ["DB01"]
    with pytest.raises(PermissionDenied):
        collaborator.children.save({"id": child_id, "circumstances": []},
                                   expected_version=child.version + 1)


def test_village_scope_holds_for_history_households_and_briefs(world) -> None:
    admin, village = world
    other = admin.commune.add_village("Bản Pá Hốc")
    outside = admin.children.save({**GOOD, "village_id": other}).child_id
    household = admin.households.save({"book_number": "PH-1", "village_id": other},
                                      [], []).household_id
    collaborator = person(admin.db, "ctv.nalo", Role.COLLABORATOR, villages=[village])
    with pytest.raises(PermissionDenied):
        collaborator.children.history(outside)
    with pytest.raises(PermissionDenied):
        collaborator.households.get(household)
    with pytest.raises(PermissionDenied):
        collaborator.households.save({"id": household, "book_number": "PH-1"}, [],
                                     [{"full_name": "Người Lạ", "relation": "guardian"}])
    for role in (Role.POLICE, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            person(admin.db, f"nguoi.{role}", role).duplicates.brief([outside])


def test_ages_follow_the_civil_code_everywhere() -> None:
    # a month from 31/01 ends on 29/02 (Bộ luật Dân sự Điều 148)
    assert age_text("2008-01-31", date(2024, 2, 29)) == "16 tuổi 1 tháng"


def test_police_batches_have_one_status_set(world, tmp_path) -> None:
    admin, village = world
    ids = [admin.children.save({**GOOD, "personal_id": None, "village_id": village,
                                "full_name": name}).child_id
           for name in ("Lò Văn Ánh", "Lò Thị Bích")]
    result = admin.transfer.export_police(tmp_path / "ca.xlsx")
    statuses = {r[0] for r in admin.db.execute_sql("SELECT status FROM police_batch")}
    assert statuses == {BatchStatus.SENT}
    rows = {line.child.id: line.row_no for line in admin.police.lines(result.batch)}
    admin.police.record_answer(result.batch, rows[ids[0]], "014215001111", "verified")
    assert {r[0] for r in admin.db.execute_sql("SELECT status FROM police_batch")} == {
        BatchStatus.SENT}
    admin.police.record_answer(result.batch, rows[ids[1]], None, "not_found")
    assert {r[0] for r in admin.db.execute_sql("SELECT status FROM police_batch")} == {
        BatchStatus.RETURNED}
    assert admin.children.get(ids[0]).state == "id_verified"


def _tables(db) -> dict[str, list[tuple]]:
    """Every row of the tables a merge touches, on either backend."""
    return {table: [tuple(r) for r in db.execute_sql(
                f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()]
            for table in ("child", "child_circumstance", "support", "workflow_event",
                          "duplicate_decision", "name_prefix_count", "id_prefix_count")}


def test_merge_then_undo_gives_identical_rows_and_history(world, tmp_path) -> None:
    admin, village = world
    keep = admin.children.save({**GOOD, "personal_id": None, "village_id": village,
                                "circumstances": ["DB04"]}).child_id
    drop = admin.children.save({**GOOD, "full_name": "Lo Van Pao", "village_id": village,
                                "supports": [{"form": "TG01", "date": "2024-03-15"}],
                                "circumstances": [{"code": "NC02", "start": "2023-01-01"}]}
                               ).child_id
    admin.duplicates.decide(keep, drop, "different")
    before = _tables(admin.db)
    history = [admin.children.history(i) for i in (keep, drop)]
    admin.duplicates.merge(keep, drop)
    merged = admin.children.get(keep, audit_view=False)
    assert merged.personal_id == GOOD["personal_id"] and merged.supports
    assert admin.children.get(drop, audit_view=False).merged_into == keep  # the link
    admin.duplicates.undo_merge(drop)
    assert _tables(admin.db) == before
    after = [admin.children.history(i) for i in (keep, drop)]
    assert [h.events for h in after] == [h.events for h in history]
    # the log keeps both the merge and its undoing (it is append-only)
    actions = [c.action for c in after[1].changes]
    assert actions[-2:] == ["merge", "unmerge"] or "unmerge" in actions
    assert admin.audit.verify().problems == ()


def test_undo_is_refused_once_a_record_changed_after_the_merge(world) -> None:
    from tui.errors import Conflict

    admin, village = world
    keep = admin.children.save({**GOOD, "village_id": village}).child_id
    drop = admin.children.save({**GOOD, "full_name": "Lo Van Pao", "personal_id": None,
                                "village_id": village}).child_id
    admin.duplicates.merge(keep, drop)
    admin.children.save({"id": keep, "schooling": "05"},
                        expected_version=admin.children.get(keep).version)
    with pytest.raises(Conflict):
        admin.duplicates.undo_merge(drop)


def test_fixing_one_field_keeps_what_the_form_does_not_show(world) -> None:
    admin, village = world
    child_id = admin.children.save({
        **GOOD, "village_id": village, "death_date": "2024-05-01",
        "current_address": "Bệnh viện tỉnh",
        "circumstances": [{"code": "KH02", "start": "2024-05-01"}],
        "supports": [{"form": "TG01", "date": "2024-03-15"}]}).child_id
    # what the entry form sends: the fields it shows, no death date, no step 5 data
    form = {k: GOOD[k] for k in ("full_name", "sex", "birth_date", "ethnicity",
                                 "nationality", "father_name", "mother_name")}
    admin.children.save({**form, "id": child_id, "schooling": "05"}, expected_version=1)
    child = admin.children.get(child_id)
    assert child.schooling == "05" and child.death_date == "2024-05-01"
    assert child.current_address == "Bệnh viện tỉnh"
    assert [c.code for c in child.circumstances] == ["KH02"]
    assert [s.form for s in child.supports] == ["TG01"]
