"""What a trainee's register holds, as typed records, and where they come from.

The scorer never opens a database: the service layer reads a trainee's sandbox and hands
over a :class:`TraineeRecords` through a :class:`TraineeRecordSource`. The classes mirror
the register: a household book with its adults, children linked to their household, the
issue codes the register stored with each child, its workflow state and, for a record
merged in the duplicate review, the record it was merged into.
"""

from __future__ import annotations

from typing import Protocol

import attrs

from tui.training.values import ChildValues, HouseholdValues

__all__ = ["EnteredChild", "EnteredHousehold", "TraineeRecordSource", "TraineeRecords"]


@attrs.frozen(slots=True)
class EnteredHousehold:
    """A household book as the trainee's register holds it (``household_id``: its id)."""

    household_id: int
    values: HouseholdValues


@attrs.frozen(slots=True)
class EnteredChild:
    """A child as the trainee's register holds it.

    ``order`` is the child's position among its household's children in the order they
    were entered (1 for the first), as the book lists them; ``issues`` the issue codes
    the register stored with the record (libchild's and the register's own); ``state``
    its workflow state; ``merged_into`` the id of the record it was merged into by a
    duplicate decision (None for an active record).
    """

    record_id: int
    household_id: int | None
    order: int
    values: ChildValues
    issues: tuple[str, ...] = ()
    state: str = "entered"
    merged_into: int | None = None


@attrs.frozen(slots=True)
class TraineeRecords:
    """Everything one trainee's sandbox holds: ``trainee`` is the account's display name."""

    trainee: str
    households: tuple[EnteredHousehold, ...] = ()
    children: tuple[EnteredChild, ...] = ()


class TraineeRecordSource(Protocol):
    """Where a trainee's records come from (the service layer over the trainee's sandbox).

    ``trainee_records(trainee)`` returns every household and child of that trainee's
    sandbox, merged records included (with ``merged_into`` set), children numbered by
    entry order within their household.
    """

    def trainee_records(self, trainee: str) -> TraineeRecords:
        """The trainee's households and children."""
        ...
