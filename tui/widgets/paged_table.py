"""A virtual, paged table: only one screenful of rows is ever fetched or drawn.

Textual's ``DataTable`` costs about 0.15 ms per row on first render (3 s for 10,000
rows), so a review list of 300,000 children cannot be loaded into one. ``PagedTable``
asks a :class:`PageSource` for the row count and for one page (``offset``, ``limit``)
at a time, keeps only the visible window in memory, and draws it line by line
(Textual's line API): no child widget per row, no scrollbar, and a cursor move
repaints only the two lines that changed plus the status line. Moving past the last
visible row turns a whole page (one repaint per page, not one per key).

Keys: Up/Down, PgUp/PgDn, Home/End move the cursor; Enter posts
:class:`PagedTable.Selected` with the row's key (unless ``selectable=False``, for
tables that only show rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from libchild.text.controls import escape_unsafe
from tui.messages import review as txt

__all__ = ["Column", "PageSource", "PagedTable", "Row"]


@dataclass(frozen=True)
class Column:
    """A column: its heading and its width in cells (0 takes the remaining width)."""

    label: str
    width: int = 0


@dataclass(frozen=True)
class Row:
    """One table row: ``key`` identifies the record, ``cells`` are the texts shown."""

    key: int
    cells: tuple[str, ...]


class PageSource(Protocol):
    """Where a :class:`PagedTable` gets its rows (usually a database query)."""

    def count(self) -> int:
        """Return the total number of rows."""
        ...

    def page(self, offset: int, limit: int) -> Sequence[Row]:
        """Return at most ``limit`` rows starting at row ``offset``."""
        ...


class _EmptySource:
    def count(self) -> int:
        return 0

    def page(self, offset: int, limit: int) -> Sequence[Row]:
        return ()


def _fit(text: str, width: int) -> str:
    """Cut or pad ``text`` to exactly ``width`` cells, marking a cut with an ellipsis;
    control characters are shown as visible escapes (``escape_unsafe``).

    The cut falls between words when one ends in the second half of the cell: half a
    Vietnamese syllable reads as another word ("hoà…" for "hoàn cảnh")."""
    if width <= 0:
        return ""
    text = escape_unsafe(text)
    if cell_len(text) > width:
        head = set_cell_size(text, width - 1)
        if text[len(head):len(head) + 1] not in (" ", ""):
            space = max(head.rstrip().rfind(" "), head.rfind("/"))
            if space >= (width - 1) // 2:
                head = head[:space + 1]
        return set_cell_size(head + "…", width)
    return set_cell_size(text, width)


class PagedTable(Widget, can_focus=True):
    """A table that pages rows from a :class:`PageSource` one screenful at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "select", txt.KEY_OPEN, id="table.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--status",
    }

    # Reverse video and bold work in 16 colours and under NO_COLOR alike.
    DEFAULT_CSS = """
    PagedTable {
        height: 1fr;
    }
    PagedTable > .paged-table--header {
        text-style: bold underline;
    }
    PagedTable > .paged-table--cursor {
        text-style: reverse;
    }
    PagedTable:blur > .paged-table--cursor {
        text-style: underline;
    }
    PagedTable > .paged-table--status {
        text-style: dim;
    }
    """

    class Selected(Message):
        """Enter was pressed on a row."""

        def __init__(self, table: PagedTable, key: int, index: int) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.index = index

        @property
        def control(self) -> PagedTable:
            return self.table

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, table: PagedTable, key: int | None, index: int) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.index = index

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        source: PageSource | None = None,
        *,
        empty_text: str = "",
        selectable: bool = True,
        count_later: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = tuple(columns)
        self.empty_text = empty_text or txt.TABLE_EMPTY
        self.selectable = selectable
        self.count_later = count_later
        self._source: PageSource = source or _EmptySource()
        self._count = 0  # rows known to exist (the exact total once _exact)
        self._exact = True
        self._generation = 0
        self._top = 0
        self._cursor = 0
        self._rows: list[Row] = []
        self._loaded = False
        self._pending = True
        self.fetches = 0  # number of page queries made (for tests and benchmarks)

    # -- public API ------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Rows in the source: the exact total, or while it is being counted
        (``count_known`` False) the rows known to exist so far."""
        return self._count

    @property
    def count_known(self) -> bool:
        """True once ``row_count`` is the exact total."""
        return self._exact

    @property
    def cursor(self) -> int:
        """Index of the highlighted row in the whole source."""
        return self._cursor

    @property
    def page_size(self) -> int:
        """Rows visible at once: the height minus the header and status lines."""
        return max(1, self.size.height - 2)

    @property
    def visible_rows(self) -> list[Row]:
        """The rows currently held (never more than one screenful)."""
        return list(self._rows)

    @property
    def current_key(self) -> int | None:
        """Key of the highlighted row, or None when the table is empty."""
        row = self._row_at(self._cursor)
        return row.key if row else None

    def set_source(self, source: PageSource, *, keep_position: bool = False) -> None:
        """Show another source, from its first row (or, with ``keep_position``, from
        the same position, e.g. the same list less the row just decided)."""
        self._source = source
        if not keep_position:
            self._top = 0
            self._cursor = 0
        self.reload()

    def reload(self) -> None:
        """Count and fetch again, keeping the cursor where it was when possible.

        Called after a record was fixed: a fixed record leaves its list, and the
        cursor stays on the same position (now the next record). Before the table
        has a size the load waits for its first layout. With ``count_later`` the
        first page is shown at once (one query with a row of look-ahead) and the
        total is counted in a worker thread, then shown in the status line.
        """
        if not self.size.height:
            self._pending = True
            return
        self._pending = False
        self._generation += 1
        size = self.page_size
        if self.count_later:
            self._exact = False
            self._count = 0
            self._fetch()
            if not self._rows and self._top:  # the list shrank above the window
                self._top = 0
                self._exact = False
                self._fetch()
        else:
            self._exact = True
            self._count = self._source.count()
            self._top = max(0, min(self._top, self._count - size))
            self._fetch()
        self._cursor = max(0, min(self._cursor, self._count - 1))
        if self._cursor < self._top:
            self._top = self._cursor
            self._fetch()
        elif self._cursor >= self._top + size:
            self._top = self._cursor - size + 1
            self._fetch()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key, self._cursor))
        if not self._exact:
            generation = self._generation
            self.run_worker(lambda: self._count_in_thread(generation), thread=True,
                            group="paged-table-count", exclusive=True)

    # -- internals ---------------------------------------------------------------

    def _count_in_thread(self, generation: int) -> None:
        total = self._source.count()
        try:
            self.app.call_from_thread(self._counted, generation, total)
        except RuntimeError:  # the app closed meanwhile
            return

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation or self._exact:
            return
        self._count = max(total, 0)
        self._exact = True
        self.refresh(Region(0, self.size.height - 1, self.size.width, 1))

    def _ensure_count(self) -> None:
        """Count now (for End) when the background count has not arrived yet."""
        if not self._exact:
            self._counted(self._generation, self._source.count())

    def on_resize(self) -> None:
        if self._pending or not self._loaded:
            self.reload()
            return
        if self._cursor >= self._top + self.page_size:
            self._top = self._cursor - self.page_size + 1
        self._fetch()
        self.refresh()

    def _fetch(self) -> None:
        size = self.page_size
        if self._exact:
            self._rows = list(self._source.page(self._top, size)) if self._count else []
        else:
            rows = list(self._source.page(self._top, size + 1))
            if len(rows) > size:
                self._count = max(self._count, self._top + size + 1)
                rows = rows[:size]
            else:
                self._count = self._top + len(rows)
                self._exact = True
            self._rows = rows
        self._loaded = True
        self.fetches += 1

    def _row_at(self, index: int) -> Row | None:
        pos = index - self._top
        if 0 <= pos < len(self._rows):
            return self._rows[pos]
        return None

    def _move_to(self, index: int) -> None:
        if self._count == 0:
            return
        index = max(0, min(index, self._count - 1))
        if index == self._cursor:
            return
        old = self._cursor
        self._cursor = index
        size = self.page_size
        if index < self._top or index >= self._top + size:
            # Turn a whole page rather than scroll by one row: one repaint of the
            # table per page instead of one per key over a slow link.
            if index < self._top:
                self._top = max(0, index - size + 1)
            elif self._exact:
                self._top = max(0, min(index, self._count - size))
            else:
                self._top = index
            self._fetch()
            self._cursor = min(self._cursor, max(0, self._count - 1))
            self.refresh()
        else:
            width = self.size.width
            self.refresh(
                Region(0, 1 + old - self._top, width, 1),
                Region(0, 1 + index - self._top, width, 1),
                Region(0, self.size.height - 1, width, 1),
            )
        self.post_message(self.Highlighted(self, self.current_key, self._cursor))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        size = self.page_size
        if self._count == 0:
            return
        if direction > 0 and not self._exact:
            # Unknown total: step a page forward; the look-ahead tells where it ends.
            self._top += size
            self._cursor += size
            self._fetch()
            if not self._rows:
                self._top = max(0, self._count - size)
                self._fetch()
            self._cursor = min(self._cursor, self._count - 1)
            self.refresh()
            self.post_message(self.Highlighted(self, self.current_key, self._cursor))
            return
        new_top = max(0, min(self._top + direction * size, max(0, self._count - size)))
        new_cursor = max(0, min(self._cursor + direction * size, self._count - 1))
        if new_top != self._top:
            self._top = new_top
            self._cursor = new_cursor
            self._fetch()
            self.refresh()
            self.post_message(self.Highlighted(self, self.current_key, self._cursor))
        else:
            self._move_to(new_cursor)

    def action_edge(self, end: int) -> None:
        if end:
            self._ensure_count()
        self._move_to(self._count - 1 if end else 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.selectable or action != "select"

    def action_select(self) -> None:
        row = self._row_at(self._cursor)
        if row is not None:
            self.post_message(self.Selected(self, row.key, self._cursor))

    def _widths(self, total: int) -> list[int]:
        fixed = sum(c.width + 1 for c in self.columns if c.width)
        rest = max(4, total - fixed)
        return [c.width or rest for c in self.columns]

    def _line(self, cells: Sequence[str], width: int) -> str:
        parts = [_fit(text, w) for text, w in zip(cells, self._widths(width), strict=False)]
        return _fit(" ".join(parts), width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("paged-table--header")
            return Strip([Segment(self._line([c.label for c in self.columns], width), style)])
        if y == self.size.height - 1:
            style = base + self.get_component_rich_style("paged-table--status")
            return Strip([Segment(_fit(self._status_text(), width), style)])
        index = self._top + y - 1
        row = self._row_at(index)
        if row is None:
            text = self.empty_text if (self._count == 0 and y == 1 and self._loaded) else ""
            return Strip([Segment(_fit(text, width), base)])
        style = base
        if index == self._cursor:
            style = base + self.get_component_rich_style("paged-table--cursor")
        return Strip([Segment(self._line(row.cells, width), style)])

    def _status_text(self) -> str:
        if not self._loaded:
            return ""
        if not self._exact:
            return txt.table_status_counting(self._cursor + 1)
        if self._count == 0:
            return txt.table_status(0, 0)
        return txt.table_status(self._cursor + 1, self._count)
