"""fold: the key for search and matching."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libchild.text import fold, nfc
from libchild.text.syllable import LOWER_LETTERS, UPPER_LETTERS


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("H'Mông", "hmong"),
        ("HMÔNG", "hmong"),
        ("H’Mông", "hmong"),
        ("Bru-Vân  Kiều", "bruvan kieu"),
        ("  Xơ-Đăng ", "xodang"),
        ("ĐƯỜNG", "duong"),
        ("Thuỷ", "thuy"),
        ("Thủy", "thuy"),
        ("Hoà", "hoa"),
        ("", ""),
    ],
)
def test_fold_examples(text, key):
    assert fold(text) == key


def test_every_vietnamese_letter_folds_to_one_ascii_letter():
    for letter in LOWER_LETTERS + UPPER_LETTERS:
        key = fold(letter)
        assert len(key) == 1 and key.isascii() and key.islower(), letter


def test_fold_ignores_normalization_form():
    text = "Nguyễn Thị Ngọc Ánh Đường"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_nfc():
    assert nfc("Nguye\u0302\u0303n") == "Nguyễn"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=LOWER_LETTERS + UPPER_LETTERS + "abcdDĐ '-", max_size=30))
def test_fold_of_vietnamese_text_is_lower_ascii(text):
    key = fold(text)
    assert key.isascii()
    assert key == key.lower()
    assert "  " not in key and key == key.strip()


def _reference_fold(text: str) -> str:
    """fold as specified, the slow way: NFD, drop combining marks, drop joiners."""
    lowered = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d")
    for joiner in "'’‘`´-‐‑‒–—ʼ":
        stripped = stripped.replace(joiner, "")
    return " ".join(stripped.split())


@given(st.text())
def test_fold_matches_its_specification_on_any_text(text):
    assert fold(text) == _reference_fold(text)


_VIETNAMESE_AND_MARKS = LOWER_LETTERS + UPPER_LETTERS + "aeiouAEIOU \u0301\u0300\u0323-'"


@given(st.text(alphabet=_VIETNAMESE_AND_MARKS, max_size=30))
def test_fold_matches_its_specification_on_vietnamese_text(text):
    assert fold(text) == _reference_fold(text)
