"""A training session's results as a workbook (issue 12 item 4): per trainee accuracy,
children found, missed and extra, lessons caught, fields to fix, keys and seconds per
child, pass or fail against the trainer's pass mark, and a certificate line for each
trainee who passed. Written like every workbook of the register
(``exports.xlsx_style``), atomically and readable by the owner only (``exports.atomic``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from exports.atomic import atomic_path
from exports.xlsx_style import new_workbook
from libchild.dates import format_date
from tui.messages import training as msg
from tui.paths import scratch_dir
from tui.training.results import ErrorKind, TraineeResult, room_errors

__all__ = ["SessionInfo", "write_session_results"]


def _mark(_: object, __: attrs.Attribute, value: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 1):
        raise ValueError(msg.SESSION_MARK_BAD.format(value=value))


@attrs.frozen(slots=True)
class SessionInfo:
    """A training session as the results show it: its name, day, trainer and the pass
    mark (least accuracy to pass, 0..1) the trainer set."""

    name: str
    held_on: date
    trainer: str
    pass_mark: float = attrs.field(validator=_mark)


def write_session_results(out: str | os.PathLike[str], session: SessionInfo,
                          results: Sequence[TraineeResult]) -> Path:
    """Write the results of ``session`` (one :class:`TraineeResult` per trainee, in the
    order given) to the workbook ``out``; returns its path."""
    with atomic_path(out, scratch=scratch_dir()) as tmp:
        book, styles = new_workbook(tmp)
        styles["decimal"] = book.add_format({"font_name": "Times New Roman", "font_size": 12,
                                             "valign": "top", "border": 1,
                                             "num_format": "0.0"})
        styles["bordered_percent"] = book.add_format({
            "font_name": "Times New Roman", "font_size": 12, "valign": "top", "border": 1,
            "num_format": "0.0%"})
        _results_sheet(book, styles, session, results)
        _fields_sheet(book, styles, session, results)
        _fixes_sheet(book, styles, session, results)
        _certificates_sheet(book, styles, session, results)
        book.close()
    return Path(out)


def _sheet(book: Any, styles: dict[str, Any], name: str, session: SessionInfo,
           headers: Sequence[str], widths: Sequence[int]) -> Any:
    sheet = book.add_worksheet(name)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.write_string(0, 0, msg.SESSION_TITLE.format(name=session.name), styles["bold"])
    sheet.write_string(1, 0, msg.SESSION_SUBTITLE.format(
        day=format_date(session.held_on), trainer=session.trainer,
        mark=msg.percent(session.pass_mark)), styles["cell"])
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write_string(3, col, header, styles["header"])
        sheet.set_column(col, col, width)
    sheet.repeat_rows(3)
    sheet.freeze_panes(4, 0)
    return sheet


def _results_sheet(book: Any, styles: dict[str, Any], session: SessionInfo,
                   results: Sequence[TraineeResult]) -> None:
    sheet = _sheet(book, styles, msg.SESSION_SHEET_RESULTS, session, msg.SESSION_RESULT_COLUMNS,
                   (5, 24, 24, 11, 12, 10, 8, 8, 10, 10, 9, 9, 10))
    for row, result in enumerate(results, 4):
        total = len(result.children)
        sheet.write_number(row, 0, row - 3, styles["bordered_center"])
        sheet.write_string(row, 1, result.trainee, styles["bordered"])
        sheet.write_string(row, 2, result.scenario_title, styles["bordered"])
        sheet.write_number(row, 3, result.accuracy, styles["bordered_percent"])
        sheet.write_string(row, 4, msg.SESSION_COUNT.format(found=result.correct,
                                                            total=result.checked),
                           styles["bordered_center"])
        sheet.write_string(row, 5, msg.SESSION_COUNT.format(
            found=total - len(result.missed), total=total), styles["bordered_center"])
        sheet.write_number(row, 6, len(result.missed), styles["bordered_center"])
        sheet.write_number(row, 7, len(result.extra), styles["bordered_center"])
        sheet.write_string(row, 8, msg.SESSION_COUNT.format(
            found=result.lessons_caught, total=len(result.lessons)), styles["bordered_center"])
        sheet.write_number(row, 9, len(result.to_fix), styles["bordered_center"])
        for col, value in ((10, result.keys_per_child), (11, result.seconds_per_child)):
            if value is None:
                sheet.write_blank(row, col, None, styles["bordered"])
            else:
                sheet.write_number(row, col, value, styles["decimal"])
        sheet.write_string(row, 12, msg.SESSION_PASSED if result.passed(session.pass_mark)
                           else msg.SESSION_FAILED, styles["bordered_center"])


def _fields_sheet(book: Any, styles: dict[str, Any], session: SessionInfo,
                  results: Sequence[TraineeResult]) -> None:
    fields = list(dict.fromkeys(s.field for r in results for s in r.fields))
    sheet = _sheet(book, styles, msg.SESSION_SHEET_FIELDS, session,
                   [msg.SESSION_FIELDS_TRAINEE, *(msg.field_label(f) for f in fields)],
                   [24, *(14 for _ in fields)])
    room = {f: 0 for f in fields}
    row = 3
    for row, result in enumerate(results, 4):
        sheet.write_string(row, 0, result.trainee, styles["bordered"])
        errors = {s.field: s.errors for s in result.fields}
        for col, field in enumerate(fields, 1):
            sheet.write_number(row, col, errors.get(field, 0), styles["bordered_center"])
            room[field] += errors.get(field, 0)
    row += 1
    sheet.write_string(row, 0, msg.SESSION_FIELDS_ROOM, styles["header"])
    for col, field in enumerate(fields, 1):
        sheet.write_number(row, col, room[field], styles["bordered_center"])
    row += 1
    common = {r.field: r for r in room_errors(results)}
    sheet.write_string(row, 0, msg.SESSION_FIELDS_COMMON, styles["header"])
    for col, field in enumerate(fields, 1):
        found = common.get(field)
        text = "" if found is None else msg.SESSION_FIELDS_COMMON_CELL.format(
            kind=msg.ERROR_KINDS[found.kind.value], count=found.count, trainees=found.trainees)
        sheet.write_string(row, col, text, styles["bordered"])


def _fixes_sheet(book: Any, styles: dict[str, Any], session: SessionInfo,
                 results: Sequence[TraineeResult]) -> None:
    sheet = _sheet(book, styles, msg.SESSION_SHEET_FIXES, session, msg.SESSION_FIX_COLUMNS,
                   (22, 10, 7, 24, 24, 24, 24, 18))
    row = 3
    for result in results:
        lines: list[tuple[Any, ...]] = [
            (e.book_number, e.order or "", e.child_name, msg.field_label(e.field), e.entered,
             e.expected, msg.ERROR_KINDS[e.kind.value]) for e in result.to_fix]
        lines += [(c.ref.book_number, c.ref.order, c.name, msg.SESSION_MISSED_FIELD, "", "",
                   msg.ERROR_KINDS[ErrorKind.MISSING.value]) for c in result.missed]
        lines += [(x.book_number, x.order, x.name,
                   msg.SESSION_EXTRA_FIELD.format(record=x.record_id), "", "",
                   msg.ERROR_KINDS[ErrorKind.EXTRA.value]) for x in result.extra]
        for line in lines:
            row += 1
            sheet.write_string(row, 0, result.trainee, styles["bordered"])
            for col, value in enumerate(line, 1):
                if isinstance(value, int):
                    sheet.write_number(row, col, value, styles["bordered_center"])
                else:
                    style = styles["bordered_text"] if col in (5, 6) else styles["bordered"]
                    sheet.write_string(row, col, value, style)


def _certificates_sheet(book: Any, styles: dict[str, Any], session: SessionInfo,
                        results: Sequence[TraineeResult]) -> None:
    sheet = book.add_worksheet(msg.SESSION_SHEET_CERTIFICATES)
    sheet.set_paper(9)
    sheet.set_column(0, 0, 120)
    sheet.write_string(0, 0, msg.SESSION_TITLE.format(name=session.name), styles["bold"])
    mark = msg.percent(session.pass_mark)
    lines = [msg.SESSION_CERTIFICATE.format(
        trainee=r.trainee, scenario=r.scenario_title, day=format_date(session.held_on),
        accuracy=msg.percent(r.accuracy), mark=mark)
        for r in results if r.passed(session.pass_mark)]
    for row, line in enumerate(lines or [msg.SESSION_NO_CERTIFICATE.format(mark=mark)], 2):
        sheet.write_string(row, 0, line, styles["cell"])
