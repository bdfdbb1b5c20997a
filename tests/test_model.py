"""The record model: canonical fields, JSON-safe dicts, strict loading of canonical data."""

from __future__ import annotations

import json
from datetime import date

import attrs
import pytest

from libchild.model import (
    CANONICAL_FIELDS,
    Caregiver,
    Child,
    Circumstance,
    Support,
    from_dict,
    to_dict,
)

DOCUMENTED_ORDER = (
    "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "circumstances", "supports", "death_date",
)


def full_child() -> Child:
    return Child(
        personal_id="014218001234", full_name="Lò Văn Páo", sex="1",
        birth_date=date(2018, 9, 5), ethnicity="03", current_address="Bản Mòng",
        address_detail="Nhà số 3", schooling="04", village="Bản Mòng",
        commune_code="03808", province_code="14", caregiver_id="014085004321",
        father_name="Lò Văn Minh", mother_name="Quàng Thị Lan", caregiver_name=None,
        circumstances=["DB04", "NC02"], supports=[Support("TG01", date(2025, 3, 15))],
        death_date=None,
    )


def test_canonical_fields_in_documented_order() -> None:
    assert CANONICAL_FIELDS == DOCUMENTED_ORDER
    assert tuple(a.name for a in attrs.fields(Child)) == DOCUMENTED_ORDER


def test_defaults_nationality_vn_and_fresh_lists() -> None:
    a, b = Child(), Child()
    assert a.nationality == "VN"
    a.circumstances.append("DB01")
    assert b.circumstances == []


def test_classes_use_slots() -> None:
    for cls in (Child, Caregiver, Circumstance, Support):
        assert "__slots__" in cls.__dict__
        with pytest.raises(AttributeError):
            cls.__new__(cls).not_a_field = 1  # type: ignore[attr-defined]


def test_to_dict_is_json_safe_with_iso_dates() -> None:
    d = to_dict(full_child())
    assert list(d) == list(DOCUMENTED_ORDER)
    assert d["birth_date"] == "2018-09-05"
    assert d["supports"] == [{"form": "TG01", "date": "2025-03-15"}]
    assert json.loads(json.dumps(d)) == d


def test_round_trip_through_json() -> None:
    child = full_child()
    assert from_dict(json.loads(json.dumps(to_dict(child)))) == child


def test_other_classes_round_trip() -> None:
    episode = Circumstance("DB08", date(2024, 1, 2), None, "Đã chuyển tuyến")
    assert to_dict(episode) == {"code": "DB08", "start": "2024-01-02", "end": None,
                                "note": "Đã chuyển tuyến"}
    assert from_dict(to_dict(episode), Circumstance) == episode
    carer = Caregiver("014085004321", "Lò Văn Minh", "cha")
    assert from_dict(to_dict(carer), Caregiver) == carer


def test_missing_keys_take_defaults() -> None:
    assert from_dict({"full_name": "Lò Thị Mai"}) == Child(full_name="Lò Thị Mai")


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"age": 5}, "age"),
        ({"sex": 1}, "sex"),
        ({"birth_date": "05/09/2018"}, "birth_date"),
        ({"birth_date": "2018-02-30"}, "birth_date"),
        ({"circumstances": "DB01"}, "circumstances"),
        ({"supports": [{"form": "TG01", "date": "hôm qua"}]}, "supports"),
    ],
)
def test_from_dict_is_strict_and_names_the_field(data: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        from_dict(data)


def test_from_dict_rejects_non_dicts() -> None:
    with pytest.raises(ValueError):
        from_dict(["not", "a", "record"])  # type: ignore[arg-type]
