"""Review lists (step 3 and the circumstance lists): page through, open a record to fix it.

``ReviewListScreen(services, kind)`` shows one list (``tui.domain.ReviewKind``) in a
:class:`~tui.widgets.paged_table.PagedTable` that reads one screenful at a time through
``services.review``, so a list of any size opens at once. Enter opens the child in the
entry form (``EntryScreen(services, child_id=...)``); when the form closes the list is
read again and a fixed record has left it. F3 opens the child's detail, F6 the step-5
editor (circumstances and supports), keys 1-6 switch lists.

The module also holds what the other list screens share (:class:`ServiceSource`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.domain import ReviewKind
from tui.errors import TreemError
from tui.formatting import age_text, show_date
from tui.messages import review as txt
from tui.screens import ScreenName, app_of
from tui.services import Services
from tui.services.review import ReviewItem, ReviewQuery
from tui.widgets import QuietScreen, StatusBar
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["ReviewListScreen", "ServiceSource", "report_error"]

T = TypeVar("T")
KINDS = tuple(ReviewKind)


class PagedQuery(Protocol[T]):
    """What a list reads: its size and one page."""

    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> Sequence[T]: ...


class ServiceSource(Generic[T]):
    """Adapts a service query (``count()``, ``page(offset, limit)``) to a PagedTable.

    Faults (an expired session, a locked database, a refused permission) are reported
    through ``on_error`` and show as an empty list instead of crashing.
    """

    def __init__(self, query: PagedQuery[T], to_row: Callable[[T], Row],
                 on_error: Callable[[TreemError], None]) -> None:
        self.query = query
        self.to_row = to_row
        self.on_error = on_error

    def count(self) -> int:
        try:
            return int(self.query.count())
        except TreemError as exc:
            self.on_error(exc)
            return 0

    def page(self, offset: int, limit: int) -> Sequence[Row]:
        try:
            return [self.to_row(item) for item in self.query.page(offset, limit)]
        except TreemError as exc:
            self.on_error(exc)
            return []


def report_error(screen: Any, exc: TreemError) -> None:
    """Show a fault in the screen's status bar, from the UI or a worker thread."""

    def show() -> None:
        for bar in screen.query(StatusBar):
            bar.say(str(exc), "error")

    try:
        screen.app.call_from_thread(show)
    except RuntimeError:  # already on the UI thread
        show()


COLUMNS = (
    Column(txt.COL_ID, 12),
    Column(txt.COL_NAME, 22),
    Column(txt.COL_BIRTH, 10),
    Column(txt.COL_VILLAGE, 12),
    Column(txt.COL_PROBLEM),
)


class ReviewListScreen(QuietScreen[None]):
    """One review list; Enter fixes the highlighted child."""

    AUTO_FOCUS = "PagedTable"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", txt.KEY_BACK, id="back"),
        Binding("f3", "detail", txt.KEY_DETAIL, id="detail"),
        Binding("f6", "circumstances", txt.KEY_STEP5, id="circumstances"),
        Binding("f5", "refresh", txt.KEY_REFRESH, id="refresh"),
        *[
            Binding(str(i), f"switch('{kind}')", show=False, id=f"review_list_{i}")
            for i, kind in enumerate(KINDS, start=1)
        ],
    ]

    def __init__(self, services: Services, kind: str = ReviewKind.NO_ID, *,
                 on: date | None = None) -> None:
        super().__init__()
        self.requested = kind
        self.services = services
        #: The lists this person may read (the service layer decides, from the role).
        self.kinds = services.review.kinds() or KINDS
        self.kind = ReviewKind(kind) if kind in self.kinds else self.kinds[0]
        self.on = on or date.today()
        self._shown = False

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title", classes="screen-title")
        yield Static("", id="review-hint", classes="screen-hint")
        yield PagedTable(COLUMNS, empty_text=txt.REVIEW_EMPTY, count_later=True,
                         id="review-table")
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        if self.requested == "duplicates":
            # The home screen lists duplicate candidates among the review lists.
            from tui.screens.duplicates import DuplicateReviewScreen

            self.app.switch_screen(DuplicateReviewScreen(self.services))
            return
        self.sync_status()
        self._show_kind()

    def on_screen_resume(self) -> None:
        if self._shown:
            self.query_one(PagedTable).reload()
        self._shown = True

    def _show_kind(self) -> None:
        title, hint = txt.REVIEW_KINDS[self.kind]
        numbers = [KINDS.index(kind) + 1 for kind in self.kinds]
        keys = (f"{numbers[0]}–{numbers[-1]}" if numbers == list(range(1, len(KINDS) + 1))
                else ", ".join(map(str, numbers)))
        self.query_one("#review-title", Static).update(
            txt.REVIEW_TITLE.format(title=title, number=KINDS.index(self.kind) + 1,
                                    keys=keys))
        self.query_one("#review-hint", Static).update(hint)
        query = ReviewQuery(self.services.review, self.kind, on=self.on)
        self.query_one(PagedTable).set_source(ServiceSource(query, self._row, self._error))

    def _row(self, item: ReviewItem) -> Row:
        if self.kind is ReviewKind.AGED_OUT:
            problem = age_text(item.birth_date, self.on)
        elif self.kind is ReviewKind.UNSUPPORTED:
            problem = item.extra
        else:
            problem = "; ".join(txt.short_problem(c) for c in item.codes)
        return Row(item.child_id, (
            item.personal_id or txt.NO_ID, item.full_name, show_date(item.birth_date),
            item.village or "", problem,
        ))

    def _error(self, exc: TreemError) -> None:
        report_error(self, exc)

    # --- actions -------------------------------------------------------------------------
    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from tui.screens.entry import EntryScreen

        self.app.push_screen(EntryScreen(self.services, child_id=event.key))

    def action_detail(self) -> None:
        key = self.query_one(PagedTable).current_key
        if key is not None:
            from tui.screens.detail import ChildDetailScreen

            self.app.push_screen(ChildDetailScreen(self.services, key))

    def action_circumstances(self) -> None:
        key = self.query_one(PagedTable).current_key
        if key is not None:
            from tui.screens.circumstances import CircumstanceEditorScreen

            self.app.push_screen(CircumstanceEditorScreen(self.services, key))

    def action_refresh(self) -> None:
        self.query_one(PagedTable).reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 (step 5) only for a person who may review circumstances."""
        if action == "circumstances":
            return app_of(self).may_open(ScreenName.CIRCUMSTANCES)
        return True

    def action_switch(self, kind: str) -> None:
        if kind not in self.kinds:
            for bar in self.query(StatusBar):
                bar.say(txt.NOT_ALLOWED, "warning")
            return
        if kind != self.kind:
            self.kind = ReviewKind(kind)
            self._show_kind()

    def action_back(self) -> None:
        self.dismiss(None)
