"""Names: normalize_name and name_error as the register's rules use them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libchild.text import NAME_REASONS, encode_legacy, name_error, normalize_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NGUYỄN  văn AN", "Nguyễn Văn An"),
        ("  nông thị ngọc ánh ", "Nông Thị Ngọc Ánh"),
        ("ĐỖ THỊ HẰNG", "Đỗ Thị Hằng"),
        ("h'mông", "H'Mông"),
        ("h’hen  niê", "H'Hen Niê"),  # typographic apostrophe
        ("H' hen NIÊ", "H'Hen Niê"),
        ("y-moan ênuôl", "Y-Moan Ênuôl"),
        ("Y - Moan", "Y-Moan"),
        ("y‐blang", "Y-Blang"),  # Unicode hyphen
        ("lò\tvăn\npáo", "Lò Văn Páo"),
        ("Nguye\u0302\u0303n Văn An", "Nguyễn Văn An"),  # decomposed input
        ("", ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


def test_normalize_name_returns_nfc():
    out = normalize_name("nguye\u0302\u0303n thi\u0323")
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        ("   \t ", "missing"),
        ("Nguyễn Văn 2", "digits"),
        ("Nguyễn Văn An1", "digits"),
        ("Nguyễn V. An", "symbols"),
        ("Nguyễn Văn An.", "symbols"),
        ("Nguyễn @ An", "symbols"),
        ("Nguyễn_Văn An", "symbols"),
        ("Nguyễn (An)", "symbols"),
        ("Nguyễn Văn An, Lê Thị Hà", "symbols"),
        ("NguyÔn V¨n An", "legacy_encoding"),
        ("Nguyeãn Vaên An", "legacy_encoding"),
        ("Nguyễn " + "Văn " * 30 + "An", "too_long"),
        ("Páo", "single_word"),
        ("H'Hen", "single_word"),
        ("Y-Moan", "single_word"),
    ],
)
def test_name_error_reasons(raw, reason):
    assert name_error(raw) == reason
    assert reason in NAME_REASONS


@pytest.mark.parametrize(
    "good",
    [
        "Nguyễn Văn An",
        "Nông Thị Ngọc Ánh",
        "Lò Văn Páo",
        "H'Hen Niê",
        "H’Hen Niê",
        "Y-Moan Ênuôl",
        "Y - Moan Ênuôl",
        "NGUYỄN  văn AN",  # case and spacing are normalize_name's job, not errors
        "Lê Hà",
        "Nguyen Van Binh",
        "Chloé Müller",
        "Loïc Dupont",
        "Nguye\u0302\u0303n Văn An",
    ],
)
def test_good_names_have_no_error(good):
    assert name_error(good) is None


def test_every_vietnamese_syllable_is_accepted_in_a_name():
    from libchild.text.syllable import LOWER_LETTERS

    for letter in LOWER_LETTERS:
        assert name_error(f"Nguyễn Thị {letter}n") is None, letter
        assert name_error(f"NGUYỄN THỊ {letter.upper()}N") is None, letter


def test_legacy_names_are_flagged_in_both_encodings():
    for name in ("Nguyễn Thị Hồng Nhung", "Đỗ Văn Đức", "Trần Quốc Tuấn", "Phạm Thị Lệ"):
        assert name_error(encode_legacy(name, "tcvn3")) == "legacy_encoding", name
        assert name_error(encode_legacy(name, "vni")) == "legacy_encoding", name


def test_length_limit_is_100():
    assert name_error("Nguyễn " + "a" * 93) is None  # 100 characters
    assert name_error("Nguyễn " + "a" * 94) == "too_long"


_NAME_CHARS = st.characters(
    codec="utf-8", categories=("L", "M", "Zs", "Pd", "Po", "Nd", "Cc")
)


@given(st.text(_NAME_CHARS, max_size=30))
def test_normalize_name_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert unicodedata.is_normalized("NFC", once)


@given(st.text(max_size=30))
def test_normalize_name_is_idempotent_on_any_text(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(st.text(max_size=40))
def test_name_error_never_raises(text):
    assert name_error(text) in (None, *NAME_REASONS)


@given(st.lists(st.sampled_from(["Nguyễn", "thị", "NGỌC", "ánh", "h'hen", "y-moan"]), min_size=2))
def test_normalized_good_names_stay_good(words):
    name = " ".join(words)
    assert name_error(normalize_name(name)) in (None, "too_long", "over_limit")
