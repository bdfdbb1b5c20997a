"""Bulk import of children from an old list or another program's export.

:func:`plan_import` reads the file (:mod:`exports.workbook_reader`), maps the columns
(:mod:`exports.columns`), repairs TCVN3/VNI cells (:mod:`exports.legacy_cells`), turns
each row into a canonical record with :func:`libchild.clean`, and checks duplicates
within the file and against the records the caller passes (:func:`libchild.find_duplicates`).
Nothing is stored here: the plan says which rows are accepted and which are rejected,
with the reasons, so that the caller can show a preview and commit in one transaction.
:func:`write_error_workbook` writes the rejected rows with the reason beside each cell.

Always ``rows_in == len(accepted) + len(rejected)``; blank rows are not rows.

Validate once: each :class:`RowResult` carries the cleaned record and every issue
:func:`libchild.clean` found (``issues``; ``cleaned`` gives both as a
:class:`libchild.Cleaned`), so the store inserts the accepted rows without cleaning
them again. The app's own full export (:mod:`exports.full`) imports unchanged: code and
name columns side by side are paired, the ethnicity code column says its table.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import libchild
from exports import messages
from exports.atomic import atomic_path
from exports.columns import ColumnMap, header_score, joined_value, match_columns, split_header
from exports.ethnicity_codes import NUMBERINGS
from exports.ethnicity_codes import resolve as resolve_ethnicity
from exports.labels import id_text
from exports.legacy_cells import CHOICES, repair_cell
from exports.memory import release_freed_memory
from exports.progress import Progress
from exports.workbook_reader import MAX_ROWS, Row, Table, read_table
from exports.xlsx_style import new_workbook
from libchild.gcpause import paused_gc
from libchild.issues import Issue
from libchild.messages import duplicate_reason_label
from libchild.model import CANONICAL_FIELDS

__all__ = [
    "CleanedRows", "ImportOptions", "ImportPlan", "RowResult", "clip", "plan_import",
    "write_error_workbook",
]

_ID_FIELDS = ("personal_id", "caregiver_id")
_CODE_WIDTHS = {"commune_code": 5, "province_code": 2, "schooling": 2}
_DATE_FIELDS = ("birth_date", "death_date")
_TEXT_FIELDS = (
    "full_name", "current_address", "address_detail", "village", "father_name",
    "mother_name", "caregiver_name", "nationality",
)


@dataclass
class ImportOptions:
    """Choices for one import.

    ``legacy``: what to do with text whose font does not name an encoding (see
    :data:`exports.legacy_cells.CHOICES`). ``ethnicity_numbering``: ``"1979"`` when the
    user confirms that numeric ethnic codes follow QĐ 121-TCTK (1979), ``"2008"`` for QĐ
    1019/QĐ-TCTK (converted to 1979); otherwise a number is trusted only when the file's
    code column states its table or a name column beside it agrees
    (:mod:`exports.ethnicity_codes`), else the row is rejected.
    ``duplicate_score``: pairs scoring at least this are rejected, lower ones are kept
    with a warning. ``on``: the reference date for the age rules.
    """

    legacy: str = "auto"
    ethnicity_numbering: str | None = None
    duplicate_score: float = 0.85
    on: date | None = None
    sheet: str | None = None
    max_rows: int = MAX_ROWS
    defaults: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.legacy not in CHOICES:
            raise ValueError(f"legacy must be one of {CHOICES}")
        if self.ethnicity_numbering not in (None, *NUMBERINGS):
            raise ValueError(f"ethnicity_numbering must be one of {NUMBERINGS}")

    @classmethod
    def from_mapping(cls, options: Mapping[str, object], **overrides: Any) -> ImportOptions:
        """Build options from a saved mapping's ``options`` plus explicit overrides."""
        known = {k: v for k, v in options.items() if k in ("legacy", "ethnicity_numbering")}
        known.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**known)


#: The keys of a canonical record, in :func:`libchild.clean`'s order: a planned row keeps
#: its record as a tuple of these values (a third of the dict's size), rebuilt on demand.
_RECORD_KEYS: tuple[str, ...] = tuple(CANONICAL_FIELDS)
_LISTS = frozenset(("circumstances", "supports"))
_LIST_AT = tuple(_RECORD_KEYS.index(key) for key in sorted(_LISTS))
#: Fields whose text may be a cell's text unchanged (shared on freezing).
_TEXT_AT = tuple(i for i, key in enumerate(_RECORD_KEYS) if key not in _LISTS)


@dataclass(slots=True)
class RowResult:
    """One row of the file: its canonical record and what is wrong with it.

    ``record`` is :func:`libchild.clean`'s canonical record and ``issues`` every issue
    it found (all severities), so the store needs not clean the row again.
    ``problems`` maps a canonical field (or None for the whole row) to its messages;
    ``warnings`` lists messages that do not block the import; ``cells`` are the row's
    values as read (after TCVN3/VNI repair), for the error workbook.

    Once the plan is made (:meth:`freeze`) the record is held as a tuple of its values
    and ``record`` gives a new dict each time: a 50,000-row plan waits for the person's
    confirmation without 50,000 dicts.
    """

    number: int
    data: dict[str, Any] | tuple[Any, ...]
    problems: dict[str | None, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    cells: tuple[object, ...] = ()
    issues: tuple[Issue, ...] = ()

    @property
    def record(self) -> dict[str, Any]:
        """The canonical record (a new dict once the row is frozen)."""
        data = self.data
        if data.__class__ is dict:
            return data  # type: ignore[return-value]
        record = dict(zip(_RECORD_KEYS, data, strict=True))
        for key in _LISTS:
            record[key] = list(record[key])
        return record

    @record.setter
    def record(self, value: dict[str, Any]) -> None:
        self.data = value

    def freeze(self) -> None:
        """Keep the record as a tuple of values, its texts shared with the row's cells."""
        data = self.data
        if data.__class__ is not dict or tuple(data) != _RECORD_KEYS:
            return
        values = list(data.values())  # type: ignore[union-attr]
        for index in _LIST_AT:
            values[index] = tuple(values[index])
        same = {c: c for c in self.cells if c.__class__ is str}
        for index in _TEXT_AT:  # the same text as the cell: one copy
            value = values[index]
            if value.__class__ is str:
                values[index] = same.get(value, value)
        self.data = tuple(values)

    @property
    def rejected(self) -> bool:
        """True when the row cannot be imported."""
        return bool(self.problems)

    @property
    def cleaned(self) -> libchild.Cleaned:
        """The record and libchild's issues, as :func:`libchild.clean` returned them."""
        return libchild.Cleaned(self.record, list(self.issues))

    def add_problem(self, field_name: str | None, message: str) -> None:
        """Record a blocking problem of ``field_name``."""
        if self.problems is _NO_PROBLEMS:
            self.problems = {}
        self.problems.setdefault(field_name, []).append(message)

    def reasons(self) -> list[str]:
        """Every blocking message, in field order."""
        return [m for messages_ in self.problems.values() for m in messages_]


#: The problems of every accepted row once planned: one shared, read-only empty mapping
#: (:meth:`RowResult.add_problem` gives the row its own when the register refuses it).
_NO_PROBLEMS: Mapping[str | None, list[str]] = MappingProxyType({})


class CleanedRows(Sequence[libchild.Cleaned]):
    """``rows[i].cleaned``, built when asked: what the store's bulk insert takes without
    a list of 50,000 records made at once."""

    def __init__(self, rows: Sequence[RowResult]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [row.cleaned for row in self._rows[index]]
        return self._rows[index].cleaned


@dataclass
class ImportPlan:
    """What an import would do: accepted and rejected rows, with notices.

    ``table`` is the sheet read, its rows released once planned (each row's cells live
    on in its :class:`RowResult`); ``rows_in`` is how many data rows it had.
    """

    table: Table
    columns: ColumnMap
    accepted: list[RowResult]
    rejected: list[RowResult]
    notices: list[str]
    repaired_cells: int = 0
    rows_in: int = 0

    def records(self) -> list[dict[str, Any]]:
        """The canonical records to store."""
        return [r.record for r in self.accepted]

    def preview(self, limit: int = 10) -> dict[str, Any]:
        """Counts and the first rows with problems (rejected rows first), to confirm."""
        with_problems = sorted(self.rejected, key=_number) + [
            r for r in self.accepted if r.warnings
        ]
        return {
            "rows_in": self.rows_in,
            "accepted": len(self.accepted),
            "rejected": len(self.rejected),
            "with_warnings": sum(1 for r in self.accepted if r.warnings),
            "repaired_cells": self.repaired_cells,
            "notices": list(self.notices),
            "rows": [
                {
                    "row": r.number,
                    "full_name": clip(r.record.get("full_name")),
                    "rejected": r.rejected,
                    "messages": [clip(m, _MESSAGE_CLIP) for m in r.reasons() + r.warnings],
                }
                for r in with_problems[:limit]
            ],
        }


def _number(result: RowResult) -> int:
    return result.number


#: Characters of a value or a message shown in a preview (a cell may hold 32,767).
_VALUE_CLIP = 60
_MESSAGE_CLIP = 300


def clip(text: object, limit: int = _VALUE_CLIP) -> object:
    """``text`` cut to ``limit`` characters with "…" (non-text unchanged): a preview or
    an error message never prints an unbounded cell.

    >>> clip("a" * 100, 5), clip(None)
    ('aaaa…', None)
    """
    if isinstance(text, str) and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def plan_import(
    path: str | os.PathLike[str],
    *,
    mapping: Mapping[str, str | None] | None = None,
    options: ImportOptions | None = None,
    existing: Sequence[Mapping[str, Any]] = (),
    existing_labels: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read, repair, validate and de-duplicate the children listed in ``path``.

    ``existing`` are canonical records already in the register (for the duplicate
    check); ``existing_labels[i]`` names record ``i`` in messages (default its name and
    birth date). Raises :class:`exports.SpreadsheetError` for a file that cannot be
    read; every problem of a row is reported on that row instead.
    """
    options = options or ImportOptions()
    table = read_table(
        path, header_score, sheet=options.sheet, max_rows=options.max_rows, progress=progress
    )
    notices = list(table.notices)
    first = table.rows[0] if table.rows else None
    below = first.values if first is not None and first.number == table.header_row + 1 \
        else None
    joined, headers, sub_header_row = split_header(table.headers, below)
    if sub_header_row:
        del table.rows[0]
    table.headers = headers
    for name, group in joined.items():
        notices.append(messages.text(
            "notice.two_row_header", header=clip(headers[group.columns[0]].split(":")[0]),
            parts=", ".join(f"\"{clip(headers[c])}\"" for c in group.columns)))
        del name
    columns = match_columns(table.headers, mapping, joined)
    notices.extend(columns.notices)
    results: list[RowResult] = []
    repaired: dict[str, int] = {}
    converted: dict[str, int] = {}
    shared: dict[str, str] = {}
    repairs: dict[tuple[str, str | None], tuple[object, str | None]] = {}
    issue_sets: dict[tuple[Issue, ...], tuple[Issue, ...]] = {}
    if progress is not None:
        progress.total = len(table.rows) * 2
    with paused_gc():
        for row in table.rows:
            results.append(_convert_row(row, columns, options, repaired, converted, shared,
                                        repairs, issue_sets))
            if progress is not None:
                progress.step()
    for encoding, count in sorted(repaired.items()):
        notices.append(
            messages.text("notice.legacy_repaired", count=count, encoding=encoding.upper())
        )
    if converted.get("2008"):
        notices.append(messages.text("import.ethnicity_2008", count=converted["2008"]))
    own_export = _OWN_EXPORT in table.keywords
    _check_duplicates(results, existing, existing_labels, options, in_file_blocks=not own_export)
    accepted = [r for r in results if not r.rejected]
    rejected = [r for r in results if r.rejected]
    del results
    for result in accepted:
        result.problems = _NO_PROBLEMS  # type: ignore[assignment]
    rows_in = len(table.rows)
    table.rows = []  # the cells live on in the results; nothing else is held for commit
    release_freed_memory()  # what validating and matching dropped, before the wait
    if progress is not None:
        progress.finish()
    return ImportPlan(table, columns, accepted, rejected, notices, sum(repaired.values()),
                      rows_in)


_REPEATED = ("birth_date", "death_date")
#: Repairs remembered per (text, font): villages, addresses, ethnic names and parents'
#: names repeat down an old list, and decoding a text is the dearest step of a row.
_REPAIRS_KEPT = 100_000


def _convert_row(
    row: Row, columns: ColumnMap, options: ImportOptions, repaired: dict[str, int],
    converted: dict[str, int], shared: dict[str, str], repairs: dict[tuple[str, str | None],
                                                                   tuple[object, str | None]],
    issue_sets: dict[tuple[Issue, ...], tuple[Issue, ...]],
) -> RowResult:
    raw: dict[str, Any] = dict(options.defaults)
    cells: Sequence[object] = row.values
    fonts = row.fonts
    changed: list[object] | None = None
    for index, value in enumerate(cells if row.legacy else ()):
        if value.__class__ is str and not value.isascii():
            font = fonts[index] if index < len(fonts) else None
            found = repairs.get((value, font))
            if found is None:
                found = repair_cell(value, font, options.legacy)
                if len(repairs) < _REPAIRS_KEPT:
                    repairs[(value, font)] = found
            fixed, encoding = found
            if encoding is not None:
                repaired[encoding] = repaired.get(encoding, 0) + 1
                if changed is None:
                    changed = list(cells)
                changed[index] = fixed
    if changed is not None:
        cells = tuple(changed)
    result = RowResult(row.number, raw, cells=cells)
    width = len(cells)
    for name, index in columns.fields.items():
        group = columns.joined.get(name)
        if group is not None:
            value = joined_value(group, cells)
        else:
            value = cells[index] if index < width else None
            if value is None and name in columns.names:
                value = _cell(cells, columns.names[name])  # the code cell is empty
        if value is not None:
            raw[name] = _coerce(name, value, result, options, columns, cells, converted)
    cleaned = libchild.clean(raw, on=options.on)
    record = cleaned.record
    for key in _REPEATED:  # one copy of each date (50,000 children share ~5,000 days)
        value = record[key]
        if value.__class__ is str:
            record[key] = shared.setdefault(value, value)
    result.record = record
    found_issues = tuple(cleaned.issues)  # rows share the usual few combinations
    result.issues = issue_sets.setdefault(found_issues, found_issues) \
        if len(issue_sets) < _REPAIRS_KEPT else found_issues
    for found in cleaned.issues:
        if found.severity == "error":
            result.add_problem(found.field, found.message)
        elif found.severity == "warning":
            result.warnings.append(found.message)
    if "ethnicity" in result.problems:
        record["ethnicity"] = None
    result.freeze()
    return result


def _cell(cells: Sequence[object], index: int | None) -> object:
    return cells[index] if index is not None and index < len(cells) else None


def _coerce(name: str, value: Any, result: RowResult, options: ImportOptions,
            columns: ColumnMap, cells: Sequence[object], converted: dict[str, int]) -> Any:
    """Turn a cell value into what libchild reads, flagging what cannot be trusted."""
    if name in _ID_FIELDS:
        return id_text(value)
    if name in _DATE_FIELDS:
        if isinstance(value, datetime):
            return value.date()
        return value
    if name in _CODE_WIDTHS and isinstance(value, (int, float)) and float(value).is_integer():
        return str(int(value)).zfill(_CODE_WIDTHS[name])
    if name == "ethnicity":
        text = _plain(value)
        if text.isdigit():
            label = _cell(cells, columns.names.get("ethnicity"))
            code, table = resolve_ethnicity(
                text, _plain(label) if label is not None else None,
                columns.ethnicity_numbering or options.ethnicity_numbering)
            if code is not None:
                if table is not None:
                    converted[table] = converted.get(table, 0) + 1
                return code
            if label is not None:
                result.add_problem("ethnicity", messages.text(
                    "header.ethnicity_disagree", value=clip(text), name=clip(_plain(label))))
            else:
                result.add_problem("ethnicity", messages.text("import.ethnicity_numeric",
                                                              value=clip(text)))
            return None
        return text
    if name == "sex" and isinstance(value, (int, float)):
        return _plain(value)
    if name == "circumstances":
        return _circumstance_items(_plain(value))
    if name == "supports":
        return _support_items(_plain(value))
    if name in _TEXT_FIELDS:
        return _plain(value)
    return value


_CODE_LIKE = re.compile(r"^[A-Za-z]{2}\d{2}$")
_DATE_IN_PARENS = re.compile(r"\(([^()]*)\)\s*$")


def _circumstance_items(text: str) -> list[str]:
    """Codes or names separated by ";" (the register's own lists); an old list's
    "DB01, NC02" too, but never a name cut at its commas."""
    items = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(_CODE_LIKE.match(p) for p in pieces):
            items.extend(p.upper() for p in pieces)
        else:
            items.append(part.upper() if _CODE_LIKE.match(part) else part)
    return items


def _support_items(text: str) -> list[dict[str, Any]]:
    """Supports as the full export writes them: "TG01 Trợ giúp y tế (01/03/2025); ..."."""
    items = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        day = None
        found = _DATE_IN_PARENS.search(part)
        if found is not None:
            day, part = found.group(1).strip(), part[: found.start()].strip()
        first = part.split(None, 1)[0] if part else ""
        form = first.upper() if _CODE_LIKE.match(first) else part
        items.append({"form": form, "date": day})
    return items


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


#: The register's own full export says so in its keywords (exports.full.KEYWORDS).
_OWN_EXPORT = "treem:full-export"


def _check_duplicates(
    results: list[RowResult],
    existing: Sequence[Mapping[str, Any]],
    existing_labels: Sequence[str] | None,
    options: ImportOptions,
    *,
    in_file_blocks: bool = True,
) -> None:
    """Reject rows that duplicate a register record (or, when ``in_file_blocks``, an
    earlier row of the file) with a score of at least ``options.duplicate_score``; lower
    scores are warnings. In the register's own export two rows are two records the
    register already holds: their likeness is a warning, for the duplicate review."""
    candidates = [r for r in results if not r.rejected]
    if not candidates:
        return
    offset = len(existing)
    # one record at a time: find_duplicates keeps only its matching view of each
    records = itertools.chain((dict(r) for r in existing), (r.record for r in candidates))
    pairs = libchild.find_duplicates(records)
    for pair in sorted(pairs, key=lambda p: (max(p.left, p.right), min(p.left, p.right))):
        low, high = sorted((pair.left, pair.right))
        if high < offset:
            continue  # both already in the register: not this import's business
        target = candidates[high - offset]
        reasons = _reason_labels(pair.reasons)
        if low < offset:
            who = existing_labels[low] if existing_labels else _label(existing[low])
            message = messages.text("import.duplicate_existing", who=who, reasons=reasons)
        else:
            other = candidates[low - offset]
            message = messages.text("import.duplicate_in_file", row=other.number, reasons=reasons)
        if pair.score >= options.duplicate_score and (low < offset or in_file_blocks):
            if not target.rejected or message not in target.reasons():
                target.add_problem(None, message)
        else:
            target.warnings.append(message)


def _reason_labels(reasons: Sequence[str]) -> str:
    """The Vietnamese labels of find_duplicates reason codes, for a message.

    Joined with "; " because a label may itself contain a comma ("cùng tên, ngày sinh
    gần nhau").
    """
    return "; ".join(duplicate_reason_label(code) for code in reasons)


def _label(record: Mapping[str, Any]) -> str:
    birth = record.get("birth_date")
    if isinstance(birth, date):
        birth = birth.strftime("%d/%m/%Y")
    return " ".join(str(x) for x in (record.get("full_name"), birth) if x)


def write_error_workbook(plan: ImportPlan, out: str | os.PathLike[str], *,
                         scratch: str | os.PathLike[str] | None = None) -> int:
    """Write the rejected rows of ``plan`` to ``out`` with the reason beside each cell.

    Columns: the original row number, then each original column followed (where any
    rejected row has a problem there) by a "Lỗi: ..." column, then every reason of the
    row. Returns the number of rows written. The file is written atomically, mode 0600,
    its partial and scratch files in ``scratch`` (:mod:`exports.scratch`).
    """
    headers = list(plan.table.headers)
    field_of_column = {index: name for name, index in plan.columns.fields.items()}
    flagged = sorted(
        {
            plan.columns.fields[name]
            for r in plan.rejected
            for name in r.problems
            if name is not None and name in plan.columns.fields
        }
    )
    with atomic_path(out, scratch=scratch) as tmp:
        # rows are written in order: constant memory, however many rows were rejected
        book, styles = new_workbook(tmp, constant_memory=True, tmpdir=tmp.parent)
        sheet = book.add_worksheet(messages.text("import.error_sheet"))
        layout: list[tuple[str, int | None]] = [("row", None)]
        for index in range(len(headers)):
            layout.append(("value", index))
            if index in flagged:
                layout.append(("reason", index))
        layout.append(("all", None))
        for col, (kind, index) in enumerate(layout):
            if kind == "row":
                title = messages.text("import.error_row")
            elif kind == "value":
                title = headers[index]
            elif kind == "reason":
                title = messages.text("import.error_beside", header=headers[index])
            else:
                title = messages.text("import.error_reasons")
            sheet.write_string(0, col, title, styles["header"])
            sheet.set_column(col, col, 40 if kind in ("reason", "all") else 18)
        sheet.freeze_panes(1, 1)
        for line, result in enumerate(sorted(plan.rejected, key=_number), start=1):
            values = result.cells
            for col, (kind, index) in enumerate(layout):
                if kind == "row":
                    sheet.write_number(line, col, result.number, styles["cell"])
                elif kind == "value":
                    value = values[index] if index < len(values) else None
                    name = field_of_column.get(index)
                    _write_value(sheet, line, col, value, styles, name)
                elif kind == "reason":
                    found = result.problems.get(field_of_column.get(index), [])
                    if found:
                        sheet.write_string(line, col, " ".join(found), styles["error"])
                else:
                    sheet.write_string(line, col, " ".join(result.reasons()), styles["error"])
        book.close()
    return len(plan.rejected)


def _write_value(sheet, line, col, value, styles, field_name) -> None:
    if value is None:
        return
    style = styles["cell"]
    if field_name in _ID_FIELDS:
        sheet.write_string(line, col, id_text(value), style)
    elif isinstance(value, datetime):
        sheet.write_datetime(line, col, value, styles["date"])
    elif isinstance(value, date):
        sheet.write_datetime(line, col, datetime(value.year, value.month, value.day),
                             styles["date"])
    elif isinstance(value, bool):
        sheet.write_boolean(line, col, value, style)
    elif isinstance(value, (int, float)):
        sheet.write_number(line, col, value, style)
    else:
        sheet.write_string(line, col, str(value), style)
