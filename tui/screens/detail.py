"""Child detail: every field, circumstances with dates, supports, workflow and history.

``ChildDetailScreen(register, child_id)`` reads the child through ``Register.get_child``
(which audits the view) and ``Register.child_history``. Three pages switched with keys
1, 2, 3: the record and its remaining issues; circumstances and supports; the history
(workflow steps and audited changes, newest first, in a paged table). Sensitive data
(ethnicity, circumstances: health, disability, abuse...) shows only to roles that may
review records (DOMAIN.md §7). F2 opens the entry form, F6 the step-5 editor.
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

from tui.messages import core as core_msg
from tui.messages import review as txt
from tui.screens.review import age_text, show_date
from tui.store.accounts import can
from tui.store.errors import StoreError
from tui.widgets import QuietScreen, StatusBar
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["ChildDetailScreen", "ListSource", "may_see_sensitive"]

SENSITIVE_FIELDS = frozenset({"ethnicity", "circumstance", "circumstances"})


def may_see_sensitive(user: Any) -> bool:
    """Ethnicity and circumstances are sensitive personal data (NĐ 13/2023, Luật
    91/2025): shown to roles that review records (administrator, officer)."""
    return can(user, "review")


class ListSource:
    """Rows already in memory, served a page at a time to a PagedTable."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int) -> list[Row]:
        return self.rows[offset:offset + limit]


def _catalogs() -> Any:
    from libchild import catalog

    return catalog.load()


def code_name(kind: str, code: str | None) -> str:
    """``"08 HMông"`` for a catalogue code, the code alone when unknown, a dash if empty."""
    if not code:
        return txt.MISSING
    entry = getattr(_catalogs(), kind).get(code)
    return f"{code} {entry.name}" if entry is not None else code


def value_text(value: Any) -> str:
    """An audited value as one short line."""
    if value is None:
        return txt.MISSING
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

    def __init__(self, register: Any, child_id: int, *, on: date | None = None) -> None:
        super().__init__()
        self.register = register
        self.child_id = int(child_id)
        self.on = on or date.today()
        self.child: dict[str, Any] | None = None
        self.sensitive = may_see_sensitive(register.user)
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
            child = self.register.get_child(self.child_id)
            history = self.register.child_history(self.child_id)
        except StoreError as exc:
            self._say(str(exc), "error")
            self.query_one("#detail-title", Static).update(str(exc))
            return
        self.child = child
        self.query_one("#detail-title", Static).update(
            txt.DETAIL_TITLE.format(name=child.get("full_name") or "")
        )
        self.query_one("#detail-fields", Static).update(self._fields_text(child))
        self.query_one("#detail-circ", Static).update(self._circumstances_text(child))
        self.query_one("#detail-history", PagedTable).set_source(
            ListSource(self._history_rows(history))
        )

    # --- page 1: the record ----------------------------------------------------------------
    def _fields_text(self, child: dict[str, Any]) -> Text:
        text = Text(end="")
        labels = txt.DETAIL_LABELS

        def line(key: str, value: str) -> None:
            if text:
                text.append("\n")
            text.append(f"{labels[key]:<21}", style="bold")
            text.append(value)

        if child.get("merged_into"):
            text.append(txt.DETAIL_MERGED.format(child_id=child["merged_into"]),
                        style="bold")
        birth = child.get("birth_date")
        age = age_text(birth, self.on)
        line("full_name", child.get("full_name") or txt.MISSING)
        line("sex", code_name("sexes", child.get("sex")))
        line("birth_date", show_date(birth) + (f" ({age})" if age else ""))
        line("personal_id", child.get("personal_id") or txt.NO_ID)
        line("ethnicity", code_name("ethnicities", child.get("ethnicity"))
             if self.sensitive else txt.HIDDEN)
        line("nationality", code_name("nationalities", child.get("nationality")))
        line("village", child.get("village") or txt.MISSING)
        line("address_detail", child.get("address_detail") or txt.MISSING)
        line("current_address", child.get("current_address") or txt.MISSING)
        line("schooling", code_name("schooling", child.get("schooling")))
        line("father_name", child.get("father_name") or txt.MISSING)
        line("mother_name", child.get("mother_name") or txt.MISSING)
        line("caregiver_name", child.get("caregiver_name") or txt.MISSING)
        line("caregiver_id", child.get("caregiver_id") or txt.MISSING)
        if child.get("death_date"):
            line("death_date", show_date(child["death_date"]))
        state = child.get("state") or ""
        line("state", core_msg.STATE_NAMES.get(state, state))
        line("version", str(child.get("version", "")) + "  " + txt.DETAIL_UPDATED.format(
            at=_when(child.get("updated_at")),
            user=child.get("updated_by_name") or txt.MISSING,
        ))
        text.append("\n\n")
        text.append(txt.DETAIL_ISSUES, style="bold underline")
        issues = [i for i in child.get("issues") or []
                  if self.sensitive or i.get("field") not in ("ethnicity", "circumstances")]
        if not issues:
            text.append("\n" + txt.DETAIL_NO_ISSUES)
        from libchild.messages import MESSAGES

        for issue in issues:
            code = issue.get("code", "")
            known = MESSAGES.get(code)
            severity = txt.SEVERITY_NAMES.get(issue.get("severity", ""), "")
            text.append(f"\n{severity}: ", style="bold")
            text.append(known.message if known else txt.short_problem(code))
        return text

    # --- page 2: circumstances and supports -------------------------------------------------
    def _circumstances_text(self, child: dict[str, Any]) -> Text:
        text = Text(end="")
        text.append(txt.CIRCUMSTANCES_HEADING, style="bold underline")
        if not self.sensitive:
            text.append("\n" + txt.HIDDEN)
        else:
            rows = child.get("circumstances") or []
            if not rows:
                text.append("\n" + txt.NO_CIRCUMSTANCES)
            cats = _catalogs()
            for row in rows:
                entry = cats.circumstances.get(row.get("code") or "")
                group = txt.GROUP_NAMES.get(entry.group or "", "") if entry else ""
                end = show_date(row.get("end")) if row.get("end") else txt.OPEN_END
                text.append(f"\n{row.get('code')} ", style="bold")
                text.append(f"{entry.name if entry else ''} [{group}] ")
                text.append(f"{show_date(row.get('start'))} – {end}")
                if row.get("note"):
                    text.append(f"\n    {row['note']}", style="italic")
        text.append("\n\n")
        text.append(txt.SUPPORTS_HEADING, style="bold underline")
        supports = child.get("supports") or []
        if not supports:
            text.append("\n" + txt.NO_SUPPORTS)
        cats = _catalogs()
        for row in supports:
            entry = cats.supports.get(row.get("form") or "")
            text.append(f"\n{row.get('form')} ", style="bold")
            text.append(f"{entry.name if entry else ''}: {show_date(row.get('date'))}")
            if row.get("note"):
                text.append(f"\n    {row['note']}", style="italic")
        return text

    # --- page 3: history ---------------------------------------------------------------------
    def _history_rows(self, history: dict[str, list[dict[str, Any]]]) -> list[Row]:
        items: list[tuple[str, int, tuple[str, ...]]] = []
        for n, event in enumerate(history.get("workflow", [])):
            items.append((event.get("at") or "", n, (
                _when(event.get("at")), event.get("by_name") or "",
                txt.ACTION_NAMES["state"], event.get("state_name") or event.get("state", ""),
            )))
        for entry in history.get("changes", []):
            field = entry.get("field") or ""
            change = txt.FIELD_NAMES.get(field, field)
            if field:
                if field in SENSITIVE_FIELDS and not self.sensitive:
                    change += ": " + txt.HIDDEN
                else:
                    change += f": {value_text(entry.get('old'))} → {value_text(entry.get('new'))}"
            action = entry.get("action") or ""
            items.append((entry.get("at") or "", 100000 + int(entry.get("id") or 0), (
                _when(entry.get("at")), entry.get("username") or "",
                txt.ACTION_NAMES.get(action, action), change,
            )))
        items.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [Row(i, cells) for i, (_, _, cells) in enumerate(items)]

    # --- actions -------------------------------------------------------------------------------
    def _say(self, message: str, severity: str = "info") -> None:
        for bar in self.query(StatusBar):
            bar.say(message, severity)

    def action_page(self, page: str) -> None:
        self.query_one(ContentSwitcher).current = page
        self.query_one(f"#{page}").focus()

    def action_edit(self) -> None:
        from tui.screens.entry import EntryScreen

        self.app.push_screen(EntryScreen(self.register, child_id=self.child_id))

    def action_circumstances(self) -> None:
        from tui.screens.circumstances import CircumstanceEditorScreen

        self.app.push_screen(CircumstanceEditorScreen(self.register, self.child_id))

    def action_back(self) -> None:
        self.dismiss(None)


def _when(at: str | None) -> str:
    """A stored UTC timestamp as local ``dd/mm/yyyy hh:mm``."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(at or "").astimezone()
    except ValueError:
        return at or ""
    return moment.strftime("%d/%m/%Y %H:%M")
