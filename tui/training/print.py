"""Printing a scenario: the household-book pages for trainees, the answer key for trainers.

:func:`write_pages` lays out each page like the paper book "Sổ theo dõi trẻ em trong
gia đình" (one worksheet per page, A4 landscape, one page wide, header and footer,
every value exactly as written, old fonts and odd dates included), so that trainees
type from paper as in real work. The book's official layout could not be obtained; the
sections follow the fields of the register (assumed, docs/decisions.md "Training").
:func:`write_answer_key` writes what the register should hold and the lessons.
:func:`convert_to_pdf` turns a workbook into PDF with LibreOffice when ``soffice`` is
installed (optional: the workbook is the required output); :func:`print_pages` picks
by the file's extension. Files are written atomically with owner-only permissions.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exports.atomic import atomic_path
from exports.xlsx_style import new_workbook
from libchild import catalog
from libchild.dates import format_date
from libchild.messages import FIELD_LABELS
from tui.messages import training as msg
from tui.paths import scratch_dir
from tui.training.scenario import Page, Scenario
from tui.training.values import CHILD_SCALARS, display

__all__ = [
    "PrintError",
    "convert_to_pdf",
    "print_pages",
    "sheet_names",
    "write_answer_key",
    "write_pages",
]

_A4 = 9
_PAGE_WIDTHS = (5, 22, 8, 11, 15, 10, 10, 15, 17, 17, 17, 20)
_LAST = len(_PAGE_WIDTHS) - 1


class PrintError(Exception):
    """A page file that could not be made (PDF without LibreOffice...); Vietnamese text."""


def sheet_names(books: Sequence[str]) -> list[str]:
    """Worksheet names for book numbers: Excel's forbidden characters replaced, at most
    31 characters, unique regardless of case."""
    names: list[str] = []
    seen: set[str] = set()
    for book in books:
        base = re.sub(r"[\[\]:*?/\\]", "-", book).strip("'") or "Trang"
        name, n = base[:31], 2
        while name.casefold() in seen:
            suffix = f" ({n})"
            name, n = base[:31 - len(suffix)] + suffix, n + 1
        seen.add(name.casefold())
        names.append(name)
    return names


def _place_names(scenario: Scenario) -> tuple[str, str]:
    cats = catalog.load()
    commune = cats.communes.get(scenario.commune_code)
    province = cats.provinces.get(scenario.province_code)
    return (province.name if province else scenario.province_code,
            commune.name if commune else scenario.commune_code)


def write_pages(scenario: Scenario, out: str | os.PathLike[str]) -> Path:
    """Write the pages of ``scenario`` to the workbook ``out``; returns its path."""
    province, commune = _place_names(scenario)
    with atomic_path(out, scratch=scratch_dir()) as tmp:
        book, styles = new_workbook(tmp)
        section = book.add_format({"font_name": "Times New Roman", "font_size": 12,
                                   "bold": True})
        for name, page in zip(sheet_names([p.book_number for p in scenario.pages]),
                              scenario.pages, strict=True):
            _page_sheet(book.add_worksheet(name), page, scenario, province, commune, styles,
                        section)
        book.close()
    return Path(out)


def _page_sheet(sheet: Any, page: Page, scenario: Scenario, province: str, commune: str,
                styles: dict[str, Any], section: Any) -> None:
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    sheet.set_header(msg.BOOK_HEADER.format(scenario=scenario.title.replace("&", "&&")))
    sheet.set_footer(msg.BOOK_FOOTER)
    for col, width in enumerate(_PAGE_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, _LAST, msg.BOOK_TITLE, styles["title"])
    sheet.merge_range(1, 0, 1, _LAST, msg.BOOK_SUBTITLE.format(scenario=scenario.title),
                      styles["subtitle"])
    sheet.merge_range(3, 0, 3, 3, msg.BOOK_PROVINCE.format(name=province), styles["cell"])
    sheet.merge_range(3, 4, 3, 7, msg.BOOK_COMMUNE.format(name=commune), styles["cell"])
    sheet.merge_range(3, 8, 3, _LAST, msg.BOOK_VILLAGE.format(name=page.village),
                      styles["cell"])
    sheet.merge_range(4, 0, 4, 3, msg.BOOK_NUMBER.format(book=page.book_number), styles["bold"])
    sheet.merge_range(4, 4, 4, 7, msg.BOOK_ADDRESS.format(address=page.address), styles["cell"])
    sheet.merge_range(4, 8, 4, _LAST, msg.BOOK_POVERTY.format(poverty=page.poverty),
                      styles["cell"])
    row = 6
    sheet.write_string(row, 0, msg.BOOK_ADULTS, section)
    row += 1
    _header(sheet, row, msg.BOOK_ADULT_COLUMNS, styles, spans=((0, 0), (1, 2), (3, 4), (5, 6)))
    for number, adult in enumerate(page.adults, 1):
        row += 1
        sheet.write_number(row, 0, number, styles["bordered_center"])
        sheet.merge_range(row, 1, row, 2, adult.name, styles["bordered"])
        sheet.merge_range(row, 3, row, 4, adult.personal_id, styles["bordered_text"])
        sheet.merge_range(row, 5, row, 6, adult.relation, styles["bordered"])
    if not page.adults:
        row += 1
        sheet.write_string(row, 1, msg.BOOK_NONE, styles["cell"])
    row += 2
    sheet.write_string(row, 0, msg.BOOK_CHILDREN, section)
    row += 1
    _header(sheet, row, msg.BOOK_CHILD_COLUMNS, styles)
    sheet.repeat_rows(row)
    names = {n: a.name for n, a in enumerate(page.adults, 1)}
    for child in page.children:
        row += 1
        sheet.write_number(row, 0, child.order, styles["bordered_center"])
        cells = (child.full_name, child.sex, child.birth_date, child.personal_id,
                 child.ethnicity, child.nationality, child.schooling,
                 names.get(child.father, ""), names.get(child.mother, ""),
                 names.get(child.caregiver, ""), child.note)
        for col, value in enumerate(cells, 1):
            style = styles["bordered_text"] if col in (3, 4) else styles["bordered"]
            sheet.write_string(row, col, value, style)
    row += 2
    sheet.write_string(row, 0, msg.BOOK_CIRCUMSTANCES, section)
    row += 1
    _header(sheet, row, msg.BOOK_CIRCUMSTANCE_COLUMNS, styles,
            spans=((0, 0), (1, 2), (3, 5), (6, 6), (7, 7)))
    lines = [(c.order, c.full_name, item.what, item.since, item.until)
             for c in page.children for item in c.circumstances]
    lines += [(c.order, c.full_name, msg.SUPPORT_PREFIX.format(what=s.what), s.date, "")
              for c in page.children for s in c.supports]
    for order, name, what, since, until in sorted(lines, key=lambda line: line[0]):
        row += 1
        sheet.write_number(row, 0, order, styles["bordered_center"])
        sheet.merge_range(row, 1, row, 2, name, styles["bordered"])
        sheet.merge_range(row, 3, row, 5, what, styles["bordered"])
        sheet.write_string(row, 6, since, styles["bordered_text"])
        sheet.write_string(row, 7, until, styles["bordered_text"])
    if not lines:
        row += 1
        sheet.write_string(row, 1, msg.BOOK_NONE, styles["cell"])
    if page.note:
        row += 2
        sheet.merge_range(row, 0, row, _LAST, msg.BOOK_NOTE.format(note=page.note),
                          styles["cell"])
    row += 2
    sheet.merge_range(row, 8, row, _LAST, msg.BOOK_SIGNATURE, styles["center"])
    sheet.print_area(0, 0, row + 3, _LAST)


def _header(sheet: Any, row: int, titles: Sequence[str], styles: dict[str, Any],
            spans: Sequence[tuple[int, int]] | None = None) -> None:
    """Column titles; ``spans`` gives the (first, last) columns of each title, one
    title per column when absent."""
    for col, title in enumerate(titles):
        first, last = spans[col] if spans is not None else (col, col)
        if last > first:
            sheet.merge_range(row, first, row, last, title, styles["header"])
        else:
            sheet.write_string(row, first, title, styles["header"])


def write_answer_key(scenario: Scenario, out: str | os.PathLike[str]) -> Path:
    """Write the answer key and the lessons of ``scenario`` for the trainer."""
    title = msg.KEY_TITLE.format(scenario=scenario.title,
                                 day=format_date(scenario.reference_date))
    with atomic_path(out, scratch=scratch_dir()) as tmp:
        book, styles = new_workbook(tmp)
        fields = [f for f in CHILD_SCALARS
                  if any(getattr(c.values, f) for c in scenario.key.children)]
        fields += ["circumstances", "supports"]
        sheet = _key_sheet(book, msg.KEY_SHEET_CHILDREN, title, styles,
                           [msg.KEY_BOOK, msg.KEY_ORDER,
                            *(FIELD_LABELS[f][0] for f in fields)])
        for row, child in enumerate(scenario.key.children, 3):
            sheet.write_string(row, 0, child.ref.book_number, styles["bordered"])
            sheet.write_number(row, 1, child.ref.order, styles["bordered_center"])
            for col, field in enumerate(fields, 2):
                value = display(field, getattr(child.values, field))
                style = styles["bordered_text"] if field.endswith("_id") else styles["bordered"]
                sheet.write_string(row, col, value, style)
        sheet = _key_sheet(book, msg.KEY_SHEET_HOUSEHOLDS, title, styles, [
            msg.HOUSEHOLD_FIELD_LABELS[f] for f in ("book_number", "village", "address",
                                                     "poverty")] + [
            msg.KEY_ADULT.format(number=n) for n in (1, 2, 3)])
        for row, household in enumerate(scenario.key.households, 3):
            cells = [household.book_number or "", household.village or "",
                     household.address or "",
                     msg.POVERTY_LABELS.get(household.poverty or "", household.poverty or "")]
            cells += [", ".join(x for x in (a.name, a.personal_id,
                                            msg.RELATION_LABELS.get(a.relation or "", ""))
                                if x) for a in household.adults]
            for col, value in enumerate(cells):
                sheet.write_string(row, col, value, styles["bordered"])
        sheet = _key_sheet(book, msg.KEY_SHEET_LESSONS, title, styles,
                           list(msg.KEY_LESSON_COLUMNS))
        for row, lesson in enumerate(scenario.lessons, 3):
            cells = (lesson.id, lesson.child.book_number, str(lesson.child.order),
                     msg.ACTION_NAMES[lesson.action.value], lesson.code, lesson.title,
                     lesson.explain)
            for col, value in enumerate(cells):
                sheet.write_string(row, col, value, styles["bordered"])
        book.close()
    return Path(out)


def _key_sheet(book: Any, name: str, title: str, styles: dict[str, Any],
               headers: list[str]) -> Any:
    sheet = book.add_worksheet(name)
    sheet.set_landscape()
    sheet.set_paper(_A4)
    sheet.fit_to_pages(1, 0)
    sheet.write_string(0, 0, title, styles["bold"])
    for col, header in enumerate(headers):
        sheet.write_string(2, col, header, styles["header"])
        sheet.set_column(col, col, 8 if col < 2 else 22)
    sheet.repeat_rows(2)
    sheet.freeze_panes(3, 0)
    return sheet


def convert_to_pdf(xlsx: str | os.PathLike[str], out: str | os.PathLike[str], *,
                   soffice: str | None = None, timeout: float = 180) -> Path:
    """Convert the workbook ``xlsx`` to the PDF ``out`` with LibreOffice (headless, its
    own throw-away profile). Raises :class:`PrintError` when LibreOffice is missing,
    fails or takes longer than ``timeout`` seconds; ``out`` is then left untouched."""
    program = soffice or shutil.which("soffice") or shutil.which("libreoffice")
    source = Path(xlsx)
    if program is None:
        raise PrintError(msg.PDF_NO_SOFFICE.format(xlsx=source))
    with tempfile.TemporaryDirectory(prefix="treem-pdf-") as work:
        command = [program, "--headless", f"-env:UserInstallation={Path(work).as_uri()}/lo",
                   "--convert-to", "pdf", "--outdir", work, str(source)]
        try:
            # its own process group: on a timeout, soffice.bin goes with its launcher
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     start_new_session=True)
        except OSError as exc:
            raise PrintError(msg.PDF_FAILED.format(xlsx=source, reason=exc)) from None
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            raise PrintError(msg.PDF_TIMEOUT.format(xlsx=source, seconds=timeout)) from None
        made = Path(work) / (source.stem + ".pdf")
        if child.returncode != 0 or not made.exists():
            reason = (stderr or stdout).decode("utf-8", "replace").strip()
            raise PrintError(msg.PDF_FAILED.format(
                xlsx=source, reason=reason or f"mã thoát {child.returncode}"))
        with atomic_path(out, scratch=scratch_dir()) as tmp:
            shutil.copyfile(made, tmp)
    return Path(out)


def print_pages(scenario: Scenario, out: str | os.PathLike[str], *,
                soffice: str | None = None) -> Path:
    """Write the pages to ``out``: a workbook, or a PDF when ``out`` ends in ``.pdf``
    (through :func:`convert_to_pdf`, ``soffice`` as there)."""
    target = Path(out)
    if target.suffix.lower() != ".pdf":
        return write_pages(scenario, target)
    with tempfile.TemporaryDirectory(prefix="treem-pages-") as work:
        xlsx = write_pages(scenario, Path(work) / (target.stem + ".xlsx"))
        return convert_to_pdf(xlsx, target, soffice=soffice)
