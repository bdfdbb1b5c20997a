"""Folding: the search and matching key for Vietnamese text.

>>> fold("Nguyễn Văn Đức")
'nguyen van duc'
>>> fold("H'Mông") == fold("HMÔNG") == fold("hmong")
True
>>> fold("Bru-Vân  Kiều")
'bruvan kieu'
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "nfc"]

# Characters removed outright: apostrophes and hyphens of every common kind.
_DROP = "'’‘`´-‐‑‒–—ʼ"
_TRANSLATE = {ord(c): None for c in _DROP}
_TRANSLATE.update({ord("đ"): "d", ord("Đ"): "d", ord("\u0110"): "d", ord("\u0111"): "d"})


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normalization form C."""
    return unicodedata.normalize("NFC", text)


def _strip_marks(letter: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", letter) if not unicodedata.combining(c))


# Fast path: every precomposed lower-case Latin letter of Latin-1, Latin Extended-A
# and the Vietnamese block maps straight to its base letter, no decomposition needed.
_FAST = dict(_TRANSLATE)
for _code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
    _char = chr(_code)
    _base = _strip_marks(_char)
    if _char.islower() and len(_base) == 1 and _base.isascii() and _base != _char:
        _FAST[_code] = _base


def fold(text: str) -> str:
    """Return the matching key of ``text``.

    Lower case, no diacritics, đ folded to d, apostrophes and hyphens removed and
    runs of whitespace collapsed to one space. Folding is idempotent:
    ``fold(fold(x)) == fold(x)``.
    """
    lowered = text.lower()
    if lowered.isascii():
        stripped = lowered.translate(_TRANSLATE)
    elif (fast := lowered.translate(_FAST)).isascii():
        stripped = fast
    else:
        decomposed = unicodedata.normalize("NFD", lowered.translate(_TRANSLATE))
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        stripped = stripped.translate(_TRANSLATE)
    return " ".join(stripped.split())
