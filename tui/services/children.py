"""Children: read one (redacted for roles that may not see sensitive data), its history,
search, save (new or changed), and step 5 (circumstances, supports, review date).

Every write is validated with libchild (errors block with ``ValidationFailed``; warnings
are stored with the record and feed the review lists), refuses to overwrite a newer
version (``Conflict``), keeps the person inside their village scope, and audits every
change field by field in the same transaction.

A change names only what it changes: a field left out of ``save``'s data keeps its
stored value (the entry form has no death date, circumstances or supports), and a
sensitive field left blank by a person who may not see it keeps its stored value too.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from libchild.dates import format_date, parse_date
from libchild.issues import Issue
from libchild.messages import MESSAGES
from libchild.text.controls import first_unsafe
from libchild.text.limits import NAME_MAX_CHARS, TEXT_MAX_CHARS
from tui.domain import Permission, RecordState
from tui.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ValidationFailed
from tui.messages import core as msg
from tui.messages.labels import field_label
from tui.services import workflow
from tui.services.base import Service, operation
from tui.services.policy import (
    SENSITIVE_CHILD_FIELDS,
    SENSITIVE_FIELDS,
    Session,
    require_village,
    sees_sensitive,
)
from tui.store import audit as audit_store
from tui.store import children as store
from tui.store import households as household_store
from tui.store import search as search_store
from tui.store import villages as village_store
from tui.store import workflow as workflow_store
from tui.store.clock import now_iso
from tui.store.records import (
    CHILD_FIELDS,
    Prepared,
    issues_to_json,
    name_key,
    prepare_child,
    store_issue,
)
from tui.store.search import SearchHit

__all__ = [
    "ChildHistory",
    "ChildRecord",
    "ChildrenService",
    "Circumstance",
    "HistoryChange",
    "HistoryEvent",
    "SaveResult",
    "SearchHit",
    "StoredIssue",
    "SupportGiven",
    "as_id",
    "stored_issues",
]



@attrs.frozen
class Circumstance:
    """A circumstance episode (ISO dates; ``end`` None while it lasts)."""

    id: int
    code: str
    start: str | None
    end: str | None
    note: str


@attrs.frozen
class SupportGiven:
    """A support the child received."""

    id: int
    form: str
    date: str | None
    note: str


@attrs.frozen
class StoredIssue:
    """An issue kept with the record: its code, severity and field."""

    code: str
    severity: str
    field: str | None

    @property
    def message(self) -> str:
        """The Vietnamese message of the issue."""
        known = MESSAGES.get(self.code)
        if known is not None:
            return known.message
        store_text = msg.STORE_ISSUES.get(self.code)
        return store_text[0].split("(")[0].strip() if store_text else self.code

    @property
    def hint(self) -> str:
        """How to fix it, in Vietnamese ("" when there is no hint)."""
        known = MESSAGES.get(self.code)
        if known is not None:
            return known.hint
        store_text = msg.STORE_ISSUES.get(self.code)
        return store_text[1] if store_text else ""


@attrs.frozen
class ChildRecord:
    """A child as stored, as this person may see it.

    ``hidden`` names the fields redacted for this person (their values are None or
    empty); the step 5 data (``circumstances``, ``supports``) is among them for roles
    without the permission to see sensitive data.
    """

    id: int
    household_id: int | None
    village_id: int | None
    version: int
    state: RecordState
    merged_into: int | None
    personal_id: str | None
    full_name: str
    sex: str | None
    birth_date: str | None
    ethnicity: str | None
    nationality: str | None
    current_address: str | None
    address_detail: str | None
    schooling: str | None
    village: str | None
    commune_code: str | None
    province_code: str | None
    caregiver_id: str | None
    father_name: str | None
    mother_name: str | None
    caregiver_name: str | None
    death_date: str | None
    circumstances: tuple[Circumstance, ...]
    supports: tuple[SupportGiven, ...]
    issues: tuple[StoredIssue, ...]
    created_at: str
    updated_at: str
    updated_by_name: str
    hidden: frozenset[str] = frozenset()

    def value(self, field: str) -> Any:
        """The value of canonical field ``field``."""
        return getattr(self, field)

    def fields(self) -> dict[str, Any]:
        """The canonical scalar fields by name."""
        return {f: getattr(self, f) for f in CHILD_FIELDS}


@attrs.frozen
class SaveResult:
    """What a save stored: the child's id, its new version, the issues kept."""

    child_id: int
    version: int
    issues: tuple[Issue, ...]


@attrs.frozen
class HistoryEvent:
    """A workflow step of the child."""

    state: str
    at: str
    by_name: str
    note: str


@attrs.frozen
class HistoryChange:
    """An audited change or view of the child; ``hidden`` when its values are sensitive
    and this person may not see them (``old``/``new`` are None then)."""

    id: int
    at: str
    username: str
    action: str
    field: str | None
    old: Any
    new: Any
    hidden: bool = False


@attrs.frozen
class ChildHistory:
    """The child's workflow steps and audited changes, oldest first."""

    events: tuple[HistoryEvent, ...]
    changes: tuple[HistoryChange, ...]


def as_id(value: Any) -> int | None:
    """A record id given as an int or its text; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def stored_issues(text: str, session: Session) -> tuple[StoredIssue, ...]:
    """The issues stored with a record (JSON text), those about sensitive fields left out
    for a person who may not see them."""
    return _parsed_issues(text or "[]", sees_sensitive(session))


@functools.lru_cache(maxsize=4096)
def _parsed_issues(text: str, sensitive: bool) -> tuple[StoredIssue, ...]:
    # Records share a few hundred distinct issue lists: a review page parses none twice.
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    return tuple(StoredIssue(i.get("code", ""), i.get("severity", ""), i.get("field"))
                 for i in items if isinstance(i, Mapping)
                 and (sensitive or i.get("field") not in SENSITIVE_FIELDS))


class ChildrenService(Service):
    """Reads and writes of children for the acting person."""

    # --- reading -------------------------------------------------------------------------
    def _row(self, child_id: int, permission: Permission) -> store.ChildRow:
        row = store.get(self.db, child_id)
        if row is None:
            raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
        require_village(self.session, permission, row["village_id"])
        return row

    def _record(self, row: store.ChildRow) -> ChildRecord:
        values = row.values
        sensitive = sees_sensitive(self.session)
        hidden: frozenset[str] = frozenset()
        circumstances: tuple[Circumstance, ...] = ()
        supports: tuple[SupportGiven, ...] = ()
        issues = stored_issues(values["issues"], self.session)
        scalars = {f: values[f] for f in CHILD_FIELDS}
        if sensitive:
            circumstances = tuple(Circumstance(*attrs.astuple(c))
                                  for c in store.circumstances(self.db, row.id))
            supports = tuple(SupportGiven(*attrs.astuple(s))
                             for s in store.supports(self.db, row.id))
        else:
            hidden = frozenset({*SENSITIVE_CHILD_FIELDS, "circumstances", "supports"})
            for name in SENSITIVE_CHILD_FIELDS:
                scalars[name] = None
        return ChildRecord(
            id=row.id, household_id=values["household_id"], village_id=values["village_id"],
            version=values["version"], state=RecordState(values["state"]),
            merged_into=values["merged_into"], **scalars, circumstances=circumstances,
            supports=supports, issues=issues, created_at=values["created_at"],
            updated_at=values["updated_at"],
            updated_by_name=store.updater_name(self.db, values["updated_by"]), hidden=hidden)

    @operation(Permission.VIEW_PERSONAL)
    def get(self, child_id: int, *, audit_view: bool = True) -> ChildRecord:
        """The child as stored, redacted for this person (audited view, DOMAIN.md §7,
        unless ``audit_view`` is False: a screen re-reading what it already showed)."""
        record = self._record(self._row(int(child_id), Permission.VIEW_PERSONAL))
        if audit_view:
            self.ctx.audit("view", "child", record.id)
        return record

    @operation(Permission.VIEW_PERSONAL)
    def history(self, child_id: int) -> ChildHistory:
        """The child's workflow steps and audited changes, oldest first."""
        row = self._row(int(child_id), Permission.VIEW_PERSONAL)
        sensitive = sees_sensitive(self.session)
        events = tuple(HistoryEvent(e.state, e.at, e.by_name, e.note)
                       for e in workflow_store.events(self.db, row.id))
        changes = []
        for entry in audit_store.entries_for(self.db, "child", row.id):
            hide = not sensitive and entry["field"] in SENSITIVE_FIELDS
            changes.append(HistoryChange(
                entry["id"], entry["at"], entry["username"], entry["action"], entry["field"],
                None if hide else entry["old"], None if hide else entry["new"], hide))
        return ChildHistory(events, tuple(changes))

    @operation(Permission.VIEW_PERSONAL)
    def search(self, text: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """One page of children matching ``text``: a name prefix (any case, with or
        without diacritics, đ = d), an ID number prefix (then ordered by number), a
        household book number or a village name; within the person's villages."""
        return search_store.page(self.db, text, villages=self.session.scope.villages,
                                 limit=limit, offset=offset)

    @operation(Permission.VIEW_PERSONAL)
    def count_search(self, text: str) -> int:
        """How many children :meth:`search` would list over all pages."""
        return search_store.count(self.db, text, villages=self.session.scope.villages)

    # --- saving --------------------------------------------------------------------------
    def _resolve_village(self, data: Mapping[str, Any], columns: dict[str, Any]
                         ) -> tuple[int | None, list[Issue]]:
        village_id = data.get("village_id")
        if village_id:
            found = village_store.get(self.db, as_id(village_id) or -1)
            if found is not None:
                columns["village"] = found.name
                return found.id, []
        name = columns.get("village")
        if not name:
            if village_id:  # an id that is not (or no longer) in the list
                return None, [store_issue("village.unknown", "village", village=village_id)]
            return None, []
        found = village_store.by_folded_name(self.db, name)
        if found is None:
            if not village_store.any_kept(self.db):
                return None, []  # no village list kept yet: keep the name as typed
            return None, [store_issue("village.unknown", "village", village=name)]
        columns["village"] = found.name
        return found.id, []

    def _prepare(self, data: Mapping[str, Any], child_id: int | None,
                 defaults: Mapping[str, Any] | None = None,
                 also_ignore: int | None = None) -> tuple[Prepared, int | None]:
        """Validate ``data`` as the record to store; (prepared row, its village id)."""
        prepared = prepare_child(data, on=self.ctx.today(),
                                 defaults={**self.ctx.commune_defaults(), **(defaults or {})})
        village_id, village_issues = self._resolve_village(data, prepared.columns)
        prepared.issues.extend(village_issues)
        if not self.session.scope.covers(village_id):
            prepared.issues.append(store_issue("village.not_assigned", "village"))
        personal_id = prepared.columns["personal_id"]
        if personal_id:
            skip = {i for i in (child_id, also_ignore) if i is not None}
            other = next((i for i in store.id_holders(self.db, personal_id) if i not in skip),
                         None)
            if other is not None:
                prepared.issues.append(store_issue("personal_id.taken", "personal_id",
                                                   other=other))
        return prepared, village_id

    def _merged_input(self, row: store.ChildRow, data: Mapping[str, Any]) -> dict[str, Any]:
        """The full record to validate for a change: stored values, then ``data``.

        Fields left out keep their stored value; a sensitive field this person may not
        see keeps its stored value when left blank (its step 5 data cannot be replaced by
        them at all: :meth:`_save` refuses that first).
        """
        sensitive = sees_sensitive(self.session)
        merged: dict[str, Any] = {f: row[f] for f in CHILD_FIELDS}
        if "village" not in data or "village_id" in data:  # a new name alone decides
            merged["village_id"] = row["village_id"]
        for key, value in data.items():
            if (not sensitive and key in SENSITIVE_CHILD_FIELDS
                    and (value is None or str(value).strip() == "")):
                continue
            merged[key] = value
        if "circumstances" not in data:
            merged["circumstances"] = [
                {"code": c.code, "start": c.start, "end": c.end, "note": c.note}
                for c in store.circumstances(self.db, row.id)]
        if "supports" not in data:
            merged["supports"] = [{"form": s.form, "date": s.date, "note": s.note}
                                  for s in store.supports(self.db, row.id)]
        return merged

    @operation(Permission.EDIT_CHILD)
    def save(self, data: Mapping[str, Any], expected_version: int | None = None
             ) -> SaveResult:
        """Create a child (no ``data["id"]``) or change one, with its circumstances and
        supports; values as typed.

        A change must carry ``expected_version``, the version the person loaded (the
        ``version`` of the :class:`ChildRecord` the change is based on): without it
        ``InvalidInput`` is raised, and if the stored version differs ``Conflict`` is
        raised with both; nothing is written either way. A change names only the fields
        it changes (the others keep their stored values), but it is always checked
        against the version it was based on, so a stale copy never overwrites a newer
        save. ``expected_version`` is ignored for a new child. Errors found by libchild
        (or a taken ID number, an unknown or unassigned village) raise ``ValidationFailed``.
        """
        if not sees_sensitive(self.session) and not data.get("id") and (
                data.get("circumstances") or data.get("supports")):
            raise PermissionDenied(self.session.role, Permission.VIEW_SENSITIVE)
        with self.ctx.tx():
            return self._save(data, expected_version)

    def _save(self, data: Mapping[str, Any], expected_version: int | None,
              *, defaults: Mapping[str, Any] | None = None,
              household_id: int | None = None, also_ignore: int | None = None) -> SaveResult:
        """Create or change a child inside the open transaction (see :meth:`save`)."""
        refuse_unsafe_text(data)
        child_id = None
        row = None
        if data.get("id"):
            child_id = as_id(data["id"])
            if child_id is None:
                raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=data["id"]))
            row = self._row(child_id, Permission.EDIT_CHILD)
            if row["merged_into"] is not None:
                raise InvalidInput(msg.MERGED_ALREADY.format(child_id=child_id))
            if not sees_sensitive(self.session) and ("circumstances" in data
                                                     or "supports" in data):
                raise PermissionDenied(self.session.role, Permission.VIEW_SENSITIVE)
            if expected_version is None:
                raise InvalidInput(msg.VERSION_REQUIRED.format(child_id=child_id))
            if row["version"] != expected_version:
                raise self._conflict(row, data, expected_version)
            data = self._merged_input(row, data)
        prepared, village_id = self._prepare(data, child_id, defaults, also_ignore)
        if prepared.errors:
            raise ValidationFailed(prepared.issues)
        if household_id is None and data.get("household_id") not in (None, ""):
            household_id = as_id(data["household_id"])
            if household_id is None or not household_store.exists(self.db, household_id):
                raise NotFound(msg.HOUSEHOLD_NOT_FOUND.format(
                    household_id=data["household_id"]))
        if row is None:
            return self._insert(prepared, village_id, household_id)
        return self._update(row, prepared, village_id, household_id)

    def _conflict(self, row: store.ChildRow, mine: Mapping[str, Any],
                  mine_version: int) -> Conflict:
        theirs = self._record(row).fields()
        return Conflict(mine, theirs, mine_version=mine_version,
                        theirs_version=row["version"],
                        by=store.updater_name(self.db, row["updated_by"]),
                        at=row["updated_at"])

    def _insert(self, prepared: Prepared, village_id: int | None,
                household_id: int | None) -> SaveResult:
        at = now_iso()
        columns = prepared.columns
        user = self.session.user_id
        child_id = store.insert(self.db, {
            **columns, "name_folded": name_key(columns["full_name"]),
            "household_id": household_id, "village_id": village_id,
            "issues": issues_to_json(prepared.issues), "has_error": False,
            "has_warning": any(i.severity == "warning" for i in prepared.issues),
            "state": RecordState.ENTERED, "version": 1, "created_at": at, "created_by": user,
            "updated_at": at, "updated_by": user,
        })
        self.ctx.audit("create", "child", child_id)
        for key in CHILD_FIELDS:
            if columns[key] is not None:
                self.ctx.audit("create", "child", child_id, key, None, columns[key])
        workflow.record(self.ctx, child_id, RecordState.ENTERED)
        self._sync_rows(child_id, prepared, new=True)
        workflow.apply_auto(self.ctx, child_id, frozenset(),
                            workflow.step3_of(prepared.issues))
        return SaveResult(child_id, 1, tuple(prepared.issues))

    def _update(self, row: store.ChildRow, prepared: Prepared, village_id: int | None,
                household_id: int | None) -> SaveResult:
        child_id = row.id
        columns = prepared.columns
        issues_json = issues_to_json(prepared.issues)
        changes = {k: columns[k] for k in CHILD_FIELDS if columns[k] != row[k]}
        if household_id is not None and household_id != row["household_id"]:
            changes["household_id"] = household_id
        if village_id != row["village_id"]:
            changes["village_id"] = village_id
        row_changes = self._sync_rows(child_id, prepared, new=False)
        if not changes and not row_changes and issues_json == row["issues"]:
            return SaveResult(child_id, row["version"], tuple(prepared.issues))
        version = row["version"] + 1
        assignments = {
            **changes, "issues": issues_json, "has_error": False,
            "has_warning": any(i.severity == "warning" for i in prepared.issues),
            "version": version, "updated_at": now_iso(),
            "updated_by": self.session.user_id,
        }
        if "full_name" in changes:
            assignments["name_folded"] = name_key(columns["full_name"])
        store.update(self.db, child_id, assignments)
        for key, value in changes.items():
            self.ctx.audit("update", "child", child_id, key, row[key], value)
        workflow.apply_auto(self.ctx, child_id, workflow.step3_of(row["issues"]),
                            workflow.step3_of(prepared.issues))
        return SaveResult(child_id, version, tuple(prepared.issues))

    def _sync_rows(self, child_id: int, prepared: Prepared, *, new: bool) -> int:
        """Make the child's circumstance and support rows the prepared ones; audited."""
        action = "create" if new else "update"
        changes = store.sync_circumstances(
            self.db, child_id,
            [(c["code"], c["start"], c["end"], c["note"]) for c in prepared.circumstances],
            today=self.ctx.today().isoformat(), new=new)
        changes += store.sync_supports(
            self.db, child_id, [(s["form"], s["date"], s["note"]) for s in prepared.supports],
            new=new)
        for change in changes:
            kind = action if change.old is None else "delete" if change.new is None else "update"
            self.ctx.audit(kind, "child", child_id, change.field, change.old, change.new)
        return len(changes)

    # --- step 5: circumstances and supports -------------------------------------------------
    def _step5_row(self, child_id: int, expected_version: int | None) -> store.ChildRow:
        row = self._row(int(child_id), Permission.REVIEW)
        if expected_version is not None and row["version"] != expected_version:
            raise self._conflict(row, {}, expected_version)
        return row

    def _resave(self, row: store.ChildRow, **changes: Any) -> SaveResult:
        with self.ctx.tx():
            return self._save({"id": row.id, **changes}, row["version"])

    @operation(Permission.REVIEW)
    def add_circumstance(self, child_id: int, code: str, start: Any = None, note: str = "",
                         expected_version: int | None = None) -> SaveResult:
        """Add a circumstance episode (revalidates the record; audited)."""
        row = self._step5_row(child_id, expected_version)
        items = [attrs.asdict(c) for c in store.circumstances(self.db, row.id)]
        items.append({"code": code, "start": start, "end": None, "note": note})
        return self._resave(row, circumstances=items)

    @operation(Permission.REVIEW)
    def end_circumstance(self, child_id: int, circumstance_id: int, end: Any,
                         expected_version: int | None = None) -> SaveResult:
        """Close a circumstance episode at ``end`` (the history is kept)."""
        row = self._step5_row(child_id, expected_version)
        items = [attrs.asdict(c) for c in store.circumstances(self.db, row.id)]
        for item in items:
            if item["id"] == circumstance_id:
                item["end"] = end
        return self._resave(row, circumstances=items)

    @operation(Permission.REVIEW)
    def delete_circumstance(self, child_id: int, circumstance_id: int,
                            expected_version: int | None = None) -> SaveResult:
        """Delete a circumstance episode entered by mistake (ending it would keep a period
        that never was). Revalidates the record; the audit entry ``delete`` holds the code,
        dates and note deleted. ``NotFound`` when the child has no such row."""
        row = self._step5_row(child_id, expected_version)
        items = [attrs.asdict(c) for c in store.circumstances(self.db, row.id)]
        kept = [item for item in items if item["id"] != circumstance_id]
        if len(kept) == len(items):
            raise NotFound(msg.CIRCUMSTANCE_NOT_FOUND.format(row_id=circumstance_id))
        return self._resave(row, circumstances=kept)

    @operation(Permission.REVIEW)
    def delete_support(self, child_id: int, support_id: int,
                       expected_version: int | None = None) -> SaveResult:
        """Delete a support recorded by mistake; audited (``delete``) with what it held.
        ``NotFound`` when the child has no such row."""
        row = self._step5_row(child_id, expected_version)
        items = [attrs.asdict(s) for s in store.supports(self.db, row.id)]
        kept = [item for item in items if item["id"] != support_id]
        if len(kept) == len(items):
            raise NotFound(msg.SUPPORT_NOT_FOUND.format(row_id=support_id))
        return self._resave(row, supports=kept)

    @operation(Permission.REVIEW)
    def add_support(self, child_id: int, form: str, on: Any, note: str = "",
                    expected_version: int | None = None) -> SaveResult:
        """Record a support given to the child (revalidates the record; audited)."""
        row = self._step5_row(child_id, expected_version)
        items = [attrs.asdict(s) for s in store.supports(self.db, row.id)]
        items.append({"form": form, "date": on, "note": note})
        return self._resave(row, supports=items)

    @operation(Permission.REVIEW)
    def mark_circumstances_reviewed(self, child_id: int, on: Any = None,
                                    note: str = "") -> date:
        """Record that step 5 reviewed the child's circumstances and supports on ``on``
        (a date or a typed date; default today; never after today).

        The child moves to ``circumstances_reviewed``; the workflow event's note and an
        audit entry (field ``circumstances_reviewed_on``) carry the date. Returns it.
        ``InvalidInput`` for a bad date or a state that cannot be reviewed yet.
        """
        row = self._row(int(child_id), Permission.REVIEW)
        if on is None or on == "":
            day = date.today()
        else:
            try:
                day = parse_date(on)
            except (ValueError, TypeError):
                raise InvalidInput(msg.STEP5_DATE_INVALID.format(value=on)) from None
        if day > date.today():
            raise InvalidInput(msg.STEP5_DATE_FUTURE.format(date=format_date(day)))
        note = " ".join(str(note or "").split())
        refuse_unsafe_text({"note": note})
        text = (msg.STEP5_REVIEWED_NOTE_WITH.format(date=format_date(day), note=note) if note
                else msg.STEP5_REVIEWED_NOTE.format(date=format_date(day)))
        with self.ctx.tx():
            workflow.transition(self.ctx, row.id, RecordState.CIRCUMSTANCES_REVIEWED, text)
            self.ctx.audit("review", "child", row.id, "circumstances_reviewed_on", None,
                           day.isoformat())
        return day



#: The texts that are names (of a person or a village): bounded by ``NAME_MAX_CHARS``;
#: every other text by ``TEXT_MAX_CHARS``.
_NAME_KEYS = frozenset({"full_name", "father_name", "mother_name", "caregiver_name", "name",
                        "village"})


def refuse_unsafe_text(data: Mapping[str, Any]) -> None:
    """Raise ``InvalidInput`` (Vietnamese, naming the field) when any text of ``data``,
    nested lists and mappings included, holds a character unsafe for a terminal
    (:mod:`libchild.text.controls`) or is longer than its bound
    (:mod:`libchild.text.limits`: names, other free text)."""
    def walk(field: str, value: Any) -> None:
        if isinstance(value, str):
            label = field_label(field)
            position = first_unsafe(value)
            if position is not None:
                raise InvalidInput(msg.CONTROL_CHARACTER.format(
                    field=label, code=f"U+{ord(value[position]):04X}",
                    position=position + 1))
            limit = NAME_MAX_CHARS if field in _NAME_KEYS else TEXT_MAX_CHARS
            if len(value) > limit:
                length = len(unicodedata.normalize("NFC", value).strip())
                if length > limit:
                    raise InvalidInput(msg.TEXT_TOO_LONG.format(field=label, length=length,
                                                                limit=limit))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(field if key in ("code", "start", "end", "form", "date") else key,
                     item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(field, item)

    for key, value in data.items():
        walk(str(key), value)
