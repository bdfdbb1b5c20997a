"""``treem export`` and ``treem import``: arguments, confirmation and printing.

``tui.cli`` forwards the words after ``export`` / ``import`` here::

    treem export police|cleaning|full|report --out FILE.xlsx [--as-of DATE] [--sensitive]
    treem import police FILE.xlsx [--batch ID]
    treem import children FILE.xlsx [--mapping FILE] [--save-mapping FILE] [--dry-run]
                 [--yes] [--errors FILE] [--legacy auto|tcvn3|vni|none] [--sheet NAME]

each with ``--as USER [--password-file FILE]`` on a real register. The work itself is
``tui.services.transfer``, the same operations the spreadsheet screen calls; the texts
are in ``tui.messages.spreadsheets``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exports.columns import save_mapping
from exports.errors import SpreadsheetError
from libchild.dates import parse_date
from libchild.text.controls import escape_unsafe
from tui.cli import CliError, Parser, acting_session, open_existing
from tui.domain import ExportKind, Permission
from tui.messages import spreadsheets as texts
from tui.paths import scratch_dir
from tui.services import Services
from tui.services.transfer import SHOWN_PROBLEMS, default_errors_path, preview_lines

__all__ = ["build_export_parser", "build_import_parser", "main_export", "main_import"]

#: The permission each export kind needs to act (``--sensitive`` also needs
#: ``export_personal``, checked by the export itself).
EXPORT_PERMISSIONS: dict[ExportKind, Permission] = {
    ExportKind.POLICE: Permission.MAKE_POLICE_BATCH,
    ExportKind.REPORT: Permission.REPORTS,
    ExportKind.FULL: Permission.EXPORT_PERSONAL,
    ExportKind.CLEANING: Permission.EXPORT_PERSONAL,
}


def _t(code: str, **values: object) -> str:
    return texts.text(code, **values)


def _auth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="TÊN", help=_t("help.as"))
    parser.add_argument("--password-file", metavar="TỆP", help=_t("help.password_file"))
    parser.add_argument("--new-password-file", metavar="TỆP", help=argparse.SUPPRESS)
    # ``treem export full --db X`` as well as ``treem export --db X full``
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", default=None, help=argparse.SUPPRESS)


def _day(text: str) -> object:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_t("bad_date", value=text)) from None


def build_export_parser() -> argparse.ArgumentParser:
    """The arguments of ``treem export``."""
    parser = Parser(prog="treem export", description=_t("help.export"))
    parser.add_argument("kind", choices=[str(k) for k in ExportKind], metavar="LOẠI",
                        help=_t("help.kind"))
    parser.add_argument("--out", required=True, metavar="TỆP.xlsx", help=_t("help.out"))
    parser.add_argument("--as-of", type=_day, metavar="NGÀY", help=_t("help.as_of"))
    parser.add_argument("--sensitive", action="store_true", help=_t("help.sensitive"))
    _auth_arguments(parser)
    return parser


def build_import_parser() -> argparse.ArgumentParser:
    """The arguments of ``treem import``."""
    parser = Parser(prog="treem import", description=_t("help.import"))
    parser.add_argument("kind", choices=("police", "children"), metavar="LOẠI",
                        help=_t("help.import_kind"))
    parser.add_argument("file", metavar="TỆP.xlsx", help=_t("help.file"))
    parser.add_argument("--batch", metavar="MÃ_ĐỢT", help=_t("help.batch"))
    parser.add_argument("--mapping", metavar="TỆP.json", help=_t("help.mapping"))
    parser.add_argument("--save-mapping", metavar="TỆP.json", help=_t("help.save_mapping"))
    parser.add_argument("--dry-run", action="store_true", help=_t("help.dry_run"))
    parser.add_argument("--yes", action="store_true", help=_t("help.yes"))
    parser.add_argument("--errors", metavar="TỆP.xlsx", help=_t("help.errors"))
    parser.add_argument("--legacy", choices=("auto", "tcvn3", "vni", "none"), default=None,
                        help=_t("help.legacy"))
    parser.add_argument("--ethnicity-numbering", choices=("1979",), default=None,
                        help=_t("help.ethnicity_numbering"))
    parser.add_argument("--sheet", metavar="TÊN", help=_t("help.sheet"))
    _auth_arguments(parser)
    return parser


def _out(text: str) -> None:
    print(escape_unsafe(text), flush=True)


def main_export(args: argparse.Namespace) -> int:
    """``treem export KIND --out FILE``: write the spreadsheet, audit it, print a summary."""
    options = build_export_parser().parse_args(list(args.argv))
    options.db = options.db or args.db
    kind = ExportKind(options.kind)
    register = open_existing(Path(options.db).expanduser())
    try:
        services = Services(register.db,
                            acting_session(register, options, EXPORT_PERMISSIONS[kind]))
        result = services.transfer.export(kind, Path(options.out).expanduser(),
                                          as_of=options.as_of, sensitive=options.sensitive)
    except SpreadsheetError as exc:
        raise CliError(str(exc)) from exc
    finally:
        register.close()
    _out(result.summary())
    return 0


def main_import(args: argparse.Namespace) -> int:
    """``treem import police|children FILE``: read, check, show, store in one transaction."""
    options = build_import_parser().parse_args(list(args.argv))
    options.db = options.db or args.db
    register = open_existing(Path(options.db).expanduser())
    try:
        if options.kind == "police":
            services = Services(register.db,
                                acting_session(register, options, Permission.POLICE_LISTS))
            result = services.transfer.import_police(Path(options.file).expanduser(),
                                                     options.batch)
            for line in result.lines():
                _out(line)
            return 0
        services = Services(register.db,
                            acting_session(register, options, Permission.EDIT_CHILD))
        return _import_children(services, options)
    except SpreadsheetError as exc:
        raise CliError(str(exc)) from exc
    finally:
        register.close()


def _import_children(services: Services, options: argparse.Namespace) -> int:
    path = Path(options.file).expanduser()
    plan, import_options = services.transfer.plan_children_import(
        path, mapping=options.mapping, legacy=options.legacy,
        ethnicity_numbering=options.ethnicity_numbering, sheet=options.sheet)
    if options.save_mapping:
        save_mapping(options.save_mapping, plan.columns,
                     {"legacy": import_options.legacy,
                      "ethnicity_numbering": import_options.ethnicity_numbering},
                     scratch=scratch_dir())
    for line in preview_lines(plan.preview(SHOWN_PROBLEMS)):
        _out(line)
    errors_path = (Path(options.errors).expanduser() if options.errors
                   else default_errors_path(path))
    if options.dry_run:
        if plan.rejected:
            services.transfer.write_rejected(plan, errors_path)
            _out(_t("errors_written", rows=len(plan.rejected), path=errors_path))
        _out(_t("dry_run"))
        return 0
    if plan.accepted and not options.yes:
        if not sys.stdin.isatty():
            raise CliError(_t("confirm_needed"))
        answer = input(_t("confirm", rows=len(plan.accepted))).strip().lower()
        if answer not in ("c", "co", "có", "y", "yes"):
            _out(_t("cancelled"))
            return 0
    result = services.transfer.commit_children_import(plan, import_options, errors_path)
    for line in result.lines():
        _out(line)
    return 0
