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

import functools
import re
import unicodedata

from libchild.text.syllable import LOWER_LETTERS, UPPER_LETTERS, is_syllable, split_letter

__all__ = ["ENCODINGS", "decode_legacy", "detect_legacy", "encode_legacy", "encoding_for_font"]

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
_TCVN3_FONT = re.compile(r"\.?vn", re.IGNORECASE)
_VNI_FONT = re.compile(r"vni[\s_-]", re.IGNORECASE)


def encoding_for_font(font_name: str | None) -> str | None:
    """Return ``"tcvn3"`` for the ABC fonts (``.VnTime`` ...), ``"vni"`` for ``VNI-*``.

    >>> encoding_for_font(".VnTimeH"), encoding_for_font("VNI-Helve"), encoding_for_font("Arial")
    ('tcvn3', 'vni', None)
    """
    if not font_name:
        return None
    name = font_name.strip()
    if _VNI_FONT.match(name):
        return "vni"
    if name.startswith(".") and _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def _is_capitals_font(font_name: str) -> bool:
    """The TCVN3 all-capitals fonts end in H: .VnTimeH, .VnArialH, .VnAvantH ..."""
    name = font_name.strip()
    for suffix in (" Bold Italic", " Bold", " Italic"):
        name = name.removesuffix(suffix)
    return name.endswith("H")


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
# Legacy text read as Windows-1252 holds only Latin-1 and the cp1252 extras.
_CP1252_EXTRA = re.compile("[€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_NOT_LEGACY = re.compile("[^\x00-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_TOKEN = re.compile(r"[A-Za-z\xa1-\xaf\xb5-\xb9\xbb-\xbe\xc0-\xff]+")
# Sure signs, which European words do not show. TCVN3: a symbol byte inside a word,
# a capital after a small letter ("KiÒu", "TriÖu"), ï or ß after a consonant ("Mïa").
_TCVN3_SIGN = re.compile(
    "[\xa1-\xaf\xb5-\xb9\xbb-\xbe×÷Þþ]|[a-z][À-Þ]|[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Zđ][ïß]"
)
# VNI: a vowel followed by a tone or quality byte other than a European diaeresis,
# a diaeresis byte after ô/ö (ơ/ư) or ä after a, e, o; đ (ñ) starting a word.
_VNI_SIGN = re.compile(
    "[aeiouyôöAEIOUYÔÖ][ùøûõâêáàåãéèúÙØÛÕÂÊÁÀÅÃÉÈÚ]|[ôöÔÖ][ïëüäÏËÜÄ]|[öÖ][ôÔ]|[aeoAEO][äÄ]|^[ñÑ]"
)
_VIET_LETTERS = frozenset(LOWER_LETTERS + UPPER_LETTERS)


@functools.lru_cache(maxsize=65536)
def _is_vietnamese_word(word: str) -> bool:
    return all(c.isascii() or c in _VIET_LETTERS for c in word) and is_syllable(
        word, loose=True
    )


def detect_legacy(text: str) -> str | None:
    """Return ``"tcvn3"`` or ``"vni"`` when ``text`` looks legacy-encoded, else None.

    Tuned never to flag good Unicode: text with any letter beyond Latin-1 (ă đ ơ ư
    ạ ...) is Unicode; a word that is a valid Vietnamese syllable as it stands counts
    for Unicode; a word counts for an encoding only when decoding it gives a valid
    syllable. The text is flagged when such words outnumber the foreign ones and
    either one of them carries a sure sign (a TCVN3 symbol byte, a VNI tone byte
    after a vowel ...) or there are at least three of them.

    >>> detect_legacy("Nguyeãn Thò Hoàng Yeán"), detect_legacy("Lê Hoà, Chloé Müller")
    ('vni', None)
    """
    if text.isascii():
        return None
    if len(text.encode("latin-1", "ignore")) != len(text) and (
        _CP1252_EXTRA.search(text) is None or _NOT_LEGACY.search(text)
    ):
        return None  # a letter beyond Latin-1 (ă đ ơ ư ạ ...): this is Unicode
    foreign = 0
    votes = {"tcvn3": 0, "vni": 0}
    signs = {"tcvn3": False, "vni": False}
    for word in _TOKEN.findall(text):
        if _is_vietnamese_word(word):
            continue
        if word.isascii():
            foreign += 1
            continue
        hit = False
        tcvn3 = word.translate(_TCVN3_DECODE_TABLE)
        if tcvn3 != word and _is_vietnamese_word(tcvn3):
            votes["tcvn3"] += 1
            signs["tcvn3"] = signs["tcvn3"] or bool(_TCVN3_SIGN.search(word))
            hit = True
        vni = _vni_decode(word)
        if vni != word and _is_vietnamese_word(vni):
            votes["vni"] += 1
            signs["vni"] = signs["vni"] or (len(vni) > 1 and bool(_VNI_SIGN.search(word)))
            hit = True
        if not hit:
            foreign += 1
    if votes["tcvn3"] == votes["vni"]:
        return None  # both readings fit as well: do not guess
    best = max(ENCODINGS, key=votes.__getitem__)
    if votes[best] > foreign and (signs[best] or votes[best] >= 3):
        return best
    return None
