"""The register's values of a household and a child, cleaned and shown.

:class:`ChildValues` holds what the register keeps for a child (the libchild canonical
fields, circumstances as dated episodes, supports with their dates) and
:class:`HouseholdValues` what it keeps for a household book (book number, village,
address, poverty, up to three adults). The answer key of a scenario and a trainee's
records are both made of them, so scoring compares like with like.

:func:`clean_child` and :func:`clean_household` put values in the register's canonical
form through ``libchild.clean`` (the one rule engine), so that "nguyen van an" and
"Nguyễn Văn An" differ only in diacritics, "Nam" and "1" not at all. :func:`display`
turns a canonical value into what a person reads (names of codes, dd/mm/yyyy).

>>> from datetime import date
>>> raw = ChildValues(full_name="nguyen van an", sex="Nam", birth_date="5/9/2018")
>>> c = clean_child(raw, on=date(2025, 9, 1))
>>> c.full_name, c.sex, c.birth_date
('Nguyen Van An', '1', '2018-09-05')
>>> display("sex", c.sex), display("birth_date", c.birth_date)
('1 Nam', '05/09/2018')
"""

from __future__ import annotations

import functools
import unicodedata
from datetime import date
from typing import Any

import attrs

import libchild
from libchild import catalog
from libchild.dates import parse_date
from libchild.model import CANONICAL_FIELDS

__all__ = [
    "CHILD_SCALARS",
    "POVERTY",
    "RELATIONS",
    "AdultValues",
    "ChildValues",
    "CircumstanceValue",
    "HouseholdValues",
    "SupportValue",
    "child_record",
    "clean_child",
    "clean_household",
    "display",
    "iso_date",
]

#: Household poverty as the register keeps it (the entry form's codes 0/1/2).
POVERTY = ("none", "poor", "near_poor")
#: An adult's relation to the household's children as the register keeps it.
RELATIONS = ("father", "mother", "guardian")


@attrs.frozen(slots=True)
class CircumstanceValue:
    """One dated circumstance episode: code (DB, NC or KH group), start and end (ISO)."""

    code: str
    start: str | None = None
    end: str | None = None


@attrs.frozen(slots=True)
class SupportValue:
    """One support received: form code (TG01-TG05) and its date (ISO)."""

    form: str
    date: str | None = None


@attrs.frozen(slots=True)
class ChildValues:
    """What the register holds for one child: the libchild canonical scalar fields (text
    as stored: codes, ISO dates, compact ID numbers) plus dated circumstances and supports.

    The fields are those of :class:`libchild.model.Child`, in its order (a test keeps them
    so), but typed as the register stores them: a date column may hold text that is not
    a date, and circumstances are dated episodes, not bare codes.
    """

    personal_id: str | None = None
    full_name: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    nationality: str | None = None
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
    circumstances: tuple[CircumstanceValue, ...] = ()
    supports: tuple[SupportValue, ...] = ()
    death_date: str | None = None


#: The scalar fields of ChildValues: libchild's canonical fields but the two lists.
CHILD_SCALARS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("circumstances", "supports"))


@attrs.frozen(slots=True)
class AdultValues:
    """An adult of the household book: name, ID number (12 or old 9 digits), relation
    (one of :data:`RELATIONS`)."""

    name: str | None = None
    personal_id: str | None = None
    relation: str | None = None


@attrs.frozen(slots=True)
class HouseholdValues:
    """What the register holds for one household book."""

    book_number: str | None = None
    village: str | None = None
    address: str | None = None
    poverty: str | None = "none"
    adults: tuple[AdultValues, ...] = ()


def iso_date(value: Any) -> str | None:
    """A date as ISO text when it can be read (any libchild format), else the text kept
    as given (trimmed); None for blank."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return text
    try:
        return parse_date(text).isoformat()
    except (ValueError, TypeError):
        return text


def _open_on(item: CircumstanceValue, on: date) -> bool:
    """A circumstance counts for the rules while it has not ended on ``on`` (as the
    register's save does: an end date after the reference day keeps it open)."""
    return not item.end or str(item.end) > on.isoformat()


def child_record(values: ChildValues, on: date) -> dict[str, Any]:
    """The record libchild checks for ``values``: scalar fields, the codes of the
    circumstances open on ``on``, supports as ``{form, date}``."""
    record: dict[str, Any] = {f: getattr(values, f) for f in CHILD_SCALARS}
    record["circumstances"] = [c.code for c in values.circumstances if _open_on(c, on)]
    record["supports"] = [{"form": s.form, "date": s.date} for s in values.supports]
    return record


@functools.lru_cache(maxsize=1024)
def _code(kind: str, value: str) -> str:
    """The code libchild reads from one circumstance or support form as given."""
    if kind == "circumstances":
        found = libchild.clean({"circumstances": [value]}).record["circumstances"]
    else:
        supports = libchild.clean({"supports": [{"form": value}]}).record["supports"]
        found = [s["form"] for s in supports]
    return str(found[0]) if found and found[0] else value.strip()


def clean_child(values: ChildValues, on: date) -> ChildValues:
    """``values`` in the register's canonical form (``libchild.clean`` at ``on``).

    Circumstances keep their dates (ISO) beside their code; supports are sorted by form
    and date, circumstances by code and start, so that the order of typing is no error.
    A value that cannot be understood is kept as given, as ``clean`` keeps it.
    """
    cleaned = libchild.clean(child_record(values, on), on=on).record
    scalars = {f: cleaned.get(f) for f in CHILD_SCALARS}
    for field in CHILD_SCALARS:
        value = scalars[field]
        if value is not None and not isinstance(value, str):
            scalars[field] = str(value)
    circumstances = tuple(sorted(
        (CircumstanceValue(_code("circumstances", c.code), iso_date(c.start), iso_date(c.end))
         for c in values.circumstances if c.code and c.code.strip()),
        key=lambda c: (c.code, c.start or "", c.end or "")))
    supports = tuple(sorted(
        (SupportValue(_code("supports", s.form), iso_date(s.date))
         for s in values.supports if s.form and s.form.strip()),
        key=lambda s: (s.form, s.date or "")))
    return ChildValues(**scalars, circumstances=circumstances, supports=supports)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def clean_household(values: HouseholdValues) -> HouseholdValues:
    """``values`` in canonical form: trimmed NFC texts, adults' names normalised and ID
    numbers compacted by ``libchild.clean`` (as a caregiver's name and number)."""
    adults = []
    for adult in values.adults:
        cleaned = libchild.clean(
            {"caregiver_name": adult.name, "caregiver_id": adult.personal_id}).record
        adults.append(AdultValues(cleaned["caregiver_name"], cleaned["caregiver_id"],
                                  _text(adult.relation)))
    return HouseholdValues(
        book_number=_text(values.book_number), village=_text(values.village),
        address=_text(values.address), poverty=_text(values.poverty) or "none",
        adults=tuple(adults))


# --- what a person reads -------------------------------------------------------------
_CATALOGUE_OF = {
    "sex": "sexes", "ethnicity": "ethnicities", "nationality": "nationalities",
    "schooling": "schooling", "commune_code": "communes", "province_code": "provinces",
}
_DATE_FIELDS = frozenset({"birth_date", "death_date"})


@functools.lru_cache(maxsize=4096)
def _code_name(catalogue: str, code: str) -> str | None:
    entry = getattr(catalog.load(), catalogue).get(code)
    return entry.name if entry is not None else None


def _day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def display(field: str, value: Any) -> str:
    """``value`` of ``field`` as a person reads it: a code with its catalogue name
    ("03 Thái"), a date dd/mm/yyyy, circumstances and supports with their dates;
    ``""`` for nothing. Labels of poverty and relations come from the caller."""
    if value is None or value == "" or value == ():
        return ""
    if field in _DATE_FIELDS:
        return _day(str(value))
    if field == "circumstances":
        parts = []
        for item in value:
            span = _day(item.start)
            if item.end:
                span = f"{span}–{_day(item.end)}"
            parts.append(f"{item.code} {span}".strip())
        return "; ".join(parts)
    if field == "supports":
        return "; ".join(f"{s.form} {_day(s.date)}".strip() for s in value)
    catalogue = _CATALOGUE_OF.get(field)
    if catalogue is not None:
        name = _code_name(catalogue, str(value))
        return f"{value} {name}" if name else str(value)
    return str(value)
