"""The register's children as report facts (``libchild.indicators.ChildFacts``), streamed.

Three cursors are read side by side, each ordered by child id: the children, their
circumstance episodes and their supports; a merge join hands out one child's facts at
a time, so memory stays flat whatever the register's size (only the set of children
whose number the police verified is held, a few bytes per verified child). Nothing here
checks a permission: ``tui.services.reports`` decides the villages and whether the
sensitive facts (ethnicity, circumstances, supports) are read at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import peewee

from libchild.indicators import ChildFacts, Episode, SupportGiven
from tui.store import tenancy
from tui.store.children import living_sql
from tui.store.database import run
from tui.store.police import verified_ids

__all__ = ["stream_facts"]


def _day(text: str | None) -> date | None:
    """An ISO date of the register; None when absent or unreadable (counted apart)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _village_clause(villages: frozenset[int] | None, alias: str) -> tuple[str, tuple[Any, ...]]:
    if villages is None:
        return "", ()
    if not villages:
        return " AND 0 = 1", ()
    marks = ",".join("?" * len(villages))
    return f" AND {alias}.village_id IN ({marks})", tuple(sorted(villages))


def stream_facts(db: peewee.Database, *, villages: frozenset[int] | None = None,
                 sensitive: bool = True) -> Iterator[ChildFacts]:
    """Every child of the register (in ``villages`` when given), dead or alive, as facts.

    ``sensitive`` False leaves out ethnicity, circumstance episodes and supports (they
    are not even read). Children are yielded in id order.
    """
    where, params = _village_clause(villages, "c")
    here, communes = tenancy.where(db, "c"), tenancy.where_params(db)
    children = run(db, "SELECT c.id, c.birth_date, c.sex, c.ethnicity, c.village, "
                   "c.personal_id, c.death_date FROM child c WHERE "
                   f"{living_sql('c')}{here}{where} ORDER BY c.id", (*communes, *params))
    verified = verified_ids(db)
    episodes = supports = None
    if sensitive:
        episodes = run(db, "SELECT k.child_id, k.code, k.start_date, k.end_date "
                       f"FROM child_circumstance k WHERE 1 = 1{tenancy.where(db, 'k')} "
                       "ORDER BY k.child_id, k.id", communes)
        supports = run(db, "SELECT s.child_id, s.form, s.date FROM support s "
                       f"WHERE 1 = 1{tenancy.where(db, 's')} ORDER BY s.child_id, s.id",
                       communes)
    next_episode = next(episodes, None) if episodes is not None else None
    next_support = next(supports, None) if supports is not None else None
    for child_id, birth, sex, ethnicity, village, personal_id, death in children:
        held: list[Episode] = []
        given: list[SupportGiven] = []
        while next_episode is not None and next_episode[0] <= child_id:
            if next_episode[0] == child_id:
                held.append(Episode(next_episode[1], _day(next_episode[2]),
                                    _day(next_episode[3])))
            next_episode = next(episodes, None)  # type: ignore[arg-type]
        while next_support is not None and next_support[0] <= child_id:
            if next_support[0] == child_id:
                given.append(SupportGiven(next_support[1], _day(next_support[2])))
            next_support = next(supports, None)  # type: ignore[arg-type]
        has_id = bool(personal_id)
        yield ChildFacts(
            birth_date=_day(birth), sex=sex or None,
            ethnicity=(ethnicity or None) if sensitive else None,
            village=village or "", has_personal_id=has_id,
            id_verified=has_id and child_id in verified, death_date=_day(death),
            episodes=tuple(held), supports=tuple(given))
