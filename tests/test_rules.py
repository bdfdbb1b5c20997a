"""Unit tests of the rule engine: one test per rule, lenient input, clean()."""

from __future__ import annotations

from datetime import date

import pytest

from libchild.issues import Issue
from libchild.messages import MESSAGES
from libchild.model import CANONICAL_FIELDS, Child, Support, from_dict
from libchild.rules import Cleaned, clean, validate

ON = date(2025, 9, 1)

# A complete, correct record: a boy born 05/09/2018 in Xã Mường La, Sơn La.
# The ID numbers are synthetic and follow the structure of TT 07/2016:
# 014 (Sơn La) 2 (2000s, male) 18 (born 2018) + 6 digits.
BASE: dict = {
    "personal_id": "014218001234",
    "full_name": "Lò Văn Páo",
    "sex": "1",
    "birth_date": "2018-09-05",
    "ethnicity": "03",
    "nationality": "VN",
    "current_address": "Bản Mòng, xã Mường La",
    "address_detail": "Nhà số 3",
    "schooling": "04",
    "village": "Bản Mòng",
    "commune_code": "03808",
    "province_code": "14",
    "caregiver_id": "014085004321",
    "father_name": "Lò Văn Minh",
    "mother_name": "Quàng Thị Lan",
    "caregiver_name": None,
    "circumstances": [],
    "supports": [],
    "death_date": None,
}


def codes(record: object, on: date = ON) -> list[str]:
    return [i.code for i in validate(record, on=on)]


def test_base_record_has_no_issues() -> None:
    assert validate(BASE, on=ON) == []


def test_child_instance_validates_like_the_dict() -> None:
    child = from_dict({**BASE, "birth_date": "2018-09-05"})
    assert validate(child, on=ON) == []
    child.sex = "2"
    assert codes(child) == ["personal_id.sex_mismatch"]


ONE_RULE = [
    # (change to BASE, the code it must raise, its severity)
    ({"personal_id": None}, "personal_id.missing", "warning"),
    ({"personal_id": "   "}, "personal_id.missing", "warning"),
    ({"personal_id": "01421800123A"}, "personal_id.format", "error"),
    ({"personal_id": "０１４２１８００１２３４"}, "personal_id.format", "error"),
    ({"personal_id": "01421800123"}, "personal_id.length", "error"),
    ({"personal_id": "0142180012345"}, "personal_id.length", "error"),
    ({"personal_id": "999218001234"}, "personal_id.unknown_prefix", "warning"),
    ({"personal_id": "014318001234"}, "personal_id.sex_mismatch", "warning"),
    ({"personal_id": "014018001234"}, "personal_id.century_mismatch", "warning"),
    ({"personal_id": "014217001234"}, "personal_id.year_mismatch", "warning"),
    ({"caregiver_id": "014218001234"}, "personal_id.same_as_caregiver", "error"),
    ({"caregiver_id": "01408500432x"}, "caregiver_id.format", "error"),
    ({"caregiver_id": "0140850043"}, "caregiver_id.length", "error"),
    ({"full_name": None}, "full_name.missing", "error"),
    ({"full_name": "  "}, "full_name.missing", "error"),
    ({"full_name": "Lò Văn Páo 2"}, "full_name.digits", "error"),
    ({"full_name": "Lò Văn Páo @"}, "full_name.symbols", "error"),
    ({"full_name": "Páo"}, "full_name.single_word", "warning"),
    ({"father_name": "Lò V4n Minh"}, "father_name.digits", "error"),
    ({"mother_name": "Quàng Thị Lan #"}, "mother_name.symbols", "error"),
    ({"father_name": None, "mother_name": ""}, "parents.missing", "warning"),
    ({"sex": None}, "sex.missing", "error"),
    ({"sex": "X"}, "sex.unknown", "error"),
    ({"birth_date": None}, "birth_date.missing", "error"),
    ({"birth_date": "31/02/2018"}, "birth_date.invalid", "error"),
    ({"birth_date": "hôm qua"}, "birth_date.invalid", "error"),
    ({"birth_date": "02/09/2025", "personal_id": "014225001234"}, "birth_date.future", "error"),
    (
        {"birth_date": "2009-08-31", "personal_id": "014209001234", "schooling": "06"},
        "age.over_16",
        "warning",
    ),
    ({"death_date": "31/13/2024"}, "death_date.invalid", "error"),
    ({"death_date": "2025-09-02"}, "death_date.future", "error"),
    ({"death_date": "2018-09-04"}, "death_date.before_birth", "error"),
    ({"ethnicity": None}, "ethnicity.missing", "warning"),
    ({"ethnicity": "Klingon"}, "ethnicity.unknown", "error"),
    ({"ethnicity": "77"}, "ethnicity.unknown", "error"),
    ({"nationality": "Atlantis"}, "nationality.unknown", "error"),
    ({"province_code": "99"}, "province.unknown", "error"),
    ({"commune_code": None}, "commune.missing", "warning"),
    ({"commune_code": "99999"}, "commune.unknown", "error"),
    ({"commune_code": "00004"}, "commune.not_in_province", "error"),
    ({"schooling": "77"}, "schooling.unknown", "error"),
    ({"schooling": "06"}, "schooling.implausible_for_age", "warning"),
    ({"schooling": "02"}, "schooling.implausible_for_age", "warning"),
    ({"circumstances": ["XX99"]}, "circumstance.unknown", "error"),
    ({"supports": [{"form": "TG99", "date": "2025-03-15"}]}, "support.unknown_form", "error"),
    ({"supports": [{"form": "TG04"}]}, "support.date_missing", "warning"),
    ({"supports": [{"form": "TG04", "date": "32/01/2025"}]}, "support.date_invalid", "error"),
    ({"supports": [{"form": "TG04", "date": "2025-10-01"}]}, "support.date_future", "error"),
    ({"supports": [{"form": "TG04", "date": "2018-01-01"}]}, "support.before_birth", "error"),
    (
        {"death_date": "2024-01-01", "supports": [{"form": "TG04", "date": "2024-06-01"}]},
        "support.after_death",
        "error",
    ),
    (
        {"circumstances": ["DB07"], "supports": [{"form": "TG02", "date": "2025-03-15"}]},
        "rule.db07_needs_dropout",
        "warning",
    ),
    (
        {"circumstances": ["DB14"], "supports": [{"form": "TG01", "date": "2025-03-15"}]},
        "rule.db14_needs_poor",
        "warning",
    ),
    (
        {"circumstances": ["DB04", "NC01"], "supports": [{"form": "TG01", "date": "2025-03-15"}]},
        "rule.nc01_with_db",
        "warning",
    ),
    (
        {"circumstances": ["DB01"], "caregiver_id": None,
         "supports": [{"form": "TG04", "date": "2025-03-15"}]},
        "rule.orphan_no_caregiver",
        "warning",
    ),
    ({"supports": [{"form": "TG01", "date": "2025-03-15"}]}, "rule.support_without_db", "warning"),
    ({"circumstances": ["DB04"]}, "rule.db_not_supported", "info"),
    ({"circumstances": ["KH02"], "death_date": "2025-01-10"}, "rule.kh02_deceased", "info"),
    ({"address_detail": "Tổ 3 " * 101}, "address_detail.over_limit", "error"),
    ({"current_address": "x" * 501}, "current_address.over_limit", "error"),
    ({"village": "Bản " + "a" * 147}, "village.over_limit", "error"),
]


@pytest.mark.parametrize(("change", "code", "severity"), ONE_RULE, ids=[r[1] for r in ONE_RULE])
def test_each_rule_raises_exactly_its_code(change: dict, code: str, severity: str) -> None:
    issues = validate({**BASE, **change}, on=ON)
    assert [i.code for i in issues] == [code]
    assert issues[0].severity == severity == MESSAGES[code].severity
    assert issues[0].field in CANONICAL_FIELDS


def test_every_rule_code_is_exercised() -> None:
    tested = {code for _, code, _ in ONE_RULE} | {
        "rule.kh02_needs_death_date", "full_name.legacy_encoding", "full_name.too_long",
        "province.old_code", "record.invalid",
        "personal_id.duplicate",  # across records: tests/test_cli_check.py
        "catalogue.expired",  # needs an end-dated catalogue: tests/test_rules_expired.py
        "value.unreadable",  # clean() only: test_clean_keeps_the_name_beside_a_value_...
    }
    produced_by_rules = {c for c in MESSAGES if not c.startswith(
        ("father_name.", "mother_name.", "caregiver_name.", "full_name."))}
    assert produced_by_rules - tested == set()


def test_kh02_without_death_date_needs_one() -> None:
    assert codes({**BASE, "circumstances": ["KH02"]}) == [
        "rule.kh02_deceased", "rule.kh02_needs_death_date",
    ]


def test_legacy_encoded_name_is_an_error_and_clean_converts_it() -> None:
    from libchild.text import encode_legacy

    record = {**BASE, "full_name": encode_legacy("Lò Văn Páo", "tcvn3")}
    assert codes(record) == ["full_name.legacy_encoding"]
    assert MESSAGES["full_name.legacy_encoding"].severity == "error"
    cleaned = clean(record, on=ON)
    assert cleaned.record["full_name"] == "Lò Văn Páo"
    assert validate(cleaned.record, on=ON) == []


def test_very_long_name_is_flagged() -> None:
    assert "full_name.too_long" in codes({**BASE, "full_name": "Lò Văn " + "Páo " * 30})


def test_a_name_over_the_limit_is_an_error() -> None:
    from libchild.text import NAME_MAX_CHARS

    assert codes({**BASE, "full_name": "Lò Văn " + "a" * 10_000}) == ["full_name.over_limit"]
    assert MESSAGES["full_name.over_limit"].severity == "error"
    at_limit = "Lò Văn " + "a" * (NAME_MAX_CHARS - len("Lò Văn "))
    assert codes({**BASE, "full_name": at_limit}) == ["full_name.too_long"]
    assert codes({**BASE, "full_name": at_limit + "a"}) == ["full_name.over_limit"]


def test_orphan_with_caregiver_name_is_fine() -> None:
    record = {**BASE, "circumstances": ["DB01"], "caregiver_id": None,
              "caregiver_name": "Lò Thị Xuân", "father_name": None, "mother_name": None,
              "supports": [{"form": "TG04", "date": "2025-03-15"}]}
    assert codes(record) == []


def test_db07_with_dropout_at_school_age_is_fine() -> None:
    record = {**BASE, "circumstances": ["DB07"], "schooling": "08",
              "supports": [{"form": "TG02", "date": "2025-03-15"}]}
    assert codes(record) == []


def test_db07_under_school_age_is_flagged_even_if_dropped_out() -> None:
    record = {**BASE, "birth_date": "2021-01-01", "personal_id": "014221001234",
              "schooling": "08", "circumstances": ["DB07"],
              "supports": [{"form": "TG02", "date": "2025-03-15"}]}
    assert "rule.db07_needs_dropout" in codes(record)


def test_db14_with_nc02_is_fine() -> None:
    record = {**BASE, "circumstances": ["DB14", "NC02"],
              "supports": [{"form": "TG01", "date": "2025-03-15"}]}
    assert codes(record) == []


def test_sixteenth_birthday_is_the_boundary() -> None:
    record = {**BASE, "birth_date": "2009-09-01", "personal_id": "014209001234",
              "schooling": "06"}
    assert codes(record, on=date(2025, 8, 31)) == []
    assert codes(record, on=date(2025, 9, 1)) == ["age.over_16"]


def test_deceased_child_does_not_age_out() -> None:
    record = {**BASE, "birth_date": "2009-09-01", "personal_id": "014209001234",
              "schooling": "06", "death_date": "2020-01-01"}
    assert codes(record) == []


def test_reference_date_defaults_to_today() -> None:
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    assert "birth_date.future" in codes({**BASE, "birth_date": tomorrow.isoformat()}, on=None)


@pytest.mark.parametrize("value", ["1", "Nam", "nam", "NAM", "M", "m", "Male", " Nam ", 1, 1.0])
def test_sex_is_read_leniently_male(value: object) -> None:
    assert codes({**BASE, "sex": value}) == []
    assert clean({**BASE, "sex": value}, on=ON).record["sex"] == "1"


@pytest.mark.parametrize("value", ["2", "Nữ", "nữ", "NU", "nu", "F", 2])
def test_sex_is_read_leniently_female(value: object) -> None:
    record = {**BASE, "sex": value, "personal_id": "014318001234"}
    assert codes(record) == []
    assert clean(record, on=ON).record["sex"] == "2"


@pytest.mark.parametrize(
    "value", ["08", "8", 8, "HMông", "H'Mông", "hmong", "HMÔNG", "Mèo", "Mông"]
)
def test_ethnicity_is_read_leniently(value: object) -> None:
    assert codes({**BASE, "ethnicity": value}) == []
    assert clean({**BASE, "ethnicity": value}, on=ON).record["ethnicity"] == "08"


def test_nfd_input_is_accepted() -> None:
    import unicodedata

    nfd = {k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v
           for k, v in BASE.items()}
    assert codes(nfd) == []
    assert clean(nfd, on=ON).record["full_name"] == "Lò Văn Páo"


@pytest.mark.parametrize(
    "value", ["05/09/2018", "5/9/2018", "05092018", "2018-09-05", 43348, date(2018, 9, 5)]
)
def test_dates_in_every_accepted_format(value: object) -> None:
    assert codes({**BASE, "birth_date": value}) == []
    assert clean({**BASE, "birth_date": value}, on=ON).record["birth_date"] == "2018-09-05"


def test_id_numbers_with_separators_or_lost_leading_zeros() -> None:
    for value in ("014 218 001 234", "014.218.001.234", "014-218-001-234", 14218001234):
        assert codes({**BASE, "personal_id": value}) == [], value
        assert clean({**BASE, "personal_id": value}, on=ON).record["personal_id"] == (
            "014218001234")


def test_old_nine_digit_number_is_accepted_for_caregivers_only() -> None:
    assert codes({**BASE, "caregiver_id": "050123456"}) == []
    assert codes({**BASE, "personal_id": "050123456"}) == ["personal_id.length"]


def test_codes_and_names_of_places_are_read_leniently() -> None:
    record = {**BASE, "commune_code": "Xã Mường La", "province_code": "Sơn La"}
    assert codes(record) == []
    assert clean(record, on=ON).record["commune_code"] == "03808"
    assert codes({**BASE, "commune_code": 3808, "province_code": 14}) == []


def test_province_filled_from_commune() -> None:
    cleaned = clean({**BASE, "province_code": None}, on=ON)
    assert cleaned.issues == []
    assert cleaned.record["province_code"] == "14"


def test_old_province_code_is_mapped_not_rejected() -> None:
    # "02" was Hà Giang before 2025; it merged into Tuyên Quang (08).
    record = {**BASE, "province_code": "02", "commune_code": "00691"}
    assert codes(record) == ["province.old_code"]
    assert MESSAGES["province.old_code"].severity == "info"
    assert clean(record, on=ON).record["province_code"] == "08"


def test_circumstances_and_supports_as_text() -> None:
    record = {**BASE, "circumstances": "DB04; NC02", "supports": "TG01 15/03/2025; TG04 2025-04-01"}
    assert codes(record) == []
    out = clean(record, on=ON).record
    assert out["circumstances"] == ["DB04", "NC02"]
    assert out["supports"] == [{"form": "TG01", "date": "2025-03-15"},
                               {"form": "TG04", "date": "2025-04-01"}]


def test_support_objects_are_accepted() -> None:
    child = from_dict({**BASE, "circumstances": ["DB04"]})
    child.supports = [Support("TG01", date(2025, 3, 15))]
    assert codes(child) == []


def test_unknown_keys_are_ignored() -> None:
    assert codes({**BASE, "ghi_chu": "abc", 42: object()}) == []


@pytest.mark.parametrize("record", [None, 42, "Lò Văn Páo", ["a"], b"bytes", object()])
def test_non_records_give_record_invalid(record: object) -> None:
    issues = validate(record)
    assert [i.code for i in issues] == ["record.invalid"]
    assert issues[0].severity == "error"
    assert clean(record).issues == issues


def test_issues_are_shared_immutable_objects() -> None:
    a = validate({**BASE, "sex": None}, on=ON)[0]
    b = validate({**BASE, "sex": None}, on=ON)[0]
    assert a is b
    assert isinstance(a, Issue)
    with pytest.raises(AttributeError):
        a.code = "x"  # type: ignore[misc]


def test_issues_come_in_field_order() -> None:
    found = validate({"sex": "X", "supports": [{"form": "TG99"}]}, on=ON)
    order = [CANONICAL_FIELDS.index(i.field) for i in found]
    assert order == sorted(order)


def test_every_issue_has_vietnamese_and_english_text() -> None:
    for i in validate({"personal_id": "abc", "sex": "?", "birth_date": "x"}, on=ON):
        assert i.message and i.hint and i.message_en and i.hint_en


# --- clean -------------------------------------------------------------------------------
def test_clean_returns_the_canonical_record() -> None:
    typed = {
        "personal_id": " 014 218 001 234 ", "full_name": "LÒ  văn   PÁO", "sex": "nam",
        "birth_date": "5/9/2018", "ethnicity": "thai", "schooling": "Tiểu học",
        "commune_code": "3808", "father_name": "lò văn minh",
        "village": "  Bản   Mòng ", "circumstances": ["db04", "DB04"],
        "supports": [{"form": "y tế", "date": "15/03/2025"}],
    }
    result = clean(typed, on=ON)
    assert isinstance(result, Cleaned)
    assert list(result.record) == list(CANONICAL_FIELDS)
    assert result.record == {
        "personal_id": "014218001234", "full_name": "Lò Văn Páo", "sex": "1",
        "birth_date": "2018-09-05", "ethnicity": "03", "nationality": "VN",
        "current_address": None, "address_detail": None, "schooling": "04",
        "village": "Bản Mòng", "commune_code": "03808", "province_code": "14",
        "caregiver_id": None, "father_name": "Lò Văn Minh", "mother_name": None,
        "caregiver_name": None, "circumstances": ["DB04"],
        "supports": [{"form": "TG01", "date": "2025-03-15"}], "death_date": None,
    }
    assert result.issues == []
    assert validate(result.record, on=ON) == []


def test_clean_record_loads_strictly_into_the_model() -> None:
    child = from_dict(clean({**BASE, "birth_date": "05/09/2018"}, on=ON).record)
    assert child.birth_date == date(2018, 9, 5)
    assert validate(child, on=ON) == []


def test_clean_keeps_what_it_cannot_understand() -> None:
    typed = {**BASE, "sex": "X", "ethnicity": "Klingon", "birth_date": "31/02/2018",
             "circumstances": ["DB04", "ZZ"], "personal_id": "01421800123A"}
    result = clean(typed, on=ON)
    assert result.record["sex"] == "X"
    assert result.record["ethnicity"] == "Klingon"
    assert result.record["birth_date"] == "31/02/2018"
    assert result.record["circumstances"] == ["DB04", "ZZ"]
    assert result.record["personal_id"] == "01421800123A"
    assert {i.code for i in result.issues} >= {
        "sex.unknown", "ethnicity.unknown", "birth_date.invalid", "circumstance.unknown",
        "personal_id.format",
    }


def test_clean_of_a_child_instance() -> None:
    child = Child(full_name="lò thị mai", sex="2", birth_date=date(2019, 4, 2))
    assert clean(child, on=ON).record["full_name"] == "Lò Thị Mai"


def test_read_only_mappings_and_text_reference_dates_are_accepted() -> None:
    from types import MappingProxyType

    assert validate(MappingProxyType(BASE), on=ON) == []
    assert codes({**BASE, "birth_date": "02/09/2025", "personal_id": "014225001234"},
                 on="01/09/2025") == ["birth_date.future"]  # type: ignore[arg-type]


def test_ten_or_eleven_digit_numbers_get_their_zeros_back_only_from_numbers() -> None:
    # Hà Nội (001) numbers lose two zeros when a spreadsheet stores them as numbers.
    hanoi = {**BASE, "personal_id": 1218001234}
    assert clean(hanoi, on=ON).record["personal_id"] == "001218001234"
    # Typed text is never padded: a missing digit is a real error.
    assert codes({**BASE, "personal_id": "14218001234"}) == ["personal_id.length"]


def test_nan_cells_from_spreadsheet_readers_count_as_empty() -> None:
    nan = float("nan")
    blanks = {f: nan for f in ("caregiver_id", "mother_name", "caregiver_name",
                               "circumstances", "supports", "death_date", "schooling",
                               "village", "nationality", "province_code")}
    record = {**BASE, **blanks}
    assert codes(record) == []
    out = clean(record, on=ON).record
    assert out["province_code"] == "14" and out["nationality"] == "VN"
    assert out["mother_name"] is None and out["circumstances"] == []
    empty = {**record, "personal_id": nan, "full_name": nan, "sex": nan, "birth_date": nan,
             "ethnicity": nan, "commune_code": nan}
    assert codes(empty) == ["personal_id.missing", "full_name.missing", "sex.missing",
                            "birth_date.missing", "ethnicity.missing", "commune.missing"]


# --- issue 11 item 5: clean keeps every field it can read --------------------------------
class _Unprintable:
    """A foreign object whose conversions to text and comparisons all raise."""

    def __str__(self) -> str:
        raise RuntimeError("str")

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __bool__(self) -> bool:
        raise RuntimeError("bool")

    __hash__ = None  # type: ignore[assignment]


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "unreadable", [10**5000, _Unprintable(), _nested(100_000)], ids=["huge", "str", "deep"]
)
def test_clean_keeps_the_name_beside_a_value_it_cannot_read(unreadable: object) -> None:
    result = clean({"full_name": "Lò Thị Mai", "village": unreadable}, on=ON)
    assert result.record["full_name"] == "Lò Thị Mai"
    assert result.record["village"] is None
    assert "record.invalid" not in [i.code for i in result.issues]
    unread = [i for i in result.issues if i.code == "value.unreadable"]
    assert [i.field for i in unread] == ["village"]
    assert unread[0].severity == MESSAGES["value.unreadable"].severity == "warning"
    # validate does not read free text (nothing to check there): the rest is the same
    assert [i.code for i in validate({"full_name": "Lò Thị Mai", "village": unreadable},
                                     on=ON)] == [i.code for i in result.issues if i not in unread]


@pytest.mark.parametrize("field", CANONICAL_FIELDS)
@pytest.mark.parametrize(
    "unreadable", [10**5000, _Unprintable(), _nested(100_000)], ids=["huge", "str", "deep"]
)
def test_an_unreadable_value_costs_only_its_own_field(field: str, unreadable: object) -> None:
    good = clean(BASE, on=ON).record
    result = clean({**BASE, field: unreadable}, on=ON)
    assert "record.invalid" not in [i.code for i in result.issues]
    for other in CANONICAL_FIELDS:
        if other != field:
            assert result.record[other] == good[other], other
    assert {i.field for i in result.issues} <= {field, "full_name", "personal_id",
                                               "caregiver_name", "supports"}


def test_zero_width_characters_pasted_with_an_id_number_are_removed() -> None:
    for pasted in ("014218001234\u200b", "\ufeff014218001234", "014\u200d218\u2060001234"):
        assert codes({**BASE, "personal_id": pasted}) == [], repr(pasted)
        assert clean({**BASE, "personal_id": pasted}, on=ON).record["personal_id"] == (
            "014218001234")


def test_an_eleven_digit_id_gets_a_hint_about_the_dropped_zero() -> None:
    issues = validate({**BASE, "personal_id": "14218001234"}, on=ON)
    assert [i.code for i in issues] == ["personal_id.length"]
    assert "số 0 ở đầu" in issues[0].hint and "014218001234" in issues[0].hint
    assert "leading zero" in issues[0].hint_en
    # a number of the wrong length that no zero can complete keeps the usual hint
    other = validate({**BASE, "personal_id": "0142180012345"}, on=ON)[0]
    assert other.hint == MESSAGES["personal_id.length"].hint
    caregiver = validate({**BASE, "caregiver_id": "14085004321"}, on=ON)
    assert [i.code for i in caregiver] == ["caregiver_id.length"]
    assert "014085004321" in caregiver[0].hint


# --- issue 11 item 3: legacy text in names ----------------------------------------------
@pytest.mark.parametrize(
    ("typed", "repaired"),
    [("Noâng Thò Mai", "Nông Thị Mai"), ("Vâ Ngäc An", "Võ Ngọc An"),
     ("Sa Thò Nga", "Sa Thị Nga"), ("NguyÔn V¨n An", "Nguyễn Văn An")],
)
def test_garbled_names_are_reported_with_the_repaired_name_in_the_hint(
    typed: str, repaired: str
) -> None:
    for field in ("full_name", "father_name", "mother_name", "caregiver_name"):
        issues = validate({**BASE, field: typed}, on=ON)
        assert [i.code for i in issues] == [f"{field}.legacy_encoding"]
        assert f"«{repaired}»" in issues[0].hint and f"«{repaired}»" in issues[0].hint_en
        assert clean({**BASE, field: typed}, on=ON).record[field] == repaired


def test_good_minority_and_european_names_are_never_legacy() -> None:
    for name in ("Y-Moan Êban", "H'Hen Niê", "Ksor H'Bia", "Rơ Mah Hơ", "Giàng A Páo",
                 "Loïc Dupont", "Søren Ångström", "Lê Hà", "Hà Thu Mai"):
        assert "full_name.legacy_encoding" not in codes({**BASE, "full_name": name}), name


def test_every_field_belongs_to_exactly_one_rule() -> None:
    from libchild.rules import RULES

    owned = [f for rule in RULES for f in rule.fields]
    assert sorted(owned) == sorted(CANONICAL_FIELDS)
    assert len({rule.name for rule in RULES}) == len(RULES)
