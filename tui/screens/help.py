"""F1 help: what the focused field wants and how to type it, in Vietnamese."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.messages import ui

__all__ = ["HelpScreen", "help_text"]


def help_text(field: str | None) -> tuple[str, str]:
    """Title and body of the help for form field ``field`` (None: general keys)."""
    key = field or ""
    if key.startswith("adult") and key.endswith("_name"):
        key = "adult_name"
    elif key.startswith("adult") and key.endswith("_id"):
        key = "adult_id"
    label = ui.form_label(field) if field else ""
    body = ui.FIELD_HELP.get(key)
    if body is None:
        return ui.HELP_TITLE.format(field=ui.APP_TITLE), ui.HELP_GENERAL
    return ui.HELP_TITLE.format(field=label), f"{body}\n\n{ui.HELP_GENERAL}"


class HelpScreen(ModalScreen[None]):
    """A box with the help of one field (or any title and text); Esc or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,enter", "close", ui.KEY_CLOSE, id="close"),
    ]

    def __init__(
        self, field: str | None, *, title: str | None = None, body: str | None = None
    ) -> None:
        super().__init__()
        self.field = field
        self._text = (title, body) if title is not None and body is not None else None

    def compose(self) -> ComposeResult:
        title, body = self._text or help_text(self.field)
        with Vertical(id="help-box"):
            yield Static(title, id="help-title")
            yield Static(body, id="help-body")
            yield Static(ui.HELP_CLOSE, id="help-close")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
