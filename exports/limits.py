"""How much of a workbook the readers accept: bounds that keep memory and time small.

An xlsx file is a ZIP of XML parts, so 1 MB on disk can hold a gigabyte of text, and a
single cell reference (``<c r="XFD1048576">``) makes a grid reader allocate every cell
before it. Each bound below is checked twice: on the sizes the ZIP's central directory
declares, before anything is decompressed, and again while the parts are streamed
(the declared sizes may lie). Every refusal is a :class:`exports.SpreadsheetError`
with its own Vietnamese message (``limit.*`` in :mod:`exports.messages`).

With the defaults, reading any file stays under about 300 MB of memory: the sheet's
grid is at most :attr:`ReadLimits.max_cells` cells (32 bytes each in the reader), the
shared strings at most :attr:`ReadLimits.max_shared_strings`, the XML read at most
:attr:`ReadLimits.max_total_bytes` and the text kept at most
:attr:`ReadLimits.max_text_chars` characters (a cell that repeats one long shared string
is counted each time it is read).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "ReadLimits"]


@dataclass(frozen=True)
class ReadLimits:
    """The bounds of one read (all sizes in bytes of uncompressed XML unless said).

    ``max_rows``: the last row number a sheet may use (a commune holds far fewer
    children; 300,000 is a province). ``max_columns``: the last column (cells per row).
    ``max_cells``: rows x columns of the sheet's grid. ``max_shared_strings``: entries
    of the shared string table. ``max_text_chars``: characters of text kept from the
    sheet in all. ``max_cell_chars``: characters
    in one cell (Excel's own maximum). ``max_text_run``: bytes of text, or of blank
    space, between two tags (a cell of ``max_cell_chars`` characters, each written
    with up to four bytes). ``max_ratio``: uncompressed over compressed size of a part
    above ``ratio_floor`` bytes (real workbooks compress 5 to 20 times; ZIP bombs 1,000
    times). ``max_xml_depth``/``max_small_part``: nesting and size of the small parts
    parsed as a tree (workbook, relationships, styles).
    """

    max_total_bytes: int = 256 << 20
    max_part_bytes: int = 192 << 20
    max_parts: int = 10_000
    max_ratio: int = 100
    ratio_floor: int = 1 << 20
    max_rows: int = 300_000
    max_columns: int = 1_024
    max_cells: int = 2_000_000
    max_shared_strings: int = 1_000_000
    max_text_chars: int = 32_000_000
    max_cell_chars: int = 32_767
    max_text_run: int = 4 * 32_767
    max_xml_depth: int = 64
    max_small_part: int = 32 << 20


#: The limits used when the caller gives none.
DEFAULT_LIMITS = ReadLimits()
