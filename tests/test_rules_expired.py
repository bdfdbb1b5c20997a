"""Catalogue codes that are no longer in force on the reference date (``catalogue.expired``).

Today every catalogue is current (no ``valid_to``), so each test builds the catalogues
with one entry end-dated and rebuilds the rule engine's tables from them.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from libchild import catalog, rules
from libchild.messages import MESSAGES
from libchild.rules import clean, validate

ON = date(2025, 9, 1)

# A correct record (synthetic ID numbers, see tests/test_rules.py).
BASE: dict = {
    "personal_id": "014218001234",
    "full_name": "Lò Văn Páo",
    "sex": "1",
    "birth_date": "2018-09-05",
    "ethnicity": "03",
    "schooling": "04",
    "commune_code": "03808",
    "province_code": "14",
    "father_name": "Lò Văn Minh",
}


def _end_dated(monkeypatch: pytest.MonkeyPatch, name: str, code: str, valid_to: date) -> None:
    """Make ``code`` of catalogue ``name`` end on ``valid_to`` (inclusive) for this test."""
    real = catalog.load()
    old = getattr(real, name)
    entries = [attrs.evolve(e, valid_to=valid_to) if e.code == code else e for e in old]
    assert any(e.valid_to == valid_to for e in entries), code
    patched = attrs.evolve(real, **{name: catalog.Catalog(
        name, entries, source=old.source, date=old.date,
        unit_names=name in ("provinces", "communes"),
    )})
    monkeypatch.setattr(catalog, "load", lambda: patched)
    monkeypatch.setattr(rules, "_T", None)  # the engine rebuilds its tables from `patched`


def codes_and_fields(record: dict, on: date = ON) -> list[tuple[str, str | None]]:
    return [(i.code, i.field) for i in validate(record, on=on)]


def test_the_real_catalogues_have_no_expired_codes_today() -> None:
    assert validate(BASE, on=ON) == []
    for name in catalog.CATALOGUE_NAMES:
        assert all(e.valid_to is None for e in getattr(catalog.load(), name)), name


def test_abolished_commune_is_a_warning_on_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    _end_dated(monkeypatch, "communes", "03808", date(2025, 6, 30))
    issues = validate(BASE, on=ON)
    assert [(i.code, i.severity, i.field) for i in issues] == [
        ("catalogue.expired", "warning", "commune_code"),
    ]
    assert issues[0].message == MESSAGES["catalogue.expired"].message
    # a warning, not an error: the record is kept and its code is not changed
    cleaned = clean(BASE, on=ON)
    assert cleaned.record["commune_code"] == "03808"
    assert cleaned.record["province_code"] == "14"


def test_valid_to_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    _end_dated(monkeypatch, "communes", "03808", date(2025, 6, 30))
    assert codes_and_fields(BASE, on=date(2025, 6, 30)) == []
    assert codes_and_fields(BASE, on=date(2025, 7, 1)) == [("catalogue.expired", "commune_code")]


@pytest.mark.parametrize(
    ("name", "code", "field", "change"),
    [
        ("ethnicities", "03", "ethnicity", {"ethnicity": "Thái"}),  # found by name
        ("schooling", "04", "schooling", {}),
        ("provinces", "14", "province_code", {}),
        ("nationalities", "VN", "nationality", {}),  # VN is the default when blank
        ("circumstances", "DB04", "circumstances",
         {"circumstances": ["DB04"], "supports": [{"form": "TG04", "date": "2025-08-01"}]}),
    ],
)
def test_each_catalogue_field_is_checked(
    monkeypatch: pytest.MonkeyPatch, name: str, code: str, field: str, change: dict
) -> None:
    _end_dated(monkeypatch, name, code, date(2025, 1, 1))
    found = codes_and_fields({**BASE, **change}, on=ON)
    assert ("catalogue.expired", field) in found
    assert [c for c, _ in found].count("catalogue.expired") == 1


def test_support_is_judged_on_its_own_date(monkeypatch: pytest.MonkeyPatch) -> None:
    _end_dated(monkeypatch, "supports", "TG04", date(2025, 6, 30))
    record = {**BASE, "circumstances": ["DB04"]}
    given_in_time = {**record, "supports": [{"form": "TG04", "date": "2025-03-15"}]}
    given_after = {**record, "supports": ["TG04 15/08/2025"]}
    no_date = {**record, "supports": [{"form": "TG04", "date": None}]}
    assert ("catalogue.expired", "supports") not in codes_and_fields(given_in_time)
    assert ("catalogue.expired", "supports") in codes_and_fields(given_after)
    assert ("catalogue.expired", "supports") in codes_and_fields(no_date)  # the reference day
