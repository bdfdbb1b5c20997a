"""The household entry form as data: fields in book order, form state, records to validate.

Nothing here draws anything; :mod:`tui.screens.entry` lays these fields out and
:class:`HouseholdForm` turns what was typed into libchild records, so the rules are tested
without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.domain import MAX_ADULTS, Poverty
from tui.formatting import show_date
from tui.services.children import ChildRecord
from tui.services.households import HouseholdRecord

__all__ = [
    "ADULTS",
    "CHILD_FIELDS",
    "FIELDS",
    "HOUSEHOLD_FIELDS",
    "ISSUE_FIELD",
    "MAX_ADULTS",
    "FieldSpec",
    "HouseholdForm",
    "next_stop",
]

ADULTS = tuple(f"adult{i}" for i in range(1, MAX_ADULTS + 1))


@dataclass(frozen=True)
class FieldSpec:
    """One input of the form.

    ``kind``: ``text`` (free text, Vietnamese composition allowed), ``plain`` (free text,
    no composition: book numbers such as ``TK3-12``), ``id`` (digits),
    ``date``, ``code`` (picker over ``source``). ``carry``: the value of the previous child
    is carried over (dimmed) to the next one.
    """

    name: str
    kind: str
    width: int
    source: str | None = None
    carry: bool = False
    note: int = 0  # width of the resolved-name note after the input


HOUSEHOLD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("book_number", "plain", 8),
    FieldSpec("village", "code", 14, source="villages", note=14),
    FieldSpec("poverty", "code", 2, source="poverty", note=13),
    FieldSpec("address", "text", 48),
    *(spec for prefix in ADULTS for spec in (FieldSpec(f"{prefix}_name", "text", 26),
                                             FieldSpec(f"{prefix}_id", "id", 13))),
)

CHILD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("full_name", "text", 28),
    FieldSpec("sex", "code", 2, source="sexes", note=4),
    FieldSpec("birth_date", "date", 11),
    FieldSpec("personal_id", "id", 13),
    FieldSpec("ethnicity", "code", 4, source="ethnicities", carry=True, note=12),
    FieldSpec("nationality", "code", 3, source="nationalities", carry=True, note=10),
    FieldSpec("schooling", "code", 3, source="schooling", note=18),
    FieldSpec("father", "code", 2, source="adults", carry=True, note=16),
    FieldSpec("mother", "code", 2, source="adults", carry=True, note=16),
    FieldSpec("caregiver", "code", 2, source="adults", carry=True, note=16),
)

FIELDS: tuple[FieldSpec, ...] = HOUSEHOLD_FIELDS + CHILD_FIELDS
SPECS = {f.name: f for f in FIELDS}

# Where the issue of a canonical libchild field is shown on the form.
ISSUE_FIELD = {
    "full_name": "full_name",
    "sex": "sex",
    "birth_date": "birth_date",
    "death_date": "birth_date",
    "ethnicity": "ethnicity",
    "personal_id": "personal_id",
    "schooling": "schooling",
    "nationality": "nationality",
    "village": "village",
    "address_detail": "address",
    "current_address": "address",
    "father_name": "father",
    "mother_name": "mother",
    "caregiver_name": "caregiver",
    "caregiver_id": "caregiver",
    **{f"{prefix}_id": f"{prefix}_id" for prefix in ADULTS},
}


def _blank(fields: tuple[FieldSpec, ...]) -> dict[str, str]:
    return {f.name: "" for f in fields}


def _blank_child() -> dict[str, str]:
    return _blank(CHILD_FIELDS)


@dataclass
class HouseholdForm:
    """What has been typed for one household book: header, adults and children.

    ``children[current]`` is the child on screen. ``commune`` carries the register's
    ``commune_code``, ``province_code`` and the village names by code.
    """

    household: dict[str, str] = field(default_factory=lambda: _blank(HOUSEHOLD_FIELDS))
    children: list[dict[str, str]] = field(default_factory=lambda: [_blank_child()])
    current: int = 0
    child_id: int | None = None
    version: int | None = None
    household_id: int | None = None
    commune_code: str = ""
    province_code: str = ""
    villages: dict[str, str] = field(default_factory=dict)

    # --- values -----------------------------------------------------------------------
    def get(self, name: str) -> str:
        """The value of form field ``name`` (household or current child)."""
        if name in self.household:
            return self.household[name]
        return self.children[self.current].get(name, "")

    def set(self, name: str, value: str) -> None:
        """Store the value of form field ``name``."""
        if name in self.household:
            self.household[name] = value
        else:
            self.children[self.current][name] = value

    def previous_value(self, name: str) -> str | None:
        """The value of ``name`` for the child before the current one (ditto)."""
        if name in self.household or self.current == 0:
            return None
        return self.children[self.current - 1].get(name) or None

    def adults(self) -> list[tuple[str, str, str]]:
        """Household adults typed so far as ``(number, name, id)``."""
        out = []
        for i, prefix in enumerate(ADULTS, start=1):
            name = self.household.get(f"{prefix}_name", "").strip()
            if name:
                out.append((str(i), name, self.household.get(f"{prefix}_id", "").strip()))
        return out

    def adult(self, number: str) -> tuple[str, str] | None:
        """``(name, id)`` of adult ``number`` ("1".."6"), None for "0" or unknown."""
        for n, name, pid in self.adults():
            if n == number.strip():
                return name, pid
        return None

    # --- navigation between children ---------------------------------------------------
    def next_child(self) -> dict[str, str]:
        """Move to the next child, creating it with carried-over values; return those."""
        carried: dict[str, str] = {}
        if self.current + 1 >= len(self.children):
            new = _blank_child()
            for spec in CHILD_FIELDS:
                value = self.children[self.current].get(spec.name, "")
                if spec.carry and value:
                    new[spec.name] = carried[spec.name] = value
            self.children.append(new)
        self.current += 1
        return carried

    def previous_child(self) -> bool:
        """Move back one child; False when already on the first."""
        if self.current == 0:
            return False
        self.current -= 1
        return True

    def is_blank(self, index: int) -> bool:
        """True if child ``index`` has nothing but carried-over values."""
        child = self.children[index]
        return not any(child.get(f.name) for f in CHILD_FIELDS if not f.carry)

    def entered_children(self) -> list[int]:
        """Indexes of the children with something typed."""
        return [i for i in range(len(self.children)) if not self.is_blank(i)]

    # --- records ----------------------------------------------------------------------
    def record(self, index: int | None = None) -> dict[str, Any]:
        """The libchild canonical record of child ``index`` (default: current)."""
        child = self.children[self.current if index is None else index]
        father = self.adult(child.get("father", ""))
        mother = self.adult(child.get("mother", ""))
        carer = self.adult(child.get("caregiver", ""))
        id_source = carer or mother or father
        village_code = self.household.get("village", "")
        return {
            "personal_id": child.get("personal_id", "").strip(),
            "full_name": child.get("full_name", "").strip(),
            "sex": child.get("sex", "").strip(),
            "birth_date": child.get("birth_date", "").strip(),
            "ethnicity": child.get("ethnicity", "").strip(),
            "nationality": child.get("nationality", "").strip() or "VN",
            "schooling": child.get("schooling", "").strip(),
            "village": self.villages.get(village_code, village_code),
            "address_detail": self.household.get("address", "").strip(),
            "commune_code": self.commune_code,
            "province_code": self.province_code,
            "father_name": father[0] if father else "",
            "mother_name": mother[0] if mother else "",
            "caregiver_name": carer[0] if carer else "",
            "caregiver_id": id_source[1] if id_source else "",
        }

    def caregivers(self) -> list[dict[str, str]]:
        """Household adults as caregiver rows with their relation for the store."""
        roles: dict[str, str] = {}
        for child in self.children:
            for key, relation in (("father", "father"), ("mother", "mother")):
                roles.setdefault(child.get(key, "").strip(), relation)
        out = []
        for number, name, pid in self.adults():
            out.append(
                {"full_name": name, "personal_id": pid, "relation": roles.get(number, "guardian")}
            )
        return out

    def household_record(self) -> dict[str, Any]:
        """The household header for the store (poverty as typed: its digit)."""
        h = self.household
        poverty = Poverty.from_digit(h.get("poverty", ""))
        return {
            "book_number": h.get("book_number", "").strip(),
            "village": h.get("village", "").strip(),
            "address": h.get("address", "").strip(),
            "poverty": str(poverty) if poverty is not None else "",
            "caregivers": self.caregivers(),
        }

    def fill_from(self, child: ChildRecord, household: HouseholdRecord | None) -> None:
        """Fill the form with a stored child and its household (for fixing one record).

        Fields hidden from this person (sensitive data) stay empty; left empty, they keep
        their stored value when saved.
        """
        self.child_id = child.id
        self.version = child.version
        self.household_id = child.household_id
        h = self.household
        h["book_number"] = household.book_number if household else ""
        village_id = child.village_id or (household.village_id if household else None)
        h["village"] = str(village_id) if village_id else (child.village or "")
        h["address"] = (household.address if household else "") or child.address_detail or ""
        poverty = household.poverty if household else None
        h["poverty"] = poverty.digit if poverty is not None else ""
        people: list[tuple[str, str]] = [
            (c.full_name, c.personal_id or "") for c in (household.caregivers if household
                                                         else ())]
        for name_key in ("father_name", "mother_name", "caregiver_name"):
            name = getattr(child, name_key) or ""
            if name and name not in [p[0] for p in people]:
                pid = (child.caregiver_id or "") if name_key == "caregiver_name" else ""
                people.append((name, pid))
        for i, (name, pid) in enumerate(people[:MAX_ADULTS], start=1):
            h[f"adult{i}_name"], h[f"adult{i}_id"] = name, pid
        c = self.children[0]
        for key in ("full_name", "sex", "personal_id", "ethnicity", "nationality", "schooling"):
            c[key] = str(getattr(child, key) or "")
        c["birth_date"] = show_date(child.birth_date) if child.birth_date else ""
        names = [p[0] for p in people[:MAX_ADULTS]]
        for key, name_key in (("father", "father_name"), ("mother", "mother_name"),
                              ("caregiver", "caregiver_name")):
            name = getattr(child, name_key) or ""
            c[key] = str(names.index(name) + 1) if name in names else ""

    # --- drafts ---------------------------------------------------------------------------
    def to_payload(self) -> dict[str, Any]:
        """Plain data for a draft."""
        return {
            "household": dict(self.household),
            "children": [dict(c) for c in self.children],
            "current": self.current,
            "child_id": self.child_id,
            "version": self.version,
            "household_id": self.household_id,
        }

    def load_payload(self, payload: dict[str, Any]) -> None:
        """Restore what :meth:`to_payload` produced (unknown keys ignored)."""
        self.household.update(
            {k: str(v) for k, v in dict(payload.get("household", {})).items() if k in SPECS}
        )
        children = [
            {**_blank_child(), **{k: str(v) for k, v in dict(c).items() if k in SPECS}}
            for c in payload.get("children", [])
        ] or [_blank_child()]
        self.children = children
        self.current = max(0, min(int(payload.get("current", 0)), len(children) - 1))
        self.child_id = payload.get("child_id")
        self.version = payload.get("version")
        self.household_id = payload.get("household_id")


def next_stop(form: HouseholdForm, name: str, *, flagged: frozenset[str] = frozenset(),
              ) -> str | None:
    """The field Enter moves to from field ``name``; None: the child is complete.

    Enter follows the book but does not stop where the page almost never has anything:
    an adult left without a name ends the adults (the children come next); nationality
    (Việt Nam, filled in) and an empty caregiver are passed by. A field passed by is still
    reached with Tab and Shift+Tab, and one holding an error (``flagged``) is a stop.
    """
    names = [f.name for f in FIELDS]
    if name.startswith("adult") and name.endswith("_name") and not form.get(name).strip():
        return CHILD_FIELDS[0].name
    for following in names[names.index(name) + 1:]:
        if following in flagged or not _passed_by(form, following):
            return following
    return None


def _passed_by(form: HouseholdForm, name: str) -> bool:
    """True when Enter goes past field ``name`` without stopping."""
    if name == "nationality":
        return True
    return name == "caregiver" and not form.get(name).strip()


def field_issues(issues: Iterable[Any]) -> dict[str, list[Any]]:
    """Group libchild issues by the form field that shows them (``""``: no field)."""
    out: dict[str, list[Any]] = {}
    for issue in issues:
        target = ISSUE_FIELD.get(issue.field or "", "")
        out.setdefault(target, []).append(issue)
    order = {"error": 0, "warning": 1, "info": 2}
    for items in out.values():
        items.sort(key=lambda i: order.get(i.severity, 3))
    return out
