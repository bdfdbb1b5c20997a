"""Training scenarios (issue 12 item 1): every shipped file loads and is clean, broken
files are refused with Vietnamese messages naming the place."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

import libchild
from libchild.ids import cccd
from tui.training.answer_key import book_key
from tui.training.loader import ScenarioError, find_scenario, load_scenario, load_shipped, load_text
from tui.training.scenario import Action
from tui.training.values import child_record

SHIPPED = load_shipped()


def test_at_least_five_graded_scenarios_from_first_household_to_messy_list():
    assert len(SHIPPED) >= 5
    levels = [s.level for s in SHIPPED]
    assert levels == sorted(levels) and len(set(levels)) == len(levels)
    assert SHIPPED[0].title == "Hộ đầu tiên"
    assert SHIPPED[-1].title == "Danh sách thôn lộn xộn"
    assert len({s.id for s in SHIPPED}) == len(SHIPPED)
    # the last one is the biggest: more pages and children than the first
    assert len(SHIPPED[-1].key.children) > 3 * len(SHIPPED[0].key.children)


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda s: s.id)
def test_every_key_value_passes_validate_except_what_a_flag_lesson_names(scenario):
    flagged: dict[tuple[str, int], set[str]] = {}
    for lesson in scenario.lessons:
        if lesson.action is Action.FLAG:
            flagged.setdefault((lesson.child.book_number, lesson.child.order), set()).add(
                lesson.code)
    for child in scenario.key.children:
        codes = {i.code for i in libchild.validate(child_record(child.values,
                                                                scenario.reference_date),
                                                   on=scenario.reference_date)}
        assert codes == flagged.get((child.ref.book_number, child.ref.order), set()), child.ref
        # the key is already clean: cleaning it again changes nothing
        again = libchild.clean(child_record(child.values, scenario.reference_date),
                               on=scenario.reference_date).record
        for field in ("full_name", "sex", "birth_date", "ethnicity", "schooling", "personal_id"):
            assert again[field] == getattr(child.values, field)


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda s: s.id)
def test_scenarios_are_synthetic_and_consistent(scenario):
    numbers = [c.values.personal_id for c in scenario.key.children if c.values.personal_id]
    numbers += [a.personal_id for h in scenario.key.households for a in h.adults
                if a.personal_id]
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert cccd.is_valid(number)
    assert all(date.fromisoformat(c.values.birth_date) <= scenario.reference_date
               for c in scenario.key.children)
    assert len({book_key(p.book_number) for p in scenario.pages}) == len(scenario.pages)
    for page in scenario.pages:
        for text in (page.village, page.note, *(c.full_name for c in page.children)):
            assert unicodedata.is_normalized("NFC", text)


def test_the_shipped_lessons_cover_what_issue_12_lists():
    codes = {(lesson.action, lesson.code) for s in SHIPPED for lesson in s.lessons}
    assert (Action.AVOID, "full_name.legacy_encoding") in codes   # TCVN3 name, old list
    assert (Action.FLAG, "personal_id.sex_mismatch") in codes     # ID disagrees with sex
    assert (Action.FLAG, "age.over_16") in codes                  # a child aged 16
    assert (Action.FLAG, "personal_id.missing") in codes          # a missing ID
    assert any(action is Action.MERGE for action, _ in codes)     # a likely duplicate
    special = [c for s in SHIPPED for c in s.key.children
               if any(x.code.startswith("DB") for x in c.values.circumstances)]
    assert special and any(  # a child in a special circumstance carries a lesson
        lesson.child == c.ref for s in SHIPPED for lesson in s.lessons for c in special)


def test_the_old_font_page_is_written_in_tcvn3_and_the_key_holds_unicode():
    scenario = load_scenario(find_scenario("04-danh-sach-cu"))
    written = scenario.pages[0].children[0].full_name
    assert libchild.text.detect_legacy(written) == "tcvn3"
    assert scenario.key.children[0].values.full_name == "Lường Thị Hoa"


def test_find_scenario_by_id_and_unknown_name():
    assert find_scenario("03-hoan-canh-dac-biet").name == "03-hoan-canh-dac-biet.toml"
    with pytest.raises(ScenarioError) as raised:
        find_scenario("khong-co")
    assert "Không tìm thấy kịch bản «khong-co»" in str(raised.value)
    assert "01-ho-dau-tien" in str(raised.value)


# --- broken files ---------------------------------------------------------------------
HEAD = """
[scenario]
id = "thu"
title = "Thử"
level = 1
reference_date = 2025-09-01
commune_code = "03808"
"""

PAGE = """
[[pages]]
book_number = "T-1"
village = "Bản Nà Tòng"
poverty = "Không"

  [[pages.adults]]
  name = "Lò Văn Panh"
  personal_id = "014088003517"
  relation = "Cha"

  [[pages.adults]]
  name = "Quàng Thị Ón"
  personal_id = "014190002846"
  relation = "Mẹ"

  [[pages.children]]
  full_name = "Lò Thị Mai"
  sex = "Nữ"
  birth_date = "02/04/2017"
  personal_id = "014317004125"
  ethnicity = "Thái"
  schooling = "Tiểu học"
  father = 1
  mother = 2
"""


def problems(text: str) -> tuple[str, ...]:
    with pytest.raises(ScenarioError) as raised:
        load_text(text, "thu.toml")
    error = raised.value
    assert str(error).startswith("Không dùng được tệp kịch bản thu.toml")
    assert unicodedata.is_normalized("NFC", str(error))
    return error.problems


def test_a_minimal_file_loads():
    scenario = load_text(HEAD + PAGE, "thu.toml")
    assert scenario.province_code == "14"  # from the commune
    assert scenario.key.children[0].values.caregiver_id == "014190002846"  # the mother's


def test_toml_syntax_error_names_line_and_column():
    (problem,) = problems(HEAD + "[[pages]\n")
    assert problem.startswith("Sai cú pháp TOML ở dòng 8, cột 8: thường do thiếu dấu ngoặc")


def test_not_utf8_and_missing_file(tmp_path):
    bad = tmp_path / "latin1.toml"
    bad.write_bytes((HEAD + PAGE).encode("cp1258", "replace"))
    with pytest.raises(ScenarioError, match="không phải văn bản UTF-8"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="Không tìm thấy tệp"):
        load_scenario(tmp_path / "none.toml")
    good = tmp_path / "bom.toml"
    good.write_bytes(b"\xef\xbb\xbf" + (HEAD + PAGE).encode())
    assert load_scenario(good).id == "thu"


def test_every_structural_problem_is_reported_at_once():
    text = HEAD.replace('level = 1', 'level = "một"') + PAGE.replace(
        'full_name = "Lò Thị Mai"', 'ho_ten = "Lò Thị Mai"').replace(
        'personal_id = "014317004125"', 'personal_id = 14317004125')
    found = problems(text)
    assert "[scenario]: «level» phải là số nguyên" in found
    assert "trang T-1, trẻ 1: thiếu khóa «full_name»" in found
    assert any(p.startswith("trang T-1, trẻ 1: khóa «ho_ten» không có trong mẫu") for p in found)
    assert "trang T-1, trẻ 1: «personal_id» phải là chuỗi trong dấu ngoặc kép" in found


@pytest.mark.parametrize(("change", "expected"), [
    (("father = 1", "father = 3"), "trang T-1, trẻ 1: «father» = 3: trang chỉ có 2 người lớn"),
    (("father = 1", "father = 2"),
     "trang T-1, trẻ 1: «father» chỉ tới người lớn 2 nhưng người đó ghi quan hệ «Mẹ»"),
    (('birth_date = "02/04/2017"', 'birth_date = "31/02/2017"'),
     "trang T-1, trẻ 1: «birth_date» = «31/02/2017»: Ngày không tồn tại"),
    (('ethnicity = "Thái"', 'ethnicity = "Tháy"'),
     "trang T-1, trẻ 1: đáp án vẫn có vấn đề «Dân tộc không có trong danh mục 54 dân tộc.» "
     "(ethnicity.unknown)"),
    (('poverty = "Không"', 'poverty = "khá giả"'),
     "trang T-1: hộ nghèo ghi «khá giả» không hiểu được"),
    (('personal_id = "014088003517"', 'personal_id = "01408800351"'),
     "trang T-1, người lớn 1: Số định danh của người chăm sóc phải có 12 chữ số"),
])
def test_page_problems_name_the_place(change, expected):
    found = problems(HEAD + PAGE.replace(*change))
    assert any(p.startswith(expected) for p in found), found


def test_scenario_head_problems():
    assert any("mã xã «99999» không có trong danh mục" in p
               for p in problems(HEAD.replace("03808", "99999") + PAGE))
    assert any("xã Xã Mường La thuộc tỉnh 14, không phải tỉnh «01»" in p
               for p in problems(HEAD + 'province_code = "01"\n' + PAGE))
    assert any("mã kịch bản «Thử Một»" in p
               for p in problems(HEAD.replace('id = "thu"', 'id = "Thử Một"') + PAGE))


def test_two_pages_with_one_book_number():
    second = PAGE.replace("014317004125", "014317004126").replace('"T-1"', '"t-1 "')
    found = problems(HEAD + PAGE + second)
    assert any(p.startswith("trang t-1 : số sổ «t-1 » đã dùng cho một trang khác")
               for p in found), found


def test_seven_adults_are_more_than_the_entry_screen_takes():
    adult = '\n  [[pages.adults]]\n  name = "Lò Văn Ba"\n  relation = "chú"\n'
    page = PAGE.replace("  [[pages.children]]", adult * 4 + "  [[pages.children]]", 1)
    assert len(load_text(HEAD + page, "thu.toml").key.households[0].adults) == 6  # taken
    page = PAGE.replace("  [[pages.children]]", adult * 5 + "  [[pages.children]]", 1)
    assert "trang T-1: một sổ chỉ ghi tối đa 6 người lớn (như màn hình nhập), trang có 7" \
        in problems(HEAD + page)


LESSON = """
[[lessons]]
id = "bai"
book_number = "T-1"
child = 1
action = "{action}"
code = "{code}"
title = "Bài"
explain = "Giải thích"
"""


@pytest.mark.parametrize(("action", "code", "expected"), [
    ("flag", "personal_id.missing",
     "bài học bai: đáp án của trẻ không có vấn đề personal_id.missing"),
    ("flag", "birth_date.future", "bài học bai: mã birth_date.future là lỗi chặn lưu"),
    ("flag", "khong.co", "bài học bai: mã «khong.co» không phải mã vấn đề của libchild"),
    ("avoid", "full_name.legacy_encoding",
     "bài học bai: trang ghi không sinh ra vấn đề full_name.legacy_encoding"),
    ("merge", "same_personal_id",
     "bài học bai: bài học «merge» phải nói về một lần ghi trùng"),
    ("learn", "personal_id.missing", "bài học bai: «action» = «learn» không hợp lệ"),
])
def test_lessons_must_be_planted(action, code, expected):
    found = problems(HEAD + PAGE + LESSON.format(action=action, code=code))
    assert any(p.startswith(expected) for p in found), found


def test_a_flag_lesson_allows_its_issue_on_the_key():
    text = HEAD + PAGE.replace('personal_id = "014317004125"', 'personal_id = ""')
    assert any("personal_id.missing" in p for p in problems(text))
    scenario = load_text(text + LESSON.format(action="flag", code="personal_id.missing"))
    assert scenario.key.children[0].values.personal_id is None


DUPLICATE = """
  [[pages.children]]
  full_name = "Lo Thi Mai"
  sex = "Nữ"
  birth_date = "2/4/2017"
  ethnicity = "Thái"
  schooling = "Tiểu học"
  mother = 2
  duplicate_of = { book_number = "T-1", child = 1 }
"""


def test_a_second_listing_needs_its_merge_lesson_with_a_reason_libchild_finds():
    text = HEAD + PAGE + DUPLICATE
    assert any("không có bài học «merge» nào" in p for p in problems(text))
    merge = LESSON.replace("child = 1", "child = 2")
    found = problems(text + merge.format(action="merge", code="same_personal_id"))
    assert any("không thấy hai lần ghi là trùng với lý do same_personal_id" in p
               and "name_diacritics_only_same_birth" in p for p in found)
    scenario = load_text(text + merge.format(action="merge",
                                             code="name_diacritics_only_same_birth"))
    assert len(scenario.key.children) == 1  # the second listing is not in the key
    wrong_target = DUPLICATE.replace("child = 1 }", "child = 5 }")
    assert any("«duplicate_of» chỉ tới trang T-1, trẻ 5, không có trẻ đó" in p
               for p in problems(HEAD + PAGE + wrong_target))


def test_expect_must_agree_with_the_key():
    text = HEAD + PAGE.replace('"Lò Thị Mai"', '"Lß ThÞ Mai"')
    lesson = LESSON.format(action="avoid", code="full_name.legacy_encoding")
    assert load_text(text + lesson + 'expect = "Lò Thị Mai"\n').key.children[0].values.full_name \
        == "Lò Thị Mai"
    found = problems(text + lesson + 'expect = "Lò Thị Mây"\n')
    assert any("«expect» = «Lò Thị Mây» nhưng đáp án của trường Họ và tên là «Lò Thị Mai»" in p
               for p in found)


def _paths(data, path=()):
    """Every (path, value) of nested TOML data."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _replaced(data, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: (_replaced(v, rest, value) if k == head else v) for k, v in data.items()}
    return [(_replaced(v, rest, value) if i == head else v) for i, v in enumerate(data)]


def test_hostile_values_anywhere_give_a_scenario_error_never_a_crash():
    import tomllib

    from tui.training.loader import load_data

    path = find_scenario("05-danh-sach-thon-lon-xon")
    data = tomllib.loads(path.read_text("utf-8"))
    hostile = [None, -1, 0, 10**12, "", " ", "\x00", "99/99/9999", [], {}, [1], [{}],
               date(1900, 1, 1), True, 1.5, "014218001297", {"book_number": "ML-101"}]
    tried = 0
    for where, _value in list(_paths(data))[1:]:
        for value in hostile:
            tried += 1
            try:
                load_data(_replaced(data, where, value), "x.toml")
            except ScenarioError as error:
                assert error.problems and all(isinstance(p, str) for p in error.problems)
    assert tried > 2000
