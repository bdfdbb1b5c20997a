"""The terminal driver of the app: Textual's Linux driver, lighter on the wire.

- Every write goes through :class:`~tui.terminal.cells.CellScreen`, which sends only the
  cells that differ from what the terminal already shows (a repeated or overlapping paint
  costs nothing, a screen switch costs the cells that change).
- Mouse reporting asks for button events only (``?1000h`` with SGR coordinates,
  ``?1006h``): no any-motion tracking (``?1003h``), which makes the terminal send a report
  for every cell the pointer crosses (40 motion events over the home screen cost 19 KB
  of repaint in stock Textual). Clicks and the wheel still work.

- With ``TREEM_ASCII=1`` characters the fonts of PuTTY may lack are replaced by stand-ins
  (:mod:`tui.terminal.glyphs`).

``TREEM_RAW_OUTPUT=1`` turns the cell filter off (Textual's own output, for comparison
and as an escape hatch).
"""

from __future__ import annotations

import os
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from tui.terminal.cells import CellScreen
from tui.terminal.glyphs import ascii_wanted, to_safe

__all__ = ["ENV_RAW_OUTPUT", "LeanDriver"]

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
