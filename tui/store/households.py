"""Household books and their caregivers: the rows of ``household`` and ``caregiver``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import peewee

from tui.store.models import Caregiver, Household, Village

__all__ = [
    "CaregiverRow",
    "HouseholdRow",
    "book_holder",
    "caregivers",
    "exists",
    "get",
    "insert",
    "replace_caregivers",
    "update",
]


@attrs.frozen
class HouseholdRow:
    """A ``household`` row with its village's name."""

    id: int
    book_number: str
    village_id: int | None
    village: str | None
    address: str
    poverty: str
    version: int
    updated_at: str
    updated_by: int | None


@attrs.frozen
class CaregiverRow:
    """A parent or guardian of a household."""

    personal_id: str | None
    full_name: str
    relation: str


def get(db: peewee.Database, household_id: int) -> HouseholdRow | None:
    """The household, None for an unknown id."""
    row = (Household.select(Household.id, Household.book_number, Household.village,
                            Village.name, Household.address, Household.poverty,
                            Household.version, Household.updated_at, Household.updated_by)
           .join(Village, peewee.JOIN.LEFT_OUTER, on=(Village.id == Household.village))
           .where(Household.id == household_id).tuples().first())
    return HouseholdRow(*row) if row else None


def exists(db: peewee.Database, household_id: int) -> bool:
    """True when the household exists."""
    return Household.select().where(Household.id == household_id).exists()


def book_holder(db: peewee.Database, book_number: str) -> int | None:
    """The household that has book ``book_number``, if any."""
    row = (Household.select(Household.id).where(Household.book_number == book_number)
           .tuples().first())
    return row[0] if row else None


def insert(db: peewee.Database, *, book_number: str, village_id: int | None, address: str,
           poverty: str, at: str, by: int | None) -> int:
    """A new household at version 1; its id."""
    return int(Household.insert(
        book_number=book_number, village=village_id, address=address, poverty=poverty,
        version=1, created_at=at, created_by=by, updated_at=at, updated_by=by).execute())


def update(db: peewee.Database, household_id: int, changes: Mapping[str, Any], *, at: str,
           by: int | None) -> None:
    """Set columns of a household (by column name) and bump its version."""
    columns = Household._meta.columns
    values: dict[Any, Any] = {columns[k]: v for k, v in changes.items()}
    values.update({Household.version: Household.version + 1, Household.updated_at: at,
                   Household.updated_by: by})
    Household.update(values).where(Household.id == household_id).execute()


def caregivers(db: peewee.Database, household_id: int) -> list[CaregiverRow]:
    """The household's caregivers in the order they were typed."""
    query = (Caregiver.select(Caregiver.personal_id, Caregiver.full_name, Caregiver.relation)
             .where(Caregiver.household == household_id).order_by(Caregiver.id).tuples())
    return [CaregiverRow(*row) for row in query]


def replace_caregivers(db: peewee.Database, household_id: int,
                       rows: Sequence[CaregiverRow]) -> None:
    """Make the household's caregivers exactly ``rows``."""
    Caregiver.delete().where(Caregiver.household == household_id).execute()
    if rows:
        Caregiver.insert_many([
            {"household": household_id, "personal_id": r.personal_id,
             "full_name": r.full_name, "relation": r.relation} for r in rows
        ]).execute()
