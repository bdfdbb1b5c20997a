"""Scoring a trainee's register against a scenario's answer key (a pure function).

:func:`score_trainee` pairs the trainee's records with the key (:mod:`.matching`),
compares every scored field after ``libchild.clean`` (so "nguyen van an" against
"Nguyễn Văn An" is a diacritics error of the name, not a missing record), checks each
lesson against the issue codes of the paired record, and adds the typing measures.

Fields scored: the household's book number, village, address, poverty and each adult's
name, ID number and relation; the child's fields of the book (:data:`CHILD_FIELDS`).
A child's village, address and caregiver ID number are not scored again: the entry
screen fills them from the household, whose fields are scored once. A value is
compared when the answer or the typing has one; overall accuracy is the share of right
values among those of paired records plus every value of a missed child or household
and of an extra record (each is a value the trainee did not get right).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from libchild.text.fold import fold
from tui.messages import training as msg
from tui.training.answer_key import book_key, key_issue_codes
from tui.training.keystrokes import KeystrokeMeasure
from tui.training.matching import (
    FALLBACK_MIN,
    Person,
    match_adults,
    match_children,
    match_households,
    similarity,
)
from tui.training.records import EnteredChild, TraineeRecords
from tui.training.results import (
    ChildOutcome,
    ErrorKind,
    ExtraRecord,
    FieldError,
    FieldScore,
    LessonOutcome,
    TraineeResult,
)
from tui.training.scenario import Action, ChildRef, KeyChild, Lesson, Scenario, lesson_fields
from tui.training.values import (
    AdultValues,
    ChildValues,
    HouseholdValues,
    clean_child,
    clean_household,
    display,
)

__all__ = ["ADULT_FIELDS", "CHILD_FIELDS", "HOUSEHOLD_FIELDS", "compare", "score_trainee"]

#: The child's fields compared, in the order of the entry screen.
CHILD_FIELDS = (
    "full_name", "sex", "birth_date", "personal_id", "ethnicity", "nationality",
    "schooling", "father_name", "mother_name", "caregiver_name", "circumstances",
    "supports", "death_date",
)
#: The household's own fields compared.
HOUSEHOLD_FIELDS = ("book_number", "village", "address", "poverty")
#: Each adult's fields compared (names of the score, not of the register).
ADULT_FIELDS = ("adult_name", "adult_id", "adult_relation")
_ADULT_ATTR = {"adult_name": "name", "adult_id": "personal_id", "adult_relation": "relation"}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def compare(expected: Any, entered: Any) -> ErrorKind | None:
    """The kind of error of ``entered`` against ``expected`` (both cleaned), None if right.

    >>> compare("Nguyễn Văn An", "Nguyen Van An"), compare("1", "2"), compare(None, None)
    (<ErrorKind.DIACRITICS: 'diacritics'>, <ErrorKind.WRONG: 'wrong'>, None)
    """
    if expected == entered or (_empty(expected) and _empty(entered)):
        return None
    if _empty(entered):
        return ErrorKind.MISSING
    if _empty(expected):
        return ErrorKind.EXTRA
    if isinstance(expected, str) and isinstance(entered, str) and fold(expected) == fold(entered):
        return ErrorKind.DIACRITICS
    return ErrorKind.WRONG


def _shown(field: str, value: Any) -> str:
    if field == "poverty":
        return msg.POVERTY_LABELS.get(value, value or "")
    if field == "adult_relation":
        return msg.RELATION_LABELS.get(value, value or "")
    if field in HOUSEHOLD_FIELDS or field in ADULT_FIELDS:
        return value or ""
    return display(field, value)


class _Tally:
    """Running counts of the score."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[str, int]] = {}
        self.checked = 0
        self.correct = 0

    def add(self, field: str, kind: ErrorKind | None) -> None:
        counts = self.fields.setdefault(field, {"checked": 0, "correct": 0})
        counts["checked"] += 1
        self.checked += 1
        if kind is None:
            counts["correct"] += 1
            self.correct += 1
        else:
            counts[kind.value] = counts.get(kind.value, 0) + 1

    def unmatched(self, values: int) -> None:
        """Values of a missed or extra record: compared, none right."""
        self.checked += values

    def scores(self, order: Sequence[str]) -> tuple[FieldScore, ...]:
        return tuple(FieldScore(field, **self.fields[field]) for field in order
                     if field in self.fields)


def _count_values(values: Any, fields: Sequence[str]) -> int:
    return sum(1 for f in fields if not _empty(getattr(values, f)))


def _compare_fields(tally: _Tally, expected: Any, entered: Any, fields: Sequence[str],
                    where: tuple[str, int, str], attr: dict[str, str] | None = None
                    ) -> list[FieldError]:
    errors = []
    for field in fields:
        name = attr.get(field, field) if attr else field
        a, b = getattr(expected, name), getattr(entered, name)
        if _empty(a) and _empty(b):
            continue
        kind = compare(a, b)
        tally.add(field, kind)
        if kind is not None:
            errors.append(FieldError(where[0], where[1], where[2], field, _shown(field, a),
                                     _shown(field, b), kind))
    return errors


def score_trainee(scenario: Scenario, records: TraineeRecords,
                  measures: Sequence[KeystrokeMeasure] = ()) -> TraineeResult:
    """Score ``records`` (one trainee's register) against ``scenario``'s answer key;
    ``measures`` are the trainee's keystroke measures (may be empty)."""
    on = scenario.reference_date
    key = scenario.key
    tally = _Tally()
    households = {h.household_id: clean_household(h.values) for h in records.households}
    active = [c for c in records.children if c.merged_into is None]
    cleaned = [clean_child(c.values, on) for c in active]
    books = [book_key(households[c.household_id].book_number)
             if c.household_id in households else "" for c in active]
    entered_people = [Person(v.full_name, v.birth_date, b, c.order)
                      for v, b, c in zip(cleaned, books, active, strict=True)]
    key_people = [Person(k.values.full_name, k.values.birth_date, book_key(k.ref.book_number),
                         k.ref.order) for k in key.children]
    pairs = match_children(key_people, entered_people)

    spent = _spent(measures)
    children = []
    for k, child in enumerate(key.children):
        where = (child.ref.book_number, child.ref.order, child.values.full_name or "")
        if k not in pairs:
            tally.unmatched(_count_values(child.values, CHILD_FIELDS))
            children.append(ChildOutcome(child.ref, where[2], None, None))
            continue
        e, kind = pairs[k]
        before = (tally.checked, tally.correct)
        errors = _compare_fields(tally, child.values, cleaned[e], CHILD_FIELDS, where)
        seconds, keys, corrections = spent.get(active[e].record_id, (0.0, 0, 0))
        children.append(ChildOutcome(
            child.ref, where[2], active[e].record_id, kind, tuple(errors),
            tally.checked - before[0], tally.correct - before[1],
            *((seconds, keys, corrections) if measures else (None, None, None))))
    taken = {e for e, _kind in pairs.values()}
    extra = []
    for e, child in enumerate(active):
        if e not in taken:
            tally.unmatched(_count_values(cleaned[e], CHILD_FIELDS))
            book = households[child.household_id].book_number if child.household_id in \
                households else ""
            extra.append(ExtraRecord(child.record_id, book or "", child.order,
                                     cleaned[e].full_name or ""))

    household_errors, missed_books, extra_books = _score_households(
        tally, key, records, households, pairs, active)
    lessons = tuple(_lesson(lesson, scenario, pairs, active, cleaned, entered_people,
                            key_people, taken) for lesson in scenario.lessons)
    keys = sum(m.keys for m in measures)
    seconds = round(sum(m.seconds for m in measures), 3)
    typed = len(active)
    return TraineeResult(
        trainee=records.trainee, scenario_id=scenario.id, scenario_title=scenario.title,
        reference_date=on,
        accuracy=tally.correct / tally.checked if tally.checked else 1.0,
        checked=tally.checked, correct=tally.correct,
        fields=tally.scores((*HOUSEHOLD_FIELDS, *ADULT_FIELDS, *CHILD_FIELDS)),
        children=tuple(children), household_errors=tuple(household_errors),
        missed_books=tuple(missed_books), extra_books=tuple(extra_books), extra=tuple(extra),
        lessons=lessons, keys=keys, corrections=sum(m.corrections for m in measures),
        seconds=seconds,
        keys_per_child=keys / typed if measures and typed else None,
        seconds_per_child=seconds / typed if measures and typed else None)


def _spent(measures: Sequence[KeystrokeMeasure]) -> dict[int, tuple[float, int, int]]:
    """Seconds, keys and corrections per saved record (a child typed twice adds up)."""
    out: dict[int, tuple[float, int, int]] = {}
    for m in measures:
        if m.record_id is None:
            continue
        s, k, c = out.get(m.record_id, (0.0, 0, 0))
        out[m.record_id] = (round(s + m.seconds, 3), k + m.keys, c + m.corrections)
    return out


def _score_households(tally: _Tally, key: Any, records: TraineeRecords,
                      households: dict[int, HouseholdValues],
                      pairs: dict[int, tuple[int, Any]], active: list[EnteredChild]
                      ) -> tuple[list[FieldError], list[str], list[str]]:
    entered_ids = [h.household_id for h in records.households]
    key_books = [book_key(h.book_number) for h in key.households]
    index_of_book = {b: i for i, b in enumerate(key_books)}
    key_of_child = [index_of_book.get(book_key(c.ref.book_number), -1) for c in key.children]
    position = {hid: i for i, hid in enumerate(entered_ids)}
    entered_of_child = {k: position[active[e].household_id] for k, (e, _kind) in pairs.items()
                        if active[e].household_id in position}
    hpairs = match_households(
        key_books, [book_key(households[h].book_number) for h in entered_ids],
        key_of_child, entered_of_child)
    errors: list[FieldError] = []
    missed: list[str] = []
    for k, expected in enumerate(key.households):
        book = expected.book_number or ""
        if k not in hpairs:
            missed.append(book)
            tally.unmatched(_count_values(expected, HOUSEHOLD_FIELDS)
                            + sum(_count_values(a, _ADULT_ATTR.values())
                                  for a in expected.adults))
            continue
        entered = households[entered_ids[hpairs[k]]]
        errors += _compare_fields(tally, expected, entered, HOUSEHOLD_FIELDS, (book, 0, ""))
        adult_pairs = match_adults([a.name for a in expected.adults],
                                   [a.name for a in entered.adults])
        for a, adult in enumerate(expected.adults):
            other = entered.adults[adult_pairs[a]] if a in adult_pairs else AdultValues()
            errors += _compare_fields(tally, adult, other, ADULT_FIELDS, (book, 0, ""),
                                      _ADULT_ATTR)
        for e, adult in enumerate(entered.adults):
            if e not in adult_pairs.values():
                errors += _compare_fields(tally, AdultValues(), adult, ADULT_FIELDS,
                                          (book, 0, ""), _ADULT_ATTR)
    matched = set(hpairs.values())
    extra = []
    for i, hid in enumerate(entered_ids):
        if i not in matched:
            values = households[hid]
            extra.append(values.book_number or "")
            tally.unmatched(_count_values(values, HOUSEHOLD_FIELDS)
                            + sum(_count_values(a, _ADULT_ATTR.values())
                                  for a in values.adults))
    return errors, missed, extra


def _lesson(lesson: Lesson, scenario: Scenario, pairs: dict[int, tuple[int, Any]],
            active: list[EnteredChild], cleaned: list[ChildValues],
            entered_people: list[Person], key_people: list[Person], taken: set[int]
            ) -> LessonOutcome:
    target = lesson.child
    if lesson.action is Action.MERGE:
        target = _duplicate_target(scenario, lesson.child) or target
    index = _key_index(scenario.key.children, target)
    name = scenario.key.children[index].values.full_name or "" if index is not None else ""
    caught = False
    if index is not None and index in pairs:
        e = pairs[index][0]
        if lesson.action is Action.MERGE:
            alone = Person(key_people[index].name, key_people[index].birth)
            caught = not any(
                similarity(alone, Person(p.name, p.birth)) >= FALLBACK_MIN
                for i, p in enumerate(entered_people) if i not in taken)
        else:
            codes = set(active[e].issues) | set(
                key_issue_codes(active[e].values, scenario.reference_date))
            if lesson.action is Action.FLAG:
                caught = lesson.code in codes
            else:
                expected = scenario.key.children[index].values
                caught = lesson.code not in codes and all(
                    compare(getattr(expected, f), getattr(cleaned[e], f)) is None
                    for f in lesson_fields(lesson))
    return LessonOutcome(lesson.id, lesson.title, lesson.explain, lesson.action, lesson.code,
                         lesson.child, name, caught)


def _key_index(children: tuple[KeyChild, ...], ref: ChildRef) -> int | None:
    wanted = (book_key(ref.book_number), ref.order)
    for i, child in enumerate(children):
        if (book_key(child.ref.book_number), child.ref.order) == wanted:
            return i
    return None


def _duplicate_target(scenario: Scenario, ref: ChildRef) -> ChildRef | None:
    for page in scenario.pages:
        if book_key(page.book_number) != book_key(ref.book_number):
            continue
        for child in page.children:
            if child.order == ref.order:
                return child.duplicate_of
    return None

