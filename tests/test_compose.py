"""Telex and VNI composition: what a keyer without a Vietnamese keyboard relies on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libchild.text import Composer, compose


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("Nguyeenx Vawn Anhs", "Nguyễn Văn Ánh"),
        ("dduwowngf", "đường"),
        ("Thij", "Thị"),
        ("NGUYEENX", "NGUYỄN"),
        ("Nooong Thij Ngocj Anhs", "Noong Thị Ngọc Ánh"),
        ("aa aw ee oo ow uw dd", "â ă ê ô ơ ư đ"),
        ("as af ar ax aj", "á à ả ã ạ"),
        ("w", "ư"),
        ("tw", "tư"),
        ("nguowif", "người"),
        ("nguoiwf", "người"),
        ("truongwf", "trường"),
        ("dduocwj", "được"),
        ("thuowr", "thuở"),
        ("hoawcj", "hoặc"),
        ("tieengs vieetj", "tiếng việt"),
        ("chuyeenj", "chuyện"),
        ("quys gias gif", "quý giá gì"),
        ("muaw", "mưa"),
        ("Eenuool", "Ênuôl"),
        ("H'Heen Nieee", "H'Hên Niee"),
        ("12/3 Leex Lowij", "12/3 Lễ Lợi"),
    ],
)
def test_telex(keys, text):
    assert compose(keys) == text


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("hoaf", "hòa"),
        ("thuys", "thúy"),
        ("khoer", "khỏe"),
        ("hoas", "hóa"),
        ("hoasn", "hoán"),  # the tone moves when a final follows
        ("hoafng", "hoàng"),
        ("Hoangf", "Hoàng"),
        ("khuyar", "khuỷa"),
        ("ngoejo", "ngoẹo"),
        ("quaf", "quà"),
        ("giaf", "già"),
    ],
)
def test_tone_placement_old_style(keys, text):
    assert compose(keys) == text


@pytest.mark.parametrize(
    ("keys", "text"),
    [("hoaf", "hoà"), ("thuys", "thuý"), ("khoer", "khoẻ"), ("hoasn", "hoán"), ("muaf", "mùa")],
)
def test_tone_placement_modern_style(keys, text):
    assert compose(keys, modern_tones=True) == text


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("aaa", "aa"),
        ("ooo", "oo"),
        ("aww", "aw"),
        ("ww", "w"),
        ("ddd", "dd"),
        ("cass", "cas"),
        ("cassa", "casa"),  # the rest of the word is typed as is
        ("asz", "a"),  # z removes the tone
        ("z", "z"),
        ("uoww", "uow"),
    ],
)
def test_undo_by_repeating_a_key(keys, text):
    assert compose(keys) == text


@pytest.mark.parametrize("word", ["class", "text", "window", "snow", "first", "hello", "Ksor"])
def test_english_and_keys_that_do_not_apply_are_typed_as_is(word):
    assert compose(word) == word


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("Nguye6n4 Va8n A1nh", "Nguyễn Văn Ánh"),
        ("Nguyen64", "Nguyễn"),
        ("d9uo7ng2", "đường"),
        ("Thi5", "Thị"),
        ("hoa2", "hòa"),
        ("a11", "a1"),
        ("a66", "a6"),
        ("d99", "d9"),
        ("a10", "a"),
        ("12 a1", "12 á"),
        ("uo7", "uơ"),
        ("tho7", "thơ"),
    ],
)
def test_vni(keys, text):
    assert compose(keys, method="vni") == text


def test_vni_modern_tones():
    assert compose("hoa2", method="vni", modern_tones=True) == "hoà"


def test_unknown_method_is_an_error():
    with pytest.raises(ValueError, match="telex"):
        compose("a", method="viqr")


def test_composer_gives_the_word_after_each_key():
    c = Composer()
    assert [c.feed(k) for k in "hoasn"] == ["h", "ho", "hoa", "hóa", "hoán"]
    assert c.feed(" ") == ""
    assert c.text == "hoán "


def test_composer_backspace_deletes_the_last_character_and_keeps_composing():
    c = Composer()
    c.feed("dduwowngf")
    assert c.backspace() == "đườn"
    assert c.feed("g") == "đường"
    c.feed(" ")
    assert c.backspace() == "đường"  # back into the previous word
    assert c.feed("x") == "đưỡng"
    assert c.text == "đưỡng"


def test_composer_backspace_on_empty_is_harmless():
    c = Composer()
    assert c.backspace() == ""
    assert c.text == ""


def test_composer_reset_and_commit():
    c = Composer(method="vni")
    c.feed("Va8n")
    assert c.commit() == "Văn"
    c.feed(" A1")
    assert c.text == "Văn Á"
    c.reset()
    assert c.text == "" and c.word == ""


_KEYS = st.text(
    alphabet="aAeEoOuUiIyYwWdDsSfFrRxXjJzZ0123456789nNgGhHcCtTqQ '-." + "ăđơẠ\u0301\u0323",
    max_size=30,
)


@given(_KEYS, st.sampled_from(["telex", "vni"]), st.booleans())
def test_compose_never_produces_non_nfc_text(keys, method, modern):
    out = compose(keys, method=method, modern_tones=modern)
    assert unicodedata.is_normalized("NFC", out)


@given(st.text(max_size=30), st.sampled_from(["telex", "vni"]))
def test_compose_never_produces_non_nfc_text_from_any_keys(keys, method):
    assert unicodedata.is_normalized("NFC", compose(keys, method=method))


@given(_KEYS, st.sampled_from(["telex", "vni"]))
def test_feeding_one_key_at_a_time_equals_compose(keys, method):
    c = Composer(method)
    for key in keys:
        c.feed(key)
    assert c.text == compose(keys, method=method)


@given(_KEYS, st.integers(min_value=0, max_value=40))
def test_backspace_never_raises_and_text_stays_nfc(keys, presses):
    c = Composer()
    c.feed(keys)
    for _ in range(presses):
        c.backspace()
    c.feed("as")
    assert unicodedata.is_normalized("NFC", c.text)


@given(st.text(alphabet="bcdghklmnpqrstvx", min_size=1, max_size=8))
def test_consonants_alone_stay_as_typed_except_dd(keys):
    out = compose(keys)
    if "dd" not in keys.lower():
        assert out == keys
