"""Reading keys over a slow link: Esc followed at once by a key is Esc, then that key.

A terminal sends Esc as the single byte ``ESC``, and Alt+1 as ``ESC 1``: on the wire the
two differ only in time. Textual's parser waits ``ESCDELAY`` (100 ms) after an ``ESC`` and
reads whatever arrives by then as one sequence, so over SSH, where a fast typist's keys
arrive in one packet, F1 then ``Esc 1 2 3`` became ``¡ 2 3`` (Textual's table reads
``ESC 1`` as the Mac's Option+1): the help stayed open and the digits were lost.

treem binds no Alt key, so :class:`BurstKeyParser` reads ``ESC`` followed by anything
other than the start of a control sequence as the Escape key and then that key. Kept as
sequences: ``ESC [`` (CSI: arrows, F5-F12, Delete, paste brackets, mouse reports), Alt+
Backspace, ``ESC Tab``, and ``ESC O`` followed by the final letter xterm, PuTTY and tmux
send for the arrows, Home/End, keypad Enter and F1-F4 (SS3). ``ESC O`` followed by
anything else is Esc, ``O`` and that key (a name such as "Oanh" typed right after Esc).
Inside a bracketed paste nothing is changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import Any

from textual import constants
from textual._parser import ParseEOF, ParseTimeout, Read1, TokenCallback
from textual._xterm_parser import XTermParser
from textual.message import Message

__all__ = ["KEPT_AFTER_ESC", "SS3_FINALS", "BurstKeyParser"]

ESC = "\x1b"
CSI_START = "["
SS3_START = "O"
#: What follows ``ESC O`` from xterm, PuTTY and tmux: arrows (A-D), End (F), Home (H),
#: keypad Enter (M), F1-F4 (P-S).
SS3_FINALS = frozenset("ABCDFHMPQRS")
#: Characters that still continue an ``ESC``: another Esc, the CSI start, and the two
#: chords Textual reads on purpose (Alt+Backspace deletes the word before the cursor;
#: ``ESC Tab`` is Shift+Tab on some terminals). Neither is typed after Esc by intent.
KEPT_AFTER_ESC = frozenset({ESC, CSI_START, "\x7f", "\t"})
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


class BurstKeyParser(XTermParser):
    """Textual's xterm parser, reading ``ESC`` + a plain key in one burst as two keys.

    Wraps :meth:`XTermParser.parse`: every character is passed on unchanged, except that
    when a lone ``ESC`` is waiting and a character arrives that cannot continue a control
    sequence, the wait is ended at once (the Escape key is reported) before the character
    is passed on.
    """

    def parse(self, token_callback: TokenCallback[Message]) -> Generator[Read1, str, None]:
        inner = super().parse(token_callback)
        request: Any = next(inner)
        recent = ""  # the last characters passed on, to follow bracketed paste
        pasting = False
        escape_waiting = False  # the last character passed on was a lone ESC

        def pass_on(character: str) -> Any:
            nonlocal recent, pasting, escape_waiting
            recent = (recent + character)[-len(PASTE_START):]
            if recent == PASTE_START:
                pasting = True
            elif recent == PASTE_END:
                pasting = False
            escape_waiting = character == ESC and not pasting
            return inner.send(character)

        def end_escape() -> Any:
            """Report the waiting ESC as the Escape key (as its delay running out does)."""
            nonlocal escape_waiting
            escape_waiting = False
            return inner.throw(ParseTimeout())

        while True:
            try:
                character = yield request
            except ParseTimeout:
                escape_waiting = False
                request = inner.throw(ParseTimeout())
                continue
            except ParseEOF:
                _finish(inner)
                return
            if not escape_waiting or character in KEPT_AFTER_ESC:
                request = pass_on(character)
                continue
            if character != SS3_START:
                end_escape()
                request = pass_on(character)
                continue
            # ESC O: a function key only if one of the SS3 final letters follows at once.
            try:
                following = yield self.read1(constants.ESCAPE_DELAY)
            except ParseTimeout:
                following = ""
            except ParseEOF:
                end_escape()
                pass_on(character)
                _finish(inner)
                return
            if following in SS3_FINALS and following:
                pass_on(character)
                request = pass_on(following)
                continue
            end_escape()
            request = pass_on(character)
            if following:
                request = pass_on(following)


def _finish(inner: Generator[Any, str, None]) -> None:
    """End the wrapped parser: it reports what it still holds."""
    with contextlib.suppress(StopIteration, ParseEOF):
        inner.throw(ParseEOF())
