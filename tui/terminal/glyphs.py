"""The characters every screen may draw, and the ASCII stand-ins for the others.

Commune PCs reach the app through PuTTY with its default fonts (Courier New, Lucida
Console, Consolas). A character the font lacks shows as an empty box, so a screen that
marks errors with ``✗`` or a cursor with ``▏`` loses its meaning there. The characters
every screen may draw are :data:`SAFE`: Microsoft's WGL4 set (the repertoire of the
Windows core fonts; box drawing, blocks, arrows, Latin, Greek, Cyrillic) and the letters
of Vietnamese (Windows code page 1258, which Courier New and Consolas carry).

With ``TREEM_ASCII=1`` in the environment the terminal driver (and the command line)
replaces every other character the app or Textual writes by its stand-in from
:data:`FALLBACK`, made of SAFE characters and as wide in cells (nothing on the screen
moves), or by ``?`` for one it does not know. Without it nothing is replaced: terminals
with fuller fonts keep the clearer marks.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["ENV_ASCII", "FALLBACK", "SAFE", "ascii_wanted", "to_safe", "unsafe"]

#: Set to 1 to replace every character outside :data:`SAFE` (see the module doc).
ENV_ASCII = "TREEM_ASCII"


def _ranges(*spans: tuple[int, int] | int) -> set[str]:
    out: set[str] = set()
    for span in spans:
        first, last = span if isinstance(span, tuple) else (span, span)
        out.update(chr(code) for code in range(first, last + 1))
    return out


#: Windows Glyph List 4 (Microsoft Typography, "WGL4 character set"): 652 characters.
WGL4 = frozenset(_ranges(
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0100, 0x017F), 0x0192, (0x01FA, 0x01FF),
    0x02C6, 0x02C7, 0x02C9, (0x02D8, 0x02DD),
    (0x0384, 0x038A), 0x038C, (0x038E, 0x03A1), (0x03A3, 0x03CE),
    (0x0401, 0x040C), (0x040E, 0x044F), (0x0451, 0x045C), (0x045E, 0x045F), (0x0490, 0x0491),
    (0x1E80, 0x1E85), (0x1EF2, 0x1EF3),
    (0x2013, 0x2015), (0x2017, 0x201E), (0x2020, 0x2022), 0x2026, 0x2030, (0x2032, 0x2033),
    (0x2039, 0x203A), 0x203C, 0x203E, 0x2044, 0x207F, (0x20A3, 0x20A4), 0x20A7, 0x20AC,
    0x2105, 0x2113, 0x2116, 0x2122, 0x2126, 0x212E, (0x215B, 0x215E),
    (0x2190, 0x2195), 0x21A8,
    0x2202, 0x2206, 0x220F, (0x2211, 0x2212), 0x2215, (0x2219, 0x221A), (0x221E, 0x221F),
    0x2229, 0x222B, 0x2248, (0x2260, 0x2261), (0x2264, 0x2265),
    0x2302, 0x2310, (0x2320, 0x2321),
    0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524, 0x252C, 0x2534, 0x253C,
    (0x2550, 0x256C), 0x2580, 0x2584, 0x2588, 0x258C, (0x2590, 0x2593),
    (0x25A0, 0x25A1), (0x25AA, 0x25AC), 0x25B2, 0x25BA, 0x25BC, 0x25C4, (0x25CA, 0x25CB),
    0x25CF, (0x25D8, 0x25D9), 0x25E6,
    (0x263A, 0x263C), 0x2640, 0x2642, 0x2660, 0x2663, (0x2665, 0x2666), (0x266A, 0x266B),
    (0xFB01, 0xFB02),
))

#: Vietnamese letters beyond WGL4: Ơ ơ Ư ư and the precomposed letters with tone marks
#: (Unicode "Latin Extended Additional", U+1EA0-U+1EF9).
VIETNAMESE = frozenset(_ranges(0x01A0, 0x01A1, 0x01AF, 0x01B0, (0x1EA0, 0x1EF9)))

#: Every character a screen may draw in any font of the commune PCs.
SAFE = WGL4 | VIETNAMESE

#: Stand-ins (of the same width in cells) for the characters outside SAFE that the app's
#: messages and widgets, and Textual's own widgets, draw.
FALLBACK: Mapping[str, str] = {
    "✗": "×",    # error mark (entry form, review lists)
    "✓": "√",    # done mark (server setup)
    "⏎": "<",    # Textual: the Enter key in key hints
    "▏": "|",    # Textual: footer separator, input cursor bar, thin borders
    "▕": "|",
    "▎": "|",
    "▍": "|",
    "▊": "#",
    "▉": "#",
    "▋": "#",
    "▁": "_",    # Textual: thin horizontal borders, scroll bars
    "▔": "-",
    "▂": "_",
    "▃": "_",
    "▅": "#",
    "▆": "#",
    "▇": "#",
    "▘": "'",
    "▝": "'",
    "▖": ".",
    "▗": ".",
    "━": "=",    # Textual: heavy lines (scroll bars, tabs underline)
    "┃": "|",
    "╸": "-",
    "╺": "-",
    "╹": "|",
    "╻": "|",
    "╭": "+",    # Textual: round borders
    "╮": "+",
    "╯": "+",
    "╰": "+",
    "┏": "+",
    "┓": "+",
    "┗": "+",
    "┛": "+",
    "∅": "—",    # "no value" in the audit lines of the command line
    "⇄": "↔",
    "⋯": "…",
    "🔎": "? ",   # Textual: the command palette's search icon (two cells wide)
    "🔍": "? ",
    "⚠": "!",
    "✔": "√",
    "✘": "×",
    "✕": "×",
    "✖": "×",
    "⎯": "-",
    "\u200b": "",  # zero width space: nothing to draw
}


def ascii_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """True when the stand-ins are asked for (``TREEM_ASCII=1``)."""
    value = (os.environ if environ is None else environ).get(ENV_ASCII, "")
    return value.strip().lower() not in ("", "0", "no", "false")


def _stand_in(char: str) -> str:
    if char in SAFE or char < " ":
        return char
    found = FALLBACK.get(char)
    if found is not None:
        return found
    if unicodedata.combining(char):
        return ""  # a mark the terminal would put on the letter before
    from rich.cells import cell_len  # the app's extra: the command line works without it

    return "?" * max(1, cell_len(char))


def to_safe(text: str) -> str:
    """``text`` with every character outside :data:`SAFE` replaced by its stand-in.

    Control characters and escape sequences (ASCII) pass unchanged, so whole terminal
    output can go through it.
    """
    if text.isascii():
        return text
    return "".join(_stand_in(char) for char in unicodedata.normalize("NFC", text))


def unsafe(chars: Iterable[str]) -> set[str]:
    """The characters of ``chars`` outside :data:`SAFE` (controls aside)."""
    return {char for char in chars if char not in SAFE and char >= " " and char != "\x7f"}
