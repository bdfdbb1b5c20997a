"""Child detail: every field, circumstances with dates, supports, workflow and history.

``ChildDetailScreen(services, child_id)`` reads the child through
``services.children.get`` (which audits the view) and ``history``. Three pages switched
with keys 1, 2, 3: the record and its remaining issues; circumstances and supports; the
history (workflow steps and audited changes, newest first, in a paged table). The record
page shows the household book (number, poverty) and the father, mother and caregiver
each with their own ID number from the book, and says whose the caregiver ID the record
holds is when it is a parent's. Sensitive data (ethnicity, circumstances, supports, the
household's poverty) comes redacted from the service for roles that may not see it
(DOMAIN.md §7); the screen says so where it would be. F2 opens the entry form, F6 the
step-5 editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Static

from libchild import catalog
from tui.domain import Relation
from tui.errors import TreemError
from tui.formatting import MISSING, age_text, code_name, show_date, shown, when
from tui.messages import review as txt
from tui.messages.labels import (
    POVERTY_NAMES,
    RELATION_NAMES,
    STATE_NAMES,
    field_label,
    name_of,
)
from tui.screens import ScreenName, app_of
from tui.services import Services
from tui.services.children import ChildHistory, ChildRecord
from tui.services.households import HouseholdRecord
from tui.widgets import QuietScreen, StatusBar
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["ChildDetailScreen", "ListSource", "value_text"]


class ListSource:
    """Rows already in memory, served a page at a time to a PagedTable."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int) -> list[Row]:
        return self.rows[offset:offset + limit]


def value_text(value: Any) -> str:
    """An audited value as one short line."""
    if value is None:
        return MISSING
    if isinstance(value, dict):
        if "code" in value:
            end = show_date(value.get("end")) if value.get("end") else txt.OPEN_END
            return f"{value['code']} {show_date(value.get('start'))}–{end}"
        if "form" in value:
            return f"{value['form']} {show_date(value.get('date'))}"
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return show_date(value)
    return str(value)


class ChildDetailScreen(QuietScreen[None]):
    """Everything known about one child."""

    AUTO_FOCUS = "#detail-info"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", txt.KEY_BACK, id="back"),
        Binding("1", "page('detail-info')", show=False, id="detail_page_1"),
        Binding("2", "page('detail-circumstances')", show=False, id="detail_page_2"),
        Binding("3", "page('detail-history')", show=False, id="detail_page_3"),
        Binding("f2", "edit", txt.KEY_EDIT, id="edit"),
        Binding("f6", "circumstances", txt.KEY_STEP5, id="circumstances"),
    ]

    def __init__(self, services: Services, child_id: int, *, on: date | None = None) -> None:
        super().__init__()
        self.services = services
        self.child_id = int(child_id)
        self.on = on or date.today()
        self.child: ChildRecord | None = None
        self.household: HouseholdRecord | None = None
        self._shown = False

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", classes="screen-title")
        yield Static(txt.DETAIL_TABS, id="detail-tabs", classes="screen-hint")
        with ContentSwitcher(initial="detail-info", id="detail-pages"):
            with VerticalScroll(id="detail-info"):
                yield Static("", id="detail-fields")
            with VerticalScroll(id="detail-circumstances"):
                yield Static("", id="detail-circ")
            yield PagedTable(
                (Column(txt.COL_AT, 16), Column(txt.COL_WHO, 12), Column(txt.COL_WHAT, 16),
                 Column(txt.COL_CHANGE)),
                empty_text=txt.HISTORY_EMPTY, selectable=False, id="detail-history",
            )
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()
        self.load()

    def on_screen_resume(self) -> None:
        if self._shown:
            self.load()
        self._shown = True

    def load(self) -> None:
        """Read the child and its history again and redraw the three pages."""
        try:
            child = self.services.children.get(self.child_id)
            history = self.services.children.history(self.child_id)
        except TreemError as exc:
            self._say(str(exc), "error")
            self.query_one("#detail-title", Static).update(str(exc))
            return
        self.child = child
        self.household = None
        if child.household_id is not None:
            try:
                self.household = self.services.households.get(child.household_id)
            except TreemError as exc:  # the record's own fields are still worth showing
                self._say(str(exc), "error")
        self.query_one("#detail-title", Static).update(
            shown(txt.DETAIL_TITLE.format(name=child.full_name)))
        self.query_one("#detail-fields", Static).update(self._fields_text(child))
        self.query_one("#detail-circ", Static).update(self._circumstances_text(child))
        self.query_one("#detail-history", PagedTable).set_source(
            ListSource(self._history_rows(history))
        )

    # --- page 1: the record ----------------------------------------------------------------
    def _fields_text(self, child: ChildRecord) -> Text:
        text = Text(end="")

        def line(key: str, value: str, hidden: frozenset[str] = child.hidden) -> None:
            if text:
                text.append("\n")
            text.append(f"{field_label(key):<21}", style="bold")
            text.append(txt.HIDDEN if key in hidden else shown(value))

        if child.merged_into:
            text.append(txt.DETAIL_MERGED.format(child_id=child.merged_into), style="bold")
        age = age_text(child.birth_date, self.on)
        line("full_name", child.full_name or MISSING)
        line("sex", code_name("sexes", child.sex))
        line("birth_date", show_date(child.birth_date) + (f" ({age})" if age else ""))
        line("personal_id", child.personal_id or txt.NO_ID)
        line("ethnicity", code_name("ethnicities", child.ethnicity))
        line("nationality", code_name("nationalities", child.nationality))
        line("village", child.village or MISSING)
        line("address_detail", child.address_detail or MISSING)
        line("current_address", child.current_address or MISSING)
        line("schooling", code_name("schooling", child.schooling))
        household = self.household
        if household is None:
            line("book_number", txt.DETAIL_NO_BOOK if child.household_id is None
                 else MISSING)
            line("poverty", MISSING)
        else:
            line("book_number", household.book_number or MISSING)
            line("poverty", name_of(POVERTY_NAMES, household.poverty)
                 if household.poverty is not None else MISSING, household.hidden)
        for key, value in self._people(child):
            line(key, value)
        if child.death_date:
            line("death_date", show_date(child.death_date))
        line("state", name_of(STATE_NAMES, child.state))
        line("version", f"{child.version}  " + txt.DETAIL_UPDATED.format(
            at=when(child.updated_at), user=child.updated_by_name or MISSING))
        text.append("\n\n")
        text.append(txt.DETAIL_ISSUES, style="bold underline")
        if not child.issues:
            text.append("\n" + txt.DETAIL_NO_ISSUES)
        for issue in child.issues:
            severity = txt.SEVERITY_NAMES.get(issue.severity, "")
            text.append(f"\n{severity}: ", style="bold")
            text.append(issue.message)
        return text

    def _people(self, child: ChildRecord) -> list[tuple[str, str]]:
        """The father, mother and caregiver lines: each name with the ID number the
        household book gives that person; then the caregiver ID the record holds, when it
        is a parent's, saying whose it is (a line of its own only then)."""
        book = {adult.relation: adult for adult in self.household.caregivers} \
            if self.household is not None else {}
        guardian = book.get(Relation.GUARDIAN)

        def person(name: str | None, pid: str | None) -> str:
            if not name and not pid:
                return MISSING
            return txt.DETAIL_PERSON.format(name=name or MISSING, pid=pid or MISSING)

        parents = {relation: book[relation].personal_id for relation in
                   (Relation.FATHER, Relation.MOTHER)
                   if relation in book and book[relation].personal_id}
        recorded = child.caregiver_id
        whose = next((r for r, pid in parents.items() if recorded and pid == recorded), None)
        carer_name = child.caregiver_name or (guardian.full_name if guardian else None)
        carer_id = guardian.personal_id if guardian and guardian.personal_id else (
            recorded if whose is None else None)
        lines = [
            ("father_name", person(child.father_name, parents.get(Relation.FATHER))),
            ("mother_name", person(child.mother_name, parents.get(Relation.MOTHER))),
            ("caregiver_name", person(carer_name, carer_id)),
        ]
        if whose is not None and carer_id != recorded:
            lines.append(("caregiver_id", txt.DETAIL_ID_OF.format(
                pid=recorded, whom=RELATION_NAMES[whose])))
        return lines

    # --- page 2: circumstances and supports -------------------------------------------------
    def _circumstances_text(self, child: ChildRecord) -> Text:
        text = Text(end="")
        text.append(txt.CIRCUMSTANCES_HEADING, style="bold underline")
        if "circumstances" in child.hidden:
            text.append("\n" + txt.HIDDEN)
        else:
            if not child.circumstances:
                text.append("\n" + txt.NO_CIRCUMSTANCES)
            cats = catalog.load()
            for row in child.circumstances:
                entry = cats.circumstances.get(row.code)
                group = txt.GROUP_NAMES.get(entry.group or "", "") if entry else ""
                end = show_date(row.end) if row.end else txt.OPEN_END
                text.append(f"\n{row.code} ", style="bold")
                text.append(f"{entry.name if entry else ''} [{group}] ")
                text.append(f"{show_date(row.start)} – {end}")
                if row.note:
                    text.append(f"\n    {row.note}", style="italic")
        text.append("\n\n")
        text.append(txt.SUPPORTS_HEADING, style="bold underline")
        if "supports" in child.hidden:
            text.append("\n" + txt.HIDDEN)
            return text
        if not child.supports:
            text.append("\n" + txt.NO_SUPPORTS)
        cats = catalog.load()
        for support in child.supports:
            entry = cats.supports.get(support.form)
            text.append(f"\n{support.form} ", style="bold")
            text.append(f"{entry.name if entry else ''}: {show_date(support.date)}")
            if support.note:
                text.append(f"\n    {support.note}", style="italic")
        return text

    # --- page 3: history ---------------------------------------------------------------------
    def _history_rows(self, history: ChildHistory) -> list[Row]:
        items: list[tuple[str, int, tuple[str, ...]]] = []
        for n, event in enumerate(history.events):
            items.append((event.at, n, (
                when(event.at), event.by_name, txt.ACTION_NAMES["state"],
                name_of(STATE_NAMES, event.state))))
        for entry in history.changes:
            field = entry.field or ""
            change = txt.FIELD_NAMES.get(field, field_label(field)) if field else ""
            if field:
                if entry.hidden:
                    change += ": " + txt.HIDDEN
                else:
                    change += f": {value_text(entry.old)} → {value_text(entry.new)}"
            items.append((entry.at, 100000 + entry.id, (
                when(entry.at), entry.username,
                txt.ACTION_NAMES.get(entry.action, entry.action), change)))
        items.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [Row(i, cells) for i, (_, _, cells) in enumerate(items)]

    # --- actions -------------------------------------------------------------------------------
    def _say(self, message: str, severity: str = "info") -> None:
        for bar in self.query(StatusBar):
            bar.say(message, severity)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 (step 5) only for a person who may review circumstances."""
        if action == "circumstances":
            return app_of(self).may_open(ScreenName.CIRCUMSTANCES)
        return True

    def action_page(self, page: str) -> None:
        self.query_one(ContentSwitcher).current = page
        self.query_one(f"#{page}").focus()

    def action_edit(self) -> None:
        from tui.screens.entry import EntryScreen

        self.app.push_screen(EntryScreen(self.services, child_id=self.child_id))

    def action_circumstances(self) -> None:
        from tui.screens.circumstances import CircumstanceEditorScreen

        self.app.push_screen(CircumstanceEditorScreen(self.services, self.child_id))

    def action_back(self) -> None:
        self.dismiss(None)

