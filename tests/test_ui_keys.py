"""Keys as they arrive over a slow link: Esc and the keys after it in one read."""

from __future__ import annotations

import time

import pytest
from textual import events

from tui.terminal.keys import BurstKeyParser


def keys(*reads: str) -> list[str]:
    """The key names the parser reports for ``reads``, then after its Esc delay ran out."""
    parser = BurstKeyParser()
    got: list[object] = []
    for data in reads:
        got += list(parser.feed(data))
    time.sleep(0.25)
    got += list(parser.tick())
    return [e.key if isinstance(e, events.Key) else type(e).__name__ for e in got]


@pytest.mark.parametrize(("reads", "expected"), [
    # Esc then digits in one packet: Esc, then the digits (Textual alone: "¡", 2, 3).
    (("\x1b123",), ["escape", "1", "2", "3"]),
    (("\x1b", "1"), ["escape", "1"]),
    (("\x1b\x1b1",), ["escape", "escape", "1"]),
    # Esc then a name starting with O ("Oanh"): not rxvt's Ctrl+Up (ESC O a).
    (("\x1bOanh",), ["escape", "O", "a", "n", "h"]),
    (("\x1bO",), ["escape", "O"]),
    # Real sequences still read as one key, also when split across reads.
    (("\x1bOP",), ["f1"]),
    (("\x1bO", "Q"), ["f2"]),
    (("\x1b[A",), ["up"]),
    (("x\x1b[15~y",), ["x", "f5", "y"]),
    (("\x1b[<0;5;5M",), ["MouseDown"]),
    (("\x1b",), ["escape"]),
    # Chords Textual reads on purpose are kept: Alt+Backspace, ESC Tab.
    (("\x1b\x7f",), ["ctrl+w"]),
    (("\x1b\t",), ["shift+tab"]),
    (("\x1b\r",), ["escape", "enter"]),
    (("\x1b[200~014 316\x1b[201~",), ["Paste"]),
])
def test_escape_then_a_key_in_one_read_is_two_keys(reads: tuple[str, ...],
                                                   expected: list[str]) -> None:
    assert keys(*reads) == expected
