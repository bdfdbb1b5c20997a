"""The step 3 cleaning lists: one sheet per problem, each row with the issue message.

Sheets: children without an ID number; ID numbers in a wrong format; missing or wrong
basic information (name, date of birth, sex, ethnicity, father/mother/caregiver). The
issues come from :func:`libchild.validate`, the one rule engine. Ethnicity values are
not shown unless the caller says the role may see them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

import libchild
from exports import messages
from exports.atomic import atomic_path
from exports.labels import CodeNames, as_date
from exports.progress import Progress
from exports.xlsx_style import new_workbook

__all__ = ["LISTS", "classify", "write_cleaning"]

#: The step 3 lists in sheet order: (list id, message code of the sheet title).
LISTS: tuple[tuple[str, str], ...] = (
    ("no_id", "cleaning.no_id"),
    ("bad_id", "cleaning.bad_id"),
    ("basic", "cleaning.basic"),
)
_BAD_ID_CODES = frozenset({"personal_id.format", "personal_id.length"})
_BASIC_FIELDS = frozenset({
    "full_name", "birth_date", "sex", "ethnicity", "father_name", "mother_name",
    "caregiver_name", "caregiver_id",
})
_SHOWN = ("full_name", "birth_date", "sex", "village", "father_name", "mother_name",
          "caregiver_name", "personal_id")


def classify(issues: Iterable[Any]) -> dict[str, list[Any]]:
    """Sort a record's issues into the step 3 lists they belong to (errors and warnings)."""
    found: dict[str, list[Any]] = {}
    for item in issues:
        if item.severity == "info":
            continue
        if item.code == "personal_id.missing":
            found.setdefault("no_id", []).append(item)
        elif item.code in _BAD_ID_CODES:
            found.setdefault("bad_id", []).append(item)
        elif item.field in _BASIC_FIELDS or item.code.startswith("parents."):
            found.setdefault("basic", []).append(item)
    return found


def write_cleaning(
    out: str | os.PathLike[str],
    children: Iterable[Mapping[str, Any]],
    *,
    on: date | None = None,
    sensitive: bool = False,
    on_progress: Callable[[int, int | None], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    scratch: str | os.PathLike[str] | None = None,
) -> dict[str, int]:
    """Write the cleaning lists of ``children`` to ``out``; return the rows per list.

    ``scratch`` is the private scratch root for the partial file (:mod:`exports.scratch`).
    """
    names = CodeNames()
    shown = _SHOWN[:3] + (("ethnicity",) if sensitive else ()) + _SHOWN[3:]
    progress = Progress(on_progress, cancel, every=2000)
    buckets: dict[str, list[tuple[Mapping[str, Any], list[Any]]]] = {k: [] for k, _ in LISTS}
    for child in children:
        for name, items in classify(libchild.validate(dict(child), on=on)).items():
            buckets[name].append((child, items))
        progress.step()
    with atomic_path(out, scratch=scratch) as tmp:
        book, styles = new_workbook(tmp)
        for name, title_code in LISTS:
            sheet = book.add_worksheet(messages.text(title_code + ".sheet"))
            sheet.set_landscape()
            sheet.set_paper(9)
            sheet.fit_to_pages(1, 0)
            sheet.write_string(0, 0, messages.text(title_code), styles["title"])
            headers = [messages.text("police.col.no")]
            headers += [messages.FIELD_LABELS[f] for f in shown]
            headers += [messages.text("cleaning.col.problem"), messages.text("cleaning.col.hint")]
            for col, header in enumerate(headers):
                sheet.write_string(2, col, header, styles["header"])
                sheet.set_column(col, col, 5 if col == 0 else (40 if col > len(shown) else 18))
            sheet.repeat_rows(2)
            sheet.freeze_panes(3, 2)
            for number, (child, items) in enumerate(buckets[name], start=1):
                line = 2 + number
                sheet.write_number(line, 0, number, styles["bordered_center"])
                for col, field_name in enumerate(shown, start=1):
                    _write(sheet, line, col, field_name, child.get(field_name), names, styles)
                problems = "; ".join(dict.fromkeys(i.message for i in items))
                hints = "; ".join(dict.fromkeys(i.hint for i in items if i.hint))
                sheet.write_string(line, len(shown) + 1, problems, styles["bordered"])
                sheet.write_string(line, len(shown) + 2, hints, styles["bordered"])
        book.close()
    progress.finish()
    return {name: len(rows) for name, rows in buckets.items()}


def _write(sheet, line, col, field_name, value, names, styles) -> None:
    if field_name == "birth_date":
        day = as_date(value)
        if day is not None:
            sheet.write_datetime(line, col, datetime(day.year, day.month, day.day),
                                 styles["bordered_date"])
            return
    elif field_name == "sex":
        value = names.name("sexes", value) or value
    elif field_name == "ethnicity":
        value = names.name("ethnicities", value) or value
    style = styles["bordered_text"] if field_name == "personal_id" else styles["bordered"]
    sheet.write_string(line, col, "" if value is None else str(value), style)
