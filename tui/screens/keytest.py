"""Key test: shows what the terminal really sends for each key pressed.

Useful before a training session: PuTTY without "Xterm R6" function keys, tmux or an old
terminal emulator may send nothing, or something else, for F1-F10 or Shift+Tab.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from tui.messages import ui
from tui.widgets import QuietScreen

__all__ = ["NEEDED_KEYS", "KeyTestScreen"]

#: Keys the app relies on; the screen lists those not yet seen.
NEEDED_KEYS = ("f1", "f2", "f3", "f4", "f5", "f6", "f9", "f10", "f12", "ctrl+s", "enter", "tab",
               "shift+tab")
MAX_ROWS = 14


class KeyTestScreen(QuietScreen[None]):
    """Every key event, newest first; two Esc in a row leave the screen."""

    BINDINGS: ClassVar[list[BindingType]] = []
    AUTO_FOCUS = None

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.seen: set[str] = set()
        self._escapes = 0

    def compose(self) -> ComposeResult:
        yield Static(ui.KEYTEST_TITLE, id="keytest-title")
        yield Static(ui.KEYTEST_HINT, id="keytest-hint")
        yield Static(ui.KEYTEST_EXPECTED, id="keytest-expected")
        yield Static(self._missing_text(), id="keytest-missing")
        yield Static("", id="keytest-log")

    def _missing_text(self) -> str:
        missing = [k for k in NEEDED_KEYS if k not in self.seen]
        if not missing:
            return ui.KEYTEST_SEEN.format(keys=" ".join(NEEDED_KEYS))
        return ui.KEYTEST_MISSING.format(keys=" ".join(missing))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            event.stop()
            event.prevent_default()
            self.record(event)
            return
        await super().on_event(event)

    def record(self, event: events.Key) -> None:
        """Log one key event and update the list of keys still to try."""
        if event.key == "escape":
            self._escapes += 1
            if self._escapes >= 2:
                self.dismiss(None)
                return
        else:
            self._escapes = 0
        chars = repr(event.character) if event.character is not None else "-"
        self.rows.insert(0, ui.KEYTEST_ROW.format(key=event.key, chars=chars))
        del self.rows[MAX_ROWS:]
        self.seen.add(event.key)
        self.query_one("#keytest-log", Static).update("\n".join(self.rows))
        self.query_one("#keytest-missing", Static).update(self._missing_text())
