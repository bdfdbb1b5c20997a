"""Folders that hold children's personal data: created owner-only (0700) whatever the
umask. The one definition for the register's folder, the audit keys' folder, the scratch
root and the training sessions' folders.

``Path.mkdir(parents=True, mode=0o700)`` gives ``mode`` to the last folder only: every
missing parent is made with the umask's mode (0777 under umask 000), and the mode of
the last one is still reduced by the umask. Folders that already exist are the owner's
choice and are left as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["FOLDER_MODE", "make_private_dirs"]

#: The mode of every folder the app creates: only its owner may list or enter it.
FOLDER_MODE = 0o700


def make_private_dirs(path: str | os.PathLike[str]) -> list[Path]:
    """Create ``path`` and each of its missing parents with mode :data:`FOLDER_MODE`;
    return the folders created, outermost first (empty when ``path`` exists).

    Raises ``OSError`` as ``mkdir`` does (a full disk, a read-only folder, a file in
    the way); a folder made meanwhile by another process is taken as it is.
    """
    target = Path(path)
    missing: list[Path] = []
    current = target
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    created: list[Path] = []
    for folder in reversed(missing):
        try:
            os.mkdir(folder, FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, FOLDER_MODE)  # the umask may have taken the owner's bits too
        created.append(folder)
    return created
