"""The facts about each child that reports are computed from, and where they come from.

:class:`ChildFacts` holds, for one child of the register (not merged away), only what an
indicator can ask about: birth date, sex, ethnicity, village, the personal ID number's
presence and police verification (with their dates when known), the date of death,
the dated circumstance episodes and the dated supports. No name, no ID number: the
facts are not personal data on their own, but are still kept in memory only.

A :class:`FactsSource` yields them. The service layer provides one over SQLite or
PostgreSQL; :class:`ListSource` serves tests and other projects;
:func:`facts_from_canonical` turns the canonical dicts of ``libchild.model`` (what the
spreadsheets and ``libchild check`` use) into facts.

>>> f = facts_from_canonical({"birth_date": "2019-04-02", "sex": "2", "village": "Bản Nà",
...     "personal_id": "014219000123", "id_verified": True,
...     "circumstances": [{"code": "DB04", "start": "2024-03-10", "end": None}],
...     "supports": [{"form": "TG01", "date": "2024-05-01"}]})
>>> f.episodes[0].start, f.supports[0].form, f.has_personal_id, f.id_verified
(datetime.date(2024, 3, 10), 'TG01', True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = [
    "Area",
    "ChildFacts",
    "Episode",
    "FactsSource",
    "ListSource",
    "SupportGiven",
    "facts_from_canonical",
]


@attrs.frozen(slots=True)
class Episode:
    """One circumstance code held from ``start`` to ``end`` (both included).

    ``start`` None: held since before anything was recorded (counts from birth);
    ``end`` None: still held.
    """

    code: str
    start: date | None = None
    end: date | None = None


@attrs.frozen(slots=True)
class SupportGiven:
    """One support of form ``form`` (TG01-TG05) given on ``day`` (None: date unknown).

    A support without a date counts for "ever" conditions, never for "in the period".
    """

    form: str
    day: date | None = None


@attrs.frozen(slots=True)
class ChildFacts:
    """What reports know about one child (see the module docstring).

    ``birth_date`` None: the child cannot be aged and is left out of every figure
    (counted in ``Figures.no_birth_date``). ``village`` is the village name as the
    register keeps it ("" when unknown). ``has_personal_id``: the register holds a
    12-digit number; ``personal_id_since``: since when (None: date unknown, counts on
    every date). ``id_verified``: the police verified the current number (step 4);
    ``id_verified_since`` likewise. ``death_date``: the recorded date of death.
    """

    birth_date: date | None
    sex: str | None = None
    ethnicity: str | None = None
    village: str = ""
    has_personal_id: bool = False
    id_verified: bool = False
    death_date: date | None = None
    episodes: tuple[Episode, ...] = ()
    supports: tuple[SupportGiven, ...] = ()
    personal_id_since: date | None = None
    id_verified_since: date | None = None


@attrs.frozen
class Area:
    """The commune (or province) a report is about.

    ``code`` is the 5-digit commune code (2-digit for a province), ``province_code`` the
    2-digit province code, ``villages`` the village names in the order the commune lists
    them (villages with children but not listed come after, by name).
    """

    code: str
    name: str
    province_code: str
    villages: tuple[str, ...] = ()


@runtime_checkable
class FactsSource(Protocol):
    """Where the facts of one commune come from (the service layer implements it).

    ``area()`` names the commune. ``child_facts()`` yields one :class:`ChildFacts` per
    child of the register that is not merged into another record, dead or alive, of
    any age (the evaluator applies the scope rules); it is iterated once per report.
    """

    def area(self) -> Area:
        """The commune the facts are about."""
        ...

    def child_facts(self) -> Iterable[ChildFacts]:
        """Every child's facts, in any order."""
        ...


@attrs.frozen
class ListSource:
    """A :class:`FactsSource` over facts already in memory."""

    the_area: Area
    facts: tuple[ChildFacts, ...]

    def area(self) -> Area:
        """The commune the facts are about."""
        return self.the_area

    def child_facts(self) -> Iterator[ChildFacts]:
        """The facts given."""
        return iter(self.facts)


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


def facts_from_canonical(child: Mapping[str, Any]) -> ChildFacts:
    """Facts from a canonical child dict (``libchild.model`` names, ISO dates).

    ``circumstances`` may be codes (held with no dates) or ``{code, start, end}``;
    ``supports`` ``{form, date}``; ``id_verified`` True once the police confirmed the
    number (without it, a record that has a number counts as verified, as the old
    report did). A date that cannot be read counts as unknown.
    """
    episodes = []
    for item in child.get("circumstances") or ():
        if isinstance(item, str):
            episodes.append(Episode(item))
        elif _get(item, "code"):
            episodes.append(Episode(str(_get(item, "code")), _day(_get(item, "start")),
                                    _day(_get(item, "end"))))
    supports = tuple(SupportGiven(str(_get(s, "form")), _day(_get(s, "date")))
                     for s in child.get("supports") or () if _get(s, "form"))
    has_id = bool(child.get("personal_id"))
    verified = child.get("id_verified")
    return ChildFacts(
        birth_date=_day(child.get("birth_date")),
        sex=child.get("sex") or None,
        ethnicity=child.get("ethnicity") or None,
        village=str(child.get("village") or ""),
        has_personal_id=has_id,
        id_verified=has_id and verified is not False,
        death_date=_day(child.get("death_date")),
        episodes=tuple(episodes),
        supports=supports,
    )
