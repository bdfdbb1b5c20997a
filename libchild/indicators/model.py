"""Indicators of a plan, as data: what is counted, the target and its direction.

An :class:`Indicator` counts children of the register: its ``denominator`` is a
:class:`Filter` over the children under 16 (Luật Trẻ em 2016, Điều 1) and its
``numerator`` a further :class:`Filter` over those same children, so a rate is never
above 100%. A ``count`` indicator has no denominator. The value of an indicator is
``numerator × scale / denominator`` (scale 100 for %, 1,000 for ‰, 100,000 for "per
100,000 children"); whether the target is met is decided on exact fractions, never on
rounded floats. The file format is described in ``catalogs/indicators/README.md``.

>>> rate = Indicator("dac_biet", "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", "Chỉ tiêu 11",
...                  Unit.PERCENT, Filter(circumstance=frozenset({"DB01"})), Filter(),
...                  target=Fraction(64, 10), direction=Direction.BELOW)
>>> rate.value(3, 200)
Fraction(3, 2)
>>> rate.met(3, 200), rate.display(3, 200), rate.target_text()
(True, '1,50%', '< 6,4%')
>>> rate.value(0, 0) is None
True
"""

from __future__ import annotations

import enum
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

__all__ = [
    "AGE_GROUPS",
    "Direction",
    "Filter",
    "Indicator",
    "NotComputed",
    "Plan",
    "Unit",
    "When",
    "format_number",
]

#: Age groups of the report's breakdown, in completed years, inclusive.
AGE_GROUPS: tuple[tuple[int, int], ...] = ((0, 2), (3, 5), (6, 10), (11, 15))


class Unit(enum.Enum):
    """How an indicator's value is expressed; the file writes the value."""

    PERCENT = "%"
    PER_MILLE = "‰"
    PER_100000 = "/100000"
    COUNT = "count"

    @property
    def scale(self) -> int:
        """The factor applied to numerator / denominator."""
        return {"%": 100, "‰": 1000, "/100000": 100000, "count": 1}[self.value]

    @property
    def suffix(self) -> str:
        """What follows a value on screen and in the workbook."""
        return {"%": "%", "‰": "‰", "/100000": "/100.000 trẻ", "count": " trẻ"}[self.value]


class Direction(enum.Enum):
    """How a value compares with the target for the target to be met."""

    BELOW = "<"
    AT_MOST = "<="
    AT_LEAST = ">="
    ABOVE = ">"

    @property
    def symbol(self) -> str:
        """The sign shown to people (≤ and ≥ rather than <= and >=)."""
        return {"<": "<", "<=": "≤", ">=": "≥", ">": ">"}[self.value]

    @property
    def lower_is_better(self) -> bool:
        """Whether a smaller value is the aim (for ranking communes)."""
        return self in (Direction.BELOW, Direction.AT_MOST)

    def holds(self, value: Fraction, target: Fraction) -> bool:
        """Return whether ``value`` meets ``target`` in this direction."""
        if self is Direction.BELOW:
            return value < target
        if self is Direction.AT_MOST:
            return value <= target
        if self is Direction.AT_LEAST:
            return value >= target
        return value > target

    @classmethod
    def parse(cls, text: str) -> Direction:
        """Read ``<``, ``<=``/``≤``, ``>=``/``≥`` or ``>``; ValueError otherwise."""
        return cls({"≤": "<=", "≥": ">="}.get(text.strip(), text.strip()))


class When(enum.Enum):
    """When a dated fact must hold: on the reference date, within the period, or ever."""

    ON_DATE = "on_date"
    IN_PERIOD = "in_period"
    EVER = "ever"


@attrs.frozen
class Filter:
    """A conjunction of conditions on a child; an empty filter keeps every child.

    ``age``: completed years on the reference date, inclusive (within 0-15).
    ``sex``/``ethnicity``: catalogue codes, any of. ``alive``: alive on the reference
    date (``ON_DATE``) or at some time in the period (``IN_PERIOD``); ``None`` adds no
    condition (the denominator then means ``ON_DATE``). ``circumstance``: any of these
    codes, active on the date or during the period (``circumstance_when``).
    ``support``: any of these forms received within the period or ever up to the
    reference date (``support_when``). ``personal_id``/``id_verified``: has a personal ID
    number / one the police verified (``None``: no condition).
    """

    age: tuple[int, int] | None = None
    sex: frozenset[str] = frozenset()
    ethnicity: frozenset[str] = frozenset()
    alive: When | None = None
    circumstance: frozenset[str] = frozenset()
    circumstance_when: When = When.ON_DATE
    support: frozenset[str] = frozenset()
    support_when: When = When.IN_PERIOD
    personal_id: bool | None = None
    id_verified: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The filter as the indicator file writes it (only the conditions set)."""
        out: dict[str, Any] = {}
        if self.age is not None:
            out["age"] = list(self.age)
        for key in ("sex", "ethnicity", "circumstance", "support"):
            codes = getattr(self, key)
            if codes:
                out[key] = sorted(codes)
        if self.alive is not None:
            out["alive"] = self.alive.value
        if self.circumstance:
            out["circumstance_when"] = self.circumstance_when.value
        if self.support:
            out["support_when"] = self.support_when.value
        for key in ("personal_id", "id_verified"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def format_number(value: Fraction | Decimal | int, places: int = 2) -> str:
    """Vietnamese notation: decimal comma, dot between thousands, ``places`` decimals.

    Rounds half away from zero, as people round by hand.

    >>> format_number(Fraction(12345678, 1000)), format_number(Fraction(1, 3), 0)
    ('12.345,68', '0')
    >>> format_number(Decimal("6.4"), 1), format_number(Fraction(5, 8))
    ('6,4', '0,63')
    """
    quant = Decimal(1).scaleb(-places)
    number = (Decimal(value.numerator) / Decimal(value.denominator)
              if isinstance(value, Fraction) else Decimal(value))
    rounded = number.quantize(quant, rounding="ROUND_HALF_UP")
    text = f"{rounded:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@attrs.frozen
class Indicator:
    """One indicator of a plan (see the module docstring)."""

    id: str
    name: str
    source: str
    unit: Unit
    numerator: Filter
    denominator: Filter | None
    target: Fraction | None = None
    direction: Direction | None = None
    note: str = ""

    @property
    def is_rate(self) -> bool:
        """Whether the value is a ratio (has a denominator)."""
        return self.unit is not Unit.COUNT

    def value(self, numerator: int, denominator: int) -> Fraction | None:
        """The value in the indicator's unit; None for a rate over no child."""
        if not self.is_rate:
            return Fraction(numerator)
        if denominator <= 0:
            return None
        return Fraction(numerator * self.unit.scale, denominator)

    def met(self, numerator: int, denominator: int) -> bool | None:
        """Whether the target is met; None without a target or without a value."""
        value = self.value(numerator, denominator)
        if value is None or self.target is None or self.direction is None:
            return None
        return self.direction.holds(value, self.target)

    def display(self, numerator: int, denominator: int) -> str:
        """The value as people read it ("1,50%", "12 trẻ"); "—" without a value."""
        value = self.value(numerator, denominator)
        if value is None:
            return "—"
        if not self.is_rate:
            return format_number(value, 0) + self.unit.suffix
        return format_number(value) + self.unit.suffix

    def target_text(self) -> str:
        """The target as the plan states it ("< 1%", "≥ 98,6%"); "" without one."""
        if self.target is None or self.direction is None:
            return ""
        places = 0 if self.target.denominator == 1 else 2
        number = format_number(self.target, places).rstrip("0").rstrip(",") if places else (
            format_number(self.target, 0))
        return f"{self.direction.symbol} {number}{self.unit.suffix}"

    def to_dict(self) -> dict[str, Any]:
        """The indicator as its file writes it, codes sorted (the canonical form)."""
        out: dict[str, Any] = {
            "id": self.id, "name": self.name, "source": self.source, "unit": self.unit.value,
            "numerator": self.numerator.to_dict(),
        }
        if self.denominator is not None:
            out["denominator"] = self.denominator.to_dict()
        if self.target is not None:
            out["target"] = _fraction_text(self.target)
        if self.direction is not None:
            out["direction"] = self.direction.value
        if self.note:
            out["note"] = self.note
        return out


def _fraction_text(value: Fraction) -> str:
    """Exact decimal text of a target read from a file (targets have few decimals)."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@attrs.frozen
class NotComputed:
    """An indicator of the plan the register cannot compute, and why."""

    name: str
    source: str
    reason: str


@attrs.frozen
class Plan:
    """A plan's indicators, with where they come from.

    ``id`` names the plan in reports (communes merged together must share it);
    ``source`` and ``date`` are the file's ``#`` provenance lines.
    """

    id: str
    name: str
    document: str
    issuer: str
    source: str
    date: str
    indicators: tuple[Indicator, ...]
    not_computed: tuple[NotComputed, ...] = ()

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError if none)."""
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def to_dict(self) -> dict[str, Any]:
        """The plan in the canonical form that reports carry and digest."""
        return {
            "id": self.id, "name": self.name, "document": self.document,
            "issuer": self.issuer, "source": self.source, "date": self.date,
            "indicators": [i.to_dict() for i in self.indicators],
            "not_computed": [attrs.asdict(n) for n in self.not_computed],
        }

