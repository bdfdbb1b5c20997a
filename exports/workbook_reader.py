"""Safe reading of xlsx files: bad files are recognised and named, never half-read.

:func:`check_file` looks at the bytes before any parser does: a CSV or an HTML page
renamed ``.xlsx``, an old ``.xls`` (OLE compound file), an encrypted workbook (an OLE
file holding ``EncryptedPackage``), a truncated or damaged ZIP. :func:`read_table` then
streams one sheet with openpyxl in read-only mode (cached values, not formulas) and
returns its header row and data rows with each cell's font name, so that legacy
TCVN3/VNI text can be repaired per cell. It refuses a sheet above ``max_rows`` from
the sheet's dimension record before reading it, and again while streaming when that
record is missing or wrong; it names each formula cell without a cached value; it
fills merged ranges with their top-left value and says so; it ignores hidden sheets
with a notice; and it finds the header row within the first rows of the sheet.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from exports import messages
from exports.errors import SpreadsheetError
from exports.progress import Progress

__all__ = [
    "HEADER_SCAN_ROWS",
    "MAX_ROWS",
    "Row",
    "Table",
    "check_file",
    "read_table",
]

#: Refuse sheets with more data rows than this (a commune holds far fewer children).
MAX_ROWS = 300_000
#: The header row is looked for within this many rows from the top of the sheet.
HEADER_SCAN_ROWS = 20

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_RE = re.compile(r"^([A-Z]+)([0-9]+)$")
_MAX_LISTED = 5

HeaderScorer = Callable[[Sequence[object]], int]


@dataclass(frozen=True)
class Row:
    """One data row: its Excel row number, cell values and each cell's font name."""

    number: int
    values: tuple[object, ...]
    fonts: tuple[str | None, ...]


@dataclass
class Table:
    """A sheet read as a table: the header row, the data rows and notices for the user."""

    path: Path
    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: list[Row]
    notices: list[str] = field(default_factory=list)


def check_file(path: str | Path) -> None:
    """Raise :class:`SpreadsheetError` unless ``path`` looks like a readable xlsx file."""
    path = Path(path)
    if not path.is_file():
        raise SpreadsheetError("file.missing", path=str(path))
    with open(path, "rb") as handle:
        head = handle.read(8)
        if not head:
            raise SpreadsheetError("file.empty", path=path.name)
        if head.startswith(_OLE_SIGNATURE[:4]):
            handle.seek(0)
            body = handle.read(32 * 1024 * 1024)
            if _ENCRYPTED_MARK in body:
                raise SpreadsheetError("file.encrypted", path=path.name)
            raise SpreadsheetError("file.xls", path=path.name)
        if not head.startswith(_ZIP_SIGNATURE):
            handle.seek(0)
            sample = handle.read(4096)
            raise SpreadsheetError(_kind_of_text(sample), path=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError("file.not_xlsx_zip", path=path.name)
            bad = archive.testzip()
            if bad is not None:
                raise SpreadsheetError("file.corrupt", path=path.name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise SpreadsheetError("file.corrupt", path=path.name) from exc


def _kind_of_text(sample: bytes) -> str:
    """Name what a non-ZIP file probably is, for the message."""
    if b"\x00" in sample:
        return "file.not_xlsx"
    text = sample.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t").lower()
    if text.startswith("<"):
        return "file.html"
    first_line = text.splitlines()[0] if text else ""
    if any(sep in first_line for sep in (",", ";", "\t")):
        return "file.csv"
    return "file.not_xlsx"


def read_table(
    path: str | Path,
    score_header: HeaderScorer,
    *,
    sheet: str | None = None,
    min_score: int = 2,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
    fill_merged: bool = True,
) -> Table:
    """Read the data table of one sheet of the xlsx file at ``path``.

    ``score_header(values)`` rates how much a row looks like the header (for example
    the number of cells naming a known column); the best row with at least
    ``min_score`` within the first :data:`HEADER_SCAN_ROWS` rows is the header. The
    sheet is ``sheet`` when given, else the first visible sheet that has a header.
    Fully empty rows are skipped. Merged ranges are filled with their top-left value
    (``fill_merged``) or left as Excel shows them. Raises :class:`SpreadsheetError`
    for every bad file.
    """
    path = Path(path)
    check_file(path)
    import openpyxl  # the app extra; imported here so that the module stays light

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise SpreadsheetError("file.corrupt", path=path.name) from exc
    try:
        return _read_book(
            book, path, score_header, sheet, min_score, max_rows, progress, fill_merged
        )
    except (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError) as exc:
        raise SpreadsheetError("file.corrupt", path=path.name) from exc
    finally:
        book.close()


def _read_book(
    book, path, score_header, sheet, min_score, max_rows, progress, fill_merged
) -> Table:
    notices: list[str] = []
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise SpreadsheetError(
                "sheet.not_found", sheet=sheet, sheets=", ".join(book.sheetnames)
            )
        candidates = [book[sheet]]
    else:
        candidates = []
        for ws in book.worksheets:
            if ws.sheet_state == "visible":
                candidates.append(ws)
            else:
                notices.append(messages.text("notice.hidden_sheet", sheet=ws.title))
        if not candidates:
            raise SpreadsheetError("sheet.none_visible", path=path.name)
    first_error: SpreadsheetError | None = None
    for ws in candidates:
        try:
            table = _read_sheet(
                ws, path, score_header, min_score, max_rows, progress, fill_merged
            )
        except SpreadsheetError as exc:
            if exc.code not in ("sheet.empty", "header.not_found") or sheet is not None:
                raise
            first_error = first_error or exc
            continue
        if len(candidates) > 1:
            notices.append(messages.text("notice.sheet_used", sheet=ws.title))
        table.notices[:0] = notices
        return table
    assert first_error is not None
    raise first_error


def _read_sheet(ws, path, score_header, min_score, max_rows, progress, fill_merged) -> Table:
    declared = ws.max_row if ws.max_row else None
    if declared is not None and declared > max_rows + HEADER_SCAN_ROWS:
        raise SpreadsheetError(
            "file.too_many_rows", sheet=ws.title, rows=declared, limit=max_rows
        )
    ws.reset_dimensions()  # a wrong dimension record must not cut the sheet short
    merges, formula_sheet = _scan_sheet_xml(ws)
    missing = _formulas_without_value(ws) if formula_sheet else []
    if missing:
        listed = ", ".join(missing[:_MAX_LISTED])
        more = len(missing) - _MAX_LISTED
        raise SpreadsheetError(
            "cell.formula_no_value",
            sheet=ws.title,
            cells=listed + (messages.text("more", count=more) if more > 0 else ""),
        )

    fonts = ws.parent._fonts  # read-only cells resolve their font through this list
    head: list[tuple[int, tuple[object, ...], tuple[str | None, ...]]] = []
    rows: list[Row] = []
    header_row = 0
    headers: tuple[str, ...] = ()
    seen_any = False
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values, names = _row_values(cells, fonts)
        if any(v is not None for v in values):
            seen_any = True
        if not header_row:
            head.append((number, values, names))
            if number < HEADER_SCAN_ROWS:
                continue
            header_row, headers, rows = _pick_header(head, score_header, min_score, ws.title)
            continue
        if all(v is None for v in values):
            continue
        rows.append(Row(number, values, names))
        if len(rows) > max_rows:
            raise SpreadsheetError(
                "file.too_many_rows", sheet=ws.title, rows=f"> {max_rows}", limit=max_rows
            )
        if progress is not None:
            progress.step()
    if not seen_any:
        raise SpreadsheetError("sheet.empty", sheet=ws.title)
    if not header_row:
        header_row, headers, rows = _pick_header(head, score_header, min_score, ws.title)
    if not rows:
        raise SpreadsheetError("sheet.no_data", sheet=ws.title, row=header_row)

    notices: list[str] = []
    if merges and fill_merged:
        rows, headers, applied = _fill_merges(merges, header_row, headers, rows)
        if applied:
            notices.append(messages.text("notice.merged", ranges=_list(applied)))
    return Table(Path(path), ws.title, header_row, headers, rows, notices)


def _row_values(cells, fonts) -> tuple[tuple[object, ...], tuple[str | None, ...]]:
    values: list[object] = []
    names: list[str | None] = []
    for cell in cells:
        value = cell.value
        if isinstance(value, str):
            value = value.strip() or None
        values.append(value)
        font_name = None
        if value is not None and isinstance(value, str):
            style = getattr(cell, "style_array", None)
            if style is not None and style.fontId < len(fonts):
                font_name = fonts[style.fontId].name
        names.append(font_name)
    while values and values[-1] is None:
        values.pop()
        names.pop()
    return tuple(values), tuple(names)


def _pick_header(head, score_header, min_score, sheet):
    best_score, best_index = 0, -1
    for index, (_number, values, _fonts) in enumerate(head):
        score = score_header(values)
        if score > best_score:
            best_score, best_index = score, index
    if best_index < 0 or best_score < min_score:
        if all(all(v is None for v in values) for _n, values, _f in head):
            raise SpreadsheetError("sheet.empty", sheet=sheet)
        raise SpreadsheetError("header.not_found", sheet=sheet, rows=HEADER_SCAN_ROWS)
    number, values, _fonts = head[best_index]
    headers = tuple("" if v is None else str(v).strip() for v in values)
    rows = [
        Row(n, v, f) for n, v, f in head[best_index + 1 :] if any(x is not None for x in v)
    ]
    return number, headers, rows


def _sheet_source(ws):
    return ws.parent._archive.open(ws._worksheet_path)


def _scan_sheet_xml(ws) -> tuple[list[str], bool]:
    """Return the merged ranges of the sheet and whether it holds any formula."""
    merges: list[str] = []
    has_formula = False
    tail = b""
    with _sheet_source(ws) as source:
        while True:
            chunk = source.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            if not has_formula and _FORMULA_RE.search(data):
                has_formula = True
            merges.extend(m.decode() for m in _MERGE_RE.findall(data))
            tail = data[-256:]  # overlap so that no tag is cut in two; duplicates dropped
    return list(dict.fromkeys(merges)), has_formula


def _formulas_without_value(ws) -> list[str]:
    """Return the cells of the sheet that hold a formula but no cached value."""
    missing: list[str] = []
    with _sheet_source(ws) as source:
        for _event, element in iterparse(source, events=("end",)):
            if element.tag.rpartition("}")[2] != "c":
                continue
            formula = value = None
            for child in element:
                local = child.tag.rpartition("}")[2]
                if local == "f":
                    formula = child
                elif local in ("v", "is"):
                    value = child
            if formula is not None and (value is None or not "".join(value.itertext())):
                missing.append(element.get("r", "?"))
            element.clear()
    return missing


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index


def _split_ref(ref: str) -> tuple[int, int]:
    match = _CELL_RE.match(ref)
    if match is None:
        raise SpreadsheetError("cell.bad_reference", ref=ref)
    return _column_index(match.group(1)), int(match.group(2))


def _fill_merges(merges, header_row, headers, rows):
    """Give every cell of each merged range the value of its top-left cell."""
    by_number = {row.number: row for row in rows}
    grid: dict[int, tuple[list[object], list[str | None]]] = {}

    def editable(number: int):
        if number not in grid:
            row = by_number.get(number)
            if row is None:
                return None
            grid[number] = (list(row.values), list(row.fonts))
        return grid[number]

    header = list(headers)
    applied: list[str] = []
    for ref in merges:
        first, _, last = ref.partition(":")
        if not last:
            continue
        col1, row1 = _split_ref(first)
        col2, row2 = _split_ref(last)
        if row1 == header_row:
            for col in range(col1 + 1, col2 + 1):
                while len(header) < col:
                    header.append("")
                if not header[col - 1]:
                    header[col - 1] = header[col1 - 1] if col1 <= len(header) else ""
            applied.append(ref)
            continue
        top = editable(row1)
        if top is None:
            continue
        applied.append(ref)
        value = top[0][col1 - 1] if col1 <= len(top[0]) else None
        font = top[1][col1 - 1] if col1 <= len(top[1]) else None
        for number in range(row1, row2 + 1):
            target = editable(number)
            if target is None:
                continue
            vals, fnts = target
            for col in range(col1, col2 + 1):
                while len(vals) < col:
                    vals.append(None)
                    fnts.append(None)
                if vals[col - 1] is None:
                    vals[col - 1] = value
                    fnts[col - 1] = font
    filled = [
        Row(row.number, tuple(grid[row.number][0]), tuple(grid[row.number][1]))
        if row.number in grid
        else row
        for row in rows
    ]
    return filled, tuple(header), applied


def _list(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    if len(items) > _MAX_LISTED:
        shown += messages.text("more", count=len(items) - _MAX_LISTED)
    return shown
