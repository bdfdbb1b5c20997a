"""What the shell and the entry form need from ``tui.store``, in one place.

The screens call these small functions rather than the store's modules directly, so that
the mapping between the entry form (adults numbered 1-3, village ids as codes, poverty
0/1/2) and the store's ``Register`` lives in one module with one job.
"""

from __future__ import annotations

import os
from typing import Any

from tui.messages import core as core_msg
from tui.messages import ui
from tui.store.errors import Conflict, StoreError

__all__ = [
    "ConflictError",
    "PasswordChange",
    "StoreFailure",
    "commune",
    "commune_of",
    "discard_draft",
    "load_child",
    "load_compose_mode",
    "pending_drafts",
    "save",
    "save_compose_mode",
    "save_draft",
    "villages",
]

StoreFailure = StoreError
ConflictError = Conflict
COMPOSE_PREF_KEY = "pref:compose_mode"
ENTRY_DRAFT_PREFIX = "entry:"


class PasswordChange(StoreError):
    """First login: the person must choose a new password."""


# --- database and session --------------------------------------------------------------
def open_register_db(path: str | os.PathLike[str]) -> Any:
    """Open the register database (Vietnamese ``StoreError`` on any fault)."""
    from tui.store.database import open_db

    return open_db(path)


def commune_of(db: Any) -> dict[str, Any]:
    """The commune settings: ``commune_code``, ``commune_name``, ``province_code``, ``sandbox``."""
    from tui.store.models import Setting

    if db is None:
        return {}
    setting = Setting.get_or_none(Setting.id == 1)
    if setting is None:
        return {}
    return {
        "commune_code": setting.commune_code,
        "commune_name": setting.commune_name,
        "province_code": setting.province_code,
        "sandbox": bool(setting.sandbox),
    }


def sandbox_session(db: Any) -> Any:
    """The password-less session of a sandbox register."""
    from tui.store import accounts

    return accounts.sandbox_session(db)


def login(db: Any, username: str, password: str) -> Any:
    """Log in; ``PasswordChange`` when a new password must be chosen first."""
    from tui.store import accounts

    try:
        return accounts.login(db, username, password)
    except accounts.PasswordChangeRequired as exc:
        raise PasswordChange(str(exc) or core_msg.PASSWORD_CHANGE_REQUIRED) from exc


def change_password(db: Any, username: str, old: str, new: str) -> Any:
    """Set a new password and open the session."""
    from tui.store import accounts

    return accounts.change_password(db, username, old, new)


def unlock(db: Any, session: Any, password: str) -> None:
    """Resume a locked session with its owner's password."""
    session.unlock(db, password)


def make_register(db: Any, session: Any) -> Any:
    """The ``Register`` service for this session."""
    from tui.store.register import Register

    return Register(db, session)


def role_name(role: str) -> str:
    """The Vietnamese name of a role."""
    return core_msg.ROLE_NAMES.get(role, role)


# --- per-user typing mode ------------------------------------------------------------------
def load_compose_mode(db: Any, session: Any) -> str:
    """The user's Telex/VNI/off choice (kept as a draft-table preference)."""
    from tui.store import drafts

    try:
        value = drafts.load_draft(db, session.user_id, COMPOSE_PREF_KEY)
    except StoreError:
        return "off"
    return value if value in ui.COMPOSE_MODES else "off"


def save_compose_mode(db: Any, session: Any, mode: str) -> None:
    """Remember the user's typing mode for the next session."""
    from tui.store import drafts

    try:
        drafts.save_draft(db, session.user_id, COMPOSE_PREF_KEY, mode)
    except StoreError:
        return


# --- commune, villages, review counts ------------------------------------------------------
def commune(register: Any) -> dict[str, Any]:
    """Commune settings of the register's database."""
    return commune_of(getattr(register, "db", None))


def villages(register: Any) -> list[tuple[str, str]]:
    """The village list as ``(id, name)`` pairs for the village picker."""
    try:
        return [(str(v["id"]), v["name"]) for v in register.villages()]
    except (StoreError, AttributeError):
        return []


def review_kinds() -> tuple[str, ...]:
    """The review lists the review screen knows, in their order (keys 1, 2, ...)."""
    from tui.store.review import KINDS

    return tuple(KINDS)


def review_counts(register: Any) -> dict[str, int]:
    """The size of each review list, exactly as the review screen lists it (empty if the
    user may not see them). About 0.35 s at 300,000 children: call it from a worker."""
    from tui.store.review import review_counts as counts_of

    try:
        return dict(counts_of(register))
    except StoreError:
        return {}


#: Above this many children the home screen does not compare every pair of records for
#: its duplicate count (tens of seconds of CPU at 300,000); the duplicate screen does.
DUPLICATE_COUNT_MAX_CHILDREN = 50_000


def duplicate_count(register: Any) -> int | None:
    """Undecided duplicate candidates, as the duplicate screen lists them; None when the
    user may not decide duplicates or the register is too large to count them here.

    About 0.02 s at 2,000 children (the result is cached for the duplicate screen)."""
    from tui.store.review import duplicate_candidates

    try:
        row = register.db.execute_sql(
            "SELECT count(*) FROM child WHERE merged_into IS NULL"
        ).fetchone()
        if row[0] > DUPLICATE_COUNT_MAX_CHILDREN:
            return None
        return len(duplicate_candidates(register))
    except StoreError:
        return None


# --- drafts ----------------------------------------------------------------------------------
def save_draft(register: Any, key: str, payload: dict[str, Any]) -> None:
    """Store the entry form's state as this user's draft ``key``."""
    from tui.store import drafts

    drafts.save_draft(register.db, register.user.user_id, key, payload)


def discard_draft(register: Any, key: str) -> None:
    """Forget draft ``key`` of this user."""
    from tui.store import drafts

    try:
        drafts.discard_draft(register.db, register.user.user_id, key)
    except StoreError:
        return


def pending_drafts(register: Any) -> list[dict[str, Any]]:
    """This user's unsaved entry forms, newest first."""
    from tui.store import drafts

    try:
        rows = drafts.pending_drafts(register.db, register.user.user_id)
    except StoreError:
        return []
    return [r for r in rows if str(r.get("key", "")).startswith(ENTRY_DRAFT_PREFIX)]


def draft_payload(draft: dict[str, Any]) -> dict[str, Any]:
    """The form state inside a draft row."""
    payload = draft.get("payload")
    return payload if isinstance(payload, dict) else {}


def draft_key_of(draft: dict[str, Any]) -> str:
    """The key of a draft row."""
    return str(draft.get("key", ""))


# --- children and households ----------------------------------------------------------------
def load_child(register: Any, child_id: int, form: Any) -> None:
    """Fill ``form`` with a stored child and its household (for fixing one record)."""
    from tui.screens.entry_form import POVERTY_FROM_STORE

    child = register.get_child(child_id)
    form.child_id = child_id
    form.version = child.get("version")
    form.household_id = child.get("household_id")
    household: dict[str, Any] = {}
    if form.household_id:
        household = register.get_household(form.household_id)
    h = form.household
    h["book_number"] = str(household.get("book_number") or "")
    village_id = child.get("village_id") or household.get("village_id")
    h["village"] = str(village_id) if village_id else str(child.get("village") or "")
    h["address"] = str(household.get("address") or child.get("address_detail") or "")
    h["poverty"] = POVERTY_FROM_STORE.get(household.get("poverty") or "none", "0")
    people: list[tuple[str, str]] = []
    for person in household.get("caregivers", []):
        people.append((person.get("full_name") or "", person.get("personal_id") or ""))
    for name_key in ("father_name", "mother_name", "caregiver_name"):
        name = child.get(name_key) or ""
        if name and name not in [p[0] for p in people]:
            pid = child.get("caregiver_id") or "" if name_key == "caregiver_name" else ""
            people.append((name, pid))
    for i, (name, pid) in enumerate(people[:3], start=1):
        h[f"adult{i}_name"], h[f"adult{i}_id"] = name, pid
    c = form.children[0]
    for key in ("full_name", "sex", "personal_id", "ethnicity", "nationality", "schooling"):
        c[key] = str(child.get(key) or "")
    birth = child.get("birth_date") or ""
    if len(str(birth)) == 10 and str(birth)[4] == "-":
        y, m, d = str(birth).split("-")
        birth = f"{d}/{m}/{y}"
    c["birth_date"] = str(birth)
    names = [p[0] for p in people[:3]]
    for key, name_key in (("father", "father_name"), ("mother", "mother_name"),
                          ("caregiver", "caregiver_name")):
        name = child.get(name_key) or ""
        c[key] = str(names.index(name) + 1) if name in names else ""


def save(register: Any, form: Any, records: list[dict[str, Any]]) -> str:
    """Save what the form holds; return the Vietnamese confirmation.

    Raises ``ConflictError`` (someone saved the child meanwhile) or ``StoreFailure``.
    """
    if form.child_id is not None:
        data = dict(records[0])
        data["id"] = form.child_id
        if form.household_id:
            data["household_id"] = form.household_id
        _village_id(form, data)
        register.save_child(data, expected_version=form.version)
        return ui.SAVED_CHILD.format(name=data.get("full_name", ""))
    household = form.household_record()
    _village_id(form, household)
    children = []
    for record in records:
        child = dict(record)
        _village_id(form, child)
        children.append(child)
    caregivers = household.pop("caregivers")
    result = register.save_household(household, children, caregivers)
    form.household_id = result.household_id
    return ui.SAVED_HOUSEHOLD.format(book=household["book_number"], count=len(children))


def _village_id(form: Any, data: dict[str, Any]) -> None:
    code = form.household.get("village", "").strip()
    if code.isdigit() and code in form.villages:
        data["village_id"] = int(code)
        data["village"] = form.villages[code]


def conflict_text(exc: Conflict) -> str:
    """Both versions of a conflicting save, field by field, for the person to compare."""
    lines = [str(exc), "", f"{'':16} {ui.CONFLICT_MINE:<28} {ui.CONFLICT_THEIRS}"]
    for key, mine in exc.mine.items():
        theirs = exc.theirs.get(key)
        if key in ("id", "version", "household_id", "village_id"):
            continue
        if theirs is not None and str(theirs) != str(mine):
            lines.append(f"{key:<16} {str(mine)[:28]:<28} {str(theirs)[:30]}")
    return "\n".join(lines)
