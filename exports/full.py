"""The full export: every child with every field, codes beside names.

Written with xlsxwriter in constant-memory mode (rows are streamed to disk as they
come; see docs/benchmarks.md). Ethnicity, circumstances and supports are sensitive
(NĐ 13/2023, Luật 91/2025/QH15): their columns are written only when the caller says
the user's role may see them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from exports import messages
from exports.atomic import atomic_path
from exports.labels import CodeNames, as_date, format_day
from exports.progress import Progress
from exports.xlsx_style import new_workbook

__all__ = ["SENSITIVE_FIELDS", "full_columns", "write_full"]

#: Canonical fields holding sensitive personal data.
SENSITIVE_FIELDS = frozenset({"ethnicity", "circumstances", "supports"})

# field -> catalogue whose name is written beside the code
_CODED = {
    "sex": "sexes",
    "ethnicity": "ethnicities",
    "nationality": "nationalities",
    "schooling": "schooling",
    "commune_code": "communes",
    "province_code": "provinces",
}
_ORDER = (
    "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "circumstances", "supports", "death_date",
)


def full_columns(
    sensitive: bool, extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str, str]]:
    """The columns of the full export as ``(header, field, kind)``.

    ``kind`` is ``code``, ``name`` (the catalogue name of the code), ``date``, ``id``,
    ``text``, ``circ_codes``, ``circ_names`` or ``supports``.
    """
    columns: list[tuple[str, str, str]] = []
    for name in _ORDER:
        if name in SENSITIVE_FIELDS and not sensitive:
            continue
        label = messages.FIELD_LABELS[name]
        lowered = label[0].lower() + label[1:]
        if name in _CODED:
            columns.append((messages.text("full.code_of", label=lowered), name, "code"))
            columns.append((label, name, "name"))
        elif name in ("birth_date", "death_date"):
            columns.append((label, name, "date"))
        elif name in ("personal_id", "caregiver_id"):
            columns.append((label, name, "id"))
        elif name == "circumstances":
            columns.append((messages.text("full.code_of", label=lowered), name, "circ_codes"))
            columns.append((label, name, "circ_names"))
        elif name == "supports":
            columns.append((label, name, "supports"))
        else:
            columns.append((label, name, "text"))
    columns.extend((header, key, "text") for key, header in extra)
    return columns


def write_full(
    out: str | os.PathLike[str],
    children: Iterable[Mapping[str, Any]],
    *,
    sensitive: bool = False,
    extra: Sequence[tuple[str, str]] = (),
    total: int | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Write ``children`` (canonical dicts) to ``out``; return the number of rows.

    ``extra`` adds ``(key, header)`` columns read from each dict as text (for example
    the workflow state). The file appears only when complete (atomic, mode 0600);
    ``cancel()`` returning True stops the export and leaves nothing behind.
    """
    names = CodeNames()
    columns = full_columns(sensitive, extra)
    progress = Progress(on_progress, cancel, total=total, every=2000)
    with atomic_path(out) as tmp, tempfile.TemporaryDirectory(dir=tmp.parent) as scratch:
        # constant-memory rows go to scratch files; the directory goes whatever happens
        book, styles = new_workbook(tmp, constant_memory=True, tmpdir=scratch)
        sheet = book.add_worksheet(messages.text("full.sheet"))
        for col, (header, _name, kind) in enumerate(columns):
            sheet.write_string(0, col, header, styles["header"])
            width = 12 if kind in ("code", "date", "circ_codes") else 24
            sheet.set_column(col, col, width, styles["text"] if kind == "id" else None)
        sheet.freeze_panes(1, 2)
        writers = [_writer(kind, name, names, styles) for _h, name, kind in columns]
        count = 0
        for row, child in enumerate(children, start=1):
            for col, write in enumerate(writers):
                write(sheet, row, col, child)
            count += 1
            progress.step()
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
        book.close()
    progress.finish()
    return count


def _writer(kind: str, name: str, names: CodeNames, styles: dict[str, Any]):
    cell, date_style, text_style = styles["cell"], styles["date"], styles["text"]

    if kind == "code":
        def write(sheet, row, col, child):
            value = child.get(name)
            if value not in (None, ""):
                sheet.write_string(row, col, str(value), text_style)
    elif kind == "name":
        catalogue = _CODED[name]

        def write(sheet, row, col, child):
            label = names.name(catalogue, child.get(name))
            if label:
                sheet.write_string(row, col, label, cell)
    elif kind == "date":
        def write(sheet, row, col, child):
            value = child.get(name)
            if value in (None, ""):
                return
            day = as_date(value)
            if day is None:
                sheet.write_string(row, col, str(value), cell)
            else:
                sheet.write_datetime(row, col, datetime(day.year, day.month, day.day),
                                     date_style)
    elif kind == "circ_codes":
        def write(sheet, row, col, child):
            codes = _codes(child.get(name))
            if codes:
                sheet.write_string(row, col, "; ".join(codes), cell)
    elif kind == "circ_names":
        def write(sheet, row, col, child):
            codes = _codes(child.get(name))
            if codes:
                labels = (names.name("circumstances", c) or c for c in codes)
                sheet.write_string(row, col, "; ".join(labels), cell)
    elif kind == "supports":
        def write(sheet, row, col, child):
            items = child.get(name) or ()
            if items:
                sheet.write_string(row, col, "; ".join(_support_text(s, names) for s in items),
                                   cell)
    else:
        style = text_style if kind == "id" else cell

        def write(sheet, row, col, child):
            value = child.get(name)
            if value not in (None, ""):
                sheet.write_string(row, col, str(value), style)
    return write


def _codes(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
    result = []
    for item in value:
        if isinstance(item, str):
            result.append(item)
        elif isinstance(item, Mapping):
            result.append(str(item.get("code", "")))
        else:
            result.append(str(getattr(item, "code", item)))
    return result


def _support_text(item: Any, names: CodeNames) -> str:
    if isinstance(item, Mapping):
        form, day = item.get("form"), item.get("date")
    else:
        form, day = getattr(item, "form", item), getattr(item, "date", None)
    label = names.name("supports", form) or str(form)
    return f"{form} {label} ({format_day(day)})" if day else f"{form} {label}"
