"""exports: the register's spreadsheets in and out.

Writers (police list, cleaning lists, full export, report) and readers (police return,
bulk import of children) built on :mod:`libchild`. This package knows nothing of the
database or the screens: it takes and returns plain canonical dicts and writes or
reads files. Every file is written atomically with mode 0600, its partial and scratch
files in a private scratch folder (:mod:`exports.scratch`), never beside the output;
every file read is bounded (:mod:`exports.limits`); every bad input, full disk or
hostile file raises :class:`SpreadsheetError` with a Vietnamese message.
"""

from __future__ import annotations

from exports.errors import SpreadsheetError
from exports.progress import Cancelled, Progress

__all__ = ["Cancelled", "Progress", "SpreadsheetError"]
