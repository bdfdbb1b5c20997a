"""The demo generator: realistic, consistent, deterministic synthetic registers."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import pytest

from tui.demo import UnknownCommuneError, generate
from tui.demo.idnumbers import IdFactory, century_sex_digit
from tui.demo.names import STYLES
from tui.demo.problems import PROBLEM_FIELDS

ON = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo():
    return generate(5000, seed=7, on=ON)


def _age_years(birth: date) -> int:
    return ON.year - birth.year - ((ON.month, ON.day) < (birth.month, birth.day))


def test_same_seed_gives_the_same_register():
    first = generate(300, seed=42, on=ON)
    second = generate(300, seed=42, on=ON)
    assert first.children == second.children
    assert first.households == second.households
    assert first.caregivers == second.caregivers
    assert generate(300, seed=43, on=ON).children != first.children


def test_exact_count_and_default_commune(demo):
    assert len(demo.children) == 5000
    assert demo.commune_code == "03808"
    assert demo.commune_name == "Xã Mường La"
    assert demo.province_code == "14"
    assert {c["commune_code"] for c in demo.children} == {"03808"}
    assert {c["province_code"] for c in demo.children} == {"14"}


def test_households_have_one_to_four_children_and_book_numbers(demo):
    per_household = Counter(c["household_id"] for c in demo.children if c["household_id"])
    dup_copies = {copy for _, copy in demo.duplicates}
    base = Counter(
        c["household_id"] for i, c in enumerate(demo.children) if i not in dup_copies
    )
    assert set(base.values()) <= {1, 2, 3, 4}
    assert len(per_household) == len(demo.households)
    books = [h["book_number"] for h in demo.households]
    assert len(set(books)) == len(books)
    assert {h["poverty"] for h in demo.households} == {"none", "poor", "near_poor"}


def test_villages_are_plausible_for_a_mountain_commune(demo):
    assert all(v.startswith(("Bản ", "Tiểu khu ")) for v in demo.villages)
    assert sum(v.startswith("Bản ") for v in demo.villages) > len(demo.villages) / 2
    assert len(set(demo.villages)) == len(demo.villages)
    assert {c["village"] for c in demo.children} <= set(demo.villages)


def test_a_ward_elsewhere_has_street_groups_and_mostly_kinh():
    data = generate(600, seed=3, commune_code="00004", on=ON)  # Phường Ba Đình, Hà Nội
    assert all(v.startswith("Tổ dân phố ") for v in data.villages)
    ethnicities = Counter(c["ethnicity"] for c in data.children)
    assert ethnicities.most_common(1)[0][0] == "01"
    assert {c["personal_id"][:3] for c in data.children if len(c["personal_id"]) == 12} == {
        "001"
    }


def test_unknown_commune_is_refused():
    with pytest.raises(UnknownCommuneError):
        generate(10, commune_code="99999", on=ON)


def test_count_is_bounded():
    with pytest.raises(ValueError):
        generate(300_001, on=ON)


def test_ethnic_mix_of_muong_la(demo):
    counts = Counter(c["ethnicity"] for c in demo.children if c["ethnicity"])
    order = [code for code, _ in counts.most_common()]
    assert order[0] == "03"  # Thái
    assert counts["03"] > 0.5 * sum(counts.values())
    assert set(order[1:3]) == {"01", "08"}  # then Kinh and HMông
    assert {"29", "33", "09"} <= set(counts)  # Khơ-mú, Kháng, Dao present


def test_names_fit_the_ethnic_group(demo):
    hmong_families = set(STYLES["hmong"].families)
    thai_families = set(STYLES["thai"].families)
    problem_rows = set(demo.problems) | {copy for _, copy in demo.duplicates}
    for i, child in enumerate(demo.children):
        name = child["full_name"]
        assert unicodedata.is_normalized("NFC", name)
        if i in problem_rows:
            continue
        family = name.split()[0]
        father = child["father_name"]
        if child["ethnicity"] == "08" and father and father.split()[0] in hmong_families:
            assert family in hmong_families
        if child["ethnicity"] == "03" and father and father.split()[0] in thai_families:
            assert family in thai_families
        assert name.split()[1] in ("Thị", "Thu", "Văn", "Xuân", "A", "Seo", "Chứ", "Đức",
                                   "Minh", "Quang", "Hữu", "Thành", "Tiến", "Ngọc", "Thanh",
                                   "Hồng", "Phương", "Kim", "Tà", "Láo", "Mùi", "Công")


def test_id_numbers_match_sex_birth_year_and_province(demo):
    ids = [
        c["personal_id"]
        for i, c in enumerate(demo.children)
        if i not in demo.problems and c["personal_id"]
    ]
    checked = 0
    for i, child in enumerate(demo.children):
        if i in demo.problems or not child["personal_id"]:
            continue
        number, birth = child["personal_id"], child["birth_date"]
        assert len(number) == 12 and number.isdigit()
        assert number[:3] == "014"  # birth registered in Sơn La
        assert int(number[3]) == century_sex_digit(child["sex"], birth.year)
        assert number[4:6] == f"{birth.year % 100:02d}"
        checked += 1
    assert checked > 4000
    # Numbers repeat only where a duplicate was planted with the same number.
    same_id_copies = sum(
        1 for o, c in demo.duplicates
        if demo.children[c]["personal_id"] == demo.children[o]["personal_id"]
    )
    assert len(ids) - len(set(ids)) == same_id_copies
    for carer in demo.caregivers:
        number = carer["personal_id"]
        assert len(number) == 12
        assert int(number[3]) == century_sex_digit(carer["sex"], carer["birth_year"])
        assert number[4:6] == f"{carer['birth_year'] % 100:02d}"
    carer_ids = {c["personal_id"] for c in demo.caregivers}
    assert len(carer_ids) == len(demo.caregivers)
    assert not carer_ids & set(ids)


def test_id_factory_never_repeats_within_a_group():
    from random import Random

    factory = IdFactory(Random(1))
    numbers = [factory.issue("014", "2", 2015) for _ in range(20000)]
    assert len(set(numbers)) == 20000
    assert all(n.startswith("014315") for n in numbers)


def test_birth_dates_spread_over_childhood_with_some_aged_16_or_more(demo):
    ages = Counter(
        _age_years(c["birth_date"])
        for i, c in enumerate(demo.children)
        if i not in demo.problems
    )
    assert set(ages) == set(range(18))
    older = ages[16] + ages[17]
    assert 0.01 * len(demo.children) < older < 0.10 * len(demo.children)


def test_about_ten_percent_have_one_step_3_problem(demo):
    share = len(demo.problems) / len(demo.children)
    assert 0.09 <= share <= 0.11
    kinds = Counter(demo.problems.values())
    assert set(kinds) == set(PROBLEM_FIELDS)
    for index, kind in demo.problems.items():
        child = demo.children[index]
        if kind == "id_missing":
            assert child["personal_id"] == ""
        elif kind == "id_format":
            number = child["personal_id"]
            assert len(number) != 12 or not number.isdigit()
        elif kind == "parents_missing":
            assert not (child["father_name"] or child["mother_name"] or child["caregiver_name"])
        elif kind == "ethnicity_missing":
            assert child["ethnicity"] == ""
        elif kind == "birth_date_missing":
            assert child["birth_date"] is None
        elif kind == "birth_date_future":
            assert child["birth_date"] > ON
        elif kind == "sex_missing":
            assert child["sex"] == ""
        elif kind == "name_invalid":
            assert any(ch.isdigit() for ch in child["full_name"])


def test_clean_rows_are_complete(demo):
    for i, child in enumerate(demo.children):
        if i in demo.problems:
            continue
        assert child["full_name"] and child["sex"] in ("1", "2") and child["ethnicity"]
        assert child["birth_date"] <= ON
        assert child["caregiver_name"] and child["caregiver_id"]
        assert child["father_name"] or child["mother_name"]
        assert child["schooling"]


def test_circumstances_follow_the_rules(demo):
    poverty = {h["id"]: h["poverty"] for h in demo.households}
    special = 0
    for i, child in enumerate(demo.children):
        codes = child["circumstances"]
        special += any(code.startswith("DB") for code in codes)
        if "DB14" in codes:
            assert poverty[child["household_id"]] in ("poor", "near_poor")
            assert "NC02" in codes
        if "NC02" in codes:
            assert poverty[child["household_id"]] in ("poor", "near_poor")
        if "DB07" in codes:
            assert child["schooling"] == "08"
        if "NC01" in codes:
            assert not any(code.startswith("DB") for code in codes)
        if child["death_date"] is not None:
            assert "KH02" in codes
            assert all(s["date"] <= child["death_date"] for s in child["supports"])
        if any(s["form"] in ("TG01", "TG02", "TG03") for s in child["supports"]):
            assert any(code.startswith("DB") for code in codes)
        if i not in demo.problems:
            assert all(child["birth_date"] <= s["date"] <= ON for s in child["supports"])
    assert 0.01 * len(demo.children) < special < 0.08 * len(demo.children)
    supported = sum(
        1 for c in demo.children
        if any(code.startswith("DB") for code in c["circumstances"]) and c["supports"]
    )
    assert 0 < supported < special  # most supported, a few left for the "not yet" list


def test_planted_duplicates_resemble_their_original(demo):
    assert len(demo.duplicates) >= 3
    for original, copy in demo.duplicates:
        a, b = demo.children[original], demo.children[copy]
        assert a["birth_date"] == b["birth_date"]
        assert a["household_id"] == b["household_id"]
        assert a["caregiver_name"] == b["caregiver_name"]
        assert original not in demo.problems


def test_validate_flags_each_planted_problem(demo):
    import libchild

    for index, kind in demo.problems.items():
        record = {k: v for k, v in demo.children[index].items() if k != "household_id"}
        issues = libchild.validate(record, on=ON)
        fields = {issue.field for issue in issues}
        expected = PROBLEM_FIELDS[kind]
        if kind == "parents_missing":
            assert fields & {"father_name", "mother_name", "caregiver_name", "caregiver_id"}
        else:
            assert expected in fields, (kind, record, issues)


def test_libchild_finds_every_planted_duplicate_and_siblings_differ(demo):
    import libchild
    from libchild.text.fold import fold

    rows = [{k: v for k, v in c.items() if k != "household_id"} for c in demo.children]
    found = {(p.left, p.right) for p in libchild.find_duplicates(rows)}
    for original, copy in demo.duplicates:
        assert (original, copy) in found or (copy, original) in found
    copies = {copy for _, copy in demo.duplicates}
    seen: dict[int, set[str]] = {}
    for i, child in enumerate(demo.children):
        if i in copies or i in demo.problems:
            continue
        names = seen.setdefault(child["household_id"], set())
        assert fold(child["full_name"]) not in names
        names.add(fold(child["full_name"]))


def test_rows_without_a_planted_problem_pass_libchild_rules(demo):
    import libchild

    copies = {copy for _, copy in demo.duplicates}
    over_16 = 0
    for i, child in enumerate(demo.children):
        if i in demo.problems or i in copies:
            continue
        record = {k: v for k, v in child.items() if k != "household_id"}
        issues = libchild.validate(record, on=ON)
        assert not [x for x in issues if x.severity == "error"], (record, issues)
        warnings = {x.code for x in issues if x.severity == "warning"}
        assert warnings <= {"age.over_16"}, (record, issues)
        over_16 += "age.over_16" in warnings
    assert over_16 > 0  # the "aged 16 and over" list is populated
