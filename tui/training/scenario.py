"""A training scenario as data: household-book pages as written, the answer key, lessons.

A scenario is what a trainer hands out: pages of the paper book "Sổ theo dõi trẻ em
trong gia đình" exactly as they are written (old fonts, odd date formats, a child listed
twice included), the answer key (what the register should hold after correct entry,
built by :mod:`tui.training.answer_key`) and the lessons the pages carry. Each lesson
names the libchild issue code, or the register check (the duplicate review), that the
trainee is expected to catch, and how catching it shows in the register
(:class:`Action`). Scenario files are read by :mod:`tui.training.loader`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from libchild.messages import MESSAGES
from tui.training.values import ChildValues, HouseholdValues

__all__ = [
    "Action",
    "AnswerKey",
    "ChildRef",
    "KeyChild",
    "Lesson",
    "Page",
    "Scenario",
    "WrittenAdult",
    "WrittenChild",
    "WrittenCircumstance",
    "WrittenSupport",
    "lesson_fields",
]


class Action(StrEnum):
    """How catching a lesson shows in the trainee's register.

    - ``flag``: the page is right but unusual; typed as written, the register flags the
      record with the lesson's issue code (an ID whose structure disagrees with the sex,
      a missing ID, a child aged 16). Caught when the record carries the code.
    - ``avoid``: the page holds a trap that correct typing removes (a name in the old
      TCVN3 font, a caregiver that must be picked for an orphan). Caught when the record
      does not carry the code and the lesson's fields are right.
    - ``merge``: the same child is listed twice; the register must end with one record
      (entered once, or merged in the duplicate review). The code is the
      ``libchild.find_duplicates`` reason the pair shows.
    """

    FLAG = "flag"
    AVOID = "avoid"
    MERGE = "merge"


@attrs.frozen(slots=True)
class ChildRef:
    """A child of the scenario: the book number and the child's position in that book."""

    book_number: str
    order: int


@attrs.frozen(slots=True)
class WrittenAdult:
    """An adult line of a page, as written: name, ID number, relation to the children."""

    name: str
    personal_id: str = ""
    relation: str = ""


@attrs.frozen(slots=True)
class WrittenCircumstance:
    """A circumstance as written: what (a name or a code) and the dates it began/ended."""

    what: str
    since: str = ""
    until: str = ""


@attrs.frozen(slots=True)
class WrittenSupport:
    """A support as written: what (a name or a code) and the date it was given."""

    what: str
    date: str = ""


@attrs.frozen(slots=True)
class WrittenChild:
    """A child line of a page, as written. ``father``, ``mother``, ``caregiver`` are the
    numbers of adults of the page (1-3; 0 for none); ``duplicate_of`` marks a second
    listing of a child already on a page of the scenario."""

    order: int
    full_name: str
    sex: str = ""
    birth_date: str = ""
    personal_id: str = ""
    ethnicity: str = ""
    nationality: str = ""
    schooling: str = ""
    father: int = 0
    mother: int = 0
    caregiver: int = 0
    circumstances: tuple[WrittenCircumstance, ...] = ()
    supports: tuple[WrittenSupport, ...] = ()
    death_date: str = ""
    note: str = ""
    duplicate_of: ChildRef | None = None


@attrs.frozen(slots=True)
class Page:
    """One page of the household book, as written."""

    book_number: str
    village: str
    address: str = ""
    poverty: str = ""
    adults: tuple[WrittenAdult, ...] = ()
    children: tuple[WrittenChild, ...] = ()
    note: str = ""


@attrs.frozen(slots=True)
class Lesson:
    """What a page teaches. ``code`` is a libchild issue code (``flag``, ``avoid``) or a
    ``libchild.find_duplicates`` reason (``merge``); ``fields`` the canonical fields that
    must be right for an ``avoid`` lesson to count as caught; ``title`` and ``explain``
    are the trainer's Vietnamese words shown in the results."""

    id: str
    action: Action
    code: str
    child: ChildRef
    title: str
    explain: str
    fields: tuple[str, ...] = ()
    expect: str | None = None


@attrs.frozen(slots=True)
class KeyChild:
    """A child of the answer key: where it is in the books and its cleaned values."""

    ref: ChildRef
    values: ChildValues


@attrs.frozen(slots=True)
class AnswerKey:
    """What the register should hold after correct entry of every page."""

    households: tuple[HouseholdValues, ...]
    children: tuple[KeyChild, ...]


@attrs.frozen(slots=True)
class Scenario:
    """A checked scenario (see :func:`tui.training.loader.load_scenario`)."""

    id: str
    title: str
    level: int
    summary: str
    reference_date: date
    commune_code: str
    province_code: str
    pages: tuple[Page, ...]
    lessons: tuple[Lesson, ...]
    key: AnswerKey
    source: str = ""


def lesson_fields(lesson: Lesson) -> tuple[str, ...]:
    """The fields a ``flag`` or ``avoid`` lesson is about: as the file lists them, else
    the field of its issue code (none for a ``merge`` lesson)."""
    if lesson.fields:
        return lesson.fields
    message = MESSAGES.get(lesson.code)
    return (message.field,) if message is not None and message.field else ()
