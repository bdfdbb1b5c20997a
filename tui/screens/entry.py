"""Entry by household book: the header, the adults once, then the children one by one.

Keying follows the paper book: Enter moves to the next field, Shift+Tab back; at the last
field of a child Enter starts the next child, with ethnicity, nationality and the parents
carried over (dimmed). Enter passes by what a page almost never has (``next_stop``): the
adults after one left without a name, nationality (Việt Nam, filled in) and an empty
caregiver; Tab and Shift+Tab still reach them. Up to ``MAX_ADULTS`` adults, three in
view. F4 copies the previous child's value into the field and moves on.
libchild validates the child on every change: a marker beside each field, the message of
the focused field below the form. Errors block F2 (save); warnings are saved with the
record. The form state goes to a draft within a second of each change.

``EntryScreen(services)`` enters a new household; ``EntryScreen(services, child_id=...)``
opens one child for fixing (review lists) and saves it with a version check: only the
fields the form holds change (the death date, circumstances and supports stay as stored).
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Static

import libchild
from libchild import catalog
from tui.domain import Poverty
from tui.errors import Conflict, SessionExpired, StaleDraft, TreemError, ValidationFailed
from tui.messages import ui
from tui.messages.labels import POVERTY_NAMES, short_label
from tui.screens import app_of
from tui.screens.entry_form import (
    ADULTS,
    CHILD_FIELDS,
    FIELDS,
    MAX_ADULTS,
    SPECS,
    FieldSpec,
    HouseholdForm,
    field_issues,
    next_stop,
)
from tui.services import Services
from tui.services.drafts import entry_key
from tui.training.keystrokes import CORRECTION_KEYS, FormKeys
from tui.widgets import (
    CodeInput,
    CodeSource,
    DateInput,
    QuietScreen,
    StatusBar,
    VietInput,
)
from tui.widgets.fields import Choice, IdInput, Room

__all__ = ["EntryScreen"]

DRAFT_DELAY = 0.8  # seconds of quiet before the form state is written to the draft
DRAFT_FOCUS = "focus"  # the draft's entry naming the field the officer was typing in
MARK = {"error": "✗", "warning": "!", "info": "·"}

# Rows of the form, in book (and focus) order.
ROWS: tuple[tuple[str, ...], ...] = (
    ("book_number", "village", "poverty"),
    ("address",),
    *((f"{prefix}_name", f"{prefix}_id") for prefix in ADULTS),
    ("full_name", "sex", "birth_date"),
    ("personal_id", "ethnicity", "nationality"),
    ("schooling", "father"),
    ("mother", "caregiver"),
)
assert tuple(n for row in ROWS for n in row) == tuple(f.name for f in FIELDS)
#: In the compact layout (below 80x24, down to 60x20) these fields begin a second line of
#: their row, so that no row is wider than 60 columns.
COMPACT_BREAKS = frozenset({"poverty", "birth_date", "nationality"})


def conflict_text(exc: Conflict) -> str:
    """Both versions of a conflicting save, field by field, for the person to compare."""
    lines = [str(exc), "", f"{'':16} {ui.CONFLICT_MINE:<28} {ui.CONFLICT_THEIRS}"]
    for key, mine in exc.mine.items():
        if key not in exc.theirs:
            continue
        theirs = exc.theirs[key]
        if theirs is not None and str(theirs) != str(mine):
            lines.append(f"{short_label(key)[:16]:<16} {str(mine)[:28]:<28} {str(theirs)[:30]}")
    return "\n".join(lines)


class EntryScreen(QuietScreen):
    """Household entry (new) or one child's record (``child_id``)."""

    MIN_SIZE = (60, 20)

    #: Enter moves to the next field: the app holds keys typed after it until it has.
    ENTER_MOVES_FOCUS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "save", ui.KEY_SAVE, id="save", priority=True),
        Binding("ctrl+s", "save", ui.KEY_SAVE, id="save_ctrl", show=False, priority=True),
        Binding("f4", "ditto", ui.KEY_DITTO, id="ditto"),
        Binding("f5", "previous_child", ui.KEY_PREV_CHILD, id="previous_child"),
        Binding("f6", "next_child", ui.KEY_NEXT_CHILD, id="next_child"),
        Binding("escape", "back", ui.KEY_BACK, id="back", show=False),
        Binding("shift+tab", "previous_field", show=False, id="previous_field"),
    ]

    def __init__(
        self,
        services: Services,
        child_id: int | None = None,
        *,
        draft: dict[str, Any] | None = None,
        draft_version: int | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.form = HouseholdForm(child_id=child_id)
        self._draft = draft
        self._draft_timer: Timer | None = None
        #: The draft version this form last loaded or wrote: its writes are refused once
        #: another session of this person has written the draft since (then it stops).
        self._draft_base: int | None = draft_version
        self._draft_stale = False
        self._inputs: dict[str, VietInput] = {}
        self._notes: dict[str, Static] = {}
        self._offered: dict[str, str] = {}
        self._issues: dict[str, list[Any]] = {}
        self._loading = False
        self._store_issues: list[Any] = []
        self._adult_cache: dict[str, list[Any]] = {}
        self._hidden: set[str] = set()
        #: Code fields whose letters are still being typed: not judged until Enter or
        #: until focus leaves them ("tieu" is not "not in the catalogue" yet).
        self._typing: set[str] = set()
        #: Keys and time per child of a new household (training seats only; no text).
        self._form_keys = FormKeys()
        self._saved_ids: tuple[int, ...] = ()
        self._init_commune()

    # --- setup -----------------------------------------------------------------------
    def _init_commune(self) -> None:
        try:
            settings = self.services.commune.settings()
            villages = self.services.commune.villages()
        except TreemError:
            settings, villages = None, []
        if settings is not None:
            self.form.commune_code = settings.commune_code
            self.form.province_code = settings.province_code
        self.form.villages = {str(v.id): v.name for v in villages}

    def _source(self, name: str) -> CodeSource:
        if name == "villages":
            return CodeSource.from_pairs(lambda: list(self.form.villages.items()))
        if name == "poverty":
            return CodeSource.from_pairs(lambda: [(p.digit, POVERTY_NAMES[p]) for p in Poverty])
        if name == "adults":
            return CodeSource.from_pairs(
                lambda: [(ui.ADULT_NONE, ui.ADULT_NONE_NAME)]
                + [(n, name) for n, name, _pid in self.form.adults()]
            )
        return CodeSource.from_catalog(getattr(catalog.load(), name))

    def _make_input(self, spec: FieldSpec) -> VietInput:
        common: dict[str, Any] = {"id": f"f-{spec.name}", "field": spec.name}
        if spec.kind == "code":
            widget: VietInput = CodeInput(self._source(spec.source or ""), **common)
        elif spec.kind == "date":
            widget = DateInput(**common)
        elif spec.kind == "plain":
            widget = VietInput(max_length=20, **common)
        elif spec.kind == "id":
            widget = IdInput(max_length=spec.width - 1, **common)
        else:
            widget = VietInput(composable=True, **common)
        widget.styles.width = spec.width
        self._inputs[spec.name] = widget
        return widget

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="entry-title")
        adult_rows = [row for row in ROWS if row[0].startswith("adult")]
        with Vertical(id="entry-form"):
            for row in ROWS[:2]:
                yield self._row(row)
            yield Label(ui.CAREGIVERS.format(count=MAX_ADULTS), classes="caption wide-only")
            yield Label(ui.CAREGIVERS_SHORT.format(count=MAX_ADULTS),
                        classes="caption compact-only")
            # Three adults show at a time; the rest scroll into view as focus reaches them.
            with VerticalScroll(id="entry-adults", can_focus=False):
                for row in adult_rows:
                    yield self._row(row)
            yield Static(self._child_heading(), id="child-heading", classes="caption")
            for row in ROWS[2 + len(adult_rows):]:
                yield self._row(row)
        yield Static("", id="entry-issue")
        yield Static("", id="entry-summary")
        yield from self.compose_bottom_bar()

    def _row(self, row: tuple[str, ...]) -> Horizontal:
        """One line of the form: label, input and note of each field in ``row``."""
        widgets: list[Any] = []
        for name in row:
            spec = SPECS[name]
            note = Static(" ", classes="field-note", id=f"n-{name}")
            note.styles.width = spec.note + 2
            self._notes[name] = note
            widget = self._make_input(spec)
            if isinstance(widget, CodeInput):
                # Letters typed for a name borrow the note's cells (the note keeps its
                # mark and a few letters of the name offered).
                widget.room = Room(spec.width, spec.width + spec.note - 4, note, spec.note + 2)
            widgets += [Label(ui.form_label(name), classes="field-label"), widget, note]
        breaks = [i for i, name in enumerate(row) if name in COMPACT_BREAKS]
        if not breaks:
            return Horizontal(*widgets, classes="form-row")
        cut = 3 * breaks[0]  # label, input, note per field
        return Horizontal(Horizontal(*widgets[:cut], classes="form-segment"),
                          Horizontal(*widgets[cut:], classes="form-segment"),
                          classes="form-row -split")

    def on_mount(self) -> None:
        self.sync_status()
        if self._draft is not None:
            self.form.load_payload(self._draft)
            self.form.villages = self.form.villages or {}
        elif self.form.child_id is not None:
            self._load_child(self.form.child_id)
        else:
            self.form.set("nationality", "VN")
        self._fill_inputs(carried=("nationality",) if self._draft is None else ())
        if self._draft_base is None:
            with contextlib.suppress(TreemError):  # unknown: writes are unconditional
                self._draft_base = self.services.drafts.version_of(self._draft_key())
        first = "full_name" if self.form.child_id is not None else "book_number"
        # A resumed draft goes on at the field the officer was in when it was written.
        left_at = str((self._draft or {}).get(DRAFT_FOCUS, ""))
        if left_at in self._inputs:
            resumed = self._inputs[left_at]
            resumed.focus()
            # Go on typing after what is there, not over it (focus selects the value).
            self.call_after_refresh(resumed.action_end)
        elif self.form.child_id is not None:
            # A record opened for fixing: go to its first flagged field, cursor after the
            # stored value, so the first key typed neither lands elsewhere nor wipes it.
            self._revalidate()
            flagged = next((spec.name for spec in FIELDS if self._issues.get(spec.name)),
                           first)
            target = self._inputs[flagged]
            target.focus()
            self.call_after_refresh(target.action_end)
        else:
            self._inputs[first].focus()
        self._revalidate()

    def _load_child(self, child_id: int) -> None:
        try:
            child = self.services.children.get(child_id)
            household = (self.services.households.get(child.household_id)
                         if child.household_id else None)
        except TreemError as exc:
            self._say(str(exc), "error")
            return
        self.form.fill_from(child, household)
        # Fields this person may not see stay empty; saved empty, they keep their value.
        self._hidden = {name for name in ("ethnicity", "poverty")
                        if name in child.hidden or (household and name in household.hidden)}
        for name in self._hidden:
            self._inputs[name].placeholder = ui.HIDDEN_FIELD

    # --- form <-> inputs ---------------------------------------------------------------
    def _fill_inputs(self, carried: tuple[str, ...] = ()) -> None:
        self._loading = True
        try:
            for spec in FIELDS:
                self._inputs[spec.name].set_value(
                    self.form.get(spec.name), carried=spec.name in carried
                )
        finally:
            self._loading = False
        self._update_headings()

    def _fill_child(self, carried: tuple[str, ...]) -> None:
        self._loading = True
        try:
            for spec in CHILD_FIELDS:
                self._inputs[spec.name].set_value(
                    self.form.get(spec.name), carried=spec.name in carried
                )
        finally:
            self._loading = False
        self._update_headings()

    def _title(self) -> str:
        if self.form.child_id is not None:
            return ui.ENTRY_EDIT_TITLE
        return ui.ENTRY_TITLE

    def _child_heading(self) -> str:
        if self.form.child_id is not None:
            return ui.CHILD_HEADING_EDIT.format(version=self.form.version or 1)
        return ui.CHILD_HEADING.format(n=self.form.current + 1)

    def _update_headings(self) -> None:
        with contextlib.suppress(Exception):
            self.query_one("#child-heading", Static).update(self._child_heading(), layout=False)

    # --- events ----------------------------------------------------------------------------
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        widget = event.input
        if not isinstance(widget, VietInput) or widget.field not in SPECS:
            return
        event.stop()
        if self.form.get(widget.field) == event.value and self._loading:
            return
        if (isinstance(widget, CodeInput) and widget.has_focus and not self._loading
                and not widget.is_code()):
            self._typing.add(widget.field)
        else:
            self._typing.discard(widget.field)
        self.form.set(widget.field, event.value)
        self._revalidate(widget.field)
        if not self._loading:
            self._schedule_draft()

    @on(CodeInput.Offered)
    def _offered_changed(self, event: CodeInput.Offered) -> None:
        event.stop()
        choice: Choice | None = event.choice
        name = event.picker.field
        if choice is None:
            free_village = name == "village" and not self.form.villages
            text = ui.NO_MATCH if event.picker.value.strip() and not free_village else ""
        else:
            text = choice.name
            if event.others and event.picker.has_focus:
                text = f"{text} {ui.MORE_MATCHES.format(count=event.others)}"
        self._offered[name] = text
        self._paint_note(name)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        widget = event.input
        if not isinstance(widget, VietInput):
            return
        if isinstance(widget, CodeInput):  # the flow reads the value Enter resolved
            if self._judge(widget) and not widget.is_code():
                return  # letters that pick no entry: say so here, where they can be fixed
            self.form.set(widget.field, widget.value)
        flagged = frozenset(name for name, issues in self._issues.items()
                            if any(i.severity == "error" for i in issues))
        following = next_stop(self.form, widget.field, flagged=flagged)
        if following is None and self.form.child_id is None:
            self.action_next_child()
            return
        if following is None:  # one record being fixed: its last field is the end
            names = [f.name for f in FIELDS]
            following = names[min(names.index(widget.field) + 1, len(names) - 1)]
        self._inputs[following].focus()

    def on_descendant_focus(self, event: Any) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, VietInput):
            self._paint_issue(widget.field)

    def on_descendant_blur(self, event: Any) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, VietInput):
            self._judge(widget)

    def _judge(self, widget: VietInput) -> bool:
        """Judge a code field typed in (Enter, or focus leaving it). True when the field
        has an error now."""
        if widget.field in self._typing:
            self._typing.discard(widget.field)
            self._revalidate(widget.field)
        return any(i.severity == "error" for i in self._issues.get(widget.field, []))

    # --- validation ------------------------------------------------------------------------
    def _revalidate(self, changed: str | None = None) -> None:
        record = self.form.record()
        try:
            issues = list(libchild.validate(record))
        except Exception as exc:  # validate never raises by contract; be safe anyway
            self._say(ui.VALIDATION_UNAVAILABLE.format(error=exc), "error")
            return
        if self.form.child_id is None and self.form.is_blank(self.form.current):
            # A child not begun yet (a fresh form, or after F6) is not saved, so it has
            # nothing wrong: marks on fields nobody has typed in only alarm the officer.
            issues = []
        issues = [i for i in issues  # a hidden field left empty keeps its stored value
                  if not (i.field in self._hidden and not self.form.get(i.field))]
        issues += self._adult_issues()
        if changed is not None:
            self._store_issues = []
        issues += self._store_issues
        grouped = field_issues(issues)
        for name in self._typing:
            grouped.pop(name, None)
        old = self._issues
        self._issues = grouped
        for name in set(old) | set(grouped):
            if name and old.get(name) != grouped.get(name):
                self._paint_note(name)
        focused = self.focused
        field = focused.field if isinstance(focused, VietInput) else changed
        if field:
            self._paint_issue(field)
        self._paint_summary()

    def _adult_issues(self) -> list[Any]:
        """Format problems of the adults' ID numbers, shown beside each number."""
        out = []
        for prefix in ADULTS:
            number = self.form.household.get(f"{prefix}_id", "").strip()
            if not number:
                continue
            cached = self._adult_cache.get(number)
            if cached is None:
                cached = self._adult_cache[number] = [
                    i for i in libchild.validate({"caregiver_id": number})
                    if i.field == "caregiver_id"
                ]
            out.extend(_Relabelled(issue, f"{prefix}_id") for issue in cached)
        return out

    def _paint_note(self, name: str) -> None:
        note = self._notes.get(name)
        if note is None:
            return
        issues = self._issues.get(name, [])
        severity = issues[0].severity if issues else ""
        mark = MARK.get(severity, " ")
        text = f"{mark}{self._offered.get(name, '')}"
        if getattr(note, "_shown", None) == (text, severity):
            return
        note._shown = (text, severity)  # type: ignore[attr-defined]
        note.set_class(severity == "error", "-error")
        note.set_class(severity == "warning", "-warning")
        note.update(text, layout=False)

    def _paint_issue(self, name: str) -> None:
        issues = self._issues.get(name, [])
        text = ""
        severity = ""
        if issues:
            first = issues[0]
            severity = first.severity
            text = f"{MARK.get(severity, '')} {first.message}"
            if first.hint:
                text += f"\n  {first.hint}"
        box = self.query_one("#entry-issue", Static)
        if getattr(box, "_shown", None) == text:
            return
        box._shown = text  # type: ignore[attr-defined]
        box.set_class(severity == "error", "-error")
        box.set_class(severity == "warning", "-warning")
        box.update(text, layout=False)

    def _counts(self) -> tuple[int, int]:
        issues = [i for items in self._issues.values() for i in items]
        errors = sum(1 for i in issues if i.severity == "error")
        warnings = sum(1 for i in issues if i.severity == "warning")
        return errors, warnings

    def _paint_summary(self) -> None:
        errors, warnings = self._counts()
        names = [
            self.form.children[i].get("full_name", "") or "?"
            for i in self.form.entered_children()
            if i != self.form.current
        ]
        parts: list[str] = []
        if errors or warnings:
            parts.append(f"✗ {errors}  ! {warnings}")
        loose = self._issues.get("", [])
        if loose:
            parts.append(f"{MARK.get(loose[0].severity, '')} {loose[0].message}")
        if names:
            parts.append(ui.CHILDREN_DONE.format(names=", ".join(names)))
        text = "   ".join(parts)
        box = self.query_one("#entry-summary", Static)
        if getattr(box, "_shown", None) != text:
            box._shown = text  # type: ignore[attr-defined]
            box.update(text, layout=False)

    def _say(self, message: str, severity: str = "info") -> None:
        with contextlib.suppress(Exception):
            self.query_one(StatusBar).say(message, severity)

    # --- actions ---------------------------------------------------------------------------
    def count_key(self, key: str) -> None:
        """Count one key for the child the form is on (the app calls this for a trainee's
        seat only; a record opened for fixing is not measured)."""
        if self.form.child_id is None:
            self._form_keys.key(self.form.current, clock=time.monotonic(),
                                at=datetime.now(UTC), correction=key in CORRECTION_KEYS)

    def _record_keys(self, indexes: list[int]) -> None:
        """Hand the measures of the children just saved to the trainee's seat."""
        seat = getattr(self.app, "seat", None)
        if seat is not None and self.form.child_id is None:
            with contextlib.suppress(OSError):  # a measure is not worth losing the form
                seat.record(self._form_keys.measures(
                    list(zip(indexes, self._saved_ids, strict=False))))
        self._form_keys.reset()

    def action_ditto(self) -> None:
        """Copy the previous child's value into the focused field and move on."""
        widget = self.focused
        if not isinstance(widget, VietInput):
            return
        value = self.form.previous_value(widget.field)
        if value is None:
            self._say(ui.DITTO_NONE, "warning")
            return
        widget.set_value(value)
        self.form.set(widget.field, value)
        self._revalidate(widget.field)
        self._schedule_draft()
        self.post_message(Input.Submitted(widget, widget.value))

    def action_previous_field(self) -> None:
        """Shift+Tab: the field before, or from the child's name back to where Enter left
        the adults (the first adult without a name), not to the empty adults past it."""
        focused = self.focused
        if isinstance(focused, VietInput) and focused.field == CHILD_FIELDS[0].name:
            empty = next((f"{p}_name" for p in ADULTS
                          if not self.form.household.get(f"{p}_name", "").strip()), None)
            if empty is not None:
                self._inputs[empty].focus()
                return
        self.focus_previous()

    def action_next_child(self) -> None:
        """Close the current child (it must have no error) and start the next one."""
        if self.form.child_id is not None:
            return
        errors, _warnings = self._counts()
        if self.form.is_blank(self.form.current):
            self._inputs["full_name"].focus()
            return
        if errors:
            self._say(ui.CHILD_HAS_ERRORS.format(n=self.form.current + 1), "error")
            self._focus_first_error()
            return
        n = self.form.current + 1
        carried = self.form.next_child()
        self._fill_child(tuple(carried))
        self._revalidate()
        self._schedule_draft()
        self._say(ui.CHILD_ADDED.format(n=n))
        self._inputs["full_name"].focus()

    def action_previous_child(self) -> None:
        """Go back to the previous child of this household."""
        if self.form.previous_child():
            self._fill_child(())
            self._revalidate()
            self._inputs["full_name"].focus()

    def _focus_first_error(self) -> None:
        for spec in FIELDS:
            if any(i.severity == "error" for i in self._issues.get(spec.name, [])):
                self._inputs[spec.name].focus()
                return

    def action_save(self) -> None:
        """Validate every child entered and save the household (or the one child)."""
        for widget in self._inputs.values():
            if isinstance(widget, CodeInput):
                widget.resolve()
                self.form.set(widget.field, widget.value)
        self._typing.clear()
        indexes = self.form.entered_children()
        if not indexes:
            self._say(ui.NOTHING_TO_SAVE, "warning")
            return
        records = [self.form.record(i) for i in indexes]
        warnings = 0
        for i, record in zip(indexes, records, strict=True):
            issues = libchild.validate(record)
            errors = [x for x in issues if x.severity == "error"]
            warnings += sum(1 for x in issues if x.severity == "warning")
            if errors or self._adult_error():
                if i != self.form.current:
                    self.form.current = i
                    self._fill_child(())
                self._revalidate()
                count = len(errors) or 1
                self._say(ui.SAVE_BLOCKED.format(count=count), "error")
                self._focus_first_error()
                return
        try:
            message = self._store(records)
        except Conflict as exc:
            from tui.screens.help import HelpScreen

            self._say(str(exc), "error")
            self.app.push_screen(
                HelpScreen(None, title=ui.CONFLICT_TITLE, body=conflict_text(exc)))
            return
        except ValidationFailed as exc:
            self._show_store_issues(exc, indexes)
            return
        except TreemError as exc:
            self._say(str(exc), "error")
            if isinstance(exc, SessionExpired):
                app_of(self).action_lock()
            return
        if warnings:
            message += ui.SAVED_WITH_WARNINGS.format(count=warnings)
        self._record_keys(indexes)
        self._cancel_draft_timer()
        with contextlib.suppress(TreemError):  # the record is saved; a stale draft is harmless
            if not self._draft_stale:  # a newer draft of another session is kept
                after = self.services.drafts.discard(self._draft_key(), base=self._draft_base)
                if self._draft_base is not None:
                    self._draft_stale = after is None
                    self._draft_base = after
        self._say(message)
        if self.form.child_id is not None:
            self.dismiss(True)
            return
        self._start_next_household()

    def _store(self, records: list[dict[str, Any]]) -> str:
        """Save what the form holds; the Vietnamese confirmation."""
        form = self.form
        if form.child_id is not None:
            data = dict(records[0])
            data["id"] = form.child_id
            self._village_id(data)
            self.services.children.save(data, expected_version=form.version)
            return ui.SAVED_CHILD.format(name=data.get("full_name", ""))
        household = form.household_record()
        self._village_id(household)
        children = []
        for record in records:
            child = dict(record)
            self._village_id(child)
            children.append(child)
        caregivers = household.pop("caregivers")
        result = self.services.households.save(household, children, caregivers)
        form.household_id = result.household_id
        self._saved_ids = tuple(saved.child_id for saved in result.children)
        return ui.SAVED_HOUSEHOLD.format(book=household["book_number"], count=len(children))

    def _village_id(self, data: dict[str, Any]) -> None:
        """The village typed as its number in the list: by id, with the list's name."""
        code = self.form.household.get("village", "").strip()
        if code.isdigit() and code in self.form.villages:
            data["village_id"] = int(code)
            data["village"] = self.form.villages[code]

    def _show_store_issues(self, exc: ValidationFailed, indexes: list[int]) -> None:
        """Issues only the register can find (ID number taken, unknown village)."""
        per_child: dict[int, list[Any]] = exc.per_child or {0: exc.issues}
        position = min(per_child)
        target = indexes[position] if position < len(indexes) else self.form.current
        if target != self.form.current:
            self.form.current = target
            self._fill_child(())
        self._store_issues = list(per_child[position])
        self._revalidate()
        self._say(str(exc), "error")
        self._focus_first_error()

    def _adult_error(self) -> bool:
        return any(
            i.severity == "error"
            for name in (f"{prefix}_id" for prefix in ADULTS)
            for i in self._issues.get(name, [])
        )

    def _start_next_household(self) -> None:
        village = self.form.household.get("village", "")
        fresh = HouseholdForm(
            commune_code=self.form.commune_code,
            province_code=self.form.province_code,
            villages=self.form.villages,
        )
        fresh.household["village"] = village
        fresh.set("nationality", "VN")
        self.form = fresh
        self._fill_inputs(carried=("village", "nationality"))
        self._revalidate()
        self.query_one("#entry-adults", VerticalScroll).scroll_home(animate=False)
        self._inputs["book_number"].focus()

    def action_back(self) -> None:
        """Leave the form; the draft keeps what was typed."""
        self._flush_draft()
        self.dismiss(False)

    # --- drafts ------------------------------------------------------------------------------
    def _schedule_draft(self) -> None:
        # A new timer per change: a reset Textual timer could wait several periods after
        # a burst of keys, so the draft reached the disk seconds late.
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft)

    def _cancel_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def flush_draft(self) -> None:
        """Write the form state to the user's draft now (the app calls it on SIGHUP)."""
        self._cancel_draft_timer()
        self._flush_draft()

    def _draft_key(self) -> str:
        return entry_key(self.form.child_id)

    def _flush_draft(self) -> None:
        """Write the form state to the user's draft now (with the field being typed in),
        unless another session of this person has taken the draft over."""
        self._draft_timer = None
        if self._draft_stale:
            return
        if not self.form.entered_children() and not self.form.household.get("book_number"):
            return
        payload = self.form.to_payload()
        focused = self.app.focused
        if isinstance(focused, VietInput) and focused.field in self._inputs:
            payload[DRAFT_FOCUS] = focused.field
        try:
            self._draft_base = self.services.drafts.save(self._draft_key(), payload,
                                                         base=self._draft_base)
        except StaleDraft as exc:
            self._draft_stale = True
            self._say(str(exc), "error")
        except TreemError as exc:
            self._say(str(exc), "error")

    def on_unmount(self) -> None:
        if self._draft_timer is not None:
            self._flush_draft()


class _Relabelled:
    """An issue shown on another form field (an adult's ID number)."""

    def __init__(self, issue: Any, target: str) -> None:
        self._issue = issue
        self.field = target

    def __getattr__(self, name: str) -> Any:
        return getattr(self._issue, name)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Relabelled)
            and other.field == self.field
            and other._issue == self._issue
        )

    def __hash__(self) -> int:
        return hash((self.field, self._issue))

