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
    "IMPORT_FIELDS",
    "REQUIRED_FIELDS",
    "ColumnMap",
    "field_for_header",
    "header_score",
    "load_mapping",
    "match_columns",
    "normalize_header",
    "save_mapping",
]

MAPPING_FORMAT = "treem-column-mapping"
MAPPING_VERSION = 1

#: The canonical fields a bulk import can fill, in the order of the error workbook.
IMPORT_FIELDS: tuple[str, ...] = (
    "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "circumstances", "death_date",
)
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


@dataclass
class ColumnMap:
    """The chosen column for each field (0-based indexes) and what was left out."""

    fields: dict[str, int]
    headers: tuple[str, ...]
    ignored: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def column_of(self, field_name: str) -> int | None:
        """Return the 0-based column index of ``field_name`` or None."""
        return self.fields.get(field_name)


def match_columns(
    headers: Sequence[str], saved: Mapping[str, str | None] | None = None
) -> ColumnMap:
    """Map each header to a field: a saved mapping first, then the known spellings.

    ``saved`` maps header texts to field names (or None to ignore a column); its keys are
    compared after :func:`normalize_header`. When two columns name the same field the
    first wins and a notice names the other. Raises :class:`SpreadsheetError` when a
    required column is missing.
    """
    chosen: dict[str, int] = {}
    ignored: list[str] = []
    notices: list[str] = []
    saved_keys = {normalize_header(k): v for k, v in (saved or {}).items()}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = normalize_header(header)
        target = saved_keys[key] if key in saved_keys else field_for_header(header)
        if target is None:
            ignored.append(header)
            continue
        if target in chosen:
            notices.append(
                messages.text(
                    "header.duplicate_column",
                    field=messages.FIELD_LABELS.get(target, target),
                    columns=f"\"{headers[chosen[target]]}\", \"{header}\"",
                )
            )
            ignored.append(header)
            continue
        chosen[target] = index
    missing = [f for f in REQUIRED_FIELDS if f not in chosen]
    if missing:
        raise SpreadsheetError(
            "header.missing_columns",
            columns=", ".join(f"\"{messages.FIELD_LABELS[f]}\"" for f in missing),
        )
    return ColumnMap(chosen, tuple(headers), ignored, notices)


def save_mapping(
    path: str | os.PathLike[str],
    column_map: ColumnMap,
    options: Mapping[str, object] | None = None,
) -> None:
    """Save the header-to-field choice (and import options) as JSON at ``path``."""
    by_index = {index: name for name, index in column_map.fields.items()}
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
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")


def load_mapping(path: str | os.PathLike[str]) -> tuple[dict[str, str | None], dict[str, object]]:
    """Read a mapping saved by :func:`save_mapping`: (columns, options)."""
    path = Path(path)
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpreadsheetError("mapping.unreadable", path=str(path), reason=str(exc)) from exc
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
