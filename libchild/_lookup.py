"""Catalogue look-ups for the rule engine: every accepted spelling of a code, built once.

Codes, codes without their leading zeros, names and other names, raw and folded
(case, diacritics, hyphens and spaces ignored), province and commune names with or
without their kind word ("Xã", "Tỉnh"), pre-2025 provinces mapped to their 2025 one.
A spelling shared by two codes is dropped: it would be a guess.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from libchild import catalog, text
from libchild._values import MEMO_MAX_LEN, MISSING, int_text, is_nan


class Tables:
    """Every catalogue as dicts from accepted spellings to codes, built once."""

    def __init__(self) -> None:
        cats = catalog.load()
        self.sex = spellings(cats.sexes)
        self.ethnicity = spellings(cats.ethnicities)
        self.nationality = spellings(cats.nationalities)
        self.schooling = spellings(cats.schooling)
        self.circumstance = spellings(cats.circumstances)
        self.support = spellings(cats.supports)
        self.province = spellings(cats.provinces, unit=True)
        self.commune_codes = {e.code: e.parent for e in cats.communes}
        self.commune_names: dict[tuple[str | None, str], str | None] = {}
        for e in cats.communes:
            for name in (e.name, *e.other_names):
                key = text.fold(name)
                for k in {key, strip_kind(key)}:
                    for scope in (e.parent, None):
                        prior = self.commune_names.get((scope, k), e.code)
                        self.commune_names[(scope, k)] = e.code if prior == e.code else None
        self.prefixes = frozenset(e.code for e in cats.id_prefixes)
        # pre-2025 provinces: old 2-digit code ("02" Hà Giang) and names -> 2025 code
        self.old_province: dict[str, str] = {}
        for e in cats.id_prefixes:
            if e.parent:
                self.old_province[e.code[1:]] = e.parent
                self.old_province[e.code] = e.parent
                for name in (e.name, *e.other_names):
                    key = text.fold(name)
                    self.old_province[key] = e.parent
                    self.old_province[strip_kind(key)] = e.parent
        # Codes with an end of validity (valid_to, inclusive), per canonical field; only
        # fields with at least one such code are present, so the usual case costs nothing.
        self.valid_to: dict[str, dict[str, date]] = {}
        for field, cat in (
            ("sex", cats.sexes), ("ethnicity", cats.ethnicities),
            ("nationality", cats.nationalities), ("province_code", cats.provinces),
            ("commune_code", cats.communes), ("schooling", cats.schooling),
            ("circumstances", cats.circumstances), ("supports", cats.supports),
        ):
            ends = {e.code: e.valid_to for e in cat if e.valid_to is not None}
            if ends:
                self.valid_to[field] = ends
        self.group = {e.code: e.group for e in cats.circumstances}
        # First six digits of personal ID numbers met -> what they say (see _id_head).
        self.id_heads: dict[str, int] = {}
        self.special = frozenset(c for c, g in self.group.items() if g == "special")


_KINDS = ("thanh pho ", "dac khu ", "phuong ", "tinh ", "xa ", "tp ")


def strip_kind(key: str) -> str:
    for word in _KINDS:
        if key.startswith(word) and len(key) > len(word):
            return key[len(word):]
    return key


def spellings(cat: catalog.Catalog, unit: bool = False) -> dict[str, str]:
    """Map code, unpadded numeric code, name and other names (raw and folded) to codes.

    A spelling shared by two codes is dropped: it would be a guess.
    """
    table: dict[str, str] = {}
    ambiguous: set[str] = set()

    def put(key: str, code: str) -> None:
        if not key or key in ambiguous:
            return
        prior = table.get(key)
        if prior is None:
            table[key] = code
        elif prior != code:
            ambiguous.add(key)
            del table[key]

    for e in cat:
        table[e.code] = e.code
    for e in cat:
        put(e.code.lower(), e.code)
        if e.code.isdigit():
            put(str(int(e.code)), e.code)
        for name in (e.name, *e.other_names):
            put(unicodedata.normalize("NFC", name), e.code)
            key = text.fold(name)
            put(key, e.code)
            put(key.replace(" ", ""), e.code)
            if unit:
                put(strip_kind(key), e.code)
    return table


def code_of(table: dict[str, str], value: Any) -> Any:
    """Return the code for ``value``, ``MISSING`` for blank, or None if unknown."""
    if type(value) is str:
        found = table.get(value)
        if found is not None:
            return found
        stripped = value.strip()
        if not stripped:
            return MISSING
        if len(stripped) > MEMO_MAX_LEN:
            return None
        found = table.get(stripped)
        if found is None:
            key = text.fold(stripped)
            found = table.get(key)
            if found is None:
                found = table.get(key.replace(" ", ""))
        return found
    if value is None or is_nan(value):
        return MISSING
    if type(value) is int or (type(value) is float and value.is_integer()):
        number = int_text(value)
        return None if number is None else table.get(number)
    return None


def old_province_of(t: Tables, value: Any) -> str | None:
    """The 2025 province of a pre-2025 province code or name, or None."""
    if type(value) is int:
        value = (int_text(value) or "").zfill(2)
    if not isinstance(value, str):
        return None
    key = value.strip()
    found = t.old_province.get(key)
    if found is None and len(key) <= MEMO_MAX_LEN:
        folded = text.fold(key)
        found = t.old_province.get(folded) or t.old_province.get(strip_kind(folded))
    return found


def commune_of(t: Tables, value: Any, province: str | None) -> Any:
    """The commune code of a code or name (within ``province`` when given), ``MISSING``
    for blank, None if unknown or ambiguous."""
    if value is None or is_nan(value):
        return MISSING
    if type(value) is int:
        value = (int_text(value) or "").zfill(5)
    if type(value) is not str:
        return None
    key = value.strip()
    if not key:
        return MISSING
    if key.isdigit() and len(key) < 5:
        key = key.zfill(5)
    if key in t.commune_codes:
        return key
    if len(key) > MEMO_MAX_LEN:
        return None
    folded = text.fold(key)
    for k in (folded, strip_kind(folded)):
        found = t.commune_names.get((province, k))
        if found is not None:
            return found
    return None
