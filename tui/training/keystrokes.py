"""Keystroke measures: counts and timings of typing, never the typed text (issue 12 item 6).

A :class:`KeystrokeMeasure` says how long a trainee worked on one child of the form and
how many keys they pressed (and how many of them were corrections); it links to the
child only through the register's record id once the child is saved. It has no field
that could hold what was typed, not even the book number: personal data minimisation
(Luật 91/2025/QH15; docs/decisions.md "Training"). :class:`FormKeys` is what the entry
screen feeds, one call per key, to make them (see its example).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

import attrs

__all__ = ["CORRECTION_KEYS", "IDLE_GAP_SECONDS", "FormKeys", "KeystrokeMeasure", "KeystrokeSource"]

#: A pause longer than this between two keys counts as this long: a trainee who leaves
#: the room does not make a child look slow (docs/decisions.md "Training").
IDLE_GAP_SECONDS = 60.0

#: Textual's names of the keys that count as corrections (Backspace, Delete).
CORRECTION_KEYS = frozenset({"backspace", "delete", "ctrl+h"})


def _non_negative(_: object, attribute: attrs.Attribute, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{attribute.name} must be a finite number >= 0, not {value!r}")


def _position(_: object, attribute: attrs.Attribute, value: int) -> None:
    if not (isinstance(value, int) and value >= 1):
        raise ValueError(f"{attribute.name} must be a position from 1, not {value!r}")


@attrs.frozen(slots=True)
class KeystrokeMeasure:
    """Typing of one child of the form: counts and timings only.

    ``record_id``: the register's id of the child once saved (None if never saved);
    ``order``: the child's position on the form (1 for the first child of a book);
    ``started_at``: when typing for this child began (UTC); ``seconds``: time spent on
    it, pauses capped at :data:`IDLE_GAP_SECONDS`; ``keys``: keys pressed (letters,
    digits, editing and moving keys); ``corrections``: how many of them were Backspace
    or Delete.
    """

    record_id: int | None
    order: int = attrs.field(validator=_position)
    started_at: datetime
    seconds: float = attrs.field(validator=_non_negative)
    keys: int = attrs.field(validator=_non_negative)
    corrections: int = attrs.field(validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        if self.corrections > self.keys:
            raise ValueError("corrections cannot exceed keys")


class KeystrokeSource(Protocol):
    """Where keystroke measures come from (the service layer, per training session)."""

    def keystroke_measures(self, trainee: str) -> Sequence[KeystrokeMeasure]:
        """Every measure of ``trainee`` in the session, oldest first."""
        ...


@attrs.define
class FormKeys:
    """Keys and time of one household form, per child of the form; never the text.

    Each key is counted for the child the form is on when it is pressed (the book's
    household and adult fields, typed before the first child, count for that child); the
    time since the previous key, capped at :data:`IDLE_GAP_SECONDS`, goes with it.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2025, 9, 1, 8, 0, tzinfo=timezone.utc)
    >>> form = FormKeys()
    >>> for clock, child in ((0.0, 0), (1.0, 0), (2.0, 1), (500.0, 1)):
    ...     form.key(child, clock=clock, at=at)
    >>> form.key(1, clock=501.0, at=at, correction=True)
    >>> form.key(2, clock=502.0, at=at)  # F2 pressed on the blank third child
    >>> [(m.record_id, m.order, m.keys, m.corrections, m.seconds)
    ...  for m in form.measures([(0, 11), (1, 12)])]
    [(11, 1, 2, 0, 1.0), (12, 2, 4, 1, 63.0)]
    """

    _last: float | None = None
    _children: dict[int, list[float]] = attrs.Factory(dict)
    _started: dict[int, datetime] = attrs.Factory(dict)

    def key(self, child: int, *, clock: float, at: datetime, correction: bool = False) -> None:
        """Count one key pressed while the form is on child ``child`` (0-based)."""
        gap = 0.0 if self._last is None else min(max(clock - self._last, 0.0),
                                                 IDLE_GAP_SECONDS)
        self._last = clock
        seconds_keys_corrections = self._children.setdefault(child, [0.0, 0, 0])
        self._started.setdefault(child, at)
        seconds_keys_corrections[0] += gap
        seconds_keys_corrections[1] += 1
        seconds_keys_corrections[2] += int(correction)

    def measures(self, saved: Sequence[tuple[int, int | None]]) -> tuple[KeystrokeMeasure, ...]:
        """The measures of the children ``saved``: (index on the form, record id) pairs,
        in form order. Keys and time spent on a child of the form that was not saved (the
        blank child the form moved on to, where F2 was pressed) count for the last child
        saved, so that every key of the form is counted once."""
        if not saved:
            return ()
        totals = {index: list(self._children.get(index, (0.0, 0, 0))) for index, _ in saved}
        last = saved[-1][0]
        for index, counts in self._children.items():
            if index not in totals:
                totals[last] = [a + b for a, b in zip(totals[last], counts, strict=True)]
        started = [at for _, at in sorted(self._started.items())]
        out = []
        for index, record_id in saved:
            seconds, keys, corrections = totals[index]
            if not keys:
                continue
            at = self._started.get(index) or (started[-1] if started else datetime.now(UTC))
            out.append(KeystrokeMeasure(record_id, index + 1, at, round(seconds, 3),
                                        int(keys), int(corrections)))
        return tuple(out)

    def reset(self) -> None:
        """Start over for the next household form."""
        self._last = None
        self._children.clear()
        self._started.clear()
