"""The status bar: typing mode, user, commune and the latest message.

The message shares the row when everything fits in the width; a longer one gets rows of
its own above, broken between words, so an instruction is never cut at 80 columns.

It repaints only when one of those changes, never on a timer, so an idle screen sends
nothing to the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui.messages import ui


class StatusBar(Widget):
    """Shows ``Gõ: Telex │ user │ commune │ message``; a long message wraps above."""

    DEFAULT_CSS = """
    StatusBar { height: auto; max-height: 4; }
    """

    mode: reactive[str] = reactive("off")
    user: reactive[str] = reactive("")
    place: reactive[str] = reactive("")
    message: reactive[str] = reactive("", layout=True)
    severity: reactive[str] = reactive("info")

    def say(self, message: str, severity: str = "info") -> None:
        """Show ``message``; ``severity`` is ``info``, ``warning`` or ``error``."""
        self.message = message
        self.severity = severity

    def render(self) -> Text:
        identity = Text(end="")
        identity.append(ui.COMPOSE_MODES.get(self.mode, self.mode), style="bold")
        for part in (self.user, self.place):
            if part:
                identity.append(" │ " + part)
        if not self.message:
            return identity
        style = {"error": "bold red", "warning": "yellow"}.get(self.severity, "")
        message = Text(self.message, style=style, end="")
        width = self.size.width or 80
        if identity.cell_len + 3 + message.cell_len <= width:
            return Text.assemble(identity, " │ ", message, end="")
        return Text.assemble(message, "\n", identity, end="")
