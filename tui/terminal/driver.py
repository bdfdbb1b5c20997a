"""The terminal driver of the app: Textual's Linux driver, lighter on the wire.

- Every write goes through :class:`~tui.terminal.cells.CellScreen`, which sends only the
  cells that differ from what the terminal already shows (a repeated or overlapping paint
  costs nothing, a screen switch costs the cells that change).
- Mouse reporting asks for button events only (``?1000h`` with SGR coordinates,
  ``?1006h``): no any-motion tracking (``?1003h``), which makes the terminal send a report
  for every cell the pointer crosses (40 motion events over the home screen cost 19 KB
  of repaint in stock Textual). Clicks and the wheel still work.

``TREEM_RAW_OUTPUT=1`` turns the cell filter off (Textual's own output, for comparison
and as an escape hatch).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from tui.terminal.cells import CellScreen

__all__ = ["ENV_RAW_OUTPUT", "LeanDriver", "use_lean_driver"]

ENV_RAW_OUTPUT = "TREEM_RAW_OUTPUT"


class LeanDriver(LinuxDriver):
    """LinuxDriver that writes only changed cells and asks for button mouse events."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._cells: CellScreen | None = None
        if os.environ.get(ENV_RAW_OUTPUT, "") in ("", "0"):
            self._cells = CellScreen(80, 24)

    def write(self, data: str) -> None:
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


def use_lean_driver(app: Any) -> None:
    """Make ``app`` (a Textual app, not yet running) write through :class:`LeanDriver`,
    unless Textual is told to use another driver (``TEXTUAL_DRIVER``) or on Windows."""
    if sys.platform != "win32" and not os.environ.get("TEXTUAL_DRIVER"):
        app.driver_class = LeanDriver
