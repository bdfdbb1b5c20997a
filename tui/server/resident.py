"""``treem server run``: one resident process that forks a ready app for each SSH login.

Process per session costs each login ~1 s of CPU (Python, Textual, the screens, peewee,
the catalogues) and each session its own copy of all that in memory. The resident server
imports and loads everything once, then forks a child per login: the child starts from a
warm copy (copy-on-write pages shared with the server and every other session).

Privilege model (docs/ssh.md, "How sessions are kept apart"):

- The server runs as root, because each session must run as the officer who logged in,
  exactly as sshd would have run it: that keeps the operating system's separation between
  officers (one officer's session cannot read another's memory, files or terminal).
- Its socket is ``root:<officers' group>`` mode 0660: only officers can ask. Who asks is
  read from the socket (``SO_PEERCRED``), never from the request; the request carries the
  terminal (``SCM_RIGHTS``) and terminal-related environment only.
- The terminal must be a tty owned by that same user (sshd gives the officer's pty to the
  officer); the user must be a member of the officers' group.
- The child drops to the officer at once (groups, gid, uid; no way back), becomes the
  session leader of the officer's terminal, and only then reads the register. The server
  itself never opens the register nor any officer's data: before forking it holds code and
  catalogues only. After the uid change the kernel marks the child non-dumpable, so not
  even the officer's own processes can read its memory.
- The server answers the connector with the app's exit status when the child ends.

Nothing here runs threads before ``fork`` (forking a threaded process is unsafe); the app's
threads start in the child.
"""

from __future__ import annotations

import array
import contextlib
import errno
import fcntl
import gc
import grp
import importlib
import json
import os
import pwd
import select
import signal
import socket
import stat
import struct
import sys
import termios
import threading
from pathlib import Path
from typing import Any

import attrs

from tui.server.connector import MAX_REQUEST, STATUS

__all__ = ["Login", "LoginRefused", "ResidentServer", "preload", "receive_login"]

#: Environment names a child takes from the connector's request (the rest is set here).
ACCEPTED_ENV = frozenset({"TERM", "COLORTERM", "LANG", "LC_ALL", "LC_CTYPE", "NO_COLOR",
                          "TEXTUAL_COLOR_SYSTEM", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"})
#: The app's own settings in every session.
SESSION_ENV = {"TEXTUAL_ANIMATIONS": "none", "PATH": "/usr/bin:/bin", "PYTHONUTF8": "1"}
EXIT_SETUP_FAILED = 71


class LoginRefused(Exception):
    """A connection that may not get a session (the reason is logged, not sent)."""


@attrs.frozen
class Login:
    """One accepted request: who (from the kernel) and their terminal."""

    uid: int
    gid: int
    pid: int
    user: pwd.struct_passwd
    tty_fd: int
    env: dict[str, str]


def _share_css_parses() -> None:
    """Keep Textual's style work for the whole process, not one app: every session parses
    the same CSS with the same theme, so the server does it once, before forking.

    - Parsed rules: Textual caches parses per ``Stylesheet`` and clears that cache when the
      theme variables change; the shared cache is keyed by the variables too.
    - The variables' tokens (``Stylesheet._variable_tokens``), keyed by the variables.
    - Each widget class's default CSS and where it comes from
      (``DOMNode._get_default_css``: ``inspect.getfile`` per class and base, per app).
    - The theme's CSS variables (``App.get_css_variables``), per theme name.
    """
    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.css.tokenize import tokenize_values
    from textual.dom import DOMNode

    parse = Stylesheet._parse_rules
    if getattr(parse, "shared", False):
        return
    shared: dict[tuple[Any, ...], Any] = {}
    tokens_of: dict[tuple[Any, ...], Any] = {}

    def variables_key(sheet: Stylesheet) -> tuple[Any, ...]:
        variables = sheet._variables
        cached = sheet.__dict__.get("_treem_variables_key")
        if cached is None or cached[0] is not variables:
            cached = (variables, tuple(sorted(variables.items())))
            sheet.__dict__["_treem_variables_key"] = cached
        return cached[1]

    def parse_shared(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables_key(self))
        rules = shared.get(key)
        if rules is None:
            rules = shared[key] = parse(self, css, read_from, is_default_rules,
                                        tie_breaker, scope)
        return rules

    def variable_tokens(self: Stylesheet) -> Any:
        tokens = self._Stylesheet__variable_tokens  # type: ignore[attr-defined]
        if tokens is None:
            key = variables_key(self)
            tokens = tokens_of.get(key)
            if tokens is None:
                tokens = tokens_of[key] = tokenize_values(self._variables)
            self._Stylesheet__variable_tokens = tokens  # type: ignore[attr-defined]
        return tokens

    default_css = DOMNode._get_default_css
    default_css_of: dict[type, Any] = {}

    def shared_default_css(self: DOMNode) -> Any:
        found = default_css_of.get(type(self))
        if found is None:
            found = default_css_of[type(self)] = default_css(self)
        return found

    css_variables = App.get_css_variables
    variables_of: dict[tuple[type, str], dict[str, str]] = {}

    def shared_css_variables(self: App[Any]) -> dict[str, str]:
        key = (type(self), self.current_theme.name)
        found = variables_of.get(key)
        if found is None:
            found = variables_of[key] = css_variables(self)
        self.theme_variables = dict(found)
        return dict(found)

    parse_shared.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = parse_shared  # type: ignore[method-assign]
    Stylesheet._variable_tokens = property(variable_tokens)  # type: ignore[assignment,method-assign]
    DOMNode._get_default_css = shared_default_css  # type: ignore[method-assign]
    App.get_css_variables = shared_css_variables  # type: ignore[method-assign]


def _warm_up() -> None:
    """Run the app once, headless, on a throw-away sandbox register up to its home
    screen: what a session computes on its first paint (stylesheets, lazily imported
    modules, class-level caches) is then computed once and shared by every fork."""
    import asyncio
    import tempfile

    from tui.app import TreemApp
    from tui.services import accounts
    from tui.store import settings
    from tui.store.database import open_db

    with tempfile.TemporaryDirectory(prefix="treem-warm-") as tmp:
        path = Path(tmp) / "warm.db"
        db = open_db(path, create=True)
        settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                            province_code="14", sandbox=True)
        accounts.sandbox_session(db)
        db.close()

        async def run() -> None:
            app = TreemApp(path)
            # Tooltips and notifications on, as in a session: their widgets' CSS is
            # parsed here, once.
            async with app.run_test(size=(80, 24), tooltips=True,
                                    notifications=True) as pilot:
                await pilot.pause(0.3)
                for key in ("n", "escape", "t", "escape"):
                    await pilot.press(key)
                    await pilot.pause(0.1)
                await app.workers.wait_for_complete()

        asyncio.run(run())


_CONSTANTS_CODE: Any = None


def _constants_code() -> Any:
    """The compiled code of ``textual.constants`` (what ``importlib.reload`` would read
    from disk and unmarshal in every session)."""
    import textual.constants

    loader = textual.constants.__spec__.loader
    return loader.get_code("textual.constants")  # type: ignore[union-attr]


def preload(warm: bool = True) -> None:
    """Import and load what every session needs, once, before any fork."""
    global _CONSTANTS_CODE
    for name in ("tui.app", "tui.terminal.driver", "tui.screens.login", "tui.screens.home",
                 "tui.screens.entry", "tui.screens.search", "tui.screens.review",
                 "tui.services", "tui.widgets",
                 "textual.widgets._footer", "textual.command", "textual._xterm_parser"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    from libchild import catalog

    catalog.load()
    _CONSTANTS_CODE = _constants_code()
    _share_css_parses()
    if warm:
        try:
            _warm_up()
        except Exception as exc:  # a cold start is slower, not wrong
            print(f"treem-server: warm-up skipped: {exc!r}", file=sys.stderr, flush=True)
    if threading.active_count() != 1:
        raise RuntimeError("threads left before forking sessions")
    gc.collect()
    gc.freeze()  # keep the collector's bookkeeping off the shared pages


def receive_login(conn: socket.socket, group: grp.struct_group) -> Login:
    """Read one request from ``conn`` and check it; LoginRefused if it may not go on."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, gid = struct.unpack("3i", creds)
    fds = array.array("i")
    msg, ancdata, _flags, _addr = conn.recvmsg(MAX_REQUEST, socket.CMSG_LEN(4 * fds.itemsize))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    try:
        if len(fds) != 1:
            raise LoginRefused("expected exactly one descriptor")
        tty_fd = fds[0]
        try:
            user = pwd.getpwuid(uid)
        except KeyError as exc:
            raise LoginRefused(f"uid {uid} has no account") from exc
        if uid == 0:
            raise LoginRefused("root gets no session")
        if group.gr_gid not in os.getgrouplist(user.pw_name, user.pw_gid):
            raise LoginRefused(f"{user.pw_name} is not in group {group.gr_name}")
        info = os.fstat(tty_fd)
        if not (stat.S_ISCHR(info.st_mode) and os.isatty(tty_fd)):
            raise LoginRefused("the descriptor is not a terminal")
        if info.st_uid != uid:
            raise LoginRefused("the terminal belongs to someone else")
        try:
            request = json.loads(msg.decode())
            env = {str(k): str(v) for k, v in dict(request.get("env", {})).items()
                   if k in ACCEPTED_ENV and "\0" not in str(v)}
        except (ValueError, TypeError, AttributeError) as exc:
            raise LoginRefused("unreadable request") from exc
    except BaseException:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        raise
    return Login(uid=uid, gid=gid, pid=pid, user=user, tty_fd=tty_fd, env=env)


def _become_officer(login: Login) -> None:
    """In the child: own the terminal, then drop to the officer for good."""
    os.setsid()
    # Take the terminal as this session's controlling terminal. The connector has given
    # it up if it was the session leader; if a shell between sshd and the connector is
    # the leader, root takes it over (arg 1), before the privileges are dropped.
    fcntl.ioctl(login.tty_fd, termios.TIOCSCTTY, 1)
    for fd in (0, 1, 2):
        os.dup2(login.tty_fd, fd)
    if login.tty_fd > 2:
        os.close(login.tty_fd)
    user = login.user
    os.initgroups(user.pw_name, user.pw_gid)
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)
    if os.getuid() == 0 or os.geteuid() == 0:  # pragma: no cover - defensive
        raise OSError(errno.EPERM, "could not drop root")
    os.umask(0o007)
    os.environ.clear()
    os.environ.update(SESSION_ENV)
    os.environ.update(login.env)
    os.environ.update(HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name,
                      SHELL=user.pw_shell)
    with contextlib.suppress(OSError):
        os.chdir(user.pw_dir)
    # Standard streams on the terminal, UTF-8 (the server's own may be a log).
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8",  # noqa: SIM115
                                       errors="backslashreplace", closefd=False)
    # Textual reads a few settings from the environment when imported: read them again
    # (run the module's code, compiled by the server before forking, in the module).
    import textual.constants

    exec(_CONSTANTS_CODE or _constants_code(), textual.constants.__dict__)


def run_session(login: Login, db_path: Path) -> int:
    """In the child: the app on the officer's terminal; its exit code."""
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP,
                signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    gc.unfreeze()
    log = os.dup(2)  # the server's log, until the session has its terminal
    try:
        _become_officer(login)
    except OSError as exc:
        os.write(log, f"treem-server: session setup failed: {exc}\n".encode())
        return EXIT_SETUP_FAILED
    os.close(log)
    from tui.app import run_app

    return run_app(db_path)


class ResidentServer:
    """Accepts logins on ``socket_path`` and forks a session for each."""

    def __init__(self, db_path: Path, socket_path: Path, group: str) -> None:
        self.db_path = db_path
        self.socket_path = socket_path
        self.group = grp.getgrnam(group)
        self.sessions: dict[int, socket.socket] = {}
        self._wake_r, self._wake_w = os.pipe()
        self._listener: socket.socket | None = None
        self._stopping = False

    def log(self, text: str) -> None:
        """One line to the server's log (standard error; no personal data)."""
        print(f"treem-server: {text}", file=sys.stderr, flush=True)

    def bind(self) -> None:
        """Create the socket: root:<group> 0660 in a directory only root may write."""
        self.socket_path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(str(self.socket_path))
        finally:
            os.umask(old)
        os.chown(self.socket_path, 0, self.group.gr_gid)
        os.chmod(self.socket_path, 0o660)
        listener.listen(128)
        self._listener = listener

    def _on_signal(self, signum: int, _frame: Any) -> None:
        if signum in (signal.SIGTERM, signal.SIGINT):
            self._stopping = True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _reap(self) -> None:
        while self.sessions:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.sessions.pop(pid, None)
            code = os.waitstatus_to_exitcode(status)
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.sendall(STATUS.pack(code))
                conn.close()

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            conn, _ = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        conn.settimeout(5.0)
        try:
            login = receive_login(conn, self.group)
        except (LoginRefused, OSError) as exc:
            self.log(f"refused: {exc}")
            conn.close()
            return
        pid = os.fork()
        if pid == 0:  # the session
            code = EXIT_SETUP_FAILED
            try:
                self._listener.close()
                conn.close()
                for other in self.sessions.values():
                    other.close()
                os.close(self._wake_r)
                os.close(self._wake_w)
                code = run_session(login, self.db_path)
            finally:
                os._exit(code)
        os.close(login.tty_fd)
        conn.settimeout(None)
        self.sessions[pid] = conn
        self.log(f"session {pid} for uid {login.uid}")

    def serve(self) -> None:
        """Accept logins until SIGTERM; sessions already running go on by themselves."""
        if self._listener is None:
            self.bind()
        assert self._listener is not None
        self._listener.setblocking(False)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.log(f"ready on {self.socket_path}")
        while not self._stopping:
            try:
                ready, _, _ = select.select([self._listener, self._wake_r], [], [])
            except InterruptedError:
                continue
            if self._wake_r in ready:
                os.read(self._wake_r, 512)
                self._reap()
            if self._listener in ready and not self._stopping:
                self._accept()
        self._listener.close()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
