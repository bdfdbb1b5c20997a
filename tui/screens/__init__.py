"""The screens of the treem app.

Login, home, household entry, key test and field help live here; search, review lists,
child detail, the circumstance editor, duplicate review and administration are written
alongside. Each takes the ``Register`` service as its first argument. They are imported
lazily, by name, so that starting the app loads only the screens it shows.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["SCREENS", "load_screen"]

#: Screen name -> (module, class).
SCREENS: dict[str, tuple[str, str]] = {
    "entry": ("tui.screens.entry", "EntryScreen"),
    "search": ("tui.screens.search", "SearchScreen"),
    "review": ("tui.screens.review", "ReviewListScreen"),
    "detail": ("tui.screens.detail", "ChildDetailScreen"),
    "circumstances": ("tui.screens.circumstances", "CircumstanceEditorScreen"),
    "duplicates": ("tui.screens.duplicates", "DuplicateReviewScreen"),
    "admin": ("tui.screens.admin", "AdminScreen"),
    "transfer": ("tui.screens.transfer", "TransferScreen"),
    "keytest": ("tui.screens.keytest", "KeyTestScreen"),
}


def load_screen(name: str) -> type[Any]:
    """The screen class registered as ``name``, imported on first use (fast start-up)."""
    module_name, class_name = SCREENS[name]
    return getattr(import_module(module_name), class_name)
