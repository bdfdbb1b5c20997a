"""Atomic output files: nothing half-written, readable by the owner only.

The writer writes to a temporary file in the destination's directory; on success the
file is flushed to disk, renamed over the destination and the directory is synced. On
any error (or a cancel) the temporary file is removed and the destination is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from exports.errors import SpreadsheetError

FILE_MODE = 0o600


@contextlib.contextmanager
def atomic_path(destination: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; move it into place on success.

    The final file has mode 0600. Raises :class:`SpreadsheetError` when the directory
    does not exist or cannot be written.
    """
    target = Path(destination)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SpreadsheetError("output.no_directory", path=str(directory))
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        raise SpreadsheetError(
            "output.cannot_write", path=str(target), reason=exc.strerror
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_directory(directory)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SpreadsheetError(
            "output.cannot_write", path=str(target), reason=exc.strerror or str(exc)
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
