"""Vietnamese letters and syllable structure.

The shared knowledge behind legacy-encoding detection and typing composition:
splitting a letter into its base (with its quality mark: ă â ê ô ơ ư) and its tone,
the list of vowel nuclei, and where the tone mark goes.

Tones are numbered as on a VNI keyboard: 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.

>>> split_letter("ễ")
('ê', 4)
>>> join_letter("Ư", 2)
'Ừ'
>>> is_syllable("nguyễn"), is_syllable("nguyôn"), is_syllable("Hoà"), is_syllable("Quỳnh")
(True, False, True, True)
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "FINALS",
    "LOWER_LETTERS",
    "MINORITY_FINALS",
    "MINORITY_ONSETS",
    "ONSETS",
    "STOP_FINALS",
    "UPPER_LETTERS",
    "fits_nucleus",
    "is_syllable",
    "is_vowel",
    "join_letter",
    "split_letter",
    "tone_index",
]

_TONE_MARKS = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_TONE_CHAR = {v: k for k, v in _TONE_MARKS.items()}
_BASES = "aăâeêioôơuưy"

#: The 67 lower-case Vietnamese letters that are not ASCII: the 12 vowels with every
#: tone (a e i o u y only with a tone: 6 x 5 + 6 x 6 = 66) and đ.
LOWER_LETTERS: str = (
    "".join(
        unicodedata.normalize("NFC", base + _TONE_CHAR[tone]) if tone else base
        for base in _BASES
        for tone in range(6)
        if base not in "aeiouy" or tone  # plain a e i o u y are ASCII, not counted
    )
    + "đ"
)
#: The 67 upper-case counterparts, in the same order.
UPPER_LETTERS: str = LOWER_LETTERS.upper()

_SPLIT: dict[str, tuple[str, int]] = {}
_JOIN: dict[tuple[str, int], str] = {}
for _base in _BASES + _BASES.upper():
    for _tone in range(6):
        _letter = unicodedata.normalize("NFC", _base + _TONE_CHAR[_tone]) if _tone else _base
        _SPLIT[_letter] = (_base, _tone)
        _JOIN[(_base, _tone)] = _letter


def split_letter(letter: str) -> tuple[str, int]:
    """Return ``(base, tone)`` of one letter; a non-vowel is its own base with tone 0."""
    return _SPLIT.get(letter, (letter, 0))


def join_letter(base: str, tone: int) -> str:
    """Return ``base`` (a vowel, possibly with ă â ê ô ơ ư quality) carrying ``tone``."""
    return _JOIN.get((base, tone), base)


def is_vowel(letter: str) -> bool:
    """True when ``letter`` is a Vietnamese vowel letter, of either case, any tone."""
    return letter in _SPLIT


# Vowel nuclei (tone-free). Those that may take a final consonant, and those that may not.
_WITH_FINAL = (
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "iê", "yê", "oa", "oă",
    "oe", "oo", "uâ", "uê", "uô", "ươ", "uy", "uyê",
)
_OPEN_ONLY = (
    "y", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua",
    "ui", "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya",
    "uyu", "ươi", "ươu", "uơ",
)
_STRIP_QUALITY = str.maketrans("ăâêôơư", "aaeoou")
# Nuclei that never end a syllable (xoong, ương, tiên, khuyên, ăn, ân).
_NEEDS_FINAL = frozenset(
    ("oo", "iê", "ie", "yê", "ye", "uô", "ươ", "uyê", "uye", "ă", "â", "oă", "uâ")
)


def _variants(nucleus: str) -> set[str]:
    """Every spelling of ``nucleus`` with some quality marks not (yet) written."""
    out = {""}
    for ch in nucleus:
        plain = ch.translate(_STRIP_QUALITY)
        out = {s + ch for s in out} | {s + plain for s in out}
    return out


_NUCLEI_FINAL: frozenset[str] = frozenset(v for n in _WITH_FINAL for v in _variants(n))
_NUCLEI_OPEN: frozenset[str] = frozenset(v for n in _WITH_FINAL + _OPEN_ONLY for v in _variants(n))

ONSETS = frozenset((
    "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
))
FINALS = frozenset(("c", "ch", "m", "n", "ng", "nh", "p", "t"))
STOP_FINALS = frozenset(("c", "ch", "p", "t"))

#: Onsets that the Latin spellings of minority languages add to Vietnamese ones, with
#: Vietnamese marks on the vowels after them. Seen in the names of the list of
#: administrative units (Decision 124/2004/QĐ-TTg: Krông Pắc, Kbang, Chư Prông, Đắk
#: Glei, Ia Grai, Kon Plông, M'Đrắk, Đắk Rlấp) and of the 54 ethnic groups (Decision
#: 121-TCTK/PPCĐ: Hmông, Mnông, Hrê, Jrai, Bru, Brâu), and in personal names (Kdăm,
#: Mlô, Hlơng, Knul, Srê). Not "ks": "Ksor" is written without marks.
MINORITY_ONSETS = frozenset((
    "bl", "br", "dl", "dr", "đr", "gl", "gr", "hl", "hm", "hn", "hr", "j", "jr", "kb", "kd",
    "kl", "kn", "kp", "kr", "ml", "mn", "mr", "pl", "pr", "sr", "tl",
))
#: Finals of minority names: k as in Đắk Lắk, Búk (closes like c: only sắc or nặng);
#: l as in Ênuôl, Đắk Mil; h as in Chư Păh, Rơ Mah.
MINORITY_FINALS = frozenset(("k", "l", "h"))

_STRICT = re.compile(
    "(" + "|".join(sorted(ONSETS, key=len, reverse=True)) + ")?"
    "([aăâeêioôơuưy]+)"
    "(" + "|".join(sorted(FINALS, key=len, reverse=True)) + ")?"
)
# Loose: any short consonant cluster before (ethnic-minority names: Kpă, Mlô, Krông)
# and also k, l, r as finals (Búk, Ênuôl, Ksor).
_LOOSE = re.compile("([bcdfghjklmnpqrstvwxzđ]{0,3})([aăâeêioôơuưy]+)(ch|ng|nh|[cmnptklr])?")


def fits_nucleus(nucleus: str, *, closed: bool) -> bool:
    """True when ``nucleus`` can be the vowels of a syllable, perhaps still being typed.

    ``nucleus`` is lower-case and toneless; quality marks may be missing ("uo" for
    "uô"). ``closed``: a final consonant follows. After qu- pass the vowels after the u.

    >>> fits_nucleus("uyê", closed=False), fits_nucleus("ia", closed=True)
    (True, False)
    """
    return nucleus in (_NUCLEI_FINAL if closed else _NUCLEI_OPEN)


def _base_and_tone(word: str) -> tuple[str, int] | None:
    """Lower-case toneless spelling of ``word`` and its tone; None if two tones."""
    tone = 0
    chars = []
    for ch in word.lower():
        base, t = _SPLIT.get(ch, (ch, 0))
        if t:
            if tone:
                return None
            tone = t
        chars.append(base)
    return "".join(chars), tone


def is_syllable(word: str, *, loose: bool = False, partial: bool = False) -> bool:
    """True when ``word`` (any case, with or without marks) is one Vietnamese syllable.

    Accepts unaccented spellings ("nguyen") and both tone placements ("hòa", "hoà").
    ``loose`` also accepts the consonant clusters and finals of ethnic-minority
    names. ``partial`` accepts a syllable still being typed ("nguye", "đươ"), so
    neither a missing final nor the tone position is checked. Permissive by design:
    it must never reject real Vietnamese.
    """
    split = _base_and_tone(word)
    if split is None:
        return False
    base, tone = split
    match = (_LOOSE if loose else _STRICT).fullmatch(base)
    if match is None:
        return False
    onset, nucleus, final = match.group(1) or "", match.group(2), match.group(3) or ""
    nuclei = _NUCLEI_FINAL if final else _NUCLEI_OPEN
    start = match.start(2)
    # q + u..., g + i...: the u of qu- and the i of gi- may belong to the onset; after
    # qu- a lone y is the uy of quýt, Quỳnh.
    if nucleus not in nuclei:
        if onset == "qu" and "u" + nucleus in nuclei:
            pass
        elif not (onset[-1:] in ("q", "g") and nucleus[:1] in "ui" and nucleus[1:] in nuclei):
            return False
        else:
            nucleus, start = nucleus[1:], start + 1
    # Syllables closed by p, t, c, ch take only sắc or nặng (or none, unaccented).
    if not loose and final in STOP_FINALS and tone not in (0, 1, 5):
        return False
    if partial:
        return True
    if not final and nucleus in _NEEDS_FINAL:
        return False
    if tone:
        at = next(i for i, ch in enumerate(word) if split_letter(ch)[1])
        end = start + len(match.group(2)) - (start - match.start(2))
        allowed = {tone_index(base, start, end), tone_index(base, start, end, modern=True)}
        if at not in allowed:
            return False
    return True


# Nuclei with two plain vowels whose tone moves to the second vowel in the "new" style.
_MODERN_SECOND = frozenset(("oa", "oe", "uy"))
_QUALITY = frozenset("ăâêôơư")


def tone_index(base: str, start: int, end: int, *, modern: bool = False) -> int:
    """Index in ``base`` of the vowel that carries the tone.

    ``base`` is the lower-case toneless word; ``[start, end)`` its vowel cluster.
    The old style ("hòa", "thúy", "khỏe") is the default; ``modern`` gives "hoà",
    "thuý", "khoẻ". A "qu" or "gi" before the cluster counts as consonant.
    """
    if end - start > 1 and start > 0:
        pair = base[start - 1 : start + 1]
        if pair in ("qu", "gi"):
            start += 1
    nucleus = base[start:end]
    if len(nucleus) == 1:
        return start
    marked = [i for i, ch in enumerate(nucleus) if ch in _QUALITY]
    if marked:
        return start + marked[-1]
    if end < len(base):  # a final consonant follows: the last vowel
        return end - 1
    if len(nucleus) >= 3:
        return start + 1
    if modern and nucleus in _MODERN_SECOND:
        return start + 1
    return start
