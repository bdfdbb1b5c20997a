"""The ``treem`` command line (console script ``tui.cli:main``).

``treem`` opens the app on the configured register; subcommands create a register
(``init``), a sandbox with synthetic data (``demo``), manage accounts (``users``),
print the step-3 review lists (``check``), draw and record the re-check sample
(``recheck``), read or verify the audit log (``audit``) and make a consistent backup
(``backup``). ``export`` and ``import`` are dispatched to
``tui.spreadsheets``. Heavy imports (peewee, textual) happen inside the subcommands so
that ``treem --help`` is instant. Every message lives in ``tui.messages.cli``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui.messages import cli as msg
from tui.paths import resolve_db

if TYPE_CHECKING:  # pragma: no cover
    import peewee

    from tui.store.accounts import Session

__all__ = ["CliError", "Parser", "acting_session", "build_parser", "main", "open_existing"]

DEMO_DEFAULT_CHILDREN = 2000
DEMO_MAX_CHILDREN = 300_000  # tui.demo.MAX_CHILDREN, repeated to keep --help import-free
AUDIT_DEFAULT_LIMIT = 100
CHECK_TEXT_ROWS = 20

ENV_PASSWORD = "TREEM_PASSWORD"  # the acting user's password (--as)
ENV_NEW_PASSWORD = "TREEM_NEW_PASSWORD"  # the acting user's new one, if a change is forced
ENV_ADMIN_PASSWORD = "TREEM_ADMIN_PASSWORD"  # treem init
ENV_USER_PASSWORD = "TREEM_USER_PASSWORD"  # temporary password of users add / reset-password
STEP3_KINDS = ("no_id", "bad_id", "basic_info")


class CliError(Exception):
    """A refusal or failure with a Vietnamese message and an exit code."""

    def __init__(self, message: str, code: int = msg.EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# --- argparse in Vietnamese ---------------------------------------------------------------
class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups,
                          msg.USAGE_PREFIX if prefix is None else prefix)


_ARG_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"the following arguments are required: (.*)"),
     lambda m: msg.ARG_REQUIRED.format(names=m[1])),
    (re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)"),
     lambda m: msg.ARG_CHOICE.format(name=m[1], value=m[2], choices=m[3].replace("'", ""))),
    (re.compile(r"unrecognized arguments: (.*)"),
     lambda m: msg.ARG_UNRECOGNIZED.format(args=m[1])),
    (re.compile(r"argument (\S+): expected one argument"),
     lambda m: msg.ARG_EXPECTED_ONE.format(name=m[1])),
    (re.compile(r"argument (\S+): invalid \S+ value: '?([^']*)'?"),
     lambda m: msg.ARG_INVALID_VALUE.format(name=m[1], value=m[2])),
    (re.compile(r"one of the arguments (.*) is required"),
     lambda m: msg.ARG_ONE_OF.format(names=m[1].replace(" ", ", "))),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"),
     lambda m: msg.ARG_EXCLUSIVE.format(name=m[1], other=m[2])),
    (re.compile(r"argument (\S+): (.*)"), lambda m: f"{m[1]}: {m[2]}"),
)


class Parser(argparse.ArgumentParser):
    """ArgumentParser with Vietnamese help chrome and error messages.

    Every ``treem`` command parses its arguments with it (``tui.spreadsheets`` too), so
    that usage, help titles and argument errors read the same everywhere.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        with_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = msg.POSITIONALS_TITLE
        self._optionals.title = msg.OPTIONS_TITLE
        if with_help:
            self.add_argument("-h", "--help", action="help", help=msg.HELP_HELP)

    def error(self, message: str) -> NoReturn:
        detail = message
        for pattern, render in _ARG_PATTERNS:
            match = pattern.fullmatch(message)
            if match:
                detail = render(match)
                break
        self.exit(msg.EXIT_USAGE, msg.ARG_ERROR.format(detail=detail, prog=self.prog) + "\n")


class _SpreadsheetHelp(argparse.Action):
    """``treem export --help`` / ``treem import --help``: the full help of that command
    (its kinds and options, from ``tui.spreadsheets``), then exit 0."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        command = parser.prog.split()[-1]
        try:
            import tui.spreadsheets as spreadsheets
        except ImportError:
            parser.print_help()
        else:
            getattr(spreadsheets, f"build_{command}_parser")().print_help()
        parser.exit(msg.EXIT_OK)


class _ServerHelp(argparse.Action):
    """``treem server --help``: the help of ``tui.server.cli``, then exit 0."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from tui.server.cli import build_parser as server_parser

        server_parser().print_help()
        parser.exit(msg.EXIT_OK)


def _children_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= DEMO_MAX_CHILDREN:
        raise argparse.ArgumentTypeError(
            msg.DEMO_BAD_COUNT.format(maximum=DEMO_MAX_CHILDREN, value=text)
        )
    return value


def _default_db_text() -> str:
    # Kept cheap: platformdirs is a small pure-Python module.
    try:
        return str(resolve_db(None))
    except Exception:  # pragma: no cover - never block --help
        return "~/.local/share/treem/treem.db"


def build_parser() -> argparse.ArgumentParser:
    """The full ``treem`` argument parser (no heavy imports)."""
    epilog = msg.EPILOG.format(default=_default_db_text())
    db_parent = argparse.ArgumentParser(add_help=False)
    db_parent.add_argument("--db", metavar="ĐƯỜNG_DẪN", default=argparse.SUPPRESS,
                           help=msg.DB_HELP)
    auth_parent = argparse.ArgumentParser(add_help=False)
    auth_parent.add_argument("--as", dest="as_user", metavar="TÊN", help=msg.AS_HELP)
    auth_parent.add_argument("--password-file", metavar="TỆP",
                             help=msg.PASSWORD_FILE_HELP.format(env=ENV_PASSWORD))
    auth_parent.add_argument("--new-password-file", metavar="TỆP",
                             help=msg.CHANGE_PASSWORD_FILE_HELP.format(env=ENV_NEW_PASSWORD))
    parents = [db_parent, auth_parent]
    common: dict[str, Any] = {"epilog": epilog}

    parser = Parser(prog="treem", description=msg.DESCRIPTION, **common)
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", default=None, help=msg.DB_HELP)
    parser.add_argument("--version", action="version", version=_version(),
                        help=msg.VERSION_HELP)
    parser.set_defaults(handler=_cmd_open)
    sub = parser.add_subparsers(title=msg.COMMANDS_TITLE, metavar="LỆNH", parser_class=Parser)

    init = sub.add_parser("init", help=msg.INIT_HELP, description=msg.INIT_HELP,
                          parents=[db_parent], **common)
    init.add_argument("--commune", required=True, metavar="MÃ_XÃ", help=msg.INIT_COMMUNE_HELP)
    init.add_argument("--admin", default="admin", metavar="TÊN", help=msg.INIT_ADMIN_HELP)
    init.add_argument("--admin-name", default=msg.ADMIN_DEFAULT_NAME, metavar="HỌ_TÊN",
                      help=msg.INIT_ADMIN_NAME_HELP)
    init.add_argument("--password-file", metavar="TỆP", help=msg.INIT_PASSWORD_FILE_HELP)
    init.set_defaults(handler=_cmd_init)

    demo = sub.add_parser("demo", help=msg.DEMO_HELP, description=msg.DEMO_HELP,
                          parents=[db_parent], **common)
    demo.add_argument("--children", type=_children_count, default=DEMO_DEFAULT_CHILDREN,
                      metavar="N", help=msg.DEMO_CHILDREN_HELP.format(
                          default=DEMO_DEFAULT_CHILDREN, maximum=DEMO_MAX_CHILDREN))
    demo.add_argument("--seed", type=int, default=1, metavar="S", help=msg.DEMO_SEED_HELP)
    demo.add_argument("--commune", default="03808", metavar="MÃ_XÃ", help=msg.DEMO_COMMUNE_HELP)
    demo.add_argument("--no-ui", action="store_true", help=msg.DEMO_NO_UI_HELP)
    demo.add_argument("--fresh", action="store_true", help=msg.DEMO_FRESH_HELP)
    demo.set_defaults(handler=_cmd_demo)

    users = sub.add_parser("users", help=msg.USERS_HELP, description=msg.USERS_HELP, **common)
    users_sub = users.add_subparsers(title=msg.COMMANDS_TITLE, metavar="LỆNH", required=True,
                                     parser_class=Parser)
    temp_help = msg.NEW_PASSWORD_FILE_HELP
    add = users_sub.add_parser("add", help=msg.USERS_ADD_HELP, description=msg.USERS_ADD_HELP,
                               parents=parents, **common)
    add.add_argument("username", help=msg.USERNAME_HELP)
    add.add_argument("--role", required=True, help=msg.ROLE_HELP.format(
        roles="administrator, officer, collaborator, police, viewer, trainer"))
    add.add_argument("--name", required=True, metavar="HỌ_TÊN", help=msg.FULL_NAME_HELP)
    add.add_argument("--village", action="append", default=[], metavar="THÔN",
                     help=msg.VILLAGE_HELP)
    add.add_argument("--temp-password-file", metavar="TỆP", help=temp_help)
    add.set_defaults(handler=_cmd_users_add)
    listing = users_sub.add_parser("list", help=msg.USERS_LIST_HELP,
                                   description=msg.USERS_LIST_HELP, parents=parents, **common)
    listing.set_defaults(handler=_cmd_users_list)
    for name, text, handler in (
        ("lock", msg.USERS_LOCK_HELP, _cmd_users_lock),
        ("unlock", msg.USERS_UNLOCK_HELP, _cmd_users_unlock),
        ("reset-password", msg.USERS_RESET_HELP, _cmd_users_reset),
    ):
        cmd = users_sub.add_parser(name, help=text, description=text, parents=parents, **common)
        cmd.add_argument("username", help=msg.USERNAME_HELP)
        if name == "reset-password":
            cmd.add_argument("--temp-password-file", metavar="TỆP", help=temp_help)
        cmd.set_defaults(handler=handler)

    check = sub.add_parser("check", help=msg.CHECK_HELP, description=msg.CHECK_HELP,
                           parents=parents, **common)
    check.add_argument("--json", action="store_true", help=msg.CHECK_JSON_HELP)
    check.set_defaults(handler=_cmd_check)

    audit = sub.add_parser("audit", help=msg.AUDIT_HELP, description=msg.AUDIT_HELP,
                           parents=parents, **common)
    audit.add_argument("--child", type=int, metavar="MÃ_SỐ", help=msg.AUDIT_CHILD_HELP)
    audit.add_argument("--verify", action="store_true", help=msg.AUDIT_VERIFY_HELP)
    audit.add_argument("--limit", type=int, default=AUDIT_DEFAULT_LIMIT, metavar="N",
                       help=msg.AUDIT_LIMIT_HELP.format(default=AUDIT_DEFAULT_LIMIT))
    audit.set_defaults(handler=_cmd_audit)

    backup = sub.add_parser("backup", help=msg.BACKUP_HELP, description=msg.BACKUP_HELP,
                            parents=parents, **common)
    backup.add_argument("--out", required=True, metavar="TỆP", help=msg.BACKUP_OUT_HELP)
    backup.set_defaults(handler=_cmd_backup)

    _add_recheck(sub, parents, common)

    server = sub.add_parser("server", help=msg.SERVER_HELP, description=msg.SERVER_HELP,
                            add_help=False, **common)
    server.add_argument("-h", "--help", action=_ServerHelp, nargs=0,
                        default=argparse.SUPPRESS, help=msg.HELP_HELP)
    server.add_argument("argv", nargs=argparse.REMAINDER, help=msg.REST_HELP)
    server.set_defaults(handler=_cmd_server)

    for name, text in (("export", msg.EXPORT_HELP), ("import", msg.IMPORT_HELP)):
        cmd = sub.add_parser(name, help=text, description=text, parents=[db_parent],
                             add_help=False, **common)
        # ``treem export --help``: the words after the command are parsed by
        # tui.spreadsheets, whose parser knows the kinds; a leading option never reaches
        # the REMAINDER argument, so the help is forwarded here.
        cmd.add_argument("-h", "--help", action=_SpreadsheetHelp, nargs=0,
                         default=argparse.SUPPRESS, help=msg.HELP_HELP)
        cmd.add_argument("argv", nargs=argparse.REMAINDER, help=msg.REST_HELP)
        cmd.set_defaults(handler=_cmd_spreadsheets, command=name)
    return parser


def _percent(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 < value <= 100:
        from tui.messages import core as core_msg

        raise argparse.ArgumentTypeError(core_msg.RECHECK_PERCENT_INVALID.format(value=text))
    return value


def _add_recheck(sub: Any, parents: list[argparse.ArgumentParser],
                 common: dict[str, Any]) -> None:
    """``treem recheck sample | done | summary`` (phúc tra, ``tui.store.recheck``)."""
    recheck = sub.add_parser("recheck", help=msg.RECHECK_HELP, description=msg.RECHECK_HELP,
                             **common)
    recheck_sub = recheck.add_subparsers(title=msg.COMMANDS_TITLE, metavar="LỆNH",
                                         required=True, parser_class=Parser)
    sample = recheck_sub.add_parser("sample", help=msg.RECHECK_SAMPLE_HELP,
                                    description=msg.RECHECK_SAMPLE_HELP, parents=parents,
                                    **common)
    sample.add_argument("--percent", type=_percent, metavar="N", help=msg.RECHECK_PERCENT_HELP)
    sample.add_argument("--seed", type=int, metavar="S", help=msg.RECHECK_SEED_HELP)
    sample.add_argument("--json", action="store_true", help=msg.RECHECK_JSON_HELP)
    sample.set_defaults(handler=_cmd_recheck_sample)
    done = recheck_sub.add_parser("done", help=msg.RECHECK_DONE_HELP,
                                  description=msg.RECHECK_DONE_HELP, parents=parents, **common)
    done.add_argument("child_id", type=int, metavar="MÃ_SỐ", help=msg.RECHECK_CHILD_HELP)
    result = done.add_mutually_exclusive_group(required=True)
    result.add_argument("--ok", action="store_true", help=msg.RECHECK_OK_HELP)
    result.add_argument("--discrepancy", metavar="GHI_CHÚ", help=msg.RECHECK_DISCREPANCY_HELP)
    done.add_argument("--set", dest="corrections", action="append", default=[],
                      metavar="TRƯỜNG=GIÁ_TRỊ", help=msg.RECHECK_SET_HELP)
    done.set_defaults(handler=_cmd_recheck_done)
    summary = recheck_sub.add_parser("summary", help=msg.RECHECK_SUMMARY_HELP,
                                     description=msg.RECHECK_SUMMARY_HELP, parents=parents,
                                     **common)
    summary.add_argument("--json", action="store_true", help=msg.RECHECK_JSON_HELP)
    summary.set_defaults(handler=_cmd_recheck_summary)


def _version() -> str:
    from libchild import __version__

    return f"treem {__version__}"


# --- helpers ------------------------------------------------------------------------------
def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _read_secret(path: str | None, env: str, prompt: str, *, confirm: bool) -> str:
    """A password from a file (first line), else the environment, else the keyboard."""
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                secret = handle.readline().rstrip("\r\n")
        except OSError as exc:
            raise CliError(
                msg.PASSWORD_FILE_UNREADABLE.format(path=path, detail=exc.strerror or exc)
            ) from exc
    elif os.environ.get(env):
        secret = os.environ[env]
    elif sys.stdin.isatty():
        secret = getpass.getpass(prompt)
        if confirm and getpass.getpass(msg.PROMPT_REPEAT) != secret:
            raise CliError(msg.PASSWORDS_DIFFER)
    else:
        raise CliError(msg.NO_TERMINAL.format(env=env))
    if not secret:
        raise CliError(msg.PASSWORD_EMPTY)
    return secret


def _commune(code: str) -> Any:
    """The catalogue entry of a commune code, or a refusal with suggestions."""
    from libchild import catalog

    cats = catalog.load()
    entry = cats.communes.get(code.strip())
    if entry is not None:
        return entry
    lines = [msg.COMMUNE_UNKNOWN.format(code=code)]
    suggestions = cats.communes.find(code, limit=5) if code.strip() else []
    if suggestions:
        lines.append(msg.COMMUNE_SUGGEST)
        for item in suggestions:
            province = cats.provinces.get(item.parent or "")
            lines.append(msg.COMMUNE_SUGGESTION.format(
                code=item.code, name=item.name, province=province.name if province else ""))
    lines.append(msg.COMMUNE_HINT)
    raise CliError("\n".join(lines), msg.EXIT_USAGE)


def _db_path(args: argparse.Namespace, *, sandbox: bool = False) -> Path:
    return resolve_db(getattr(args, "db", None), sandbox=sandbox)


def open_existing(path: Path) -> peewee.SqliteDatabase:
    """Open the register at ``path``; a :class:`CliError` if there is no file there.

    Faults of the file itself (corrupt, not a register, too new) raise the
    ``tui.store.errors`` exception that ``main`` reports in Vietnamese.
    """
    from tui.store.database import open_db

    if not path.exists():
        raise CliError(msg.NO_DATABASE.format(path=path), msg.EXIT_DATABASE)
    return open_db(path)


def _is_sandbox(db: peewee.SqliteDatabase) -> bool:
    row = db.execute_sql("SELECT sandbox FROM setting WHERE id = 1").fetchone()
    return bool(row and row[0])


def _create_register(db: peewee.SqliteDatabase, commune: Any, *, sandbox: bool) -> None:
    """Record the register's commune and sandbox flag (``tui.store.settings``), audited."""
    from tui.store import settings

    settings.initialize(db, commune_code=commune.code, commune_name=commune.name,
                        province_code=commune.parent, sandbox=sandbox)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{path}{suffix}")
        if target.exists():
            target.unlink()


def acting_session(db: peewee.SqliteDatabase, args: argparse.Namespace, action: str
                   ) -> Session:
    """The identified person the command acts for, allowed to do ``action``.

    A sandbox needs no login (its password-less demo administrator acts); a real
    register needs ``--as USER`` (``args.as_user``) and that user's password (from
    ``args.password_file``, ``TREEM_PASSWORD`` or the keyboard; a forced change reads
    ``args.new_password_file``). Raises :class:`CliError` or the ``tui.store.accounts``
    refusal (wrong password, locked account, role not allowed).
    """
    from tui.messages import core as core_msg
    from tui.store import accounts

    if not getattr(args, "as_user", None):
        if _is_sandbox(db):
            session = accounts.sandbox_session(db)
            accounts.require(session, action)
            return session
        raise CliError(
            msg.AS_REQUIRED.format(action=core_msg.ACTION_NAMES.get(action, action)),
            msg.EXIT_ACCESS,
        )
    username = args.as_user
    password = _read_secret(getattr(args, "password_file", None), ENV_PASSWORD,
                            msg.PROMPT_PASSWORD.format(username=username), confirm=False)
    try:
        session = accounts.login(db, username, password)
    except accounts.PasswordChangeRequired:
        new_file = getattr(args, "new_password_file", None)
        if not (new_file or os.environ.get(ENV_NEW_PASSWORD)
                or sys.stdin.isatty()):
            raise CliError(msg.MUST_CHANGE_FIRST.format(username=username),
                           msg.EXIT_ACCESS) from None
        _err(msg.MUST_CHANGE_FIRST.format(username=username))
        new = _read_secret(new_file, ENV_NEW_PASSWORD,
                           msg.PROMPT_NEW_PASSWORD.format(username=username), confirm=True)
        session = accounts.change_password(db, username, password, new)
        _err(msg.PASSWORD_CHANGED.format(username=username))
    accounts.require(session, action)
    return session


def _audit_view(db: peewee.SqliteDatabase, session: Session, entity: str, **extra: Any) -> None:
    from tui.store import audit
    from tui.store.database import write_tx

    with write_tx(db):
        audit.append(db, user_id=session.user_id, username=session.username, action="view",
                     entity=entity, field=extra.pop("field", None), new=extra or None)


def _file_size(path: Path) -> int:
    return sum(
        Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
    )


# --- subcommands ----------------------------------------------------------------------------
def _cmd_open(args: argparse.Namespace) -> int:
    path = _db_path(args)
    if not path.exists():
        raise CliError(msg.NO_DATABASE.format(path=path), msg.EXIT_DATABASE)
    db = open_existing(path)  # faults (corrupt, not ours, too new) reported before the UI
    sandbox = _is_sandbox(db)
    db.close()
    return _run_app(path, sandbox=sandbox)


def _run_app(path: Path, *, sandbox: bool) -> int:
    try:
        from tui.app import run_app
    except ImportError as exc:
        raise CliError(msg.APP_UNAVAILABLE.format(detail=exc), msg.EXIT_USAGE) from exc
    return int(run_app(path, sandbox=sandbox) or 0)


def _cmd_init(args: argparse.Namespace) -> int:
    from tui.store import accounts
    from tui.store.database import open_db

    commune = _commune(args.commune)
    path = _db_path(args)
    if path.exists() and path.stat().st_size > 0:
        raise CliError(msg.INIT_EXISTS.format(path=path), msg.EXIT_USAGE)
    password = _read_secret(args.password_file, ENV_ADMIN_PASSWORD,
                            msg.PROMPT_NEW_PASSWORD.format(username=args.admin), confirm=True)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = open_db(path, create=True)
    try:
        _create_register(db, commune, sandbox=False)
        accounts.create_user(db, args.admin, args.admin_name, "administrator", password,
                             must_change_password=True)
    except BaseException:
        db.close()
        _remove_database(path)  # a register without its administrator is of no use
        raise
    db.close()
    from libchild import catalog

    province = catalog.load().provinces.get(commune.parent)
    _out(msg.INIT_DONE.format(commune=commune.name, province=province.name if province else "",
                              path=path, admin=args.admin))
    return msg.EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from tui.store.database import open_db

    commune = _commune(args.commune)
    path = _db_path(args, sandbox=True)
    if path.exists() and path.stat().st_size > 0:
        db = open_db(path)  # refuses a file that is not a treem register, without touching it
        sandbox = _is_sandbox(db)
        children = db.execute_sql("SELECT count(*) FROM child").fetchone()[0]
        db.close()
        if not sandbox:
            raise CliError(msg.DEMO_NOT_SANDBOX.format(path=path), msg.EXIT_USAGE)
        if args.fresh:
            _remove_database(path)
        else:
            _out(msg.DEMO_REUSED.format(path=path, children=children))
    if not path.exists() or path.stat().st_size == 0:
        _build_demo(path, commune, children=args.children, seed=args.seed)
    _out(msg.DEMO_SANDBOX_NOTE)
    if args.no_ui:
        return msg.EXIT_OK
    return _run_app(path, sandbox=True)


def _build_demo(path: Path, commune: Any, *, children: int, seed: int) -> None:
    from libchild import catalog
    from tui.demo import generate
    from tui.demo.generator import paused_gc
    from tui.demo.loader import load
    from tui.store import accounts
    from tui.store.database import open_db

    province = catalog.load().provinces.get(commune.parent)
    province_name = province.name if province else ""
    _out(msg.DEMO_CREATING.format(children=children, commune=commune.name,
                                  province=province_name))
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = open_db(path, create=True)
    try:
        _create_register(db, commune, sandbox=True)
        session = accounts.sandbox_session(db)
        with paused_gc():
            data = generate(children, seed=seed, commune_code=commune.code)
            result = load(db, data, user_id=session.user_id, username=session.username)
    except BaseException:
        db.close()
        _remove_database(path)  # never leave a half-filled sandbox behind
        raise
    db.close()
    seconds = time.perf_counter() - started
    _out(msg.DEMO_DONE.format(
        path=path, households=result.households, children=result.children,
        problems=len(data.problems), seconds=f"{seconds:.1f}".replace(".", ","),
        size=msg.size_text(_file_size(path)),
    ))


def _cmd_users_add(args: argparse.Namespace) -> int:
    from tui.messages import core as core_msg
    from tui.store import accounts
    from tui.store.models import Village

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "manage_users")
        village_ids = []
        for name in args.village:
            from libchild.text.fold import fold

            village = Village.get_or_none(Village.name_folded == fold(name))
            if village is None:
                raise CliError(msg.VILLAGE_NOT_FOUND.format(village=name))
            village_ids.append(village.id)
        password = _read_secret(args.temp_password_file, ENV_USER_PASSWORD,
                                msg.PROMPT_NEW_PASSWORD.format(username=args.username),
                                confirm=True)
        user = accounts.create_user(db, args.username, args.name, args.role, password,
                                    by=session, villages=village_ids)
        _out(msg.USER_ADDED.format(username=user.username,
                                   role=core_msg.ROLE_NAMES.get(user.role, user.role)))
    finally:
        db.close()
    return msg.EXIT_OK


def _user_state(user: Any) -> str:
    from tui.store.clock import now, parse_iso

    if user.disabled:
        return msg.USER_STATE_DISABLED
    states = []
    if user.locked_until and parse_iso(user.locked_until) > now():
        states.append(msg.USER_STATE_LOCKED.format(until=user.locked_until[:16]))
    if user.must_change_password:
        states.append(msg.USER_STATE_MUST_CHANGE)
    return ", ".join(states) or msg.USER_STATE_ACTIVE


def _cmd_users_list(args: argparse.Namespace) -> int:
    from tui.messages import core as core_msg
    from tui.store.models import User

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "manage_users")
        _audit_view(db, session, "user", field="list")
        _out(msg.USERS_HEADER.format(**msg.USERS_COLUMNS))
        for user in User.select().order_by(User.username):
            _out(msg.USERS_HEADER.format(
                username=user.username, full_name=user.full_name,
                role=core_msg.ROLE_NAMES.get(user.role, user.role), state=_user_state(user)))
    finally:
        db.close()
    return msg.EXIT_OK


def _require_user(username: str) -> None:
    from tui.store.models import User

    if User.get_or_none(User.username == username.strip().lower()) is None:
        raise CliError(msg.USER_NOT_FOUND.format(username=username))


def _set_disabled(args: argparse.Namespace, disabled: bool) -> int:
    from tui.store import accounts

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "manage_users")
        _require_user(args.username)
        accounts.set_disabled(db, session, args.username, disabled)
    finally:
        db.close()
    text = msg.USER_LOCKED if disabled else msg.USER_UNLOCKED
    _out(text.format(username=args.username.strip().lower()))
    return msg.EXIT_OK


def _cmd_users_lock(args: argparse.Namespace) -> int:
    return _set_disabled(args, True)


def _cmd_users_unlock(args: argparse.Namespace) -> int:
    return _set_disabled(args, False)


def _cmd_users_reset(args: argparse.Namespace) -> int:
    from tui.store import accounts

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "manage_users")
        _require_user(args.username)
        password = _read_secret(args.temp_password_file, ENV_USER_PASSWORD,
                                msg.PROMPT_NEW_PASSWORD.format(username=args.username),
                                confirm=True)
        accounts.reset_password(db, session, args.username, password)
    finally:
        db.close()
    _out(msg.USER_RESET.format(username=args.username.strip().lower()))
    return msg.EXIT_OK


def _issue_text(issue: dict[str, Any]) -> str:
    from libchild.messages import MESSAGES
    from tui.messages import core as core_msg

    code = issue.get("code", "")
    known = MESSAGES.get(code)
    if known is not None:
        return known.message
    store = core_msg.STORE_ISSUES.get(code)
    if store is not None:
        return store[0].split("(")[0].strip()
    return code


def _cmd_check(args: argparse.Namespace) -> int:
    from tui.messages.review import REVIEW_KINDS as TITLES
    from tui.store.register import Register

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "review")
        register = Register(db, session)
        counts = register.review_counts()
        setting = db.execute_sql(
            "SELECT commune_code, commune_name FROM setting WHERE id = 1").fetchone()
        total = db.execute_sql(
            "SELECT count(*) FROM child WHERE merged_into IS NULL").fetchone()[0]
        limit = None if args.json else CHECK_TEXT_ROWS
        lists = {kind: _review_rows(register, kind, counts[kind], limit) for kind in STEP3_KINDS}
        _audit_view(db, session, "review_lists", field="check",
                    counts={k: counts[k] for k in STEP3_KINDS})
    finally:
        db.close()
    if args.json:
        _out(json.dumps({
            "commune_code": setting[0] if setting else None,
            "children": total,
            "counts": {k: counts[k] for k in (*STEP3_KINDS, "errors", "warnings")},
            "lists": lists,
        }, ensure_ascii=False, indent=1))
    else:
        _out(msg.CHECK_HEADER.format(commune=setting[1] if setting else "", total=total))
        for kind in STEP3_KINDS:
            _out()
            _out(msg.CHECK_LIST_TITLE.format(title=TITLES[kind][0], count=counts[kind]))
            for row in lists[kind]:
                _out(msg.CHECK_ROW.format(
                    id=row["id"], personal_id=row["personal_id"] or msg.NO_ID,
                    full_name=row["full_name"] or msg.NO_NAME,
                    birth_date=row["birth_date"] or "", village=row["village"] or ""))
                for issue in row["issues"]:
                    _out(msg.CHECK_ISSUE.format(message=issue["message"]))
            if counts[kind] > len(lists[kind]):
                _out(msg.CHECK_MORE.format(count=counts[kind] - len(lists[kind])))
        _out()
        if not any(counts[k] for k in STEP3_KINDS):
            _out(msg.CHECK_NONE)
        if counts["errors"]:
            _out(msg.CHECK_ERRORS.format(count=counts["errors"]))
    return msg.EXIT_FINDINGS if counts["errors"] else msg.EXIT_OK


def _review_rows(register: Any, kind: str, count: int, limit: int | None) -> list[dict]:
    wanted = count if limit is None else min(limit, count)
    rows: list[dict] = []
    page = 5000
    while len(rows) < wanted:
        batch = register.review_page(kind, limit=min(page, wanted - len(rows)), offset=len(rows))
        if not batch:
            break
        rows.extend(batch)
    keys = ("id", "personal_id", "full_name", "birth_date", "sex", "village", "state")
    return [
        {**{k: row.get(k) for k in keys},
         "issues": [{**issue, "message": _issue_text(issue)} for issue in row["issues"]]}
        for row in rows
    ]


def _cmd_recheck_sample(args: argparse.Namespace) -> int:
    from tui.store import recheck
    from tui.store.register import Register

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "recheck")
        register = Register(db, session)
        rows = recheck.draw_sample(register, percent=args.percent, seed=args.seed)
        percent = args.percent if args.percent is not None else db.execute_sql(
            "SELECT recheck_percent FROM setting WHERE id = 1").fetchone()[0]
        setting = db.execute_sql(
            "SELECT commune_code, commune_name FROM setting WHERE id = 1").fetchone()
        total = db.execute_sql(
            "SELECT count(*) FROM child WHERE merged_into IS NULL").fetchone()[0]
    finally:
        db.close()
    if args.json:
        _out(json.dumps({"commune_code": setting[0], "percent": percent, "children": total,
                         "seed": args.seed, "sample": rows}, ensure_ascii=False, indent=1))
        return msg.EXIT_OK
    if not rows:
        _out(msg.RECHECK_SAMPLE_EMPTY)
        return msg.EXIT_OK
    _out(msg.RECHECK_SAMPLE_HEADER.format(percent=f"{percent:g}".replace(".", ","),
                                          commune=setting[1], count=len(rows), total=total))
    for row in rows:
        _out(msg.RECHECK_SAMPLE_ROW.format(
            id=row["id"], personal_id=row["personal_id"] or msg.NO_ID,
            full_name=row["full_name"] or msg.NO_NAME,
            birth_date=_day_text(row["birth_date"]),
            village=row["village"] or "",
            entered_by=row["entered_by"] or msg.RECHECK_UNKNOWN_ENTERER))
    return msg.EXIT_OK


def _day_text(value: str | None) -> str:
    """A stored ISO date as dd/mm/yyyy; anything else as it is."""
    from datetime import date

    from libchild.dates import format_date

    try:
        return format_date(date.fromisoformat(value or ""))
    except ValueError:
        return value or ""


def _corrections(items: Sequence[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise CliError(msg.RECHECK_SET_INVALID.format(value=item))
        out[field.strip()] = value.strip() or None
    return out


def _cmd_recheck_done(args: argparse.Namespace) -> int:
    from tui.messages import core as core_msg
    from tui.store import recheck
    from tui.store.register import Register

    corrections = _corrections(args.corrections)
    if corrections and args.ok:
        raise CliError(msg.RECHECK_SET_NEEDS_DISCREPANCY)
    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "recheck")
        state = recheck.record_recheck(Register(db, session), args.child_id, bool(args.ok),
                                       args.discrepancy or "", corrections or None)
    finally:
        db.close()
    text = msg.RECHECK_DONE_OK if args.ok else msg.RECHECK_DONE_DISCREPANCY
    _out(text.format(child_id=args.child_id, state=core_msg.STATE_NAMES.get(state, state)))
    return msg.EXIT_OK


def _cmd_recheck_summary(args: argparse.Namespace) -> int:
    from tui.store import recheck
    from tui.store.register import Register

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "recheck")
        rows = recheck.summary(Register(db, session))
    finally:
        db.close()
    if args.json:
        _out(json.dumps(rows, ensure_ascii=False, indent=1))
        return msg.EXIT_OK
    if not rows:
        _out(msg.RECHECK_SUMMARY_EMPTY)
        return msg.EXIT_OK
    _out(msg.RECHECK_SUMMARY_HEADER.format(**msg.RECHECK_SUMMARY_COLUMNS))
    for row in rows:
        _out(msg.RECHECK_SUMMARY_HEADER.format(
            name=row["name"] or msg.RECHECK_UNKNOWN_ENTERER, checked=row["checked"],
            discrepancies=row["discrepancies"],
            rate=f"{row['rate'] * 100:.1f}%".replace(".", ",")))
    return msg.EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from tui.messages import core as core_msg
    from tui.store import audit

    db = open_existing(_db_path(args))
    try:
        session = acting_session(db, args, "view_audit")
        if args.verify:
            problems = audit.verify(db)
            count = db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
            _audit_view(db, session, "audit", field="verify", problems=len(problems))
            if problems:
                for problem in problems:
                    _out(problem)
                _out(msg.AUDIT_BROKEN.format(count=len(problems)))
                return msg.EXIT_FINDINGS
            _out(core_msg.AUDIT_OK.format(count=count))
            return msg.EXIT_OK
        where, params = "", ()
        if args.child is not None:
            where, params = "WHERE entity = 'child' AND record_id = ?", (args.child,)
        rows = db.execute_sql(
            'SELECT id, at, username, action, entity, record_id, "field", old, new '
            f"FROM audit_entry {where} ORDER BY id DESC LIMIT ?",
            (*params, max(1, args.limit))).fetchall()
        _audit_view(db, session, "audit", field="list", child=args.child)
    finally:
        db.close()
    if not rows:
        _out(msg.AUDIT_EMPTY)
    for entry_id, at, username, action, entity, record_id, field, old, new in reversed(rows):
        record = f" #{record_id}" if record_id is not None else ""
        change = ""
        if field:
            before = old if old is not None else "∅"
            after = new if new is not None else "∅"
            change = f" {field}: {before} → {after}"
        _out(msg.AUDIT_ROW.format(id=entry_id, at=at, username=username or "-", action=action,
                                  entity=entity, record=record, change=change))
    return msg.EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    import sqlite3

    from tui.store import audit
    from tui.store.database import write_tx

    source = _db_path(args)
    out = Path(args.out).expanduser()
    db = open_existing(source)
    try:
        session = acting_session(db, args, "manage_settings")
        if out.exists():
            raise CliError(msg.BACKUP_EXISTS.format(path=out))
        try:
            fd = os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            os.chmod(out, 0o600)
            children = _copy_database(source, out)
        except (OSError, sqlite3.Error) as exc:
            _remove_database(out)
            raise CliError(msg.BACKUP_FAILED.format(detail=exc), msg.EXIT_DATABASE) from exc
        with write_tx(db):
            audit.append(db, user_id=session.user_id, username=session.username,
                         action="export", entity="backup", field="path",
                         new={"path": str(out), "children": children})
    finally:
        db.close()
    _out(msg.BACKUP_DONE.format(children=children, path=out, size=msg.size_text(
        out.stat().st_size)))
    return msg.EXIT_OK


def _copy_database(source: Path, out: Path) -> int:
    """Copy ``source`` into ``out`` with SQLite's online backup; the child count copied.

    The whole copy is one step (``pages=-1``) inside one read transaction, so it is a
    consistent snapshot while other processes keep writing (WAL lets them). The copy is
    switched to a rollback journal so that it is one self-contained file.
    """
    import sqlite3

    from tui.store.database import BUSY_TIMEOUT_S

    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
    dst = sqlite3.connect(out)
    try:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode = DELETE")
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check")
        return int(dst.execute("SELECT count(*) FROM child").fetchone()[0])
    finally:
        dst.close()
        src.close()


def _take_db_option(argv: list[str]) -> tuple[list[str], str | None]:
    """Remove ``--db PATH`` / ``--db=PATH`` from the words after export/import."""
    rest: list[str] = []
    found: str | None = None
    words = iter(argv)
    for word in words:
        if word == "--db":
            found = next(words, None)
            if found is None:
                raise CliError(msg.ARG_ERROR.format(
                    detail=msg.ARG_EXPECTED_ONE.format(name="--db"), prog="treem"))
        elif word.startswith("--db="):
            found = word.split("=", 1)[1]
        else:
            rest.append(word)
    return rest, found


def _cmd_spreadsheets(args: argparse.Namespace) -> int:
    if find_spec("tui.spreadsheets") is None:
        raise CliError(msg.SPREADSHEETS_UNAVAILABLE.format(command=args.command))
    import tui.spreadsheets as spreadsheets

    entry = getattr(spreadsheets, f"main_{args.command}", None)
    if entry is None:
        raise CliError(msg.SPREADSHEETS_UNAVAILABLE.format(command=args.command))
    argv, db_option = _take_db_option(list(args.argv))
    if db_option is not None:
        args.db = db_option
    forwarded = argparse.Namespace(db=_db_path(args), argv=argv, command=args.command)
    return int(entry(forwarded) or 0)


def _cmd_server(args: argparse.Namespace) -> int:
    """``treem server setup | run``: dispatched to ``tui.server.cli``."""
    from tui.server.cli import main as server_main

    return server_main(args.argv)


# --- entry point ----------------------------------------------------------------------------
def _store_exit_code(exc: BaseException) -> int | None:
    """The exit code of a storage-layer fault, or None if ``exc`` is not one."""
    if "tui.store.errors" not in sys.modules:
        return None
    from tui.store import errors

    if not isinstance(exc, errors.StoreError):
        return None
    access = (errors.PermissionDenied,)
    if "tui.store.accounts" in sys.modules:
        from tui.store import accounts

        access += (accounts.LoginFailed, accounts.AccountLocked,
                   accounts.PasswordChangeRequired, accounts.SessionExpired)
    if isinstance(exc, access):
        return msg.EXIT_ACCESS
    if isinstance(exc, errors.InvalidInput | errors.NotFound | errors.ValidationFailed):
        return msg.EXIT_USAGE
    return msg.EXIT_DATABASE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``treem`` command line; return the exit code (see ``treem --help``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except CliError as exc:
        _err(str(exc))
        return exc.code
    except KeyboardInterrupt:
        _err(msg.INTERRUPTED)
        return 130
    except Exception as exc:
        code = _store_exit_code(exc)
        if code is None:
            raise
        _err(str(exc))
        return code


if __name__ == "__main__":
    # Run the imported ``tui.cli`` rather than this ``__main__`` copy, so that modules which
    # raise ``tui.cli.CliError`` (tui.spreadsheets) raise the class that ``main`` catches.
    from tui.cli import main as _main

    sys.exit(_main())
