"""Dates typed by commune staff or stored by spreadsheets, and ages at a reference date."""

from __future__ import annotations

import statistics
import time
import unicodedata
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libchild.dates import age, format_date, parse_date
from libchild.messages import DATE_ERRORS, date_error

D = date(2016, 3, 5)


@pytest.mark.parametrize(
    "text",
    ["05/03/2016", "5/3/2016", "05-03-2016", "05.03.2016", "05032016", "2016-03-05",
     " 05/03/2016 ", "5-3-2016", "5.3.2016", "2016-03-05T00:00:00", "2016-03-05 00:00",
     "2016/3/5", "42434", "42434.0"],
)
def test_accepted_text_forms(text: str) -> None:
    assert parse_date(text) == D


def test_objects_and_excel_numbers() -> None:
    assert parse_date(D) == D
    assert parse_date(datetime(2016, 3, 5, 13, 45)) == D
    assert parse_date(42434) == D
    assert parse_date(42434.75) == D  # a time of day is dropped


def test_excel_1900_system_and_its_leap_year_bug() -> None:
    assert parse_date(1) == date(1900, 1, 1)
    assert parse_date(59) == date(1900, 2, 28)
    assert parse_date(61) == date(1900, 3, 1)
    assert parse_date(73050) == date(2099, 12, 31)
    for bad in (60, 0, -5, 73051, 99999, "0", "99999", -1.5):
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.parametrize("year", ["2016", "1990", 2016])
def test_a_bare_year_is_refused_not_read_as_a_serial(year) -> None:
    with pytest.raises(ValueError, match="chỉ có năm"):
        parse_date(year)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2016", "tháng 2/2016 có 29 ngày"),
        ("29/02/2015", "tháng 2/2015 có 28 ngày"),
        ("31/04/2016", "tháng 4/2016 có 30 ngày"),
        ("15/13/2016", "tháng phải từ 1 đến 12"),
        ("15/3/16", "4 chữ số"),
        ("abc", "dd/mm/yyyy"),
        ("", "dd/mm/yyyy"),
        ("15/03/2016/1", "dd/mm/yyyy"),
        ("１５/０３/２０１６", "dd/mm/yyyy"),  # full-width digits are not ASCII digits
        ("١٥/٠٣/٢٠١٦", "dd/mm/yyyy"),
        ("150316", "dd/mm/yyyy"),
        ("2016-03-05Tabc", "dd/mm/yyyy"),
    ],
)
def test_bad_text_raises_a_clear_vietnamese_message(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_date(text)


@pytest.mark.parametrize(
    "value", [None, True, [2016, 3, 5], float("nan"), float("inf"), b"05032016"]
)
def test_other_types_raise_value_error(value) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "key", "args"),
    [
        ("31/02/2016", "no_such_day", ("31/02/2016", 2, 2016, 29)),
        ("abc", "not_a_date", ("abc",)),
        ("2016", "year_only", ("2016",)),
        (60, "serial_bug", ()),
        (99999, "serial_range", (99999, 1, 73050)),
        (None, "type", ("NoneType",)),
    ],
)
def test_error_texts_come_from_messages_in_both_languages(value, key, args) -> None:
    # The screens and the import report show these texts: one place, Vietnamese and
    # English, and parse_date raises exactly the Vietnamese one.
    with pytest.raises(ValueError) as raised:
        parse_date(value)
    assert str(raised.value) == date_error(key, *args) == DATE_ERRORS[key][0].format(*args)
    english = date_error(key, *args, lang="en")
    assert english != str(raised.value)
    assert english.replace("«", "").replace("»", "").isascii()


def test_every_date_error_text_is_nfc_vietnamese_with_english() -> None:
    for key, (vi, en) in DATE_ERRORS.items():
        assert unicodedata.is_normalized("NFC", vi), key
        assert vi.count("{}") == en.count("{}"), key
        assert not vi.isascii(), key  # Vietnamese has diacritics
    with pytest.raises(ValueError):
        date_error("no_such_day", "x", 1, 2, 3, lang="fr")


def test_error_is_not_cached_and_cache_returns_same_answer() -> None:
    with pytest.raises(ValueError):
        parse_date("30/02/2020")
    with pytest.raises(ValueError):
        parse_date("30/02/2020")
    assert parse_date("29/02/2020") == parse_date("29/02/2020") == date(2020, 2, 29)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_format_then_parse_round_trips(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(d.strftime("%d%m") + f"{d.year:04d}") == d


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_excel_serials_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    if 1800 <= serial < 2200:
        return
    assert parse_date(serial) == d
    assert parse_date(str(serial)) == d


@given(st.text(max_size=14))
def test_any_text_gives_a_date_or_value_error(text: str) -> None:
    try:
        assert isinstance(parse_date(text), date)
    except ValueError as exc:
        assert str(exc)


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2016, 2, 29), date(2017, 2, 27), (0, 11)),
        (date(2016, 2, 29), date(2017, 2, 28), (1, 0)),  # last day of February
        (date(2016, 2, 29), date(2020, 2, 28), (3, 11)),  # leap year: the 29th exists
        (date(2016, 2, 29), date(2020, 2, 29), (4, 0)),
        (date(2016, 1, 31), date(2016, 2, 28), (0, 0)),
        (date(2016, 1, 31), date(2016, 2, 29), (0, 1)),  # month end
        (date(2016, 1, 31), date(2016, 4, 30), (0, 3)),
        (date(2016, 1, 31), date(2016, 3, 30), (0, 1)),
        (date(2010, 6, 15), date(2026, 6, 14), (15, 11)),
        (date(2010, 6, 15), date(2026, 6, 15), (16, 0)),
        (date(2020, 5, 5), date(2020, 5, 5), (0, 0)),
    ],
)
def test_age(birth: date, on: date, expected: tuple[int, int]) -> None:
    assert age(birth, on) == expected


def test_age_rejects_reference_before_birth() -> None:
    with pytest.raises(ValueError, match="trước ngày sinh") as raised:
        age(date(2020, 1, 2), date(2020, 1, 1))
    assert str(raised.value) == date_error("age_order", "01/01/2020", "02/01/2020")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=0, max_value=40000))
def test_age_is_monotonic_and_consistent(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    years, months = age(birth, on)
    assert 0 <= months < 12 and years >= 0
    assert years * 12 + months <= days // 28
    later = age(birth, on + timedelta(days=1))
    assert later >= (years, months)


def test_format_date() -> None:
    assert format_date(date(2016, 3, 5)) == "05/03/2016"
    assert format_date(datetime(2016, 12, 25, 8, 0)) == "25/12/2016"


def test_parse_date_is_fast_enough_for_the_rules_engine() -> None:
    import libchild.dates as dates

    texts = [format_date(date(2005, 1, 1) + timedelta(days=i)) for i in range(20000)]
    runs = []
    for _ in range(3):
        dates._CACHE.clear()
        start = time.perf_counter()
        for text in texts:
            parse_date(text)
        runs.append(time.perf_counter() - start)
    # 100,000 a second means 0.2 s for 20,000 uncached; leave room for a busy machine
    assert statistics.median(runs) < 0.2


def test_born_by_agrees_with_age_on_every_day_of_a_century() -> None:
    from libchild.dates import born_by

    day = date(2000, 1, 1)
    while day < date(2101, 1, 1):
        latest = born_by(day, 16)
        assert age(latest, day)[0] >= 16
        assert age(latest + timedelta(days=1), day)[0] < 16
        day += timedelta(days=7)
