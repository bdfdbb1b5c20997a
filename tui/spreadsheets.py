"""Where the register meets the spreadsheets: ``treem export`` and ``treem import``.

``tui.cli`` forwards ``treem export ...`` to :func:`main_export` and ``treem import ...``
to :func:`main_import` with an ``argparse.Namespace`` holding ``db`` (the register's
path) and ``argv`` (the words after the subcommand), which are parsed here:

    treem export police|cleaning|full|report --out FILE.xlsx [--as-of DATE] [--sensitive]
    treem import police FILE.xlsx [--batch ID]
    treem import children FILE.xlsx [--mapping FILE] [--save-mapping FILE] [--dry-run]
                 [--yes] [--errors FILE] [--legacy auto|tcvn3|vni|none] [--sheet NAME]

each with ``--as USER [--password-file FILE]`` on a real register. Reads go through the
database, writes through ``tui.store`` (``Register`` for single children, ``bulk`` for
imports, in one transaction); every export is audited with its kind and row count; a
police list opens a verification batch and is refused on a sandbox register; importing
the same police return twice changes nothing. The formats themselves live in
``exports``; the texts of these commands in ``tui.messages.spreadsheets``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exports.errors import SpreadsheetError
from exports.progress import CancelCheck, ProgressCallback

if TYPE_CHECKING:  # pragma: no cover
    import peewee

    from exports.import_children import ImportOptions, ImportPlan
    from exports.progress import Progress
    from tui.store.accounts import Session

__all__ = ["EXPORT_ACTIONS", "EXPORT_KINDS", "build_export_parser", "build_import_parser",
           "children_import_lines", "commit_children_import", "default_errors_path",
           "export_summary", "main_export", "main_import", "plan_children_import",
           "police_import_lines", "preview_lines", "run_export"]

EXPORT_KINDS = ("police", "cleaning", "full", "report")
#: Children shown per batch on the screen/console after an import.
SHOWN_PROBLEMS = 10
_CHILD_COLUMNS = (
    "id", "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "death_date", "state",
)


def _t(code: str, **values: Any) -> str:
    from tui.messages import spreadsheets as texts

    return texts.text(code, **values)


def _auth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="TÊN", help=_t("help.as"))
    parser.add_argument("--password-file", metavar="TỆP", help=_t("help.password_file"))
    parser.add_argument("--new-password-file", metavar="TỆP", help=argparse.SUPPRESS)
    # ``treem export full --db X`` as well as ``treem export --db X full``
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", default=None, help=argparse.SUPPRESS)


def _day(text: str) -> date:
    from libchild.dates import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_t("bad_date", value=text)) from None


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    from tui.cli import Parser  # Vietnamese usage and error messages, as every command

    return Parser(prog=prog, description=description)


def build_export_parser() -> argparse.ArgumentParser:
    """The arguments of ``treem export``."""
    parser = _parser("treem export", _t("help.export"))
    parser.add_argument("kind", choices=EXPORT_KINDS, metavar="LOẠI", help=_t("help.kind"))
    parser.add_argument("--out", required=True, metavar="TỆP.xlsx", help=_t("help.out"))
    parser.add_argument("--as-of", type=_day, metavar="NGÀY", help=_t("help.as_of"))
    parser.add_argument("--sensitive", action="store_true", help=_t("help.sensitive"))
    _auth_arguments(parser)
    return parser


def build_import_parser() -> argparse.ArgumentParser:
    """The arguments of ``treem import``."""
    parser = _parser("treem import", _t("help.import"))
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


# --- shared helpers ------------------------------------------------------------------------
def _out(text: str) -> None:
    print(text, flush=True)


def _open(options: argparse.Namespace) -> peewee.SqliteDatabase:
    from tui.cli import open_existing

    return open_existing(Path(options.db).expanduser())


def _session(db: peewee.SqliteDatabase, options: argparse.Namespace, action: str) -> Session:
    from tui.cli import acting_session

    return acting_session(db, options, action)


def _cli_error(exc: SpreadsheetError) -> Exception:
    from tui.cli import CliError

    return CliError(str(exc))


def _settings(db: peewee.SqliteDatabase) -> dict[str, Any]:
    row = db.execute_sql(
        "SELECT commune_code, commune_name, province_code, sandbox FROM setting WHERE id = 1"
    ).fetchone()
    if row is None:
        return {"commune_code": None, "commune_name": "", "province_code": None,
                "sandbox": False}
    return {"commune_code": row[0], "commune_name": row[1], "province_code": row[2],
            "sandbox": bool(row[3])}


def _audit_export(db, session, kind: str, rows: int, out: Path, **extra: Any) -> None:
    from tui.store import audit
    from tui.store.database import write_tx

    with write_tx(db):
        audit.append(db, user_id=session.user_id, username=session.username, action="export",
                     entity=f"export_{kind}", field="rows",
                     new={"kind": kind, "rows": rows, "path": str(out), **extra})


def _verified_ids(db: peewee.SqliteDatabase) -> set[int]:
    """Children whose current number the police confirmed in a returned batch."""
    return {r[0] for r in db.execute_sql(
        "SELECT c.id FROM child AS c JOIN police_batch_row AS r ON r.child_id = c.id "
        "WHERE r.status = 'verified' AND r.id_verified = c.personal_id")}


def _grouped(db: peewee.SqliteDatabase, sql: str) -> dict[int, list[dict[str, Any]]]:
    groups: dict[int, list[dict[str, Any]]] = {}
    cursor = db.execute_sql(sql)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        item = dict(zip(names, row, strict=True))
        groups.setdefault(item.pop("child_id"), []).append(item)
    return groups


def children_rows(db: peewee.SqliteDatabase, *, state_names: bool = True
                  ) -> Iterator[dict[str, Any]]:
    """Every living record of the register (not merged away) as a canonical dict.

    Circumstances come as ``{code, start, end}``, supports as ``{form, date}``;
    ``id_verified`` says whether the police confirmed the current number; ``state``
    is the workflow state (its Vietnamese name in ``state_name``). Rows stream from
    the cursor.
    """
    from tui.messages import core as core_msg

    circumstances = _grouped(db, "SELECT child_id, code, start_date AS start, end_date AS "
                                 "\"end\" FROM child_circumstance")
    supports = _grouped(db, "SELECT child_id, form, date FROM support")
    verified = _verified_ids(db)
    columns = ", ".join(f'"{c}"' for c in _CHILD_COLUMNS)
    cursor = db.execute_sql(
        f"SELECT {columns} FROM child WHERE merged_into IS NULL ORDER BY village, name_folded"
    )
    for row in cursor:
        child = dict(zip(_CHILD_COLUMNS, row, strict=True))
        child_id = child["id"]
        child["circumstances"] = circumstances.get(child_id, [])
        child["supports"] = supports.get(child_id, [])
        child["id_verified"] = child_id in verified
        if state_names:
            child["state_name"] = core_msg.STATE_NAMES.get(child["state"], child["state"])
            child["id_verified_text"] = _t("yes" if child["id_verified"] else "no")
        yield child


def _count_children(db: peewee.SqliteDatabase) -> int:
    return int(db.execute_sql(
        "SELECT count(*) FROM child WHERE merged_into IS NULL").fetchone()[0])


# --- export --------------------------------------------------------------------------------
def main_export(args: argparse.Namespace) -> int:
    """``treem export KIND --out FILE``: write the spreadsheet, audit it, print a summary."""
    options = build_export_parser().parse_args(list(args.argv))
    options.db = options.db or args.db
    out = Path(options.out).expanduser()
    db = _open(options)
    try:
        return _export(db, options, out)
    except SpreadsheetError as exc:
        raise _cli_error(exc) from exc
    finally:
        db.close()


def _export(db: peewee.SqliteDatabase, options: argparse.Namespace, out: Path) -> int:
    kind = options.kind
    session = _session(db, options, EXPORT_ACTIONS.get(kind, "export_personal"))
    result = run_export(db, session, kind, out, as_of=options.as_of,
                        sensitive=options.sensitive)
    _out(export_summary(result))
    return 0


#: The permission each export kind needs (``--sensitive`` also needs ``export_personal``).
EXPORT_ACTIONS = {"police": "make_police_batch", "report": "reports",
                  "full": "export_personal", "cleaning": "export_personal"}


def _counted(rows: Iterator[dict[str, Any]], total: int | None,
             on_progress: ProgressCallback | None, cancel: CancelCheck | None
             ) -> Iterator[dict[str, Any]]:
    """``rows`` unchanged, reporting progress and checking for cancel as they pass."""
    from exports.progress import Progress

    progress = Progress(on_progress, cancel, total=total, every=500)
    for row in rows:
        progress.step()
        yield row
    progress.finish()


def _with_total(on_progress: ProgressCallback | None, total: int) -> ProgressCallback | None:
    if on_progress is None:
        return None
    return lambda done, _unknown: on_progress(done, total)


def run_export(db: peewee.SqliteDatabase, session: Session, kind: str, out: Path, *,
               as_of: date | None = None, sensitive: bool = False,
               on_progress: ProgressCallback | None = None,
               cancel: CancelCheck | None = None) -> dict[str, Any]:
    """Write export ``kind`` (one of :data:`EXPORT_KINDS`) to ``out`` for ``session``.

    Checks the role (:data:`EXPORT_ACTIONS`, plus ``export_personal`` when ``sensitive``),
    refuses a police list on a sandbox register (``PermissionDenied``), audits the export,
    and returns
    ``{"kind", "rows", "path"}`` plus ``batch`` (police; None when nothing to verify),
    ``total`` and ``as_of`` (report) or ``lists`` (cleaning: rows per list).
    ``on_progress(done, total)`` and ``cancel()`` are passed to the writer; a cancel
    raises :class:`exports.Cancelled` and leaves no file, batch or audit entry.
    Raises ``PermissionDenied`` or :class:`SpreadsheetError` (Vietnamese messages).
    """
    from tui.store.accounts import require

    if kind not in EXPORT_KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    session.touch()
    require(session, EXPORT_ACTIONS[kind])
    if sensitive:
        require(session, "export_personal")
    settings = _settings(db)
    result: dict[str, Any] = {"kind": kind, "path": out}
    if kind == "police":
        if settings["sandbox"]:
            from tui.store.errors import PermissionDenied

            raise PermissionDenied(session.role, "make_police_batch", _t("police_sandbox"))
        rows, batch = export_police(db, session, out, sensitive=sensitive,
                                    commune=settings["commune_name"],
                                    on_progress=on_progress, cancel=cancel)
        result.update(rows=rows, batch=batch)
        return result
    total = _count_children(db)
    if kind == "report":
        from exports.report import compute_report, write_report

        as_of = as_of or date.today()
        report = compute_report(
            _counted(children_rows(db, state_names=False), total, on_progress, cancel), as_of)
        if cancel is not None and cancel():
            from exports.progress import Cancelled

            raise Cancelled
        rows = write_report(out, report, commune=settings["commune_name"])
        _audit_export(db, session, kind, rows, out, as_of=as_of.isoformat())
        result.update(rows=rows, total=report.total, as_of=as_of)
        return result
    if kind == "full":
        from exports.full import write_full

        rows = write_full(
            out, children_rows(db), sensitive=sensitive,
            extra=(("state_name", _t("col.state")),
                   ("id_verified_text", _t("col.verified"))),
            total=total, on_progress=on_progress, cancel=cancel,
        )
        _audit_export(db, session, kind, rows, out, sensitive=sensitive)
        result.update(rows=rows)
        return result
    from exports.cleaning import write_cleaning

    counts = write_cleaning(out, children_rows(db, state_names=False), on=as_of,
                            sensitive=sensitive, on_progress=_with_total(on_progress, total),
                            cancel=cancel)
    rows = sum(counts.values())
    _audit_export(db, session, kind, rows, out, lists=counts)
    result.update(rows=rows, lists=counts)
    return result


def export_summary(result: Mapping[str, Any]) -> str:
    """The one-line Vietnamese summary of a :func:`run_export` result."""
    kind, out = result["kind"], result["path"]
    if kind == "police":
        if result["batch"] is None:
            return _t("police_nothing")
        return _t("police_done", rows=result["rows"], batch=result["batch"], path=out)
    if kind == "report":
        return _t("report_done", total=result["total"],
                  date=result["as_of"].strftime("%d/%m/%Y"), path=out)
    if kind == "full":
        return _t("export_done", rows=result["rows"], path=out)
    counts = result["lists"]
    return _t("cleaning_done", no_id=counts["no_id"], bad_id=counts["bad_id"],
              basic=counts["basic"], path=out)


def export_police(db: peewee.SqliteDatabase, session: Session, out: Path, *,
                  sensitive: bool, commune: str, on: date | None = None,
                  on_progress: ProgressCallback | None = None,
                  cancel: CancelCheck | None = None) -> tuple[int, int | None]:
    """Open a verification batch of every child without a verified number; write its list.

    Returns ``(rows, batch id)`` (``(0, None)`` when every child is verified). The batch,
    its rows, the children's ``sent_to_police`` state and the audit entry are written in
    one transaction with the file: if the file cannot be written (or the user cancels),
    no batch is kept.
    """
    from exports.police import write_police_list
    from tui.store import audit, workflow
    from tui.store.clock import now_iso
    from tui.store.database import write_tx

    on = on or date.today()
    candidates = [c for c in children_rows(db, state_names=False)
                  if not c["id_verified"] and not c["death_date"]]
    if not candidates:
        return 0, None
    with write_tx(db):
        cursor = db.execute_sql(
            "INSERT INTO police_batch (created_at, created_by, status, note) VALUES (?,?,?,?)",
            (now_iso(), session.user_id, "sent", ""))
        batch = int(cursor.lastrowid)
        rows = []
        for number, child in enumerate(candidates, start=1):
            db.execute_sql(
                "INSERT INTO police_batch_row (batch_id, row_no, child_id, id_before, status) "
                "VALUES (?, ?, ?, ?, 'pending')",
                (batch, number, child["id"], child["personal_id"]))
            if "sent_to_police" in workflow.ALLOWED.get(child["state"], ()):
                workflow.transition(db, child["id"], "sent_to_police", session,
                                    _t("batch_note", batch=batch))
            rows.append(dict(child, row_key=str(number)))
        count = write_police_list(out, rows, batch_id=str(batch), commune=commune, on=on,
                                  sensitive=sensitive, on_progress=on_progress, cancel=cancel)
        audit.append(db, user_id=session.user_id, username=session.username,
                     action="export", entity="export_police", record_id=batch, field="rows",
                     new={"kind": "police", "rows": count, "path": str(out), "batch": batch})
    return count, batch


# --- import --------------------------------------------------------------------------------
def main_import(args: argparse.Namespace) -> int:
    """``treem import police|children FILE``: read, check, show, store in one transaction."""
    options = build_import_parser().parse_args(list(args.argv))
    options.db = options.db or args.db
    db = _open(options)
    try:
        if options.kind == "police":
            return _import_police(db, options)
        return _import_children(db, options)
    except SpreadsheetError as exc:
        raise _cli_error(exc) from exc
    finally:
        db.close()


def import_police(db: peewee.SqliteDatabase, session: Session, path: Path,
                  batch_id: str | None = None, *, cancel: CancelCheck | None = None
                  ) -> dict[str, Any]:
    """Store the verified numbers of a returned police list; return what happened.

    The result has ``batch``, ``rows`` (the :class:`exports.police.ReturnRow` list),
    ``stored`` (numbers written), ``refused`` (``(row, message)`` for numbers that the
    register refused, e.g. because the child's record has errors to fix first). A row
    whose number the child already holds as verified is ``unchanged``: a second import of
    the same file writes nothing at all. Needs the ``make_police_batch`` permission;
    ``cancel()`` returning True once the file is read stops before anything is stored
    (:class:`exports.Cancelled`).
    """
    from exports.police import read_police_return
    from exports.progress import Cancelled
    from tui.store import audit, workflow
    from tui.store.accounts import require
    from tui.store.database import write_tx
    from tui.store.errors import StoreError
    from tui.store.records import CHILD_FIELDS
    from tui.store.register import Register

    session.touch()
    require(session, "make_police_batch")

    register = Register(db, session)
    batch_rows: dict[str, dict[str, Any]] = {}

    def children_of(batch: str) -> dict[str, dict[str, Any]]:
        found = db.execute_sql(
            "SELECT row_no, child_id, id_verified, status FROM police_batch_row "
            "WHERE batch_id = ?", (batch,)).fetchall()
        if not found:
            raise SpreadsheetError("police.unknown_batch", path=path.name, batch=batch)
        result = {}
        for row_no, child_id, id_verified, status in found:
            child = register.get_child(child_id, audit_view=False)
            child["id_verified"] = status == "verified" and id_verified == child["personal_id"]
            batch_rows[str(row_no)] = {"child_id": child_id, "child": child}
            result[str(row_no)] = child
        return result

    def owner_of(number: str, key: str) -> str | None:
        mine = batch_rows[key]["child_id"] if key in batch_rows else None
        for child_id, name in db.execute_sql(
                "SELECT id, full_name FROM child WHERE personal_id = ? "
                "AND merged_into IS NULL", (number,)):
            if child_id != mine:
                return _t("child_label", name=name, id=child_id)
        return None

    batch, rows = read_police_return(path, batch_id=batch_id, children=children_of,
                                     owner_of=owner_of)
    if cancel is not None and cancel():
        raise Cancelled
    stored: list[Any] = []
    refused: list[tuple[int, str]] = []
    if any(r.stores for r in rows):
        with write_tx(db):
            for result in rows:
                if not result.stores:
                    continue
                item = batch_rows[result.row_key]
                current = item["child"]
                try:
                    with write_tx(db):  # a savepoint: one refused child keeps the others
                        if current["personal_id"] != result.number:
                            data = {k: current[k] for k in CHILD_FIELDS}
                            data.update(id=current["id"], village_id=current["village_id"],
                                        circumstances=current["circumstances"],
                                        supports=current["supports"],
                                        personal_id=result.number)
                            register.save_child(data, current["version"])
                        db.execute_sql(
                            "UPDATE police_batch_row SET id_verified = ?, status = 'verified' "
                            "WHERE batch_id = ? AND row_no = ?",
                            (result.number, batch, int(result.row_key)))
                        state = db.execute_sql("SELECT state FROM child WHERE id = ?",
                                               (current["id"],)).fetchone()[0]
                        if "id_verified" in workflow.ALLOWED.get(state, ()):
                            workflow.transition(db, current["id"], "id_verified", session,
                                                _t("batch_note", batch=batch))
                    stored.append(result)
                except StoreError as exc:
                    refused.append((result.row, str(exc)))
            db.execute_sql("UPDATE police_batch SET status = 'returned' WHERE id = ?", (batch,))
            audit.append(db, user_id=session.user_id, username=session.username,
                         action="import", entity="police_batch", record_id=int(batch),
                         field="verified", new={"path": str(path), "stored": len(stored),
                                                "refused": len(refused)})
    return {"batch": batch, "rows": rows, "stored": stored, "refused": refused}


def _import_police(db: peewee.SqliteDatabase, options: argparse.Namespace) -> int:
    session = _session(db, options, "make_police_batch")
    result = import_police(db, session, Path(options.file).expanduser(), options.batch)
    for line in police_import_lines(result):
        _out(line)
    return 0


def police_import_lines(result: Mapping[str, Any]) -> list[str]:
    """The Vietnamese report of an :func:`import_police` result, line by line.

    The first line counts the rows by status; then one line per row message or warning,
    one per refused number, and a last line when nothing changed.
    """
    rows = result["rows"]
    counts = {status: sum(1 for r in rows if r.status == status)
              for status in ("verified", "unchanged", "blank", "invalid", "taken",
                             "unmatched", "repeated")}
    lines = [_t("police_import", batch=result["batch"], stored=len(result["stored"]),
                **counts)]
    for row in rows:
        if row.message:
            lines.append("  " + row.message)
        lines.extend("  " + warning for warning in row.warnings)
    lines.extend("  " + _t("police_refused", row=number, message=message)
                 for number, message in result["refused"])
    if not result["stored"]:
        lines.append(_t("nothing_changed"))
    return lines


def _existing_records(db: peewee.SqliteDatabase) -> tuple[list[dict[str, Any]], list[str]]:
    fields = ("id", "personal_id", "full_name", "sex", "birth_date", "caregiver_id",
              "caregiver_name", "mother_name", "father_name", "commune_code")
    cursor = db.execute_sql(
        "SELECT " + ", ".join(f'"{f}"' for f in fields)
        + " FROM child WHERE merged_into IS NULL")
    records, labels = [], []
    for row in cursor:
        record = dict(zip(fields, row, strict=True))
        records.append(record)
        labels.append(_t("child_label", name=record["full_name"], id=record["id"]))
    return records, labels


def plan_children_import(db: peewee.SqliteDatabase, session: Session, path: Path, *,
                         mapping: str | Path | None = None, legacy: str | None = None,
                         ethnicity_numbering: str | None = None, sheet: str | None = None,
                         progress: Progress | None = None) -> tuple[ImportPlan, ImportOptions]:
    """Read, repair and check the children listed in ``path``; store nothing.

    ``mapping`` is a saved mapping file (columns and options). The plan's ``preview()``
    is what the user confirms before :func:`commit_children_import`. Needs the
    ``edit_child`` and ``review`` permissions (a bulk import is an officer's work, not a
    collaborator's). Raises ``PermissionDenied`` or :class:`SpreadsheetError`.
    """
    from exports.columns import load_mapping
    from exports.import_children import ImportOptions, plan_import
    from tui.store.accounts import require

    session.touch()
    require(session, "edit_child")
    require(session, "review")
    columns, saved_options = (None, {})
    if mapping:
        columns, saved_options = load_mapping(mapping)
    settings = _settings(db)
    import_options = ImportOptions.from_mapping(
        saved_options, legacy=legacy, ethnicity_numbering=ethnicity_numbering, sheet=sheet,
    )
    import_options.defaults = {k: settings[k] for k in ("commune_code", "province_code")
                               if settings[k]}
    existing, labels = _existing_records(db)
    plan = plan_import(path, mapping=columns, options=import_options, existing=existing,
                       existing_labels=labels, progress=progress)
    return plan, import_options


def commit_children_import(db: peewee.SqliteDatabase, session: Session, plan: ImportPlan,
                           import_options: ImportOptions, errors_path: Path
                           ) -> dict[str, Any]:
    """Store the accepted rows of ``plan`` in one transaction; write the rejected ones.

    Rows the register itself refuses (e.g. an ID number another child holds) move to the
    rejected list, so that ``rows_in == imported + rejected``. Returns ``{"rows_in",
    "imported", "rejected", "errors_path"}`` (``errors_path`` None when nothing was
    rejected).
    """
    from exports.import_children import write_error_workbook
    from tui.store.accounts import require
    from tui.store.bulk import insert_children_bulk

    session.touch()
    require(session, "edit_child")
    require(session, "review")
    accepted = list(plan.accepted)
    result = insert_children_bulk(db, [r.record for r in accepted], user_id=session.user_id,
                                  username=session.username, on=import_options.on)
    for position, issues in result.rejected:  # refused by the register itself (e.g. taken ID)
        row = accepted[position]
        for found in issues:
            if found.severity == "error":
                row.add_problem(found.field, found.message)
        plan.accepted.remove(row)
        plan.rejected.append(row)
    written = None
    if plan.rejected:
        write_error_workbook(plan, errors_path)
        written = errors_path
    return {"rows_in": plan.rows_in, "imported": result.inserted,
            "rejected": len(plan.rejected), "errors_path": written}


def default_errors_path(path: Path) -> Path:
    """Where the rejected rows of an import of ``path`` go: ``NAME-loi.xlsx`` beside it."""
    return path.with_name(path.stem + "-loi.xlsx")


def _import_children(db: peewee.SqliteDatabase, options: argparse.Namespace) -> int:
    from exports.columns import save_mapping
    from exports.import_children import write_error_workbook
    from tui.cli import CliError

    session = _session(db, options, "edit_child")
    path = Path(options.file).expanduser()
    plan, import_options = plan_children_import(
        db, session, path, mapping=options.mapping, legacy=options.legacy,
        ethnicity_numbering=options.ethnicity_numbering, sheet=options.sheet)
    if options.save_mapping:
        save_mapping(options.save_mapping, plan.columns,
                     {"legacy": import_options.legacy,
                      "ethnicity_numbering": import_options.ethnicity_numbering})
    _print_preview(plan.preview(SHOWN_PROBLEMS))
    errors_path = Path(options.errors).expanduser() if options.errors else \
        default_errors_path(path)
    if options.dry_run:
        if plan.rejected:
            write_error_workbook(plan, errors_path)
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
    result = commit_children_import(db, session, plan, import_options, errors_path)
    for line in children_import_lines(result):
        _out(line)
    return 0


def children_import_lines(result: Mapping[str, Any]) -> list[str]:
    """The Vietnamese report of a :func:`commit_children_import` result, line by line:
    where the rejected rows were written (if any), then the counts."""
    lines = []
    if result["errors_path"] is not None:
        lines.append(_t("errors_written", rows=result["rejected"], path=result["errors_path"]))
    lines.append(_t("import_done", rows_in=result["rows_in"], imported=result["imported"],
                    rejected=result["rejected"]))
    return lines


def _print_preview(preview: dict[str, Any]) -> None:
    for line in preview_lines(preview):
        _out(line)


def preview_lines(preview: Mapping[str, Any]) -> list[str]:
    """The Vietnamese preview of a bulk import (``ImportPlan.preview()``), line by line."""
    lines = [_t("preview", **{k: preview[k] for k in
                                  ("rows_in", "accepted", "rejected", "with_warnings",
                                   "repaired_cells")})]
    lines.extend("  " + notice for notice in preview["notices"])
    for row in preview["rows"]:
        mark = _t("rejected_mark") if row["rejected"] else _t("warning_mark")
        lines.append(_t("preview_row", row=row["row"], name=row["full_name"] or "",
                        mark=mark, messages="; ".join(row["messages"])))
    return lines
