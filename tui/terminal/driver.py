"""The terminal driver of the app: Textual's Linux driver, lighter on the wire.

- Every write goes through :class:`~tui.terminal.cells.CellScreen`, which sends only the
  cells that differ from what the terminal already shows (a repeated or overlapping paint
  costs nothing, a screen switch costs the cells that change).
- Mouse reporting asks for button events only (``?1000h`` with SGR coordinates,
  ``?1006h``): no any-motion tracking (``?1003h``), which makes the terminal send a report
  for every cell the pointer crosses (40 motion events over the home screen cost 19 KB
  of repaint in stock Textual). Clicks and the wheel still work.
- Keys are read by :class:`~tui.terminal.keys.BurstKeyParser`: Esc followed at once by a
  key (one packet over a slow link) is Esc, then that key, not an Alt chord.

- With ``TREEM_ASCII=1`` characters the fonts of PuTTY may lack are replaced by stand-ins
  (:mod:`tui.terminal.glyphs`).

``TREEM_RAW_OUTPUT=1`` turns the cell filter off (Textual's own output, for comparison
and as an escape hatch).
"""

from __future__ import annotations

import os
import selectors
import sys
from codecs import getincrementaldecoder
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual.drivers.linux_driver import LinuxDriver

from tui.terminal.cells import CellScreen
from tui.terminal.glyphs import ascii_wanted, to_safe
from tui.terminal.keys import BurstKeyParser

__all__ = ["ENV_RAW_OUTPUT", "LeanDriver", "use_lean_driver"]

ENV_RAW_OUTPUT = "TREEM_RAW_OUTPUT"


class LeanDriver(LinuxDriver):
    """LinuxDriver that writes only changed cells and asks for button mouse events."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._cells: CellScreen | None = None
        self._safe_glyphs = ascii_wanted()
        if os.environ.get(ENV_RAW_OUTPUT, "") in ("", "0"):
            self._cells = CellScreen(80, 24)

    def write(self, data: str) -> None:
        if self._safe_glyphs:
            data = to_safe(data)
        cells = self._cells
        if cells is not None and data:
            size = getattr(self._app, "size", None)
            if size is not None and size.width > 0 and size.height > 0:
                cells.resize(size.width, size.height)
            data = cells.filter(data)
            if not data:
                return
        super().write(data)

    def _enable_mouse_support(self) -> None:
        if not self._mouse:
            return
        self.write("\x1b[?1000h")  # button press and release, wheel
        self.write("\x1b[?1006h")  # SGR coordinates (any column)
        self.flush()

    def _disable_mouse_support(self) -> None:
        if not self._mouse:
            return
        self.write("\x1b[?1000l")
        self.write("\x1b[?1006l")
        self.flush()

    def run_input_thread(self) -> None:
        """Textual's input loop (``LinuxDriver.run_input_thread``, Textual 8) with
        :class:`BurstKeyParser` in place of its ``XTermParser``."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = BurstKeyParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break  # stdin is a pipe that was closed
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass


def use_lean_driver(app: Any) -> None:
    """Make ``app`` (a Textual app, not yet running) write through :class:`LeanDriver`,
    unless Textual is told to use another driver (``TEXTUAL_DRIVER``) or on Windows."""
    if sys.platform != "win32" and not os.environ.get("TEXTUAL_DRIVER"):
        app.driver_class = LeanDriver
