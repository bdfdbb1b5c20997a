"""The police verification list (step 4) and the reading of its return.

:func:`write_police_list` writes the list of children whose ID number is missing,
malformed or not yet verified, for the commune police: a header with the commune and
date, one row per child, an empty column where the police write the verified number,
a notes column, a signature block, A4 landscape with the header row repeated on every
page. Two hidden columns carry the batch id and each row's key, so that the returned
file is matched by batch and row key, never by name.

:func:`read_police_return` reads the file the police hand back and says, row by row,
what to store and what to review: a valid number; a number whose structure disagrees
with the birth date or sex (stored, listed for review: the structure rule is a
warning); a number already held by another child; an invalid number; a row that
matches no child of the batch. It changes nothing itself; a number the child already
holds comes back as ``unchanged``, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stdnum.exceptions import InvalidLength, ValidationError

from exports import messages
from exports.atomic import atomic_path
from exports.columns import normalize_header
from exports.errors import SpreadsheetError
from exports.labels import CodeNames, as_date, id_text
from exports.progress import Progress
from exports.workbook_reader import read_table
from exports.xlsx_style import new_workbook
from libchild.ids import cccd
from libchild.issues import issue

__all__ = [
    "ReturnRow",
    "police_columns",
    "read_police_return",
    "write_police_list",
]

_BATCH = "batch"
_KEY = "row_key"
_VERIFIED = "verified_id"


def police_columns(sensitive: bool) -> list[tuple[str, str, float]]:
    """The columns of the police list as ``(header, key, width)``, hidden ones last."""
    columns = [
        (messages.text("police.col.no"), "no", 5),
        (messages.FIELD_LABELS["full_name"], "full_name", 22),
        (messages.FIELD_LABELS["birth_date"], "birth_date", 11),
        (messages.FIELD_LABELS["sex"], "sex", 7),
    ]
    if sensitive:
        columns.append((messages.FIELD_LABELS["ethnicity"], "ethnicity", 9))
    columns += [
        (messages.FIELD_LABELS["father_name"], "father_name", 18),
        (messages.FIELD_LABELS["mother_name"], "mother_name", 18),
        (messages.FIELD_LABELS["caregiver_name"], "caregiver_name", 18),
        (messages.FIELD_LABELS["caregiver_id"], "caregiver_id", 15),
        (messages.FIELD_LABELS["village"], "village", 13),
        (messages.FIELD_LABELS["address_detail"], "address_detail", 20),
        (messages.text("police.col.current_id"), "personal_id", 15),
        (messages.text("police.col.verified"), _VERIFIED, 17),
        (messages.text("police.col.notes"), "notes", 16),
        (messages.text("police.col.batch"), _BATCH, 10),
        (messages.text("police.col.key"), _KEY, 10),
    ]
    return columns


def write_police_list(
    out: str | os.PathLike[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    batch_id: str,
    commune: str,
    on: date,
    sensitive: bool = False,
    on_progress: Callable[[int, int | None], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    scratch: str | os.PathLike[str] | None = None,
    atomic: bool = True,
    head_code: str = "",
) -> int:
    """Write the police list for batch ``batch_id``; return the number of children.

    Each row is a canonical child dict plus ``row_key`` (the key the return is matched
    by, unique within the batch). ``commune`` is the commune's name for the heading,
    ``on`` the list's date. Ethnicity is shown only when ``sensitive`` is True.
    ``scratch`` is the private scratch root for the partial file (:mod:`exports.scratch`).
    With ``atomic`` False, ``out`` is written in place: the caller already holds a
    private path from :func:`exports.atomic.atomic_path` and publishes it itself (after
    the batch is committed).
    ``head_code``, when given, is the register's audit head code (``treem audit --head``)
    printed in every page's footer: the paper copy anchors the audit chain outside.
    """
    names = CodeNames()
    columns = police_columns(sensitive)
    last = len(columns) - 1
    progress = Progress(on_progress, cancel, every=500)
    place = (atomic_path(out, scratch=scratch) if atomic
             else contextlib.nullcontext(Path(out)))
    with place as tmp:
        book, styles = new_workbook(tmp)
        sheet = book.add_worksheet(messages.text("police.sheet"))
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.fit_to_pages(1, 0)
        sheet.set_footer(messages.text("police.footer_head", head=head_code) if head_code
                         else messages.text("police.footer"))
        sheet.merge_range(0, 0, 0, last, messages.text("police.title"), styles["title"])
        sheet.merge_range(
            1, 0, 1, last,
            messages.text("police.subtitle", commune=commune, date=on.strftime("%d/%m/%Y"),
                          batch=batch_id),
            styles["subtitle"],
        )
        verified_col = [k for _h, k, _w in columns].index(_VERIFIED)
        sheet.merge_range(
            2, 0, 2, last,
            messages.text("police.instructions", column=columns[verified_col][0]),
            styles["cell"],
        )
        header_row = 4
        for col, (header, key, width) in enumerate(columns):
            sheet.write_string(header_row, col, header, styles["header"])
            hidden = key in (_BATCH, _KEY)
            sheet.set_column(col, col, width, None, {"hidden": hidden})
        sheet.repeat_rows(header_row)
        sheet.freeze_panes(header_row + 1, 0)
        line = header_row
        count = 0
        for count, child in enumerate(rows, start=1):
            line = header_row + count
            for col, (_header, key, _width) in enumerate(columns):
                _police_cell(sheet, line, col, key, child, count, batch_id, names, styles)
            progress.step()
        _signature_block(sheet, line + 2, last, on, styles)
        book.close()
    progress.finish()
    return count


def _police_cell(sheet, line, col, key, child, number, batch_id, names, styles) -> None:
    bordered, text = styles["bordered"], styles["bordered_text"]
    if key == "no":
        sheet.write_number(line, col, number, styles["bordered_center"])
    elif key == _BATCH:
        sheet.write_string(line, col, str(batch_id), text)
    elif key == _KEY:
        sheet.write_string(line, col, str(child[_KEY]), text)
    elif key in (_VERIFIED, "notes"):
        sheet.write_blank(line, col, None, text if key == _VERIFIED else bordered)
    elif key == "birth_date":
        day = as_date(child.get(key))
        if day is None:
            sheet.write_string(line, col, str(child.get(key) or ""), bordered)
        else:
            sheet.write_datetime(line, col, datetime(day.year, day.month, day.day),
                                 styles["bordered_date"])
    elif key == "sex":
        sheet.write_string(line, col, names.name("sexes", child.get(key)) or "", bordered)
    elif key == "ethnicity":
        sheet.write_string(line, col, names.name("ethnicities", child.get(key)) or "", bordered)
    else:
        value = child.get(key)
        sheet.write_string(line, col, "" if value is None else str(value),
                           text if key in ("personal_id", "caregiver_id") else bordered)


def _signature_block(sheet, row, last, on, styles) -> None:
    half = last // 2
    sheet.merge_range(row, 0, row, half - 1, messages.text("police.sign_officer"),
                      styles["title"])
    sheet.merge_range(row, half, row, last, messages.text("police.sign_police"),
                      styles["title"])
    sheet.merge_range(row + 1, 0, row + 1, half - 1, messages.text("police.sign_hint"),
                      styles["subtitle"])
    sheet.merge_range(row + 1, half, row + 1, last, messages.text("police.sign_hint"),
                      styles["subtitle"])


# --- the return -------------------------------------------------------------------------

@dataclass
class ReturnRow:
    """One row of the returned list and what to do with it.

    ``status``: ``verified`` (store ``number``), ``unchanged`` (the child already holds
    it), ``blank`` (the police wrote nothing), ``invalid``, ``taken`` (another child
    holds the number), ``unmatched`` (no child of the batch has this row key) or
    ``repeated`` (the same key or number appears on an earlier row). ``warnings``
    are structure disagreements to review; ``message`` explains every status but
    ``verified``/``unchanged``/``blank``.
    """

    row: int
    row_key: str | None
    status: str
    number: str | None = None
    notes: str | None = None
    message: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def stores(self) -> bool:
        """True when the glue should store ``number`` for this row's child."""
        return self.status == "verified"


def _police_score(values: Sequence[object]) -> int:
    wanted = {normalize_header(messages.text(k)) for k in
              ("police.col.batch", "police.col.key", "police.col.verified")}
    return sum(1 for v in values if isinstance(v, str) and normalize_header(v) in wanted)


def _not_our_file(path: Path) -> SpreadsheetError:
    """The refusal of a workbook that is not a returned police list, naming its columns."""
    return SpreadsheetError(
        "police.not_our_file", path=path.name, batch=messages.text("police.col.batch"),
        key=messages.text("police.col.key"), verified=messages.text("police.col.verified"))


def read_police_return(
    path: str | os.PathLike[str],
    *,
    batch_id: str | None,
    children: Mapping[str, Mapping[str, Any]] | Callable[[str], Mapping[str, Mapping[str, Any]]],
    owner_of: Callable[[str, str], str | None],
) -> tuple[str, list[ReturnRow]]:
    """Read the police's returned list for batch ``batch_id``; return (batch, rows).

    With ``batch_id`` None the batch is the one the file names (one only).

    ``children`` maps each row key of the batch to the child's canonical record, or is
    a function from the batch id to that mapping (its
    ``birth_date`` and ``sex`` are compared with the number's structure; when its
    ``personal_id`` is the number and ``id_verified`` is true, the row is
    ``unchanged``). ``owner_of(number, row_key)``
    returns a label (name, record number) of another child of the register holding
    ``number``, or None when nobody else holds it. Raises
    :class:`SpreadsheetError` for a file that is not a returned list of this batch.
    """
    try:
        table = read_table(path, _police_score, min_score=3, fill_merged=False)
    except SpreadsheetError as exc:
        # No sheet has the list's own columns: another kind of workbook (a children's
        # list, a cleaning list), not a return whose children's columns are missing.
        if exc.code != "header.not_found":
            raise
        raise _not_our_file(Path(path)) from None
    index = {normalize_header(h): i for i, h in enumerate(table.headers)}

    def col(code: str) -> int:
        return index[normalize_header(messages.text(code))]

    try:
        batch_col, key_col = col("police.col.batch"), col("police.col.key")
        verified_col = col("police.col.verified")
    except KeyError:
        raise _not_our_file(table.path) from None
    notes_key = normalize_header(messages.text("police.col.notes"))
    notes_col = index.get(notes_key)
    name_col = index.get(normalize_header(messages.FIELD_LABELS["full_name"]))
    birth_col = index.get(normalize_header(messages.FIELD_LABELS["birth_date"]))
    if name_col is None or birth_col is None:
        raise _not_our_file(table.path)
    batches = {_cell_text(r.values, batch_col) for r in table.rows} - {None}
    if not batches:
        raise SpreadsheetError("police.no_batch", path=table.path.name)
    if batch_id is None and len(batches) == 1:
        batch_id = next(iter(batches))
    if batch_id is None or str(batch_id) not in batches:
        raise SpreadsheetError(
            "police.other_batch", path=table.path.name,
            found=", ".join(sorted(batches)), expected=batch_id or "?",
        )
    batch_id = str(batch_id)
    if callable(children):
        children = children(batch_id)
    _check_identities(table, batch_id, children, key_col=key_col, batch_col=batch_col,
                      name_col=name_col, birth_col=birth_col)
    results: list[ReturnRow] = []
    seen_keys: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for source in table.rows:
        values = source.values
        key = _cell_text(values, key_col)
        raw = values[verified_col] if verified_col < len(values) else None
        notes = _cell_text(values, notes_col) if notes_col is not None else None
        row_batch = _cell_text(values, batch_col)
        if key is None and row_batch is None and _cell_text(values, verified_col) is None:
            continue  # the signature block and other lines outside the list
        result = ReturnRow(source.number, key, "blank", notes=notes)
        results.append(result)
        if key is None or row_batch != str(batch_id) or key not in children:
            result.status = "unmatched"
            result.message = messages.text(
                "return.unmatched", row=source.number, key=key or "", batch=batch_id
            )
            continue
        if key in seen_keys:
            result.status = "repeated"
            result.message = messages.text(
                "return.duplicate_key", row=source.number, key=key, first=seen_keys[key]
            )
            continue
        seen_keys[key] = source.number
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        text = id_text(raw)
        try:
            number = cccd.validate(text)
        except ValidationError as exc:
            reason = messages.text(
                "return.invalid_length" if isinstance(exc, InvalidLength)
                else "return.invalid_format"
            )
            result.status = "invalid"
            result.message = messages.text(
                "return.invalid", row=source.number, value=text, reason=reason
            )
            continue
        result.number = number
        if number in seen_numbers:
            result.status = "repeated"
            result.message = messages.text(
                "return.same_number_twice", row=source.number, number=number,
                first=seen_numbers[number],
            )
            continue
        seen_numbers[number] = source.number
        owner = owner_of(number, key)
        if owner is not None:
            result.status = "taken"
            result.message = messages.text(
                "return.taken", row=source.number, number=number, owner=owner
            )
            continue
        child = children[key]
        for code in cccd.structure_warnings(
            number, sex=child.get("sex"), birth_date=child.get("birth_date")
        ):
            result.warnings.append(
                messages.text("return.structure", row=source.number, number=number,
                              warning=issue(code).message)
            )
        already = child.get("personal_id") == number and bool(child.get("id_verified"))
        result.status = "unchanged" if already else "verified"
    return batch_id, results


def same_name(left: object, right: object) -> bool:
    """True when two full names are the same person's name as written: equal once
    Unicode-normalised (NFC), case-folded and with runs of spaces collapsed."""
    def norm(value: object) -> str:
        return " ".join(unicodedata.normalize("NFC", str(value or "")).casefold().split())
    return norm(left) == norm(right)


def _check_identities(table, batch_id: str, children: Mapping[str, Mapping[str, Any]], *,
                      key_col: int, batch_col: int, name_col: int, birth_col: int) -> None:
    """Refuse the whole file unless every row of the batch names, by its row key, the
    child the register recorded under that key: same name and birth date. Rows are
    never matched by their order. A file written for another incarnation of the batch
    number (a crash before the batch was recorded) or edited by hand stops here, before
    any number is read."""
    wrong: list[str] = []
    for source in table.rows:
        values = source.values
        key = _cell_text(values, key_col)
        if key is None or _cell_text(values, batch_col) != batch_id or key not in children:
            continue  # reported row by row as "unmatched"
        child = children[key]
        file_day = as_date(values[birth_col] if birth_col < len(values) else None)
        if (not same_name(_cell_text(values, name_col), child.get("full_name"))
                or file_day != as_date(child.get("birth_date"))):
            wrong.append(messages.text(
                "police.identity_row", row=source.number, key=key,
                name=_cell_text(values, name_col) or "",
                expected=child.get("full_name") or ""))
    if wrong:
        shown = "; ".join(wrong[:3]) + (" …" if len(wrong) > 3 else "")
        raise SpreadsheetError("police.identity_mismatch", path=table.path.name,
                               batch=batch_id, count=len(wrong), rows=shown)


def _cell_text(values: Sequence[object], index: int | None) -> str | None:
    if index is None or index >= len(values) or values[index] is None:
        return None
    value = values[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None

