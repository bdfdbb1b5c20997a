"""Keyer statistics of the re-check (issue 12 items 4-5): rates computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tui.training.keyer_stats import (
    FieldCheck,
    Period,
    RecheckOutcome,
    Resolution,
    keyer_statistics,
    period_start,
)

R = Resolution


def outcome(record, enterer, checker, day, **fields):
    checks = []
    for name, value in fields.items():
        original, reentered, *resolution = value
        checks.append(FieldCheck(name, original, reentered, *resolution))
    return RecheckOutcome(record, enterer, checker, day, tuple(checks))


OUTCOMES = [
    outcome(1, "lan", "minh", date(2025, 9, 3),            # Wednesday
            full_name=("Lò Thị Mai", "Lò Thị Mai"), sex=("2", "2"),
            birth_date=("2017-04-02", "2017-02-04", R.REENTRY_RIGHT),   # lan erred
            personal_id=("014317004125", "014317004152", R.ORIGINAL_RIGHT)),  # minh erred
    outcome(2, "lan", "hoa", date(2025, 9, 20),            # Saturday
            full_name=("Lo Van Kham", "Lò Văn Khàm", R.BOTH_WRONG), sex=("1", "1"),
            birth_date=("2024-06-15", "2024-06-15"), personal_id=(None, "")),
    outcome(3, "minh", "hoa", date(2025, 10, 2),
            full_name=("Giàng A Pằng", "Giàng A Pằng"), sex=("1", "1"),
            birth_date=("2014-01-20", "2014-01-02"),            # not resolved yet
            personal_id=("014214008106", "014214008106")),
    outcome(4, "lan", "hoa", date(2025, 10, 15),
            full_name=("Mùa A Tủa", "Mùa A Tủa"), sex=("1", "1"),
            birth_date=("2009-08-14", "2009-08-14"), personal_id=("014209005563", "014209005563")),
]


def test_rates_per_enterer_field_and_checker():
    stats = keyer_statistics(OUTCOMES)
    assert (stats.records, stats.unresolved) == (4, 1)
    lan, minh = stats.enterers
    # lan: 3 records x 4 fields = 12 compared, errors on record 1 birth date and record 2 name
    assert (lan.enterer, lan.records, lan.records_with_error) == ("lan", 3, 2)
    assert (lan.rate.checked, lan.rate.errors) == (12, 2)
    assert lan.rate.rate == pytest.approx(1 / 6) and lan.record_rate == pytest.approx(2 / 3)
    assert lan.rate.per_thousand() == pytest.approx(1000 / 6)
    # minh: one record, the unresolved birth date left out
    assert (minh.records, minh.records_with_error, minh.rate.checked, minh.rate.errors) == (
        1, 0, 3, 0)
    fields = {f.field: (f.rate.checked, f.rate.errors) for f in stats.fields}
    assert fields == {"personal_id": (4, 0), "full_name": (4, 1), "sex": (4, 0),
                      "birth_date": (3, 1)}
    assert [f.field for f in stats.fields] == ["personal_id", "full_name", "sex", "birth_date"]
    pairs = {(p.enterer, p.field): (p.rate.checked, p.rate.errors) for p in stats.enterer_fields}
    assert pairs[("lan", "birth_date")] == (3, 1) and pairs[("lan", "full_name")] == (3, 1)
    assert pairs[("minh", "full_name")] == (1, 0) and ("minh", "birth_date") not in pairs
    checkers = {c.checker: (c.records, c.rate.checked, c.rate.errors) for c in stats.checkers}
    # minh erred on record 1's ID; hoa on record 2's name (both wrong)
    assert checkers == {"hoa": (3, 11, 1), "minh": (1, 4, 1)}


def test_rates_over_time_by_month_and_week():
    stats = keyer_statistics(OUTCOMES)
    months = [(p.start, p.key, p.rate.checked, p.rate.errors) for p in stats.enterer_periods]
    assert months == [(date(2025, 9, 1), "lan", 8, 2), (date(2025, 10, 1), "lan", 4, 0),
                      (date(2025, 10, 1), "minh", 3, 0)]
    september = {p.key: (p.rate.checked, p.rate.errors) for p in stats.field_periods
                 if p.start == date(2025, 9, 1)}
    assert september == {"personal_id": (2, 0), "full_name": (2, 1), "sex": (2, 0),
                         "birth_date": (2, 1)}
    weeks = keyer_statistics(OUTCOMES, Period.WEEK).enterer_periods
    assert [(p.start, p.key) for p in weeks][:2] == [(date(2025, 9, 1), "lan"),
                                                      (date(2025, 9, 15), "lan")]
    assert period_start(date(2025, 9, 7), Period.WEEK) == date(2025, 9, 1)  # Sunday


def test_no_outcomes_and_bad_outcomes():
    empty = keyer_statistics([])
    assert empty.enterers == () and empty.records == 0
    with pytest.raises(ValueError, match="cannot be its enterer"):
        outcome(9, "lan", "lan", date(2025, 9, 1), sex=("1", "1"))
    with pytest.raises(ValueError, match="need no resolution"):
        FieldCheck("sex", "1", "1", R.BOTH_WRONG)
    with pytest.raises(ValueError, match="not a canonical field"):
        FieldCheck("ho_ten", "a", "b")
    with pytest.raises(ValueError, match="compared twice"):
        RecheckOutcome(9, "lan", "minh", date(2025, 9, 1),
                       (FieldCheck("sex", "1", "1"), FieldCheck("sex", "1", "1")))
