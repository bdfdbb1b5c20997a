"""libchild: validation of the commune child register (Vietnam, QĐ 3655/QĐ-BYT).

A pure library: catalogues, personal ID numbers, Vietnamese names and dates,
the record model, the category rules and duplicate matching. It imports only the
standard library, attrs, cattrs and python-stdnum; nothing here touches a
database, a spreadsheet or a screen.

``import libchild`` loads nothing else: the functions below and the submodules
(``libchild.catalog``, ``libchild.text``, ...) load on first use.

>>> import libchild
>>> issues = libchild.validate({"full_name": "Nguyễn Văn An", "sex": "Nam"})
>>> all(i.severity in ("error", "warning", "info") for i in issues)
True
>>> len(libchild.catalog.load().communes)
3321
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["Cleaned", "DuplicatePair", "Issue", "clean", "find_duplicates", "validate"]
__version__ = "0.1.0"

# Public names and the submodule that defines each; loaded on first use so that
# ``import libchild`` stays cheap for projects that only need one helper.
_LAZY = {
    "validate": "libchild.rules",
    "clean": "libchild.rules",
    "Cleaned": "libchild.rules",
    "Issue": "libchild.issues",
    "find_duplicates": "libchild.duplicates",
    "DuplicatePair": "libchild.duplicates",
}
#: Submodules reachable as attributes without importing them first
#: (``import libchild; libchild.catalog.load()``).
SUBMODULES = (
    "catalog", "dates", "duplicates", "ids", "issues", "messages", "model", "rules", "text",
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a few ms
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from libchild import (  # noqa: F401 - for type checkers: loaded by __getattr__
        catalog,
        dates,
        duplicates,
        ids,
        issues,
        messages,
        model,
        rules,
        text,
    )
    from libchild.duplicates import DuplicatePair, find_duplicates
    from libchild.issues import Issue
    from libchild.rules import Cleaned, clean, validate


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        value = import_module(f"libchild.{name}")
    else:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'libchild' has no attribute {name!r}")
        value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(SUBMODULES))
