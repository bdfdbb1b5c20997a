"""The step 3 cleaning lists: one sheet per list, each row with the problem and its fix.

Sheets: children without an ID number; ID numbers that are wrong (format, length, or a
structure that disagrees with sex or birth year); missing or wrong basic information
(name, date of birth, sex, ethnicity, father/mother/caregiver); children aged 16 and over.
Which child is on which list is decided by the caller (the register's review lists, so
the workbook shows the same children as the screens); this module lays them out.
Ethnicity values are not shown unless the caller says the role may see them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from exports import messages
from exports.atomic import atomic_path
from exports.labels import CodeNames, as_date
from exports.progress import Progress
from exports.xlsx_style import new_workbook

__all__ = ["LISTS", "Problem", "write_cleaning"]

#: The lists in sheet order: (list id, message code of the sheet title).
LISTS: tuple[tuple[str, str], ...] = (
    ("no_id", "cleaning.no_id"),
    ("bad_id", "cleaning.bad_id"),
    ("basic_info", "cleaning.basic"),
    ("aged_out", "cleaning.aged_out"),
)
_SHOWN = ("full_name", "birth_date", "sex", "village", "father_name", "mother_name",
          "caregiver_name", "personal_id")


class Problem(Protocol):
    """What a row shows of an issue (``libchild.Issue`` has both)."""

    @property
    def message(self) -> str: ...

    @property
    def hint(self) -> str: ...


def write_cleaning(
    out: str | os.PathLike[str],
    lists: Mapping[str, Iterable[tuple[Mapping[str, Any], Sequence[Problem]]]],
    *,
    sensitive: bool = False,
    cancel: Callable[[], bool] | None = None,
    scratch: str | os.PathLike[str] | None = None,
) -> dict[str, int]:
    """Write the lists (id of :data:`LISTS` -> its children, each with the problems that
    put it there) to ``out``; return the rows per list. Rows are written as they come.

    ``scratch`` is the private scratch root for the partial file (:mod:`exports.scratch`).
    """
    names = CodeNames()
    shown = _SHOWN[:3] + (("ethnicity",) if sensitive else ()) + _SHOWN[3:]
    progress = Progress(None, cancel, every=2000)
    counts = {name: 0 for name, _ in LISTS}
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
            for number, (child, items) in enumerate(lists.get(name, ()), start=1):
                line = 2 + number
                sheet.write_number(line, 0, number, styles["bordered_center"])
                for col, field_name in enumerate(shown, start=1):
                    _write(sheet, line, col, field_name, child.get(field_name), names, styles)
                problems = "; ".join(dict.fromkeys(i.message for i in items))
                hints = "; ".join(dict.fromkeys(i.hint for i in items if i.hint))
                sheet.write_string(line, len(shown) + 1, problems, styles["bordered"])
                sheet.write_string(line, len(shown) + 2, hints, styles["bordered"])
                counts[name] = number
                progress.step()
        book.close()
    return counts


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
