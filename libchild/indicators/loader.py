"""Read and check an indicator file (TOML), with Vietnamese messages for every mistake.

A file starts with its provenance lines, as the catalogues do (``# source:`` the plan's
document and article, ``# date:`` its date), then a ``[plan]`` table, one
``[[indicator]]`` table per indicator and one ``[[not_computed]]`` table per plan
indicator the register cannot compute. Every problem of a file is reported at once, so
a province officer fixes the file in one pass. The format is documented in
``catalogs/indicators/README.md``.

>>> plans = load_plans()
>>> sorted(plans)[:1]
['ha-noi-ngoc-hoi-2026']
>>> plans["son-la-2026"].indicator("ty_le_dac_biet").target_text()
'< 6,4%'
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any

from libchild.catalog import Catalogs, load
from libchild.dates import CHILD_AGE_LIMIT
from libchild.indicators.model import (
    Direction,
    Filter,
    Indicator,
    NotComputed,
    Plan,
    Unit,
    When,
)
from libchild.messages import indicator_text

__all__ = [
    "FILTER_KEYS",
    "IndicatorFileError",
    "builtin_plan_files",
    "load_plan",
    "load_plans",
    "parse_plan",
]

#: The conditions a numerator or denominator may use (the file's vocabulary).
FILTER_KEYS = ("age", "sex", "ethnicity", "alive", "circumstance", "circumstance_when",
               "support", "support_when", "personal_id", "id_verified")
_WHEN_ALLOWED = {
    "alive": (When.ON_DATE, When.IN_PERIOD),
    "circumstance_when": (When.ON_DATE, When.IN_PERIOD),
    "support_when": (When.IN_PERIOD, When.EVER),
}
_PLAN_KEYS = ("id", "name", "document", "issuer")
_INDICATOR_KEYS = ("id", "name", "source", "unit", "numerator", "denominator", "target",
                   "direction", "note")
_NOT_COMPUTED_KEYS = ("name", "source", "reason")
_ID = re.compile(r"^[a-z0-9_]+$")
_PLAN_ID = re.compile(r"^[a-z0-9-]+$")
#: Group names a circumstance condition may use for all the codes of a group.
CIRCUMSTANCE_GROUPS = ("special", "at_risk", "other")
ANY_SUPPORT = "any"


class IndicatorFileError(ValueError):
    """A broken indicator file; ``problems`` lists each mistake in Vietnamese."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        head = indicator_text("file.problems", path=path, count=len(problems))
        super().__init__(problems[0] if len(problems) == 1 and problems[0].find(path) >= 0
                         else "\n".join([head, *(f"- {p}" for p in problems)]))


def builtin_plan_files() -> list[Path]:
    """The indicator files shipped with the library (``catalogs/indicators/*.toml``)."""
    folder = files("libchild") / "catalogs" / "indicators"
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith(".toml"))


def load_plans(paths: list[str | os.PathLike[str]] | None = None) -> dict[str, Plan]:
    """Load every plan (the shipped ones by default), keyed by plan id."""
    plans: dict[str, Plan] = {}
    for path in paths if paths is not None else builtin_plan_files():
        plan = load_plan(path)
        plans[plan.id] = plan
    return plans


def load_plan(path: str | os.PathLike[str], catalogs: Catalogs | None = None) -> Plan:
    """Read and check one indicator file; raise :class:`IndicatorFileError` if broken."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text("utf-8")
    except FileNotFoundError:
        raise IndicatorFileError(name, [indicator_text("file.missing", path=name)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise IndicatorFileError(
            name, [indicator_text("file.unreadable", path=name, reason=reason)]) from None
    return parse_plan(text, name, catalogs)


def parse_plan(text: str, path: str = "<văn bản>", catalogs: Catalogs | None = None) -> Plan:
    """Check the text of an indicator file and return its :class:`Plan`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = where.groups() if where else ("?", "?")
        raise IndicatorFileError(path, [indicator_text(
            "file.syntax", path=path, line=line, column=column)]) from None
    source, day = _provenance(text)
    checker = _Checker(catalogs or load())
    if source is None or day is None:
        checker.problems.append(indicator_text("file.header", path=path))
    plan = checker.plan(data, source or "", day or "")
    if checker.problems:
        raise IndicatorFileError(path, checker.problems)
    assert plan is not None
    return plan


def plan_from_dict(data: Mapping[str, Any], catalogs: Catalogs | None = None) -> Plan:
    """Rebuild a plan from :meth:`Plan.to_dict` (as a report carries it), checked again."""
    checker = _Checker(catalogs or load())
    body = {"plan": {k: data.get(k) for k in _PLAN_KEYS},
            "indicator": list(data.get("indicators") or ()),
            "not_computed": list(data.get("not_computed") or ())}
    plan = checker.plan(body, str(data.get("source", "")), str(data.get("date", "")))
    if checker.problems:
        raise IndicatorFileError(str(data.get("id", "?")), checker.problems)
    assert plan is not None
    return plan


def _provenance(text: str) -> tuple[str | None, str | None]:
    source = day = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        body = stripped.lstrip("#").strip()
        if body.lower().startswith("source:"):
            source = body[7:].strip() or None
        elif body.lower().startswith("date:"):
            day = body[5:].strip() or None
    return source, day


class _Checker:
    """Collects every problem of a file while building its plan."""

    def __init__(self, catalogs: Catalogs) -> None:
        self.catalogs = catalogs
        self.problems: list[str] = []
        cats = catalogs.circumstances
        self.groups = {g: frozenset(e.code for e in cats if e.group == g)
                       for g in CIRCUMSTANCE_GROUPS}

    def add(self, message: str, **values: Any) -> None:
        self.problems.append(indicator_text(message, **values))

    def plan(self, data: Mapping[str, Any], source: str, day: str) -> Plan | None:
        head = data.get("plan")
        for key in data:
            if key not in ("plan", "indicator", "not_computed"):
                self.add("plan.unknown_key", key=key)
        if not isinstance(head, Mapping):
            self.add("plan.missing")
            head = {}
        for key in head:
            if key not in _PLAN_KEYS:
                self.add("plan.unknown_key", key=key)
        fields = {}
        for key in _PLAN_KEYS:
            value = head.get(key)
            if not isinstance(value, str) or not value.strip():
                if head or key == "id":
                    self.add("plan.field", field=key)
                value = ""
            fields[key] = value.strip()
        if fields["id"] and not _PLAN_ID.match(fields["id"]):
            self.add("plan.field", field="id")
        raw = data.get("indicator") or []
        if not isinstance(raw, list) or not raw:
            self.add("plan.no_indicator")
            raw = []
        indicators: list[Indicator] = []
        seen: set[str] = set()
        for number, item in enumerate(raw, start=1):
            ident = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(ident, str) and ident in seen:
                self.add("indicator.duplicate_id", id=ident)
            seen.add(str(ident))
            indicator = self.indicator(number, item)
            if indicator is not None:
                indicators.append(indicator)
        skipped = []
        for number, item in enumerate(data.get("not_computed") or [], start=1):
            values = {}
            for key in _NOT_COMPUTED_KEYS:
                value = item.get(key) if isinstance(item, Mapping) else None
                if not isinstance(value, str) or not value.strip():
                    self.add("not_computed.field", number=number, field=key)
                    value = ""
                values[key] = value.strip()
            skipped.append(NotComputed(**values))
        if self.problems:
            return None
        return Plan(id=fields["id"], name=fields["name"], document=fields["document"],
                    issuer=fields["issuer"], source=source, date=day,
                    indicators=tuple(indicators), not_computed=tuple(skipped))

    def indicator(self, number: int, item: Any) -> Indicator | None:
        if not isinstance(item, Mapping):
            self.add("indicator.field", number=number, field="id")
            return None
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            self.add("indicator.field", number=number, field="id")
            return None
        if not _ID.match(ident):
            self.add("indicator.bad_id", number=number, id=ident)
        before = len(self.problems)
        for key in item:
            if key not in _INDICATOR_KEYS:
                self.add("indicator.unknown_key", id=ident, key=key)
        texts = {}
        for key in ("name", "source"):
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                self.add("indicator.text", id=ident, key=key)
                value = ""
            texts[key] = value.strip()
        note = item.get("note", "")
        if not isinstance(note, str):
            self.add("indicator.text", id=ident, key="note")
            note = ""
        unit = self._unit(ident, item.get("unit"))
        numerator = self.filter(ident, "numerator", item.get("numerator", {}))
        denominator = None
        if "denominator" in item:
            denominator = self.filter(ident, "denominator", item["denominator"])
            if unit is Unit.COUNT:
                self.add("indicator.count_has_denominator", id=ident)
        elif unit is not None and unit is not Unit.COUNT:
            self.add("indicator.rate_needs_denominator", id=ident)
        target = direction = None
        if "target" in item:
            target = self._target(ident, item["target"])
            if "direction" not in item:
                self.add("indicator.target_needs_direction", id=ident)
        if "direction" in item:
            direction = self._direction(ident, item["direction"])
        if len(self.problems) > before or unit is None or numerator is None:
            return None
        return Indicator(id=ident, name=texts["name"], source=texts["source"], unit=unit,
                         numerator=numerator, denominator=denominator, target=target,
                         direction=direction, note=note.strip())

    def _unit(self, ident: str, value: Any) -> Unit | None:
        allowed = ", ".join(u.value for u in Unit)
        if value is None:
            self.add("indicator.missing", id=ident, field="unit")
            return None
        try:
            return Unit(value)
        except ValueError:
            self.add("indicator.bad_unit", id=ident, value=value, allowed=allowed)
            return None

    def _target(self, ident: str, value: Any) -> Fraction | None:
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise InvalidOperation
            number = Decimal(str(value).strip().replace(",", "."))
            if not number.is_finite() or number < 0:
                raise InvalidOperation
        except InvalidOperation:
            self.add("indicator.bad_target", id=ident, value=value)
            return None
        return Fraction(number)

    def _direction(self, ident: str, value: Any) -> Direction | None:
        try:
            return Direction.parse(value) if isinstance(value, str) else Direction(value)
        except ValueError:
            self.add("indicator.bad_direction", id=ident, value=value,
                     allowed="<, <=, >=, >, ≤, ≥")
            return None

    def filter(self, ident: str, part_key: str, raw: Any) -> Filter | None:
        part = indicator_text(f"part.{part_key}")
        if not isinstance(raw, Mapping):
            self.add("filter.not_table", id=ident, part=part)
            return None
        before = len(self.problems)
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in FILTER_KEYS:
                self.add("filter.unknown", id=ident, part=part, key=key,
                         allowed=", ".join(FILTER_KEYS))
                continue
            if key == "age":
                if (not isinstance(value, list) or len(value) != 2
                        or not all(type(v) is int for v in value)
                        or not 0 <= value[0] <= value[1] < CHILD_AGE_LIMIT):
                    self.add("filter.bad_age", id=ident, part=part)
                    continue
                values["age"] = (value[0], value[1])
            elif key in ("sex", "ethnicity", "circumstance", "support"):
                codes = self._codes(ident, part, key, value)
                if codes is not None:
                    values[key] = codes
            elif key in _WHEN_ALLOWED:
                allowed = _WHEN_ALLOWED[key]
                if value not in [w.value for w in allowed]:
                    self.add("filter.bad_when", id=ident, part=part, key=key,
                             allowed=", ".join(w.value for w in allowed))
                    continue
                values[key] = When(value)
            else:  # personal_id, id_verified
                if not isinstance(value, bool):
                    self.add("filter.bad_value", id=ident, part=part, key=key, value=value)
                    continue
                values[key] = value
        if len(self.problems) > before:
            return None
        return Filter(**values)

    def _codes(self, ident: str, part: str, key: str, value: Any) -> frozenset[str] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(
                isinstance(v, str) for v in value):
            self.add("filter.bad_value", id=ident, part=part, key=key, value=value)
            return None
        catalog = {"sex": self.catalogs.sexes, "ethnicity": self.catalogs.ethnicities,
                   "circumstance": self.catalogs.circumstances,
                   "support": self.catalogs.supports}[key]
        codes: set[str] = set()
        ok = True
        for code in value:
            if key == "circumstance" and code in self.groups:
                codes |= self.groups[code]
            elif key == "support" and code == ANY_SUPPORT:
                codes |= catalog.codes()
            elif code in catalog:
                codes.add(code)
            else:
                self.add("filter.unknown_code", id=ident, part=part, code=code,
                         catalog=indicator_text(f"catalog.{catalog.name}"))
                ok = False
        return frozenset(codes) if ok else None
