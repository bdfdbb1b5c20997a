"""Legacy Vietnamese font encodings: TCVN3 (ABC) and VNI-Windows.

Before Unicode, Vietnamese documents used 8-bit fonts. Text typed in them and read
back as ordinary Windows text looks like ``"NguyÔn V¨n An"`` (TCVN3) or
``"Nguyeãn Vaên An"`` (VNI). This module turns such text back into Unicode NFC.

- **TCVN3** (TCVN 5712:1993 VN3, the "ABC" fonts ``.VnTime``, ``.VnArial`` ...): one
  byte per lower-case letter (0xA8-0xFE); upper case exists only for Ă Â Ê Ô Ơ Ư Đ
  (0xA1-0xA7). Upper-case toned letters were typed in the all-capitals fonts
  (``.VnTimeH``, ``.VnArialH`` ...), which draw the same bytes as capitals.
- **VNI-Windows** (``VNI-Times``, ``VNI-Helve`` ...): a base letter followed by a
  mark byte (``"aù"`` = á, ``"aâ"`` = â, ``"aê"`` = ă, ``"aá"`` = ấ); ``ô`` = ơ,
  ``ö`` = ư, ``ñ`` = đ; i and ỵ with a tone are single bytes (``í ì æ ó ò``, ``î``).

Tables checked against the published converters (xvnkb ``vni.h``; the TCVN3 table
of the ABC converters) and by round-tripping all 134 Vietnamese letters.

>>> decode_legacy("NguyÔn V¨n An", "tcvn3")
'Nguyễn Văn An'
>>> decode_legacy("Nguyeãn Vaên An", font="VNI-Times")
'Nguyễn Văn An'
>>> encode_legacy("Đường", "vni")
'Ñöôøng'
>>> detect_legacy("NguyÔn V¨n An"), detect_legacy("Nguyễn Văn An")
('tcvn3', None)
"""

from __future__ import annotations

import re
import unicodedata

from libchild.text.lexicon import MINORITY, VIETNAMESE, name_rank, split_tone, syllable_kind
from libchild.text.syllable import LOWER_LETTERS, UPPER_LETTERS, split_letter

__all__ = [
    "ENCODINGS",
    "NOT_LEGACY_CHAR",
    "decode_legacy",
    "detect_legacy",
    "detect_legacy_prechecked",
    "encode_legacy",
    "encoding_for_font",
    "may_be_legacy",
]

ENCODINGS = ("tcvn3", "vni")

# ---------------------------------------------------------------------------- TCVN3
# Each row: Unicode letters, then their TCVN3 characters (the bytes read as
# Windows-1252 / Latin-1) in the same order.
_TCVN3_ROWS = (
    ("àáảãạ", "µ¸¶·¹"),
    ("ăằắẳẵặ", "¨»¾¼½Æ"),
    ("âầấẩẫậ", "©ÇÊÈÉË"),
    ("đèéẻẽẹ", "®ÌÐÎÏÑ"),
    ("êềếểễệ", "ªÒÕÓÔÖ"),
    ("ìíỉĩị", "×ÝØÜÞ"),
    ("òóỏõọ", "ßãáâä"),
    ("ôồốổỗộ", "«åèæçé"),
    ("ơờớởỡợ", "¬êíëìî"),
    ("ùúủũụ", "ïóñòô"),
    ("ưừứửữự", "\xadõøö÷ù"),
    ("ỳýỷỹỵ", "úýûüþ"),
    ("ĂÂĐÊÔƠƯ", "¡¢§£¤¥¦"),
)
_TCVN3_ENCODE: dict[str, str] = {
    letter: code
    for letters, codes in _TCVN3_ROWS
    for letter, code in zip(letters, codes, strict=True)
}
_TCVN3_DECODE: dict[str, str] = {v: k for k, v in _TCVN3_ENCODE.items()}
# Upper-case toned letters have no code: the .VnTimeH fonts draw the lower-case byte
# as a capital, so encoding writes the lower-case byte.
for _upper, _lower in zip(UPPER_LETTERS, LOWER_LETTERS, strict=True):
    _TCVN3_ENCODE.setdefault(_upper, _TCVN3_ENCODE[_lower])
_TCVN3_ENCODE_TABLE = str.maketrans(_TCVN3_ENCODE)
_TCVN3_DECODE_TABLE = str.maketrans(_TCVN3_DECODE)
# Bytes of lower-case letters: in an all-capitals font they were capitals too.
_TCVN3_CASELESS = frozenset(code for letter, code in _TCVN3_ENCODE.items() if letter.islower())

# ------------------------------------------------------------------------------ VNI
_VNI_TONES = ("", "ù", "ø", "û", "õ", "ï")  # none, sắc, huyền, hỏi, ngã, nặng
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")
_VNI_BASE = {  # quality base -> (VNI base characters, mark row)
    "a": ("a", _VNI_TONES), "â": ("a", _VNI_CIRCUMFLEX), "ă": ("a", _VNI_BREVE),
    "e": ("e", _VNI_TONES), "ê": ("e", _VNI_CIRCUMFLEX),
    "o": ("o", _VNI_TONES), "ô": ("o", _VNI_CIRCUMFLEX), "ơ": ("ô", _VNI_TONES),
    "u": ("u", _VNI_TONES), "ư": ("ö", _VNI_TONES),
    "y": ("y", _VNI_TONES),
}


def _vni_code(letter: str) -> str:
    """VNI spelling of one lower-case Vietnamese letter."""
    if letter == "đ":
        return "ñ"
    base, tone = split_letter(letter)
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == 5:
        return "î"
    vni_base, row = _VNI_BASE[base]
    return vni_base + row[tone]


_VNI_ENCODE: dict[str, str] = {}
for _lower_letter, _upper_letter in zip(LOWER_LETTERS, UPPER_LETTERS, strict=True):
    _code = _vni_code(_lower_letter)
    _VNI_ENCODE[_lower_letter] = _code
    _VNI_ENCODE[_upper_letter] = _code.upper()
_VNI_ENCODE_TABLE = str.maketrans(_VNI_ENCODE)
# Decoding: every code, plus the base letter's case winning over the mark's case
# ("Aù", "aÙ") since fonts were mixed freely.
_VNI_DECODE: dict[str, str] = {}
for _letter, _code in _VNI_ENCODE.items():
    _VNI_DECODE[_code] = _letter
    if len(_code) == 2:
        _other = _code[0] + (_code[1].lower() if _code[1].isupper() else _code[1].upper())
        _VNI_DECODE.setdefault(_other, _letter)
_VNI_MARKS = "".join(sorted({code[1] for code in _VNI_DECODE if len(code) == 2}))
_VNI_SINGLE = "".join(sorted(code for code in _VNI_DECODE if len(code) == 1))
_VNI_RE = re.compile(f"[aeouyAEOUYôöÔÖ][{_VNI_MARKS}]|[{_VNI_SINGLE}]")


def _vni_letter(match: re.Match[str]) -> str:
    code = match.group()
    found = _VNI_DECODE.get(code)
    if found is None:  # a base and a mark that do not go together ("oê"): keep the mark
        found = _VNI_DECODE.get(code[0], code[0]) + code[1]
    return found


def _vni_decode(text: str) -> str:
    return _VNI_RE.sub(_vni_letter, text)


# ---------------------------------------------------------------------------- fonts
# The ABC (TCVN3) families: ".VnTime", ".VnArial NarrowH"...; the dot is often lost
# ("VnTimeH") and the case varies (".vntimeh"). VNI families: "VNI-Times", "VNI Helve".
_VNI_FONT = re.compile(r"vni[\s_-]", re.IGNORECASE)
_TCVN3_FONT = re.compile(r"\.?vn(?!i\b)[a-z]", re.IGNORECASE)
_STYLE_SUFFIXES = (" bold italic", " bold", " italic")


def encoding_for_font(font_name: str | None) -> str | None:
    """Return ``"tcvn3"`` for the ABC fonts (``.VnTime`` ...), ``"vni"`` for ``VNI-*``.

    Case does not matter, nor the ABC fonts' leading dot, which spreadsheets and
    converters often drop (``VnTimeH``, ``.vntimeh``).

    >>> encoding_for_font(".VnTimeH"), encoding_for_font("VNI-Helve"), encoding_for_font("Arial")
    ('tcvn3', 'vni', None)
    >>> encoding_for_font("VnTimeH"), encoding_for_font(".vntimeh"), encoding_for_font("vni times")
    ('tcvn3', 'tcvn3', 'vni')
    """
    if not font_name:
        return None
    name = font_name.strip()
    if _VNI_FONT.match(name):
        return "vni"
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def _is_capitals_font(font_name: str) -> bool:
    """The TCVN3 all-capitals fonts end in H: .VnTimeH, .VnArialH, .vnavanth ..."""
    name = font_name.strip().lower()
    for suffix in _STYLE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name.endswith("h")


# --------------------------------------------------------------------------- decode
_WORD = re.compile(r"[^\s.,;:!?()\[\]/\"0-9-]+")


def _tcvn3_decode(text: str, fix_case: bool) -> str:
    if not fix_case:
        return text.translate(_TCVN3_DECODE_TABLE)

    def word(m: re.Match[str]) -> str:
        raw = m.group()
        decoded = raw.translate(_TCVN3_DECODE_TABLE)
        if not any(c in _TCVN3_CASELESS for c in raw):
            return decoded
        cased = [d for r, d in zip(raw, decoded, strict=True) if r not in _TCVN3_CASELESS]
        upper = sum(c.isupper() for c in cased)
        if upper >= 2 and not any(c.islower() for c in cased):
            return decoded.upper()
        return decoded

    return _WORD.sub(word, text)


def decode_legacy(
    text: str, encoding: str | None = None, font: str | None = None, *, fix_case: bool = True
) -> str:
    """Return ``text`` (TCVN3 or VNI read as Windows text) as Unicode NFC.

    ``encoding`` is ``"tcvn3"`` or ``"vni"``; without it, ``font`` (a font name such as
    ``".VnTime"`` or ``"VNI-Times"``) decides, and without either :func:`detect_legacy`
    does (text that does not look legacy-encoded comes back unchanged, in NFC).
    A TCVN3 all-capitals font (``.VnTimeH``) gives upper case. With ``fix_case``,
    a TCVN3 word whose other letters are capitals (at least two) gets its
    Vietnamese letters in capitals too (``"NGUYÔN"`` gives ``"NGUYỄN"``), since
    TCVN3 has no code for upper-case toned letters.

    >>> decode_legacy("§oµn Thanh H¶i", font=".VnTime")
    'Đoàn Thanh Hải'
    >>> decode_legacy("nguyÔn thÞ ¸nh", font=".VnTimeH")
    'NGUYỄN THỊ ÁNH'
    """
    if encoding is None and font is not None:
        encoding = encoding_for_font(font)
    capitals = encoding == "tcvn3" and font is not None and _is_capitals_font(font)
    if encoding is None:
        encoding = detect_legacy(text)
    if encoding is None:
        return unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        out = _tcvn3_decode(text, fix_case and not capitals)
        if capitals:
            out = out.upper()
    elif encoding == "vni":
        out = _vni_decode(text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; use 'tcvn3' or 'vni'")
    return unicodedata.normalize("NFC", out)


def encode_legacy(text: str, encoding: str) -> str:
    """Return Unicode ``text`` written in the legacy ``encoding`` (the inverse of decoding).

    Characters the encoding cannot write are kept. TCVN3 has no upper-case toned
    letters: they are written with the lower-case byte, as the .VnTimeH fonts expect.

    >>> encode_legacy("Nguyễn Văn An", "tcvn3")
    'NguyÔn V¨n An'
    """
    nfc = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        return nfc.translate(_TCVN3_ENCODE_TABLE)
    if encoding == "vni":
        return nfc.translate(_VNI_ENCODE_TABLE)
    raise ValueError(f"unknown legacy encoding {encoding!r}; use 'tcvn3' or 'vni'")


# --------------------------------------------------------------------------- detect
#: Finds a character that legacy text read as Windows-1252 cannot hold (it holds only
#: Latin-1 and the cp1252 extras): where one is found, the text is Unicode.
NOT_LEGACY_CHAR = re.compile("[^\x00-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
# Words: letters and the TCVN3 symbol codes (¨ © ª « ¬ soft hyphen ® µ ¶ · ¸ ¹ » ¼ ½ ¾).
_TOKEN = re.compile(r"[A-Za-z\xa1-\xaf\xb5-\xb9\xbb-\xbe\xc0-\xff]+")
# Anything but those letters and white space: where there is none (most names), the
# words are the runs between white space, which str.split finds faster than _TOKEN
# (both take white space as Py_UNICODE_ISSPACE, and the letters hold none).
_NOT_TOKEN_OR_SPACE = re.compile(r"[^A-Za-z\xa1-\xaf\xb5-\xb9\xbb-\xbe\xc0-\xff\s]")
# Letters a person's name can hold when Latin-1 text is what it seems.
_LATIN1_LETTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
)

# The scorer: each word costs, under each reading (as it stands, TCVN3, VNI), about
# -log of how likely a register would hold it; a reading wins when it makes the text
# cheaper by at least the threshold (the prior against legacy text).
_COST_SYLLABLE = 5  # a Vietnamese syllable names are not made of ("thò")
_COST_MINORITY = 6  # a word of a minority name ("Ksor"), or a syllable breaking a rule
_COST_FOREIGN = 7  # Latin-1 letters that make no syllable: a European word ("Loïc");
#                    also a tone on a word that is no Vietnamese syllable ("Traùng")
_COST_GARBAGE = 12  # symbols inside a word, or a decoding that gives no syllable
_COST_ODD_CASE = 3  # a capital inside a word that is not all capitals ("TuÊn", "NÕnh")
_THRESHOLD = 4
_THRESHOLD_ONE_WORD = 6  # a text of one word says less about itself


def _odd_case(word: str) -> bool:
    """Neither lower case, capitals, title case nor Caps Lock's inverted title ("lÊ")."""
    if not word or word.islower() or word.isupper() or word.istitle():
        return False
    return not (word[0].islower() and word[1:].isupper())


def may_be_legacy(text: str) -> bool:
    """The cheap pre-check: False when ``text`` cannot be legacy text.

    Legacy text read as Windows text holds only Latin-1 and the cp1252 extras and at
    least one character beyond ASCII; any other letter (ă đ ơ ư ạ ...) means Unicode.
    """
    return not text.isascii() and NOT_LEGACY_CHAR.search(text) is None


def _reading_cost(word: str) -> int:
    """Cost of ``word`` when it is a syllable; ``_COST_GARBAGE`` when it is none.

    A name syllable (:func:`~libchild.text.lexicon.name_rank`) costs its rank, 1 to 3.
    """
    kind = syllable_kind(word)
    if kind == VIETNAMESE:
        return name_rank(word) or _COST_SYLLABLE
    if kind == MINORITY:
        if (split_tone(word) or ("", 1))[1]:
            return _COST_FOREIGN  # a tone, yet no Vietnamese syllable ("Traùng")
        return name_rank(word) or _COST_MINORITY
    return _COST_GARBAGE


# VNI letters that no spelling writes: a vowel followed by a VNI tone or quality byte,
# except the pairs of French, Spanish and Portuguese (naïf, Noël, Raúl, goût, où, João)
# and of Vietnamese itself (hoá, hoà, ngoã).
_VNI_PAIR = re.compile(f"[aeouyôöAEOUYÔÖ][{_VNI_MARKS}]")
_TCVN3_AFTER_CONSONANT = re.compile("[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z][ßïÏ]")
_EUROPEAN_PAIRS = frozenset(p + q for p in "aeouy" for q in "ïëü") | {
    "aú", "où", "oû", "oã", "oá", "oà",
}


def _unicode_cost(word: str) -> int:
    """Cost of ``word`` read as it stands."""
    cost = _reading_cost(word)
    if cost >= _COST_FOREIGN:  # no syllable, or a tone where no syllable has one
        if cost == _COST_GARBAGE and all(c in _LATIN1_LETTERS for c in word):
            cost = _COST_FOREIGN
        for pair in _VNI_PAIR.findall(word):
            if pair.lower() not in _EUROPEAN_PAIRS and pair in _VNI_DECODE:
                cost = _COST_GARBAGE  # "Noâng", "Vaên", "Juùt": no language writes that
                break
        if _TCVN3_AFTER_CONSONANT.search(word) or word[0] in "ñÑ":
            # "Brßn", "Mïa": ß and ï follow vowels in German and French; "Ñak": đ in VNI
            cost = _COST_GARBAGE
    return cost + (_COST_ODD_CASE if _odd_case(word) else 0)


_GAINS: tuple[dict[str, tuple[int, int, bool, bool]], ...] = ({}, {})  # text, name
_GAINS_LIMIT = 16_384


def _word_gains(word: str, name: bool) -> tuple[int, int, bool, bool]:
    """How much cheaper ``word`` is read as TCVN3 and as VNI than as it stands, and
    whether each reading is decisive: a name syllable, or garbage as it stands.

    Unless ``name``, a word that is a Vietnamese syllable as it stands is taken as it
    stands: decoding can only count against the encoding ("dòng sông" is no "dũng").
    """
    cost = _unicode_cost(word)
    gains = [0, 0]
    decisive = [False, False]
    tcvn3 = word.translate(_TCVN3_DECODE_TABLE)
    if tcvn3 != word:
        # TCVN3 has no toned capitals: judge the case on the letters it left alone.
        plain = "".join(c for r, c in zip(word, tcvn3, strict=True) if r == c)
        decoded = _reading_cost(tcvn3)
        gains[0] = cost - decoded - (_COST_ODD_CASE if _odd_case(plain) else 0)
        decisive[0] = (
            decoded <= 3
            or cost >= _COST_GARBAGE
            or (_odd_case(word) and not _odd_case(plain))  # "JóT": no toned capitals
        )
    vni = _vni_decode(word)
    if vni != word:
        decoded = _reading_cost(vni)
        # VNI writes capitals: a word's case is the same in both readings.
        gains[1] = cost - decoded - (_COST_ODD_CASE if _odd_case(word) else 0)
        decisive[1] = decoded <= 3 or cost >= _COST_GARBAGE
    if not name and syllable_kind(word) == VIETNAMESE:
        found = min(gains[0], 0), min(gains[1], 0), False, False
    else:
        found = gains[0], gains[1], decisive[0], decisive[1]
    memo = _GAINS[name]
    if len(memo) > _GAINS_LIMIT:
        memo.clear()
    memo[word] = found
    return found


def detect_legacy(text: str, *, name: bool = False) -> str | None:
    """Return ``"tcvn3"`` or ``"vni"`` when ``text`` looks legacy-encoded, else None.

    Text with any letter beyond Latin-1 (ă đ ơ ư ạ ...) is Unicode. Otherwise each
    word is scored as it stands and decoded from each encoding, against the syllable
    table of :mod:`libchild.text.lexicon`: a name syllable costs least (the commonest
    least of all), then any Vietnamese syllable, a word of a minority name, a European
    word, and most a word with symbols in it, a letter pair no language writes
    ("oâ", "aù") or a decoding that is no syllable; a capital inside a word costs
    extra. An encoding is reported when it makes the text cheaper by a margin (wider
    for a one-word text), more so than the other encoding, and some word is decisive
    (decoded to a name syllable, or garbage as it stands); a tie gives None.

    ``name`` says the text is a person's name: then a word that is a Vietnamese
    syllable but no name ("Thò", "Vò") also counts when decoding gives a name syllable
    ("Thị" in VNI, "Vũ" in TCVN3); in other text such a word is taken as it stands.
    Tuned never to flag good Unicode (European and minority names included): see
    docs/benchmarks.md for the rates.

    >>> detect_legacy("Nguyeãn Thò Hoàng Yeán"), detect_legacy("Lê Hoà, Chloé Müller")
    ('vni', None)
    >>> detect_legacy("Vâ Ngäc An"), detect_legacy("Noâng Thò Mai")
    ('tcvn3', 'vni')
    >>> detect_legacy("Sa Thò Nga"), detect_legacy("Sa Thò Nga", name=True)
    (None, 'vni')
    """
    if text.isascii() or NOT_LEGACY_CHAR.search(text) is not None:  # may_be_legacy
        return None
    return detect_legacy_prechecked(text, name)


def detect_legacy_prechecked(text: str, name: bool) -> str | None:
    """:func:`detect_legacy` of a text that :func:`may_be_legacy` let through (the name
    check runs the pre-check itself and calls this for the few texts it lets pass)."""
    words = text.split() if _NOT_TOKEN_OR_SPACE.search(text) is None else _TOKEN.findall(text)
    tcvn3 = vni = 0
    tcvn3_decisive = vni_decisive = False
    memo = _GAINS[name]  # words repeat even when names do not
    for word in words:
        if not word.isascii():
            gain_tcvn3, gain_vni, decisive_tcvn3, decisive_vni = (
                memo.get(word) or _word_gains(word, name))
            tcvn3 += gain_tcvn3
            vni += gain_vni
            tcvn3_decisive |= decisive_tcvn3
            vni_decisive |= decisive_vni
    if tcvn3 == vni:
        return None  # both readings fit as well (or neither): do not guess
    best, gain, decisive = (
        ("tcvn3", tcvn3, tcvn3_decisive) if tcvn3 > vni else ("vni", vni, vni_decisive)
    )
    if not decisive:
        return None  # only ordinary syllables on both sides ("Loïc Haïm"): no evidence
    return best if gain >= (_THRESHOLD_ONE_WORD if len(words) == 1 else _THRESHOLD) else None
