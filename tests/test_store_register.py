"""The Register service: validated saves, conflicts, audit, search, scope, merge."""

from __future__ import annotations

import pytest

from tui.store import accounts, audit
from tui.store.accounts import Session, SessionExpired
from tui.store.bulk import insert_villages
from tui.store.errors import Conflict, InvalidInput, PermissionDenied, ValidationFailed
from tui.store.register import Register
from tui.store.settings import create_register

MAI = {
    "full_name": "lò thị mai",
    "sex": "Nữ",
    "birth_date": "05/09/2018",
    "ethnicity": "Thái",
    "father_name": "Lò Văn Minh",
    "mother_name": "Quàng Thị Xuân",
    "village": "ban na loc",
}


@pytest.fixture
def db(tmp_path):
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14")
    insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban", "Tiểu khu Đồi"])
    return db


def _session(db, username, role, villages=()):
    accounts.create_user(db, username, username.title(), role, "tam-thoi-123",
                         must_change_password=False, villages=villages)
    return accounts.login(db, username, "tam-thoi-123")


@pytest.fixture
def officer(db):
    return Register(db, _session(db, "lan.officer", "officer"))


def _village_id(reg, name):
    return next(v["id"] for v in reg.villages() if v["name"] == name)


def test_save_child_stores_the_canonical_record(officer):
    result = officer.save_child(MAI)
    assert result.version == 1
    child = officer.get_child(result.child_id)
    assert child["full_name"] == "Lò Thị Mai"
    assert child["sex"] == "2" and child["ethnicity"] == "03"
    assert child["birth_date"] == "2018-09-05"
    assert child["village"] == "Bản Nà Lốc"  # matched without diacritics
    assert child["commune_code"] == "03808" and child["province_code"] == "14"
    assert child["state"] == "needs_fixing"  # no ID number: on a step-3 list


def test_warnings_are_stored_with_the_record(officer):
    result = officer.save_child(MAI)  # no ID number: a step 3 list
    codes = {i.code for i in result.issues}
    assert "personal_id.missing" in codes
    stored = officer.get_child(result.child_id)["issues"]
    assert "personal_id.missing" in {i["code"] for i in stored}
    assert officer.review_counts()["no_id"] == 1


def test_errors_block_the_save_and_nothing_is_written(officer):
    with pytest.raises(ValidationFailed) as failed:
        officer.save_child({**MAI, "birth_date": "01/01/2099"})
    assert "birth_date.future" in {i.code for i in failed.value.errors}
    assert "lỗi" in str(failed.value)
    assert officer.count_search("lo thi mai") == 0


def test_unknown_village_is_refused_with_a_message(officer):
    with pytest.raises(ValidationFailed) as failed:
        officer.save_child({**MAI, "village": "Bản Không Có"})
    assert failed.value.errors[0].message.startswith("Thôn/xóm “Bản Không Có”")


def test_same_id_number_on_two_children_is_an_error(officer):
    officer.save_child({**MAI, "personal_id": "014318000123"})
    with pytest.raises(ValidationFailed) as failed:
        officer.save_child({**MAI, "full_name": "Lò Văn Páo", "sex": "Nam",
                            "personal_id": "014318000123"})
    assert [i.code for i in failed.value.errors] == ["personal_id.taken"]


def test_update_bumps_version_and_audits_old_and_new(officer, db):
    first = officer.save_child(MAI)
    second = officer.save_child({**MAI, "id": first.child_id, "full_name": "Lò Thị Mây"},
                                expected_version=1)
    assert second.version == 2
    changes = [c for c in officer.child_history(first.child_id)["changes"]
               if c["field"] == "full_name"]
    assert (changes[-1]["old"], changes[-1]["new"]) == ("Lò Thị Mai", "Lò Thị Mây")
    assert changes[-1]["username"] == "lan.officer"
    assert officer.search("lo thi may")[0]["id"] == first.child_id
    assert officer.search("lo thi mai") == []
    assert audit.verify(db) == []


def test_concurrent_edit_raises_conflict_with_both_versions(db, officer):
    other = Register(db, _session(db, "hoa.officer", "officer"))
    saved = officer.save_child(MAI)
    mine = officer.get_child(saved.child_id)
    theirs = other.get_child(saved.child_id)
    other.save_child({**theirs, "schooling": "04"}, expected_version=theirs["version"])
    with pytest.raises(Conflict) as conflict:
        officer.save_child({**mine, "full_name": "Lò Thị Mây"}, expected_version=mine["version"])
    assert conflict.value.mine["full_name"] == "Lò Thị Mây"
    assert conflict.value.theirs["schooling"] == "04"
    assert conflict.value.theirs["version"] == 2 and conflict.value.mine_version == 1
    assert "Hoa.Officer" in str(conflict.value) and "phiên bản" in str(conflict.value)
    assert officer.get_child(saved.child_id)["full_name"] == "Lò Thị Mai"  # not overwritten


def test_circumstances_and_supports_are_kept_with_history(officer):
    saved = officer.save_child({**MAI, "circumstances": [{"code": "DB04", "start": "01/02/2024"}],
                                "supports": [{"form": "TG01", "date": "15/03/2024"}]})
    child = officer.get_child(saved.child_id)
    assert [(c["code"], c["start"]) for c in child["circumstances"]] == [("DB04", "2024-02-01")]
    assert [(s["form"], s["date"]) for s in child["supports"]] == [("TG01", "2024-03-15")]
    officer.add_support(saved.child_id, "TG04", "01/06/2024")
    circ_id = child["circumstances"][0]["id"]
    officer.end_circumstance(saved.child_id, circ_id, "2024-12-31")
    child = officer.get_child(saved.child_id)
    assert child["circumstances"][0]["end"] == "2024-12-31"
    assert [s["form"] for s in child["supports"]] == ["TG01", "TG04"]
    assert child["version"] == 3
    fields = {c["field"] for c in officer.child_history(saved.child_id)["changes"]}
    assert {"circumstance", "support"} <= fields


def test_search_ignores_case_diacritics_and_d(officer):
    officer.save_child({**MAI, "full_name": "Đinh Thị Mai"})
    officer.save_child({**MAI, "full_name": "Điêu Văn Đức", "sex": "Nam",
                        "personal_id": "014218000456"})
    officer.save_child({**MAI, "full_name": "Lò Thị Mai"})
    assert [r["full_name"] for r in officer.search("dinh")] == ["Đinh Thị Mai"]
    assert [r["full_name"] for r in officer.search("ĐIÊU VĂN")] == ["Điêu Văn Đức"]
    assert [r["full_name"] for r in officer.search("d")] == ["Điêu Văn Đức", "Đinh Thị Mai"]
    assert officer.count_search("d") == 2
    assert [r["full_name"] for r in officer.search("0142")] == ["Điêu Văn Đức"]
    assert officer.search("xyz") == [] and officer.count_search("") == 0


def test_search_pages_are_stable(officer):
    for n in range(7):
        officer.save_child({**MAI, "full_name": f"Lò Thị {'ABCDEFG'[n]}"})
    first = officer.search("lo thi", limit=3)
    second = officer.search("lo thi", limit=3, offset=3)
    third = officer.search("lo thi", limit=3, offset=6)
    names = [r["full_name"] for r in first + second + third]
    assert names == sorted(names) and len(set(names)) == 7
    assert officer.count_search("lo thi") == 7


def test_household_saves_children_with_shared_fields(officer):
    result = officer.save_household(
        {"book_number": "MLA-012", "village": "Bản Pá Ban", "address": "Bản Pá Ban",
         "poverty": "poor"},
        [{"full_name": "Quàng Thị Mai", "sex": "2", "birth_date": "2020-03-01",
          "ethnicity": "03"},
         {"full_name": "Quàng Văn Sơn", "sex": "1", "birth_date": "2016-07-20",
          "ethnicity": "03"}],
        [{"full_name": "Quàng Văn Hùng", "relation": "father"},
         {"full_name": "Lường Thị Ón", "relation": "mother"}],
    )
    assert len(result.children) == 2
    child = officer.get_child(result.children[0].child_id)
    assert (child["father_name"], child["mother_name"]) == ("Quàng Văn Hùng", "Lường Thị Ón")
    assert child["village"] == "Bản Pá Ban" and child["household_id"] == result.household_id
    assert {r["full_name"] for r in officer.search("MLA-012")} == {"Quàng Thị Mai",
                                                                  "Quàng Văn Sơn"}
    assert officer.count_search("ban pa ban") == 2
    household = officer.get_household(result.household_id)
    assert household["poverty"] == "poor" and len(household["caregivers"]) == 2


def test_household_with_one_bad_child_saves_nothing(officer):
    with pytest.raises(ValidationFailed) as failed:
        officer.save_household(
            {"book_number": "MLA-013", "village": "Bản Pá Ban"},
            [{"full_name": "Quàng Thị Mai", "sex": "2", "birth_date": "2020-03-01",
              "ethnicity": "03", "father_name": "Quàng Văn Hùng"},
             {"full_name": "Quàng Văn Sơn", "sex": "1", "birth_date": "2099-07-20",
              "ethnicity": "03", "father_name": "Quàng Văn Hùng"}], [])
    assert list(failed.value.per_child) == [1]
    assert officer.count_search("quang") == 0
    with pytest.raises(ValidationFailed, match="lỗi"):
        officer.save_household({"book_number": " "}, [], [])


def test_collaborator_sees_and_edits_only_assigned_villages(db, officer):
    officer.save_child(MAI)  # Bản Nà Lốc
    officer.save_child({**MAI, "full_name": "Lò Thị Ngọc", "village": "Bản Pá Ban"})
    pa_ban = _village_id(officer, "Bản Pá Ban")
    collaborator = Register(db, _session(db, "ctv.paban", "collaborator", villages=[pa_ban]))
    assert [r["full_name"] for r in collaborator.search("lo thi")] == ["Lò Thị Ngọc"]
    assert collaborator.count_search("lo thi") == 1
    with pytest.raises(ValidationFailed) as failed:
        collaborator.save_child({**MAI, "full_name": "Lò Văn Tâm", "sex": "1"})
    assert failed.value.errors[0].code == "village.not_assigned"
    hidden = officer.search("lo thi mai")[0]["id"]
    with pytest.raises(PermissionDenied):
        collaborator.get_child(hidden)


def test_police_and_viewer_cannot_read_personal_data(db):
    police = Register(db, _session(db, "cong.an", "police"))
    viewer = Register(db, _session(db, "xem.bao.cao", "viewer"))
    for reg in (police, viewer):
        with pytest.raises(PermissionDenied, match="không được phép"):
            reg.search("lo")
        with pytest.raises(PermissionDenied):
            reg.save_child(MAI)


def test_expired_session_blocks_every_call_until_unlocked(db, officer):
    officer.user.idle_timeout_s = 0.01
    officer.user.last_active -= 1
    with pytest.raises(SessionExpired):
        officer.search("lo")
    with pytest.raises(SessionExpired):
        officer.save_child(MAI)
    officer.user.unlock(db, "tam-thoi-123")
    assert officer.save_child(MAI).version == 1


def test_workflow_transitions_are_recorded(officer):
    saved = officer.save_child({**MAI, "personal_id": "014318000123"})
    officer.set_state(saved.child_id, "needs_fixing", "thiếu số định danh")
    officer.set_state(saved.child_id, "sent_to_police")
    with pytest.raises(InvalidInput, match="Không thể chuyển"):
        officer.set_state(saved.child_id, "rechecked")
    history = officer.child_history(saved.child_id)["workflow"]
    assert [h["state"] for h in history] == ["entered", "needs_fixing", "sent_to_police"]
    assert history[1]["note"] == "thiếu số định danh"
    assert history[2]["state_name"] == "đã gửi công an"
    assert officer.get_child(saved.child_id)["state"] == "sent_to_police"


def test_duplicate_decisions_and_merge(officer, db):
    keep = officer.save_child({**MAI, "circumstances": ["DB04"]})
    drop = officer.save_child({**MAI, "full_name": "Lò Thị Mai", "personal_id": "014318000123",
                               "supports": [{"form": "TG01", "date": "2024-03-15"}]})
    officer.decide_duplicate(drop.child_id, keep.child_id, "different")
    assert officer.duplicate_decisions() == {
        (keep.child_id, drop.child_id): "different"}
    merged = officer.merge_children(keep.child_id, drop.child_id)
    child = officer.get_child(keep.child_id)
    assert child["personal_id"] == "014318000123"  # filled from the merged record
    assert [s["form"] for s in child["supports"]] == ["TG01"]
    assert merged.version == child["version"]
    assert officer.count_search("lo thi mai") == 1  # the merged record is hidden
    assert officer.duplicate_decisions()[(keep.child_id, drop.child_id)] == "same"
    actions = [e["action"] for e in audit.entries_for(db, "child", drop.child_id)]
    assert "merge" in actions
    with pytest.raises(InvalidInput):
        officer.merge_children(keep.child_id, keep.child_id)


def test_viewing_a_record_is_audited(officer, db):
    saved = officer.save_child(MAI)
    officer.get_child(saved.child_id)
    views = [e for e in audit.entries_for(db, "child", saved.child_id) if e["action"] == "view"]
    assert views and views[0]["username"] == "lan.officer"


def test_register_rejects_unknown_role_session(db):
    ghost = Register(db, Session(999, "ghost", "Ghost", "nobody"))
    with pytest.raises(PermissionDenied):
        ghost.search("lo")


def test_counts_stay_exact_through_renames_and_merges(officer):
    ids = [officer.save_child({**MAI, "full_name": name}).child_id
           for name in ("Lò Thị Mai", "Lò Thị Mây", "Lò Văn Páo", "Lò", "Lường Thị Ón")]
    officer.save_child({**officer.get_child(ids[2]), "full_name": "Lường Văn Páo"},
                       expected_version=1)
    officer.merge_children(ids[0], ids[1])
    officer.save_child({**officer.get_child(ids[4]), "personal_id": "014318000123"},
                       expected_version=1)
    officer.save_child({**officer.get_child(ids[3]), "personal_id": "014317000124"},
                       expected_version=1)
    for prefix in ("l", "lo", "lò thị", "lo t", "luong", "lo thi mai", "lo ", "lương văn",
                   "0", "014", "01431", "014318", "0143180", "014318000123"):
        listed = officer.search(prefix, limit=1000)
        assert officer.count_search(prefix) == len(listed), prefix
    assert officer.count_search("lo") == 2 and officer.count_search("luong") == 2


def test_save_killed_before_commit_loses_only_that_save(db, officer, tmp_path):
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    from tui.store.database import open_db

    kept = officer.save_child(MAI).child_id
    root = Path(__file__).resolve().parents[1]
    script = textwrap.dedent(f"""
        import time
        from tui.store import accounts, audit
        from tui.store.database import open_db
        from tui.store.register import Register
        real = audit.append_many
        def stall(db, entries):  # the last step before COMMIT
            real(db, entries)
            print("inside", flush=True)
            time.sleep(60)
        audit.append_many = stall
        db = open_db({str(tmp_path / 'reg.db')!r})
        reg = Register(db, accounts.login(db, "lan.officer", "tam-thoi-123"))
        reg.save_child({{**{MAI!r}, "full_name": "Quàng Văn Mất"}})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.stdout.readline().strip() == "inside"
    proc.kill()
    proc.wait()
    reopened = open_db(tmp_path / "reg.db")
    assert reopened.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = Register(reopened, accounts.login(reopened, "lan.officer", "tam-thoi-123"))
    assert again.count_search("quang van mat") == 0
    assert again.get_child(kept)["full_name"] == "Lò Thị Mai"
    assert audit.verify(reopened) == []
    assert again.save_child({**MAI, "full_name": "Quàng Văn Mất"}).version == 1


def test_garbage_in_a_save_gets_a_message_and_writes_nothing(officer, db):
    from tui.store.errors import NotFound

    def children():
        return db.execute_sql("SELECT count(*) FROM child").fetchone()[0]

    with pytest.raises(ValidationFailed) as failed:
        officer.save_child({**MAI, "circumstances": [{"code": "DB04", "start": "hôm qua"}]})
    assert [i.code for i in failed.value.errors] == ["circumstance.date_invalid"]
    assert "hôm qua" in failed.value.errors[0].message
    with pytest.raises(ValidationFailed) as failed:
        officer.save_child({**MAI, "circumstances": [{"code": "", "start": "2024-01-01"}]})
    assert [i.code for i in failed.value.errors] == ["circumstance.code_missing"]
    with pytest.raises(ValidationFailed) as failed:
        officer.save_child({**MAI, "village": "", "village_id": 9999})
    assert [i.code for i in failed.value.errors] == ["village.unknown"]
    with pytest.raises(NotFound, match="hộ gia đình số 77"):
        officer.save_child({**MAI, "household_id": 77})
    with pytest.raises(NotFound, match="hồ sơ trẻ em số abc"):
        officer.save_child({**MAI, "id": "abc"})
    assert children() == 0
    # empty lines of the circumstance and support forms are not records
    saved = officer.save_child({**MAI, "circumstances": [None, {"code": None}],
                                "supports": [None, ""]})
    child = officer.get_child(saved.child_id)
    assert child["circumstances"] == [] and child["supports"] == []


def test_household_with_garbage_ids_and_values_gets_a_message(officer):
    from tui.store.errors import NotFound

    kid = {"full_name": "Quàng Thị Mai", "sex": "2", "birth_date": "2020-03-01",
           "ethnicity": "03", "father_name": "Quàng Văn Hùng"}
    with pytest.raises(NotFound, match="hồ sơ trẻ em số x1"):
        officer.save_household({"book_number": "MLA-014"}, [{**kid, "id": "x1"}], [])
    assert officer.count_search("quang") == 0
    result = officer.save_household(
        {"book_number": "MLA-015", "address": 15},
        [kid], [{"full_name": ["Quàng", "Văn Hùng"], "relation": None}])
    household = officer.get_household(result.household_id)
    assert household["address"] == "15"
    (caregiver,) = household["caregivers"]  # kept as text to fix, not a crash
    assert "Văn Hùng" in caregiver["full_name"] and caregiver["relation"] == "guardian"
