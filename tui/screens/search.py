"""Search children as you type: name without diacritics, ID number, book number, village.

``SearchScreen(services)``: the query runs once typing pauses (:func:`typing_pause`: a
word typed at the officer's own pace runs one query and repaints the list once, not once
per key, which over a slow SSH link is 30 bytes a key instead of 2,000) through
``services.children.search`` / ``count_search``, which use the indexed folded-name and ID
columns. Results fill a :class:`~tui.widgets.paged_table.PagedTable` one screenful at a
time, with the count.
Down or Enter moves to the results; Enter on a child opens its detail, F2 its entry form;
Escape goes back to the search field, then leaves.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from tui.errors import TreemError
from tui.formatting import show_date
from tui.messages import review as txt
from tui.messages.labels import STATE_NAMES, name_of
from tui.screens.review import ServiceSource
from tui.services import Services
from tui.services.children import ChildrenService, SearchHit
from tui.widgets import QuietScreen, StatusBar, VietInput
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["DEBOUNCE_S", "FIRST_PAUSE_S", "MAX_PAUSE_S", "SearchQuery", "SearchScreen",
           "typing_pause"]

#: Shortest quiet time after the last key before the search runs: over a slow link (a
#: 300 ms round trip) an officer who waits for a letter's echo leaves 0.35-0.45 s between
#: keys, and a shorter hold ran a search, and painted a list, in the middle of the word.
DEBOUNCE_S = 0.5
#: Longest: a slow typist still sees the results this soon after stopping.
MAX_PAUSE_S = 0.8
#: The first key of the screen, with no pace known yet: hardly anyone searches for one
#: letter, and a search for one letter is the biggest list to paint.
FIRST_PAUSE_S = 0.6
#: A pause is this much longer than the typist's usual gap between two keys.
PAUSE_FACTOR = 1.6
#: Gaps between keys longer than this are pauses, not the typing pace.
PACE_LIMIT_S = 1.5


def typing_pause(gaps: Sequence[float]) -> float:
    """Seconds the field must stay unchanged before the search runs, given the latest
    gaps between keys: a little longer than this typist's usual gap, within
    ``DEBOUNCE_S``..``MAX_PAUSE_S``; ``FIRST_PAUSE_S`` before any gap is known (over a
    slow link keys arrive a round trip apart, 0.3 s or more, so the shortest hold ran a
    search for the first letter of every word).

    >>> typing_pause([])
    0.6
    >>> typing_pause([0.4, 0.5, 0.45])
    0.72
    >>> typing_pause([1.2])
    0.8
    """
    if not gaps:
        return FIRST_PAUSE_S
    usual = statistics.median(gaps)
    return round(min(MAX_PAUSE_S, max(DEBOUNCE_S, usual * PAUSE_FACTOR)), 3)

COLUMNS = (
    Column(txt.COL_NAME, 24),
    Column(txt.COL_BIRTH, 10),
    Column(txt.COL_ID, 12),
    Column(txt.COL_VILLAGE, 14),
    Column(txt.COL_STATE),
)


class SearchQuery:
    """A search as a paged source for one search text."""

    def __init__(self, children: ChildrenService, text: str) -> None:
        self.children = children
        self.text = text

    def count(self) -> int:
        return self.children.count_search(self.text)

    def page(self, offset: int, limit: int) -> list[SearchHit]:
        return self.children.search(self.text, limit=limit, offset=offset)


class _Nothing:
    def count(self) -> int:
        return 0

    def page(self, offset: int, limit: int) -> list[Row]:
        return []


class SearchScreen(QuietScreen[None]):
    """Type to search; the results follow."""

    AUTO_FOCUS = "#search-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", txt.KEY_BACK, id="back"),
        Binding("down", "to_results", txt.KEY_TO_LIST, id="to_results", show=False),
        Binding("f2", "edit", txt.KEY_EDIT, id="edit"),
        Binding("f3", "detail", txt.KEY_DETAIL, id="detail"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.text = ""
        self.searches = 0  # queries run (tests check the debounce)
        self._timer: Timer | None = None
        self._gaps: deque[float] = deque(maxlen=5)
        self._last_key = 0.0

    def compose(self) -> ComposeResult:
        yield Static(txt.SEARCH_TITLE, id="search-title", classes="screen-title")
        with Horizontal(id="search-row"):
            yield Label(txt.SEARCH_LABEL, id="search-label")
            yield VietInput(placeholder=txt.SEARCH_PLACEHOLDER, composable=True,
                            id="search-input", field="search")
        yield Static(txt.SEARCH_PROMPT, id="search-count", classes="screen-hint")
        yield PagedTable(COLUMNS, _Nothing(), empty_text=txt.SEARCH_EMPTY, id="search-table")
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()

    def on_screen_resume(self) -> None:
        if self.text:
            self.query_one(PagedTable).reload()

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        now = time.monotonic()
        if 0 < now - self._last_key < PACE_LIMIT_S:
            self._gaps.append(now - self._last_key)
        self._last_key = now
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(typing_pause(self._gaps), self.run_search)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self.run_search()
        self.action_to_results()

    def run_search(self) -> None:
        """Search for what the field holds now."""
        self._timer = None
        text = " ".join(self.query_one("#search-input", Input).value.split())
        if text == self.text:
            return
        self.text = text
        self.searches += 1
        table = self.query_one(PagedTable)
        if not text:
            table.set_source(_Nothing())
            self._show_count(None)
            return
        table.set_source(ServiceSource(SearchQuery(self.services.children, text), self._row,
                                       self._error))
        self._show_count(table.row_count)

    def _show_count(self, total: int | None) -> None:
        label = self.query_one("#search-count", Static)
        label.update(txt.SEARCH_PROMPT if total is None else txt.search_count(total))

    def _row(self, item: SearchHit) -> Row:
        return Row(item.id, (
            item.full_name, show_date(item.birth_date), item.personal_id or txt.NO_ID,
            item.village or "", name_of(STATE_NAMES, item.state),
        ))

    def _error(self, exc: TreemError) -> None:
        for bar in self.query(StatusBar):
            bar.say(str(exc), "error")

    # --- actions -------------------------------------------------------------------------
    def action_to_results(self) -> None:
        table = self.query_one(PagedTable)
        if table.row_count and not table.has_focus:
            table.focus()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self._open_detail(event.key)

    def _open_detail(self, child_id: int) -> None:
        from tui.screens.detail import ChildDetailScreen

        self.app.push_screen(ChildDetailScreen(self.services, child_id))

    def action_detail(self) -> None:
        key = self.query_one(PagedTable).current_key
        if key is not None:
            self._open_detail(key)

    def action_edit(self) -> None:
        key = self.query_one(PagedTable).current_key
        if key is not None:
            from tui.screens.entry import EntryScreen

            self.app.push_screen(EntryScreen(self.services, child_id=key))

    def action_back(self) -> None:
        table = self.query_one(PagedTable)
        if table.has_focus:
            self.query_one("#search-input", Input).focus()
            return
        self.dismiss(None)
