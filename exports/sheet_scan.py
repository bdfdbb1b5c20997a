"""A bounded pass over a worksheet's XML before any grid is built.

A grid reader allocates rows x columns cells from the largest cell reference it meets,
so ``<c r="XFD1048576">`` in a 1 MB file asks for billions of cells. :func:`scan_sheet`
reads the sheet part as a stream, at C speed (byte searches and one regular
expression that only matches references beyond the largest seen so far), and refuses:
a DOCTYPE or entity declaration (xlsx parts never have one: the entity bomb), a run of
text or blank space longer than a cell can be, a row or column number or a grid above
the limits, and more row or cell tags than the limits. It also collects what the reader
needs from the XML: the merged ranges and whether any formula is present.
:func:`scan_shared_strings` does the same for the shared string table, and
:func:`legacy_font_cells` finds, row by row, the cells styled with a TCVN3/VNI font.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from exports.errors import SpreadsheetError
from exports.limits import ReadLimits

__all__ = [
    "SheetFacts",
    "column_number",
    "legacy_font_cells",
    "root_prefix",
    "scan_shared_strings",
    "scan_sheet",
]

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*[\s>/]")
_REF = re.compile(rb'\sr="([A-Z]*)0*(\d+)"')
_MERGE = re.compile(rb'<(?:[\w.-]+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


@dataclass
class SheetFacts:
    """What the scan learnt: an upper bound of the grid and the sheet's merged ranges."""

    rows: int = 0
    columns: int = 0
    merges: list[str] = field(default_factory=list)
    has_formula: bool = False


def column_number(letters: bytes | str) -> int:
    """1-based column number of Excel column letters.

    >>> column_number("A"), column_number(b"Z"), column_number("AA"), column_number("XFD")
    (1, 26, 27, 16384)
    """
    if isinstance(letters, str):
        letters = letters.encode("ascii")
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def _letters(number: int) -> bytes:
    out = b""
    while number:
        number, rest = divmod(number - 1, 26)
        out = bytes([65 + rest]) + out
    return out


def _above(text: bytes, alphabet: bytes) -> bytes:
    """A regex matching a word over ``alphabet`` (ordered) greater than ``text``; for
    digits a longer word must not start with 0 (leading zeros are matched outside)."""
    first, last = alphabet[:1], alphabet[-1:]
    width = len(text)
    klass = b"[" + first + b"-" + last + b"]"
    lead = b"[1-9]" if first == b"0" else klass
    options = [lead + klass + b"{%d,}" % width]
    for index in range(width):
        digit = text[index : index + 1]
        if digit != last:
            rest = width - index - 1
            higher = bytes([digit[0] + 1])
            options.append(
                re.escape(text[:index]) + b"[" + higher + b"-" + last + b"]"
                + (klass + b"{%d}" % rest if rest else b"")
            )
    return b"(?:" + b"|".join(options) + b")"


def _beyond(row_bound: int, column_bound: int) -> re.Pattern[bytes]:
    """References (of a cell, or a row's ``r``) beyond the grid known so far."""
    rows = _above(str(row_bound).encode(), b"0123456789") if row_bound else rb"[1-9]\d*"
    columns = _above(_letters(column_bound), b"ABCDEFGHIJKLMNOPQRSTUVWXYZ") \
        if column_bound else b"[A-Z]+"
    return re.compile(rb'\sr="(?:' + columns + rb"\d+" + rb'"|[A-Z]*0*' + rows + rb'")')


def _round_up(number: int) -> int:
    """A bound just above ``number`` (two significant digits), so that the pattern of
    references beyond it is rebuilt rarely."""
    digits = len(str(number))
    if digits <= 2:
        return 99
    unit = 10 ** (digits - 2)
    return (number // unit + 1) * unit - 1


def root_prefix(head: bytes) -> bytes:
    """The namespace prefix of the root element (``b"x:"``), or ``b""``."""
    for match in _ROOT.finditer(head):
        if head[match.start() + 1 : match.start() + 2] in (b"?", b"!"):
            continue
        return match.group(1) or b""
    return b""


def _refuse(code: str, **values: object) -> SpreadsheetError:
    return SpreadsheetError(code, **values)


def _check_text(piece: bytes, limits: ReadLimits, where: str) -> None:
    """Refuse declarations and any run of text longer than a cell can be."""
    for mark in _DECLARATIONS:
        if mark in piece:
            raise _refuse("file.xml_declaration", part=where)
    window = max(1, limits.max_text_run // 2)
    for start in range(0, len(piece), window):
        if piece.find(b"<", start, start + window) != -1:
            continue
        left = piece.rfind(b"<", 0, start) + 1
        right = piece.find(b"<", start + window)
        if (len(piece) if right == -1 else right) - left > limits.max_text_run:
            raise _refuse("limit.text_run", part=where, limit=limits.max_cell_chars)


def _pieces(chunks: Iterable[bytes], limits: ReadLimits, where: str) -> Iterator[bytes]:
    """The stream cut before its last ``<``, so that no tag is cut in two; checked."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            carry = data
            _check_text(carry, limits, where)
            continue
        piece, carry = data[:cut], data[cut:]
        _check_text(piece, limits, where)
        yield piece
    if carry:
        _check_text(carry, limits, where)
        yield carry


def scan_sheet(
    chunks: Iterable[bytes], limits: ReadLimits, *, sheet: str, max_rows: int
) -> SheetFacts:
    """Check the sheet XML given as ``chunks`` against ``limits``; return its facts.

    ``max_rows`` is the last row number allowed. Raises :class:`SpreadsheetError`.
    """
    facts = SheetFacts()
    prefix: bytes | None = None
    # ``row_bound`` is above every row reference met (rounded up, so that the pattern
    # of references beyond it is rebuilt rarely); every reference beyond it was checked.
    row_bound = column_bound = 0
    beyond = _beyond(0, 0)
    implicit_rows = 0
    for piece in _pieces(chunks, limits, sheet):
        if prefix is None:
            prefix = root_prefix(piece[:4096])
            row_tag, cell_tag = b"<" + prefix + b"row", b"<" + prefix + b"c"
            explicit_row, explicit_cell = row_tag + b' r="', cell_tag + b' r="'
            formula_tags = (b"<" + prefix + b"f>", b"<" + prefix + b"f ")
            not_cells = (b"<" + prefix + b"co", b"<" + prefix + b"cf")
        position = 0
        while True:
            found = beyond.search(piece, position)
            if found is None:
                break
            ref = _REF.match(piece, found.start())
            if ref is None:  # pragma: no cover - the patterns agree
                break
            letters, digits = ref.group(1), ref.group(2)
            if len(digits) > 9:
                raise _refuse("file.too_many_rows", sheet=sheet, rows=f"> {max_rows}",
                              limit=max_rows)
            row = int(digits)
            column = column_number(letters) if letters else 0
            if row > max_rows:
                raise _refuse("file.too_many_rows", sheet=sheet, rows=row, limit=max_rows)
            if column > limits.max_columns:
                raise _refuse("limit.columns", sheet=sheet, column=letters.decode()[:8],
                              limit=limits.max_columns)
            row_bound = max(row_bound, _round_up(row))
            column_bound = max(column_bound, column)
            beyond = _beyond(row_bound, column_bound)
            position = ref.end()
        rows = piece.count(row_tag) - piece.count(row_tag + b"Breaks")
        cells = piece.count(cell_tag) - sum(piece.count(tag) for tag in not_cells)
        implicit_rows += max(0, rows - piece.count(explicit_row))
        implicit_cells = max(0, cells - piece.count(explicit_cell))
        if implicit_cells:
            column_bound = max(column_bound,
                               _widest_implicit_row(piece, prefix, limits, sheet))
        facts.rows = row_bound + implicit_rows
        facts.columns = column_bound
        if implicit_rows and facts.rows > max_rows:
            raise _refuse("file.too_many_rows", sheet=sheet, rows=f"> {max_rows}",
                          limit=max_rows)
        if facts.columns > limits.max_columns:
            raise _refuse("limit.columns", sheet=sheet, column=facts.columns,
                          limit=limits.max_columns)
        if facts.rows * facts.columns > limits.max_cells:
            raise _refuse("limit.cells", sheet=sheet, rows=facts.rows,
                          columns=facts.columns, limit=limits.max_cells)
        if not facts.has_formula and any(tag in piece for tag in formula_tags):
            facts.has_formula = True
        if b"mergeCell" in piece:
            facts.merges.extend(m.decode() for m in _MERGE.findall(piece))
    return facts


_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c(?:\s[^>]*)?/?>")


def _widest_implicit_row(piece: bytes, prefix: bytes, limits: ReadLimits, sheet: str) -> int:
    """The slow path for cells without a reference: walk them row by row."""
    row_tag = re.compile(rb"<" + re.escape(prefix) + rb"row\b[^>]*>")
    widest = 0
    starts = [m.end() for m in row_tag.finditer(piece)]
    bounds = [0, *starts, len(piece)]
    for begin, end in itertools.pairwise(bounds):
        column = 0
        for cell in _CELL_TAG.finditer(piece, begin, end):
            ref = _REF.search(cell.group(0))
            column = column_number(ref.group(1)) if ref and ref.group(1) else column + 1
            widest = max(widest, column)
            if column > limits.max_columns:
                raise _refuse("limit.columns", sheet=sheet, column=column,
                              limit=limits.max_columns)
    return widest


def scan_shared_strings(chunks: Iterable[bytes], limits: ReadLimits) -> int:
    """Check the shared string table; return how many entries it has."""
    count = 0
    prefix: bytes | None = None
    for piece in _pieces(chunks, limits, "sharedStrings"):
        if prefix is None:
            prefix = root_prefix(piece[:4096])
            tags = (b"<" + prefix + b"si>", b"<" + prefix + b"si ", b"<" + prefix + b"si/")
        count += sum(piece.count(tag) for tag in tags)
        if count > limits.max_shared_strings:
            raise _refuse("limit.shared_strings", count=f"> {limits.max_shared_strings}",
                          limit=limits.max_shared_strings)
    return count


def legacy_font_cells(
    chunks: Iterable[bytes], limits: ReadLimits, styles: Mapping[int, str]
) -> Iterator[tuple[int, int, str]]:
    """Yield ``(row number, 0-based column, font name)`` for every cell whose style
    (an index in ``styles``) uses a legacy font, in sheet order.

    Only the cells carrying such a style are looked at (one search for the style
    attributes, then the cell's own tag); a cell without a reference is skipped, so its
    text falls back to detection.
    """
    if not styles:
        return
    ids = b"|".join(str(i).encode() for i in styles)
    wanted = re.compile(rb'\ss="(' + ids + rb')"')
    # the usual order (every common writer puts the reference first), at C speed
    usual = re.compile(rb'<(?:[\w.-]+:)?c r="([A-Z]+)(\d+)"[^>]*?\ss="(' + ids + rb')"')
    # a superset of ``wanted``'s matches (any attribute ending in "s"), counted at
    # memchr speed: when it agrees with the usual order, so does ``wanted``
    marks = [b's="' + str(i).encode() + b'"' for i in styles]
    columns: dict[bytes, int] = {}
    for piece in _pieces(chunks, limits, "sheet"):
        found = usual.findall(piece)
        if (len(found) != sum(piece.count(mark) for mark in marks)
                and len(found) != len(wanted.findall(piece))):
            found = list(_styled_cells_any_order(piece, wanted))
        for letters, digits, style in found:
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = column_number(letters) - 1
            yield int(digits), column, styles[int(style)]


def _styled_cells_any_order(piece: bytes, wanted: re.Pattern[bytes]
                            ) -> Iterator[tuple[bytes, bytes, bytes]]:
    """The slow path: each style match, then the reference in its own tag."""
    for match in wanted.finditer(piece):
        start = piece.rfind(b"<", 0, match.start())
        end = piece.find(b">", match.end())
        tag = piece[start:end]
        name = tag[1:].split(None, 1)[0] if len(tag) > 1 else b""
        if name != b"c" and not name.endswith(b":c"):
            continue
        ref = _REF.search(tag)
        if ref is not None and ref.group(1):
            yield ref.group(1), ref.group(2), match.group(1)
