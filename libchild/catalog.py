"""The code lists of the register, loaded from the CSV files in ``catalogs/``.

Every list is data, never code: each file carries its legal source and date in its
``#`` header lines, so that an official list can replace an assumed one without a
code change. The files ship inside the package (``libchild/catalogs``) and are read
with :mod:`importlib.resources`, so the library works wherever it is installed.

>>> cat = load()
>>> cat.ethnicities.get("08").name
'HMông'
>>> [e.code for e in cat.ethnicities.find("h'mong")][:1]
['08']
>>> cat.communes.find("muong la")[0].name
'Xã Mường La'
>>> cat.communes.get("03808").parent
'14'
>>> cat.ethnicities.find("8")[0].name
'HMông'
>>> len(cat.provinces), len(cat.communes), len(cat.id_prefixes)
(34, 3321, 63)
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from importlib.resources import files

import attrs

__all__ = ["Catalog", "Catalogs", "Entry", "load"]

#: The catalogue files, in the order of the attributes of :class:`Catalogs`.
CATALOGUE_NAMES = (
    "sexes",
    "ethnicities",
    "nationalities",
    "provinces",
    "communes",
    "id_prefixes",
    "schooling",
    "circumstances",
    "supports",
)

# Folded words naming the kind of an administrative unit. They are ignored when
# matching names of units, so that "muong la" finds "Xã Mường La" and
# "xa muong la" does too.
_KIND_WORDS = ("dac khu ", "thanh pho ", "thi tran ", "phuong ", "tinh ", "xa ", "tp ")
_UNIT_CATALOGUES = frozenset({"provinces", "communes", "id_prefixes"})

# Match tiers, best first.
_CODE_EXACT, _EXACT, _PREFIX, _WORD_PREFIX, _SUBSTRING = range(5)


@attrs.frozen
class Entry:
    """One code of a catalogue.

    ``valid_from`` and ``valid_to`` are inclusive; ``None`` means open-ended.
    ``group`` is set for circumstances (``"special"``, ``"at_risk"``, ``"other"``),
    ``parent`` for communes (province code) and ID prefixes (2025 province code),
    ``kind`` for communes and provinces, ``law_letter`` for special circumstances
    (the letter of Luật Trẻ em 2016, Điều 10 khoản 1).
    """

    code: str
    name: str
    other_names: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    group: str | None = None
    parent: str | None = None
    kind: str | None = None
    law_letter: str | None = None

    def is_valid_on(self, day: date) -> bool:
        """Return whether the code is in force on ``day``.

        >>> Entry("00004", "Phường Ba Đình", valid_from=date(2025, 7, 1)).is_valid_on(
        ...     date(2025, 6, 30))
        False
        """
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


def _fold() -> Callable[[str], str]:
    # Imported on first search, not at load: load() stays cheap for callers that
    # only look codes up.
    from libchild.text.fold import fold

    return fold


# A search key: folded text, the same without spaces, the text lower-cased with its
# diacritics, whether it is an other name, whether the kind word was removed.
_Key = tuple[str, str, str, bool, bool]


def _raw(text: str) -> str:
    """Lower case, NFC, single spaces: compares diacritics exactly as typed."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _drop_words(text: str, count: int) -> str:
    return " ".join(text.split(" ")[count:]) if count > 0 else text


def _strip_kind(key: str) -> str:
    for word in _KIND_WORDS:
        if key.startswith(word) and len(key) > len(word):
            return key[len(word):]
    return key


class Catalog:
    """One code list: iterable of :class:`Entry`, with lookup by code and search.

    ``source`` and ``date`` give the provenance from the file's header lines.
    """

    def __init__(
        self,
        name: str,
        entries: Iterable[Entry],
        *,
        source: str = "",
        date: str = "",
        unit_names: bool = False,
    ) -> None:
        self.name = name
        self.source = source
        self.date = date
        self._entries = tuple(entries)
        self._by_code = {e.code: e for e in self._entries}
        self._unit_names = unit_names
        widths = {len(e.code) for e in self._entries}
        numeric = all(e.code.isdigit() for e in self._entries)
        self._code_width = widths.pop() if numeric and len(widths) == 1 else None
        self._index: list[tuple[Entry, str, tuple[_Key, ...]]] | None = None
        self._by_parent: dict[str, tuple[Entry, ...]] | None = None

    def __repr__(self) -> str:
        return f"<Catalog {self.name}: {len(self._entries)} entries>"

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Entry | None:
        """Return the entry with exactly this code (surrounding spaces ignored), or None.

        Lenient matching (a code typed without its leading zero, a name) is
        :meth:`find`'s job.
        """
        if not isinstance(code, str):
            return None
        return self._by_code.get(code.strip())

    def codes(self) -> frozenset[str]:
        """Return the set of all codes."""
        return frozenset(self._by_code)

    def by_parent(self, parent: str) -> tuple[Entry, ...]:
        """Return the entries whose ``parent`` is ``parent`` (e.g. the communes of a province)."""
        if self._by_parent is None:
            grouped: dict[str, list[Entry]] = {}
            for entry in self._entries:
                if entry.parent is not None:
                    grouped.setdefault(entry.parent, []).append(entry)
            self._by_parent = {k: tuple(v) for k, v in grouped.items()}
        return self._by_parent.get(parent, ())

    def _build_index(self) -> list[tuple[Entry, str, tuple[_Key, ...]]]:
        fold = _fold()
        index = []
        for entry in self._entries:
            keys: list[_Key] = []
            for position, text in enumerate((entry.name, *entry.other_names)):
                key = fold(text)
                raw = _raw(text)
                keys.append((key, key.replace(" ", ""), raw, position > 0, False))
                if self._unit_names:
                    stripped = _strip_kind(key)
                    if stripped != key:
                        raw_cut = _drop_words(raw, key.count(" ") - stripped.count(" "))
                        keys.append(
                            (stripped, stripped.replace(" ", ""), raw_cut, position > 0, True)
                        )
            index.append((entry, entry.code.lower(), tuple(keys)))
        return index

    def find(self, text: str, limit: int | None = None) -> list[Entry]:
        """Return the entries matching ``text``, best first.

        Matches the code (a numeric code may be typed without its leading zeros),
        the name and the other names, ignoring case, diacritics, hyphens,
        apostrophes, spaces inside names and đ/d; for administrative units the
        kind word ("Xã", "Phường", "Tỉnh", "Thành phố") is optional. Exact
        matches come first, then prefixes, word prefixes and substrings.

        >>> [e.code for e in load().ethnicities.find("HMÔNG")]
        ['08']
        >>> [e.code for e in load().sexes.find("nu")]
        ['2']
        """
        if not isinstance(text, str):
            return []
        query = _fold()(text)
        if not query:
            return []
        typed = _raw(text)
        queries = [(query, typed, False)]
        if self._unit_names:
            stripped = _strip_kind(query)
            if stripped != query:
                cut = _drop_words(typed, query.count(" ") - stripped.count(" "))
                queries.append((stripped, cut, True))
        # Codes are ASCII: compare them with the text as typed (case-insensitive), so
        # that "Mỹ" finds the United States by name rather than Malaysia by code "MY".
        code_query = "".join(text.split()).lower()
        padded = None
        if self._code_width and code_query.isdigit() and len(code_query) < self._code_width:
            padded = code_query.zfill(self._code_width)
        if self._index is None:
            self._index = self._build_index()
        compact_queries = [(q, q.replace(" ", ""), " " + q, r, cut) for q, r, cut in queries]
        scored = []
        for order, (entry, code, keys) in enumerate(self._index):
            if code in (code_query, padded):
                scored.append((_CODE_EXACT, False, False, False, False, 0, order, entry))
                continue
            best = None
            for key, compact, raw, is_other, key_cut in keys:
                for q, cq, spaced, typed_raw, query_cut in compact_queries:
                    if compact == cq:
                        tier = _EXACT
                    elif compact.startswith(cq):
                        tier = _PREFIX
                    elif spaced in " " + key:
                        tier = _WORD_PREFIX
                    elif cq in compact:
                        tier = _SUBSTRING
                    else:
                        continue
                    # Within a tier: the same diacritics as typed first ("Đá Bạc" before
                    # "Đà Bắc"), then names before other names, matches that did not
                    # need the kind word removed, the same spacing ("Đa Krông" before
                    # "Đakrông"), shorter names.
                    rank = (
                        tier,
                        raw != typed_raw,
                        is_other,
                        key_cut or query_cut,
                        key != q,
                        len(compact),
                    )
                    if best is None or rank < best:
                        best = rank
            if best is None and code.startswith(code_query):
                best = (_PREFIX, True, False, False, True, len(code))
            if best is not None:
                scored.append((*best, order, entry))
        scored.sort(key=lambda item: item[:7])
        found = [item[7] for item in scored]
        return found if limit is None else found[:limit]


@attrs.frozen
class Catalogs:
    """All the catalogues of the register, one :class:`Catalog` per attribute."""

    sexes: Catalog
    ethnicities: Catalog
    nationalities: Catalog
    provinces: Catalog
    communes: Catalog
    id_prefixes: Catalog
    schooling: Catalog
    circumstances: Catalog
    supports: Catalog


def _optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _read(name: str) -> Catalog:
    """Parse one catalogue file: '#' lines (``source``, ``date``), a header row, rows."""
    raw = files("libchild").joinpath("catalogs", f"{name}.csv").read_text(encoding="utf-8")
    lines = raw.splitlines()
    meta: dict[str, str] = {}
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        key, _, value = lines[start][1:].partition(":")
        meta[key.strip()] = value.strip()
        start += 1
    reader = csv.reader(lines[start:])
    header = next(reader)
    column = {field: i for i, field in enumerate(header)}
    width = len(header)
    days: dict[str, date] = {}

    def day(value: str) -> date | None:
        value = value.strip()
        if not value:
            return None
        if value not in days:
            days[value] = date.fromisoformat(value)
        return days[value]

    extra = [f for f in ("group", "parent", "kind", "law_letter") if f in column]
    entries = []
    for row in reader:
        if not row:
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        others = row[column["other_names"]]
        entries.append(
            Entry(
                code=row[column["code"]].strip(),
                name=row[column["name"]].strip(),
                other_names=tuple(o.strip() for o in others.split(";") if o.strip()),
                valid_from=day(row[column["valid_from"]]),
                valid_to=day(row[column["valid_to"]]),
                **{f: _optional(row[column[f]]) for f in extra},
            )
        )
    return Catalog(
        name,
        entries,
        source=meta.get("source", ""),
        date=meta.get("date", ""),
        unit_names=name in _UNIT_CATALOGUES,
    )


@cache
def load() -> Catalogs:
    """Return all catalogues (read once, then cached for the process)."""
    return Catalogs(**{name: _read(name) for name in CATALOGUE_NAMES})
