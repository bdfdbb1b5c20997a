"""Atomic output files: nothing half-written, no personal data left beside the output.

The writer writes into a work folder of the private scratch root
(:mod:`exports.scratch`), never into the destination's folder. On success the file
(mode 0600) is synced and published under its final name in one step: a rename when
the scratch root is on the destination's file system; otherwise a copy into an unnamed
file of the destination's folder (Linux ``O_TMPFILE``: a kill leaves nothing), synced,
then given its name. On any error or cancel the work folder is removed and the
destination is untouched. A full disk (or any other write error, from the OS or from
xlsxwriter) is a :class:`SpreadsheetError` with a Vietnamese message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from exports import messages
from exports.errors import SpreadsheetError
from exports.scratch import work_folder

__all__ = ["FILE_MODE", "atomic_path"]

FILE_MODE = 0o600
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

#: Fault injection for tests: called with the name of each step ("written" once the
#: writer has finished, "copied" after a cross-file-system copy), may raise OSError.
fault_hook: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if fault_hook is not None:
        fault_hook(name)


@contextlib.contextmanager
def atomic_path(
    destination: str | os.PathLike[str], *, scratch: str | os.PathLike[str] | None = None
) -> Iterator[Path]:
    """Yield a path in a private work folder; publish it as ``destination`` on success.

    ``scratch`` is the private scratch root (default :func:`exports.scratch.default_root`).
    The final file has mode 0600. Raises :class:`SpreadsheetError` when the folder does
    not exist, cannot be written, or the disk is full.
    """
    target = Path(destination)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SpreadsheetError("output.no_directory", path=str(directory))
    with work_folder(scratch) as work:
        tmp = work / target.name
        try:
            yield tmp
            _step("written")
            os.chmod(tmp, FILE_MODE)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            _publish(tmp, target, directory)
            _fsync_directory(directory)
        except BaseException as exc:
            error = _write_error(exc)
            if error is None:
                raise
            raise _as_spreadsheet_error(error, target) from exc


def _publish(tmp: Path, target: Path, directory: Path) -> None:
    if os.stat(tmp).st_dev == os.stat(directory).st_dev:
        os.replace(tmp, target)
        return
    try:
        fd = os.open(directory, os.O_TMPFILE | os.O_WRONLY, FILE_MODE)
    except (AttributeError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno in _FULL:
            raise
        _publish_by_copy(tmp, target, directory)
        return
    with os.fdopen(fd, "wb") as out, open(tmp, "rb") as source:
        os.fchmod(out.fileno(), FILE_MODE)
        shutil.copyfileobj(source, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
        _step("copied")
        # the complete file gets a hidden name for an instant, then its real one
        hidden = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
        folder = os.open(directory, os.O_RDONLY)
        try:  # a directory fd makes Python call linkat(AT_SYMLINK_FOLLOW)
            os.link(f"/proc/self/fd/{out.fileno()}", hidden.name, dst_dir_fd=folder,
                    follow_symlinks=True)
        finally:
            os.close(folder)
    try:
        os.replace(hidden, target)
    except BaseException:
        hidden.unlink(missing_ok=True)
        raise


def _publish_by_copy(tmp: Path, target: Path, directory: Path) -> None:
    """Where unnamed files are not supported: a hidden copy beside the target, renamed."""
    hidden = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        with open(hidden, "xb") as out, open(tmp, "rb") as source:
            os.fchmod(out.fileno(), FILE_MODE)
            shutil.copyfileobj(source, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        _step("copied")
        os.replace(hidden, target)
    except BaseException:
        hidden.unlink(missing_ok=True)
        raise


def _write_error(exc: BaseException) -> OSError | BaseException | None:
    """The OS error behind a write failure (xlsxwriter wraps it), or the failure itself
    for xlsxwriter's own size errors; None for anything else (cancel, bugs)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SpreadsheetError):
            return None
        if isinstance(current, OSError):
            return current
        for arg in getattr(current, "args", ()):
            if isinstance(arg, OSError):
                return arg
        if type(current).__module__.startswith("xlsxwriter") or isinstance(
                current, zipfile.LargeZipFile):
            return current
        current = current.__cause__ or current.__context__
    return None


def _as_spreadsheet_error(error: BaseException, target: Path) -> SpreadsheetError:
    if isinstance(error, OSError) and error.errno in _FULL:
        return SpreadsheetError("output.disk_full", path=str(target))
    reason = messages.os_reason(error.errno if isinstance(error, OSError) else None)
    return SpreadsheetError("output.cannot_write", path=str(target), reason=reason)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
