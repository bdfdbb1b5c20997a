"""Screen and footer that do not repaint the whole terminal on every focus change.

Stock Textual repaints the entire screen whenever focus moves (``Screen.focused`` is a
repainting reactive) and recomposes the footer whenever bindings are refreshed, which also
happens on every focus move. Over a slow SSH link that is 7-14 KB per Enter. Here the focused
widgets repaint themselves (their ``:focus`` style changes) and the footer is rebuilt only
when the set of keys it shows really changes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

ResultType = TypeVar("ResultType")


class QuietScreen(Screen[ResultType]):
    """A screen whose focus changes repaint only the two widgets concerned."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


def _signature(screen: Screen) -> tuple[tuple[str, str, bool], ...]:
    """What the footer would show for ``screen``: key, description, enabled."""
    return tuple(
        (binding.key, binding.description, enabled)
        for (_node, binding, enabled, _tooltip) in screen.active_bindings.values()
        if binding.show
    )


class QuietFooter(Footer):
    """A footer that recomposes only when the visible keys change."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)  # every key of a screen fits in 80 columns
        super().__init__(*args, **kwargs)

    def bindings_changed(self, screen: Screen) -> None:
        if not (self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        signature = _signature(screen)
        if not screen.app.app_focus:
            super().bindings_changed(screen)
            return
        if signature == self._shown:
            self._bindings_ready = True
            return
        self._shown = signature
        super().bindings_changed(screen)
