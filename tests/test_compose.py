"""Telex and VNI composition: what a keyer without a Vietnamese keyboard relies on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libchild.text import Composer, compose, fold
from libchild.text.syllable import (
    _NEEDS_FINAL,
    _OPEN_ONLY,
    _WITH_FINAL,
    FINALS,
    MINORITY_ONSETS,
    ONSETS,
    STOP_FINALS,
    join_letter,
    tone_index,
)


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
        ("uowww", "uow"),
        ("thuowww", "thuow"),
        ("cooocs", "coóc"),  # after ooo the tone still applies
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


# --------------------------------------------------------------- issue 11: as Unikey
@pytest.mark.parametrize(
    ("keys", "text"),
    [
        # free marking: quality, tone and d keys later in the syllable
        ("tuyenre", "tuyển"),
        ("bocos", "bốc"),
        ("dend", "đen"),
        ("truongwf", "trường"),
        ("Nguyenxe", "Nguyễn"),
        # qu- and gi-
        ("Quynhf", "Quỳnh"),
        ("quyts", "quýt"),
        ("quaan", "quân"),
        ("quaw", "quă"),
        ("giuawx", "giữa"),
        ("gieengs", "giếng"),
        # ưo + i/u, uo + w as Unikey (uơ open only after h, kh, th or nothing)
        ("huwou", "hươu"),
        ("duwoi", "dươi"),
        ("duwong", "dương"),
        ("thuoww", "thươ"),
        ("huow", "huơ"),
        ("muow", "mươ"),
        ("ruowuj", "rượu"),
        # ooo: oo of coóc, xoong
        ("cooocs", "coóc"),
        ("xooong", "xoong"),
        # repeated keys
        ("wiw", "wiw"),
        ("ww", "w"),
        ("tww", "tw"),
        ("qw", "qw"),
        ("quw", "quw"),
    ],
)
def test_telex_as_unikey(keys, text):
    assert compose(keys) == text


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("DDawks Lawks", "Đắk Lắk"),
        ("Kroong Pawcs", "Krông Pắc"),
        ("HMoong", "HMông"),
        ("Mnoong", "Mnông"),
        ("Chuw Proong", "Chư Prông"),
        ("DDawks Glei", "Đắk Glei"),
        ("Ia Grai", "Ia Grai"),
        ("Kon Ploong", "Kon Plông"),
        ("Kbang", "Kbang"),
        ("Hree", "Hrê"),
        ("Jrai", "Jrai"),
        ("Y Juts", "Y Jút"),
        ("Chuw Pawh", "Chư Păh"),
        ("Ea Buks", "Ea Búk"),
    ],
)
def test_minority_onsets_and_finals_keep_vietnamese_marks(keys, text):
    assert compose(keys) == text


NAMES = ["Y-Moan Êban", "H'Hen Niê", "Ksor", "Rơ Mah", "Đắk Lắk", "Krông Pắc", "HMông",
         "Mnông", "Ênuôl", "Nguyễn Thị Quỳnh", "Lò Văn Páo", "Giàng A Sử", "Hoàng Thị Thuỳ"]


@pytest.mark.parametrize(
    ("keys", "name"),
    [
        ("Y-Moan EEban", "Y-Moan Êban"),
        ("H'Hen Niee", "H'Hen Niê"),
        ("Ksor", "Ksor"),
        ("Row Mah", "Rơ Mah"),
        ("EEnuool", "Ênuôl"),
        ("Ksor Hroong", "Ksor Hrông"),
    ],
)
def test_minority_names_survive_typing(keys, name):
    assert compose(keys) == name


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", ["telex", "vni"])
def test_names_typed_with_their_diacritics_are_kept(name, method):
    # A keyer (or a terminal input method) sends the composed letters themselves.
    assert compose(name, method=method) == name


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("Quynh2", "Quỳnh"),
        ("quy1t", "quýt"),
        ("tuyen36", "tuyển"),  # free marking
        ("bo6c1", "bốc"),
        ("den9", "đen"),
        ("giua74", "giữa"),
        ("D9a8k1 La8k1", "Đắk Lắk"),
        ("Kro6ng Pa8c1", "Krông Pắc"),
        ("HMo6ng", "HMông"),
        ("huo7u", "hươu"),
        ("thuo7", "thuơ"),
        ("Y-Moan E6ban", "Y-Moan Êban"),
        ("Ro7 Mah", "Rơ Mah"),
    ],
)
def test_vni_as_unikey(keys, text):
    assert compose(keys, method="vni") == text


def test_backspace_moves_the_tone_to_where_the_shorter_syllable_carries_it():
    c = Composer()
    c.feed("loanj")
    assert c.word == "loạn"
    assert c.backspace() == "lọa"
    assert c.feed("n") == "loạn"
    m = Composer(modern_tones=True)
    m.feed("loanj")
    assert m.backspace() == "loạ"


def test_backspace_of_the_letter_carrying_the_tone_takes_the_tone_with_it():
    c = Composer(modern_tones=True)
    c.feed("hoaf")
    assert c.word == "hoà"
    assert c.backspace() == "ho"


@pytest.mark.parametrize(
    ("keys", "old", "modern"),
    [
        ("hoaf", "hòa", "hoà"),
        ("khoer", "khỏe", "khoẻ"),
        ("thuys", "thúy", "thuý"),
        ("Thuyf", "Thùy", "Thuỳ"),
        ("hoafn", "hoàn", "hoàn"),
        ("quys", "quý", "quý"),
        ("khuyar", "khuỷa", "khuỷa"),
    ],
)
def test_old_and_modern_tone_styles(keys, old, modern):
    assert compose(keys) == old
    assert compose(keys, modern_tones=True) == modern


# ------------------------------------------------------------ the Unikey Telex table
from fixtures.unikey_telex import CASES, UPSTREAM  # noqa: E402


@pytest.mark.parametrize(("keys", "text"), CASES, ids=[k for k, _ in CASES])
def test_unikey_telex_table(keys, text):
    """Every case of the Unikey engine's own Telex table (see the fixture's header)."""
    assert compose(keys) == text, UPSTREAM


def test_unikey_table_is_complete():
    assert len(CASES) == 1307


# -------------------------------------------------------------------- properties
_TELEX_MARK_KEYS = frozenset("sfrxjzaeowd")


@given(st.text(alphabet="abcdeghiklmnopqrstuvwxyAEDOUW '-", max_size=24))
def test_telex_never_loses_a_letter_that_is_not_a_mark_key(keys):
    out = fold(compose(keys))
    kept = iter(out)
    letters = [k for k in keys.lower() if k.isalpha() and k not in _TELEX_MARK_KEYS]
    assert all(letter in kept for letter in letters), (keys, out)  # in order


@given(st.text(alphabet="abcdeghiklmnopqrstuvwxyAEDOUW0123456789 '-", max_size=24))
def test_vni_never_loses_a_letter(keys):
    out = fold(compose(keys, method="vni"))
    kept = iter(out)
    assert all(letter in kept for letter in keys.lower() if letter.isalpha()), (keys, out)


@st.composite
def syllables(draw):
    """A syllable of the table in syllable.py: onset, nucleus, final, tone."""
    onset = draw(st.sampled_from(sorted(ONSETS | MINORITY_ONSETS | {""})))
    final = draw(st.sampled_from(["", *sorted(FINALS)]))
    nuclei = sorted(_WITH_FINAL if final else _WITH_FINAL + _OPEN_ONLY)
    nucleus = draw(st.sampled_from(nuclei))
    if final == "" and nucleus in _NEEDS_FINAL:
        final = "n"
    if (onset == "qu" and nucleus[0] in "uư") or (onset == "gi" and nucleus[0] in "iy"):
        onset = "b"  # qu + u, gi + i are not written
    if onset == "g" and nucleus[0] == "i" and len(nucleus) > 1:
        onset = "gh"  # g + ia... reads as gi + a...
    if nucleus == "uơ" and onset not in ("", "h", "kh", "th"):
        onset = "th"  # open uơ: thuở, huơ; elsewhere uo + w is ươ (as in Unikey)
    tone = draw(st.integers(0, 5))
    if final in STOP_FINALS and tone not in (0, 1, 5):
        tone = 1
    base = onset + nucleus + final
    vowels = base.index(nucleus, len(onset))
    text = list(base)
    if tone:
        at = tone_index(base, vowels, vowels + len(nucleus), modern=False)
        text[at] = join_letter(text[at], tone)
    return "".join(text), onset, nucleus, final, tone


_TELEX_LETTER = {"â": "aa", "ă": "aw", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}
_TELEX_MARK = {"â": "a", "ă": "w", "ê": "e", "ô": "o", "ơ": "w", "ư": "w", "đ": "d"}
_PLAIN = str.maketrans("âăêôơưđ", "aaeoou" + "d")
_TONE_KEY = " sfrxj"


def _telex_keys(onset, nucleus, final, tone, style):
    """Keys for one syllable: marks typed after their letter, or all at the end."""
    tone_key = _TONE_KEY[tone].strip()
    plain = (onset + nucleus + final).translate(_PLAIN).replace("oo", "ooo")
    if style == "after":
        keys = "".join(_TELEX_LETTER.get(ch, ch) for ch in onset + nucleus + final)
        return keys.replace("oo", "ooo") if "oo" in nucleus else keys + tone_key
    marks = "".join(dict.fromkeys(_TELEX_MARK[ch] for ch in onset + nucleus if ch in _TELEX_MARK))
    if "ươ" in nucleus:
        marks = marks.replace("ww", "w")
    return plain + (tone_key + marks if style == "tone first" else marks + tone_key)


@given(syllables(), st.sampled_from(["after", "tone first", "tone last"]), st.booleans())
def test_typing_the_telex_keys_of_any_syllable_reproduces_it(syllable, style, title):
    text, onset, nucleus, final, tone = syllable
    keys = _telex_keys(onset, nucleus, final, tone, style)
    if style == "after" and "oo" in nucleus:
        keys += _TONE_KEY[tone].strip()
    if title:
        keys, text = keys[:1].upper() + keys[1:], text[:1].upper() + text[1:]
    assert compose(keys) == text, keys


@given(syllables())
def test_typing_the_vni_keys_of_any_syllable_reproduces_it(syllable):
    text, onset, nucleus, final, tone = syllable
    vni = {"â": "a6", "ê": "e6", "ô": "o6", "ă": "a8", "ơ": "o7", "ư": "u7", "đ": "d9"}
    keys = "".join(vni.get(ch, ch) for ch in onset + nucleus + final)
    keys = keys.replace("u7o7", "uo7") + (str(tone) if tone else "")
    assert compose(keys, method="vni") == text, keys


@given(st.text(alphabet="aeiouywdsfrxjzAEIOUYWDSFRXJZbcnghtqk '\u0301ễƯ", max_size=30))
def test_composer_word_is_always_nfc(keys):
    c = Composer()
    for key in keys:
        assert unicodedata.is_normalized("NFC", c.feed(key))
    assert unicodedata.is_normalized("NFC", c.backspace())
