"""The officer's Unix (SSH) account, made by ``treem users add --unix NAME`` when missing.

One person, one identity: the administrator names the Unix login once and treem creates
it the way the SSH server expects it: primary group the officers' group of ``treem server
setup`` (the group of the register's folder, so it always matches what sshd's ``Match
Group`` serves), no password (``*``: nobody can log in with a password, while a key still
works; ``!`` would lock the account and sshd refuses locked accounts), ``/bin/sh`` as its
shell (sshd runs ``ForceCommand`` through the user's shell, so ``nologin`` would refuse
every session; the officer never reaches that shell), and a private home (0700) for its
``.ssh/authorized_keys``.

treem never deletes a Unix account: unlinking or locking the app account leaves it for the
administrator (:data:`tui.messages.server.UNIX_ACCOUNT_KEPT` says how).
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

from tui.errors import InvalidInput
from tui.messages import server as msg
from tui.paths import is_url
from tui.server.setup import SetupOptions
from tui.services.accounts import check_unix_name

__all__ = ["UNIX_SHELL", "create_unix_account", "officers_group", "remove_created_account",
           "unix_account_exists", "useradd_argv"]

DEFAULT_GROUP = SetupOptions.group
#: The shell sshd runs ``ForceCommand`` with (see the module docstring).
UNIX_SHELL = "/bin/sh"


def unix_account_exists(name: str) -> bool:
    """True when this machine has a Unix account ``name``."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def officers_group(db: Path) -> str:
    """The officers' group: the group owning the register's folder (``treem server
    setup`` makes it 2770 with that group; for a database URL, its default group);
    ``InvalidInput`` when the folder belongs to
    root's group, i.e. the setup has not been run for it."""
    if is_url(db):  # a province database: the group ``treem server setup`` makes
        return DEFAULT_GROUP
    gid = db.resolve().parent.stat().st_gid
    if gid == 0:
        raise InvalidInput(msg.UNIX_NO_GROUP.format(folder=db.resolve().parent))
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        raise InvalidInput(msg.UNIX_NO_GROUP.format(folder=db.resolve().parent)) from None


def useradd_argv(name: str, group: str) -> list[str]:
    """The ``useradd`` command that makes ``name`` (also shown to a non-root caller)."""
    return ["useradd", "--create-home", "--gid", group, "--shell", UNIX_SHELL,
            "--password", "*", name]


def create_unix_account(name: str, db: Path, again: Sequence[str]) -> str:
    """Create the Unix account ``name`` for the officers of register ``db``; its group.

    Raises ``InvalidInput`` (Vietnamese) for a name that is not a Unix login name, when
    not running as root (the message gives the exact commands to run with sudo: ``again``
    is the caller's own command line), or when
    ``useradd`` fails.
    """
    name = check_unix_name(name)
    group = officers_group(db)
    argv = useradd_argv(name, group)
    if os.geteuid() != 0:
        raise InvalidInput(msg.UNIX_NEED_ROOT.format(
            login=name, again=shlex.join(["sudo", *again]),
            command=shlex.join(["sudo", *argv])))
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InvalidInput(msg.UNIX_CREATE_FAILED.format(
            login=name, detail=done.stderr.strip() or done.returncode))
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)
    return group


def remove_created_account(name: str) -> None:
    """Undo :func:`create_unix_account` of this same command (the app account could not
    be made): the account and the home it just got, nothing else."""
    subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)
