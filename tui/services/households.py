"""Household books: read one with its caregivers, save one with its children.

A household is in the village of its children; a person whose scope is some villages
reads and writes only households there. The household's poverty is sensitive data
(it implies circumstance NC02 and support eligibility): redacted for roles that may not
see it, and kept as stored when such a person leaves it blank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from libchild.issues import Issue
from tui.domain import Permission, Poverty, Relation
from tui.errors import Conflict, InvalidInput, NotFound, ValidationFailed
from tui.messages import core as msg
from tui.services.base import Service, operation
from tui.services.children import ChildrenService, SaveResult, as_id, refuse_unsafe_text
from tui.services.policy import require_village, sees_sensitive
from tui.store import children as child_store
from tui.store import households as store
from tui.store import villages as village_store
from tui.store.clock import now_iso
from tui.store.records import store_issue

__all__ = ["CaregiverInfo", "HouseholdRecord", "HouseholdResult", "HouseholdsService"]


@attrs.frozen
class CaregiverInfo:
    """A parent or guardian of the household."""

    personal_id: str | None
    full_name: str
    relation: Relation


@attrs.frozen
class HouseholdRecord:
    """A household book as this person may see it (``poverty`` None when hidden)."""

    id: int
    book_number: str
    village_id: int | None
    village: str | None
    address: str
    poverty: Poverty | None
    version: int
    caregivers: tuple[CaregiverInfo, ...]
    children: tuple[int, ...]
    hidden: frozenset[str] = frozenset()


@attrs.frozen
class HouseholdResult:
    """What a household save stored."""

    household_id: int
    version: int
    children: tuple[SaveResult, ...]


def _relation(value: Any) -> Relation:
    try:
        return Relation(str(value or Relation.GUARDIAN))
    except ValueError:
        return Relation.GUARDIAN


class HouseholdsService(Service):
    """Reads and writes of household books for the acting person."""

    def _row(self, household_id: int, permission: Permission) -> store.HouseholdRow:
        row = store.get(self.db, household_id)
        if row is None:
            raise NotFound(msg.HOUSEHOLD_NOT_FOUND.format(household_id=household_id))
        require_village(self.session, permission, row.village_id)
        return row

    @operation(Permission.VIEW_PERSONAL)
    def get(self, household_id: int) -> HouseholdRecord:
        """A household with its caregivers and the ids of its living children."""
        row = self._row(int(household_id), Permission.VIEW_PERSONAL)
        sensitive = sees_sensitive(self.session)
        return HouseholdRecord(
            id=row.id, book_number=row.book_number, village_id=row.village_id,
            village=row.village, address=row.address,
            poverty=Poverty(row.poverty) if sensitive else None, version=row.version,
            caregivers=tuple(CaregiverInfo(c.personal_id, c.full_name, _relation(c.relation))
                             for c in store.caregivers(self.db, row.id)),
            children=tuple(child_store.household_children(self.db, row.id)),
            hidden=frozenset() if sensitive else frozenset({"poverty"}))

    @operation(Permission.EDIT_CHILD)
    def save(self, household: Mapping[str, Any], children: Sequence[Mapping[str, Any]],
             caregivers: Sequence[Mapping[str, Any]]) -> HouseholdResult:
        """Save one household book with its caregivers and children in one transaction.

        Children inherit the household's village and address and the caregivers' names
        (father, mother, guardian) when they leave those fields empty. Each child may carry
        ``id`` and ``version`` (its expected version). A change of a stored household or
        child must carry the version it was based on (``household["version"]``, each
        child's ``version``): without it ``InvalidInput``, with another one ``Conflict``.
        A save without children keeps the household's village. Any error in any child
        raises ``ValidationFailed`` with ``per_child`` (position -> issues); nothing is
        saved.
        """
        refuse_unsafe_text(household)
        for caregiver in caregivers:
            refuse_unsafe_text(caregiver)
        book = str(household.get("book_number") or "").strip()
        if not book:
            raise ValidationFailed([store_issue("household.book_number_missing",
                                                "book_number")])
        existing = None
        if household.get("id"):
            existing = self._row(as_id(household["id"]) or -1, Permission.EDIT_CHILD)
            if household.get("version") is None:
                raise InvalidInput(msg.HOUSEHOLD_VERSION_REQUIRED.format(
                    household_id=existing.id))
        raw_poverty = household.get("poverty")
        if existing is not None and not sees_sensitive(self.session) and not raw_poverty:
            raw_poverty = existing.poverty
        try:
            poverty = Poverty(raw_poverty or Poverty.NONE)
        except ValueError:
            raise InvalidInput(msg.POVERTY_INVALID.format(value=raw_poverty)) from None
        village_name = household.get("village")
        address = str(household.get("address") or "")  # NOT NULL text, whatever was typed
        defaults = _defaults_from(caregivers, village_name, address)
        kids = ChildrenService(self.ctx)
        prepared_all = []
        per_child: dict[int, list[Issue]] = {}
        seen_ids: dict[str, int] = {}
        for index, child in enumerate(children):
            child_id = None
            if child.get("id"):
                child_id = as_id(child["id"])
                if child_id is None:
                    raise NotFound(msg.CHILD_NOT_FOUND.format(child_id=child["id"]))
            prepared, village_id = kids._prepare(
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
            prepared_all.append((prepared, village_id))
        if per_child:
            raise ValidationFailed([i for issues in per_child.values() for i in issues],
                                   per_child=per_child)
        village_id = prepared_all[0][1] if prepared_all else None
        if village_id is None and household.get("village_id"):
            found_id = village_store.get(self.db, as_id(household["village_id"]) or -1)
            village_id = found_id.id if found_id else None
        if village_id is None and village_name:
            found = village_store.by_folded_name(self.db, str(village_name))
            village_id = found.id if found else None
        if village_id is None and existing is not None:
            village_id = existing.village_id  # a save without children keeps the village
        require_village(self.session, Permission.EDIT_CHILD, village_id)
        with self.ctx.tx():
            household_id, version = self._write(existing, household, book, poverty, address,
                                                village_id)
            self._write_caregivers(household_id, caregivers)
            results = tuple(
                kids._save({**child, "village_id": child.get("village_id")
                            or household.get("village_id")}, child.get("version"),
                           defaults=defaults, household_id=household_id)
                for child in children)
        return HouseholdResult(household_id, version, results)

    def _write(self, existing: store.HouseholdRow | None, household: Mapping[str, Any],
               book: str, poverty: Poverty, address: str, village_id: int | None
               ) -> tuple[int, int]:
        at = now_iso()
        holder = store.book_holder(self.db, book)
        if holder is not None and (existing is None or holder != existing.id):
            raise InvalidInput(msg.BOOK_NUMBER_TAKEN.format(book_number=book))
        user = self.session.user_id
        if existing is None:
            household_id = store.insert(self.db, book_number=book, village_id=village_id,
                                        address=address, poverty=poverty, at=at, by=user)
            for key, value in (("book_number", book), ("village_id", village_id),
                               ("address", address), ("poverty", str(poverty))):
                self.ctx.audit("create", "household", household_id, key, None, value)
            return household_id, 1
        expected = household.get("version")
        if existing.version != expected:
            raise Conflict(household, {"book_number": existing.book_number,
                                       "address": existing.address},
                           mine_version=int(expected), theirs_version=existing.version,
                           by=child_store.updater_name(self.db, existing.updated_by),
                           at=existing.updated_at)
        new = {"book_number": book, "village_id": village_id, "address": address,
               "poverty": str(poverty)}
        old = {"book_number": existing.book_number, "village_id": existing.village_id,
               "address": existing.address, "poverty": existing.poverty}
        changed = {k: v for k, v in new.items() if v != old[k]}
        if not changed:
            return existing.id, existing.version
        store.update(self.db, existing.id, changed, at=at, by=user)
        for key, value in changed.items():
            self.ctx.audit("update", "household", existing.id, key, old[key], value)
        return existing.id, existing.version + 1

    def _write_caregivers(self, household_id: int,
                          caregivers: Sequence[Mapping[str, Any]]) -> None:
        old = store.caregivers(self.db, household_id)
        new = [store.CaregiverRow(str(p.get("personal_id") or "").strip() or None,
                                  str(p.get("full_name") or p.get("name") or ""),
                                  str(_relation(p.get("relation"))))
               for p in caregivers]
        if old == new:
            return
        store.replace_caregivers(self.db, household_id, new)
        self.ctx.audit("update", "household", household_id, "caregivers",
                       [list(attrs.astuple(r)) for r in old],
                       [list(attrs.astuple(r)) for r in new])


def _defaults_from(caregivers: Sequence[Mapping[str, Any]], village: Any,
                   address: str) -> dict[str, Any]:
    """What the children inherit from the household book when they leave it empty."""
    defaults: dict[str, Any] = {"village": village, "current_address": address}
    for person in caregivers:
        relation = person.get("relation")
        name = person.get("full_name") or person.get("name")
        if relation == Relation.FATHER:
            defaults["father_name"] = name
        elif relation == Relation.MOTHER:
            defaults["mother_name"] = name
        elif relation == Relation.GUARDIAN:
            defaults["caregiver_name"] = name
            defaults["caregiver_id"] = person.get("personal_id")
    if "caregiver_id" not in defaults:
        defaults["caregiver_id"] = next(
            (p.get("personal_id") for p in caregivers if p.get("personal_id")), None)
    return defaults
