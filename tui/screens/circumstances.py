"""The step-5 editor: add or end a circumstance group, record a support.

``CircumstanceEditorScreen(services, child_id)`` lists the child's circumstances (with
their periods) and supports, each in a paged table. F2 adds a circumstance (code or a
few letters of its name, start date, note), F3 ends the highlighted one (end date), F4
records a support (form, date, note), F5 records that step 5 reviewed the child (date,
empty for today, and note; ``services.children.mark_circumstances_reviewed``: state "đã rà
soát hoàn cảnh", dated in the child's history), F8 deletes the highlighted circumstance or
support of the table in focus when it was entered by mistake (a second F8 confirms, Esc
cancels; ``delete_circumstance`` / ``delete_support``, audited with what was deleted).
Enter moves through the three fields and saves on
the last one; Escape cancels. Every change goes through ``services.children``
(``add_circumstance`` / ``end_circumstance`` / ``add_support``), which revalidates the
whole record with libchild and refuses roles that may not see sensitive data:
an error (a support dated after the child's death, before birth, in the future...)
blocks the change and its Vietnamese message is shown; nothing typed is lost.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from libchild import catalog
from libchild.dates import format_date, parse_date
from tui.errors import TreemError, ValidationFailed
from tui.formatting import code_name, show_date, shown
from tui.messages import core as core_msg
from tui.messages import review as txt
from tui.screens.detail import ListSource
from tui.services import Services
from tui.services.children import ChildRecord, Circumstance
from tui.widgets import (
    CodeInput,
    CodeSource,
    DateInput,
    QuietScreen,
    StatusBar,
    VietInput,
)
from tui.widgets.fields import Room
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["CircumstanceEditorScreen", "parse_typed_date"]

CODE_WIDTH = 8  # "DB04" and the cursor, with room; app.tcss gives #step5-code this width
MODES = ("add_circumstance", "end_circumstance", "add_support", "mark_reviewed")


def parse_typed_date(value: str) -> date | None:
    """The date typed in a field (``15/03/2024``, ``15032024``...), None if empty.

    Raises ``ValueError`` for text that is not a date.
    """
    text = value.strip()
    if not text:
        return None
    return parse_date(text)


class CircumstanceEditorScreen(QuietScreen[None]):
    """Step 5 for one child."""

    #: Enter moves to the next field: the app holds keys typed after it until it has.
    ENTER_MOVES_FOCUS = True

    AUTO_FOCUS = "#step5-circ"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", txt.KEY_BACK, id="back"),
        Binding("f2", "start('add_circumstance')", txt.KEY_ADD_CIRCUMSTANCE, id="add_circ"),
        Binding("f3", "start('end_circumstance')", txt.KEY_END_CIRCUMSTANCE, id="end_circ"),
        Binding("f4", "start('add_support')", txt.KEY_ADD_SUPPORT, id="add_support"),
        Binding("f5", "start('mark_reviewed')", core_msg.STEP5_KEY, id="mark_reviewed"),
        Binding("f8", "delete_row", txt.KEY_DELETE_ROW, id="delete_row"),
    ]

    def __init__(self, services: Services, child_id: int) -> None:
        super().__init__()
        self.services = services
        self.child_id = int(child_id)
        self.child: ChildRecord | None = None
        self.mode: str | None = None
        self._ending: Circumstance | None = None
        #: The row F8 asked about: ("circumstance" | "support", row id) until confirmed.
        self._deleting: tuple[str, int] | None = None

    def compose(self) -> ComposeResult:
        cats = catalog.load()
        yield Static("", id="step5-title", classes="screen-title")
        yield PagedTable(
            (Column(txt.COL_CODE, 5), Column(txt.COL_CIRC_NAME, 30), Column(txt.COL_FROM, 10),
             Column(txt.COL_TO, 10), Column(txt.COL_NOTE)),
            empty_text=txt.NO_CIRCUMSTANCES, selectable=False, id="step5-circ",
        )
        yield PagedTable(
            (Column(txt.COL_CODE, 5), Column(txt.COL_SUPPORT_NAME, 30),
             Column(txt.COL_DATE, 10), Column(txt.COL_NOTE)),
            empty_text=txt.NO_SUPPORTS, selectable=False, id="step5-supp",
        )
        yield Static(txt.STEP5_IDLE, id="step5-mode", classes="caption")
        with Horizontal(id="step5-form", classes="form-row"):
            yield Label(txt.LABEL_CODE, classes="field-label")
            code = CodeInput(CodeSource.from_catalog(cats.circumstances), id="step5-code",
                             field="circumstance")
            code.room = Room(CODE_WIDTH, CODE_WIDTH + 12)  # the note field (1fr) gives way
            yield code
            yield Label(txt.LABEL_DATE, classes="field-label")
            yield DateInput(id="step5-date", field="date")
            yield Label(txt.LABEL_NOTE, classes="field-label")
            yield VietInput(composable=True, id="step5-note", field="note")
        yield Static("", id="step5-message")
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()
        self._set_form_enabled(False)
        self.load()

    # --- data -----------------------------------------------------------------------------
    def load(self) -> None:
        """Read the child again and refill both tables."""
        try:
            child = self.services.children.get(self.child_id, audit_view=False)
        except TreemError as exc:
            self._message(str(exc), "error")
            return
        self.child = child
        self.query_one("#step5-title", Static).update(
            shown(txt.STEP5_TITLE.format(name=child.full_name)))
        if "circumstances" in child.hidden:
            self._message(txt.STEP5_HIDDEN, "error")
        circ_rows = [
            Row(c.id, (c.code, code_name("circumstances", c.code).partition(" ")[2],
                       show_date(c.start), show_date(c.end) if c.end else txt.OPEN_END,
                       c.note))
            for c in child.circumstances
        ]
        supp_rows = [
            Row(s.id, (s.form, code_name("supports", s.form).partition(" ")[2],
                       show_date(s.date), s.note))
            for s in child.supports
        ]
        self.query_one("#step5-circ", PagedTable).set_source(ListSource(circ_rows))
        self.query_one("#step5-supp", PagedTable).set_source(ListSource(supp_rows))

    # --- form -------------------------------------------------------------------------------
    def _set_form_enabled(self, enabled: bool) -> None:
        for widget in self.query("#step5-form Input"):
            widget.disabled = not enabled

    def _message(self, text: str, severity: str = "info") -> None:
        label = self.query_one("#step5-message", Static)
        label.update(text)
        label.set_class(severity == "error", "-error")
        for bar in self.query(StatusBar):
            bar.say(text, severity)

    def action_start(self, mode: str) -> None:
        """Open the form for ``mode`` (one of ``MODES``)."""
        if mode not in MODES or self.child is None:
            return
        code = self.query_one("#step5-code", CodeInput)
        date_input = self.query_one("#step5-date", DateInput)
        note = self.query_one("#step5-note", VietInput)
        self._ending = None
        if mode == "end_circumstance":
            key = self.query_one("#step5-circ", PagedTable).current_key
            current = next((c for c in self.child.circumstances if c.id == key), None)
            if current is None:
                self._message(txt.STEP5_PICK_ROW, "warning")
                return
            if current.end:
                self._message(txt.STEP5_ALREADY_ENDED.format(end=show_date(current.end)),
                              "warning")
                return
            self._ending = current
        self.mode = mode
        self._set_form_enabled(True)
        cats = catalog.load()
        code.source = CodeSource.from_catalog(
            cats.supports if mode == "add_support" else cats.circumstances
        )
        code.value = self._ending.code if self._ending else ""
        date_input.value = ""
        note.value = ""
        if self._ending:
            code.disabled = True
            note.disabled = True
        if mode == "mark_reviewed":
            code.disabled = True
            caption = core_msg.STEP5_REVIEW_MODE
        else:
            caption = txt.STEP5_MODES[mode].format(
                code=self._ending.code if self._ending else "")
        self.query_one("#step5-mode", Static).update(caption)
        self._message("")
        (date_input if self._ending or mode == "mark_reviewed" else code).focus()

    def _close_form(self) -> None:
        self.mode = None
        self._ending = None
        # Emptied: values left in the closed form read as not yet added.
        for widget in self.query("#step5-form Input"):
            widget.value = ""
        self._set_form_enabled(False)
        self.query_one("#step5-mode", Static).update(txt.STEP5_IDLE)
        self.query_one("#step5-circ", PagedTable).focus()

    @on(CodeInput.Offered)
    def _show_offer(self, event: CodeInput.Offered) -> None:
        """Name the entry the typed letters pick (``khuyet`` → DB04 Trẻ em khuyết tật)
        before Enter takes it, or say that nothing matches."""
        if self.mode is None or not event.picker.has_focus:
            return
        if event.choice is None:
            typed = event.picker.value.strip()
            self._message(txt.STEP5_NO_MATCH.format(text=typed) if typed else "")
            return
        more = txt.STEP5_MORE.format(count=event.others) if event.others else ""
        self._message(f"{event.choice.code} {event.choice.name}{more}")

    @on(Input.Submitted, "#step5-form Input")
    def _next_field(self, event: Input.Submitted) -> None:
        order = [w for w in self.query("#step5-form Input") if not w.disabled]
        if event.input is order[-1]:
            self.save()
            return
        order[order.index(event.input) + 1].focus()

    def save(self) -> None:
        """Check the typed values and store the change through the register."""
        if self.mode is None or self.child is None:
            return
        if self.mode == "mark_reviewed":
            self._mark_reviewed()
            return
        code_input = self.query_one("#step5-code", CodeInput)
        code_input.resolve()
        code = code_input.value.strip().upper()
        raw_date = self.query_one("#step5-date", DateInput).value
        note = self.query_one("#step5-note", VietInput).value.strip()
        try:
            day = parse_typed_date(raw_date)
        except ValueError:
            self._message(txt.STEP5_BAD_DATE.format(value=raw_date), "error")
            self.query_one("#step5-date", DateInput).focus()
            return
        cats = catalog.load()
        version = self.child.version
        try:
            if self.mode == "add_circumstance":
                if cats.circumstances.get(code) is None:
                    self._message(txt.STEP5_UNKNOWN_CIRCUMSTANCE.format(code=code), "error")
                    code_input.focus()
                    return
                self.services.children.add_circumstance(self.child_id, code, day, note,
                                               expected_version=version)
            elif self.mode == "add_support":
                if cats.supports.get(code) is None:
                    self._message(txt.STEP5_UNKNOWN_SUPPORT.format(code=code), "error")
                    code_input.focus()
                    return
                if day is None:
                    self._message(txt.STEP5_DATE_REQUIRED, "error")
                    self.query_one("#step5-date", DateInput).focus()
                    return
                self.services.children.add_support(self.child_id, code, day, note,
                                          expected_version=version)
            else:
                assert self._ending is not None
                if day is None:
                    self._message(txt.STEP5_DATE_REQUIRED, "error")
                    return
                start = self._ending.start
                if start and day.isoformat() < start:
                    self._message(txt.STEP5_END_BEFORE_START.format(start=show_date(start)),
                                  "error")
                    return
                self.services.children.end_circumstance(self.child_id, self._ending.id, day,
                                               expected_version=version)
        except ValidationFailed as exc:
            errors = exc.errors or exc.issues
            detail = errors[0].message if errors else str(exc)
            self._message(txt.STEP5_NOT_SAVED.format(message=detail), "error")
            return
        except TreemError as exc:
            self._message(txt.STEP5_NOT_SAVED.format(message=str(exc)), "error")
            return
        done = txt.STEP5_SAVED[self.mode].format(code=code)
        self._close_form()
        self.load()
        self._message(done)

    def _mark_reviewed(self) -> None:
        """F5 form: record the step-5 review on the date typed (empty: today)."""
        date_input = self.query_one("#step5-date", DateInput)
        note = self.query_one("#step5-note", VietInput).value.strip()
        try:
            day = self.services.children.mark_circumstances_reviewed(
                self.child_id, on=date_input.value.strip() or None, note=note)
        except TreemError as exc:
            self._message(core_msg.STEP5_NOT_MARKED.format(message=str(exc)), "error")
            date_input.focus()
            return
        self._close_form()
        self.load()
        self._message(core_msg.STEP5_MARKED.format(date=format_date(day)))

    def action_delete_row(self) -> None:
        """F8: ask about the highlighted row of the table in focus; F8 again deletes it."""
        if self.mode is not None or self.child is None:
            return
        target = self._row_in_focus()
        if target is None:
            self._deleting = None
            self._message(txt.STEP5_DELETE_PICK, "warning")
            return
        kind, row_id, code, period = target
        if self._deleting != (kind, row_id):
            self._deleting = (kind, row_id)
            self._message(txt.STEP5_DELETE_CONFIRM[kind].format(code=code, period=period),
                          "warning")
            return
        self._deleting = None
        delete = (self.services.children.delete_circumstance if kind == "circumstance"
                  else self.services.children.delete_support)
        try:
            delete(self.child_id, row_id, expected_version=self.child.version)
        except TreemError as exc:
            self._message(txt.STEP5_NOT_SAVED.format(message=str(exc)), "error")
            return
        self.load()
        self._message(txt.STEP5_DELETED[kind].format(code=code))

    def _row_in_focus(self) -> tuple[str, int, str, str] | None:
        """(kind, id, code, period) of the highlighted row of the focused table."""
        assert self.child is not None
        focused = self.focused
        if not isinstance(focused, PagedTable):
            return None
        key = focused.current_key
        if focused.id == "step5-circ":
            circ = next((c for c in self.child.circumstances if c.id == key), None)
            if circ is not None:
                end = show_date(circ.end) if circ.end else txt.OPEN_END
                return "circumstance", circ.id, circ.code, f"{show_date(circ.start)}–{end}"
        elif focused.id == "step5-supp":
            supp = next((s for s in self.child.supports if s.id == key), None)
            if supp is not None:
                return "support", supp.id, supp.form, show_date(supp.date)
        return None

    def on_paged_table_highlighted(self, event: PagedTable.Highlighted) -> None:
        """Moving to another row forgets an unconfirmed F8."""
        kind = "circumstance" if event.table.id == "step5-circ" else "support"
        if self._deleting is not None and self._deleting != (kind, event.key):
            self._deleting = None
            self._message(txt.STEP5_DELETE_CANCELLED)

    def action_back(self) -> None:
        if self._deleting is not None:
            self._deleting = None
            self._message(txt.STEP5_DELETE_CANCELLED)
            return
        if self.mode is not None:
            self._close_form()
            self._message("")
            return
        self.dismiss(None)
