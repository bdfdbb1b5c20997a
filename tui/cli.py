"""The ``treem`` command line (console script ``tui.cli:main``).

``treem`` opens the app on the configured register; subcommands create a register
(``init``), a sandbox with synthetic data (``demo``), manage accounts (``users``),
print the step-3 review lists (``check``), draw and record the re-check sample
(``recheck``), read or verify the audit log (``audit``), make a consistent backup
(``backup``) and move a whole register between SQLite and PostgreSQL (``migrate``).
``export`` and ``import`` are dispatched to ``tui.cli_spreadsheets``.
Every command reaches the register through ``tui.services`` only. The services (peewee,
libchild) and the app (textual) are imported inside the subcommands: together they cost
about 0.3 s at import (python -X importtime), which ``treem --help`` must not pay.
Every message lives in ``tui.messages.cli``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from libchild.text.controls import escape_unsafe
from tui.domain import STEP3_KINDS, Permission, ReviewKind
from tui.messages import cli as msg
from tui.messages import server as server_msg
from tui.messages.labels import PERMISSION_NAMES, ROLE_NAMES, STATE_NAMES, name_of
from tui.paths import is_url, resolve_db

if TYPE_CHECKING:  # pragma: no cover
    from tui.services import Services
    from tui.services.policy import Session
    from tui.services.registers import RegisterFile

__all__ = [
    "CliError",
    "Parser",
    "acting_session",
    "build_parser",
    "main",
    "missing_app_module",
    "open_existing",
]

DEMO_DEFAULT_CHILDREN = 2000
DEMO_MAX_CHILDREN = 300_000  # tui.demo.MAX_CHILDREN, repeated to keep --help import-free
AUDIT_DEFAULT_LIMIT = 100
CHECK_TEXT_ROWS = 20

ENV_PASSWORD = "TREEM_PASSWORD"  # the acting user's password (--as)
ENV_NEW_PASSWORD = "TREEM_NEW_PASSWORD"  # the acting user's new one, if a change is forced
ENV_ADMIN_PASSWORD = "TREEM_ADMIN_PASSWORD"  # treem init
ENV_USER_PASSWORD = "TREEM_USER_PASSWORD"  # temporary password of users add / reset-password


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

    Every ``treem`` command parses its arguments with it (``tui.cli_spreadsheets`` too), so
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
    (its kinds and options, from ``tui.cli_spreadsheets``), then exit 0."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from tui import cli_spreadsheets

        command = parser.prog.split()[-1]
        builder = (cli_spreadsheets.build_export_parser if command == "export"
                   else cli_spreadsheets.build_import_parser)
        builder().print_help()
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
    init.add_argument("--province", action="store_true", help=msg.INIT_PROVINCE_HELP)
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
        roles="administrator, officer, collaborator, police, viewer, trainer, "
              "province_officer, province_administrator"))
    add.add_argument("--commune", metavar="MÃ_XÃ", help=msg.USERS_COMMUNE_HELP)
    add.add_argument("--name", required=True, metavar="HỌ_TÊN", help=msg.FULL_NAME_HELP)
    add.add_argument("--village", action="append", default=[], metavar="THÔN",
                     help=msg.VILLAGE_HELP)
    add.add_argument("--temp-password-file", metavar="TỆP", help=temp_help)
    add.add_argument("--unix", metavar="TÊN_UNIX", help=msg.UNIX_ADD_HELP)
    add.set_defaults(handler=_cmd_users_add)
    link = users_sub.add_parser("link", help=msg.USERS_LINK_HELP,
                                description=msg.USERS_LINK_HELP, parents=parents, **common)
    link.add_argument("username", help=msg.USERNAME_HELP)
    link.add_argument("--unix", required=True, metavar="TÊN_UNIX", help=msg.UNIX_HELP)
    link.set_defaults(handler=_cmd_users_link)
    unlink = users_sub.add_parser("unlink", help=msg.USERS_UNLINK_HELP,
                                  description=msg.USERS_UNLINK_HELP, parents=parents, **common)
    unlink.add_argument("username", help=msg.USERNAME_HELP)
    unlink.set_defaults(handler=_cmd_users_unlink)
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
    audit.add_argument("--head", action="store_true", help=msg.AUDIT_HEAD_HELP)
    audit.add_argument("--since", metavar="MÃ", help=msg.AUDIT_SINCE_HELP)
    audit.add_argument("--commune", metavar="MÃ_XÃ", help=msg.AUDIT_COMMUNE_HELP)
    audit.add_argument("--limit", type=int, default=AUDIT_DEFAULT_LIMIT, metavar="N",
                       help=msg.AUDIT_LIMIT_HELP.format(default=AUDIT_DEFAULT_LIMIT))
    audit.set_defaults(handler=_cmd_audit)

    backup = sub.add_parser("backup", help=msg.BACKUP_HELP, description=msg.BACKUP_HELP,
                            parents=parents, **common)
    backup.add_argument("--out", required=True, metavar="TỆP", help=msg.BACKUP_OUT_HELP)
    backup.set_defaults(handler=_cmd_backup)

    migrate = sub.add_parser("migrate", help=msg.MIGRATE_HELP, description=msg.MIGRATE_HELP,
                             **common)
    migrate.add_argument("source", metavar="NGUỒN", nargs="?", help=msg.MIGRATE_SOURCE_HELP)
    migrate.add_argument("--from", dest="from_db", metavar="NGUỒN",
                         help=msg.MIGRATE_FROM_HELP)
    migrate.add_argument("--commune", metavar="MÃ_XÃ", help=msg.MIGRATE_COMMUNE_HELP)
    migrate.add_argument("--to", required=True, metavar="NƠI_NHẬN", help=msg.MIGRATE_TO_HELP)
    migrate.add_argument("--dry-run", action="store_true", help=msg.MIGRATE_DRY_RUN_HELP)
    migrate.set_defaults(handler=_cmd_migrate)

    _add_recheck(sub, parents, common)
    _add_training(sub, common)

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
        # tui.cli_spreadsheets, whose parser knows the kinds; a leading option never reaches
        # the REMAINDER argument, so the help is forwarded here.
        cmd.add_argument("-h", "--help", action=_SpreadsheetHelp, nargs=0,
                         default=argparse.SUPPRESS, help=msg.HELP_HELP)
        cmd.add_argument("argv", nargs=argparse.REMAINDER, help=msg.REST_HELP)
        cmd.set_defaults(handler=_cmd_spreadsheets, command=name)
    # ``treem report`` starts with options (``--plan``, ``--as-of``), which never reach a
    # REMAINDER argument: ``main`` hands every word after ``report`` to tui.cli_reports
    # (its own help included); this entry lists the command in ``treem --help``.
    report = sub.add_parser("report", help=msg.REPORT_HELP, description=msg.REPORT_HELP,
                            **common)
    report.add_argument("argv", nargs=argparse.REMAINDER, help=msg.REST_HELP)
    report.set_defaults(handler=_cmd_spreadsheets, command="report")
    return parser


def _add_training(sub: Any, common: dict[str, Any]) -> None:
    """``treem training list | print`` (scenarios of guided sessions, ``tui.training``)."""
    training = sub.add_parser("training", help=msg.TRAINING_HELP,
                              description=msg.TRAINING_HELP, **common)
    training_sub = training.add_subparsers(title=msg.COMMANDS_TITLE, metavar="LỆNH",
                                           required=True, parser_class=Parser)
    listing = training_sub.add_parser("list", help=msg.TRAINING_LIST_HELP,
                                      description=msg.TRAINING_LIST_HELP, **common)
    listing.add_argument("--json", action="store_true", help=msg.TRAINING_JSON_HELP)
    listing.set_defaults(handler=_cmd_training_list)
    printing = training_sub.add_parser("print", help=msg.TRAINING_PRINT_HELP,
                                       description=msg.TRAINING_PRINT_HELP, **common)
    printing.add_argument("scenario", metavar="KỊCH_BẢN", help=msg.TRAINING_SCENARIO_HELP)
    printing.add_argument("--out", required=True, metavar="TỆP",
                          help=msg.TRAINING_OUT_HELP)
    printing.add_argument("--key", action="store_true", help=msg.TRAINING_KEY_HELP)
    printing.set_defaults(handler=_cmd_training_print)
    start = training_sub.add_parser("start", help=msg.TRAINING_START_HELP,
                                    description=msg.TRAINING_START_HELP, **common)
    start.add_argument("scenario", metavar="KỊCH_BẢN", help=msg.TRAINING_SCENARIO_HELP)
    start.add_argument("--trainees", type=int, required=True, metavar="N",
                       help=msg.TRAINING_TRAINEES_HELP)
    start.add_argument("--dir", required=True, metavar="THƯ_MỤC", help=msg.TRAINING_DIR_HELP)
    start.add_argument("--prefix", default="hocvien", metavar="TIỀN_TỐ",
                       help=msg.TRAINING_PREFIX_HELP)
    start.set_defaults(handler=_cmd_training_start)
    status = training_sub.add_parser("status", help=msg.TRAINING_STATUS_HELP,
                                     description=msg.TRAINING_STATUS_HELP, **common)
    status.add_argument("dir", metavar="THƯ_MỤC", help=msg.TRAINING_DIR_HELP)
    status.add_argument("--json", action="store_true", help=msg.TRAINING_JSON_HELP)
    status.set_defaults(handler=_cmd_training_status)
    join = training_sub.add_parser("join", help=msg.TRAINING_JOIN_HELP,
                                   description=msg.TRAINING_JOIN_HELP, **common)
    join.add_argument("dir", metavar="THƯ_MỤC", help=msg.TRAINING_DIR_HELP)
    join.add_argument("trainee", metavar="HỌC_VIÊN", help=msg.TRAINING_TRAINEE_HELP)
    join.set_defaults(handler=_cmd_training_join)
    board = training_sub.add_parser("dashboard", help=msg.TRAINING_DASHBOARD_HELP,
                                    description=msg.TRAINING_DASHBOARD_HELP, **common)
    board.add_argument("dir", metavar="THƯ_MỤC", help=msg.TRAINING_DIR_HELP)
    board.set_defaults(handler=_cmd_training_dashboard)
    export = training_sub.add_parser("export", help=msg.TRAINING_EXPORT_HELP,
                                     description=msg.TRAINING_EXPORT_HELP, **common)
    export.add_argument("dir", metavar="THƯ_MỤC", help=msg.TRAINING_DIR_HELP)
    export.add_argument("--out", required=True, metavar="TỆP", help=msg.TRAINING_XLSX_HELP)
    export.add_argument("--pass-mark", type=_percent, default=80.0, metavar="PHẦN_TRĂM",
                        help=msg.TRAINING_PASS_MARK_HELP)
    export.add_argument("--trainer", default="", metavar="HỌ_TÊN",
                        help=msg.TRAINING_TRAINER_HELP)
    export.set_defaults(handler=_cmd_training_export)


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
    """``treem recheck sample | done | summary`` (phúc tra, ``tui.services.recheck``)."""
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
    """Print a line; stored text in it cannot drive the terminal (escaped); with
    ``TREEM_ASCII=1`` glyphs PuTTY's fonts may lack are replaced."""
    print(_printable(text), flush=True)


def _err(text: str) -> None:
    """Print a line on stderr, escaped as :func:`_out`."""
    print(_printable(text), file=sys.stderr, flush=True)


def _printable(text: str) -> str:
    from tui.terminal.glyphs import ascii_wanted, to_safe

    text = escape_unsafe(text)
    return to_safe(text) if ascii_wanted() else text


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


def open_existing(path: Path) -> RegisterFile:
    """Open the register at ``path``; a :class:`CliError` if there is no file there.

    Faults of the file itself (corrupt, not a register, too new) raise the
    ``tui.errors`` exception that ``main`` reports in Vietnamese.
    """
    from tui.services.registers import open_register

    if not is_url(path) and not path.exists():
        raise CliError(msg.NO_DATABASE.format(path=path), msg.EXIT_DATABASE)
    register = open_register(path)
    if register.disk_full:
        from tui.messages import core as core_msg

        _err(core_msg.DB_DISK_FULL_READ_ONLY)
    return register


def acting_session(register: RegisterFile, args: argparse.Namespace,
                   permission: Permission | tuple[Permission, ...]) -> Session:
    """The identified person the command acts for, allowed ``permission`` (one of them,
    given several).

    A sandbox needs no login (its password-less demo administrator acts); a real
    register needs ``--as USER`` (``args.as_user``) and that user's password (from
    ``args.password_file``, ``TREEM_PASSWORD`` or the keyboard; a forced change reads
    ``args.new_password_file``). Raises :class:`CliError` or the ``tui.errors`` refusal
    (wrong password, locked account, role not allowed).
    """
    from tui.errors import PasswordChangeRequired
    from tui.services import accounts
    from tui.services.policy import allowed
    from tui.services.policy import require as require_one

    choices = permission if isinstance(permission, tuple) else (permission,)
    permission = choices[0]

    def require(session: Session, _first: Permission) -> None:
        if not any(allowed(session, p) for p in choices):
            require_one(session, _first)

    if not getattr(args, "as_user", None):
        if register.sandbox:
            session = accounts.sandbox_session(register.db)
            require(session, permission)
            return session
        raise CliError(
            msg.AS_REQUIRED.format(action=name_of(PERMISSION_NAMES, permission)),
            msg.EXIT_ACCESS,
        )
    username = args.as_user
    password = _read_secret(getattr(args, "password_file", None), ENV_PASSWORD,
                            msg.PROMPT_PASSWORD.format(username=username), confirm=False)
    try:
        session = accounts.login(register.db, username, password)
    except PasswordChangeRequired:
        new_file = getattr(args, "new_password_file", None)
        if not (new_file or os.environ.get(ENV_NEW_PASSWORD)
                or sys.stdin.isatty()):
            raise CliError(msg.MUST_CHANGE_FIRST.format(username=username),
                           msg.EXIT_ACCESS) from None
        _err(msg.MUST_CHANGE_FIRST.format(username=username))
        new = _read_secret(new_file, ENV_NEW_PASSWORD,
                           msg.PROMPT_NEW_PASSWORD.format(username=username), confirm=True)
        session = accounts.change_password(register.db, username, password, new)
        _err(msg.PASSWORD_CHANGED.format(username=username))
    require(session, permission)
    return session


def _acting(args: argparse.Namespace, permission: Permission | tuple[Permission, ...]
            ) -> tuple[RegisterFile, Services]:
    """Open the register of ``args`` and the services of the person acting (the caller
    closes the register)."""
    from tui.services import Services

    register = open_existing(_db_path(args))
    try:
        return register, Services(register.db, acting_session(register, args, permission))
    except BaseException:
        register.close()
        raise


def _file_size(path: Path) -> int:
    return sum(
        Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
    )


# --- subcommands ----------------------------------------------------------------------------
def _cmd_open(args: argparse.Namespace) -> int:
    path = _db_path(args)
    register = open_existing(path)  # faults (corrupt, not ours, too new) reported before the UI
    sandbox = register.sandbox
    register.close()
    return _run_app(path, sandbox=sandbox)


def _run_app(path: Path, *, sandbox: bool) -> int:
    try:
        from tui.app import run_app
    except ImportError as exc:
        if missing_app_module(exc):
            raise  # main() names the module and the [app] extra
        raise CliError(msg.APP_UNAVAILABLE.format(detail=exc), msg.EXIT_USAGE) from exc
    return int(run_app(path, sandbox=sandbox) or 0)


def _holds_register(path: Path) -> bool:
    """True when ``path`` (a file or a PostgreSQL URL) already holds something."""
    if not is_url(path):
        return path.exists() and path.stat().st_size > 0
    from tui.errors import DatabaseMissing
    from tui.services.registers import open_register

    try:
        open_register(path).close()
    except DatabaseMissing:  # empty (or unreachable: init reports it when it tries)
        return False
    return True


def _cmd_init(args: argparse.Namespace) -> int:
    from libchild import catalog
    from tui.services.registers import create_register

    commune = _commune(args.commune)
    path = _db_path(args)
    # A province's PostgreSQL database holds many communes: init on it adds this one
    # (issue 13). A commune's file is never written over.
    adding = _holds_register(path)
    if adding and not is_url(path):
        raise CliError(msg.INIT_EXISTS.format(path=path), msg.EXIT_USAGE)
    password = _read_secret(args.password_file, ENV_ADMIN_PASSWORD,
                            msg.PROMPT_NEW_PASSWORD.format(username=args.admin), confirm=True)
    if adding:
        from tui.services.registers import add_commune

        add_commune(path, commune, admin=args.admin, admin_name=args.admin_name,
                    password=password, province_admin=args.province)
    else:
        create_register(path, commune, admin=args.admin, admin_name=args.admin_name,
                        password=password, province_admin=args.province)
    province = catalog.load().provinces.get(commune.parent)
    _out(msg.INIT_DONE.format(commune=commune.name, province=province.name if province else "",
                              path=path, admin=args.admin))
    return msg.EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from libchild import catalog
    from tui.formatting import decimal
    from tui.services.registers import build_demo, open_register, remove_register

    commune = _commune(args.commune)
    path = _db_path(args, sandbox=True)
    if path.exists() and path.stat().st_size > 0:
        register = open_register(path)  # refuses a file that is not a treem register
        sandbox, children = register.sandbox, register.children()
        register.close()
        if not sandbox:
            raise CliError(msg.DEMO_NOT_SANDBOX.format(path=path), msg.EXIT_USAGE)
        if args.fresh:
            remove_register(path)
        else:
            _out(msg.DEMO_REUSED.format(path=path, children=children))
    if not path.exists() or path.stat().st_size == 0:
        province = catalog.load().provinces.get(commune.parent)
        _out(msg.DEMO_CREATING.format(children=args.children, commune=commune.name,
                                      province=province.name if province else ""))
        summary = build_demo(path, commune, children=args.children, seed=args.seed)
        _out(msg.DEMO_DONE.format(
            path=path, households=summary.households, children=summary.children,
            problems=summary.problems, seconds=decimal(summary.seconds),
            size=msg.size_text(_file_size(path)),
        ))
    _out(msg.DEMO_SANDBOX_NOTE)
    if args.no_ui:
        return msg.EXIT_OK
    return _run_app(path, sandbox=True)


def _cmd_users_add(args: argparse.Namespace) -> int:
    from tui.server import unix_accounts

    register, services = _acting(args, Permission.MANAGE_USERS)
    created: tuple[str, str] | None = None  # (login, group) made by this command
    try:
        password = _read_secret(args.temp_password_file, ENV_USER_PASSWORD,
                                msg.PROMPT_NEW_PASSWORD.format(username=args.username),
                                confirm=True)
        services.users.check_new_account(args.username, password)
        if args.unix is not None and not unix_accounts.unix_account_exists(args.unix.strip()):
            login = args.unix.strip()
            group = unix_accounts.create_unix_account(login, _db_path(args), sys.argv)
            created = (login, group)
        try:
            account = services.users.create(args.username, args.name, args.role, password,
                                            villages=list(args.village),
                                            unix_login=args.unix, commune=args.commune)
        except BaseException:
            if created is not None:
                unix_accounts.remove_created_account(created[0])
            raise
    finally:
        register.close()
    _out(msg.USER_ADDED.format(username=account.username,
                               role=name_of(ROLE_NAMES, account.role)))
    if created is not None:
        import pwd

        _out(server_msg.UNIX_ACCOUNT_CREATED.format(
            login=created[0], group=created[1], home=pwd.getpwnam(created[0]).pw_dir))
    if account.unix_login:
        _out(msg.USER_LINKED.format(unix=account.unix_login, username=account.username))
    return msg.EXIT_OK


def _cmd_users_link(args: argparse.Namespace) -> int:
    register, services = _acting(args, Permission.MANAGE_USERS)
    try:
        account = services.users.link_unix(args.username, args.unix)
    finally:
        register.close()
    _out(msg.USER_LINKED.format(unix=account.unix_login, username=account.username))
    return msg.EXIT_OK


def _linked_unix(services: Any, username: str) -> str | None:
    """The Unix login linked to app account ``username`` (None: none, or no such account)."""
    wanted = username.strip().lower()
    return next((a.unix_login for a in services.users.listing() if a.username == wanted),
                None)


def _cmd_users_unlink(args: argparse.Namespace) -> int:
    register, services = _acting(args, Permission.MANAGE_USERS)
    try:
        unix = _linked_unix(services, args.username)
        account = services.users.link_unix(args.username, None)
    finally:
        register.close()
    _out(msg.USER_UNLINKED.format(username=account.username))
    if unix:
        _out(server_msg.UNIX_ACCOUNT_KEPT.format(login=unix))
    return msg.EXIT_OK


def _user_state(account: Any) -> str:
    if account.disabled:
        return msg.USER_STATE_DISABLED
    states = []
    if account.locked_now:
        states.append(msg.USER_STATE_LOCKED.format(until=account.locked_until[:16]))
    if account.must_change_password:
        states.append(msg.USER_STATE_MUST_CHANGE)
    if account.unix_login:
        states.append(msg.USER_STATE_UNIX.format(unix=account.unix_login))
    return ", ".join(states) or msg.USER_STATE_ACTIVE


def _cmd_users_list(args: argparse.Namespace) -> int:
    register, services = _acting(args, Permission.MANAGE_USERS)
    try:
        accounts = services.users.listing()
        services.audit.record_view("user", "list")
    finally:
        register.close()
    _out(msg.USERS_HEADER.format(**msg.USERS_COLUMNS))
    for account in accounts:
        _out(msg.USERS_HEADER.format(
            username=account.username, full_name=account.full_name,
            role=name_of(ROLE_NAMES, account.role), state=_user_state(account)))
    return msg.EXIT_OK


def _set_disabled(args: argparse.Namespace, disabled: bool) -> int:
    register, services = _acting(args, Permission.MANAGE_USERS)
    try:
        services.users.set_disabled(args.username, disabled)
        unix = _linked_unix(services, args.username)
    finally:
        register.close()
    text = msg.USER_LOCKED if disabled else msg.USER_UNLOCKED
    _out(text.format(username=args.username.strip().lower()))
    if disabled and unix:
        _out(server_msg.UNIX_ACCOUNT_KEPT.format(login=unix))
    return msg.EXIT_OK


def _cmd_users_lock(args: argparse.Namespace) -> int:
    return _set_disabled(args, True)


def _cmd_users_unlock(args: argparse.Namespace) -> int:
    return _set_disabled(args, False)


def _cmd_users_reset(args: argparse.Namespace) -> int:
    register, services = _acting(args, Permission.MANAGE_USERS)
    try:
        if not any(a.username == args.username.strip().lower()
                   for a in services.users.listing()):
            raise CliError(msg.USER_NOT_FOUND.format(username=args.username))
        password = _read_secret(args.temp_password_file, ENV_USER_PASSWORD,
                                msg.PROMPT_NEW_PASSWORD.format(username=args.username),
                                confirm=True)
        services.users.reset_password(args.username, password)
    finally:
        register.close()
    _out(msg.USER_RESET.format(username=args.username.strip().lower()))
    return msg.EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from tui.messages.review import REVIEW_KINDS as TITLES
    from tui.services.review import ReviewItem

    kinds = (*STEP3_KINDS, ReviewKind.AGED_OUT)
    register, services = _acting(args, Permission.REVIEW)
    try:
        settings = services.commune.settings()
        total = register.children()
        counts = {kind: services.review.count(kind) for kind in kinds}
        flags = services.review.flag_counts()
        limit = None if args.json else CHECK_TEXT_ROWS
        lists: dict[ReviewKind, list[ReviewItem]] = {
            kind: list(services.review.all_of(kind, limit=limit)) for kind in kinds}
        services.audit.record_view("review_lists", "check",
                                   counts={str(k): v for k, v in counts.items()})
    finally:
        register.close()
    if args.json:
        _out(json.dumps({
            "commune_code": settings.commune_code if settings else None,
            "children": total,
            "counts": {**{str(k): v for k, v in counts.items()},
                       "errors": flags.errors, "warnings": flags.warnings},
            "lists": {str(kind): [_check_row(item) for item in items]
                      for kind, items in lists.items()},
        }, ensure_ascii=False, indent=1))
    else:
        from datetime import date

        from tui.formatting import age_text, day_text

        today = date.today()
        _out(msg.CHECK_HEADER.format(commune=settings.commune_name if settings else "",
                                     total=total))
        for kind in kinds:
            _out()
            _out(msg.CHECK_LIST_TITLE.format(title=TITLES[kind][0], count=counts[kind]))
            for item in lists[kind]:
                _out(msg.CHECK_ROW.format(
                    id=item.child_id, personal_id=item.personal_id or msg.NO_ID,
                    full_name=item.full_name or msg.NO_NAME,
                    birth_date=day_text(item.birth_date), village=item.village or ""))
                for issue in item.issues:
                    if issue.code in item.codes:
                        _out(msg.CHECK_ISSUE.format(message=issue.message))
                if kind is ReviewKind.AGED_OUT:
                    _out(msg.CHECK_ISSUE.format(message=age_text(item.birth_date, today)))
            if counts[kind] > len(lists[kind]):
                _out(msg.CHECK_MORE.format(count=counts[kind] - len(lists[kind])))
        _out()
        if not any(counts[k] for k in STEP3_KINDS):
            _out(msg.CHECK_NONE)
        if flags.errors:
            _out(msg.CHECK_ERRORS.format(count=flags.errors))
    return msg.EXIT_FINDINGS if flags.errors else msg.EXIT_OK


def _check_row(item: Any) -> dict[str, Any]:
    """One child of ``treem check --json``."""
    return {"id": item.child_id, "personal_id": item.personal_id,
            "full_name": item.full_name, "birth_date": item.birth_date, "sex": item.sex,
            "village": item.village, "state": item.state,
            "issues": [{"code": i.code, "severity": i.severity, "field": i.field,
                        "message": i.message} for i in item.issues]}


def _cmd_recheck_sample(args: argparse.Namespace) -> int:
    from tui.formatting import day_text, decimal
    register, services = _acting(args, Permission.RECHECK)
    try:
        sample = services.recheck.sample(percent=args.percent, seed=args.seed)
        settings = services.commune.settings()
    finally:
        register.close()
    commune_code = settings.commune_code if settings else None
    commune_name = settings.commune_name if settings else ""
    if args.json:
        _out(json.dumps({"commune_code": commune_code, "percent": sample.percent,
                         "children": sample.children, "seed": args.seed,
                         "sample": [{"id": r.id, "full_name": r.full_name,
                                     "birth_date": r.birth_date, "sex": r.sex,
                                     "personal_id": r.personal_id, "village": r.village,
                                     "state": r.state, "entered_by": r.entered_by}
                                    for r in sample.rows]},
                        ensure_ascii=False, indent=1))
        return msg.EXIT_OK
    if not sample.rows:
        _out(msg.RECHECK_SAMPLE_EMPTY)
        return msg.EXIT_OK
    _out(msg.RECHECK_SAMPLE_HEADER.format(
        percent=decimal(sample.percent, None), commune=commune_name,
        count=len(sample.rows), total=sample.children))
    for row in sample.rows:
        _out(msg.RECHECK_SAMPLE_ROW.format(
            id=row.id, personal_id=row.personal_id or msg.NO_ID,
            full_name=row.full_name or msg.NO_NAME, birth_date=day_text(row.birth_date),
            village=row.village or "",
            entered_by=row.entered_by or msg.RECHECK_UNKNOWN_ENTERER))
    return msg.EXIT_OK


def _corrections(items: Sequence[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise CliError(msg.RECHECK_SET_INVALID.format(value=item))
        out[field.strip()] = value.strip() or None
    return out


def _cmd_recheck_done(args: argparse.Namespace) -> int:

    corrections = _corrections(args.corrections)
    if corrections and args.ok:
        raise CliError(msg.RECHECK_SET_NEEDS_DISCREPANCY)
    register, services = _acting(args, Permission.RECHECK)
    try:
        state = services.recheck.record(args.child_id, bool(args.ok), args.discrepancy or "",
                                        corrections or None)
    finally:
        register.close()
    text = msg.RECHECK_DONE_OK if args.ok else msg.RECHECK_DONE_DISCREPANCY
    _out(text.format(child_id=args.child_id, state=name_of(STATE_NAMES, state)))
    return msg.EXIT_OK


def _cmd_recheck_summary(args: argparse.Namespace) -> int:
    from tui.formatting import percent

    register, services = _acting(args, Permission.RECHECK)
    try:
        rows = services.recheck.summary()
        stats = services.recheck.statistics()
    finally:
        register.close()
    if args.json:
        _out(json.dumps([{"enterer": r.enterer, "name": r.name, "checked": r.checked,
                          "discrepancies": r.discrepancies, "rate": r.rate} for r in rows],
                        ensure_ascii=False, indent=1))
        return msg.EXIT_OK
    if not rows:
        _out(msg.RECHECK_SUMMARY_EMPTY)
        return msg.EXIT_OK
    _out(msg.RECHECK_SUMMARY_HEADER.format(**msg.RECHECK_SUMMARY_COLUMNS))
    for row in rows:
        _out(msg.RECHECK_SUMMARY_HEADER.format(
            name=row.name or msg.RECHECK_UNKNOWN_ENTERER, checked=row.checked,
            discrepancies=row.discrepancies,
            rate=percent(row.rate)))
    if stats.records:
        _keyer_lines(stats)
    return msg.EXIT_OK


def _keyer_lines(stats: Any) -> None:
    """The blind re-checks' error rates (``tui.training.keyer_stats``) per enterer and
    per field: errors among the fields compared."""
    from tui.formatting import percent
    from tui.messages import training as training_msg
    _out(msg.RECHECK_KEYER_TITLE.format(records=stats.records))
    for row in stats.enterers:
        _out(msg.RECHECK_KEYER_ROW.format(
            name=row.enterer, errors=row.rate.errors, checked=row.rate.checked,
            rate=percent(row.rate.rate)))
    for row in stats.fields:
        if row.rate.errors:
            _out(msg.RECHECK_KEYER_FIELD.format(
                field=training_msg.field_label(row.field), errors=row.rate.errors,
                checked=row.rate.checked, rate=percent(row.rate.rate)))
    if stats.unresolved:
        _out(msg.RECHECK_KEYER_UNRESOLVED.format(count=stats.unresolved))


def _cmd_training_list(args: argparse.Namespace) -> int:
    from tui.training.loader import ScenarioError, load_shipped
    try:
        scenarios = load_shipped()
    except ScenarioError as exc:
        raise CliError(str(exc), msg.EXIT_DATABASE) from exc
    if args.json:
        _out(json.dumps([{"id": s.id, "level": s.level, "title": s.title,
                          "pages": len(s.pages), "lessons": len(s.lessons),
                          "reference_date": s.reference_date.isoformat()}
                         for s in scenarios], ensure_ascii=False, indent=1))
        return msg.EXIT_OK
    for scenario in scenarios:
        _out(msg.TRAINING_LIST_ROW.format(level=scenario.level, id=scenario.id,
                                          title=scenario.title, pages=len(scenario.pages),
                                          lessons=len(scenario.lessons)))
    return msg.EXIT_OK


def _cmd_training_print(args: argparse.Namespace) -> int:
    from exports.errors import SpreadsheetError
    from tui.training.loader import ScenarioError, find_scenario, load_scenario
    from tui.training.print import PrintError, print_pages, write_answer_key
    out = Path(args.out)
    if args.key and out.suffix.lower() != ".xlsx":
        raise CliError(msg.TRAINING_KEY_XLSX_ONLY.format(out=args.out))
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise CliError(msg.TRAINING_OUT_KIND.format(out=args.out))
    try:
        scenario = load_scenario(find_scenario(args.scenario))
    except ScenarioError as exc:
        raise CliError(str(exc)) from exc
    try:
        written = write_answer_key(scenario, out) if args.key else print_pages(scenario, out)
    except (PrintError, SpreadsheetError) as exc:
        raise CliError(str(exc), msg.EXIT_DATABASE) from exc
    except OSError as exc:
        raise CliError(msg.TRAINING_WRITE_FAILED.format(
            out=args.out, reason=exc.strerror or exc), msg.EXIT_DATABASE) from exc
    text = msg.TRAINING_KEY_WRITTEN if args.key else msg.TRAINING_PAGES_WRITTEN
    _out(text.format(out=written, id=scenario.id, pages=len(scenario.pages)))
    return msg.EXIT_OK


def _cmd_training_start(args: argparse.Namespace) -> int:
    from tui.services.training import start_session
    started = start_session(args.dir, args.scenario, args.trainees, prefix=args.prefix)
    session = started.session
    _out(msg.TRAINING_STARTED.format(id=session.scenario_id, count=len(session.trainees),
                                     folder=session.folder))
    for trainee in session.trainees:
        _out(msg.TRAINING_STARTED_ROW.format(username=trainee.username,
                                             folder=session.folder))
    _out(msg.TRAINING_PASSWORDS_AT.format(path=started.passwords_file))
    return msg.EXIT_OK


def _cmd_training_status(args: argparse.Namespace) -> int:
    from tui.formatting import percent
    from tui.messages import training as training_msg
    from tui.services.training import session_status
    from tui.training.results import room_errors
    status = session_status(args.dir)
    common = room_errors(t.result for t in status.trainees)
    if args.json:
        _out(json.dumps({
            "scenario_id": status.scenario.id, "folder": str(status.session.folder),
            "trainees": [{"username": t.username, "full_name": t.full_name,
                          "children_entered": t.children_entered,
                          "children_expected": t.children_expected,
                          "accuracy": t.result.accuracy, "checked": t.result.checked,
                          "correct": t.result.correct, "missed": len(t.result.missed),
                          "extra": len(t.result.extra), "to_fix": len(t.result.to_fix),
                          "keys_per_child": t.result.keys_per_child,
                          "seconds_per_child": t.result.seconds_per_child}
                         for t in status.trainees],
            "room_errors": [{"field": r.field, "kind": r.kind.value, "count": r.count,
                             "trainees": r.trainees} for r in common]},
            ensure_ascii=False, indent=1))
        return msg.EXIT_OK
    _out(msg.TRAINING_STATUS_HEADER.format(title=status.scenario.title,
                                           folder=status.session.folder))
    for t in status.trainees:
        keys = t.result.keys_per_child
        _out(msg.TRAINING_STATUS_ROW.format(
            username=t.username, entered=t.children_entered, expected=t.children_expected,
            accuracy=percent(t.result.accuracy), to_fix=len(t.result.to_fix),
            keys="—" if keys is None else f"{keys:.0f}"))
    for r in common:
        _out(msg.TRAINING_ROOM_ERROR.format(
            field=training_msg.field_label(r.field),
            kind=training_msg.ERROR_KINDS[r.kind.value], count=r.count, trainees=r.trainees))
    return msg.EXIT_OK


def _cmd_training_join(args: argparse.Namespace) -> int:
    from tui.services.training import join_session
    seat = join_session(args.dir, args.trainee)  # refusals said before the screen
    try:
        from tui.app import run_app
    except ImportError as exc:
        if missing_app_module(exc):
            raise  # main() names the module and the [app] extra
        raise CliError(msg.APP_UNAVAILABLE.format(detail=exc), msg.EXIT_USAGE) from exc
    return int(run_app(seat.register, sandbox=True, seat=seat) or 0)


def _cmd_training_dashboard(args: argparse.Namespace) -> int:
    from tui.services.training import read_session
    read_session(args.dir)  # a folder without a session is refused before the screen
    from tui.screens.training_dashboard import run_dashboard
    run_dashboard(args.dir)
    return msg.EXIT_OK


def _cmd_training_export(args: argparse.Namespace) -> int:
    from exports.errors import SpreadsheetError
    from tui.services.training import export_session, session_status
    if Path(args.out).suffix.lower() != ".xlsx":
        raise CliError(msg.TRAINING_KEY_XLSX_ONLY.format(out=args.out))
    status = session_status(args.dir)
    try:
        written = export_session(status, args.out, trainer=args.trainer,
                                 pass_mark=args.pass_mark / 100)
    except SpreadsheetError as exc:
        raise CliError(str(exc), msg.EXIT_DATABASE) from exc
    passed = sum(1 for t in status.trainees if t.result.accuracy >= args.pass_mark / 100)
    _out(msg.TRAINING_EXPORTED.format(out=written, count=len(status.trainees), passed=passed))
    return msg.EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from tui.messages import core as core_msg
    from tui.services.audit import HeadNotFound, normalize_code

    since = None
    if args.since is not None:
        if not args.verify:
            raise CliError(msg.AUDIT_SINCE_NEEDS_VERIFY, msg.EXIT_USAGE)
        since = normalize_code(args.since)
        if since is None:
            raise CliError(core_msg.AUDIT_SINCE_BAD.format(code=args.since), msg.EXIT_USAGE)
    # a province administrator checks the communes' chains without reading the log
    register, services = _acting(args, (Permission.VIEW_AUDIT, Permission.MANAGE_COMMUNES)
                                 if args.verify else Permission.VIEW_AUDIT)
    try:
        if args.head:
            head = services.audit.head()
            _out(msg.AUDIT_HEAD.format(code=head.code, entry_id=head.entry_id))
            return msg.EXIT_OK
        if args.verify and services.session.role.is_province:
            return _verify_communes(services, args.commune)
        if args.commune is not None and args.commune != services.session.scope.commune:
            raise CliError(msg.AUDIT_COMMUNE_NOT_YOURS.format(commune=args.commune),
                           msg.EXIT_USAGE)
        if args.verify:
            try:
                found = services.audit.verify(since=since)
            except HeadNotFound:
                _out(core_msg.AUDIT_SINCE_NOT_FOUND.format(code=since))
                return msg.EXIT_FINDINGS
            if found.problems:
                for problem in found.problems:
                    _out(problem)
                _out(msg.AUDIT_BROKEN.format(count=len(found.problems)))
                return msg.EXIT_FINDINGS
            _out(core_msg.AUDIT_OK.format(count=found.entries))
            if not found.keyed:
                _out(core_msg.AUDIT_NOT_KEYED)
            if since is not None:
                _out(core_msg.AUDIT_SINCE_OK.format(code=since, entry_id=found.since_entry))
            return msg.EXIT_OK
        entries = services.audit.recent(child_id=args.child, limit=args.limit)
    finally:
        register.close()
    if not entries:
        _out(msg.AUDIT_EMPTY)
    from tui.formatting import when

    for entry in entries:
        record = f" #{entry.record_id}" if entry.record_id is not None else ""
        change = ""
        if entry.field:
            before = _audit_value(entry.old)
            after = _audit_value(entry.new)
            change = f" {entry.field}: {before} → {after}"
        _out(msg.AUDIT_ROW.format(id=entry.id, at=when(entry.at), username=entry.username or "-",
                                  action=entry.action, entity=entry.entity, record=record,
                                  change=change))
    return msg.EXIT_OK


def _verify_communes(services: Services, commune: str | None) -> int:
    """``treem audit --verify`` of a province administrator: each commune's chain."""
    from tui.messages import core as core_msg

    broken = 0
    for code, found in services.audit.verify_communes(commune):
        for problem in found.problems:
            _out(msg.AUDIT_COMMUNE_PROBLEM.format(commune=code, problem=problem))
        if found.problems:
            broken += 1
            _out(msg.AUDIT_COMMUNE_BROKEN.format(commune=code, count=len(found.problems)))
        else:
            _out(msg.AUDIT_COMMUNE_OK.format(
                commune=code, text=core_msg.AUDIT_OK.format(count=found.entries)))
    return msg.EXIT_FINDINGS if broken else msg.EXIT_OK


def _audit_value(value: Any) -> str:
    """A logged value as the log stores it (JSON), "∅" for none."""
    if value is None:
        return "∅"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _cmd_backup(args: argparse.Namespace) -> int:

    out = Path(args.out).expanduser()
    register, services = _acting(args, Permission.MANAGE_SETTINGS)
    try:
        if out.exists():
            raise CliError(msg.BACKUP_EXISTS.format(path=out))
        result = services.backup.backup(out)
    finally:
        register.close()
    _out(msg.BACKUP_DONE.format(children=result.children, path=out, size=msg.size_text(
        out.stat().st_size)))
    return msg.EXIT_OK


def _cmd_migrate(args: argparse.Namespace) -> int:
    """``treem migrate SOURCE --to TARGET``: the whole register, checked (one transaction)."""
    from tui.errors import MigrationRefused
    from tui.formatting import decimal
    from tui.services.migration import TargetState, export_commune, migrate_register

    named = args.from_db or args.source
    if not named or (args.from_db and args.source):
        raise CliError(msg.MIGRATE_ONE_SOURCE, msg.EXIT_USAGE)
    source = named if is_url(named) else Path(named).expanduser()
    target = args.to if is_url(args.to) else Path(args.to).expanduser()
    if not is_url(source) and not source.exists():
        raise CliError(msg.NO_DATABASE.format(path=source), msg.EXIT_DATABASE)
    try:
        if args.commune:  # one commune out of a province's database (issue 13)
            result = export_commune(source, args.commune, target, dry_run=args.dry_run)
        else:
            result = migrate_register(source, target, dry_run=args.dry_run)
    except MigrationRefused as exc:
        raise CliError(str(exc), msg.EXIT_USAGE) from exc
    if result.dry_run:
        state = {TargetState.NEW: msg.MIGRATE_STATE_NEW, TargetState.EMPTY:
                 msg.MIGRATE_STATE_EMPTY, TargetState.SAME: msg.MIGRATE_STATE_SAME}
        _out(msg.MIGRATE_PLAN.format(source=result.source, target=result.target,
                                     state=state[result.state]))
        for table in result.tables:
            _out(msg.MIGRATE_TABLE_ROW.format(
                table=table.name, label=msg.TABLE_LABELS.get(table.name, ""),
                rows=table.rows))
        _out(msg.MIGRATE_TOTAL.format(rows=result.rows, tables=len(result.tables),
                                      entries=result.audit_entries))
    elif not result.moved:
        _out(msg.MIGRATE_ALREADY.format(source=result.source, target=result.target,
                                        rows=result.rows))
    else:
        _out(msg.MIGRATE_DONE.format(source=result.source, target=result.target,
                                     rows=result.rows, tables=len(result.tables),
                                     entries=result.audit_entries,
                                     seconds=decimal(result.seconds)))
    return msg.EXIT_OK


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
    """``treem export | import | report``: dispatched to their own modules."""
    argv, db_option = _take_db_option(list(args.argv))
    if db_option is not None:
        args.db = db_option
    forwarded = argparse.Namespace(db=_db_path(args), argv=argv, command=args.command)
    if args.command == "report":
        from tui import cli_reports

        return int(cli_reports.main_report(forwarded) or 0)
    from tui import cli_spreadsheets

    entry = (cli_spreadsheets.main_export if args.command == "export"
             else cli_spreadsheets.main_import)
    return int(entry(forwarded) or 0)


def _cmd_server(args: argparse.Namespace) -> int:
    """``treem server setup | run``: dispatched to ``tui.server.cli``."""
    from tui.server.cli import main as server_main

    return server_main(args.argv)


# --- entry point ----------------------------------------------------------------------------
def _exit_code(exc: BaseException) -> int | None:
    """The exit code of a ``tui.errors`` fault, or None if ``exc`` is not one."""
    if "tui.errors" not in sys.modules:
        return None
    from tui import errors

    if not isinstance(exc, errors.TreemError):
        return None
    if isinstance(exc, errors.PermissionDenied | errors.LoginFailed | errors.AccountLocked
                  | errors.PasswordChangeRequired | errors.SessionExpired):
        return msg.EXIT_ACCESS
    if isinstance(exc, errors.AuditKeyError):
        return msg.EXIT_AUDIT_KEY
    if isinstance(exc, errors.InvalidInput | errors.NotFound | errors.ValidationFailed
                  | errors.Conflict | errors.BackupFailed):
        return msg.EXIT_USAGE
    return msg.EXIT_DATABASE


def _report_held_audit() -> None:
    """Say how many audit entries of read actions die with this process (the register's
    disk stayed full: see ``tui.services.held_audit``)."""
    held = sys.modules.get("tui.services.held_audit")
    if held is not None and held.held():
        from tui.messages import core as core_msg

        _err(core_msg.AUDIT_HELD_AT_EXIT.format(count=held.held()))


#: The packages of this distribution; a module missing from anywhere else is a dependency
#: of the ``[app]`` extra that was not installed (``pip install .`` without ``[app]``).
OWN_PACKAGES = frozenset({"tui", "libchild", "exports"})


def missing_app_module(exc: ImportError) -> str | None:
    """The third-party module whose absence raised ``exc``, or None if it is not that."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    top = exc.name.partition(".")[0]
    return None if top in OWN_PACKAGES else top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``treem`` command line; return the exit code (see ``treem --help``)."""
    try:
        return _main(argv)
    except ModuleNotFoundError as exc:
        module = missing_app_module(exc)
        if module is None:
            raise
        _err(msg.APP_NOT_INSTALLED.format(module=module))
        return msg.EXIT_USAGE


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["report"]:
        args = argparse.Namespace(command="report", argv=words[1:], db=None,
                                  handler=_cmd_spreadsheets)
    else:
        args = parser.parse_args(words)
    try:
        code = int(args.handler(args))
        _report_held_audit()
        return code
    except CliError as exc:
        _err(str(exc))
        return exc.code
    except KeyboardInterrupt:
        _err(msg.INTERRUPTED)
        return 130
    except OSError as exc:  # a file the command reads or writes: never the OS's English
        from exports.messages import os_reason

        _err(msg.FILE_FAILED.format(path=exc.filename or "", reason=os_reason(exc.errno)))
        return msg.EXIT_USAGE
    except Exception as exc:
        code = _exit_code(exc)
        if code is None:
            raise
        _err(str(exc))
        return code


if __name__ == "__main__":
    # Run the imported ``tui.cli`` rather than this ``__main__`` copy, so that modules which
    # raise ``tui.cli.CliError`` (tui.cli_spreadsheets) raise the class that ``main``
    # catches.
    from tui.cli import main as _main

    sys.exit(_main())
