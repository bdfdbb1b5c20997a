"""``treem report``: the plan's indicators on the register, as text, JSON or a workbook;
``treem report merge``: the province's report from its communes' workbooks.

``tui.cli`` forwards the words after ``report`` here::

    treem report [--plan ID] [--as-of DATE] [--periods N] [--out FILE.xlsx] [--json]
                 [--communes CODE,CODE | --province] [--as USER [--password-file FILE]]
    treem report merge FILE.xlsx... --out PROVINCE.xlsx [--province NAME]

The figures come from ``tui.services.reports`` (the same evaluation the report screen
shows and the workbook writes; with ``--communes``/``--province`` counted by the
database, one commune by village or several added up into the province report); the
merge is ``exports.report_merge.run_merge`` and needs no register. Texts are in
``tui.messages.reports``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from exports.errors import SpreadsheetError
from exports.report import DEFAULT_PLAN
from exports.report_data import to_document
from libchild.dates import parse_date
from libchild.indicators import Evaluation, load_plans
from tui.cli import CliError, Parser, acting_session, open_existing
from tui.domain import Permission
from tui.messages import reports as texts
from tui.services import Services
from tui.services.reports import DEFAULT_PERIODS, MAX_PERIODS, indicator_lines

__all__ = ["build_merge_parser", "build_report_parser", "main_report", "report_json",
           "text_lines"]

_t = texts.text


def _day(text: str) -> object:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_t("bad_date", value=text)) from None


def _periods(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PERIODS:
        raise argparse.ArgumentTypeError(_t("bad_number", value=text, most=MAX_PERIODS))
    return value


def _communes(text: str) -> list[str]:
    codes = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not codes or not all(c.isdigit() and len(c) == 5 for c in codes):
        raise argparse.ArgumentTypeError(_t("bad_communes", value=text))
    return codes


def build_report_parser() -> argparse.ArgumentParser:
    """The arguments of ``treem report``."""
    parser = Parser(prog="treem report", description=_t("help.report"))
    parser.add_argument("--plan", default=DEFAULT_PLAN, metavar="MÃ",
                        help=_t("help.plan", default=DEFAULT_PLAN,
                                known=", ".join(sorted(load_plans()))))
    parser.add_argument("--as-of", type=_day, metavar="NGÀY", help=_t("help.as_of"))
    parser.add_argument("--periods", type=_periods, default=DEFAULT_PERIODS, metavar="N",
                        help=_t("help.periods", default=DEFAULT_PERIODS))
    parser.add_argument("--out", metavar="TỆP.xlsx", help=_t("help.out"))
    parser.add_argument("--json", action="store_true", help=_t("help.json"))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--communes", type=_communes, metavar="MÃ,MÃ", help=_t("help.communes"))
    where.add_argument("--province", action="store_true", help=_t("help.whole_province"))
    parser.add_argument("--as", dest="as_user", metavar="TÊN",
                        help="tài khoản thực hiện (bắt buộc với sổ thật)")
    parser.add_argument("--password-file", metavar="TỆP",
                        help="tệp chứa mật khẩu của tài khoản")
    parser.add_argument("--new-password-file", metavar="TỆP", help=argparse.SUPPRESS)
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", default=None, help=argparse.SUPPRESS)
    return parser


def build_merge_parser() -> argparse.ArgumentParser:
    """The arguments of ``treem report merge``."""
    parser = Parser(prog="treem report merge", description=_t("help.merge"))
    parser.add_argument("files", nargs="+", metavar="TỆP.xlsx", help=_t("help.files"))
    parser.add_argument("--out", required=True, metavar="TỆP.xlsx",
                        help=_t("help.merge_out"))
    parser.add_argument("--province", metavar="TÊN", help=_t("help.province"))
    return parser


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 6)


def report_json(evaluation: Evaluation) -> dict[str, Any]:
    """What ``--json`` prints: the workbook's canonical figures document (every period,
    village or commune and breakdown) and, for the current period, each indicator's
    value, target, status and change (values rounded to 6 places, as in the workbook)."""
    if evaluation.area_kind == "commune":
        document = to_document(evaluation, kind="province",
                               communes=sorted(evaluation.area_names))
    else:
        document = to_document(evaluation)
    document["indicators"] = [{
        "id": line.id, "name": line.name, "source": line.source, "unit": line.unit,
        "numerator": line.numerator, "denominator": line.denominator,
        "value": _number(line.value), "display": line.display, "target": line.target,
        "met": line.met, "previous": _number(line.previous),
        "change": _number(line.change),
    } for line in indicator_lines(evaluation)]
    document["period"] = {"key": evaluation.current.period.key,
                          "label": evaluation.current.period.label}
    return document


def text_lines(evaluation: Evaluation) -> list[str]:
    """The report as lines of Vietnamese text (what ``treem report`` prints)."""
    lines = [_t("cli.title", plan=evaluation.plan.name, area=evaluation.area.name,
                period=evaluation.current.period.label), ""]
    for line in indicator_lines(evaluation):
        target = ""
        if line.target:
            met = (_t("no_value") if line.met is None
                   else _t("met") if line.met else _t("not_met"))
            target = _t("cli.target", target=line.target, met=met)
        previous = (_t("cli.previous", previous=line.previous_display)
                    if evaluation.previous is not None else "")
        lines.append(_t("cli.line", name=line.name, value=line.display,
                        numerator=line.numerator, denominator=line.denominator,
                        target=target, previous=previous))
    withheld = sum(1 for n in evaluation.plan.not_computed if n.reason == _t("withheld"))
    lines.append("")
    if evaluation.no_birth_date:
        lines.append(_t("cli.no_birth_date", count=evaluation.no_birth_date))
    if withheld:
        lines.append(_t("cli.withheld", count=withheld))
    if len(evaluation.plan.not_computed) > withheld:
        lines.append(_t("cli.not_computed",
                        count=len(evaluation.plan.not_computed) - withheld))
    return lines


def _merge(argv: list[str]) -> int:
    from exports.report_merge import run_merge

    options = build_merge_parser().parse_args(argv)
    try:
        summary = run_merge([str(Path(f).expanduser()) for f in options.files],
                            str(Path(options.out).expanduser()),
                            province_name=options.province)
    except SpreadsheetError as exc:
        raise CliError(str(exc)) from exc
    print(summary, flush=True)
    return 0


def main_report(args: argparse.Namespace) -> int:
    """``treem report ...`` / ``treem report merge ...`` (see the module docstring)."""
    argv = list(args.argv)
    if argv[:1] == ["merge"]:
        return _merge(argv[1:])
    options = build_report_parser().parse_args(argv)
    options.db = options.db or args.db
    register = open_existing(Path(options.db).expanduser())
    try:
        services = Services(register.db,
                            acting_session(register, options, Permission.REPORTS))
        if options.communes or options.province:  # counted by the database
            evaluation = services.reports.communes_report(
                options.plan, options.as_of, options.periods, communes=options.communes)
        else:
            evaluation = services.reports.evaluate(options.plan, options.as_of,
                                                   options.periods)
        if options.out:
            out = Path(options.out).expanduser()
            services.reports.export(out, options.plan, evaluation=evaluation)
    except SpreadsheetError as exc:
        raise CliError(str(exc)) from exc
    finally:
        register.close()
    if options.json:
        print(json.dumps(report_json(evaluation), ensure_ascii=False, sort_keys=True),
              flush=True)
    else:
        for line in text_lines(evaluation):
            print(line, flush=True)
    if options.out:
        message = _t("cli.written", plan=evaluation.plan.id,
                     period=evaluation.current.period.label, path=options.out)
        if options.json:
            print(message, file=sys.stderr, flush=True)
        else:
            print(message, flush=True)
    return 0
