"""Vietnamese text: names, folding, legacy font encodings and typing composition.

Pure standard library. The public API:

- :func:`nfc`, :func:`fold`: the normal form and the search/matching key;
- :func:`normalize_name`, :func:`name_error`: names as the register writes them;
- :data:`NAME_MAX_CHARS`, :data:`TEXT_MAX_CHARS`: the longest name and other free text;
- :func:`decode_legacy`, :func:`encode_legacy`, :func:`detect_legacy`,
  :func:`encoding_for_font`: TCVN3 and VNI-Windows text;
- :func:`compose`, :class:`Composer`: Telex and VNI typing for terminals that
  cannot input Vietnamese.

>>> from libchild.text import fold, normalize_name
>>> fold(normalize_name("ĐỖ thị  HẰNG"))
'do thi hang'
"""

from __future__ import annotations

from libchild.text.compose import Composer, compose
from libchild.text.fold import fold, nfc
from libchild.text.legacy import decode_legacy, detect_legacy, encode_legacy, encoding_for_font
from libchild.text.limits import NAME_MAX_CHARS, TEXT_MAX_CHARS
from libchild.text.names import MAX_NAME_LENGTH, NAME_REASONS, name_error, normalize_name

__all__ = [
    "MAX_NAME_LENGTH",
    "NAME_MAX_CHARS",
    "NAME_REASONS",
    "TEXT_MAX_CHARS",
    "Composer",
    "compose",
    "decode_legacy",
    "detect_legacy",
    "encode_legacy",
    "encoding_for_font",
    "fold",
    "name_error",
    "nfc",
    "normalize_name",
]
