"""TCVN3 and VNI-Windows: tables, decoding, fonts and the detector."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libchild.text import decode_legacy, detect_legacy, encode_legacy, encoding_for_font
from libchild.text.syllable import LOWER_LETTERS, UPPER_LETTERS

ALL_LETTERS = LOWER_LETTERS + UPPER_LETTERS
TCVN3_UPPER = "ĂÂÊÔƠƯĐ"  # the only capitals TCVN3 has a code for
CATALOGS = Path(__file__).resolve().parent.parent / "catalogs"


def test_there_are_134_vietnamese_letters():
    assert len(set(ALL_LETTERS)) == 134
    assert all(c.upper() == u for c, u in zip(LOWER_LETTERS, UPPER_LETTERS, strict=True))


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trips_every_letter(letter):
    assert decode_legacy(encode_legacy(letter, "vni"), "vni") == letter
    assert decode_legacy(encode_legacy("x" + letter + "x", "vni"), "vni") == "x" + letter + "x"


@pytest.mark.parametrize("letter", LOWER_LETTERS + TCVN3_UPPER)
def test_tcvn3_round_trips_every_letter_it_has_a_code_for(letter):
    code = encode_legacy(letter, "tcvn3")
    assert len(code) == 1 and "\xa1" <= code <= "\xfe"
    assert decode_legacy(code, "tcvn3") == letter


@pytest.mark.parametrize("letter", UPPER_LETTERS)
def test_tcvn3_capitals_come_back_through_the_capitals_font(letter):
    assert decode_legacy(encode_legacy(letter, "tcvn3"), font=".VnTimeH") == letter


def test_tcvn3_codes_are_distinct_and_in_range():
    codes = {encode_legacy(c, "tcvn3") for c in LOWER_LETTERS + TCVN3_UPPER}
    assert len(codes) == 74


@pytest.mark.parametrize(
    ("letter", "code"),
    [
        ("ă", "¨"), ("â", "©"), ("ê", "ª"), ("ô", "«"), ("ơ", "¬"), ("ư", "\xad"), ("đ", "®"),
        ("á", "¸"), ("à", "µ"), ("ả", "¶"), ("ã", "·"), ("ạ", "¹"), ("Đ", "§"), ("Ă", "¡"),
        ("ễ", "Ô"), ("ị", "Þ"), ("ữ", "÷"), ("ỵ", "þ"), ("ố", "è"), ("ờ", "ê"),
    ],
)
def test_tcvn3_table_entries(letter, code):
    assert encode_legacy(letter, "tcvn3") == code


@pytest.mark.parametrize(
    ("letter", "code"),
    [
        ("á", "aù"), ("à", "aø"), ("ả", "aû"), ("ã", "aõ"), ("ạ", "aï"), ("ă", "aê"),
        ("â", "aâ"), ("ấ", "aá"), ("ặ", "aë"), ("đ", "ñ"), ("Đ", "Ñ"), ("ư", "ö"),
        ("ơ", "ô"), ("ô", "oâ"), ("ớ", "ôù"), ("ự", "öï"), ("í", "í"), ("ị", "ò"),
        ("ĩ", "ó"), ("ỉ", "æ"), ("ỵ", "î"), ("Ễ", "EÃ"), ("Ỵ", "Î"),
    ],
)
def test_vni_table_entries(letter, code):
    assert encode_legacy(letter, "vni") == code


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("NguyÔn V¨n An", {"encoding": "tcvn3"}, "Nguyễn Văn An"),
        ("Nguyeãn Vaên An", {"encoding": "vni"}, "Nguyễn Văn An"),
        ("§oµn ThÞ H»ng", {"font": ".VnTime"}, "Đoàn Thị Hằng"),
        ("Ñoaøn Thò Haèng", {"font": "VNI-Times"}, "Đoàn Thị Hằng"),
        ("nguyÔn thÞ ¸nh", {"font": ".VnArialH"}, "NGUYỄN THỊ ÁNH"),
        ("nguyÔn", {"encoding": "tcvn3", "font": ".VnTimeH"}, "NGUYỄN"),
        ("Ph¹m", {"encoding": "tcvn3", "font": "Arial"}, "Phạm"),
        ("NGUYÔN V¡N AN", {"encoding": "tcvn3"}, "NGUYỄN VĂN AN"),  # word in capitals
        ("Lª Hµ", {"encoding": "tcvn3"}, "Lê Hà"),
        ("Sè 5, th«n §«ng, x· B¾c S¬n", {"encoding": "tcvn3"}, "Số 5, thôn Đông, xã Bắc Sơn"),
        ("NGUYEÃN VAÊN AN", {"encoding": "vni"}, "NGUYỄN VĂN AN"),
        ("NguyÔn V¨n An", {}, "Nguyễn Văn An"),  # detected
        ("Nguyễn Văn An", {}, "Nguyễn Văn An"),  # good Unicode untouched
    ],
)
def test_decode_examples(raw, kwargs, expected):
    assert decode_legacy(raw, **kwargs) == expected


def test_decoding_returns_nfc_and_keeps_what_it_cannot_map():
    assert decode_legacy("Ph¹m 12/3 (A)", "tcvn3") == "Phạm 12/3 (A)"
    assert decode_legacy("e\u0301", None) == "é"


def test_unknown_encoding_is_an_error():
    with pytest.raises(ValueError, match="tcvn3"):
        decode_legacy("abc", "viscii")
    with pytest.raises(ValueError, match="vni"):
        encode_legacy("abc", "viqr")


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), (".VnArial NarrowH", "tcvn3"),
        (".vnarial", "tcvn3"), ("VNI-Times", "vni"), ("VNI-Helve", "vni"),
        ("vni-aptima", "vni"), ("Times New Roman", None), ("Arial", None), ("", None),
        (None, None), ("VnTime", "tcvn3"), ("VnTimeH", "tcvn3"), (".vntimeh", "tcvn3"),
        (".VNARIAL", "tcvn3"), ("VNI Times", "vni"), ("Vni", None), ("Verdana", None),
    ],
)
def test_encoding_for_font(font, encoding):
    assert encoding_for_font(font) == encoding


@pytest.mark.parametrize("font", [".VnTimeH", "VnTimeH", ".vntimeh", "vnarialh", ".VnArialH Bold"])
def test_capitals_font_is_recognised_with_or_without_dot_in_any_case(font):
    assert decode_legacy("nguyÔn thÞ ¸nh", font=font) == "NGUYỄN THỊ ÁNH"


def test_regular_font_without_dot_decodes_in_its_case():
    assert decode_legacy("NguyÔn ThÞ ¸nh", font="VnTime") == "Nguyễn Thị ánh"


# ------------------------------------------------------------------ the detector


def _words(text: str, sep: str | None = None) -> list[str]:
    """Test data written as one string per list."""
    return text.split(sep)


FAMILY = _words(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lò Hà Tòng Quàng "
    "Lường Cầm Nông Triệu Ma Hoàng Vi Sầm Mùa Thào Giàng Sùng Vàng Hờ Lầu Đinh Kiều Tô Từ Lã"
)
MIDDLE = _words("Văn Thị Hữu Đức Ngọc Minh Thanh Xuân Quốc Gia Bảo Kim Mai Hoài Như Diệu Thuý Thúy")
GIVEN = _words(
    "An Anh Ánh Bảo Bình Chi Cường Dũng Đạt Giang Hà Hải Hạnh Hằng Hiếu Hoà Hòa Hoàng Huệ Hùng "
    "Huy Khoa Khoẻ Khỏe Lan Linh Loan Lợi Long Mai Minh My Nga Ngân Nhi Oanh Phúc Phương Quân "
    "Quý Quỳnh Sơn Tâm Thảo Thủy Thuỷ Tiến Trang Trí Trúc Tú Tuấn Tùng Uyên Vân Việt Vy Xuân "
    "Yến Páo Súa Mỷ Chứ Pó Dín Sếnh Chá Lử Sì Hờ Tú Lê Hà Hồ Võ Tô"
)
MINORITY = _words(
    "H'Hen Niê; Y Moan Ênuôl; Y-Blang Mlô; Ksor H'Bia; Rơ Châm Blúi; Kpă Y Ngọc; Siu H'Pho; "
    "Nay Y Phú; Đinh Thị Byă; Lò Văn Páo; Giàng A Chứ; Sùng Thị Mỷ; Ka Sô Liễng; K'Brêu; "
    "Adrơng H'Xuân; Bdap Y Thép; Êban Y Kông; Ayun H'Lê; Mlô Duôn Du; Niê Kdăm Y Jút",
    "; ",
)
FOREIGN = _words(
    "Loïc Dupont; Anaïs Moreau; Raphaël Noël; Chloé Müller; Zoë Peña; José María Núñez; "
    "Françoise Hélène; Gaëlle Björk; Søren Ångström; naïve café résumé; où est la gare; "
    "Benoît Moïse; Maïté Aïcha; João Conceição; Jürgen Schön; Thaïs; Noémie Zoé; "
    "crème brûlée; déjà vu; señor; façade; Ærø; garçon; Citroën; Haïti; Thaïlande; "
    "The quick brown fox jumps over the lazy dog; Café Hoà Bình; Hôtel de Ville; "
    "Loïc Haïm; Loïc Aït; Naïm Saïd; Raúl Peña; Søren Kjær; Þórunn Guðmundsdóttir; "
    "Håkan Åkesson; Zoë Noël; Joël Lefèvre; Ibáñez Muñoz; Gonçalves Simões; Jörg Böhm",
    "; ",
)
WORDS_ADDRESS = _words("Số Thôn Bản Xóm Tổ Ấp Đường Phường Xã Tỉnh Khu Phố Tiểu khu")


def _catalog_names() -> list[str]:
    names: list[str] = []
    for path in CATALOGS.glob("*.csv"):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln[:1] != "#"]
        for row in csv.DictReader(lines):
            names.append(row.get("name") or "")
            names.extend(n for n in (row.get("other_names") or "").split("|") if n)
    return [n for n in names if n]


def _caps_lock(text: str) -> str:
    """Typed with Caps Lock on and Shift for the capitals: "nGUYỄN vĂN aN"."""
    return text.swapcase()


def _corpus() -> list[str]:
    rng = random.Random(20251123)
    catalog = _catalog_names()
    places = list(FOREIGN) + list(MINORITY) + catalog
    texts = list(places)
    for fam, mid, giv in itertools.product(FAMILY, MIDDLE, GIVEN[::3]):
        texts.append(f"{fam} {mid} {giv}")
    for _ in range(3000):
        name = " ".join(rng.choice(pool) for pool in (FAMILY, MIDDLE, MIDDLE, GIVEN))
        place = rng.choice(places)
        texts.append(f"{rng.choice(WORDS_ADDRESS)} {rng.randint(1, 300)}, {place}, {name}")
        texts.append(name)
    out = []
    for text in texts:
        out.extend((text, text.upper(), text.lower(), text.title(), _caps_lock(text)))
    return out


CORPUS = _corpus()


def test_detector_never_flags_good_unicode():
    flagged = [t for t in CORPUS if detect_legacy(t) is not None]
    assert len(CORPUS) > 50_000
    assert flagged == []
    assert [t for t in CORPUS if detect_legacy(t, name=True) is not None] == []


def test_detector_catches_the_examples_of_issue_11():
    assert detect_legacy("Vâ Ngäc An") == "tcvn3"
    assert detect_legacy("Noâng Thò Mai") == "vni"
    assert detect_legacy("Ngäc") == "tcvn3"


def test_a_word_that_is_a_syllable_but_no_name_counts_only_in_a_name():
    # VNI "Thò" is "Thị", TCVN3 "Vò" is "Vũ"; as plain text they are words as they stand.
    assert detect_legacy("Sa Thò Nga", name=True) == "vni"
    assert detect_legacy("Vò Thu Mai", name=True) == "tcvn3"
    assert detect_legacy("Sa Thò Nga") is None
    assert detect_legacy("dòng sông") is None
    assert detect_legacy("Thò", name=True) is None  # one word alone says too little


def test_detector_catches_99_percent_of_garbled_demo_names():
    from tui.demo.names import STYLES, make_name

    rng = random.Random(5)
    styles = list(STYLES.values())
    names = [make_name(rng, rng.choice(styles), rng.choice("12"), modern=True) for _ in range(3000)]
    names += [n.upper() for n in names[:500]]
    for encoding in ("tcvn3", "vni"):
        garbled = [g for n in names if (g := encode_legacy(n, encoding)) != n]
        found = [detect_legacy(g, name=True) for g in garbled]
        assert found.count(encoding) >= 0.99 * len(garbled), encoding
        assert set(found) <= {encoding, None}


def test_detector_never_flags_a_single_vietnamese_syllable():
    from libchild.text.lexicon import VIETNAMESE, syllable_kind
    from libchild.text.syllable import ONSETS, join_letter

    nuclei = _words("a ă â e ê i o ô ơ u ư y ia iê oa oe uy ươ uô uya uyê oai ươi uôi")
    finals = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
    for onset, nucleus, final, tone in itertools.product(
        ["", *sorted(ONSETS)], nuclei, finals, range(6)
    ):
        pos = len(nucleus) - 1 if final or len(nucleus) == 1 else 0
        letters = list(nucleus)
        letters[pos] = join_letter(letters[pos], tone)
        word = onset + "".join(letters) + final
        if syllable_kind(word) != VIETNAMESE:
            continue  # the product also makes non-words ("quù", "quõch")
        for form in (word, word.upper(), word.title()):
            assert detect_legacy(form) is None, form
            assert detect_legacy(form, name=True) is None, form


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("NguyÔn V¨n An", "tcvn3"),
        ("Nguyeãn Vaên An", "vni"),
        ("Lª ThÞ Hång", "tcvn3"),
        ("Ñoã Thò Haø", "vni"),
        ("Sè 5, TP. H¶i D\xad¬ng", "tcvn3"),
        ("NGUYEÃN THÒ ÑIEÄP", "vni"),
    ],
)
def test_detector_catches_typical_garbage(raw, encoding):
    assert detect_legacy(raw) == encoding


def test_detector_catches_most_encoded_names():
    rng = random.Random(7)
    names = [
        " ".join(rng.choice(pool) for pool in (FAMILY, MIDDLE, GIVEN)) for _ in range(2000)
    ]
    for encoding in ("tcvn3", "vni"):
        caught = sum(detect_legacy(encode_legacy(n, encoding)) == encoding for n in names)
        wrong = sum(
            detect_legacy(encode_legacy(n, encoding)) not in (encoding, None) for n in names
        )
        assert caught / len(names) > 0.9, encoding
        assert wrong == 0


def test_detector_leaves_plain_ascii_alone():
    assert detect_legacy("Nguyen Van An") is None
    assert detect_legacy("") is None


# ----------------------------------------------------------------- properties
_TEXT_CHARS = ALL_LETTERS + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'/()"
_TCVN3_CHARS = "".join(c for c in _TEXT_CHARS if c not in UPPER_LETTERS or c in TCVN3_UPPER)


@given(st.text(alphabet=_TEXT_CHARS, max_size=40))
def test_vni_decoding_what_it_encodes_gives_the_original(text):
    assert decode_legacy(encode_legacy(text, "vni"), "vni") == text


@given(st.text(alphabet=_TCVN3_CHARS, max_size=40))
def test_tcvn3_decoding_what_it_encodes_gives_the_original(text):
    encoded = encode_legacy(text, "tcvn3")
    assert decode_legacy(encoded, "tcvn3", fix_case=False) == text


@given(st.text(alphabet=_TEXT_CHARS, max_size=40))
def test_tcvn3_capitals_font_gives_the_original_capitals(text):
    upper = text.upper()
    assert decode_legacy(encode_legacy(upper, "tcvn3"), font=".VnTimeH") == upper


@given(st.text(alphabet=_TEXT_CHARS, max_size=40))
def test_tcvn3_keeps_every_letter_up_to_case(text):
    decoded = decode_legacy(encode_legacy(text, "tcvn3"), "tcvn3")
    assert decoded.lower() == text.lower()


@given(st.text(max_size=40))
def test_detector_and_decoder_never_raise(text):
    found = detect_legacy(text)
    assert found in (None, "tcvn3", "vni")
    decode_legacy(text)
