"""Scoring a trainee (issue 12 item 3): field by field after libchild.clean, matching,
lessons caught, time and keys per child, the Vietnamese result; figures by hand."""

from __future__ import annotations

import attrs
import pytest
from fixtures.training_records import (
    FIRST,
    MESSY,
    T0,
    by_name,
    edit,
    hand_scored_trainee,
    perfect,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libchild.model import CANONICAL_FIELDS
from tui.training.keystrokes import FormKeys, KeystrokeMeasure
from tui.training.loader import load_shipped
from tui.training.matching import MatchKind
from tui.training.records import (
    EnteredChild,
    EnteredHousehold,
    TraineeRecords,
    TraineeRecordSource,
)
from tui.training.render import render_result
from tui.training.results import ErrorKind, room_errors
from tui.training.scoring import score_trainee
from tui.training.values import (
    AdultValues,
    ChildValues,
    CircumstanceValue,
    HouseholdValues,
    SupportValue,
)


@pytest.mark.parametrize("scenario", load_shipped(), ids=lambda s: s.id)
def test_a_perfect_trainee_scores_everything_right(scenario):
    result = score_trainee(scenario, perfect(scenario))
    assert result.accuracy == 1.0 and result.correct == result.checked > 0
    assert not result.to_fix and not result.missed and not result.extra
    assert result.lessons_caught == len(result.lessons)
    assert all(c.match is MatchKind.BOOK_ORDER for c in result.children)


def test_hand_computed_score_of_planted_mistakes():
    records, measures = hand_scored_trainee()
    result = score_trainee(FIRST, records, measures)
    # values in the key: household 4 + adults 2x3 + child 1: 9 + child 2: 8 (no ID) = 27;
    # the ID typed for child 2 adds one compared value: 28. Wrong: village, adult 2's ID,
    # child 1's name and birth date, child 2's ID: 5. Right: 23.
    assert (result.checked, result.correct) == (28, 23)
    assert result.accuracy == pytest.approx(23 / 28)
    fixes = [(e.book_number, e.order, e.field, e.entered, e.expected, e.kind)
             for e in result.to_fix]
    assert fixes == [
        ("ML-001", 0, "village", "Ban Na Tong", "Bản Nà Tòng", ErrorKind.DIACRITICS),
        ("ML-001", 0, "adult_id", "014190002864", "014190002846", ErrorKind.WRONG),
        ("ML-001", 1, "full_name", "Lo Thi Mai", "Lò Thị Mai", ErrorKind.DIACRITICS),
        ("ML-001", 1, "birth_date", "04/02/2017", "02/04/2017", ErrorKind.WRONG),
        ("ML-001", 2, "personal_id", "014190002846", "", ErrorKind.EXTRA),
    ]
    by_field = {f.field: f for f in result.fields}
    assert (by_field["full_name"].checked, by_field["full_name"].correct) == (2, 1)
    assert by_field["full_name"].diacritics == 1 and by_field["sex"].accuracy == 1.0
    assert [(x.lesson_id, x.caught) for x in result.lessons] == [("chua-co-so-dinh-danh", False)]
    # 64 keys and 95 s over the 2 children in the register; 40 keys, 3 corrections on child 1
    assert (result.keys, result.corrections, result.seconds) == (64, 4, 95.0)
    assert result.keys_per_child == 32.0 and result.seconds_per_child == 47.5
    first = result.children[0]
    assert (first.keys, first.corrections, first.seconds, first.checked, first.correct) == (
        40, 3, 60.0, 9, 7)


def test_the_result_renders_in_vietnamese_with_the_fields_to_fix():
    records, measures = hand_scored_trainee()
    text = render_result(score_trainee(FIRST, records, measures))
    assert "Độ chính xác: 82,1% (23/28 giá trị đúng)" in text
    assert ("Sổ ML-001, trẻ 1 (Lò Thị Mai): Ngày sinh: đã nhập «04/02/2017», "
            "đúng là «02/04/2017» (sai)") in text
    assert "Họ và tên: đã nhập «Lo Thi Mai», đúng là «Lò Thị Mai» (sai dấu" in text
    assert "Sổ ML-001: Thôn, bản: đã nhập «Ban Na Tong», đúng là «Bản Nà Tòng»" in text
    assert "[ ] Trẻ mới sinh chưa có số định danh (sổ ML-001, trẻ 2: Lò Văn Khằm)" in text
    assert "Thời gian gõ: 1 phút 35 giây; 32,0 phím và 47,5 giây mỗi trẻ" in text
    plain = render_result(score_trainee(FIRST, perfect(FIRST)))
    assert "Không có trường nào cần sửa." in plain and "Chưa có số liệu gõ phím." in plain


def test_missing_diacritics_is_a_field_error_not_a_missing_record():
    records = perfect(MESSY)
    target = by_name(records, "Hà Thị Ngọc Ánh")
    result = score_trainee(MESSY, edit(records, target.record_id, full_name="ha thi ngoc anh"))
    assert not result.missed and not result.extra
    (error,) = result.to_fix
    assert (error.field, error.kind, error.entered) == ("full_name", ErrorKind.DIACRITICS,
                                                         "Ha Thi Ngoc Anh")
    # the old-font lesson is about this name: typed without diacritics it is not caught
    lesson = next(x for x in result.lessons if x.lesson_id == "phong-tcvn3")
    assert not lesson.caught


def test_old_font_copied_as_is_is_converted_but_the_lesson_is_missed():
    records = perfect(MESSY)
    target = by_name(records, "Hà Thị Ngọc Ánh")
    # the register converts TCVN3 on save but keeps the issue code with the record
    copied = edit(records, target.record_id, issues=("full_name.legacy_encoding",))
    result = score_trainee(MESSY, copied)
    assert not result.to_fix
    assert not next(x for x in result.lessons if x.lesson_id == "phong-tcvn3").caught


def test_children_typed_in_another_order_are_found_by_name_and_birth():
    records = perfect(MESSY)
    first, second = records.children[0], records.children[1]   # ML-101 children 1 and 2
    swapped = attrs.evolve(records, children=(
        attrs.evolve(first, order=2), attrs.evolve(second, order=1), *records.children[2:]))
    result = score_trainee(MESSY, swapped)
    assert result.accuracy == 1.0
    assert [c.match for c in result.children[:2]] == [MatchKind.NAME_BIRTH] * 2


def test_a_skipped_child_does_not_shift_its_siblings_onto_wrong_answers():
    records = perfect(FIRST)
    only_second = attrs.evolve(records, children=(attrs.evolve(records.children[1], order=1),))
    result = score_trainee(FIRST, only_second)
    assert [c.missed for c in result.children] == [True, False]
    assert result.children[1].errors == ()
    assert result.missed[0].name == "Lò Thị Mai" and not result.extra
    # missed values count against accuracy: 9 of 27 values not typed
    assert (result.checked, result.correct) == (27, 18)
    assert "Sổ ML-001, trẻ 1: Lò Thị Mai" in render_result(result)


def test_a_mistyped_book_number_is_a_field_error_and_children_are_still_found():
    records = perfect(MESSY)
    household = records.households[0]
    wrong = attrs.evolve(household, values=attrs.evolve(household.values, book_number="ML-1O1"))
    result = score_trainee(MESSY, attrs.evolve(records, households=(
        wrong, *records.households[1:])))
    assert not result.missed_books and not result.extra_books and not result.missed
    assert [(e.field, e.entered, e.kind) for e in result.to_fix] == [
        ("book_number", "ML-1O1", ErrorKind.WRONG)]


def test_the_duplicate_lesson_entered_twice_merged_or_skipped():
    records = perfect(MESSY)
    original = by_name(records, "Quàng Thị Thanh Thảo")
    book_106 = next(h for h in records.households if h.values.book_number == "ML-106")
    second = EnteredChild(99, book_106.household_id, 2, attrs.evolve(
        original.values, full_name="Quàng Thi Thanh Thao", personal_id=None))

    def caught(result):
        return next(x.caught for x in result.lessons if x.lesson_id == "ghi-trung-hai-so")

    skipped = score_trainee(MESSY, records)
    assert caught(skipped) and not skipped.extra
    twice = score_trainee(MESSY, attrs.evolve(records, children=(*records.children, second)))
    assert not caught(twice)
    assert [(x.record_id, x.book_number, x.order) for x in twice.extra] == [(99, "ML-106", 2)]
    assert twice.accuracy < 1.0
    merged = attrs.evolve(second, merged_into=original.record_id)
    after_merge = score_trainee(MESSY, attrs.evolve(records,
                                                    children=(*records.children, merged)))
    assert caught(after_merge) and after_merge.accuracy == 1.0


def test_flag_and_avoid_lessons_follow_the_register():
    records = perfect(MESSY)
    khoa = by_name(records, "Hà Văn Khoa")
    nam = by_name(records, "Điêu Văn Nam")
    # "made younger": birth year changed so the child is under 16; orphan without carer
    wrong = edit(edit(records, khoa.record_id, birth_date="2010-08-25", issues=()),
                 nam.record_id, caregiver_name=None, caregiver_id=None,
                 issues=("rule.orphan_no_caregiver",))
    result = score_trainee(MESSY, wrong)
    outcome = {x.lesson_id: x.caught for x in result.lessons}
    assert outcome["du-16-tuoi"] is False and outcome["mo-coi"] is False
    assert sum(outcome.values()) == len(outcome) - 2
    fields = {(e.child_name, e.field) for e in result.to_fix}
    assert fields == {("Hà Văn Khoa", "birth_date"), ("Điêu Văn Nam", "caregiver_name")}


def test_the_same_scoring_for_values_as_typed_and_as_cleaned():
    records = perfect(FIRST)
    typed = edit(records, 1, sex="nữ", birth_date="2/4/2017", ethnicity="thai",
                 nationality="Việt Nam", schooling="cấp 1")
    assert score_trainee(FIRST, typed).accuracy == 1.0


def test_a_source_implementing_the_protocol_feeds_the_scorer():
    class Sandbox:
        def __init__(self, records):
            self._records = records

        def trainee_records(self, trainee: str) -> TraineeRecords:
            return attrs.evolve(self._records, trainee=trainee)

    source: TraineeRecordSource = Sandbox(perfect(FIRST))
    result = score_trainee(FIRST, source.trainee_records("Cường"))
    assert result.trainee == "Cường" and result.accuracy == 1.0


def test_room_errors_give_the_most_frequent_error_per_field():
    records, _ = hand_scored_trainee()
    one = score_trainee(FIRST, records)
    other = score_trainee(FIRST, edit(perfect(FIRST, "Dung"), 2, birth_date="15/07/2024"))
    room = {r.field: r for r in room_errors([one, other])}
    assert (room["birth_date"].kind, room["birth_date"].count, room["birth_date"].trainees) == (
        ErrorKind.WRONG, 2, 2)
    assert (room["full_name"].kind, room["full_name"].count) == (ErrorKind.DIACRITICS, 1)
    assert "sex" not in room


def test_form_keys_count_and_time_per_child_but_never_hold_text():
    form = FormKeys()
    assert form.measures([(0, 5)]) == ()  # nothing typed: no measure
    form.key(1, clock=100.0, at=T0)
    form.key(1, clock=101.0, at=T0)
    form.key(1, clock=400.0, at=T0)            # a long pause counts as 60 s
    form.key(1, clock=401.0, at=T0, correction=True)
    form.key(2, clock=402.0, at=T0)            # F2 on the blank child after it
    (measure,) = form.measures([(0, 4), (1, 5)])  # child 1 got no key: no measure
    assert (measure.record_id, measure.order) == (5, 2)
    assert (measure.keys, measure.corrections, measure.seconds) == (5, 1, 63.0)
    form.reset()
    assert form.measures([(1, 5)]) == ()
    assert {f.name for f in attrs.fields(KeystrokeMeasure)} == {
        "record_id", "order", "started_at", "seconds", "keys", "corrections"}
    for bad in ({"keys": -1}, {"seconds": float("nan")}, {"corrections": 9}, {"order": 0}):
        values = {"record_id": 1, "order": 1, "started_at": T0, "seconds": 1.0, "keys": 3,
                  "corrections": 0, **bad}
        with pytest.raises(ValueError):
            KeystrokeMeasure(**values)


def test_child_values_have_libchild_canonical_fields_in_order():
    assert tuple(a.name for a in attrs.fields(ChildValues)) == CANONICAL_FIELDS


def test_an_empty_register_scores_zero_and_misses_everything():
    result = score_trainee(MESSY, TraineeRecords("Trống"))
    assert (result.accuracy, result.correct) == (0.0, 0)
    assert len(result.missed) == len(MESSY.key.children) and result.lessons_caught == 0
    assert result.missed_books == tuple(p.book_number for p in MESSY.pages)


_TEXT = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(
    ["", " ", "31/02/2019", "2019-13-01", "Nam", "DB04", "014212007790", "Lò Thị Mai", "\x00",
     "ư" * 200, "L\u00adêng ThÞ Hoa"]))
_CHILD = st.builds(
    ChildValues, personal_id=_TEXT, full_name=_TEXT, sex=_TEXT, birth_date=_TEXT,
    ethnicity=_TEXT, schooling=_TEXT, father_name=_TEXT, death_date=_TEXT,
    circumstances=st.lists(st.builds(CircumstanceValue, code=st.text(max_size=5), start=_TEXT,
                                     end=_TEXT), max_size=3).map(tuple),
    supports=st.lists(st.builds(SupportValue, form=st.text(max_size=5), date=_TEXT),
                      max_size=3).map(tuple))
_HOUSEHOLD = st.builds(HouseholdValues, book_number=_TEXT, village=_TEXT, address=_TEXT,
                       poverty=_TEXT, adults=st.lists(st.builds(
                           AdultValues, name=_TEXT, personal_id=_TEXT, relation=_TEXT),
                           max_size=4).map(tuple))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_HOUSEHOLD, max_size=4), st.lists(st.tuples(
    _CHILD, st.integers(-1, 5), st.integers(-3, 5), st.lists(st.text(max_size=20), max_size=3),
    st.one_of(st.none(), st.integers(0, 5))), max_size=8))
def test_any_register_content_is_scored_never_crashes(households, children):
    records = TraineeRecords("x", tuple(EnteredHousehold(i, h) for i, h in enumerate(households)),
                             tuple(EnteredChild(i, hid, order, values, tuple(issues),
                                                merged_into=merged)
                                   for i, (values, hid, order, issues, merged)
                                   in enumerate(children)))
    result = score_trainee(MESSY, records)
    assert 0.0 <= result.accuracy <= 1.0 and result.correct <= result.checked
    assert render_result(result)
