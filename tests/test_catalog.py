"""The catalogues: complete lists with provenance, exact lookup and forgiving search."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libchild.catalog import CATALOGUE_NAMES, Catalog, Entry, load

CATALOGS = Path(__file__).resolve().parent.parent / "catalogs"


@pytest.fixture(scope="module")
def cat():
    return load()


def test_load_is_cached(cat) -> None:
    assert load() is cat


@pytest.mark.parametrize("name", CATALOGUE_NAMES)
def test_every_file_names_its_source_and_date(name: str) -> None:
    lines = (CATALOGS / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# source: ") and len(lines[0]) > 20
    assert lines[1].startswith("# date: ")
    assert lines[2].split(",")[:5] == ["code", "name", "other_names", "valid_from", "valid_to"]


@pytest.mark.parametrize("name", CATALOGUE_NAMES)
def test_every_text_is_nfc_and_codes_unique(name: str, cat) -> None:
    catalog: Catalog = getattr(cat, name)
    codes = [e.code for e in catalog]
    assert len(codes) == len(set(codes)) > 0
    assert catalog.source and catalog.date
    for entry in catalog:
        for text in (entry.name, *entry.other_names):
            assert text == unicodedata.normalize("NFC", text)
            assert " ".join(text.split()) == text


def test_sizes_match_the_legal_lists(cat) -> None:
    assert len(cat.sexes) == 2
    assert len(cat.ethnicities) == 54
    assert len(cat.provinces) == 34
    assert len(cat.communes) == 3321
    assert len(cat.id_prefixes) == 63
    assert len(cat.circumstances) == 20
    assert len(cat.supports) == 5
    assert len(cat.nationalities) == 249


def test_communes_kinds_and_provinces(cat) -> None:
    kinds = [e.kind for e in cat.communes]
    assert (kinds.count("xã"), kinds.count("phường"), kinds.count("đặc khu")) == (2621, 687, 13)
    provinces = cat.provinces.codes()
    assert all(e.parent in provinces for e in cat.communes)
    assert all(e.parent in provinces for e in cat.id_prefixes)
    assert {e.code for e in cat.communes.by_parent("14")} >= {"03808"}
    assert all(e.parent == "14" for e in cat.communes.by_parent("14"))


def test_copied_data_matches_the_shared_sources(cat) -> None:
    # shared/ sits beside the checkout (also in CI); skip where it is absent
    src = CATALOGS.parent.parent / "shared" / "catalog-data"
    if not src.exists():
        pytest.skip("shared/catalog-data is not beside this checkout")
    with open(src / "communes-2025.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # copied as published, except three names whose double space is collapsed
    assert [(e.code, e.name, e.kind, e.parent) for e in cat.communes] == [
        (r["code"], " ".join(r["name"].split()), r["kind"], r["province_code"]) for r in rows
    ]
    with open(src / "id-birth-provinces.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(e.code, e.name, e.parent) for e in cat.id_prefixes] == [
        (r["id_prefix"], r["province_before_2025"], r["province_code_2025"]) for r in rows
    ]


def test_codes_keep_leading_zeros(cat) -> None:
    assert cat.ethnicities.get("08").name == "HMông"
    assert cat.communes.get("00004").name == "Phường Ba Đình"
    assert cat.id_prefixes.get("001").parent == "01"
    assert cat.ethnicities.get("8") is None
    assert cat.ethnicities.get(" 08 ").code == "08"
    assert cat.ethnicities.get("99") is None
    assert "08" in cat.ethnicities and "99" not in cat.ethnicities


def test_sexes_schooling_and_nationalities(cat) -> None:
    assert [(e.code, e.name) for e in cat.sexes] == [("1", "Nam"), ("2", "Nữ")]
    assert cat.nationalities.get("VN").name == "Việt Nam"
    assert cat.nationalities.find("Mỹ")[0].code == "US"
    assert cat.nationalities.find("viet nam")[0].code == "VN"
    assert cat.schooling.get("08").name == "Bỏ học"
    assert cat.schooling.find("THCS")[0].code == "05"


def test_circumstances_know_their_group_and_law_letter(cat) -> None:
    groups = {e.code: e.group for e in cat.circumstances}
    assert {c for c, g in groups.items() if g == "special"} == {f"DB{i:02d}" for i in range(1, 16)}
    assert {c for c, g in groups.items() if g == "at_risk"} == {"NC01", "NC02"}
    assert {c for c, g in groups.items() if g == "other"} == {"KH01", "KH02", "KH03"}
    assert cat.circumstances.get("DB05").law_letter == "đ"
    assert cat.circumstances.get("DB09").law_letter == "e"
    assert cat.circumstances.get("NC01").law_letter is None
    assert [e.code for e in cat.supports] == [f"TG0{i}" for i in range(1, 6)]


@pytest.mark.parametrize("query", ["h'mong", "HMÔNG", "Mèo", "hmo", "8", "08", "Mông", "H’Mông"])
def test_find_hmong_every_way_it_is_typed(cat, query: str) -> None:
    assert cat.ethnicities.find(query)[0].code == "08"


@pytest.mark.parametrize(
    ("query", "code"),
    [("khmer", "05"), ("Khơ me", "05"), ("gia rai", "10"), ("Giarai", "10"), ("viet", "01"),
     ("ede", "12"), ("Ê-đê", "12"), ("bru van kieu", "23")],
)
def test_find_ethnicity_spellings(cat, query: str, code: str) -> None:
    assert cat.ethnicities.find(query)[0].code == code


def test_find_commune_ignores_kind_word(cat) -> None:
    for query in ("muong la", "Mường La", "xã mường la", "XA MUONG LA"):
        found = cat.communes.find(query)
        assert found[0].code == "03808", query
    # the exact name comes before the longer names that merely start with it
    codes = [e.code for e in cat.communes.find("muong la")]
    assert codes.index("03808") == 0 and "03151" in codes  # Phường Mường Lay


def test_find_ranks_exact_before_prefix_before_word_prefix_before_substring() -> None:
    catalog = Catalog(
        "test",
        [
            Entry("1", "Bản Nậm"),  # word prefix, shorter
            Entry("2", "Namê"),  # prefix
            Entry("3", "Nam"),  # exact
            Entry("4", "Khánh Nam"),  # word prefix, longer
            Entry("5", "Hoanam"),  # substring
            Entry("6", "Bắc"),  # no match
        ],
    )
    assert [e.code for e in catalog.find("nam")] == ["3", "2", "1", "4", "5"]
    assert [e.code for e in catalog.find("NẠM", limit=2)] == ["3", "2"]


def test_name_typed_with_diacritics_beats_a_code_equal_to_its_folding(cat) -> None:
    assert cat.nationalities.find("Mỹ")[0].code == "US"
    assert cat.nationalities.find("my")[0].code == "MY"


def test_find_limit_empty_and_garbage(cat) -> None:
    assert len(cat.communes.find("phường", limit=5)) == 5
    assert cat.communes.find("") == []
    assert cat.communes.find("   ") == []
    assert cat.communes.find(None) == []  # type: ignore[arg-type]
    assert cat.ethnicities.find("zzzz") == []


def test_numeric_code_typed_without_leading_zeros(cat) -> None:
    assert cat.communes.find("4")[0].code == "00004"
    assert cat.provinces.find("1")[0].code == "01"
    assert cat.circumstances.find("db01")[0].code == "DB01"


def test_is_valid_on_bounds_are_inclusive(cat) -> None:
    entry = Entry("X", "x", valid_from=date(2025, 7, 1), valid_to=date(2025, 12, 31))
    assert not entry.is_valid_on(date(2025, 6, 30))
    assert entry.is_valid_on(date(2025, 7, 1))
    assert entry.is_valid_on(date(2025, 12, 31))
    assert not entry.is_valid_on(date(2026, 1, 1))
    commune = cat.communes.get("03808")
    assert commune.valid_from == date(2025, 7, 1) and commune.is_valid_on(date(2026, 1, 1))
    assert cat.ethnicities.get("01").is_valid_on(date(1900, 1, 1))


def test_entries_are_immutable(cat) -> None:
    with pytest.raises(AttributeError):
        cat.sexes.get("1").name = "Nữ"  # type: ignore[misc]


@pytest.mark.parametrize("name", CATALOGUE_NAMES)
def test_every_name_and_code_finds_its_entry_first(name: str, cat) -> None:
    from libchild.text import fold

    catalog: Catalog = getattr(cat, name)
    entries = list(catalog)[:: 1 if len(catalog) < 400 else 11]  # a sample of the communes
    for entry in entries:
        assert catalog.find(entry.code)[0] is entry
        found = catalog.find(entry.name)
        assert entry in found
        # names shared by several units (e.g. communes in different provinces) tie
        assert fold(found[0].name) == fold(entry.name)
        if len(found) > 1 and fold(found[1].name) != fold(entry.name):
            assert found[0] is entry


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_find_never_raises_and_respects_limit(text: str) -> None:
    cat = load()
    for catalog in (cat.ethnicities, cat.provinces, cat.nationalities):
        found = catalog.find(text, limit=3)
        assert len(found) <= 3
        assert all(isinstance(e, Entry) for e in found)
