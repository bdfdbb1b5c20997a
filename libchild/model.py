"""The record model: attrs classes with the canonical field names.

The canonical field names are what the app, the spreadsheets and other projects rely
on (issue 2 item 5; docs/rules.md). ``to_dict`` gives a plain JSON-safe dict (dates as
ISO strings); ``from_dict`` is strict: it is for canonical data (codes, ISO dates), not
for values as typed by a person, which go through ``libchild.clean`` first.

>>> from datetime import date
>>> child = Child(full_name="Lò Thị Mai", sex="2", birth_date=date(2019, 4, 2),
...               supports=[Support("TG01", date(2024, 5, 1))])
>>> d = to_dict(child)
>>> d["birth_date"], d["nationality"], d["supports"]
('2019-04-02', 'VN', [{'form': 'TG01', 'date': '2024-05-01'}])
>>> from_dict(d) == child
True
>>> from_dict({"full_name": "Lò Thị Mai", "age": 5})
Traceback (most recent call last):
...
ValueError: extra fields found (age) @ Child
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

import attrs
import cattrs

__all__ = [
    "CANONICAL_FIELDS",
    "Caregiver",
    "Child",
    "Circumstance",
    "Support",
    "converter",
    "from_dict",
    "to_dict",
]

T = TypeVar("T")


@attrs.define(slots=True)
class Support:
    """One support received: form code (TG01-TG05) and the date it was given."""

    form: str
    date: date | None = None


@attrs.define(slots=True)
class Circumstance:
    """A dated episode of one circumstance code (DB, NC or KH group), as the app keeps it."""

    code: str
    start: date | None = None
    end: date | None = None
    note: str = ""


@attrs.define(slots=True)
class Caregiver:
    """A person caring for the child: personal ID number, name, relation to the child."""

    personal_id: str | None = None
    name: str | None = None
    relation: str | None = None


@attrs.define(slots=True)
class Child:
    """One child of the register, with the canonical fields in their documented order.

    Codes are strings with their leading zeros: sex ``"1"``/``"2"``, ethnicity ``"08"``,
    commune ``"04045"``, province ``"14"``; ``circumstances`` is a list of codes.
    """

    personal_id: str | None = None
    full_name: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    nationality: str | None = "VN"
    current_address: str | None = None
    address_detail: str | None = None
    schooling: str | None = None
    village: str | None = None
    commune_code: str | None = None
    province_code: str | None = None
    caregiver_id: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    caregiver_name: str | None = None
    circumstances: list[str] = attrs.field(factory=list)
    supports: list[Support] = attrs.field(factory=list)
    death_date: date | None = None


CANONICAL_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Child))

converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_unstructure_hook(date, date.isoformat)


def _structure_date(value: Any, _: type) -> date:
    if type(value) is date:
        return value
    if isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value)
    if isinstance(value, datetime):
        raise ValueError(f"expected a date, not a date and time: {value!r}")
    raise ValueError(f"expected an ISO date YYYY-MM-DD: {value!r}")


def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"expected text: {value!r}")


def _structure_list_str(value: Any, _: type) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list of codes: {value!r}")
    return [_structure_str(v, str) for v in value]


converter.register_structure_hook(date, _structure_date)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook_func(lambda t: t == list[str], _structure_list_str)


def to_dict(obj: Any) -> dict[str, Any]:
    """Return ``obj`` (a Child, Caregiver, Circumstance or Support) as a JSON-safe dict."""
    return converter.unstructure(obj)


def from_dict(data: dict[str, Any], cls: type[T] = Child) -> T:  # type: ignore[assignment]
    """Build a ``cls`` instance from canonical data; strict about keys and types.

    Raises ValueError naming every field that is wrong (unknown key, text where a list
    is expected, a date that is not ISO ``YYYY-MM-DD``...). Missing keys take their
    defaults.
    """
    try:
        return converter.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        raise ValueError("; ".join(cattrs.transform_error(exc, path=cls.__name__))) from None
    except (TypeError, AttributeError) as exc:
        raise ValueError(f"{cls.__name__}: expected a dict of fields: {exc}") from None
