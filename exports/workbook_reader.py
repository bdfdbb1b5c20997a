"""Safe reading of xlsx files: bad files are recognised and named, never half-read.

:func:`check_file` looks at the bytes before any parser does: a CSV or an HTML page
renamed ``.xlsx``, an old ``.xls`` (OLE compound file), an encrypted workbook (an OLE
file holding ``EncryptedPackage``), a damaged ZIP, or one whose declared sizes break
the limits (:mod:`exports.limits`, :mod:`exports.zip_guard`). :func:`read_table` then
scans the sheet's XML with counters (:mod:`exports.sheet_scan`: grid size, text runs,
declarations), reads the values with python-calamine (about ten times faster than
openpyxl) and returns the header row and data rows. Font names are read only for the
cells whose text may be TCVN3/VNI (:func:`exports.legacy_cells.may_be_legacy`) and only
when the styles name such a font, from the sheet's style indexes and the styles part.
It names each formula cell without a cached value; it fills merged ranges with their
top-left value and says so; it ignores hidden sheets with a notice; and it finds the
header row within the first rows of the sheet.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from exports import messages
from exports.errors import SpreadsheetError
from exports.legacy_cells import may_be_legacy
from exports.limits import DEFAULT_LIMITS, ReadLimits
from exports.memory import release_freed_memory
from exports.progress import Progress
from exports.sheet_scan import legacy_font_cells, scan_shared_strings, scan_sheet
from exports.zip_guard import GuardedZip
from libchild.gcpause import paused_gc
from libchild.text import encoding_for_font

__all__ = [
    "HEADER_SCAN_ROWS",
    "MAX_ROWS",
    "Row",
    "Table",
    "check_file",
    "read_table",
]

#: Refuse sheets with more data rows than this (a commune holds far fewer children).
MAX_ROWS = DEFAULT_LIMITS.max_rows
#: The header row is looked for within this many rows from the top of the sheet.
HEADER_SCAN_ROWS = 20

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_CELL_RE = re.compile(r"^([A-Z]+)([0-9]+)$")
_MAX_LISTED = 5
_WORKBOOK = "xl/workbook.xml"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

HeaderScorer = Callable[[Sequence[object]], int]
#: Short texts read are kept once however often they repeat (up to this many).
_SHARED_TEXT = 40
_SHARED_ENTRIES = 200_000
_NO_FONTS: dict[int, tuple[None, ...]] = {}


def _no_fonts(width: int) -> tuple[None, ...]:
    found = _NO_FONTS.get(width)
    if found is None:
        found = _NO_FONTS[width] = (None,) * width
    return found


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its Excel row number, cell values and each cell's font name.

    A font name is given only for a cell whose text may be TCVN3/VNI and whose style
    names a legacy font; every other cell has None.
    """

    number: int
    values: tuple[object, ...]
    fonts: tuple[str | None, ...]
    #: False when no text of the row may be TCVN3/VNI: nothing to repair.
    legacy: bool = True


@dataclass
class Table:
    """A sheet read as a table: the header row, the data rows and notices for the user."""

    path: Path
    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: list[Row]
    notices: list[str] = field(default_factory=list)
    #: The workbook's keywords (document properties), e.g. who wrote it.
    keywords: str = ""


@dataclass(frozen=True)
class _Sheet:
    name: str
    visible: bool
    part: str


@dataclass(frozen=True)
class _Book:
    sheets: list[_Sheet]
    shared_strings: str | None
    styles: str | None


def check_file(path: str | Path, limits: ReadLimits | None = None) -> None:
    """Raise :class:`SpreadsheetError` unless ``path`` looks like a readable xlsx file.

    Nothing is decompressed: the ZIP's directory is checked against ``limits``.
    """
    path = Path(path)
    _check_signature(path)
    with GuardedZip(path, limits or DEFAULT_LIMITS) as archive:
        if _WORKBOOK not in archive.names():
            raise SpreadsheetError("file.not_xlsx_zip", path=path.name)


def _check_signature(path: Path) -> None:
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
    limits: ReadLimits | None = None,
) -> Table:
    """Read the data table of one sheet of the xlsx file at ``path``.

    ``score_header(values)`` rates how much a row looks like the header (for example
    the number of cells naming a known column); the best row with at least
    ``min_score`` within the first :data:`HEADER_SCAN_ROWS` rows is the header. The
    sheet is ``sheet`` when given, else the first visible sheet that has a header.
    Fully empty rows are skipped. Merged ranges are filled with their top-left value
    (``fill_merged``) or left as Excel shows them. Every bound of ``limits`` (default
    :data:`exports.limits.DEFAULT_LIMITS`) is checked before and while reading; a sheet
    with more than ``max_rows`` data rows is refused. Raises :class:`SpreadsheetError`
    for every bad file.
    """
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    _check_signature(path)
    with GuardedZip(path, limits) as archive:
        if _WORKBOOK not in archive.names():
            raise SpreadsheetError("file.not_xlsx_zip", path=path.name)
        book = _read_book_parts(archive, limits)
        notices: list[str] = []
        if sheet is not None:
            names = [s.name for s in book.sheets]
            if sheet not in names:
                raise SpreadsheetError("sheet.not_found", sheet=sheet, sheets=", ".join(names))
            candidates = [s for s in book.sheets if s.name == sheet]
        else:
            candidates = []
            for item in book.sheets:
                if item.visible:
                    candidates.append(item)
                else:
                    notices.append(messages.text("notice.hidden_sheet", sheet=item.name))
            if not candidates:
                raise SpreadsheetError("sheet.none_visible", path=path.name)
        if book.shared_strings is not None:
            scan_shared_strings(archive.stream(book.shared_strings), limits)
        legacy_styles = _legacy_styles(archive, book.styles, limits)
        first_error: SpreadsheetError | None = None
        for item in candidates:
            try:
                with paused_gc():  # hundreds of thousands of small acyclic objects
                    table = _read_sheet(archive, item, path, score_header, min_score,
                                        max_rows, progress, fill_merged, limits, legacy_styles)
            except SpreadsheetError as exc:
                if exc.code not in ("sheet.empty", "header.not_found") or sheet is not None:
                    raise
                first_error = first_error or exc
                continue
            if len(candidates) > 1:
                notices.append(messages.text("notice.sheet_used", sheet=item.name))
            table.notices[:0] = notices
            table.keywords = _keywords(archive, limits)
            return table
        assert first_error is not None
        raise first_error


# --- the small parts: workbook, relationships, styles --------------------------------------
def _parse_small(archive: GuardedZip, name: str, limits: ReadLimits) -> ElementTree.Element:
    """Parse a small part as a tree, refusing declarations and deep nesting."""
    data = archive.read(name, limits.max_small_part)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise SpreadsheetError("file.xml_declaration", part=name[:80])
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    depth = 0
    root: ElementTree.Element | None = None
    try:
        parser.feed(data)
        parser.close()
        for event, element in parser.read_events():
            if event == "start":
                depth += 1
                if depth > limits.max_xml_depth:
                    raise SpreadsheetError("file.xml_nested", part=name[:80],
                                           limit=limits.max_xml_depth)
                if root is None:
                    root = element
            else:
                depth -= 1
    except ElementTree.ParseError as exc:
        raise SpreadsheetError("file.corrupt", path=archive.path.name) from exc
    if root is None:
        raise SpreadsheetError("file.corrupt", path=archive.path.name)
    return root


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _relationships(archive: GuardedZip, part: str, limits: ReadLimits) -> dict[str, str]:
    folder = PurePosixPath(part).parent
    rels = str(folder / "_rels" / (PurePosixPath(part).name + ".rels"))
    if rels not in archive.names():
        return {}
    targets = {}
    for element in _parse_small(archive, rels, limits).iter():
        if _local(element.tag) == "Relationship":
            target = element.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = _normalise(str(folder / target))
            targets[element.get("Id", "")] = resolved
    return targets


def _normalise(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _read_book_parts(archive: GuardedZip, limits: ReadLimits) -> _Book:
    root = _parse_small(archive, _WORKBOOK, limits)
    targets = _relationships(archive, _WORKBOOK, limits)
    names = archive.names()
    sheets = []
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        part = targets.get(element.get(f"{{{_REL_NS}}}id", ""), "")
        if part not in names:
            continue  # a chart sheet or a dangling entry: nothing to read
        sheets.append(_Sheet(element.get("name", ""), element.get("state", "visible")
                             == "visible", part))
    shared = next((t for t in targets.values() if t.endswith("sharedStrings.xml")), None)
    styles = next((t for t in targets.values() if t.endswith("styles.xml")), None)
    return _Book(sheets, shared if shared in names else None,
                 styles if styles in names else None)


def _keywords(archive: GuardedZip, limits: ReadLimits) -> str:
    """The keywords of the document properties ("" when there are none)."""
    if "docProps/core.xml" not in archive.names():
        return ""
    for element in _parse_small(archive, "docProps/core.xml", limits).iter():
        if _local(element.tag) == "keywords":
            return (element.text or "")[:200]
    return ""


def _legacy_styles(archive: GuardedZip, part: str | None, limits: ReadLimits) -> dict[int, str]:
    """Cell style index -> font name, for the styles whose font is a TCVN3/VNI font."""
    if part is None:
        return {}
    root = _parse_small(archive, part, limits)
    fonts: list[str | None] = []
    styles: dict[int, str] = {}
    for element in root:
        kind = _local(element.tag)
        if kind == "fonts":
            for font in element:
                name = next((c.get("val") for c in font if _local(c.tag) == "name"), None)
                fonts.append(name)
        elif kind == "cellXfs":
            for index, xf in enumerate(element):
                try:
                    font_id = int(xf.get("fontId", "0"))
                except ValueError:
                    continue
                name = fonts[font_id] if 0 <= font_id < len(fonts) else None
                if name and encoding_for_font(name) is not None:
                    styles[index] = name
    return styles


# --- the sheet -----------------------------------------------------------------------------
def _read_sheet(archive, item, path, score_header, min_score, max_rows, progress,
                fill_merged, limits, legacy_styles) -> Table:
    last_row = max_rows + HEADER_SCAN_ROWS
    facts = scan_sheet(archive.stream(item.part), limits, sheet=item.name, max_rows=last_row)
    if facts.has_formula:
        missing = _formulas_without_value(archive.stream(item.part), limits, path.name)
        if missing:
            listed = ", ".join(missing[:_MAX_LISTED])
            more = len(missing) - _MAX_LISTED
            raise SpreadsheetError(
                "cell.formula_no_value",
                sheet=item.name,
                cells=listed + (messages.text("more", count=more) if more > 0 else ""),
            )
    head: list[tuple[int, tuple[object, ...]]] = []
    values_rows: list[tuple[int, tuple[object, ...]]] = []
    need_fonts: set[int] = set()
    header_row = 0
    headers: tuple[str, ...] = ()
    seen_any = False
    for number, values, maybe_legacy in _calamine_rows(path, item.name, limits):
        if values:
            seen_any = True
        if maybe_legacy:
            need_fonts.add(number)
        if not header_row:
            head.append((number, values))
            if number < HEADER_SCAN_ROWS:
                continue
            header_row, headers, values_rows = _pick_header(head, score_header, min_score,
                                                            item.name)
            continue
        if not values:
            continue
        values_rows.append((number, values))
        if len(values_rows) > max_rows:
            raise SpreadsheetError(
                "file.too_many_rows", sheet=item.name, rows=f"> {max_rows}", limit=max_rows
            )
        if progress is not None:
            progress.step()
    release_freed_memory()  # calamine's whole-sheet grid is gone: give its pages back
    if not seen_any:
        raise SpreadsheetError("sheet.empty", sheet=item.name)
    if not header_row:
        header_row, headers, values_rows = _pick_header(head, score_header, min_score,
                                                        item.name)
    if not values_rows:
        raise SpreadsheetError("sheet.no_data", sheet=item.name, row=header_row)
    fonts = _fonts_of(archive, item.part, limits, legacy_styles, need_fonts)
    rows = [
        Row(number, values, _cell_fonts(values, fonts.get(number)), number in need_fonts)
        for number, values in values_rows
    ]
    del values_rows
    notices: list[str] = []
    if facts.merges and fill_merged:
        rows, headers, applied = _fill_merges(facts.merges, header_row, headers, rows)
        if applied:
            notices.append(messages.text("notice.merged", ranges=_list(applied)))
    return Table(Path(path), item.name, header_row, headers, rows, notices)


def _calamine_rows(
    path: Path, sheet: str, limits: ReadLimits
) -> Iterator[tuple[int, tuple[object, ...], bool]]:
    """Yield ``(row number, values, may hold legacy text)`` for every row of the sheet.

    Text is stripped (empty text is None), trailing empty cells are dropped, so an
    empty row has ``()``. Every text is counted against the limits.
    """
    import python_calamine  # the app extra; imported here so that the module stays light

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # Rust panics are BaseExceptions
        raise _calamine_error(exc, path, sheet) from exc
    try:
        try:
            grid = workbook.get_sheet_by_name(sheet)
            start = grid.start
            rows = grid.iter_rows()
        except BaseException as exc:
            raise _calamine_error(exc, path, sheet) from exc
        offset = start[1] if start else 0
        padding: tuple[None, ...] = (None,) * offset
        max_chars, budget = limits.max_cell_chars, limits.max_text_chars
        shared: dict[str, str] = {}
        for index, cells in enumerate(rows):
            values: list[object] = list(padding)
            legacy = False
            for value in cells:
                if value.__class__ is str:
                    if not value:
                        values.append(None)
                        continue
                    value = value.strip()
                    size = len(value)
                    if size > max_chars:
                        raise SpreadsheetError("limit.cell_chars", sheet=sheet,
                                               row=index + 1, limit=max_chars)
                    budget -= size
                    if budget < 0:
                        raise SpreadsheetError("limit.text_chars", sheet=sheet,
                                               limit=limits.max_text_chars)
                    if not size:
                        values.append(None)
                        continue
                    if not legacy and not value.isascii() and may_be_legacy(value):
                        legacy = True
                    if size <= _SHARED_TEXT and len(shared) < _SHARED_ENTRIES:
                        # villages, codes, dates, parents' names repeat: keep one copy
                        value = shared.setdefault(value, value)
                values.append(value)
            while values and values[-1] is None:
                values.pop()
            yield index + 1, tuple(values), legacy
    finally:
        workbook.close()


def _calamine_error(exc: BaseException, path: Path, sheet: str) -> BaseException:
    """The Vietnamese error for what python-calamine raised (a Rust panic included)."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, SpreadsheetError)):
        return exc
    text = str(exc).lower()
    if "shared string" in text:
        return SpreadsheetError("cell.shared_string_missing", path=path.name, sheet=sheet)
    if "password" in text or type(exc).__name__ == "PasswordError":
        return SpreadsheetError("file.encrypted", path=path.name)
    return SpreadsheetError("file.corrupt", path=path.name)


def _fonts_of(archive, part, limits, legacy_styles, need: set[int]
              ) -> dict[int, tuple[str | None, ...]]:
    """The font names of the cells in rows ``need`` that use a legacy-font style."""
    if not need or not legacy_styles:
        return {}
    found: dict[int, list[str | None]] = {}
    last = max(need)
    for number, column, name in legacy_font_cells(archive.stream(part), limits,
                                                  legacy_styles):
        if number > last:
            break
        if number not in need:
            continue
        current = found.setdefault(number, [])
        if column >= len(current):
            current.extend([None] * (column + 1 - len(current)))
        current[column] = name
    return {number: tuple(names) for number, names in found.items()}


def _cell_fonts(values: tuple[object, ...], found: tuple[str | None, ...] | None
                ) -> tuple[str | None, ...]:
    """The fonts of a row aligned with its values, kept only for possible legacy text."""
    if not found:
        return _no_fonts(len(values))
    return tuple(
        found[index] if index < len(found) and value.__class__ is str
        and not value.isascii() and may_be_legacy(value) else None
        for index, value in enumerate(values)
    )


def _pick_header(head, score_header, min_score, sheet):
    best_score, best_index = 0, -1
    for index, (_number, values) in enumerate(head):
        score = score_header(values)
        if score > best_score:
            best_score, best_index = score, index
    if best_index < 0 or best_score < min_score:
        if all(not values for _n, values in head):
            raise SpreadsheetError("sheet.empty", sheet=sheet)
        raise SpreadsheetError("header.not_found", sheet=sheet, rows=HEADER_SCAN_ROWS)
    number, values = head[best_index]
    headers = tuple("" if v is None else str(v).strip() for v in values)
    rows = [(n, v) for n, v in head[best_index + 1 :] if v]
    return number, headers, rows


def _formulas_without_value(chunks: Iterable[bytes], limits: ReadLimits, name: str
                            ) -> list[str]:
    """Return the cells of the sheet that hold a formula but no cached value."""
    missing: list[str] = []
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    depth = 0
    try:
        for chunk in chunks:
            parser.feed(chunk)
            for event, element in parser.read_events():
                if event == "start":
                    depth += 1
                    if depth > limits.max_xml_depth:
                        raise SpreadsheetError("file.xml_nested", part="sheet",
                                               limit=limits.max_xml_depth)
                    continue
                depth -= 1
                if _local(element.tag) != "c":
                    continue
                formula = value = None
                for child in element:
                    local = _local(child.tag)
                    if local == "f":
                        formula = child
                    elif local in ("v", "is"):
                        value = child
                empty = value is None or not "".join(value.itertext())
                if formula is not None and empty and len(missing) < 1000:
                    missing.append(element.get("r", "?"))
                element.clear()
        parser.close()
    except ElementTree.ParseError as exc:
        raise SpreadsheetError("file.corrupt", path=name) from exc
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
        Row(row.number, tuple(grid[row.number][0]), tuple(grid[row.number][1]), True)
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
