"""``treem server setup``: make this machine an SSH server for the commune's officers.

Each step checks what is there first, so the command can be run again (after an
upgrade, or to repair permissions): the group of the officers, a virtual environment
built with the *system* Python (an officer's login must not depend on somebody's
pyenv), treem installed into it from a local checkout or wheel (never the unrelated
project called ``treem`` on PyPI), the data folder and the register with the group's
write permission (SQLite writes ``-wal``/``-shm`` beside the file), the connector the
SSH sessions run, the resident server's systemd unit, and an sshd drop-in whose global
directives come before its ``Match`` block, validated with ``sshd -t`` before sshd is
reloaded. It prints what it did and what is left for the administrator.

It needs nothing but the standard library, so that it runs from a fresh checkout with the
system Python before treem is installed: ``sudo python3 -m tui.cli server setup ...``.
"""

from __future__ import annotations

import dataclasses
import grp
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tui.messages import server as msg

__all__ = ["SetupError", "SetupOptions", "drop_in_text", "run_setup"]

UNIT_NAME = "treem-server.service"
DROP_IN_NAME = "treem.conf"
DB_NAME = "register.db"
#: sshd notices a silent link after ClientAliveCountMax unanswered probes sent every
#: ClientAliveInterval seconds. Measured with OpenSSH 9.2 over the emulated link
#: (docs/benchmarks.md), a silent session is hung up after about twice
#: interval x (count + 1): 15 s x 3 took 120 s, 10 s x 3 about 80 s (target: 90 s).
CLIENT_ALIVE_INTERVAL = 10
CLIENT_ALIVE_COUNT_MAX = 3
#: Unauthenticated connections in flight before sshd starts refusing (a room at once).
MAX_STARTUPS = "60:30:120"


class SetupError(Exception):
    """A step that could not be done; the message says why and what to do."""


@dataclasses.dataclass
class SetupOptions:
    """Where everything goes (the defaults are what docs/ssh.md describes).

    A dataclass, not attrs: the setup runs from a checkout with the system Python,
    before anything is installed (standard library only)."""

    prefix: Path = Path("/opt/treem")
    data: Path = Path("/srv/treem")
    group: str = "treem"
    commune: str | None = None
    demo: bool = False
    source: Path | None = None
    python: Path = Path("/usr/bin/python3")
    sshd_dir: Path = Path("/etc/ssh/sshd_config.d")
    sshd_config: Path = Path("/etc/ssh/sshd_config")
    socket: Path = Path("/run/treem/treem.sock")
    mode: str = "resident"
    unit_dir: Path = Path("/etc/systemd/system")
    sshd_pid: Path = Path("/run/sshd.pid")
    pip_args: list[str] = dataclasses.field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.data / DB_NAME

    @property
    def connector(self) -> Path:
        return self.prefix / "bin" / "treem-connect"

    @property
    def treem(self) -> Path:
        return self.prefix / "bin" / "treem"

    def server_command(self) -> list[str]:
        """The resident server's command line."""
        return [str(self.treem), "server", "run", "--db", str(self.db),
                "--socket", str(self.socket), "--group", self.group]


def drop_in_text(options: SetupOptions) -> str:
    """The sshd drop-in: global directives first, then the officers' Match block."""
    if options.mode == "resident":
        command = str(options.connector)
    else:
        command = shlex.join([str(options.treem), "--db", str(options.db)])
    return f"""\
# Written by `treem server setup`: run it again rather than editing this file.
# Global directives come first: everything after a Match line belongs to that block.

# A room of officers logging in at once: up to 60 connections may be authenticating
# (the default 10:30:100 starts refusing beyond 10).
MaxStartups {MAX_STARTUPS}

# Notice a dead link: {CLIENT_ALIVE_COUNT_MAX} unanswered probes {CLIENT_ALIVE_INTERVAL} s \
apart, then the session is
# hung up (treem writes the open form's draft and exits).
ClientAliveInterval {CLIENT_ALIVE_INTERVAL}
ClientAliveCountMax {CLIENT_ALIVE_COUNT_MAX}

# Compression is the client's choice (PuTTY: Connection > SSH > Enable compression).

Match Group {options.group}
    ForceCommand {command}
    PermitTTY yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no
"""


def unit_text(options: SetupOptions) -> str:
    """The systemd unit of the resident server."""
    return f"""\
[Unit]
Description=treem resident server (one warm app, a session per SSH login)
After=network.target

[Service]
ExecStart={shlex.join(options.server_command())}
Environment=PYTHONUTF8=1
Restart=always
RestartSec=2
KillMode=process

[Install]
WantedBy=multi-user.target
"""


def connector_text(options: SetupOptions, connector_py: str) -> str:
    """The command sshd runs for each officer: the connector, with its fallback."""
    fallback = shlex.join([str(options.treem), "--db", str(options.db)])
    python = options.prefix / "bin" / "python3"
    return ("#!/bin/sh\n# Written by `treem server setup`: hand this SSH session to the "
            "resident server,\n# or run treem directly when the server is not running.\n"
            f"exec {shlex.quote(str(python))} -I -S {shlex.quote(connector_py)} "
            f"{shlex.quote(str(options.socket))} {fallback}\n")


def default_source() -> Path | None:
    """The checkout this treem runs from, if it is one (it has treem's pyproject.toml)."""
    root = Path(__file__).resolve().parents[2]
    project = root / "pyproject.toml"
    if project.is_file() and 'name = "treem"' in project.read_text(encoding="utf-8"):
        return root
    return None


class _Report:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def done(self, text: str) -> None:
        self.lines.append(msg.STEP_DONE.format(text=text))

    def kept(self, text: str) -> None:
        self.lines.append(msg.STEP_KEPT.format(text=text))

    def todo(self, text: str) -> None:
        self.lines.append(msg.STEP_TODO.format(text=text))


def _clean_env() -> dict[str, str]:
    """The environment for the installed treem: not this checkout's import path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _run(argv: Sequence[str], step: str) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(list(argv), text=True, capture_output=True, env=_clean_env(),
                                check=False)
    except OSError as exc:
        raise SetupError(msg.STEP_FAILED.format(step=step, detail=exc)) from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise SetupError(msg.STEP_FAILED.format(step=step, detail=detail))
    return result


def _write(path: Path, text: str, mode: int) -> bool:
    """Write ``text`` atomically; False if the file already said exactly that."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        os.chmod(path, mode)
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True


def _systemd() -> bool:
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def ensure_group(options: SetupOptions, report: _Report) -> int:
    text = msg.S_GROUP.format(group=options.group)
    try:
        gid = grp.getgrnam(options.group).gr_gid
    except KeyError:
        _run(["groupadd", "--system", options.group], text)
        report.done(text)
        return grp.getgrnam(options.group).gr_gid
    report.kept(text)
    return gid


def ensure_venv(options: SetupOptions, report: _Report) -> None:
    text = msg.S_VENV.format(prefix=options.prefix, python=options.python)
    if (options.prefix / "bin" / "python3").exists():
        report.kept(text)
    else:
        try:
            _run([str(options.python), "-m", "venv", str(options.prefix)], text)
        except SetupError as exc:
            shutil.rmtree(options.prefix, ignore_errors=True)
            raise SetupError(msg.NO_VENV.format(detail=exc)) from exc
        report.done(text)
    source = options.source or default_source()
    if source is None or not source.exists():
        raise SetupError(msg.NO_SOURCE)
    target = f"{source.resolve()}[app]"  # a path: pip never looks the name up
    pip = options.prefix / "bin" / "pip"
    _run([str(pip), "install", "--quiet", "--disable-pip-version-check", *options.pip_args,
          target], msg.S_INSTALL.format(source=source))
    report.done(msg.S_INSTALL.format(source=source))
    os.chmod(options.prefix, 0o755)


def ensure_register(options: SetupOptions, gid: int, report: _Report) -> None:
    data_text = msg.S_DATA.format(path=options.data, group=options.group)
    existed = options.data.is_dir()
    options.data.mkdir(parents=True, exist_ok=True)
    os.chown(options.data, 0, gid)
    os.chmod(options.data, 0o2770)  # setgid: every file made inside belongs to the group
    (report.kept if existed else report.done)(data_text)
    db_text = msg.S_DB.format(path=options.db, group=options.group)
    if options.db.exists():
        report.kept(db_text)
    else:
        if options.demo:
            argv = [str(options.treem), "demo", "--no-ui", "--db", str(options.db)]
            if options.commune:
                argv += ["--commune", options.commune]
        elif options.commune:
            argv = [str(options.treem), "init", "--commune", options.commune,
                    "--db", str(options.db)]
        else:
            raise SetupError(msg.NEED_COMMUNE.format(path=options.db))
        # Inherits the terminal: ``treem init`` asks for the administrator's password
        # (or reads TREEM_ADMIN_PASSWORD).
        result = subprocess.run(argv, check=False, env=_clean_env())
        if result.returncode != 0:
            raise SetupError(msg.STEP_FAILED.format(step=db_text, detail=result.returncode))
        report.done(db_text)
    for path in options.data.glob(DB_NAME + "*"):
        os.chown(path, 0, gid)
        os.chmod(path, 0o660)


def ensure_connector(options: SetupOptions, report: _Report) -> None:
    found = _run([str(options.prefix / "bin" / "python3"), "-I", "-c",
                  "import tui.server.connector as c; print(c.__file__)"],
                 msg.S_CONNECTOR.format(path=options.connector))
    text = msg.S_CONNECTOR.format(path=options.connector)
    changed = _write(options.connector, connector_text(options, found.stdout.strip()), 0o755)
    (report.done if changed else report.kept)(text)


def ensure_unit(options: SetupOptions, report: _Report) -> None:
    if options.mode != "resident":
        return
    unit = options.unit_dir / UNIT_NAME
    changed = _write(unit, unit_text(options), 0o644)
    (report.done if changed else report.kept)(msg.S_UNIT.format(path=unit))
    if _systemd() and options.unit_dir == SetupOptions().unit_dir:
        _run(["systemctl", "daemon-reload"], msg.S_UNIT_STARTED)
        _run(["systemctl", "enable", "--now", UNIT_NAME], msg.S_UNIT_STARTED)
        if changed:
            _run(["systemctl", "restart", UNIT_NAME], msg.S_UNIT_STARTED)
        report.done(msg.S_UNIT_STARTED)
    else:
        report.todo(msg.S_UNIT_MANUAL.format(command=shlex.join(options.server_command())))


def ensure_sshd(options: SetupOptions, report: _Report) -> None:
    path = options.sshd_dir / DROP_IN_NAME
    text = msg.S_SSHD.format(path=path)
    before = path.read_text(encoding="utf-8") if path.exists() else None
    changed = _write(path, drop_in_text(options), 0o644)
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd -t wants it
    check = subprocess.run([sshd, "-t", "-f", str(options.sshd_config)],
                           capture_output=True, text=True, check=False)
    if check.returncode != 0:
        if before is None:
            path.unlink()
        else:
            _write(path, before, 0o644)
        raise SetupError(msg.SSHD_INVALID.format(detail=(check.stderr or check.stdout).strip()))
    (report.done if changed else report.kept)(text)
    if not changed:
        return
    if _systemd() and options.sshd_pid == SetupOptions().sshd_pid:
        _run(["systemctl", "reload", "ssh"], msg.S_SSHD_RELOADED)
        report.done(msg.S_SSHD_RELOADED)
        return
    pidfile = options.sshd_pid
    try:
        os.kill(int(pidfile.read_text().split()[0]), signal.SIGHUP)
    except (OSError, ValueError, IndexError):
        report.todo(msg.S_SSHD_MANUAL)
    else:
        report.done(msg.S_SSHD_RELOADED)


def run_setup(options: SetupOptions) -> list[str]:
    """Do every step; the report lines. SetupError stops at the first step that fails."""
    if os.geteuid() != 0:
        raise SetupError(msg.NOT_ROOT)
    report = _Report()
    gid = ensure_group(options, report)
    ensure_venv(options, report)
    ensure_register(options, gid, report)
    ensure_connector(options, report)
    ensure_unit(options, report)
    ensure_sshd(options, report)
    return [msg.DONE_TITLE, *report.lines, msg.NEXT_TITLE,
            msg.NEXT_USERS.format(group=options.group, treem=options.treem, db=options.db)]


def main_setup(options: SetupOptions) -> int:
    """Run the setup and print its report; the exit code."""
    try:
        lines = run_setup(options)
    except SetupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
