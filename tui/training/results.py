"""The result of scoring one trainee, and of a room of trainees (typed, immutable).

:class:`TraineeResult` is what :func:`tui.training.scoring.score_trainee` returns and
what a trainee reads (through :mod:`tui.training.render`): accuracy overall and per
field, each field to fix with the value typed and the right one, the children missed
and the records that should not be there, the lessons caught or not, and time and keys
per child. :func:`room_errors` gives the most frequent error per field across trainees,
for the trainer's dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

import attrs

from tui.training.matching import MatchKind
from tui.training.scenario import Action, ChildRef

__all__ = [
    "ChildOutcome",
    "ErrorKind",
    "ExtraRecord",
    "FieldError",
    "FieldScore",
    "LessonOutcome",
    "RoomError",
    "TraineeResult",
    "room_errors",
]


class ErrorKind(StrEnum):
    """How a typed value differs from the answer."""

    MISSING = "missing"        # the answer has a value, nothing was typed
    EXTRA = "extra"            # something was typed where the answer is empty
    DIACRITICS = "diacritics"  # same letters; diacritics, case or spacing differ
    WRONG = "wrong"            # another value


@attrs.frozen(slots=True)
class FieldError:
    """One field to fix. ``order`` 0 and ``child_name`` "" for a household's field;
    ``expected`` and ``entered`` are shown as a person reads them."""

    book_number: str
    order: int
    child_name: str
    field: str
    expected: str
    entered: str
    kind: ErrorKind


@attrs.frozen(slots=True)
class FieldScore:
    """How one field was typed over the paired records: values compared (where the
    answer or the typing has a value), how many were right, and the errors by kind."""

    field: str
    checked: int = 0
    correct: int = 0
    missing: int = 0
    extra: int = 0
    diacritics: int = 0
    wrong: int = 0

    @property
    def errors(self) -> int:
        """Values not right."""
        return self.checked - self.correct

    @property
    def accuracy(self) -> float:
        """Share of values right (1.0 when nothing was compared)."""
        return self.correct / self.checked if self.checked else 1.0

    def count(self, kind: ErrorKind) -> int:
        """Errors of ``kind``."""
        return int(getattr(self, kind.value))


@attrs.frozen(slots=True)
class ChildOutcome:
    """One child of the answer key: the record it was paired with (None: missed), how,
    its field errors, values compared and right, and the typing it took (None without
    keystroke measures)."""

    ref: ChildRef
    name: str
    record_id: int | None
    match: MatchKind | None
    errors: tuple[FieldError, ...] = ()
    checked: int = 0
    correct: int = 0
    seconds: float | None = None
    keys: int | None = None
    corrections: int | None = None

    @property
    def missed(self) -> bool:
        """No record of the trainee was found for this child."""
        return self.record_id is None


@attrs.frozen(slots=True)
class ExtraRecord:
    """A record of the trainee that is no child of the answer key."""

    record_id: int
    book_number: str
    order: int
    name: str


@attrs.frozen(slots=True)
class LessonOutcome:
    """A lesson of the scenario and whether the trainee's register shows it caught."""

    lesson_id: str
    title: str
    explain: str
    action: Action
    code: str
    child: ChildRef
    child_name: str
    caught: bool


@attrs.frozen(slots=True)
class TraineeResult:
    """Everything the scorer found for one trainee on one scenario."""

    trainee: str
    scenario_id: str
    scenario_title: str
    reference_date: date
    accuracy: float
    checked: int
    correct: int
    fields: tuple[FieldScore, ...]
    children: tuple[ChildOutcome, ...]
    household_errors: tuple[FieldError, ...]
    missed_books: tuple[str, ...]
    extra_books: tuple[str, ...]
    extra: tuple[ExtraRecord, ...]
    lessons: tuple[LessonOutcome, ...]
    keys: int
    corrections: int
    seconds: float
    keys_per_child: float | None
    seconds_per_child: float | None

    @property
    def missed(self) -> tuple[ChildOutcome, ...]:
        """Children of the answer key the trainee did not enter."""
        return tuple(c for c in self.children if c.missed)

    @property
    def to_fix(self) -> tuple[FieldError, ...]:
        """Every field to fix, in book order: the household's fields before its children's."""
        by_book: dict[str, list[FieldError]] = {}
        for error in self.household_errors:
            by_book.setdefault(error.book_number, []).append(error)
        for child in self.children:
            for error in child.errors:
                by_book.setdefault(error.book_number, []).append(error)
        return tuple(e for errors in by_book.values() for e in errors)

    @property
    def lessons_caught(self) -> int:
        """Lessons the trainee's register shows caught."""
        return sum(1 for lesson in self.lessons if lesson.caught)

    def passed(self, pass_mark: float) -> bool:
        """Accuracy at least ``pass_mark`` (0..1)."""
        return self.accuracy >= pass_mark


@attrs.frozen(slots=True)
class RoomError:
    """The most frequent kind of error of one field across a room of trainees."""

    field: str
    kind: ErrorKind
    count: int
    trainees: int


def room_errors(results: Iterable[TraineeResult]) -> tuple[RoomError, ...]:
    """For each field with errors, its most frequent error kind across ``results``, with
    how many times and in how many trainees' work; fields with most errors first."""
    counts: dict[tuple[str, ErrorKind], int] = {}
    people: dict[tuple[str, ErrorKind], int] = {}
    for result in results:
        for score in result.fields:
            for kind in ErrorKind:
                n = score.count(kind)
                if n:
                    counts[(score.field, kind)] = counts.get((score.field, kind), 0) + n
                    people[(score.field, kind)] = people.get((score.field, kind), 0) + 1
    order = {kind: i for i, kind in enumerate(ErrorKind)}
    best: dict[str, RoomError] = {}
    for (field, kind), n in sorted(counts.items(), key=lambda item: order[item[0][1]]):
        current = best.get(field)
        if current is None or n > current.count:
            best[field] = RoomError(field, kind, n, people[(field, kind)])
    return tuple(sorted(best.values(), key=lambda r: (-r.count, r.field)))
