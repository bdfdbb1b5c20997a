"""The screens of the treem app.

Each screen takes the person's ``tui.services.Services`` as its first argument and reaches
the register only through it. Screens are imported lazily, by name
(:class:`ScreenName`), so that starting the app loads only the screens it shows; a screen
opens another through :func:`app_of` (the typed application), never by a string attribute
lookup.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING, Any, cast

from tui.domain import Door

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.app import TreemApp

__all__ = ["DOOR_OF", "SCREENS", "ScreenName", "app_of", "load_screen"]


class ScreenName(StrEnum):
    """The screens other screens and the command palette open by name."""

    ENTRY = "entry"
    SEARCH = "search"
    REVIEW = "review"
    DETAIL = "detail"
    CIRCUMSTANCES = "circumstances"
    DUPLICATES = "duplicates"
    ADMIN = "admin"
    TRANSFER = "transfer"
    KEYTEST = "keytest"
    REPORT = "report"
    RECHECK = "recheck"


#: Screen name -> (module, class).
SCREENS: dict[ScreenName, tuple[str, str]] = {
    ScreenName.ENTRY: ("tui.screens.entry", "EntryScreen"),
    ScreenName.SEARCH: ("tui.screens.search", "SearchScreen"),
    ScreenName.REVIEW: ("tui.screens.review", "ReviewListScreen"),
    ScreenName.DETAIL: ("tui.screens.detail", "ChildDetailScreen"),
    ScreenName.CIRCUMSTANCES: ("tui.screens.circumstances", "CircumstanceEditorScreen"),
    ScreenName.DUPLICATES: ("tui.screens.duplicates", "DuplicateReviewScreen"),
    ScreenName.ADMIN: ("tui.screens.admin", "AdminScreen"),
    ScreenName.TRANSFER: ("tui.screens.transfer", "TransferScreen"),
    ScreenName.KEYTEST: ("tui.screens.keytest", "KeyTestScreen"),
    ScreenName.REPORT: ("tui.screens.report", "ReportScreen"),
    ScreenName.RECHECK: ("tui.screens.recheck", "RecheckScreen"),
}


#: The part of the application each screen is (``tui.services.policy.DOORS`` says who
#: may open it); screens not listed (key test, child detail) are open to everyone or
#: opened from a screen that is guarded already.
DOOR_OF: dict[ScreenName, Door] = {
    ScreenName.ENTRY: Door.ENTRY,
    ScreenName.SEARCH: Door.SEARCH,
    ScreenName.REVIEW: Door.REVIEW,
    ScreenName.CIRCUMSTANCES: Door.STEP5,
    ScreenName.DUPLICATES: Door.DUPLICATES,
    ScreenName.ADMIN: Door.ADMIN,
    ScreenName.TRANSFER: Door.TRANSFER,
    ScreenName.REPORT: Door.REPORT,
    ScreenName.RECHECK: Door.RECHECK,
}


def load_screen(name: ScreenName) -> type[Any]:
    """The screen class registered as ``name``, imported on first use (fast start-up)."""
    module_name, class_name = SCREENS[ScreenName(name)]
    return cast("type[Any]", getattr(import_module(module_name), class_name))


def app_of(node: DOMNode) -> TreemApp:
    """The treem application ``node`` runs in, typed (screens open screens through it)."""
    return cast("TreemApp", node.app)
