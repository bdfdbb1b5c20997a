"""The register service: what the screens and the command line call to read and write.

``Register(db, session)`` checks the session (idle timeout) and the role before every
call, validates every write with libchild (errors block with ``ValidationFailed``;
warnings are stored with the record and feed the review lists), refuses to overwrite a
newer version (``Conflict`` carries both), and audits every change field by field.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import attrs
import peewee

from libchild.issues import Issue
from libchild.text.fold import fold
from tui.messages import core as msg
from tui.store import audit, workflow
from tui.store.accounts import Session, require
from tui.store.clock import now_iso
from tui.store.database import translate_errors, write_tx
from tui.store.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tui.store.models import Setting, User, Village
from tui.store.records import (
    CHILD_FIELDS,
    Prepared,
    issues_to_json,
    name_key,
    prepare_child,
    store_issue,
)

__all__ = ["REVIEW_KINDS", "HouseholdResult", "Register", "SaveResult"]

POVERTY = ("none", "poor", "near_poor")
RELATIONS = ("father", "mother", "guardian")

#: Step 3 review lists (DOMAIN.md §1) and the fields that put a child on each.
#: The lists `treem check` reports: the three step 3 lists, then all records with errors
#: and all with warnings.
REVIEW_KINDS = ("no_id", "bad_id", "basic_info", "errors", "warnings")

_LIST_COLUMNS = (
    "c.id", "c.full_name", "c.birth_date", "c.sex", "c.personal_id", "c.village",
    "c.state", "c.has_error", "c.has_warning", "c.household_id", "c.version",
)
_LIST_KEYS = tuple(col.split(".")[1] for col in _LIST_COLUMNS)
_SELECT_LIST = "SELECT " + ", ".join(_LIST_COLUMNS) + " FROM child AS c "


@attrs.frozen
class SaveResult:
    """What ``save_child`` stored: the child's id, its new version, the issues kept."""

    child_id: int
    version: int
    issues: tuple[Issue, ...]


@attrs.frozen
class HouseholdResult:
    """What ``save_household`` stored."""

    household_id: int
    version: int
    children: tuple[SaveResult, ...]


def _as_id(value: Any) -> int | None:
    """A record id given as an int or its text; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _prefix_upper(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix + "\U0010ffff"


class Register:
    """Reads and writes of one person's session on one register database."""

    def __init__(self, db: peewee.SqliteDatabase, user: Session) -> None:
        self.db = db
        self.user = user
        self._local = threading.local()  # audit entries of the open transaction, per thread
        self._settings_cache: dict[str, Any] | None = None

    @property
    def _pending(self) -> list[dict[str, Any]] | None:
        return getattr(self._local, "pending", None)

    @_pending.setter
    def _pending(self, value: list[dict[str, Any]] | None) -> None:
        self._local.pending = value

    # --- helpers -------------------------------------------------------------------
    def _act(self, action: str, village_id: int | None = None) -> None:
        self.user.touch()
        require(self.user, action, village_id=village_id)

    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        """A write transaction whose audit entries are written together before commit."""
        if self._pending is not None:  # nested: the outer one flushes
            yield
            return
        self._pending = []
        try:
            with write_tx(self.db):
                yield
                audit.append_many(self.db, self._pending)
        finally:
            self._pending = None

    def _audit(self, action: str, entity: str, record_id: int | None,
               field: str | None = None, old: Any = None, new: Any = None) -> None:
        entry = {"user_id": self.user.user_id, "username": self.user.username,
                 "action": action, "entity": entity, "record_id": record_id, "field": field,
                 "old": old, "new": new}
        if self._pending is None:
            audit.append_many(self.db, [entry])
        else:
            self._pending.append(entry)

    def _setting(self) -> Setting | None:
        return Setting.get_or_none(Setting.id == 1)

    def _defaults(self) -> dict[str, Any]:
        if self._settings_cache is None:  # the commune of a register never changes
            row = self.db.execute_sql(
                "SELECT commune_code, province_code FROM setting WHERE id = 1").fetchone()
            self._settings_cache = (
                {"commune_code": row[0], "province_code": row[1]} if row else {})
        return self._settings_cache

    def _village_scope(self) -> frozenset[int] | None:
        """None for all villages; the assigned set for a collaborator."""
        return self.user.villages if self.user.role == "collaborator" else None

    def _resolve_village(self, data: Mapping[str, Any], columns: dict[str, Any]
                         ) -> tuple[int | None, list[Issue]]:
        village_id = data.get("village_id")
        if village_id:
            row = self.db.execute_sql("SELECT id, name FROM village WHERE id = ?",
                                      (_as_id(village_id),)).fetchone()
            if row is not None:
                columns["village"] = row[1]
                return row[0], []
        name = columns.get("village")
        if not name:
            if village_id:  # an id that is not (or no longer) in the list
                return None, [store_issue("village.unknown", "village", village=village_id)]
            return None, []
        row = self.db.execute_sql("SELECT id, name FROM village WHERE name_folded = ?",
                                  (fold(name),)).fetchone()
        if row is None:
            if not self.db.execute_sql("SELECT 1 FROM village LIMIT 1").fetchone():
                return None, []  # no village list kept yet: keep the name as typed
            return None, [store_issue("village.unknown", "village", village=name)]
        columns["village"] = row[1]
        return row[0], []

    # --- villages and settings ---------------------------------------------------------
    def villages(self) -> list[dict[str, Any]]:
        """The commune's active villages, by name."""
        self.user.touch()
        rows = Village.select().where(Village.active == True).order_by(Village.name)  # noqa: E712
        return [{"id": v.id, "name": v.name} for v in rows]

    def add_village(self, name: str) -> int:
        """Add a village to the commune's list (administrator)."""
        self._act("manage_villages")
        name = " ".join(name.split())
        setting = self._setting()
        with self._tx():
            village = Village.create(commune_code=setting.commune_code if setting else "",
                                     name=name, name_folded=fold(name), active=True)
            self._audit("create", "village", village.id, "name", None, name)
        return village.id

    # --- children ----------------------------------------------------------------------
    def _check_unique_id(self, personal_id: str | None, exclude: Iterable[int | None]
                         ) -> list[Issue]:
        if not personal_id:
            return []
        skip = {i for i in exclude if i is not None}
        for (other,) in self.db.execute_sql(
            "SELECT id FROM child WHERE personal_id = ? AND merged_into IS NULL",
            (personal_id,),
        ):
            if other not in skip:
                return [store_issue("personal_id.taken", "personal_id", other=other)]
        return []

    def _prepare(self, data: Mapping[str, Any], child_id: int | None,
                 defaults: Mapping[str, Any] | None = None, also_ignore: int | None = None
                 ) -> tuple[Prepared, int | None]:
        prepared = prepare_child(data, on=date.today(), defaults={**self._defaults(),
                                                                  **(defaults or {})})
        village_id, village_issues = self._resolve_village(data, prepared.columns)
        prepared.issues.extend(village_issues)
        scope = self._village_scope()
        if scope is not None and village_id not in scope:
            prepared.issues.append(store_issue("village.not_assigned", "village"))
        prepared.issues.extend(
            self._check_unique_id(prepared.columns["personal_id"], (child_id, also_ignore)))
        return prepared, village_id

    def save_child(self, data: Mapping[str, Any], expected_version: int | None = None
                   ) -> SaveResult:
        """Create (no ``data["id"]``) or update a child, with its circumstances and supports.

        ``expected_version`` is the version the user loaded; if the stored one differs,
        ``Conflict`` is raised with both versions and nothing is written. Errors found by
        libchild (or a taken ID number, an unknown village) raise ``ValidationFailed``.
        """
        self._act("edit_child")
        child_id = None
        if data.get("id"):
            child_id = _as_id(data["id"])
            if child_id is None:
                raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=data["id"]))
        prepared, village_id = self._prepare(data, child_id)
        if prepared.errors:
            raise ValidationFailed(prepared.issues)
        household_id = data.get("household_id")
        if household_id is not None and household_id != "":
            household_id = self._existing_household(household_id)
        else:
            household_id = None
        with self._tx():
            return self._write_child(child_id, prepared, village_id, household_id,
                                     expected_version, data)

    def _existing_household(self, household_id: Any) -> int:
        number = _as_id(household_id)
        if number is None or self.db.execute_sql(
                "SELECT 1 FROM household WHERE id = ?", (number,)).fetchone() is None:
            raise NotFound(msg.HOUSEHOLD_NOT_FOUND.format(household_id=household_id))
        return number

    def _current(self, child_id: int) -> dict[str, Any]:
        cursor = self.db.execute_sql("SELECT * FROM child WHERE id = ?", (child_id,))
        row = cursor.fetchone()
        if row is None:
            raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child_id))
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def _write_child(self, child_id: int | None, prepared: Prepared, village_id: int | None,
                     household_id: Any, expected_version: int | None,
                     mine: Mapping[str, Any]) -> SaveResult:
        at = now_iso()
        columns = prepared.columns
        issues_json = issues_to_json(prepared.issues)
        has_warning = any(i.severity == "warning" for i in prepared.issues)
        if child_id is None:
            values = {
                **columns, "name_folded": name_key(columns["full_name"]),
                "household_id": household_id, "village_id": village_id,
                "issues": issues_json, "has_error": 0, "has_warning": int(has_warning),
                "state": workflow.INITIAL, "version": 1, "created_at": at,
                "created_by": self.user.user_id, "updated_at": at,
                "updated_by": self.user.user_id,
            }
            names = ", ".join(f'"{k}"' for k in values)
            marks = ", ".join("?" for _ in values)
            cursor = self.db.execute_sql(
                f"INSERT INTO child ({names}) VALUES ({marks})", tuple(values.values())
            )
            child_id = int(cursor.lastrowid)
            self._audit("create", "child", child_id)
            for key in CHILD_FIELDS:
                if columns[key] is not None:
                    self._audit("create", "child", child_id, key, None, columns[key])
            workflow.record(self.db, child_id, workflow.INITIAL, self.user)
            self._sync_rows(child_id, prepared, new=True)
            workflow.apply_auto(self.db, child_id, self.user, frozenset(),
                                workflow.step3_of(prepared.issues))
            return SaveResult(child_id, 1, tuple(prepared.issues))

        current = self._current(child_id)
        if current["merged_into"] is not None:
            raise InvalidInput(msg.MERGED_ALREADY.format(child_id=child_id))
        scope = self._village_scope()
        if scope is not None and current["village_id"] not in scope:
            raise PermissionDenied(self.user.role, "edit_child", msg.VILLAGE_NOT_ASSIGNED)
        if expected_version is not None and current["version"] != expected_version:
            theirs = self._child_dict(current)
            raise Conflict(dict(mine), theirs, expected_version)
        changes = {k: columns[k] for k in CHILD_FIELDS if columns[k] != current[k]}
        if household_id is not None and household_id != current["household_id"]:
            changes["household_id"] = household_id
        if village_id != current["village_id"]:
            changes["village_id"] = village_id
        if "full_name" in changes:
            changes["name_folded"] = name_key(columns["full_name"])
        row_changes = self._sync_rows(child_id, prepared, new=False)
        version = current["version"] + 1
        assignments = {
            **changes, "issues": issues_json, "has_error": 0, "has_warning": int(has_warning),
            "version": version, "updated_at": at, "updated_by": self.user.user_id,
        }
        if not changes and not row_changes and issues_json == current["issues"]:
            return SaveResult(child_id, current["version"], tuple(prepared.issues))
        sets = ", ".join(f'"{k}" = ?' for k in assignments)
        self.db.execute_sql(f"UPDATE child SET {sets} WHERE id = ?",
                            (*assignments.values(), child_id))
        for key, value in changes.items():
            if key != "name_folded":
                self._audit("update", "child", child_id, key, current.get(key), value)
        workflow.apply_auto(self.db, child_id, self.user, workflow.step3_of(current["issues"]),
                            workflow.step3_of(prepared.issues))
        return SaveResult(child_id, version, tuple(prepared.issues))

    def _sync_rows(self, child_id: int, prepared: Prepared, *, new: bool) -> int:
        """Make the child's circumstance and support rows equal to the prepared ones."""
        changed = 0
        old_c = [] if new else self.db.execute_sql(
            "SELECT id, code, start_date, end_date, note FROM child_circumstance "
            "WHERE child_id = ? ORDER BY id", (child_id,)).fetchall()
        wanted = [(c["code"], c["start"], c["end"], c["note"]) for c in prepared.circumstances]
        existing = {row[0]: tuple(row[1:]) for row in old_c}
        unmatched = dict(existing)
        for item in wanted:
            match = next((rid for rid, val in unmatched.items() if val == item), None)
            if match is None:  # same code, open episode, changed fields
                match = next((rid for rid, val in unmatched.items()
                              if val[0] == item[0] and (item[1] is None or val[1] == item[1])),
                             None)
                if match is not None:
                    start = item[1] or unmatched[match][1]
                    value = (item[0], start, item[2], item[3])
                    self.db.execute_sql(
                        "UPDATE child_circumstance SET start_date = ?, end_date = ?, note = ? "
                        "WHERE id = ?", (start, item[2], item[3], match))
                    self._audit("update", "child", child_id, "circumstance",
                                _circ(unmatched[match]), _circ(value))
                    changed += 1
            if match is not None:
                unmatched.pop(match)
                continue
            start = item[1] or date.today().isoformat()
            self.db.execute_sql(
                "INSERT INTO child_circumstance (child_id, code, start_date, end_date, note) "
                "VALUES (?, ?, ?, ?, ?)", (child_id, item[0], start, item[2], item[3]))
            self._audit("create" if new else "update", "child", child_id, "circumstance",
                        None, _circ((item[0], start, item[2], item[3])))
            changed += 1
        for rid, val in unmatched.items():
            self.db.execute_sql("DELETE FROM child_circumstance WHERE id = ?", (rid,))
            self._audit("update", "child", child_id, "circumstance", _circ(val), None)
            changed += 1

        old_s = [] if new else self.db.execute_sql(
            "SELECT id, form, date, note FROM support WHERE child_id = ? ORDER BY id",
            (child_id,)).fetchall()
        unmatched = {row[0]: tuple(row[1:]) for row in old_s}
        for s in prepared.supports:
            item = (s["form"], s["date"], s["note"])
            match = next((rid for rid, val in unmatched.items() if val == item), None)
            if match is not None:
                unmatched.pop(match)
                continue
            self.db.execute_sql("INSERT INTO support (child_id, form, date, note) "
                                "VALUES (?, ?, ?, ?)", (child_id, *item))
            self._audit("create" if new else "update", "child", child_id, "support",
                        None, _supp(item))
            changed += 1
        for rid, val in unmatched.items():
            self.db.execute_sql("DELETE FROM support WHERE id = ?", (rid,))
            self._audit("update", "child", child_id, "support", _supp(val), None)
            changed += 1
        return changed

    def _child_dict(self, row: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: row[k] for k in CHILD_FIELDS}
        child_id = row["id"]
        out.update(
            id=child_id, household_id=row["household_id"], village_id=row["village_id"],
            version=row["version"], state=row["state"], merged_into=row["merged_into"],
            issues=json.loads(row["issues"]), created_at=row["created_at"],
            updated_at=row["updated_at"], updated_by=row["updated_by"],
        )
        user = User.get_or_none(User.id == row["updated_by"]) if row["updated_by"] else None
        out["updated_by_name"] = user.full_name if user else ""
        out["circumstances"] = [
            {"id": r[0], "code": r[1], "start": r[2], "end": r[3], "note": r[4]}
            for r in self.db.execute_sql(
                "SELECT id, code, start_date, end_date, note FROM child_circumstance "
                "WHERE child_id = ? ORDER BY start_date, id", (child_id,))
        ]
        out["supports"] = [
            {"id": r[0], "form": r[1], "date": r[2], "note": r[3]}
            for r in self.db.execute_sql(
                "SELECT id, form, date, note FROM support WHERE child_id = ? "
                "ORDER BY date, id", (child_id,))
        ]
        return out

    def get_child(self, child_id: int, *, audit_view: bool = True) -> dict[str, Any]:
        """The child as stored, with circumstances, supports, issues and ``version``.

        Viewing personal data is audited (DOMAIN.md §7) unless ``audit_view`` is False.
        """
        self._act("view_personal")
        with translate_errors(self.db):
            row = self._current(child_id)
            scope = self._village_scope()
            if scope is not None and row["village_id"] not in scope:
                raise PermissionDenied(self.user.role, "view_personal", msg.VILLAGE_NOT_ASSIGNED)
            result = self._child_dict(row)
        if audit_view:
            with self._tx():
                self._audit("view", "child", child_id)
        return result

    def child_history(self, child_id: int) -> dict[str, list[dict[str, Any]]]:
        """``{"workflow": [...], "changes": [...]}``: states and audited changes, oldest first."""
        self._act("view_personal")
        return {
            "workflow": workflow.history(self.db, child_id),
            "changes": audit.entries_for(self.db, "child", child_id),
        }

    def add_circumstance(self, child_id: int, code: str, start: Any = None, note: str = "",
                         expected_version: int | None = None) -> SaveResult:
        """Add a circumstance episode (revalidates the record, audited)."""
        current = self.get_child(child_id, audit_view=False)
        items = [dict(c) for c in current["circumstances"]]
        items.append({"code": code, "start": start, "end": None, "note": note})
        return self._resave(current, expected_version, circumstances=items)

    def end_circumstance(self, child_id: int, circumstance_id: int, end: Any,
                         expected_version: int | None = None) -> SaveResult:
        """Close a circumstance episode at ``end`` (the history is kept)."""
        current = self.get_child(child_id, audit_view=False)
        items = [dict(c) for c in current["circumstances"]]
        for item in items:
            if item["id"] == circumstance_id:
                item["end"] = end
        return self._resave(current, expected_version, circumstances=items)

    def add_support(self, child_id: int, form: str, on: Any, note: str = "",
                    expected_version: int | None = None) -> SaveResult:
        """Record a support given to the child (revalidates the record, audited)."""
        current = self.get_child(child_id, audit_view=False)
        items = [dict(s) for s in current["supports"]]
        items.append({"form": form, "date": on, "note": note})
        return self._resave(current, expected_version, supports=items)

    def _resave(self, current: dict[str, Any], expected_version: int | None,
                **changes: Any) -> SaveResult:
        data = {k: current[k] for k in CHILD_FIELDS}
        data.update(id=current["id"], village_id=current["village_id"],
                    circumstances=current["circumstances"], supports=current["supports"])
        data.update(changes)
        return self.save_child(data, expected_version if expected_version is not None
                               else current["version"])

    def set_state(self, child_id: int, state: str, note: str = "") -> None:
        """Move a child to another workflow state (``workflow.STATES``); audited."""
        action = {"rechecked": "recheck", "needs_fixing": "review",
                  "circumstances_reviewed": "review"}.get(state, "edit_child")
        self._act(action)
        with self._tx():
            workflow.transition(self.db, child_id, state, self.user, note)

    def mark_circumstances_reviewed(self, child_id: int, on: Any = None,
                                    note: str = "") -> date:
        """Record that step 5 reviewed this child's circumstances and supports on ``on``
        (a date or a typed date; default today; never after today).

        The child moves to ``circumstances_reviewed``; the workflow event's note and an
        audit entry (field ``circumstances_reviewed_on``) carry the review date, so it
        shows in the child's history. Returns the date recorded. ``InvalidInput`` (in
        Vietnamese) for a bad date or a state that cannot be reviewed yet.
        """
        from libchild.dates import format_date, parse_date

        self._act("review")
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
        text = (msg.STEP5_REVIEWED_NOTE_WITH.format(date=format_date(day), note=note) if note
                else msg.STEP5_REVIEWED_NOTE.format(date=format_date(day)))
        with self._tx():
            workflow.transition(self.db, child_id, "circumstances_reviewed", self.user, text)
            self._audit("review", "child", child_id, "circumstances_reviewed_on", None,
                        day.isoformat())
        return day

    # --- households ------------------------------------------------------------------
    def save_household(self, household: Mapping[str, Any], children: Sequence[Mapping[str, Any]],
                       caregivers: Sequence[Mapping[str, Any]]) -> HouseholdResult:
        """Save one household book with its caregivers and children in one transaction.

        Children inherit the household's village and address and the caregivers' names
        (father, mother, guardian) when they leave those fields empty. Each child may carry
        ``id`` and ``version`` (its expected version). Any error in any child raises
        ``ValidationFailed`` with ``per_child`` (position -> issues); nothing is saved.
        """
        self._act("edit_child")
        book = str(household.get("book_number") or "").strip()
        if not book:
            raise ValidationFailed([store_issue("household.book_number_missing", "book_number")])
        poverty = household.get("poverty") or "none"
        if poverty not in POVERTY:
            raise InvalidInput(msg.POVERTY_INVALID.format(value=poverty))
        village_name = household.get("village")
        address = str(household.get("address") or "")  # NOT NULL text, whatever was typed
        defaults: dict[str, Any] = {"village": village_name, "current_address": address}
        for person in caregivers:
            relation = person.get("relation")
            name = person.get("full_name") or person.get("name")
            if relation == "father":
                defaults["father_name"] = name
            elif relation == "mother":
                defaults["mother_name"] = name
            elif relation == "guardian":
                defaults["caregiver_name"] = name
                defaults["caregiver_id"] = person.get("personal_id")
        if "caregiver_id" not in defaults:
            defaults["caregiver_id"] = next(
                (p.get("personal_id") for p in caregivers if p.get("personal_id")), None)
        prepared_all = []
        per_child: dict[int, list[Issue]] = {}
        seen_ids: dict[str, int] = {}
        for index, child in enumerate(children):
            child_id = None
            if child.get("id"):
                child_id = _as_id(child["id"])
                if child_id is None:
                    raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child["id"]))
            prepared, village_id = self._prepare(
                {**child, "village_id": child.get("village_id") or household.get("village_id")},
                child_id, defaults)
            pid = prepared.columns["personal_id"]
            if pid and pid in seen_ids:
                prepared.issues.append(store_issue("personal_id.taken", "personal_id",
                                                   other=f"#{seen_ids[pid] + 1}"))
            if pid:
                seen_ids[pid] = index
            if prepared.errors:
                per_child[index] = prepared.issues
            prepared_all.append((child_id, prepared, village_id, child))
        if per_child:
            failure = ValidationFailed([i for issues in per_child.values() for i in issues])
            failure.per_child = per_child
            raise failure
        village_id = prepared_all[0][2] if prepared_all else None
        if village_id is None and village_name:
            village = Village.get_or_none(Village.name_folded == fold(village_name))
            village_id = village.id if village else None
        with self._tx():
            household_id, version = self._write_household(household, book, poverty, address,
                                                          village_id)
            self._write_caregivers(household_id, caregivers)
            results = tuple(
                self._write_child(child_id, prepared, vid, household_id, child.get("version"),
                                  child)
                for child_id, prepared, vid, child in prepared_all
            )
        return HouseholdResult(household_id, version, results)

    def _write_household(self, household: Mapping[str, Any], book: str, poverty: str,
                         address: str, village_id: int | None) -> tuple[int, int]:
        at = now_iso()
        household_id = household.get("id")
        taken = self.db.execute_sql("SELECT id FROM household WHERE book_number = ?",
                                    (book,)).fetchone()
        if taken and taken[0] != household_id:
            raise InvalidInput(msg.BOOK_NUMBER_TAKEN.format(book_number=book))
        if not household_id:
            cursor = self.db.execute_sql(
                "INSERT INTO household (book_number, village_id, address, poverty, version, "
                "created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,1,?,?,?,?)",
                (book, village_id, address, poverty, at, self.user.user_id, at,
                 self.user.user_id))
            household_id = int(cursor.lastrowid)
            for key, value in (("book_number", book), ("village_id", village_id),
                               ("address", address), ("poverty", poverty)):
                self._audit("create", "household", household_id, key, None, value)
            return household_id, 1
        row = self.db.execute_sql(
            "SELECT book_number, village_id, address, poverty, version, updated_by, updated_at "
            "FROM household WHERE id = ?", (household_id,)).fetchone()
        if row is None:
            raise NotFound(msg.HOUSEHOLD_NOT_FOUND.format(household_id=household_id))
        expected = household.get("version")
        if expected is not None and row[4] != expected:
            user = User.get_or_none(User.id == row[5]) if row[5] else None
            raise Conflict(dict(household), {
                "id": household_id, "book_number": row[0], "village_id": row[1],
                "address": row[2], "poverty": row[3], "version": row[4],
                "updated_at": row[6], "updated_by_name": user.full_name if user else "",
            }, expected)
        new = {"book_number": book, "village_id": village_id, "address": address,
               "poverty": poverty}
        old = dict(zip(("book_number", "village_id", "address", "poverty"), row[:4],
                       strict=True))
        changed = {k: v for k, v in new.items() if v != old[k]}
        if not changed:
            return household_id, row[4]
        sets = ", ".join(f'"{k}" = ?' for k in changed)
        self.db.execute_sql(
            f"UPDATE household SET {sets}, version = version + 1, updated_at = ?, "
            "updated_by = ? WHERE id = ?",
            (*changed.values(), at, self.user.user_id, household_id))
        for key, value in changed.items():
            self._audit("update", "household", household_id, key, old[key], value)
        return household_id, row[4] + 1

    def _write_caregivers(self, household_id: int, caregivers: Iterable[Mapping[str, Any]]
                          ) -> None:
        old = self.db.execute_sql(
            "SELECT personal_id, full_name, relation FROM caregiver WHERE household_id = ? "
            "ORDER BY id", (household_id,)).fetchall()
        new = [(str(p.get("personal_id") or "").strip() or None,
                str(p.get("full_name") or p.get("name") or ""),
                str(p.get("relation") or "guardian")) for p in caregivers]
        if [tuple(r) for r in old] == new:
            return
        self.db.execute_sql("DELETE FROM caregiver WHERE household_id = ?", (household_id,))
        self.db.cursor().executemany(
            "INSERT INTO caregiver (household_id, personal_id, full_name, relation) "
            "VALUES (?, ?, ?, ?)", [(household_id, *row) for row in new])
        self._audit("update", "household", household_id, "caregivers",
                    [list(r) for r in old], [list(r) for r in new])

    def get_household(self, household_id: int) -> dict[str, Any]:
        """A household with its caregivers and the ids of its children."""
        self._act("view_personal")
        row = self.db.execute_sql(
            "SELECT h.id, h.book_number, h.village_id, v.name, h.address, h.poverty, h.version "
            "FROM household h LEFT JOIN village v ON v.id = h.village_id WHERE h.id = ?",
            (household_id,)).fetchone()
        if row is None:
            raise NotFound(msg.HOUSEHOLD_NOT_FOUND.format(household_id=household_id))
        keys = ("id", "book_number", "village_id", "village", "address", "poverty", "version")
        out = dict(zip(keys, row, strict=True))
        out["caregivers"] = [
            {"personal_id": r[0], "full_name": r[1], "relation": r[2]}
            for r in self.db.execute_sql(
                "SELECT personal_id, full_name, relation FROM caregiver WHERE household_id = ? "
                "ORDER BY id", (household_id,))
        ]
        out["children"] = [r[0] for r in self.db.execute_sql(
            "SELECT id FROM child WHERE household_id = ? AND merged_into IS NULL ORDER BY "
            "birth_date, id", (household_id,))]
        return out

    # --- search ------------------------------------------------------------------------
    def _search_parts(self, text: str) -> list[tuple[str, tuple[Any, ...]]]:
        """(WHERE clause, params) of each way ``text`` can match, each index-backed."""
        raw = " ".join(text.split())
        if not raw:
            return []
        scope = self._village_scope()
        scope_sql = ""
        scope_params: tuple[Any, ...] = ()
        if scope is not None:
            ids = sorted(scope) or [-1]
            scope_sql = f" AND c.village_id IN ({', '.join('?' for _ in ids)})"
            scope_params = tuple(ids)
        parts: list[tuple[str, tuple[Any, ...]]] = []
        digits = raw.replace(" ", "").replace(".", "").replace("-", "")
        if digits.isdigit():
            parts.append(("c.personal_id >= ? AND c.personal_id < ? AND c.merged_into IS NULL"
                          + scope_sql, (digits, _prefix_upper(digits), *scope_params)))
        else:
            key = fold(raw)
            if key:
                parts.append(("c.name_folded >= ? AND c.name_folded < ? "
                              "AND c.merged_into IS NULL" + scope_sql,
                              (key, _prefix_upper(key), *scope_params)))
            village = self.db.execute_sql("SELECT id FROM village WHERE name_folded = ?",
                                          (key,)).fetchone() if key else None
            if village is not None:
                parts.append(("c.village_id = ? AND c.merged_into IS NULL" + scope_sql,
                              (village[0], *scope_params)))
        book = self.db.execute_sql("SELECT id FROM household WHERE book_number = ?",
                                   (raw,)).fetchone()
        if book is not None:
            parts.append(("c.household_id = ? AND c.merged_into IS NULL" + scope_sql,
                          (book[0], *scope_params)))
        return parts

    def search(self, text: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """One page of children matching ``text``, by folded name then id.

        ``text`` is a name prefix (any case, with or without diacritics, đ = d), an ID
        number prefix (then ordered by number), a household book number or a village name.
        """
        self._act("view_personal")
        parts = self._search_parts(text)
        if not parts:
            return []
        with translate_errors(self.db):
            if len(parts) == 1:
                where, params = parts[0]
                order = "c.personal_id" if where.startswith("c.personal_id") else "c.name_folded"
                sql = (_SELECT_LIST + f"WHERE {where} ORDER BY {order}, c.id LIMIT ? OFFSET ?")
            else:
                union = " UNION ".join(f"SELECT c.id FROM child AS c WHERE {w}" for w, _ in parts)
                params = tuple(p for _, ps in parts for p in ps)
                sql = (_SELECT_LIST + f"WHERE c.id IN ({union}) ORDER BY c.name_folded, c.id "
                       "LIMIT ? OFFSET ?")
            rows = self.db.execute_sql(sql, (*params, int(limit), int(offset))).fetchall()
        return [dict(zip(_LIST_KEYS, row, strict=True)) for row in rows]

    def count_search(self, text: str) -> int:
        """How many children ``search(text)`` would list over all pages.

        A name prefix of at most two words (the common, broad case: "nguyen", "lo thi")
        and an ID prefix of at most six digits are answered from per-prefix counts kept
        by triggers (migration 3), without scanning the index.
        """
        self._act("view_personal")
        parts = self._search_parts(text)
        if not parts:
            return 0
        with translate_errors(self.db):
            if len(parts) == 1:
                where, params = parts[0]
                table = None
                if self._village_scope() is None:
                    if where.startswith("c.name_folded") and params[0].count(" ") <= 1:
                        table = "name_prefix_count"
                    elif where.startswith("c.personal_id") and len(params[0]) <= 6:
                        table = "id_prefix_count"
                if table is not None:
                    return int(self.db.execute_sql(
                        f"SELECT coalesce(sum(n), 0) FROM {table} "
                        "WHERE prefix >= ? AND prefix < ?", params[:2]).fetchone()[0])
                sql = f"SELECT count(*) FROM child AS c WHERE {where}"
            else:
                union = " UNION ".join(f"SELECT c.id FROM child AS c WHERE {w}" for w, _ in parts)
                params = tuple(p for _, ps in parts for p in ps)
                sql = f"SELECT count(*) FROM ({union})"
            return int(self.db.execute_sql(sql, params).fetchone()[0])

    # --- review lists (step 3) -----------------------------------------------------------
    def _review_where(self, kind: str) -> tuple[str, tuple[Any, ...]]:
        if kind not in REVIEW_KINDS:
            raise InvalidInput(kind)
        base = "c.merged_into IS NULL"
        params: tuple[Any, ...] = ()
        scope = self._village_scope()
        if scope is not None:
            ids = sorted(scope) or [-1]
            base += f" AND c.village_id IN ({', '.join('?' for _ in ids)})"
            params = tuple(ids)
        if kind == "errors":
            return base + " AND c.has_error = 1", params
        if kind == "warnings":
            return base + " AND c.has_warning = 1", params
        # The step 3 lists are the screens' lists (tui.store.review): one definition.
        from tui.store.review import ReviewList

        condition, list_params = ReviewList(self, kind).test()
        return f"{base} AND {condition}", (*params, *list_params)

    def review_counts(self) -> dict[str, int]:
        """How many children are on each step 3 list (``REVIEW_KINDS``)."""
        self._act("review")
        out = {}
        for kind in REVIEW_KINDS:
            where, params = self._review_where(kind)
            out[kind] = int(self.db.execute_sql(
                f"SELECT count(*) FROM child AS c WHERE {where}", params).fetchone()[0])
        return out

    def review_page(self, kind: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """One page of a step 3 list, by folded name; each row has its ``issues``."""
        self._act("review")
        where, params = self._review_where(kind)
        rows = self.db.execute_sql(
            _SELECT_LIST.replace(" FROM", ", c.issues FROM")
            + f"WHERE {where} ORDER BY c.name_folded, c.id LIMIT ? OFFSET ?",
            (*params, int(limit), int(offset))).fetchall()
        out = []
        for row in rows:
            item = dict(zip(_LIST_KEYS, row[:-1], strict=True))
            item["issues"] = json.loads(row[-1])
            out.append(item)
        return out

    # --- duplicates and merge ------------------------------------------------------------
    def decide_duplicate(self, left_id: int, right_id: int, decision: str,
                         note: str = "") -> None:
        """Record that two children are the ``same`` person or ``different`` (audited)."""
        self._act("decide_duplicates")
        if decision not in ("same", "different"):
            raise InvalidInput(msg.DUPLICATE_DECISION_INVALID)
        if left_id == right_id:
            raise InvalidInput(msg.MERGE_SAME)
        left, right = sorted((int(left_id), int(right_id)))
        with self._tx():
            self._decide(left, right, decision, note)

    def _decide(self, left: int, right: int, decision: str, note: str) -> None:
        old = self.db.execute_sql(
            "SELECT decision FROM duplicate_decision WHERE left_id = ? AND right_id = ?",
            (left, right)).fetchone()
        self.db.execute_sql(
            "INSERT INTO duplicate_decision (left_id, right_id, decision, by_id, at, note) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(left_id, right_id) DO UPDATE SET "
            "decision = excluded.decision, by_id = excluded.by_id, at = excluded.at, "
            "note = excluded.note",
            (left, right, decision, self.user.user_id, now_iso(), note))
        self._audit("decide", "duplicate", left, "same_as", old[0] if old else None,
                    {"right": right, "decision": decision})

    def duplicate_decisions(self) -> dict[tuple[int, int], str]:
        """Decisions taken so far, by (smaller id, larger id)."""
        self._act("decide_duplicates")
        return {(r[0], r[1]): r[2] for r in self.db.execute_sql(
            "SELECT left_id, right_id, decision FROM duplicate_decision")}

    def merge_children(self, keep_id: int, drop_id: int) -> SaveResult:
        """Merge ``drop_id`` into ``keep_id``: empty fields of the kept record are filled
        from the other, circumstances and supports it lacks are moved over, and the dropped
        record is hidden (``merged_into``) but kept. Audited; the pair is decided "same"."""
        self._act("merge_children")
        if keep_id == drop_id:
            raise InvalidInput(msg.MERGE_SAME)
        keep = self.get_child(keep_id, audit_view=False)
        drop = self.get_child(drop_id, audit_view=False)
        if drop["merged_into"] is not None:
            raise InvalidInput(msg.MERGED_ALREADY.format(child_id=drop_id))
        data = {k: keep[k] if keep[k] not in (None, "") else drop[k] for k in CHILD_FIELDS}
        if keep["personal_id"] is None and drop["personal_id"] is not None:
            data["personal_id"] = drop["personal_id"]
        circ_keys = {(c["code"], c["start"]) for c in keep["circumstances"]}
        circumstances = keep["circumstances"] + [
            c for c in drop["circumstances"] if (c["code"], c["start"]) not in circ_keys]
        supp_keys = {(s["form"], s["date"]) for s in keep["supports"]}
        supports = keep["supports"] + [
            s for s in drop["supports"] if (s["form"], s["date"]) not in supp_keys]
        data.update(id=keep_id, village_id=keep["village_id"], circumstances=circumstances,
                    supports=supports)
        prepared, village_id = self._prepare(data, keep_id, also_ignore=drop_id)
        if prepared.errors:
            raise ValidationFailed(prepared.issues)
        with self._tx():
            self.db.execute_sql(
                "UPDATE child SET merged_into = ?, version = version + 1, updated_at = ?, "
                "updated_by = ? WHERE id = ?",
                (keep_id, now_iso(), self.user.user_id, drop_id))
            self._audit("merge", "child", drop_id, "merged_into", None, keep_id)
            result = self._write_child(keep_id, prepared, village_id, None, keep["version"],
                                       data)
            self._audit("merge", "child", keep_id, "merged_from", None, drop_id)
            left, right = sorted((keep_id, drop_id))
            self._decide(left, right, "same", "")
        return result


def _circ(value: tuple[Any, ...]) -> dict[str, Any]:
    return {"code": value[0], "start": value[1], "end": value[2], "note": value[3]}


def _supp(value: tuple[Any, ...]) -> dict[str, Any]:
    return {"form": value[0], "date": value[1], "note": value[2]}

