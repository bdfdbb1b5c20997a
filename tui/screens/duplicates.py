"""Duplicate review: candidate pairs side by side, "same child" or "different children".

``DuplicateReviewScreen(services)`` computes the candidates in a worker thread
(``services.duplicates.candidates``: libchild's matcher over the commune, cached until a
child changes), lists them in a paged table (best score first) and shows the highlighted
pair side by side, differing values in bold. F7 "same child" opens
:class:`MergeConfirmScreen`: both records side by side again and the number of the record
to merge away, typed to confirm; then ``services.duplicates.merge`` (audited; the merged
record is kept, hidden, with a link to the kept one). F6 takes the last merge back
exactly (``undo_merge``). F4 swaps which record is kept; F3 "different children" records
the decision (audited); a decided pair is never proposed again. No key here means "save"
anywhere else (F2 saves on the entry form), so a merge is never one slip away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from libchild.text.controls import escape_unsafe
from tui.domain import Decision
from tui.errors import TreemError, ValidationFailed
from tui.formatting import MISSING, code_name, decimal, number, show_date
from tui.messages import review as txt
from tui.messages.labels import STATE_NAMES, field_label, name_of
from tui.services import Services
from tui.services.children import ChildRecord
from tui.services.duplicates import Candidate, DuplicatesService
from tui.widgets import QuietScreen, StatusBar, VietInput
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["DuplicateReviewScreen", "MergeConfirmScreen"]

_COMPARE = ("full_name", "birth_date", "sex", "personal_id", "village", "father_name",
            "mother_name", "caregiver_name", "ethnicity", "state")


def _value(key: str, child: ChildRecord) -> str:
    if key in child.hidden:
        return txt.HIDDEN
    value = getattr(child, key)
    if key == "birth_date":
        return show_date(value)
    if key == "sex":
        return code_name("sexes", value)
    if key == "ethnicity":
        return code_name("ethnicities", value)
    if key == "state":
        return name_of(STATE_NAMES, value)
    return value or MISSING


def side_by_side(keep: ChildRecord, drop: ChildRecord) -> Table:
    """The two records field by field, values that differ in bold."""
    table = Table(box=None, show_header=True, pad_edge=False, expand=True,
                  header_style="bold underline")
    table.add_column(txt.COL_FIELD, width=14, no_wrap=True)
    table.add_column(f"{txt.COL_LEFT} ({txt.DUP_RECORD.format(child_id=keep.id)})",
                     ratio=1, no_wrap=True)
    table.add_column(f"{txt.COL_RIGHT} ({txt.DUP_RECORD.format(child_id=drop.id)})",
                     ratio=1, no_wrap=True)
    for key in _COMPARE:
        if key in keep.hidden:
            continue
        left, right = _value(key, keep), _value(key, drop)
        style = "bold" if left != right else ""
        table.add_row(field_label(key), Text(escape_unsafe(left), style=style),
                      Text(escape_unsafe(right), style=style))
    return table


class CandidateSource:
    """Candidate pairs (in memory) as table rows; names are read one page at a time."""

    def __init__(self, duplicates: DuplicatesService, candidates: Sequence[Candidate]) -> None:
        self.duplicates = duplicates
        self.candidates = list(candidates)

    def count(self) -> int:
        return len(self.candidates)

    def page(self, offset: int, limit: int) -> list[Row]:
        chunk = self.candidates[offset:offset + limit]
        ids = sorted({i for c in chunk for i in (c.left_id, c.right_id)})
        brief = self.duplicates.brief(ids)
        rows = []
        for n, cand in enumerate(chunk, start=offset):
            left, right = brief.get(cand.left_id), brief.get(cand.right_id)
            rows.append(Row(n, (
                decimal(cand.score, 2),  # the decimal comma, as everywhere else
                f"{left.full_name} {show_date(left.birth_date)}" if left else "",
                f"{right.full_name} {show_date(right.birth_date)}" if right else "",
                txt.dup_reasons(cand.reasons),
            )))
        return rows


class MergeConfirmScreen(ModalScreen[bool]):
    """Both records side by side; the number of the record merged away, typed, confirms.

    Enter with the right number dismisses True; Escape dismisses False."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", txt.KEY_BACK, id="merge_cancel"),
    ]

    def __init__(self, keep: ChildRecord, drop: ChildRecord) -> None:
        super().__init__()
        self.keep = keep
        self.drop = drop

    def compose(self) -> ComposeResult:
        with Vertical(id="merge-box"):
            yield Static(txt.MERGE_TITLE, id="merge-title")
            yield Static(side_by_side(self.keep, self.drop), id="merge-compare")
            yield Static(txt.MERGE_EXPLAIN.format(keep=self.keep.id, drop=self.drop.id),
                         id="merge-explain")
            yield VietInput(placeholder=txt.MERGE_PLACEHOLDER.format(drop=self.drop.id),
                            restrict=r"[0-9]*", max_length=12, id="merge-confirm",
                            field="merge_confirm")
            yield Static("", id="merge-message")

    def on_mount(self) -> None:
        self.query_one("#merge-confirm", Input).focus()

    @on(Input.Submitted, "#merge-confirm")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() == str(self.drop.id):
            self.dismiss(True)
            return
        self.query_one("#merge-message", Static).update(
            txt.MERGE_WRONG_NUMBER.format(drop=self.drop.id))
        event.input.value = ""

    def action_cancel(self) -> None:
        self.dismiss(False)


class DuplicateReviewScreen(QuietScreen[None]):
    """Decide, pair by pair, whether two records are the same child."""

    AUTO_FOCUS = "#dup-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "same", txt.KEY_SAME, id="dup_same"),
        Binding("f3", "different", txt.KEY_DIFFERENT, id="dup_different"),
        Binding("f4", "swap", txt.KEY_SWAP, id="dup_swap"),
        Binding("f6", "undo", txt.KEY_UNDO_MERGE, id="dup_undo"),
        Binding("f5", "refresh", txt.KEY_REFRESH, id="refresh"),
        Binding("escape", "back", txt.KEY_BACK, id="back"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.candidates: list[Candidate] = []
        self.keep_left = True
        self.ready = False
        self.last_merge: int | None = None  # the record merged away last, for F6
        self._viewed: set[tuple[int, int]] = set()

    def compose(self) -> ComposeResult:
        yield Static(txt.DUP_TITLE, id="dup-title", classes="screen-title")
        yield Static(txt.DUP_SEARCHING, id="dup-hint", classes="screen-hint")
        yield PagedTable(
            (Column(txt.COL_SCORE, 4), Column(txt.COL_LEFT, 28), Column(txt.COL_RIGHT, 28),
             Column(txt.COL_REASONS)),
            empty_text=txt.DUP_EMPTY, selectable=False, id="dup-table",
        )
        yield Static("", id="dup-compare")
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()
        # Blank until the comparison is done: "no pairs" under "comparing…" was a lie.
        self.query_one("#dup-table", PagedTable).empty_text = ""
        self.find()

    # --- finding candidates ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="duplicates")
    def find(self) -> None:
        """Compute (or take from the cache) the undecided pairs, off the UI thread."""
        try:
            found = self.services.duplicates.candidates()
        except TreemError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, found)

    def _failed(self, message: str) -> None:
        self.query_one("#dup-hint", Static).update(message)
        self._say(message, "error")

    def _show(self, found: list[Candidate]) -> None:
        self.candidates = found
        self.ready = True
        self._refill()

    def _refill(self) -> None:
        hint = (txt.DUP_COUNT.format(count=number(len(self.candidates)))
                if self.candidates else txt.DUP_NONE)
        self.query_one("#dup-hint", Static).update(hint)
        table = self.query_one("#dup-table", PagedTable)
        table.empty_text = txt.DUP_EMPTY
        table.set_source(CandidateSource(self.services.duplicates, self.candidates),
                         keep_position=True)

    # --- the highlighted pair ------------------------------------------------------------------
    @property
    def current(self) -> Candidate | None:
        """The highlighted pair."""
        key = self.query_one("#dup-table", PagedTable).current_key
        if key is None or key >= len(self.candidates):
            return None
        return self.candidates[key]

    def on_paged_table_highlighted(self, event: PagedTable.Highlighted) -> None:
        self.keep_left = True
        self._compare()

    def _ids(self, cand: Candidate) -> tuple[int, int]:
        """(kept, merged away) for the pair as currently set."""
        if self.keep_left:
            return cand.left_id, cand.right_id
        return cand.right_id, cand.left_id

    def _records(self, cand: Candidate, *, audit: bool) -> tuple[ChildRecord, ChildRecord]:
        keep_id, drop_id = self._ids(cand)
        return (self.services.children.get(keep_id, audit_view=audit),
                self.services.children.get(drop_id, audit_view=audit))

    def _compare(self) -> None:
        target = self.query_one("#dup-compare", Static)
        cand = self.current
        if cand is None:
            target.update("")
            return
        audit = (cand.left_id, cand.right_id) not in self._viewed
        self._viewed.add((cand.left_id, cand.right_id))
        try:
            keep, drop = self._records(cand, audit=audit)
        except TreemError as exc:
            target.update(str(exc))
            return
        target.update(side_by_side(keep, drop))

    # --- decisions ------------------------------------------------------------------------------
    def _say(self, message: str, severity: str = "info") -> None:
        for bar in self.query(StatusBar):
            bar.say(message, severity)

    def _drop_pairs(self, *child_ids: int, pair: Candidate | None = None) -> None:
        self.candidates = [
            c for c in self.candidates
            if c is not pair and not ({c.left_id, c.right_id} & set(child_ids))
        ]
        self._refill()

    def action_same(self) -> None:
        """F7: the two records are one child: confirm, then merge into the kept one."""
        cand = self.current
        if cand is None:
            return
        try:
            keep, drop = self._records(cand, audit=False)
        except TreemError as exc:
            self._say(txt.DUP_FAILED.format(message=str(exc)), "error")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._merge(keep.id, drop.id)
            else:
                self._say(txt.MERGE_CANCELLED)

        self.app.push_screen(MergeConfirmScreen(keep, drop), confirmed)

    def _merge(self, keep_id: int, drop_id: int) -> None:
        try:
            self.services.duplicates.merge(keep_id, drop_id)
        except ValidationFailed as exc:
            errors = exc.errors or exc.issues
            detail = errors[0].message if errors else str(exc)
            self._say(txt.DUP_FAILED.format(message=detail), "error")
            return
        except TreemError as exc:
            self._say(txt.DUP_FAILED.format(message=str(exc)), "error")
            return
        self.last_merge = drop_id
        self._drop_pairs(drop_id)
        self._say(txt.DUP_MERGED.format(keep=keep_id, drop=drop_id))

    def action_undo(self) -> None:
        """F6: take back the last merge made here; both records return exactly."""
        if self.last_merge is None:
            self._say(txt.UNDO_NOTHING, "warning")
            return
        try:
            result = self.services.duplicates.undo_merge(self.last_merge)
        except TreemError as exc:
            self._say(txt.DUP_FAILED.format(message=str(exc)), "error")
            return
        self.last_merge = None
        self._say(txt.UNDO_DONE.format(keep=result.keep_id, drop=result.drop_id))
        self.action_refresh()

    def action_different(self) -> None:
        """F3: two different children: remember it, never propose the pair again."""
        cand = self.current
        if cand is None:
            return
        try:
            self.services.duplicates.decide(cand.left_id, cand.right_id, Decision.DIFFERENT)
        except TreemError as exc:
            self._say(txt.DUP_FAILED.format(message=str(exc)), "error")
            return
        self._drop_pairs(pair=cand)
        self._say(txt.DUP_DIFFERENT.format(left=cand.left_id, right=cand.right_id))

    def action_swap(self) -> None:
        """F4: keep the other record of the pair."""
        if self.current is not None:
            self.keep_left = not self.keep_left
            self._compare()

    def action_refresh(self) -> None:
        self.query_one("#dup-hint", Static).update(txt.DUP_SEARCHING)
        self.find()

    def action_back(self) -> None:
        self.dismiss(None)
