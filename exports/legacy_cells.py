"""Repair of TCVN3 (ABC, ".VnTime") and VNI ("VNI-Times") text, one cell at a time.

Old commune lists were typed with 8-bit Vietnamese fonts: in Unicode they read as
"NguyÔn V¨n An". The cell's font name says which encoding was used
(:func:`libchild.text.encoding_for_font`); where no font says, the user's choice
applies: ``"auto"`` (the detector of :func:`libchild.text.detect_legacy`), ``"tcvn3"``,
``"vni"`` or ``"none"`` (never repair). Text that already holds real Unicode
Vietnamese letters is never touched.
"""

from __future__ import annotations

import re

from libchild.text import decode_legacy, detect_legacy, encoding_for_font

__all__ = ["CHOICES", "may_be_legacy", "repair_cell"]

#: The user's choices for cells whose font does not say.
CHOICES: tuple[str, ...] = ("auto", "tcvn3", "vni", "none")

# Characters a legacy 8-bit text can show after a cp1252/latin-1 round trip; anything
# else (ư, ơ, ạ, ...) means the text is real Unicode already.
_LEGACY_CHARS = frozenset(
    bytes(range(0x80, 0x100)).decode("latin-1")
    + bytes(b for b in range(0x80, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)).decode(
        "cp1252"
    )
)

_NOT_LEGACY = re.compile("[^\x00-\x7f" + re.escape("".join(sorted(_LEGACY_CHARS))) + "]")


def may_be_legacy(text: str) -> bool:
    """True when ``text`` could be TCVN3/VNI read as Unicode: every character is ASCII
    or one an 8-bit font shows (one regular-expression search: cheap on every cell).

    >>> may_be_legacy("NguyÔn V¨n An"), may_be_legacy("Nguyễn Văn An"), may_be_legacy("An")
    (True, False, True)
    """
    return _NOT_LEGACY.search(text) is None


def repair_cell(
    value: object, font: str | None = None, choice: str = "auto"
) -> tuple[object, str | None]:
    """Return ``(value, encoding)``: the repaired value and the encoding decoded, if any.

    Non-text values, plain ASCII and real Unicode text come back unchanged with None.
    """
    if not isinstance(value, str) or value.isascii() or choice == "none":
        return value, None
    if not may_be_legacy(value):
        return value, None
    encoding = encoding_for_font(font) if font else None
    if encoding is not None:  # the font also says whether it is an all-capitals face
        repaired = decode_legacy(value, font=font)
    else:
        encoding = detect_legacy(value) if choice == "auto" else choice
        if encoding is None:
            return value, None
        repaired = decode_legacy(value, encoding=encoding)
    return (repaired, encoding) if repaired != value else (value, None)
