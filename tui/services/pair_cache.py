"""Duplicate candidate pairs shared by every session of one register file.

Pairing a commune's children takes about 0.1 s of CPU at 2,000 children and grows with
the register; every session's home screen counts the candidates after login. When a room
of officers logs in at once (each session a process of its own, SSH or the resident
server), each would pair the same children again, on the same few cores, while the others
are still waiting for their first screen. The first session that needs the pairs of a
register (and scope) computes them and leaves them beside the register file; the others
wait for it on a lock and read them.

The file ``<register>.pairs`` (``.pairs-v1_2`` for a collaborator's villages) holds one
header line (the register file's identity, the scope and the children's change stamp,
``tui.store.duplicates.stamp``) and one line per pair: two child ids, the score and the
reason codes, no personal data. It is used only while all three match; otherwise it is
computed again and rewritten. It takes the register file's own permissions (0660 in the
shared data folder of ``treem server setup``): whoever may read the register may read it.
A private register (mode 0600: one person's own file), and registers on PostgreSQL and in
memory, keep their pairs in each process only.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: each process pairs for itself
    fcntl = None  # type: ignore[assignment]

from tui.paths import is_url
from tui.services.duplicate_pairs import Pair, line_of, parse_line

__all__ = ["cache_path", "forget", "shared_pairs"]

SUFFIX = ".pairs"
_used: set[Path] = set()


def cache_path(db_path: str, villages: Iterable[int] | None) -> Path | None:
    """Where the pairs of the register file ``db_path`` for ``villages`` (None: the whole
    commune) are kept; None for a register that is not a file."""
    if not db_path or db_path == ":memory:" or is_url(db_path):
        return None
    scope = "" if villages is None else "-v" + "_".join(str(v) for v in sorted(villages))
    return Path(f"{db_path}{SUFFIX}{scope}")


def _header(db_path: str, villages: Iterable[int] | None, stamp: tuple[object, ...]) -> str:
    info = os.stat(db_path)
    return json.dumps({"file": [info.st_dev, info.st_ino],
                       "villages": None if villages is None else sorted(villages),
                       "stamp": list(stamp)}, separators=(",", ":"))


def shared_pairs(db_path: str, villages: Iterable[int] | None, stamp: tuple[object, ...],
                 compute: Callable[[], list[Pair]]) -> list[Pair]:
    """The pairs of ``db_path`` (scope ``villages``) at ``stamp``: read from the shared
    file when it matches, else ``compute()`` once (other sessions wait) and kept there.
    Any trouble with the file (full disk, read-only folder) only means ``compute()``."""
    path = cache_path(db_path, villages)
    if path is None or fcntl is None:
        return compute()
    try:
        mode = os.stat(db_path).st_mode & 0o660 | 0o600
        if not mode & 0o060:  # a private register: no other officer's session to share with
            return compute()
        header = _header(db_path, villages, stamp)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError:
        return compute()
    with contextlib.suppress(OSError):  # the register's mode, whatever the umask (ours only)
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, mode)
    _used.add(path)
    with os.fdopen(fd, "r+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # one session pairs; the others wait here
            lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError):
            return compute()
        if lines and lines[0] == header:
            try:
                return [parse_line(line) for line in lines[1:] if line]
            except ValueError:
                pass  # a half-written file (the writer died): pair again
        found = compute()
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.write(header + "\n" + "".join(line_of(p) + "\n" for p in found))
            handle.flush()
        return found


def forget() -> None:
    """Remove the files this process used (a restored register; between tests)."""
    for path in list(_used):
        with contextlib.suppress(OSError):
            path.unlink()
        _used.discard(path)
