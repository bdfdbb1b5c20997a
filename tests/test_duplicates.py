"""Duplicate candidates: what a reviewer relies on (found, not proposed, scored, explained).

The labelled synthetic registers are in ``fixtures/duplicate_sets.py``; the full-size
figures (20,000 and 300,000 children) are measured by benchmarks/bench_duplicates.py.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest
from fixtures.duplicate_sets import DUPLICATE_KINDS, EVALUATION_SEEDS, generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libchild.duplicates import (
    REASONS,
    REVIEW_THRESHOLD,
    DuplicateIndex,
    DuplicatePair,
    find_duplicates,
)
from libchild.duplicates.compare import CELLS, relations_of_cell
from libchild.duplicates.model import AGAINST_CAP, CELL_REASONS, CELL_SCORES, against
from libchild.messages import DUPLICATE_REASONS, duplicate_reason_label
from libchild.model import Child

MOTHER = "Trần Thị Hoa"


def pairs_of(records, **kwargs) -> dict[tuple[int, int], DuplicatePair]:
    return {(p.left, p.right): p for p in find_duplicates(records, **kwargs)}


def child(name: str, birth: str, **fields) -> dict:
    return {"full_name": name, "birth_date": birth, "sex": "1", "mother_name": MOTHER,
            "commune_code": "03808", **fields}


# -- the labelled sets ------------------------------------------------------------------------

def _quality(pools: str, n: int) -> tuple[float, float, list]:
    data = generate(n, duplicates=n // 40, twins=n * 3 // 200, pools=pools,
                    seed=EVALUATION_SEEDS[pools])
    found = find_duplicates(data.records)
    truth = set(data.duplicates)
    hits = sum((p.left, p.right) in truth for p in found)
    return hits / len(found), hits / len(truth), [(p, (p.left, p.right) in truth) for p in found]


def test_precision_and_recall_at_the_review_threshold_on_the_labelled_set() -> None:
    precision, recall, _ = _quality("realistic", 6_000)
    assert precision >= 0.9 and recall >= 0.95, (precision, recall)


def test_precision_with_small_name_pools() -> None:
    precision, recall, _ = _quality("small", 6_000)
    assert precision >= 0.8 and recall >= 0.95, (precision, recall)


def test_scores_read_as_probabilities() -> None:
    """Among proposed pairs, the mean score is close to the share of true duplicates."""
    _, _, scored = _quality("realistic", 8_000)
    mean_score = sum(p.score for p, _ in scored) / len(scored)
    share = sum(ok for _, ok in scored) / len(scored)
    assert abs(mean_score - share) < 0.05, (mean_score, share)


def test_every_planted_kind_is_found_and_look_alikes_are_not() -> None:
    data = generate(8_000, duplicates=280, twins=120, seed=EVALUATION_SEEDS["realistic"])
    found = {(p.left, p.right) for p in find_duplicates(data.records)}
    for kind in DUPLICATE_KINDS:
        planted = [pair for pair, k in data.kinds.items() if k == kind]
        hits = sum(pair in found for pair in planted)
        assert len(planted) >= 30 and hits >= 0.9 * len(planted), (kind, hits, len(planted))
    for what in ("twins", "siblings", "namesakes"):
        pairs = {(min(a, b), max(a, b)) for a, b in getattr(data, what)}
        assert len(pairs & found) <= 0.1 * len(pairs), what


# -- each planted kind, by hand ---------------------------------------------------------------

@pytest.mark.parametrize(("first", "second", "reason"), [
    # typo (a letter replaced, deleted, inserted, two swapped, a space lost)
    (child("Nguyễn Văn Bình", "05/03/2016"), child("Nguyễn Văn Bìnhh", "05/03/2016"),
     "name_one_typo_same_birth"),
    (child("Nguyễn Văn Bình", "05/03/2016"), child("Ngyuễn Văn Bình", "05/03/2016"),
     "name_one_typo_same_birth"),
    (child("Nguyễn Văn Bình", "05/03/2016"), child("Nguyễn VănBình", "05/03/2016"),
     "name_one_typo_same_birth"),
    # no diacritics, with or without the mother's name
    (child("Nguyễn Thị Thu Hà", "01/07/2015", sex="2"),
     {"full_name": "Nguyen Thi Thu Ha", "birth_date": date(2015, 7, 1), "sex": "2"},
     "name_diacritics_only_same_birth"),
    # day and month swapped, no caregiver evidence at all
    ({"full_name": "Lò Văn Páo", "birth_date": "2015-05-09"},
     {"full_name": "Lò Văn Páo", "birth_date": "2015-09-05"},
     "similar_name_day_month_swapped"),
    # minority-name spelling variants
    (child("Giàng A Sử", "12/10/2018"), child("Dàng A Sử", "12/10/2018"),
     "name_variant_same_birth"),
    (child("Vàng A Páo", "12/10/2018"), child("Vàng Páo", "12/10/2018"),
     "name_variant_same_birth"),
    (child("Sùng Thị Dợ", "03/02/2019", sex="2"), child("Xùng Thị Dợ", "03/02/2019", sex="2"),
     "name_variant_same_birth"),
    # one record with an ID number, the other without
    (child("Lò Thị Mai", "20/11/2017", sex="2", personal_id="014317000123"),
     child("Lò Thị Mai", "20/11/2017", sex="2"), "same_name_close_birth"),
    # the birth date a few days off
    (child("Quàng Văn Ún", "12/04/2020"), child("Quàng Văn Ún", "14/04/2020"),
     "same_name_close_birth"),
])
def test_planted_kind_is_proposed(first: dict, second: dict, reason: str) -> None:
    found = pairs_of([first, {"full_name": "Lê Văn Cường", "birth_date": "01/01/2014"},
                      second])
    assert list(found) == [(0, 2)]
    assert found[(0, 2)].score >= REVIEW_THRESHOLD
    assert found[(0, 2)].reasons[0] == reason


def test_same_personal_id_is_proposed_whatever_else_differs() -> None:
    found = pairs_of([
        {"personal_id": "001216000123", "full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
        {"personal_id": "001 216 000 123", "full_name": "Trần Thị Bình",
         "birth_date": "01/01/2014", "sex": "2"},
        {"personal_id": "001216000999", "full_name": "Lê Văn Cường"},
    ], min_score=0.0)
    assert list(found) == [(0, 1)]
    assert found[(0, 1)].reasons == ("same_personal_id",)


def test_exact_copy_lists_the_stable_reasons_first() -> None:
    record = child("Trần Minh Khôi", "05/03/2016", personal_id="001216000123",
                   caregiver_id="001185000456")
    pair = pairs_of([record, dict(record)])[(0, 1)]
    assert pair.reasons == ("same_personal_id", "same_name_close_birth",
                            "same_name_same_caregiver")
    assert pair.score > 0.99


# -- evidence against ------------------------------------------------------------------------

def test_evidence_against_keeps_every_cell_below_the_threshold() -> None:
    """Whatever else agrees (the same ID number apart), any evidence against caps the score."""
    capped = 0
    for index in range(CELLS):
        rel = relations_of_cell(index)
        if against(rel):
            capped += 1
            assert CELL_SCORES[index] <= AGAINST_CAP < REVIEW_THRESHOLD, rel
    assert capped > CELLS // 3
    assert AGAINST_CAP < REVIEW_THRESHOLD


def test_siblings_years_apart_with_look_alike_names_are_not_proposed() -> None:
    records = [child("Nguyễn Văn An", "05/03/2015", father_name="Nguyễn Văn Tâm"),
               child("Nguyễn Văn Anh", "05/03/2019", father_name="Nguyễn Văn Tâm")]
    assert pairs_of(records) == {}
    found = pairs_of(records, min_score=0.0)  # compared: the same parents
    assert found[(0, 1)].reasons == ("name_one_typo_same_caregiver",
                                     "born_years_apart_same_parents")
    # the same two records with a shared caregiver ID instead of the parents' names
    for r in records:
        del r["mother_name"], r["father_name"]
        r["caregiver_id"] = "001185000456"
    assert pairs_of(records) == {}
    assert (0, 1) in pairs_of(records, min_score=0.0)


def test_two_valid_different_id_numbers_are_not_proposed() -> None:
    first = child("Lò Văn Páo", "15/03/2015", personal_id="014215001111")
    second = child("Lò Văn Páo", "15/03/2015", personal_id="014215002222")
    assert pairs_of([first, second]) == {}
    assert "different_personal_id" in pairs_of([first, second], min_score=0)[(0, 1)].reasons
    # one digit apart is a typing slip, and a caregiver's number typed in the child's
    # field (it does not fit the child's birth year) is no evidence against either
    slip = dict(second, personal_id="014215001112")
    parent = dict(second, personal_id="014185002222")
    assert pairs_of([first, slip])[(0, 1)].score >= REVIEW_THRESHOLD
    assert pairs_of([first, parent])[(0, 1)].score >= REVIEW_THRESHOLD


def test_different_sex_is_not_proposed() -> None:
    records = [child("Nguyễn Minh Anh", "05/03/2016", sex="2"),
               child("Nguyễn Minh Anh", "05/03/2016", sex="1")]
    assert pairs_of(records) == {}
    assert "different_sex" in pairs_of(records, min_score=0)[(0, 1)].reasons


def test_twins_are_not_proposed() -> None:
    records = [child("Lò Văn Páo", "15/03/2015", personal_id="014215001111"),
               child("Lò Văn Pọm", "15/03/2015", personal_id="014215003333"),
               child("Lò Thị Pà", "15/03/2015", sex="2")]
    assert pairs_of(records) == {}


def test_namesakes_with_other_parents_are_not_proposed() -> None:
    records = [child("Lò Văn Páo", "15/03/2015", father_name="Lò Văn Tòng"),
               child("Lò Văn Páo", "01/04/2015", mother_name="Quàng Thị Ín",
                     father_name="Lò Văn Sơn")]
    assert pairs_of(records) == {}
    assert "different_parents" in pairs_of(records, min_score=0)[(0, 1)].reasons


def test_same_same_id_number_overrides_evidence_against() -> None:
    records = [child("Lò Văn Páo", "15/03/2015", personal_id="014215001111"),
               child("Lò Văn Páo", "15/03/2015", personal_id="014215001111", sex="2")]
    assert pairs_of(records)[(0, 1)].score >= REVIEW_THRESHOLD


# -- blocking, ordering, limits ---------------------------------------------------------------

def test_date_window_bounds_same_name_pairs() -> None:
    records = [{"full_name": "Nguyễn Văn An", "birth_date": "05/03/2016"},
               {"full_name": "NGUYỄN  VĂN AN", "birth_date": "15/03/2016"},
               {"full_name": "Nguyễn Văn An", "birth_date": "05/11/2016"}]
    assert set(pairs_of(records, min_score=0)) == {(0, 1)}
    assert set(pairs_of(records, min_score=0, date_window_days=400)) == {(0, 1), (0, 2),
                                                                          (1, 2)}


def test_sorted_by_score_then_position() -> None:
    records = [child("Phạm Gia Bảo", "05/03/2016"), child("Phạm Gia Bảo", "25/03/2016"),
               child("Vũ Ngọc Lan", "01/01/2015", sex="2"),
               child("Vũ Ngọc Lan", "01/01/2015", sex="2")]
    result = find_duplicates(records)
    assert [(p.left, p.right) for p in result] == [(2, 3), (0, 1)]
    assert result[0].score > result[1].score


def test_placeholder_ids_and_huge_blocks_do_not_explode() -> None:
    records = [{"personal_id": "000000000000", "full_name": f"Trẻ {i}", "birth_date": None,
                "caregiver_id": "014185000456"} for i in range(2000)]
    records += [{"full_name": "Chưa đặt tên", "birth_date": "01/01/2020"}] * 2000
    assert find_duplicates(records) == []


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
    assert set(pairs_of(records)) == {(0, 1)}


class _Broken:
    @property
    def full_name(self) -> str:
        raise RuntimeError("broken property")

    birth_date = property(lambda self: 1 / 0)


class _Weird:
    def __eq__(self, other: object) -> bool:
        raise TypeError("no comparison")

    def __str__(self) -> str:
        raise ValueError("no text")

    __hash__ = None  # type: ignore[assignment]


def test_objects_that_raise_are_skipped_not_fatal() -> None:
    records = [
        _Broken(),
        {"full_name": "Đinh Văn Tài", "birth_date": _Weird(), "personal_id": _Weird(),
         "sex": _Weird(), "mother_name": _Weird()},
        {"full_name": "Đinh Văn Tài", "birth_date": "02/02/2012"},
        {"full_name": "Dinh Van Tai", "birth_date": "02/02/2012"},
    ]
    assert set(pairs_of(records)) == {(2, 3)}


def test_empty_input() -> None:
    assert find_duplicates([]) == []
    assert find_duplicates(iter([{"full_name": "Nguyễn Văn An"}])) == []


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
    # every cell that can be proposed is explained by at least one reason for a match
    positive = set(REASONS[:12])
    assert all(not r or r[0] in positive for r in CELL_REASONS)


# -- hostile input (hypothesis) ---------------------------------------------------------------

anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["Nguyễn Văn An", "Nguyen Van Anh", "  ", "05/03/2016", "2016-03-05",
                     "31/02/2016", "014216000123", "000000000000", "Nam", "Nữ", "2",
                     "\u200b", "a" * 500]),
    st.dates(), st.lists(st.integers(), max_size=3), st.just(10**5000), st.builds(object),
)
FIELDS = ("personal_id", "full_name", "birth_date", "sex", "caregiver_id", "caregiver_name",
          "mother_name", "father_name", "commune_code")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, anything)),
                max_size=12))
def test_never_raises_on_bad_fields(records: list[dict]) -> None:
    for min_score in (0.0, REVIEW_THRESHOLD):
        result = find_duplicates(records, min_score=min_score)
        seen = set()
        for pair in result:
            assert 0 <= pair.left < pair.right < len(records)
            assert min_score <= pair.score <= 1.0
            assert pair.reasons and all(r in REASONS for r in pair.reasons)
            assert (pair.left, pair.right) not in seen
            seen.add((pair.left, pair.right))
        assert [p.score for p in result] == sorted((p.score for p in result), reverse=True)
    index = DuplicateIndex(enumerate(records))
    for record in records:
        index.match(record)


letters = st.text(alphabet="abcdeghiklmnoprstuvxy", min_size=3, max_size=7)


@settings(max_examples=150, deadline=None)
@given(st.lists(letters, min_size=2, max_size=4), st.data())
def test_blocking_compares_every_one_letter_typo(words: list[str], data: st.DataObject) -> None:
    """On the same birth date, names one typo apart are always compared (words of three
    letters or more; see libchild.duplicates.blocking)."""
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
    from libchild.duplicates import prepare_all
    from libchild.duplicates.blocking import candidate_pairs

    recs = prepare_all([{"full_name": name, "birth_date": "05/03/2016"},
                        {"full_name": typo, "birth_date": "05/03/2016"}])
    assert list(candidate_pairs(recs, 31)) == [(0, 1)]


# -- incremental matching ---------------------------------------------------------------------

def _batch_pairs_of_last(records: list, min_score: float) -> dict[int, tuple]:
    """The batch pairs of the last record: position of the other -> (score, reasons)."""
    last = len(records) - 1
    return {p.left: (p.score, p.reasons)
            for p in find_duplicates(records, min_score=min_score) if p.right == last}


def test_incremental_matching_gives_the_batch_pairs_on_the_labelled_set() -> None:
    """Each record matched against an index of all the others gets exactly the pairs the
    batch run over the whole set gives it (duplicates, twins, siblings and others)."""
    data = generate(6_000, duplicates=150, twins=90, seed=EVALUATION_SEEDS["realistic"])
    records = data.records
    batch: dict[int, dict[int, tuple]] = {}
    for p in find_duplicates(records, min_score=0.0):
        batch.setdefault(p.left, {})[p.right] = (p.score, p.reasons)
        batch.setdefault(p.right, {})[p.left] = (p.score, p.reasons)
    index = DuplicateIndex(enumerate(records))
    chosen = sorted({i for pair in data.duplicates[:60] + data.twins[:30] for i in pair}
                    | set(random.Random(5).sample(range(len(records)), 60)))
    for key in chosen:
        index.remove(key)
        for min_score in (0.0, REVIEW_THRESHOLD):
            got = {m.key: (m.score, m.reasons)
                   for m in index.match(records[key], min_score=min_score)}
            expected = {k: v for k, v in batch.get(key, {}).items() if v[0] >= min_score}
            assert got == expected, key
        index.add(key, records[key])
    assert len(index) == len(records)
    assert sum(bool(batch.get(k)) for k in chosen) >= 100


names_pool = st.sampled_from(["Giàng A Sử", "Dàng Sử", "Giàng A Sủ", "Lò Văn Páo", "Lo Van Pao",
                              "Lò Văn Pao", "Lò Văn Pọm", "Lò Thị Pà", "Vàng Páo", "Vàng A Páo"])
days = st.sampled_from(["09/05/2015", "05/09/2015", "10/05/2015", "09/05/2016", "20/05/2015"])
small_records = st.lists(st.fixed_dictionaries({
    "full_name": names_pool, "birth_date": days,
    "sex": st.sampled_from(["1", "2", None]),
    "personal_id": st.sampled_from([None, "014215001111", "014215001112", "014215009999"]),
    "caregiver_id": st.sampled_from([None, "014185000456"]),
    "mother_name": st.sampled_from([None, "Sùng Thị Dợ", "Xùng Thị Dợ", "Lò Thị Mai"]),
}), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(small_records)
def test_incremental_matching_equals_batch_on_crowded_sets(records: list[dict]) -> None:
    index = DuplicateIndex(enumerate(records[:-1]))
    got = {m.key: (m.score, m.reasons) for m in index.match(records[-1], min_score=0.0)}
    assert got == _batch_pairs_of_last(records, 0.0)


def test_index_remove_and_replace() -> None:
    index = DuplicateIndex()
    index.add("a", child("Lò Văn Páo", "15/03/2015"))
    index.add("b", child("Lò Thị Mai", "01/02/2016", sex="2"))
    assert [m.key for m in index.match(child("Lo Van Pao", "15/03/2015"))] == ["a"]
    # "a" corrected to another child: the old version no longer matches
    assert index.replace("a", child("Lò Văn Sơn", "15/03/2015")) == []
    assert index.match(child("Lo Van Pao", "15/03/2015")) == []
    index.remove("a")
    index.remove("missing")
    assert len(index) == 1 and "b" in index and "a" not in index
