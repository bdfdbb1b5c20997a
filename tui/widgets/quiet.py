"""Screen and footer that do not repaint the whole terminal on every focus change.

Stock Textual repaints the entire screen whenever focus moves (``Screen.focused`` is a
repainting reactive) and recomposes the footer whenever bindings are refreshed, which also
happens on every focus move. Over a slow SSH link that is 7-14 KB per Enter. Here the focused
widgets repaint themselves (their ``:focus`` style changes) and the footer is rebuilt only
when the set of keys it shows really changes. Keys that do not fit in the width are left
out from the end (the app's F1 and F9 come last): a key cut in half is unreadable, and
Textual then draws a stray glyph after the command-palette key.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from tui.messages import ui
from tui.widgets.status import StatusBar

ResultType = TypeVar("ResultType")

#: The smallest terminal every screen is laid out for (PuTTY's default window).
MIN_COLUMNS, MIN_ROWS = 80, 24


class TooSmallNotice(Static):
    """Says, above a screen, that the window is smaller than the screens need."""

    DEFAULT_CSS = """
    TooSmallNotice {
        dock: top;
        height: auto;
        background: ansi_bright_red;
        color: ansi_bright_white;
        text-style: bold;
    }
    """


class QuietScreen(Screen[ResultType]):
    """A screen whose focus changes repaint only the two widgets concerned.

    In a window smaller than its ``MIN_SIZE`` (80x24 unless it has a compact layout) it
    says so above itself (parts of it are cut off there) and how large the window must
    be. Below 80x24 it carries the class ``-compact`` for the screens that lay
    themselves out smaller.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    #: The smallest window this screen is usable in; below it the notice says so. Screens
    #: with a compact layout (class ``-compact``, set below 80x24) lower it.
    MIN_SIZE: ClassVar[tuple[int, int]] = (MIN_COLUMNS, MIN_ROWS)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def on_screen_resume(self) -> None:
        self._check_size(self.app.size)

    def _check_size(self, size: Size) -> None:
        self.set_class(size.width < MIN_COLUMNS or size.height < MIN_ROWS, "-compact")
        min_columns, min_rows = self.MIN_SIZE
        small = size.width < min_columns or size.height < min_rows
        notices = self.query(TooSmallNotice)
        if not small:
            notices.remove()
            return
        text = ui.TOO_SMALL.format(columns=size.width, rows=size.height,
                                   min_columns=min_columns, min_rows=min_rows)
        if notices:
            notices.first().update(text)
        else:
            self.mount(TooSmallNotice(text))

    def compose_bottom_bar(self) -> ComposeResult:
        """The status bar above the footer, docked at the bottom of every screen."""
        with Vertical(classes="bottom-bar"):
            yield StatusBar()
            yield QuietFooter()

    def sync_status(self) -> None:
        """Fill this screen's status bar from the app (typing mode, user, commune).

        Screens hosted by a plain test app, which has no status to give, are left as
        they are."""
        sync = getattr(self.app, "sync_status", None)
        if sync is not None:
            sync(self)


def _signature(screen: Screen) -> tuple[tuple[str, str, bool], ...]:
    """What the footer would show for ``screen``: key, description, enabled."""
    return tuple(
        (binding.key, binding.description, enabled)
        for (_node, binding, enabled, _tooltip) in screen.active_bindings.values()
        if binding.show
    )


class QuietFooter(Footer):
    """A footer that recomposes only when the visible keys change, and shows only the keys
    that fit whole."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None
    _fitted_width = 0

    def _palette_width(self) -> int:
        """Cells the docked command-palette key takes: border, key, space, description,
        and in compact mode the one-cell margin after it (as every footer key has)."""
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return 0
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return 0
        binding = found[1]
        key = cell_len(self.app.get_key_display(binding))
        return 2 + key + 1 + cell_len(binding.description)

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        room = width - self._palette_width()
        used = 0
        full = False
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not (
                widget.has_class("-command-palette") or widget.has_class("-grouped")
            ):
                # compact: "key description" then a one-cell margin; else " key description "
                cells = cell_len(widget.key_display) + cell_len(widget.description)
                cells += 1 if self.compact else 3
                full = full or used + cells > room
                if full:
                    continue
                used += cells + (1 if self.compact else 0)
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)

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
