"""What the terminal shows, cell by cell, and the fewest bytes that change it.

Textual writes whole regions (often the whole screen) whenever a screen is switched,
resized or re-laid out, and sometimes paints the same screen two or three times in a row.
On a 64 kbit/s link each full 80x24 paint costs most of a second. :class:`CellScreen`
reads what Textual writes (cursor moves, SGR styles, text, erases) into the *wanted*
grid, compares it with the grid the terminal already *shows*, and writes only the cells
that differ: a repeated paint costs nothing, a screen switch costs the cells that change,
a list refresh costs the rows that differ.

Anything it does not model (mode switches, queries, OSC titles, the bell) is passed
through unchanged and in order. A control that moves or scrolls screen content in a way
the grid does not follow (scroll regions, insert/delete line...) switches the filter off
for good: from then on everything passes through untouched, so the screen can never be
left wrong, only heavier. When the size changes or the alternate screen is entered, the
terminal's content is unknown: the screen is cleared once and painted from blank.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from rich.cells import get_character_cell_size

__all__ = ["CellScreen", "Style"]

# Style: (attributes, foreground, background); attributes are SGR codes as text.
Style = tuple[frozenset[str], str | None, str | None]
_NO_ATTRS: frozenset[str] = frozenset()
PLAIN: Style = (_NO_ATTRS, None, None)
Cell = tuple[str, Style]  # ("" marks the right half of a wide character)
BLANK: Cell = (" ", PLAIN)

_TOKEN = re.compile(
    r"\x1b\[([0-?]*)([ -/]*)([@-~])"  # CSI
    r"|\x1b[\]P_^X].*?(?:\x07|\x1b\\)"  # OSC, DCS, APC, PM, SOS
    r"|\x1b[^\[\]P_^X]?"  # other escapes (ESC 7, ESC =, ...)
    r"|[\x00-\x1f\x7f]"  # control characters
    r"|[^\x00-\x1f\x7f\x1b]+",  # text
    re.S,
)
# Codes that show on a blank cell: a space with them is not "blank" for an erase.
_VISIBLE_ON_SPACE = frozenset({"4", "7", "9", "21", "51", "52", "53"})
_OFF = {"22": ("1", "2"), "23": ("3",), "24": ("4", "21"), "25": ("5", "6"),
        "27": ("7",), "28": ("8",), "29": ("9",), "54": ("51", "52"), "55": ("53",)}
# Private modes after which the terminal's screen content is unknown (alternate screen).
_SCREEN_SWAPS = frozenset({"?1049", "?1047", "?47"})
# CSI finals that only move the cursor or set a style/erase: modelled below.
_MODELLED = frozenset("HfmKJCDABGdX")
#: Unchanged cells between two changed runs of a row shorter than this are rewritten
#: rather than jumped over (a jump costs 4-8 bytes).
MERGE_GAP = 4
#: A run of at least this many identical blank cells inside a row is erased (ECH, then a
#: jump: 8-10 bytes) rather than written out; a run that reaches the end of the row is
#: erased from 4 cells on (EL). Erases take the pen's background (background colour
#: erase: xterm, PuTTY, tmux, VTE, the Linux console and Windows Terminal all do).
ERASE_RUN = 10
# The SGR code that turns an attribute off (22 turns off both bold and faint, ...).
_OFF_CODE = {"1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25",
             "7": "27", "8": "28", "9": "29", "51": "54", "52": "54", "53": "55"}


def _sgr(params: str, style: Style) -> Style:
    """``style`` after ``ESC [ params m``."""
    attrs, fg, bg = set(style[0]), style[1], style[2]
    codes = params.replace(":", ";").split(";") if params else ["0"]
    i = 0
    while i < len(codes):
        code = codes[i] or "0"
        if code in ("38", "48", "58"):
            # extended colour: 5;n or 2;r;g;b
            size = 3 if codes[i + 1:i + 2] == ["5"] else 5
            value = ";".join(codes[i:i + size])
            i += size
            if code == "38":
                fg = value
            elif code == "48":
                bg = value
            else:
                attrs = {a for a in attrs if not a.startswith("58;")} | {value}
            continue
        i += 1
        if code == "0":
            attrs, fg, bg = set(), None, None
        elif code == "39":
            fg = None
        elif code == "49":
            bg = None
        elif code == "59":
            attrs = {a for a in attrs if not a.startswith("58;")}
        elif code in _OFF:
            attrs -= set(_OFF[code])
        elif len(code) == 2 and code[0] in "39" and code[1] in "01234567":
            fg = code
        elif (len(code) == 2 and code[0] == "4" and code[1] in "01234567") or (
                len(code) == 3 and code[:2] == "10"):
            bg = code
        else:
            attrs.add(code)
    return frozenset(attrs), fg, bg


def _sgr_text(style: Style) -> str:
    """The SGR sequence that sets ``style`` from any state."""
    parts = ["0", *sorted(style[0])]
    if style[1] is not None:
        parts.append(style[1])
    if style[2] is not None:
        parts.append(style[2])
    return "\x1b[" + ";".join(parts) + "m"


def _sgr_delta(old: Style, new: Style) -> str | None:
    """The SGR sequence that turns ``old`` into ``new`` without a reset ("" when they are
    the same; None when an attribute has no code that turns it off alone)."""
    codes: list[str] = []
    removed = old[0] - new[0]
    again: set[str] = set()
    for attr in sorted(removed):
        off = _OFF_CODE.get(attr)
        if off is None:
            if not attr.startswith("58;"):
                return None
            off = "59"
        if off not in codes:
            codes.append(off)
    # An off code may turn off a sibling that stays (22: bold and faint): set it again.
    for attr in new[0] & old[0]:
        if _OFF_CODE.get(attr) in codes:
            again.add(attr)
    codes += sorted((new[0] - old[0]) | again)
    if new[1] != old[1]:
        codes.append(new[1] or "39")
    if new[2] != old[2]:
        codes.append(new[2] or "49")
    return "\x1b[" + ";".join(codes) + "m" if codes else ""


def _look(style: Style) -> Style:
    """What a space in ``style`` shows: its background and the attributes drawn on blanks
    (the whole style when there are such: reverse shows the foreground)."""
    return style if style[0] & _VISIBLE_ON_SPACE else (_NO_ATTRS, None, style[2])


def _same(a: Cell, b: Cell) -> bool:
    """Cells that look the same: equal, or spaces that show the same."""
    return a == b or (a[0] == b[0] == " " and _look(a[1]) == _look(b[1]))


def _is_erasable(cell: Cell) -> bool:
    """A space an erase can produce with the cell's own style as the pen (background
    colour erase): nothing drawn on it shows."""
    return cell[0] == " " and not (cell[1][0] & _VISIBLE_ON_SPACE)


class CellScreen:
    """The wanted and the shown grid of one terminal; :meth:`filter` turns what Textual
    writes into what the terminal needs."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.bypass = False  # something not modelled happened: pass everything through
        self.wanted: list[list[Cell]] = [[BLANK] * cols for _ in range(rows)]
        self.shown: list[list[Cell]] | None = None  # None: unknown, clear first
        # Textual's pen (what it wrote): position and style.
        self._x = self._y = 0
        self._style: Style = PLAIN
        # The terminal's pen (what this filter wrote); x None = unknown.
        self._tx: int | None = None
        self._ty = 0
        self._tstyle: Style | None = None
        self._cursor_visible = False
        self._want_cursor: tuple[int, int] | None = None
        self._sgr_cache: dict[Style, str] = {}
        self._painted = False
        self._dirty = False  # cells absorbed and not yet painted
        self._pointer = ""  # the last pointer shape asked for (OSC 22)

    # --- size and state ---------------------------------------------------------------
    def resize(self, cols: int, rows: int) -> None:
        """The terminal is now ``cols`` x ``rows``: its content is unknown."""
        if (cols, rows) == (self.cols, self.rows):
            return
        self.cols, self.rows = cols, rows
        self.wanted = [
            (row[:cols] + [BLANK] * max(0, cols - len(row)))
            for row in self.wanted[:rows]
        ] + [[BLANK] * cols for _ in range(max(0, rows - len(self.wanted)))]
        self.forget()

    def forget(self) -> None:
        """The terminal's content and pen are unknown (repaint from a cleared screen)."""
        self.shown = None
        self._tx = None
        self._tstyle = None

    # --- reading what Textual writes --------------------------------------------------
    def filter(self, data: str) -> str:
        """Read ``data`` (as Textual would write it) and return what to write instead."""
        passed = self.absorb(data)
        return passed + self.paint()

    def changed_rows(self) -> int:
        """Rows that a paint now would write (all of them while the screen is unknown)."""
        if self.shown is None:
            return self.rows
        return sum(1 for want, have in zip(self.wanted, self.shown, strict=True)
                   if not (want == have or all(map(_same, want, have))))

    def paint(self) -> str:
        """What the terminal needs to show what was absorbed ("" if nothing was drawn)."""
        if not self._dirty or self.bypass:
            return ""
        self._dirty = False
        return self._paint()

    def absorb(self, data: str) -> str:
        """Read ``data`` (as Textual would write it) into the wanted screen; what must be
        written at once (modes, queries...; everything once the filter is off). The cells
        go out with the next :meth:`paint`."""
        if self.bypass:
            return data
        passed: list[str] = []
        self._painted = False
        for match in _TOKEN.finditer(data):
            token = match.group(0)
            final = match.group(3)
            if final is not None:
                if not self._csi(match.group(1), match.group(2), final, token, passed):
                    return self._give_up(data)
            elif token[0] == "\x1b":
                if token in ("\x1bc",):  # full reset
                    self.forget()
                if token.startswith("\x1b]22;"):  # mouse pointer shape: once, not per screen
                    if token == self._pointer:
                        continue
                    self._pointer = token
                passed.append(token)
            elif token == "\r":
                self._x = 0
            elif token == "\n":
                if self._y >= self.rows - 1:
                    return self._give_up(data)  # would scroll
                self._y += 1
            elif token == "\x08":
                self._x = max(0, self._x - 1)
            elif (len(token) == 1 and token < " ") or token == "\x7f":
                passed.append(token)  # bell and the like
            else:
                self._painted = True
                self._text(token)
        # Only writes that draw are compared: mode switches alone (leaving the alternate
        # screen at exit, say) must not clear or repaint anything.
        self._dirty = self._dirty or self._painted
        return "".join(passed)

    def _give_up(self, data: str) -> str:
        self.bypass = True
        self._dirty = False
        self.forget()
        return data

    def _csi(self, params: str, middle: str, final: str, token: str,
             passed: list[str]) -> bool:
        """Follow one CSI sequence; False if it cannot be followed."""
        if middle or (params[:1] in "?<>=" and params) or final not in _MODELLED:
            if final in "hl" and params.startswith("?"):
                modes = set(params.split(";")) | {"?" + m for m in params[1:].split(";")}
                if modes & _SCREEN_SWAPS:
                    self.forget()
                if "?25" in modes:
                    self._cursor_visible = final == "h"
                passed.append(token)
                return True
            if final in "@LMPSTr^" and not middle and not params.startswith(("?", ">")):
                return False  # insert/delete/scroll: content moves under the grid
            passed.append(token)  # queries, keyboard protocol, mode changes
            return True
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        first = nums[0] if nums else 0
        if final in "Hf":
            self._y = min(max((first or 1) - 1, 0), self.rows - 1)
            self._x = min(max(((nums[1] if len(nums) > 1 else 0) or 1) - 1, 0), self.cols - 1)
            self._want_cursor = (self._x, self._y)
        elif final == "m":
            self._style = _sgr(params, self._style)
        elif final == "C":
            self._x = min(self._x + (first or 1), self.cols - 1)
        elif final == "D":
            self._x = max(self._x - (first or 1), 0)
        elif final == "A":
            self._y = max(self._y - (first or 1), 0)
        elif final == "B":
            self._y = min(self._y + (first or 1), self.rows - 1)
        elif final == "G":
            self._x = min(max((first or 1) - 1, 0), self.cols - 1)
        elif final == "d":
            self._y = min(max((first or 1) - 1, 0), self.rows - 1)
        elif final == "X":
            self._fill(self._y, self._x, self._x + (first or 1))
        elif final == "K":
            start, end = {0: (self._x, self.cols), 1: (0, self._x + 1)}.get(first, (0, self.cols))
            self._fill(self._y, start, end)
        elif final == "J":
            if first == 0:
                self._fill(self._y, self._x, self.cols)
                for y in range(self._y + 1, self.rows):
                    self._fill(y, 0, self.cols)
            elif first == 1:
                for y in range(self._y):
                    self._fill(y, 0, self.cols)
                self._fill(self._y, 0, self._x + 1)
            else:
                for y in range(self.rows):
                    self._fill(y, 0, self.cols)
        return True

    def _fill(self, y: int, start: int, end: int) -> None:
        """Erase cells ``start``..``end`` of row ``y`` (the background of the pen stays)."""
        self._painted = True
        end = min(end, self.cols)
        if start < end:
            cell = (" ", (_NO_ATTRS, None, self._style[2]))
            self.wanted[y][start:end] = [cell] * (end - start)

    def _text(self, text: str) -> None:
        row = self.wanted[self._y]
        style = self._style
        if text.isascii():
            n = min(len(text), self.cols - self._x)
            if n > 0:
                row[self._x:self._x + n] = [(ch, style) for ch in text[:n]]
            if n < len(text):  # auto-wrap is off: the rest overwrites the last column
                row[self.cols - 1] = (text[-1], style)
            self._x = min(self._x + len(text), self.cols - 1)
            return
        for ch in text:
            width = get_character_cell_size(ch)
            if width == 0 or unicodedata.combining(ch):
                x = max(self._x - 1, 0)
                row[x] = (row[x][0] + ch, row[x][1])
                continue
            if self._x + width > self.cols:
                break
            row[self._x] = (ch, style)
            if width == 2:
                row[self._x + 1] = ("", style)
            self._x = min(self._x + width, self.cols - 1)

    # --- writing what the terminal needs ----------------------------------------------
    def _paint(self) -> str:
        out: list[str] = []
        if self.shown is None:
            out.append("\x1b[0m\x1b[H\x1b[2J")
            self.shown = [[BLANK] * self.cols for _ in range(self.rows)]
            self._tx, self._ty, self._tstyle = 0, 0, PLAIN
        for y in range(self.rows):
            want, have = self.wanted[y], self.shown[y]
            if want == have or all(map(_same, want, have)):
                continue
            for start, end in self._spans(want, have):
                self._write_span(out, y, start, end, want)
            self.shown[y] = list(want)
        if self._cursor_visible and self._want_cursor is not None:
            x, y = self._want_cursor
            if (self._tx, self._ty) != (x, y):
                out.append(f"\x1b[{y + 1};{x + 1}H")
                self._tx, self._ty = x, y
        return "".join(out)

    def _spans(self, want: list[Cell], have: list[Cell]) -> Iterator[tuple[int, int]]:
        """Runs of changed cells of a row, neighbours of wide characters included."""
        cols = self.cols
        start = end = -1
        for x in range(cols):
            if not _same(want[x], have[x]):
                if start < 0:
                    start = x
                elif x - end >= MERGE_GAP:
                    yield self._widen(start, end, want, have)
                    start = x
                end = x + 1
        if start >= 0:
            yield self._widen(start, end, want, have)

    def _widen(self, start: int, end: int, want: list[Cell],
               have: list[Cell]) -> tuple[int, int]:
        """Never write half of a wide character: include its other half."""
        if start > 0 and (want[start][0] == "" or have[start][0] == ""):
            start -= 1
        if end < self.cols and (want[end][0] == "" or have[end][0] == ""):
            end += 1
        return start, end

    def _move(self, out: list[str], y: int, x: int) -> None:
        if self._tx == x and self._ty == y:
            return
        if self._tx is not None and self._ty == y and x > self._tx and x - self._tx < 100:
            n = x - self._tx
            out.append("\x1b[C" if n == 1 else f"\x1b[{n}C")
        elif x == 0 and self._tx is not None and self._ty == y - 1:
            out.append("\r\n")
        else:
            out.append(f"\x1b[{y + 1};{x + 1}H" if x else f"\x1b[{y + 1}H")
        self._tx, self._ty = x, y

    def _set_style(self, out: list[str], style: Style) -> None:
        if style != self._tstyle:
            text = self._sgr_cache.get(style)
            if text is None:
                text = self._sgr_cache[style] = _sgr_text(style)
            if self._tstyle is not None:
                delta = _sgr_delta(self._tstyle, style)
                if delta is not None and len(delta) < len(text):
                    text = delta
            out.append(text)
            self._tstyle = style

    def _set_blank_style(self, out: list[str], style: Style) -> None:
        """A pen for a space in ``style``: the current one if a space looks the same."""
        look = _look(style)
        if self._tstyle is None or _look(self._tstyle) != look:
            self._set_style(out, look)  # the plainest pen that draws this blank

    def _write_span(self, out: list[str], y: int, start: int, end: int,
                    want: list[Cell]) -> None:
        cols = self.cols
        x = start
        while x < end:
            ch, style = want[x]
            if not ch:  # the right half of a wide character written just before
                x += 1
                continue
            run = 1
            blank = ch == " "
            if blank and _is_erasable(want[x]):
                look = _look(style)
                while x + run < end and want[x + run][0] == " " and _look(want[x + run][1]) == look:
                    run += 1
            if run >= ERASE_RUN or (run >= 4 and x + run == cols):
                self._move(out, y, x)
                self._set_blank_style(out, style)
                out.append("\x1b[K" if x + run == cols else f"\x1b[{run}X")
                self._tx = x  # an erase does not move the cursor
                x += run
                continue
            self._move(out, y, x)
            if blank:
                self._set_blank_style(out, style)
            else:
                self._set_style(out, style)
            out.append(ch)
            x += 2 if x + 1 < cols and want[x + 1][0] == "" else 1
            # auto-wrap is off: at the margin the cursor stays on the last column
            self._tx = x if x < cols else None
