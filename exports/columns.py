"""Header mapping: which spreadsheet column holds which canonical field.

Headers are matched after folding (case, diacritics, đ/d, punctuation and spacing do
not matter), so "Họ và tên", "ho ten" and "HO VA TEN" all name ``full_name``. A header
typed in TCVN3 or VNI (".VnTime" lists) is decoded before matching. A mapping chosen
by the user can be saved as JSON and reused for the next file with the same headers.

>>> normalize_header("Ngày, tháng, năm sinh (*)")
'ngay thang nam sinh'
>>> field_for_header("HO VA TEN")
'full_name'
>>> field_for_header("Giới tính (Nam/Nữ)")
'sex'
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exports import messages
from exports.atomic import atomic_path
from exports.errors import SpreadsheetError
from libchild.text import decode_legacy, detect_legacy, fold

__all__ = [
    "ALIASES",
    "CODED_FIELDS",
    "IMPORT_FIELDS",
    "REQUIRED_FIELDS",
    "ColumnMap",
    "Joined",
    "field_for_header",
    "header_score",
    "joined_value",
    "load_mapping",
    "match_columns",
    "normalize_header",
    "save_mapping",
    "split_header",
]

MAPPING_FORMAT = "treem-column-mapping"
MAPPING_VERSION = 1

#: The canonical fields a bulk import can fill, in the order of the error workbook.
IMPORT_FIELDS: tuple[str, ...] = (
    "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "circumstances", "supports", "death_date",
)
#: Fields whose spreadsheets often hold a code column and a name column side by side
#: ("Mã dân tộc" | "Dân tộc"): the code is read, the name checks it.
CODED_FIELDS = frozenset({
    "sex", "ethnicity", "nationality", "schooling", "commune_code", "province_code",
    "circumstances",
})
_NAME_FIELDS = frozenset({"full_name", "father_name", "mother_name", "caregiver_name"})
_DATE_FIELDS = frozenset({"birth_date", "death_date"})
#: Sub-headers of a split name, a split date and a sex split into two mark columns.
_NAME_PARTS = frozenset({
    "ho", "ho dem", "ho va dem", "ho va ten dem", "ho va chu dem", "ho chu dem", "ten dem",
    "chu dem", "dem", "ten", "ten goi",
})
_DATE_PARTS = {"ngay": 0, "thang": 1, "nam": 2}
_SEX_PARTS = {"nam": "1", "nu": "2"}
#: Without these columns a file cannot be imported.
REQUIRED_FIELDS: tuple[str, ...] = ("full_name", "birth_date")

#: Folded header spellings for each canonical field (see :func:`normalize_header`).
ALIASES: dict[str, tuple[str, ...]] = {
    "personal_id": (
        "so dinh danh", "so dinh danh ca nhan", "ma dinh danh", "ma so dinh danh",
        "so dinh danh cua tre", "cccd", "so cccd", "can cuoc", "so can cuoc",
        "can cuoc cong dan", "so can cuoc cong dan", "ma so ca nhan", "personal id",
        "personal_id", "sddcn", "so ddcn",
    ),
    "full_name": (
        "ho va ten", "ho ten", "ho va ten tre", "ho ten tre", "ho va ten tre em",
        "ho ten tre em", "ten tre", "ten tre em", "ho va ten cua tre", "full name",
        "full_name", "name",
    ),
    "sex": ("gioi tinh", "gioi", "gt", "nam nu", "phai", "sex", "gender"),
    "birth_date": (
        "ngay sinh", "ngay thang nam sinh", "ngay thang nam sinh cua tre", "sinh ngay",
        "ngay sinh cua tre", "nam sinh", "ns", "date of birth", "birth date", "birth_date",
        "dob",
    ),
    "ethnicity": (
        "dan toc", "ten dan toc", "ma dan toc", "dt", "ma dt", "ethnicity",
    ),
    "nationality": ("quoc tich", "nationality"),
    "current_address": (
        "noi o hien tai", "noi o hien nay", "cho o hien tai", "cho o hien nay",
        "noi cu tru", "noi cu tru hien tai", "current address", "current_address",
    ),
    "address_detail": (
        "dia chi", "dia chi chi tiet", "dia chi cu the", "so nha", "dia chi thuong tru",
        "address", "address_detail",
    ),
    "schooling": (
        "tinh trang hoc tap", "tinh trang di hoc", "hoc tap", "hoc van", "dang hoc",
        "schooling",
    ),
    "village": (
        "thon", "xom", "ban", "ap", "thon xom", "thon ban", "thon xom ban",
        "thon to dan pho", "to dan pho", "tdp", "tieu khu", "thon to", "village",
    ),
    "commune_code": ("xa", "ma xa", "xa phuong", "ma xa phuong", "commune", "commune_code"),
    "province_code": (
        "tinh", "ma tinh", "tinh thanh pho", "tinh thanh", "province", "province_code",
    ),
    "caregiver_id": (
        "so dinh danh nguoi cham soc", "cccd nguoi cham soc", "so cccd nguoi cham soc",
        "so dinh danh cha me", "cccd cha me", "cccd cha me nguoi cham soc",
        "cccd cha me nguoi nuoi duong", "cccd nguoi nuoi duong", "cmnd nguoi cham soc",
        "so dinh danh cua nguoi cham soc", "caregiver id", "caregiver_id",
    ),
    "father_name": ("ho ten cha", "ho va ten cha", "ten cha", "cha", "ho ten bo", "bo",
                    "father", "father_name"),
    "mother_name": ("ho ten me", "ho va ten me", "ten me", "me", "mother", "mother_name"),
    "caregiver_name": (
        "nguoi cham soc", "ho ten nguoi cham soc", "ho va ten nguoi cham soc",
        "ten nguoi cham soc", "nguoi nuoi duong", "ho ten nguoi nuoi duong",
        "nguoi giam ho", "ho ten nguoi giam ho", "caregiver", "caregiver_name",
    ),
    "circumstances": (
        "hoan canh", "hoan canh dac biet", "ma hoan canh", "nhom hoan canh",
        "circumstances",
    ),
    "supports": ("tro giup da nhan", "tro giup", "hinh thuc tro giup", "ho tro da nhan",
                 "ho tro", "hinh thuc ho tro", "supports"),
    "death_date": ("ngay mat", "ngay tu vong", "death date", "death_date"),
}

_BY_ALIAS: dict[str, str] = {
    alias: name for name, aliases in ALIASES.items() for alias in aliases
}
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_NUMBERING = re.compile(r"^(?:\d+[.)]\s*)+")


def normalize_header(text: object) -> str:
    """Return the matching key of a header cell: folded, no brackets or punctuation."""
    if text is None:
        return ""
    key = fold(str(text))
    key = _PARENS.sub(" ", key)
    key = _NUMBERING.sub("", key.strip())
    return " ".join(_NOT_WORD.sub(" ", key).split())


def field_for_header(text: object) -> str | None:
    """Return the canonical field a header names, or None.

    A header that looks TCVN3- or VNI-encoded is decoded first.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    found = _BY_ALIAS.get(normalize_header(text))
    if found is None and not text.isascii():
        # a legacy header: the detector's guess first, then each encoding in turn
        # (short headers such as "Giíi tÝnh" are too short for the detector)
        guess = detect_legacy(text)
        for encoding in dict.fromkeys((guess, "tcvn3", "vni")):
            if encoding is None:
                continue
            found = _BY_ALIAS.get(normalize_header(decode_legacy(text, encoding=encoding)))
            if found is not None:
                break
    return found


def header_score(values: Sequence[object]) -> int:
    """Number of distinct known fields a row names: the header detector's score."""
    return len({f for f in map(field_for_header, values) if f is not None})


@dataclass(frozen=True)
class Joined:
    """A field spread over several columns (a split header): ``kind`` is ``name`` (parts
    joined with spaces), ``date`` (day, month, year) or ``sex`` (a mark under "Nam" or
    "Nữ"); ``columns`` are 0-based, ``parts`` the matching sub-header keys."""

    kind: str
    columns: tuple[int, ...]
    parts: tuple[str, ...]


@dataclass
class ColumnMap:
    """The chosen column for each field (0-based indexes) and what was left out.

    ``names`` holds, for a coded field given as code and name columns side by side, the
    name column (``fields`` has the code column); ``joined`` the fields spread over
    several columns; ``ethnicity_numbering`` the table the ethnicity code column's header
    states (:func:`exports.ethnicity_codes.numbering_in_header`).
    """

    fields: dict[str, int]
    headers: tuple[str, ...]
    ignored: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    joined: dict[str, Joined] = field(default_factory=dict)
    ethnicity_numbering: str | None = None

    def column_of(self, field_name: str) -> int | None:
        """Return the 0-based column index of ``field_name`` or None."""
        return self.fields.get(field_name)


def _code_column(key: str, target: str | None) -> tuple[str | None, bool]:
    """(field, is the code column) of a folded header: "ma dan toc" is ethnicity's code."""
    if key.startswith("ma "):
        rest = _BY_ALIAS.get(key[3:])
        if rest in CODED_FIELDS:
            return rest, True
        if target in CODED_FIELDS:
            return target, True
    return target, False


def match_columns(
    headers: Sequence[str],
    saved: Mapping[str, str | None] | None = None,
    joined: Mapping[str, Joined] | None = None,
) -> ColumnMap:
    """Map each header to a field: a saved mapping first, then the known spellings.

    ``saved`` maps header texts to field names (or None to ignore a column); its keys are
    compared after :func:`normalize_header`. A coded field may come as a code column and
    a name column ("Mã dân tộc", "Dân tộc"): the code is read and the name checks it.
    Otherwise, when two columns name the same field the first wins and a notice names
    the other. ``joined`` are fields spread over several columns (:func:`split_header`).
    Raises :class:`SpreadsheetError` when a required column is missing.
    """
    chosen: dict[str, int] = {}
    is_code: dict[str, bool] = {}
    names: dict[str, int] = {}
    ignored: list[str] = []
    notices: list[str] = []
    numbering: str | None = None
    joined = dict(joined or {})
    in_groups = {c for group in joined.values() for c in group.columns}
    saved_keys = {normalize_header(k): v for k, v in (saved or {}).items()}
    for index, header in enumerate(headers):
        if not header or index in in_groups:
            continue
        key = normalize_header(header)
        target = saved_keys[key] if key in saved_keys else field_for_header(header)
        target, code = _code_column(key, target)
        if target is None:
            ignored.append(header)
            continue
        if code and target == "ethnicity":
            numbering = numbering or _numbering(header)
        if target in chosen or target in joined:
            first = chosen.get(target)
            if (first is not None and target in CODED_FIELDS and target not in names
                    and code != is_code[target]):
                if code:
                    names[target], chosen[target], is_code[target] = first, index, True
                else:
                    names[target] = index
                continue
            notices.append(
                messages.text(
                    "header.duplicate_column",
                    field=messages.FIELD_LABELS.get(target, target),
                    columns=f"\"{headers[first if first is not None else index]}\", "
                            f"\"{header}\"",
                )
            )
            ignored.append(header)
            continue
        chosen[target], is_code[target] = index, code
    for name, group in joined.items():
        chosen[name] = group.columns[0]
    missing = [f for f in REQUIRED_FIELDS if f not in chosen]
    if missing:
        raise SpreadsheetError(
            "header.missing_columns",
            columns=", ".join(f"\"{messages.FIELD_LABELS[f]}\"" for f in missing),
        )
    return ColumnMap(chosen, tuple(headers), ignored, notices, names, joined, numbering)


def _numbering(header: str) -> str | None:
    from exports.ethnicity_codes import numbering_in_header

    return numbering_in_header(header)


def split_header(
    headers: Sequence[str], below: Sequence[object] | None
) -> tuple[dict[str, Joined], tuple[str, ...], bool]:
    """Understand a header spread over two rows or over merged cells.

    ``headers`` is the header row as read (a merged header cell repeated over its
    columns), ``below`` the next row. Returns ``(joined fields, headers with each part
    column named "Header: part", whether ``below`` is a sub-header row)``. A name split
    into "Họ" | "Tên" (or a merged "Họ và tên" over two columns) is joined; a date split
    into "Ngày" | "Tháng" | "Năm" and a sex split into "Nam" | "Nữ" are read as one
    field. Anything else split under a known field is refused with
    :class:`SpreadsheetError` (``header.split_unknown``): never half a name.
    """
    width = max(len(headers), len(below or ()))
    top = [headers[i] if i < len(headers) else "" for i in range(width)]
    sub = [below[i] if below is not None and i < len(below) else None for i in range(width)]
    sub_keys = [normalize_header(v) if isinstance(v, str) else "" for v in sub]
    # the parent of each column: its own header, a merged header repeated over it, or
    # (for a sub-header under an empty top cell) the nearest header on its left
    # (a name column followed by a column without header is one name too: a header
    # centred across two columns without merging them)
    parts = _NAME_PARTS | set(_DATE_PARTS) | set(_SEX_PARTS)
    parent: list[str] = []
    for index in range(width):
        left = parent[-1] if parent else ""
        if top[index]:
            parent.append(top[index])
        elif left and sub[index] is not None and (
                sub_keys[index] in parts or field_for_header(left) in _NAME_FIELDS):
            parent.append(left)
        else:
            parent.append("")
    spans: list[tuple[str, list[int]]] = []
    for index, name in enumerate(parent):
        if name and spans and spans[-1][0] == name and spans[-1][1][-1] == index - 1:
            spans[-1][1].append(index)
        elif name:
            spans.append((name, [index]))
    is_sub_row = any(
        len(cols) > 1 and _kind(field_for_header(name), [sub_keys[c] for c in cols])
        for name, cols in spans
    )
    joined: dict[str, Joined] = {}
    renamed = list(top)
    for name, cols in spans:
        if len(cols) < 2:
            continue
        target = field_for_header(name)
        if target is None:
            continue
        parts = [sub_keys[c] for c in cols] if is_sub_row else [""] * len(cols)
        kind = _kind(target, parts)
        if kind is None:
            shown = ", ".join(
                f"\"{str(sub[c])[:40] if isinstance(sub[c], str) else '?'}\"" for c in cols)
            raise SpreadsheetError("header.split_unknown", header=name[:60], parts=shown)
        joined[target] = Joined(kind, tuple(cols), tuple(parts))
        for c in cols:
            label = sub[c] if is_sub_row and isinstance(sub[c], str) else str(cols.index(c) + 1)
            renamed[c] = f"{name}: {label}"
    return joined, tuple(renamed), is_sub_row


def _kind(target: str | None, parts: Sequence[str]) -> str | None:
    """How the sub-columns ``parts`` of ``target`` make one value, or None."""
    if target in _NAME_FIELDS and all(not p or p in _NAME_PARTS for p in parts):
        return "name"
    if target in _DATE_FIELDS and sorted(parts) == sorted(_DATE_PARTS) and len(parts) == 3:
        return "date"
    if target == "sex" and sorted(parts) == sorted(_SEX_PARTS):
        return "sex"
    return None


def joined_value(group: Joined, values: Sequence[object]) -> object:
    """The one value of a field spread over ``group.columns`` of ``values``."""
    cells = [values[c] if c < len(values) else None for c in group.columns]
    if group.kind == "name":
        return " ".join(str(v).strip() for v in cells if v not in (None, "")) or None
    if group.kind == "date":
        by_part = dict(zip(group.parts, cells, strict=True))
        day, month, year = (by_part[p] for p in ("ngay", "thang", "nam"))
        if all(v in (None, "") for v in (day, month, year)):
            return None
        return "/".join(_integer_text(v) for v in (day, month, year))
    marked = [_SEX_PARTS[p] for p, v in zip(group.parts, cells, strict=True)
              if v not in (None, "")]
    return marked[0] if len(marked) == 1 else ("/".join(marked) or None)


def _integer_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def save_mapping(
    path: str | os.PathLike[str],
    column_map: ColumnMap,
    options: Mapping[str, object] | None = None,
    *,
    scratch: str | os.PathLike[str] | None = None,
) -> None:
    """Save the header-to-field choice (and import options) as JSON at ``path``."""
    by_index = {index: name for name, index in column_map.names.items()}
    by_index.update({c: name for name, group in column_map.joined.items()
                     for c in group.columns})
    by_index.update({index: name for name, index in column_map.fields.items()})
    columns = {
        header: by_index.get(index)
        for index, header in enumerate(column_map.headers)
        if header
    }
    document = {
        "format": MAPPING_FORMAT,
        "version": MAPPING_VERSION,
        "columns": columns,
        "options": dict(options or {}),
    }
    with atomic_path(path, scratch=scratch) as tmp:
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")


def load_mapping(path: str | os.PathLike[str]) -> tuple[dict[str, str | None], dict[str, object]]:
    """Read a mapping saved by :func:`save_mapping`: (columns, options)."""
    path = Path(path)
    try:
        document = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise SpreadsheetError("mapping.unreadable", path=str(path),
                               reason=messages.os_reason(exc.errno)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpreadsheetError("mapping.unreadable", path=str(path),
                               reason=messages.text("mapping.not_ours")) from exc
    if not isinstance(document, dict) or document.get("format") != MAPPING_FORMAT:
        raise SpreadsheetError(
            "mapping.unreadable", path=str(path), reason=messages.text("mapping.not_ours")
        )
    columns = document.get("columns")
    options = document.get("options") or {}
    if not isinstance(columns, dict) or not isinstance(options, dict):
        raise SpreadsheetError(
            "mapping.unreadable", path=str(path), reason=messages.text("mapping.not_ours")
        )
    for name in columns.values():
        if name is not None and name not in IMPORT_FIELDS:
            raise SpreadsheetError("mapping.bad_field", path=str(path), field=name)
    return {str(k): v for k, v in columns.items()}, options
