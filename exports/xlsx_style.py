"""The look shared by every workbook the register writes (xlsxwriter).

A font with Vietnamese glyphs (Times New Roman, the font of Vietnamese administrative
documents), strings written inline as UTF-8, dates shown dd/mm/yyyy. xlsxwriter in
constant-memory mode was chosen over openpyxl write-only by measurement (see
docs/benchmarks.md, "Full export").
"""

from __future__ import annotations

import os
from typing import Any

import xlsxwriter

__all__ = ["DATE_FORMAT", "FONT", "new_workbook"]

FONT = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy"


def new_workbook(
    path: str | os.PathLike[str],
    *,
    constant_memory: bool = False,
    tmpdir: str | os.PathLike[str] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Open an xlsxwriter workbook at ``path`` and return it with the shared formats.

    Formats: ``cell``, ``text`` (forced text, for ID numbers), ``date``, ``header``,
    ``title``, ``subtitle``, ``error``, ``bold``, ``center``, ``number``, ``percent``.
    ``tmpdir`` holds xlsxwriter's scratch files (constant-memory mode); the caller
    removes it, so that a cancelled export leaves nothing behind.
    """
    book = xlsxwriter.Workbook(
        os.fspath(path),
        {
            "constant_memory": constant_memory,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "tmpdir": os.fspath(tmpdir or os.path.dirname(os.path.abspath(path))),
        },
    )
    base = {"font_name": FONT, "font_size": 12, "valign": "top"}

    def fmt(**extra: Any) -> Any:
        return book.add_format({**base, **extra})

    styles = {
        "cell": fmt(text_wrap=True),
        "text": fmt(num_format="@"),
        "date": fmt(num_format=DATE_FORMAT, align="left"),
        "header": fmt(bold=True, text_wrap=True, border=1, align="center",
                      valign="vcenter", bg_color="#DDEBF7"),
        "title": fmt(bold=True, font_size=14, align="center"),
        "subtitle": fmt(italic=True, align="center"),
        "error": fmt(font_color="#9C0006", bg_color="#FFC7CE", text_wrap=True),
        "bold": fmt(bold=True),
        "center": fmt(align="center"),
        "number": fmt(num_format="#,##0"),
        "percent": fmt(num_format="0.00%"),
        "bordered": fmt(border=1, text_wrap=True),
        "bordered_text": fmt(border=1, num_format="@"),
        "bordered_date": fmt(border=1, num_format=DATE_FORMAT, align="left"),
        "bordered_center": fmt(border=1, align="center"),
    }
    return book, styles
