"""The one private folder where partial and scratch files live, never the output folder.

A spreadsheet being written holds children's personal data. Every writer of the
package works inside a folder of its own, ``w-<pid>-<random>``, created inside a
private scratch root (mode 0700, owned by the user): the caller's root (the app points
it to its own private folder) or, by default, ``treem-scratch-<uid>`` under the
system's temporary directory. The work folder is removed on success, on failure and on
cancel; after a kill it stays inside the private root, and :func:`clean_stale` removes
the work folders of processes that no longer run (the app calls it at start).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from exports import messages
from exports.errors import SpreadsheetError
from exports.private_dirs import make_private_dirs

__all__ = ["clean_stale", "default_root", "private_root", "work_folder"]

_PREFIX = "w-"


def default_root() -> Path:
    """``treem-scratch-<uid>`` under the system temporary directory."""
    return Path(tempfile.gettempdir()) / f"treem-scratch-{os.getuid()}"


def private_root(root: str | os.PathLike[str] | None = None) -> Path:
    """Create (mode 0700) or check the scratch root; return it.

    An existing root must be a real folder (not a link) owned by this user that no one
    else can read; otherwise :class:`SpreadsheetError` (``output.scratch_unsafe``).
    """
    path = Path(root) if root is not None else default_root()
    try:
        make_private_dirs(path)
        info = os.lstat(path)
    except OSError as exc:
        raise SpreadsheetError("output.cannot_write", path=str(path),
                               reason=messages.os_reason(exc.errno)) from exc
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid()
            or info.st_mode & 0o077):
        raise SpreadsheetError("output.scratch_unsafe", path=str(path))
    return path


@contextlib.contextmanager
def work_folder(root: str | os.PathLike[str] | None = None) -> Iterator[Path]:
    """A new folder for one piece of work inside the private root, removed at the end
    (success, error or cancel alike)."""
    base = private_root(root)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=base))
    except OSError as exc:
        raise SpreadsheetError("output.cannot_write", path=str(base),
                               reason=messages.os_reason(exc.errno)) from exc
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_stale(root: str | os.PathLike[str] | None = None) -> int:
    """Remove the work folders left in the root by processes that no longer run (a
    kill, a power cut); return how many were removed. Others' live work is kept."""
    base = Path(root) if root is not None else default_root()
    if not base.is_dir():
        return 0
    removed = 0
    for entry in base.iterdir():
        if not entry.name.startswith(_PREFIX):
            continue
        pid_text = entry.name[len(_PREFIX):].split("-", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
