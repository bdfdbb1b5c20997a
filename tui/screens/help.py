"""F1 help: what the focused field wants and how to type it, in Vietnamese."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.messages import ui

__all__ = ["HelpScreen", "help_text", "keys_text"]


def keys_text(keys: Sequence[tuple[str, str]]) -> str:
    """The line listing ``keys`` ((key shown, what it does)) of the screen under the help."""
    if not keys:
        return ui.HELP_GENERAL
    listed = "; ".join(f"{key} {what}" for key, what in keys)
    return f"{ui.HELP_KEYS.format(keys=listed)}\n{ui.HELP_GENERAL}"


def help_text(field: str | None, keys: Sequence[tuple[str, str]] = ()) -> tuple[str, str]:
    """Title and body of the help for form field ``field`` (None: general keys).

    ``keys`` are the keys of the screen F1 was pressed on, so the help never promises a
    key that does something else there.
    """
    key = field or ""
    if key.startswith("adult") and key.endswith("_name"):
        key = "adult_name"
    elif key.startswith("adult") and key.endswith("_id"):
        key = "adult_id"
    label = ui.form_label(field) if field else ""
    body = ui.FIELD_HELP.get(key)
    if body is None:
        return ui.HELP_TITLE.format(field=ui.APP_TITLE), keys_text(keys)
    return (ui.HELP_TITLE.format(field=label),
            f"{body}\n\n{ui.HELP_FIELD_KEYS}\n{keys_text(keys)}")


class HelpScreen(ModalScreen[None]):
    """A box with the help of one field (or any title and text); Esc or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,enter", "close", ui.KEY_CLOSE, id="close"),
    ]

    def __init__(
        self, field: str | None, *, title: str | None = None, body: str | None = None,
        keys: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        self.field = field
        self.keys = tuple(keys)
        self._text = (title, body) if title is not None and body is not None else None

    def compose(self) -> ComposeResult:
        title, body = self._text or help_text(self.field, self.keys)
        with Vertical(id="help-box"):
            yield Static(title, id="help-title")
            yield Static(body, id="help-body")
            yield Static(ui.HELP_CLOSE, id="help-close")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
