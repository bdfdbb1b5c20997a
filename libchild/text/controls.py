"""Characters that must never reach a terminal from stored text: the one definition.

A stored name such as ``"Bản\\x1b]0;pwned\\x07"`` would retitle or clear the terminal
of whoever lists it. Unsafe are the C0 controls except tab and newline, DEL, the C1
controls (U+0080-U+009F, which some terminals take as ESC sequences) and the Unicode
bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
reorder what is shown (Unicode Technical Report #36, "Bidirectional Text Spoofing").
:func:`first_unsafe` finds them at input; :func:`escape_unsafe` makes stored text safe
to print.
"""

from __future__ import annotations

import re

__all__ = ["escape_unsafe", "first_unsafe"]

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def first_unsafe(text: str) -> int | None:
    """The index of the first unsafe character of ``text``, or None when there is none."""
    found = _UNSAFE.search(text)
    return None if found is None else found.start()


def escape_unsafe(text: str) -> str:
    """``text`` with each unsafe character shown as a visible ``\\uXXXX`` escape (the
    same form JSON uses, so escaped JSON stays valid); safe text is returned unchanged."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
