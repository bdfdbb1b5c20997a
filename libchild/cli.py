"""The command line for other projects: ``python -m libchild check FILE``.

FILE is CSV (UTF-8, with or without BOM) or JSON lines, with the canonical field
names of libchild.model (docs/rules.md). In CSV, ``circumstances`` is a list of codes
separated by ``;`` and ``supports`` a list of ``FORM DATE`` items separated by ``;``
(a JSON array in the cell works too). The report is Vietnamese; ``--json`` gives the
same facts for machines. Exit status: 0 no record has an error, 1 some record has an
error, 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from libchild.argparse_vi import Parser
from libchild.dates import format_date, parse_date
from libchild.messages import ARGPARSE, CLI, FIELD_LABELS, RECORD_LABEL
from libchild.model import CANONICAL_FIELDS

__all__ = ["main"]

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class Unreadable(Exception):
    """The input file cannot be read; the message is for the user (Vietnamese)."""


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m libchild", description=CLI["description"])
    commands = parser.add_subparsers(dest="command", required=True,
                                     title=ARGPARSE["commands_title"],
                                     metavar=ARGPARSE["command_metavar"])
    check = commands.add_parser("check", help=CLI["check_help"], description=CLI["check_help"])
    check.add_argument("file", type=Path, metavar=CLI["file_metavar"], help=CLI["file_help"])
    check.add_argument("--json", action="store_true", help=CLI["json_help"])
    check.add_argument("--on", metavar=CLI["on_metavar"], help=CLI["on_help"])
    return parser


def _json_cell(value: str) -> Any:
    stripped = value.strip()
    if stripped.startswith("["):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    return value


def read_records(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, record) from a CSV or JSON lines file; raise Unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Unreadable(CLI["not_found"].format(path)) from None
    except OSError as exc:
        raise Unreadable(CLI["unreadable"].format(path, exc.strerror or exc)) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Unreadable(CLI["not_utf8"].format(path, line)) from None
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or content.lstrip().startswith("{"):
        yield from _read_jsonl(path, content)
    else:
        yield from _read_csv(path, content)


def _read_jsonl(path: Path, content: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise Unreadable(CLI["bad_json"].format(number, path, exc)) from None
        if not isinstance(record, dict):
            raise Unreadable(CLI["not_object"].format(number, path))
        yield number, record


def _read_csv(path: Path, content: str) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(content.splitlines(keepends=True))
    try:
        header = next(reader, None)
        if header is None or not set(CANONICAL_FIELDS) & {h.strip() for h in header}:
            raise Unreadable(CLI["no_columns"].format(path))
        columns = [h.strip() for h in header]
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                record = {
                    name: _json_cell(cell) if name in ("circumstances", "supports") else cell
                    for name, cell in zip(columns, row, strict=False)
                }
                yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise Unreadable(CLI["bad_csv"].format(path, reader.line_num, exc)) from None


def _as_dict(found: Any) -> dict[str, Any]:
    return {
        "code": found.code, "severity": found.severity, "field": found.field,
        "message": found.message, "hint": found.hint,
        "message_en": found.message_en, "hint_en": found.hint_en,
    }


def check(path: Path, on: date) -> dict[str, Any]:
    """Validate every record of ``path``; return the report as plain data."""
    from libchild.ids import cccd
    from libchild.issues import issue
    from libchild.rules import validate

    duplicate = issue("personal_id.duplicate")
    lines_by_id: dict[str, list[int]] = {}
    records = []
    for line, record in read_records(path):
        issues = validate(record, on=on)
        pid = record.get("personal_id")
        if isinstance(pid, str | int) and cccd.is_valid(str(pid)):
            lines_by_id.setdefault(cccd.compact(str(pid)), []).append(line)
        name = record.get("full_name")
        records.append({
            "line": line,
            "full_name": name if isinstance(name, str) else None,
            "issues": [_as_dict(i) for i in issues],
        })
    # One number belongs to one person: the same number on two children is an error.
    by_line = {r["line"]: r for r in records}
    for lines in lines_by_id.values():
        if len(lines) > 1:
            for line in lines:
                entry = by_line[line]
                entry["issues"].insert(0, _as_dict(duplicate))
                entry["same_id_as"] = [x for x in lines if x != line]
    by_code: Counter[str] = Counter()
    severities: dict[str, str] = {}
    with_errors = only_warnings = 0
    for entry in records:
        kinds = {i["severity"] for i in entry["issues"]}
        if "error" in kinds:
            with_errors += 1
        elif "warning" in kinds:
            only_warnings += 1
        for i in entry["issues"]:
            by_code[i["code"]] += 1
            severities[i["code"]] = i["severity"]
    total = len(records)
    return {
        "file": str(path),
        "on": on.isoformat(),
        "records": records,
        "summary": {
            "records": total,
            "with_errors": with_errors,
            "with_warnings_only": only_warnings,
            "clean": total - with_errors - only_warnings,
            "by_code": {
                code: {"severity": severities[code], "count": n}
                for code, n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))
            },
        },
    }


def _print_report(report: dict[str, Any], out: TextIO) -> None:
    summary = report["summary"]
    on = format_date(date.fromisoformat(report["on"]))
    print(CLI["header"].format(report["file"], summary["records"], on), file=out)
    for record in report["records"]:
        if not record["issues"]:
            continue
        print(file=out)
        print(CLI["record"].format(record["line"], record["full_name"] or CLI["no_name"]),
              file=out)
        for i in record["issues"]:
            label = FIELD_LABELS.get(i["field"], RECORD_LABEL)[0]
            print(CLI["issue"].format(CLI[i["severity"]], label, i["message"], i["code"]),
                  file=out)
            print(CLI["hint"].format(i["hint"]), file=out)
            if i["code"] == "personal_id.duplicate":
                print(CLI["same_as"].format(", ".join(map(str, record["same_id_as"]))), file=out)
    print(file=out)
    print(CLI["summary"].format(summary["records"], summary["with_errors"],
                                summary["with_warnings_only"], summary["clean"]), file=out)
    if summary["by_code"]:
        print(CLI["by_code"], file=out)
        for code, entry in summary["by_code"].items():
            print(CLI["count"].format(code, CLI[entry["severity"]], entry["count"]), file=out)
    else:
        print(CLI["all_good"], file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.on:
        try:
            on = parse_date(args.on)
        except ValueError as exc:
            print(CLI["bad_on"].format(exc), file=sys.stderr)
            return EXIT_UNREADABLE
    else:
        on = date.today()
    try:
        report = check(args.file, on)
    except Unreadable as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_report(report, sys.stdout)
    return EXIT_ERRORS if report["summary"]["with_errors"] else EXIT_OK
