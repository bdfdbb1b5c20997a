"""Duplicate review: candidate pairs side by side, "same child" or "different children".

``DuplicateReviewScreen(register)`` computes the candidates in a worker thread
(``tui.store.review.duplicate_candidates``: libchild's matcher over the commune, cached
until a child changes), lists them in a paged table (best score first) and shows the
highlighted pair side by side, differing values in bold. F2 "same child" merges the
right record into the kept one through ``Register.merge_children`` (audited; the
merged record is kept, hidden); F4 swaps which record is kept. F3 "different children"
records the decision (audited); a decided pair is never proposed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.messages import core as core_msg
from tui.messages import review as txt
from tui.screens.detail import code_name, may_see_sensitive
from tui.screens.review import show_date
from tui.store.errors import StoreError, ValidationFailed
from tui.store.review import Candidate, child_brief, duplicate_candidates, forget_merged
from tui.widgets import QuietScreen, StatusBar
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["DuplicateReviewScreen"]

_COMPARE = (
    ("full_name", "full_name"), ("birth_date", "birth_date"), ("sex", "sex"),
    ("personal_id", "personal_id"), ("village", "village"), ("father_name", "father_name"),
    ("mother_name", "mother_name"), ("caregiver_name", "caregiver_name"),
    ("ethnicity", "ethnicity"), ("state", "state"),
)


class CandidateSource:
    """Candidate pairs (in memory) as table rows; names are read one page at a time."""

    def __init__(self, register: Any, candidates: Sequence[Candidate]) -> None:
        self.register = register
        self.candidates = list(candidates)

    def count(self) -> int:
        return len(self.candidates)

    def page(self, offset: int, limit: int) -> list[Row]:
        chunk = self.candidates[offset:offset + limit]
        ids = sorted({i for c in chunk for i in (c.left_id, c.right_id)})
        brief = child_brief(self.register, ids)
        rows = []
        for n, cand in enumerate(chunk, start=offset):
            left = brief.get(cand.left_id, {})
            right = brief.get(cand.right_id, {})
            rows.append(Row(n, (
                f"{cand.score:.2f}",
                f"{left.get('full_name', '')} {show_date(left.get('birth_date'))}",
                f"{right.get('full_name', '')} {show_date(right.get('birth_date'))}",
                txt.dup_reasons(cand.reasons),
            )))
        return rows


class DuplicateReviewScreen(QuietScreen[None]):
    """Decide, pair by pair, whether two records are the same child."""

    AUTO_FOCUS = "#dup-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "same", txt.KEY_SAME, id="dup_same"),
        Binding("f3", "different", txt.KEY_DIFFERENT, id="dup_different"),
        Binding("f4", "swap", txt.KEY_SWAP, id="dup_swap"),
        Binding("f5", "refresh", txt.KEY_REFRESH, id="refresh"),
        Binding("escape", "back", txt.KEY_BACK, id="back"),
    ]

    def __init__(self, register: Any) -> None:
        super().__init__()
        self.register = register
        self.candidates: list[Candidate] = []
        self.keep_left = True
        self.ready = False
        self.sensitive = may_see_sensitive(register.user)
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
        self.find()

    # --- finding candidates ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="duplicates")
    def find(self) -> None:
        """Compute (or take from the cache) the undecided pairs, off the UI thread."""
        try:
            found = duplicate_candidates(self.register)
        except StoreError as exc:
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
        hint = (txt.DUP_COUNT.format(count=txt.number(len(self.candidates)))
                if self.candidates else txt.DUP_NONE)
        self.query_one("#dup-hint", Static).update(hint)
        table = self.query_one("#dup-table", PagedTable)
        table.set_source(CandidateSource(self.register, self.candidates), keep_position=True)

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

    def _compare(self) -> None:
        target = self.query_one("#dup-compare", Static)
        cand = self.current
        if cand is None:
            target.update("")
            return
        keep_id, drop_id = self._ids(cand)
        audit = (cand.left_id, cand.right_id) not in self._viewed
        self._viewed.add((cand.left_id, cand.right_id))
        try:
            keep = self.register.get_child(keep_id, audit_view=audit)
            drop = self.register.get_child(drop_id, audit_view=audit)
        except StoreError as exc:
            target.update(str(exc))
            return
        table = Table(box=None, show_header=True, pad_edge=False, expand=True,
                      header_style="bold underline")
        table.add_column(txt.COL_FIELD, width=14, no_wrap=True)
        table.add_column(f"{txt.COL_LEFT} ({txt.DUP_RECORD.format(child_id=keep_id)})",
                         ratio=1, no_wrap=True)
        table.add_column(f"{txt.COL_RIGHT} ({txt.DUP_RECORD.format(child_id=drop_id)})",
                         ratio=1, no_wrap=True)
        for key, label_key in _COMPARE:
            if key == "ethnicity" and not self.sensitive:
                continue
            left, right = self._value(key, keep), self._value(key, drop)
            style = "bold" if left != right else ""
            table.add_row(txt.DETAIL_LABELS[label_key], Text(left, style=style),
                          Text(right, style=style))
        target.update(table)

    @staticmethod
    def _value(key: str, child: dict[str, Any]) -> str:
        value = child.get(key)
        if key == "birth_date":
            return show_date(value)
        if key == "sex":
            return code_name("sexes", value)
        if key == "ethnicity":
            return code_name("ethnicities", value)
        if key == "state":
            return core_msg.STATE_NAMES.get(value or "", value or "")
        return value or txt.MISSING

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
        """F2: the two records are one child: merge into the kept one."""
        cand = self.current
        if cand is None:
            return
        keep_id, drop_id = self._ids(cand)
        try:
            self.register.merge_children(keep_id, drop_id)
        except ValidationFailed as exc:
            errors = exc.errors or exc.issues
            detail = errors[0].message if errors else str(exc)
            self._say(txt.DUP_FAILED.format(message=detail), "error")
            return
        except StoreError as exc:
            self._say(txt.DUP_FAILED.format(message=str(exc)), "error")
            return
        forget_merged(self.register, drop_id)
        self._drop_pairs(drop_id)
        self._say(txt.DUP_MERGED.format(keep=keep_id, drop=drop_id))

    def action_different(self) -> None:
        """F3: two different children: remember it, never propose the pair again."""
        cand = self.current
        if cand is None:
            return
        try:
            self.register.decide_duplicate(cand.left_id, cand.right_id, "different")
        except StoreError as exc:
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
