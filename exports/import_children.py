"""Bulk import of children from an old list or another program's export.

:func:`plan_import` reads the file (:mod:`exports.workbook_reader`), maps the columns
(:mod:`exports.columns`), repairs TCVN3/VNI cells (:mod:`exports.legacy_cells`), turns
each row into a canonical record with :func:`libchild.clean`, and checks duplicates
within the file and against the records the caller passes (:func:`libchild.find_duplicates`).
Nothing is stored here: the plan says which rows are accepted and which are rejected,
with the reasons, so that the caller can show a preview and commit in one transaction.
:func:`write_error_workbook` writes the rejected rows with the reason beside each cell.

Always ``rows_in == len(accepted) + len(rejected)``; blank rows are not rows.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import libchild
from exports import messages
from exports.atomic import atomic_path
from exports.columns import ColumnMap, header_score, match_columns
from exports.labels import id_text
from exports.legacy_cells import CHOICES, repair_cell
from exports.progress import Progress
from exports.workbook_reader import MAX_ROWS, Row, Table, read_table
from exports.xlsx_style import new_workbook
from libchild.messages import duplicate_reason_label

__all__ = ["ImportOptions", "ImportPlan", "RowResult", "plan_import", "write_error_workbook"]

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
    user confirms that numeric ethnic codes follow QĐ 121-TCTK (1979); otherwise numbers
    are not trusted (the 2008 numbering differs) and the row is rejected.
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

    @classmethod
    def from_mapping(cls, options: Mapping[str, object], **overrides: Any) -> ImportOptions:
        """Build options from a saved mapping's ``options`` plus explicit overrides."""
        known = {k: v for k, v in options.items() if k in ("legacy", "ethnicity_numbering")}
        known.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**known)


@dataclass
class RowResult:
    """One row of the file: its canonical record and what is wrong with it.

    ``problems`` maps a canonical field (or None for the whole row) to its messages;
    ``warnings`` lists messages that do not block the import.
    """

    number: int
    record: dict[str, Any]
    problems: dict[str | None, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    cells: tuple[object, ...] = ()

    @property
    def rejected(self) -> bool:
        """True when the row cannot be imported."""
        return bool(self.problems)

    def add_problem(self, field_name: str | None, message: str) -> None:
        """Record a blocking problem of ``field_name``."""
        self.problems.setdefault(field_name, []).append(message)

    def reasons(self) -> list[str]:
        """Every blocking message, in field order."""
        return [m for messages_ in self.problems.values() for m in messages_]


@dataclass
class ImportPlan:
    """What an import would do: accepted and rejected rows, with notices."""

    table: Table
    columns: ColumnMap
    accepted: list[RowResult]
    rejected: list[RowResult]
    notices: list[str]
    repaired_cells: int = 0

    @property
    def rows_in(self) -> int:
        """The number of data rows read from the file."""
        return len(self.table.rows)

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
                    "full_name": r.record.get("full_name"),
                    "rejected": r.rejected,
                    "messages": r.reasons() + r.warnings,
                }
                for r in with_problems[:limit]
            ],
        }


def _number(result: RowResult) -> int:
    return result.number


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
    columns = match_columns(table.headers, mapping)
    notices = list(table.notices) + list(columns.notices)
    results: list[RowResult] = []
    repaired: dict[str, int] = {}
    if progress is not None:
        progress.total = len(table.rows) * 2
    for row in table.rows:
        results.append(_convert_row(row, columns, options, repaired))
        if progress is not None:
            progress.step()
    for encoding, count in sorted(repaired.items()):
        notices.append(
            messages.text("notice.legacy_repaired", count=count, encoding=encoding.upper())
        )
    _check_duplicates(results, existing, existing_labels, options)
    accepted = [r for r in results if not r.rejected]
    rejected = [r for r in results if r.rejected]
    if progress is not None:
        progress.finish()
    return ImportPlan(table, columns, accepted, rejected, notices, sum(repaired.values()))


def _convert_row(
    row: Row, columns: ColumnMap, options: ImportOptions, repaired: dict[str, int]
) -> RowResult:
    raw: dict[str, Any] = dict(options.defaults)
    cells = list(row.values)
    for index, value in enumerate(cells):
        if isinstance(value, str) and not value.isascii():
            cells[index], encoding = repair_cell(value, row.fonts[index], options.legacy)
            if encoding is not None:
                repaired[encoding] = repaired.get(encoding, 0) + 1
    result = RowResult(row.number, raw, cells=tuple(cells))
    for name, index in columns.fields.items():
        value = cells[index] if index < len(cells) else None
        if value is not None:
            raw[name] = _coerce(name, value, result, options)
    cleaned = libchild.clean(raw, on=options.on)
    record = dict(cleaned.record)
    result.record = record
    for found in cleaned.issues:
        if found.severity == "error":
            result.add_problem(found.field, found.message)
        elif found.severity == "warning":
            result.warnings.append(found.message)
    if "ethnicity" in result.problems:
        record["ethnicity"] = None
    return result


def _coerce(name: str, value: Any, result: RowResult, options: ImportOptions) -> Any:
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
            if options.ethnicity_numbering == "1979":
                return text.zfill(2)
            result.add_problem("ethnicity", messages.text("import.ethnicity_numeric", value=text))
            return None
        return text
    if name == "sex" and isinstance(value, (int, float)):
        return _plain(value)
    if name == "circumstances":
        text = _plain(value)
        return [part.strip().upper() for part in text.replace(",", ";").split(";") if part.strip()]
    if name in _TEXT_FIELDS:
        return _plain(value)
    return value


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _check_duplicates(
    results: list[RowResult],
    existing: Sequence[Mapping[str, Any]],
    existing_labels: Sequence[str] | None,
    options: ImportOptions,
) -> None:
    candidates = [r for r in results if not r.rejected]
    if not candidates:
        return
    offset = len(existing)
    records = [dict(r) for r in existing] + [r.record for r in candidates]
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
        if pair.score >= options.duplicate_score:
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


def write_error_workbook(plan: ImportPlan, out: str | os.PathLike[str]) -> int:
    """Write the rejected rows of ``plan`` to ``out`` with the reason beside each cell.

    Columns: the original row number, then each original column followed (where any
    rejected row has a problem there) by a "Lỗi: ..." column, then every reason of the
    row. Returns the number of rows written. The file is written atomically, mode 0600.
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
    with atomic_path(out) as tmp, tempfile.TemporaryDirectory(dir=tmp.parent) as scratch:
        # rows are written in order: constant memory, however many rows were rejected
        book, styles = new_workbook(tmp, constant_memory=True, tmpdir=scratch)
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
