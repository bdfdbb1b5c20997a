"""The re-check (phúc tra) screen: the sample as a work list, blind re-entry, resolution.

CSPro's verification mode: the checker re-enters each sampled record from the household
book with the stored values hidden; only when the entry is complete (F2) does the screen
show the fields that differ, each settled as original right, re-entry right or both
wrong (with the value from the book). The service (``tui.services.recheck``) compares,
corrects through the normal save and keeps each field's outcome for the keyer rates.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static

from tui.errors import TreemError
from tui.formatting import shown
from tui.messages import recheck as msg
from tui.messages.labels import STATE_NAMES, name_of
from tui.messages.training import field_label as _label
from tui.services import Services
from tui.services.recheck import BLIND_FIELDS, SampleRow
from tui.training.keyer_stats import FieldCheck, Resolution
from tui.training.values import display
from tui.widgets import QuietScreen

__all__ = ["RecheckScreen"]

_KEYS = {"1": Resolution.ORIGINAL_RIGHT, "2": Resolution.REENTRY_RIGHT,
         "3": Resolution.BOTH_WRONG}


class RecheckScreen(QuietScreen[None]):
    """Work list of the sample, then blind entry and resolution of one record."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", msg.KEY_BACK, id="back"),
        Binding("f2", "next_step", msg.KEY_COMPARE, id="recheck_next"),
        Binding("1", "resolve('1')", show=False),
        Binding("2", "resolve('2')", show=False),
        Binding("3", "resolve('3')", show=False),
    ]

    def __init__(self, services: Services, *, percent: float | None = None,
                 seed: int | None = None) -> None:
        super().__init__()
        self.services = services
        self.rows: list[SampleRow] = list(services.recheck.sample(percent, seed).rows)
        self.current: SampleRow | None = None
        self.entered: dict[str, str] = {}
        self.checks: tuple[FieldCheck, ...] = ()
        self.resolutions: dict[str, Resolution] = {}
        self.book_values: dict[str, str] = {}
        self.pending: str | None = None  # the "both wrong" field awaiting its book value
        self.phase = "list"

    def compose(self) -> ComposeResult:
        yield Static(msg.TITLE, id="recheck-title")
        yield Static(msg.LIST_HINT, id="recheck-hint")
        table: DataTable[str] = DataTable(id="recheck-list", cursor_type="row")
        for column in msg.LIST_COLUMNS:
            table.add_column(column)
        for row in self.rows:
            table.add_row(f"#{row.id}", shown(row.book_number or msg.NO_BOOK),
                          shown(row.village or ""), shown(row.entered_by), key=str(row.id))
        yield table
        with Vertical(id="recheck-entry"):
            for field in BLIND_FIELDS:
                yield Label(_label(field))
                yield Input(id=f"blind-{field}")
        diff: DataTable[str] = DataTable(id="recheck-diff", cursor_type="row")
        for column in msg.RESOLVE_COLUMNS:
            diff.add_column(column, key=column)
        yield diff
        yield Label(msg.BOOK_VALUE_LABEL, id="recheck-book-label")
        yield Input(id="recheck-book-value")
        yield Static("", id="recheck-message")
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()
        self._show_phase("list")
        if not self.rows:
            self._say(msg.LIST_EMPTY)

    def _say(self, text: str) -> None:
        self.query_one("#recheck-message", Static).update(text)

    def _show_phase(self, phase: str) -> None:
        self.phase = phase
        self.query_one("#recheck-list").display = phase == "list"
        self.query_one("#recheck-entry").display = phase == "entry"
        self.query_one("#recheck-diff").display = phase == "resolve"
        both = phase == "resolve" and self.pending is not None
        self.query_one("#recheck-book-label").display = both
        self.query_one("#recheck-book-value").display = both
        if phase == "list":
            self.query_one("#recheck-hint", Static).update(msg.LIST_HINT)
            self.query_one("#recheck-list").focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.phase != "list" or event.data_table.id != "recheck-list":
            return
        child_id = int(str(event.row_key.value))
        self.current = next(r for r in self.rows if r.id == child_id)
        for field in BLIND_FIELDS:
            self.query_one(f"#blind-{field}", Input).value = ""
        self.resolutions, self.book_values, self.pending = {}, {}, None
        self.query_one("#recheck-hint", Static).update(msg.ENTRY_HINT.format(
            child_id=child_id, book=self.current.book_number or msg.NO_BOOK))
        self._say("")
        self._show_phase("entry")
        self.query_one(f"#blind-{BLIND_FIELDS[0]}", Input).focus()

    def action_back(self) -> None:
        if self.phase == "list":
            self.app.pop_screen()
        else:
            self._say("")
            self._show_phase("list")

    def action_next_step(self) -> None:
        if self.phase == "entry":
            self._compare()
        elif self.phase == "resolve":
            self._save()

    def _compare(self) -> None:
        assert self.current is not None
        self.entered = {f: self.query_one(f"#blind-{f}", Input).value for f in BLIND_FIELDS}
        try:
            self.checks = self.services.recheck.compare(self.current.id, self.entered)
        except TreemError as exc:
            self._say(str(exc))
            return
        diff = self.query_one("#recheck-diff", DataTable)
        diff.clear()
        for check in self.checks:
            if not check.agrees:
                diff.add_row(_label(check.field), display(check.field, check.original),
                             display(check.field, check.reentered), "", key=check.field)
        differ = any(not c.agrees for c in self.checks)
        self.query_one("#recheck-hint", Static).update(
            msg.RESOLVE_HINT if differ else msg.RESOLVE_NONE)
        self._show_phase("resolve")
        diff.focus()

    def action_resolve(self, key: str) -> None:
        if self.phase != "resolve":
            return
        diff = self.query_one("#recheck-diff", DataTable)
        if not diff.row_count:
            return
        field = str(diff.coordinate_to_cell_key(diff.cursor_coordinate).row_key.value)
        resolution = _KEYS[key]
        self.resolutions[field] = resolution
        self.book_values.pop(field, None)
        diff.update_cell(field, msg.RESOLVE_COLUMNS[3], msg.RESOLUTION_NAMES[resolution])
        self.pending = field if resolution is Resolution.BOTH_WRONG else None
        self._show_phase("resolve")
        if self.pending is not None:
            book = self.query_one("#recheck-book-value", Input)
            book.value = ""
            book.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "recheck-book-value" or self.pending is None:
            return
        field, value = self.pending, event.value.strip()
        self.book_values[field] = value
        self.query_one("#recheck-diff", DataTable).update_cell(
            field, msg.RESOLVE_COLUMNS[3], msg.BOTH_WRONG_CELL.format(value=value))
        self.pending = None
        self._show_phase("resolve")
        self.query_one("#recheck-diff").focus()

    def _save(self) -> None:
        assert self.current is not None
        try:
            state = self.services.recheck.resolve(self.current.id, self.entered,
                                                  dict(self.resolutions), self.book_values)
        except TreemError as exc:
            self._say(str(exc))
            return
        done = self.current
        self.rows = [r for r in self.rows if r.id != done.id]
        self.query_one("#recheck-list", DataTable).remove_row(str(done.id))
        self.current, self.pending = None, None
        self._show_phase("list")
        self._say(msg.SAVED.format(child_id=done.id, state=name_of(STATE_NAMES, state)))
