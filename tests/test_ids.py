"""Personal ID numbers: the hard rule (12 ASCII digits) and the structure warnings."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from libchild.catalog import load
from libchild.ids import cccd, cmnd

twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)
separators = st.sampled_from([" ", ".", "-", "\u00a0", "\u2013", ""])


@given(twelve_digits)
def test_every_twelve_ascii_digit_number_is_valid(number: str) -> None:
    # no check digit exists: a number must never be rejected for its structure
    assert cccd.validate(number) == number
    assert cccd.is_valid(number)
    assert cccd.get_century(number) in (1900, 2000, 2100, 2200, 2300)
    assert cccd.get_sex(number) in ("1", "2")
    assert cccd.get_birth_year(number) % 100 == int(number[4:6])


@given(twelve_digits, st.lists(separators, min_size=11, max_size=11))
def test_separators_are_compacted_away(number: str, seps: list[str]) -> None:
    typed = number[0] + "".join(s + c for s, c in zip(seps, number[1:], strict=True))
    assert cccd.validate(typed) == number
    assert cccd.format(typed) == number


@given(st.text(max_size=20))
def test_compact_and_validate_are_idempotent(text: str) -> None:
    compacted = cccd.compact(text)
    assert cccd.compact(compacted) == compacted
    try:
        valid = cccd.validate(text)
    except ValidationError:
        assert not cccd.is_valid(text)
    else:
        assert cccd.validate(valid) == valid
        assert len(valid) == 12 and valid.isascii() and valid.isdigit()


@given(twelve_digits, st.lists(st.sampled_from(
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202c", ""]
), min_size=13, max_size=13))
def test_invisible_characters_pasted_from_web_pages_are_removed(
    number: str, marks: list[str]
) -> None:
    pasted = "".join(m + c for m, c in zip(marks, number, strict=False)) + marks[-1]
    assert cccd.validate(pasted) == number
    assert cmnd.compact(pasted) == number


@pytest.mark.parametrize("number", ["0792160004", "0792160004561", "1", "0" * 13])
def test_wrong_length(number: str) -> None:
    with pytest.raises(InvalidLength):
        cccd.validate(number)


@pytest.mark.parametrize(
    "number", ["07921600045A", "０７９２１６０００４５６", "079216000４56", "079/216/000/456", "",
               "079_216_000_456", "số 079216000456"],
)
def test_non_ascii_digits_letters_and_other_marks_are_format_errors(number: str) -> None:
    with pytest.raises(InvalidFormat):
        cccd.validate(number)
    assert not cccd.is_valid(number)


@pytest.mark.parametrize("value", [None, 79216000456.0, b"079216000456", True])
def test_non_strings_are_format_errors(value) -> None:
    with pytest.raises(InvalidFormat):
        cccd.validate(value)


def test_decoders_read_the_issued_structure() -> None:
    number = "038317000456"  # Thanh Hóa, 2000s female, 2017 (synthetic)
    assert cccd.get_birth_province_prefix(number) == "038"
    assert load().id_prefixes.get("038").name == "Thanh Hóa"
    assert cccd.get_century(number) == 2000
    assert cccd.get_sex(number) == "2"
    assert cccd.get_birth_year(number) == 2017
    assert cccd.get_birth_year("038085000456") == 1985
    assert cccd.get_sex("038085000456") == "1"


def test_structure_warnings_match_the_record() -> None:
    assert cccd.structure_warnings("038317000456", sex="2", birth_date=date(2017, 4, 1)) == []
    assert cccd.structure_warnings("038317000456", sex="1", birth_date=date(2017, 4, 1)) == [
        "personal_id.sex_mismatch"
    ]
    # a boy born 2016 whose number says 1900s female, 2015, unknown prefix
    assert cccd.structure_warnings("003115000456", sex="1", birth_date="01/02/2016") == [
        "personal_id.unknown_prefix",
        "personal_id.sex_mismatch",
        "personal_id.century_mismatch",
        "personal_id.year_mismatch",
    ]
    assert cccd.structure_warnings(
        "038317000456", birth_date=datetime(1917, 4, 1, 8, 0)
    ) == ["personal_id.century_mismatch"]


def test_structure_warnings_ignore_what_cannot_be_compared() -> None:
    assert cccd.structure_warnings("038317000456", sex="Nam", birth_date="hôm qua") == []
    assert cccd.structure_warnings("038317000456", sex=None, birth_date=None) == []
    assert cccd.structure_warnings("038317000456", sex=True, birth_date=object()) == []
    assert cccd.structure_warnings("038317000456", sex=1) == ["personal_id.sex_mismatch"]
    assert cccd.structure_warnings("not a number", sex="1") == []


def test_every_known_prefix_gives_no_prefix_warning() -> None:
    for entry in load().id_prefixes:
        number = entry.code + "316000456"
        assert "personal_id.unknown_prefix" not in cccd.structure_warnings(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_cmnd_nine_digits(number: str) -> None:
    assert cmnd.validate(number) == number
    assert cmnd.validate(f"{number[:3]} {number[3:6]}.{number[6:]}") == number
    assert cmnd.get_issue_province_prefix(number) == number[:2]


@pytest.mark.parametrize(
    ("number", "error"),
    [("12345678", InvalidLength), ("079216000456", InvalidLength), ("12345678X", InvalidFormat),
     ("１２３４５６７８９", InvalidFormat)],
)
def test_cmnd_rejects(number: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        cmnd.validate(number)
    assert not cmnd.is_valid(number)
