"""Where the register's database file lives, and the private scratch folder.

Order of precedence: the ``--db PATH`` option, then the ``TREEM_DB`` environment
variable, then a file in the user's data directory (``platformdirs``), e.g.
``~/.local/share/treem/treem.db`` on Linux. The demo uses its own sandbox file
there, ``treem-demo.db``, so that trying the demo never touches a real register.

Partial spreadsheets (children's personal data) are written in ``scratch`` inside the
same data directory (mode 0700, see ``exports.scratch``), never beside the output; what
a killed process left there is removed at the next start (:func:`clean_scratch`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DB_ENV", "DEFAULT_NAME", "SANDBOX_NAME", "clean_scratch", "data_dir", "is_url",
           "resolve_db", "scratch_dir"]

DB_ENV = "TREEM_DB"
DEFAULT_NAME = "treem.db"
SANDBOX_NAME = "treem-demo.db"
APP_NAME = "treem"


def data_dir() -> Path:
    """The user's data directory for treem (not created here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def is_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL: a register on PostgreSQL."""
    return str(target).startswith(("postgresql://", "postgres://"))


def resolve_db(option: str | os.PathLike[str] | None = None, *, sandbox: bool = False
               ) -> Path:
    """Return the database path to use (a ``postgresql://`` URL is returned as given, a
    ``str``: a register on PostgreSQL, chosen by configuration only).

    ``option`` (from ``--db``) wins; then ``TREEM_DB`` (ignored for the sandbox, so that
    ``treem demo`` never writes into the configured real register); then the default
    file in the user's data directory.
    """
    if option:
        return option if is_url(option) else Path(option).expanduser()  # type: ignore[return-value]
    if not sandbox:
        env = os.environ.get(DB_ENV, "").strip()
        if env:
            return env if is_url(env) else Path(env).expanduser()  # type: ignore[return-value]
    return data_dir() / (SANDBOX_NAME if sandbox else DEFAULT_NAME)


def scratch_dir() -> Path:
    """The private scratch root of every spreadsheet written or read by the app (created
    with mode 0700 by ``exports.scratch`` on first use)."""
    return data_dir() / "scratch"


_cleaned = False


def clean_scratch() -> int:
    """Remove the work folders that dead treem processes left in :func:`scratch_dir`
    (once per process; later calls return 0). Never raises: a folder that cannot be
    cleaned now is cleaned at a later start."""
    global _cleaned
    if _cleaned:
        return 0
    _cleaned = True
    from exports.scratch import clean_stale

    try:
        return clean_stale(scratch_dir())
    except OSError:
        return 0
