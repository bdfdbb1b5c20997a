"""A trainee's sandbox read as the scorer's typed records (``tui.training.records``)."""

from __future__ import annotations

import json

import peewee

from tui.store.models import Caregiver, Child, ChildCircumstance, Household, Support, Village
from tui.training.records import EnteredChild, EnteredHousehold, TraineeRecords
from tui.training.values import (
    CHILD_SCALARS,
    AdultValues,
    ChildValues,
    CircumstanceValue,
    HouseholdValues,
    SupportValue,
)

__all__ = ["trainee_records"]


def _households(db: peewee.Database) -> tuple[EnteredHousehold, ...]:
    adults: dict[int, list[AdultValues]] = {}
    for household_id, name, personal_id, relation in (
            Caregiver.select(Caregiver.household, Caregiver.full_name, Caregiver.personal_id,
                             Caregiver.relation).order_by(Caregiver.id).tuples()):
        adults.setdefault(household_id, []).append(AdultValues(name, personal_id, relation))
    query = (Household.select(Household.id, Household.book_number, Village.name,
                              Household.address, Household.poverty)
             .join(Village, peewee.JOIN.LEFT_OUTER, on=(Village.id == Household.village))
             .order_by(Household.id).tuples())
    return tuple(EnteredHousehold(hid, HouseholdValues(book, village, address or None,
                                                       poverty, tuple(adults.get(hid, ()))))
                 for hid, book, village, address, poverty in query)


def _children(db: peewee.Database) -> tuple[EnteredChild, ...]:
    circumstances: dict[int, list[CircumstanceValue]] = {}
    for child_id, code, start, end in (
            ChildCircumstance.select(ChildCircumstance.child, ChildCircumstance.code,
                                     ChildCircumstance.start_date, ChildCircumstance.end_date)
            .order_by(ChildCircumstance.id).tuples()):
        circumstances.setdefault(child_id, []).append(CircumstanceValue(code, start, end))
    supports: dict[int, list[SupportValue]] = {}
    for child_id, form, day in (Support.select(Support.child, Support.form, Support.date)
                                .order_by(Support.id).tuples()):
        supports.setdefault(child_id, []).append(SupportValue(form, day))
    columns = Child._meta.columns
    fields = [columns[name] for name in CHILD_SCALARS]
    query = (Child.select(Child.id, Child.household, Child.issues, Child.state,
                          Child.merged_into, *fields).order_by(Child.id).tuples())
    order: dict[int | None, int] = {}
    out = []
    for child_id, household_id, issues, state, merged, *values in query:
        order[household_id] = order.get(household_id, 0) + 1
        codes = tuple(item["code"] for item in json.loads(issues or "[]"))
        scalars = dict(zip(CHILD_SCALARS, values, strict=True))
        out.append(EnteredChild(
            child_id, household_id, order[household_id],
            ChildValues(**scalars, circumstances=tuple(circumstances.get(child_id, ())),
                        supports=tuple(supports.get(child_id, ()))),
            codes, state, merged))
    return tuple(out)


def trainee_records(db: peewee.Database, trainee: str) -> TraineeRecords:
    """Every household and child of the sandbox ``db`` (merged records included, children
    numbered by entry order within their household), as trainee ``trainee``'s."""
    return TraineeRecords(trainee, _households(db), _children(db))
