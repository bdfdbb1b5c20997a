"""The one-line status bar: typing mode, user, commune and the latest message.

It repaints only when one of those changes, never on a timer, so an idle screen sends
nothing to the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.messages import ui


class StatusBar(Widget):
    """Shows ``Gõ: Telex │ user │ commune │ message`` on one row."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    mode: reactive[str] = reactive("off")
    user: reactive[str] = reactive("")
    place: reactive[str] = reactive("")
    message: reactive[str] = reactive("")
    severity: reactive[str] = reactive("info")

    def say(self, message: str, severity: str = "info") -> None:
        """Show ``message``; ``severity`` is ``info``, ``warning`` or ``error``."""
        self.message = message
        self.severity = severity

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(ui.COMPOSE_MODES.get(self.mode, self.mode), style="bold")
        for part in (self.user, self.place):
            if part:
                text.append(" │ " + part)
        if self.message:
            style = {"error": "bold red", "warning": "yellow"}.get(self.severity, "")
            text.append(" │ ")
            text.append(self.message, style=style)
        return text
