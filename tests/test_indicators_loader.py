"""Indicator files: the shipped plans load; a broken file is named in Vietnamese."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libchild.dates import age, born_by
from libchild.indicators import (
    Direction,
    IndicatorFileError,
    Unit,
    When,
    load_plan,
    load_plans,
    parse_plan,
)
from libchild.indicators.loader import builtin_plan_files, plan_from_dict

HEAD = "# source: Kế hoạch thử\n# date: 2026\n"
GOOD = HEAD + """
[plan]
id = "thu-2026"
name = "Kế hoạch thử"
document = "Kế hoạch số 1/KH-UBND"
issuer = "UBND xã"

[[indicator]]
id = "ty_le"
name = "Tỷ lệ trẻ em khuyết tật"
source = "Mục II"
unit = "%"
target = "0,5"
direction = "≤"
denominator = { age = [0, 4] }
numerator = { circumstance = ["DB04"] }
"""


def test_every_shipped_plan_loads_with_its_sources():
    plans = load_plans()
    assert set(plans) == {"son-la-2026", "ha-noi-ngoc-hoi-2026", "lang-son-chi-lang-2025",
                          "son-la-muong-la-2026"}
    assert len(builtin_plan_files()) == 4
    for plan in plans.values():
        assert plan.source and plan.date and plan.indicators
        for indicator in plan.indicators:
            assert indicator.source and indicator.name
    son_la = plans["son-la-2026"]
    special = son_la.indicator("ty_le_dac_biet")
    assert special.unit is Unit.PERCENT and special.direction is Direction.BELOW
    assert special.target == Fraction(64, 10)
    # "special" expands to the 15 DB codes of the catalogue
    assert len(special.numerator.circumstance) == 15
    assert son_la.indicator("dac_biet_duoc_tro_giup").target == 91
    # what the register cannot compute is said in the file, e.g. health insurance cards
    skipped = " ".join(n.name for n in plans["ha-noi-ngoc-hoi-2026"].not_computed)
    assert "BHYT" in skipped


def test_a_well_formed_file_is_read_exactly():
    plan = parse_plan(GOOD)
    indicator = plan.indicator("ty_le")
    assert indicator.target == Fraction(1, 2) and indicator.direction is Direction.AT_MOST
    assert indicator.denominator.age == (0, 4)
    assert indicator.numerator.circumstance == frozenset({"DB04"})
    assert indicator.numerator.circumstance_when is When.ON_DATE
    assert indicator.target_text() == "≤ 0,5%"


def test_plan_survives_its_canonical_form():
    for plan in load_plans().values():
        assert plan_from_dict(plan.to_dict()) == plan


@pytest.mark.parametrize(("change", "expected"), [
    (("\"DB04\"", "\"DB99\""), "mã \"DB99\" không có trong danh mục hoàn cảnh trẻ em"),
    (("target = \"0,5\"", "target = \"nửa\""), "chỉ tiêu kế hoạch \"nửa\" không phải số"),
    (("target = \"0,5\"", "target = -1"), "không phải số không âm"),
    (("age = [0, 4]", "tuoi = [0, 4]"), "điều kiện \"tuoi\" không có"),
    (("age = [0, 4]", "age = [3, 20]"), "độ tuổi phải là [từ, đến]"),
    (("direction = \"≤\"", "direction = \"nhỏ hơn\""), "hướng so sánh \"nhỏ hơn\""),
    (("unit = \"%\"", "unit = \"phần trăm\""), "đơn vị \"phần trăm\" không hợp lệ"),
    (("denominator = { age = [0, 4] }\n", ""), "tỷ lệ cần có mẫu số"),
    (("numerator = { circumstance", "numerator = { circumstance_when = \"sometimes\", "
                                    "circumstance"), "\"circumstance_when\" phải là"),
    (("[[indicator]]\nid = \"ty_le\"", "[[indicator]]\nid = \"Tỷ lệ\""), "chỉ được gồm chữ"),
])
def test_a_broken_file_is_refused_with_a_vietnamese_message(change, expected):
    old, new = change
    assert old in GOOD
    with pytest.raises(IndicatorFileError) as err:
        parse_plan(GOOD.replace(old, new), "tinh.toml")
    assert expected in str(err.value)
    assert "tinh.toml" in str(err.value)


def test_every_problem_is_listed_at_once():
    text = GOOD.replace("\"DB04\"", "\"DB99\"").replace("age = [0, 4]", "tuoi = 1")
    text += text[text.index("[[indicator]]"):]  # the same id twice
    with pytest.raises(IndicatorFileError) as err:
        parse_plan(text, "tinh.toml")
    assert len(err.value.problems) >= 3
    assert any("bị lặp lại" in p for p in err.value.problems)


def test_syntax_errors_and_missing_provenance_are_named():
    with pytest.raises(IndicatorFileError) as err:
        parse_plan(GOOD + "[[indicator]\n", "tinh.toml")
    line = GOOD.count("\n") + 1
    assert f"sai cú pháp TOML ở dòng {line}, cột" in str(err.value)
    with pytest.raises(IndicatorFileError) as err:
        parse_plan(GOOD.replace(HEAD, ""), "tinh.toml")
    assert "# source:" in str(err.value)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(IndicatorFileError, match="Không tìm thấy tệp chỉ tiêu"):
        load_plan(tmp_path / "khong-co.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"# source: K\xe9 ho\xb9ch\n")
    with pytest.raises(IndicatorFileError, match="Không đọc được tệp chỉ tiêu"):
        load_plan(bad)


def test_born_by_is_the_age_rule_turned_into_a_birth_date():
    day = date(2023, 12, 25)
    births = [date(2007, 1, 1) + timedelta(days=k) for k in range(0, 366 * 4, 1)]
    while day <= date(2025, 3, 5):
        for years in (0, 1, 5, 16):
            limit = born_by(day, years)
            for birth in births:
                if birth <= day:
                    assert (age(birth, day)[0] >= years) == (birth <= limit), (day, birth)
        day += timedelta(days=1 if day.month in (2, 3) else 17)


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=True),
              st.sampled_from(["DB04", "special", "any", "in_period", "%", "<", "", "x"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["age", "sex", "circumstance", "support", "alive", "target",
                                 "unit", "direction", "id", "name", "source", "numerator",
                                 "denominator", "personal_id", "x"]), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON, max_size=3), JSON)
def test_any_shape_of_file_gives_a_plan_or_vietnamese_problems(indicators, not_computed):
    data = {"id": "thu", "name": "thử", "document": "thử", "issuer": "thử",
            "source": "thử", "date": "2026", "indicators": indicators,
            "not_computed": not_computed if isinstance(not_computed, list) else []}
    try:
        plan_from_dict(data)
    except IndicatorFileError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
