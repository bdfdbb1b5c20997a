"""Duplicate candidates: the rules a reviewer relies on, blocking, garbage tolerance."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libchild.duplicates import REASONS, DuplicatePair, find_duplicates
from libchild.messages import DUPLICATE_REASONS, duplicate_reason_label
from libchild.model import Child


def pairs_of(records, **kwargs) -> dict[tuple[int, int], DuplicatePair]:
    return {(p.left, p.right): p for p in find_duplicates(records, **kwargs)}


def test_same_personal_id() -> None:
    records = [
        {"personal_id": "001216000123", "full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
        {"personal_id": "001 216 000 123", "full_name": "Trần Thị Bình",
         "birth_date": "01/01/2014"},
        {"personal_id": "001216000999", "full_name": "Lê Văn Cường"},
    ]
    found = pairs_of(records)
    assert list(found) == [(0, 1)]
    assert found[(0, 1)].reasons == ("same_personal_id",)
    assert found[(0, 1)].score == pytest.approx(0.9)


def test_same_name_close_birth_within_window_only() -> None:
    records = [
        {"full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
        {"full_name": "NGUYỄN  VĂN AN", "birth_date": "15/03/2016"},
        {"full_name": "Nguyễn Văn An", "birth_date": "05/03/2017"},
    ]
    found = pairs_of(records)
    assert set(found) == {(0, 1)}
    assert found[(0, 1)].reasons == ("same_name_close_birth",)
    wide = pairs_of(records, date_window_days=400)
    assert set(wide) == {(0, 1), (0, 2), (1, 2)}
    # a closer pair scores higher than a farther one
    assert wide[(0, 1)].score > wide[(1, 2)].score > 0
    same_day = pairs_of([records[0], dict(records[0])])[(0, 1)]
    assert same_day.score > found[(0, 1)].score


def test_diacritics_only_same_birth() -> None:
    found = pairs_of([
        {"full_name": "Nguyễn Thị Thu Hà", "birth_date": date(2015, 7, 1)},
        {"full_name": "Nguyen Thi Thu Ha", "birth_date": "01/07/2015"},
    ])
    assert found[(0, 1)].reasons == ("name_diacritics_only_same_birth",)


@pytest.mark.parametrize(
    "typo",
    ["Nguyễn Văn Anh", "Nguyễn Vn An", "Nguyễn Văn Án", "Ngyuễn Văn An", "Nguyễn VănAn",
     "Nguyễn Văn Ân", "Nguyễnn Văn An", "Guyễn Văn An"],
)
def test_one_typo_same_birth(typo: str) -> None:
    records = [
        {"full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
        {"full_name": typo, "birth_date": "05032016"},
    ]
    found = pairs_of(records)
    assert (0, 1) in found
    assert found[(0, 1)].reasons in (
        ("name_one_typo_same_birth",), ("name_diacritics_only_same_birth",)
    )


def test_two_typos_or_different_birth_are_not_typo_duplicates() -> None:
    records = [
        {"full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
        {"full_name": "Nguyễn Văn Bình", "birth_date": "05/03/2016"},
        {"full_name": "Nguyễn Văn Anh", "birth_date": "06/03/2016"},
        {"full_name": "Nguyễn Vn Anh", "birth_date": "05/03/2016"},
    ]
    assert find_duplicates(records) == []


def test_same_caregiver_rules() -> None:
    records = [
        {"full_name": "Lò Văn Páo", "birth_date": "01/01/2014", "caregiver_id": "014085000777"},
        {"full_name": "Lò Văn Pao", "birth_date": "01/01/2016", "caregiver_id": "014085000777"},
        {"full_name": "Lò Văn Pá", "birth_date": "02/02/2017", "caregiver_id": "014085000777"},
        {"full_name": "Lò Văn Páo", "birth_date": "03/03/2012", "caregiver_id": "014085000777"},
        {"full_name": "Lò Thị Mai", "birth_date": "01/01/2014", "caregiver_id": "014085000777"},
    ]
    found = pairs_of(records)
    assert found[(0, 1)].reasons == ("name_diacritics_only_same_caregiver",)
    assert found[(0, 2)].reasons == ("name_one_typo_same_caregiver",)
    assert found[(0, 3)].reasons == ("same_name_same_caregiver",)
    assert not any(4 in key for key in found)


def test_caregiver_by_name_counts_only_in_the_same_commune() -> None:
    base = {"full_name": "Giàng A Sử", "mother_name": "Sùng Thị Dợ"}
    records = [
        {**base, "birth_date": "01/01/2014", "commune_code": "03808"},
        {**base, "birth_date": "01/01/2016", "commune_code": "03808"},
        {**base, "birth_date": "01/01/2018", "commune_code": "04345"},
    ]
    found = pairs_of(records)
    assert set(found) == {(0, 1)}
    assert found[(0, 1)].reasons == ("same_name_same_caregiver",)
    # the mother entered as caregiver in one record and as mother in the other
    other = [
        {"full_name": "Giàng A Sử", "mother_name": "Sùng Thị Dợ", "birth_date": "01/01/2014"},
        {"full_name": "Giàng A Sủ", "caregiver_name": "SÙNG THỊ DỢ", "birth_date": "01/06/2016"},
    ]
    assert pairs_of(other)[(0, 1)].reasons == ("name_diacritics_only_same_caregiver",)


def test_evidence_accumulates_and_different_ids_count_against() -> None:
    strong = pairs_of([
        {"personal_id": "001216000123", "full_name": "Trần Minh Khôi", "birth_date": "05/03/2016"},
        {"personal_id": "001216000123", "full_name": "Trần Minh Khôi", "birth_date": "05/03/2016"},
    ])[(0, 1)]
    assert strong.reasons == ("same_personal_id", "same_name_close_birth")
    assert strong.score > 0.98
    against = pairs_of([
        {"personal_id": "001216000123", "full_name": "Trần Minh Khôi", "birth_date": "05/03/2016"},
        {"personal_id": "001216000456", "full_name": "Trần Minh Khôi", "birth_date": "05/03/2016"},
    ])[(0, 1)]
    assert against.reasons == ("same_name_close_birth", "different_personal_id")
    assert against.score == pytest.approx(0.45)


def test_sorted_by_score_then_position() -> None:
    records = [
        {"full_name": "Phạm Gia Bảo", "birth_date": "05/03/2016"},
        {"full_name": "Phạm Gia Bảo", "birth_date": "25/03/2016"},
        {"full_name": "Vũ Ngọc Lan", "birth_date": "01/01/2015"},
        {"full_name": "Vũ Ngọc Lan", "birth_date": "01/01/2015"},
    ]
    result = find_duplicates(records)
    assert [(p.left, p.right) for p in result] == [(2, 3), (0, 1)]


def test_model_objects_and_garbage_are_tolerated() -> None:
    records = [
        Child(full_name="Hoàng Thị Yến", birth_date=date(2013, 9, 2)),
        {"full_name": "Hoang Thi Yen", "birth_date": "02/09/2013"},
        {"full_name": 12345, "birth_date": "31/02/2016", "personal_id": ["x"]},
        None,
        "not a record",
        {"full_name": "", "birth_date": None, "caregiver_id": object()},
        {"full_name": "Hoàng Thị Yến", "birth_date": "no date"},
        {},
    ]
    found = pairs_of(records)
    assert set(found) == {(0, 1)}


class _Broken:
    @property
    def full_name(self) -> str:
        raise RuntimeError("broken property")

    birth_date = property(lambda self: 1 / 0)


class _Weird:
    def __eq__(self, other: object) -> bool:
        raise TypeError("no comparison")

    __hash__ = None  # type: ignore[assignment]


def test_objects_that_raise_are_skipped_not_fatal() -> None:
    records = [
        _Broken(),
        {"full_name": "Đinh Văn Tài", "birth_date": _Weird(), "personal_id": _Weird()},
        {"full_name": "Đinh Văn Tài", "birth_date": "02/02/2012"},
        {"full_name": "Dinh Van Tai", "birth_date": "02/02/2012"},
    ]
    assert set(pairs_of(records)) == {(2, 3)}


def test_placeholder_ids_on_many_records_do_not_explode() -> None:
    records = [
        {"personal_id": "000000000000", "full_name": f"Trẻ {i}", "birth_date": None}
        for i in range(2000)
    ]
    assert find_duplicates(records) == []


def test_every_reason_has_a_vietnamese_and_english_label() -> None:
    # The duplicate review shows these labels; a reason without one would show a code.
    assert set(DUPLICATE_REASONS) == set(REASONS)
    for code in REASONS:
        vi, en = duplicate_reason_label(code), duplicate_reason_label(code, lang="en")
        assert vi != code and en != code and vi != en
        assert unicodedata.is_normalized("NFC", vi) and not vi.isascii()
        assert en.isascii()
    assert duplicate_reason_label("same_personal_id") == "cùng số định danh"
    assert duplicate_reason_label("not_a_reason") == "not_a_reason"
    with pytest.raises(ValueError):
        duplicate_reason_label("same_personal_id", lang="fr")


def test_empty_input() -> None:
    assert find_duplicates([]) == []
    assert find_duplicates(iter([{"full_name": "Nguyễn Văn An"}])) == []


names = st.sampled_from(["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyen Van An", "Trần Thị Bình",
                         "Trần Thị Binh", "Lê Hoàng", "Lê Hoàn", "", "x"])
births = st.one_of(st.none(), st.sampled_from(["05/03/2016", "06/03/2016", "2016-03-05",
                                               "31/02/2016", "abc", 42434]))
ids = st.one_of(st.none(), st.sampled_from(["001216000123", "001216000124", "12", "garbage"]))
records_strategy = st.lists(
    st.fixed_dictionaries({"full_name": names, "birth_date": births, "personal_id": ids,
                           "caregiver_id": ids}),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(records_strategy)
def test_pairs_are_well_formed(records: list[dict]) -> None:
    result = find_duplicates(records)
    seen = set()
    for pair in result:
        assert 0 <= pair.left < pair.right < len(records)
        assert 0.0 <= pair.score <= 1.0
        assert pair.reasons and all(r in REASONS for r in pair.reasons)
        assert (pair.left, pair.right) not in seen
        seen.add((pair.left, pair.right))
    assert [p.score for p in result] == sorted((p.score for p in result), reverse=True)


letters = st.text(alphabet="abcdeghiklmnoprstuvxy", min_size=2, max_size=7)


@settings(max_examples=150, deadline=None)
@given(st.lists(letters, min_size=2, max_size=4), st.data())
def test_blocking_finds_every_letter_typo(words: list[str], data: st.DataObject) -> None:
    name = " ".join(words)
    positions = [i for i, c in enumerate(name) if c != " "]
    i = data.draw(st.sampled_from(positions))
    op = data.draw(st.sampled_from(["replace", "delete", "insert", "swap", "space"]))
    if op == "replace":
        typo = name[:i] + data.draw(st.sampled_from("fjqwz")) + name[i + 1:]
    elif op == "delete":
        typo = name[:i] + name[i + 1:]
    elif op == "insert":
        typo = name[:i] + data.draw(st.sampled_from("fjqwz")) + name[i:]
    elif op == "swap" and i + 1 < len(name):
        typo = name[:i] + name[i + 1] + name[i] + name[i + 2:]
    else:
        typo = name[:i] + " " + name[i:]
    if " ".join(typo.split()) == name or "  " in typo or typo.strip() != typo:
        return
    found = pairs_of([
        {"full_name": name, "birth_date": "05/03/2016"},
        {"full_name": typo, "birth_date": "05/03/2016"},
    ])
    assert (0, 1) in found
