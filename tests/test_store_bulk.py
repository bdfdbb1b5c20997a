"""Bulk inserts keep the invariants of a normal save."""

from __future__ import annotations

import pytest

from tui.services import Services, accounts
from tui.store import audit
from tui.store.bulk import insert_children_bulk, insert_households_bulk, insert_villages
from tui.store.settings import create_register

ROW = {"full_name": "giàng thị của", "sex": "2", "birth_date": "2017-04-02",
       "ethnicity": "08", "father_name": "Giàng A Chứ"}


@pytest.fixture
def db(tmp_path):
    return create_register(tmp_path / "reg.db", commune_code="03808",
                           commune_name="Xã Mường La", province_code="14")


@pytest.fixture
def officer(db):
    accounts.create_account(db, "lan.officer", "Lê Thị Lan", "officer", "tam-thoi-123",
                         must_change_password=False)
    return Services(db, accounts.login(db, "lan.officer", "tam-thoi-123"))


def test_bulk_children_are_validated_folded_and_searchable(db, officer):
    villages = insert_villages(db, ["Bản Hua Trai", "Bản Nà Lốc"])
    households = insert_households_bulk(db, [
        {"book_number": "HT-1", "village_id": villages["Bản Hua Trai"], "poverty": "poor",
         "caregivers": [{"full_name": "Giàng A Chứ", "relation": "father"}]}])
    rows = [dict(ROW, household_id=households[0], village="ban hua trai",
                 circumstances=["DB04"], supports=[{"form": "TG01", "date": "2024-05-01"}]),
            dict(ROW, full_name="Đào Văn Đạt", sex="1", personal_id="014217000777"),
            dict(ROW, full_name="Mùa A Dơ", birth_date="2099-01-01")]
    result = insert_children_bulk(db, rows)
    assert result.inserted == 2
    assert result.ids[2] is None
    assert result.rejected[0][0] == 2
    assert "birth_date.future" in {i.code for i in result.rejected[0][1]}
    first = officer.children.get(result.ids[0])
    assert first.full_name == "Giàng Thị Của" and first.village == "Bản Hua Trai"
    assert first.village_id == villages["Bản Hua Trai"]
    assert [c.code for c in first.circumstances] == ["DB04"]
    assert [s.form for s in first.supports] == ["TG01"]
    assert "personal_id.missing" in {i.code for i in first.issues}
    assert [r.id for r in officer.children.search("dao van dat")] == [result.ids[1]]
    assert officer.children.history(result.ids[1]).events[0].state == "entered"
    assert officer.households.get(households[0]).caregivers[0].full_name == "Giàng A Chứ"
    assert audit.verify(db) == []


def test_bulk_refuses_ids_already_used(db, officer):
    insert_children_bulk(db, [dict(ROW, personal_id="014317000555")])
    result = insert_children_bulk(db, [dict(ROW, full_name="Vàng Thị Dợ",
                                            personal_id="014317000555"),
                                       dict(ROW, full_name="Vàng Thị Mỷ",
                                            personal_id="014317000556")])
    assert result.inserted == 1
    assert result.rejected[0][1][-1].code == "personal_id.taken"


def test_allow_errors_keeps_bad_rows_for_the_review_lists(db, officer):
    result = insert_children_bulk(db, [dict(ROW, personal_id="01431700")], allow_errors=True)
    assert result.inserted == 1
    assert officer.review.flag_counts().errors == 1
    page = officer.review.page("bad_id", 0, 50)
    assert page[0].child_id == result.ids[0]
    assert any(i.field == "personal_id" for i in page[0].issues)


def test_bulk_insert_is_all_or_nothing(db, monkeypatch):
    from tui.store import bulk

    def broken(*args, **kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(bulk.audit, "append", broken)
    with pytest.raises(RuntimeError):
        insert_children_bulk(db, [ROW, dict(ROW, full_name="Sùng Thị Sy")])
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 0


def test_nameless_row_is_kept_flagged_on_the_basic_information_list(db, officer):
    from tui.domain import ReviewKind
    from tui.services.review import ReviewQuery

    result = insert_children_bulk(db, [{"full_name": "", "sex": "1"},
                                       {"sex": "2", "birth_date": "2018-01-05"}],
                                  allow_errors=True)
    assert result.inserted == 2 and result.rejected == ()
    assert officer.review.counts()["basic_info"] == 2
    listed = ReviewQuery(officer.review, ReviewKind.BASIC_INFO)
    assert listed.count() == 2
    assert all("full_name.missing" in item.codes for item in listed.page(0, 10))
    stored = officer.children.get(result.ids[1])
    assert stored.full_name == "" and stored.birth_date == "2018-01-05"


def test_garbage_values_are_kept_as_text_and_flagged_never_crash(db, officer):
    rows = [dict(ROW, sex=["1"], birth_date={"d": 1}),
            dict(ROW, full_name="Sùng Thị Sy", sex=1.5, birth_date=99999999),
            dict(ROW, full_name="Vàng A Páo", circumstances=[None, {"code": None}, "DB04"],
                 supports=[None, "TG01"]),
            dict(ROW, full_name="Thào A Lử",
                 circumstances=[{"code": "DB04", "start": "năm ngoái"}])]
    refused = insert_children_bulk(db, rows)
    assert refused.inserted == 1  # the third row is valid: empty lines are dropped
    assert [position for position, _ in refused.rejected] == [0, 1, 3]
    assert "circumstance.date_invalid" in {i.code for i in refused.rejected[2][1]}

    kept = insert_children_bulk(db, [rows[0], rows[1], rows[3]], allow_errors=True)
    assert kept.inserted == 3
    first = officer.children.get(kept.ids[0])
    assert {i.code for i in first.issues} >= {"sex.unknown", "birth_date.invalid"}
    assert officer.children.get(kept.ids[2]).circumstances[0].start == "năm ngoái"
    assert officer.review.flag_counts().errors == 3


def test_a_village_id_not_in_the_list_is_flagged_not_a_crash(db, officer):
    row = dict(ROW, village_id=999)
    refused = insert_children_bulk(db, [row, dict(ROW, full_name="Sùng Thị Sy")])
    assert refused.ids[0] is None and refused.ids[1] is not None
    assert [i.code for i in refused.rejected[0][1] if i.severity == "error"] == [
        "village.unknown"]
    kept = insert_children_bulk(db, [row], allow_errors=True)
    assert officer.children.get(kept.ids[0]).village_id is None


def test_bulk_writes_in_chunks_read_once_from_a_generator(db, officer, monkeypatch):
    """Rows come one at a time and go to the database a chunk at a time; ids, rejected
    rows, circumstances and the one audit entry are as for a single batch."""
    from tui.store import bulk

    monkeypatch.setattr(bulk, "CHUNK", 3)
    names = ["Lò Văn An", "Lò Văn Bình", "Lò Văn Cường", "Lò Văn Dũng", "Lò Văn Em",
             "Lò Văn Giang", "Lò Văn Hải"]
    rows = (dict(ROW, full_name=name, circumstances=[f"DB0{n + 1}"],
                 birth_date="2099-01-01" if n == 4 else ROW["birth_date"])
            for n, name in enumerate(names))
    result = insert_children_bulk(db, rows)
    assert result.inserted == 6 and result.ids[4] is None
    assert [r[0] for r in result.rejected] == [4]
    stored = [i for i in result.ids if i is not None]
    assert stored == sorted(stored) and len(set(stored)) == 6
    for n, child_id in enumerate(result.ids):
        if child_id is not None:
            child = officer.children.get(child_id)
            assert child.full_name == names[n]
            assert [c.code for c in child.circumstances] == [f"DB0{n + 1}"]
    entries = db.execute_sql("SELECT new FROM audit_entry WHERE action = 'import'").fetchall()
    assert len(entries) == 1 and '"count": 6' in entries[0][0]
    assert audit.verify(db) == []
