"""Where the register meets the spreadsheets: exports and imports, for the command line
(``treem export`` / ``treem import``) and the spreadsheet screen alike.

Each export kind needs its permission (and ``export_personal`` for sensitive columns),
is audited with its kind and row count, and accepts a progress callback and a cancel
check (a cancelled export leaves no file, batch or audit entry). The cleaning workbook
lists exactly the children of the review lists (``tui.services.review``); the police
list opens a batch through ``tui.services.police``, and its return is stored through
the same service, row by row. The formats live in ``exports``; the texts in
``tui.messages.spreadsheets``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from exports.atomic import atomic_path
from exports.cleaning import write_cleaning
from exports.columns import load_mapping
from exports.errors import SpreadsheetError
from exports.full import SANDBOX_KEYWORD, write_full
from exports.import_children import (
    CleanedRows,
    ImportOptions,
    ImportPlan,
    plan_import,
    write_error_workbook,
)
from exports.police import ReturnRow, read_police_return, write_police_list
from exports.progress import CancelCheck, Cancelled, Progress, ProgressCallback
from exports.report import DEFAULT_PLAN, Report, compute_report
from libchild.issues import issue
from tui.domain import ExportKind, Permission, ReviewKind, RowStatus
from tui.errors import InvalidInput, PermissionDenied, TreemError
from tui.faults import fault_point
from tui.formatting import show_date
from tui.messages import core as core_msg
from tui.messages import spreadsheets as texts
from tui.messages.labels import STATE_NAMES, name_of
from tui.paths import clean_scratch, scratch_dir
from tui.services.base import Service, operation, unchecked
from tui.services.police import PoliceService
from tui.services.policy import require
from tui.services.review import ReviewItem, ReviewService
from tui.store import audit as audit_store
from tui.store import children as child_store
from tui.store import police as police_store
from tui.store import settings as settings_store
from tui.store.bulk import insert_children_bulk

__all__ = [
    "CLEANING_KINDS",
    "ExportResult",
    "ImportResult",
    "PoliceImportResult",
    "TransferService",
    "default_errors_path",
    "default_export_path",
]

#: The lists of the cleaning workbook, one sheet each, in order.
CLEANING_KINDS: tuple[ReviewKind, ...] = (ReviewKind.NO_ID, ReviewKind.BAD_ID,
                                          ReviewKind.BASIC_INFO, ReviewKind.AGED_OUT)
#: Children per batch shown on the screen / console after an import.
SHOWN_PROBLEMS = 10
_EXPORT_COLUMNS = ("id", *child_store.CHILD_FIELDS, "state")


@attrs.frozen
class ExportResult:
    """A written export: its kind, file and rows; ``batch`` (police: None when nothing
    was left to verify), ``total`` and ``as_of`` (report), ``lists`` (cleaning: rows per
    list)."""

    kind: ExportKind
    path: Path
    rows: int
    batch: int | None = None
    total: int | None = None
    as_of: date | None = None
    lists: Mapping[str, int] = attrs.field(factory=dict)

    def summary(self) -> str:
        """The one-line Vietnamese summary the command line prints and the screen shows."""
        if self.kind is ExportKind.POLICE:
            if self.batch is None:
                return texts.text("police_nothing")
            return texts.text("police_done", rows=self.rows, batch=self.batch, path=self.path)
        if self.kind is ExportKind.REPORT:
            return texts.text("report_done", total=self.total, date=show_date(self.as_of),
                              path=self.path)
        if self.kind is ExportKind.FULL:
            return texts.text("export_done", rows=self.rows, path=self.path)
        return texts.text("cleaning_done", path=self.path,
                          **{str(kind): self.lists.get(kind, 0) for kind in CLEANING_KINDS})


@attrs.frozen
class PoliceImportResult:
    """What a police return did: its batch, every row read, the rows stored, and the
    rows the register refused (row number, reason)."""

    batch: str
    rows: tuple[ReturnRow, ...]
    stored: tuple[ReturnRow, ...]
    refused: tuple[tuple[int, str], ...]

    def lines(self) -> list[str]:
        """The Vietnamese report, line by line: counts by status, then each row's
        message or warning, each refusal, and a last line when nothing changed."""
        counts = {status: sum(1 for r in self.rows if r.status == status)
                  for status in ("verified", "unchanged", "blank", "invalid", "taken",
                                 "unmatched", "repeated")}
        lines = [texts.text("police_import", batch=self.batch, stored=len(self.stored),
                            **counts)]
        for row in self.rows:
            if row.message:
                lines.append("  " + row.message)
            lines.extend("  " + warning for warning in row.warnings)
        lines.extend("  " + texts.text("police_refused", row=number, message=message)
                     for number, message in self.refused)
        if not self.stored:
            lines.append(texts.text("nothing_changed"))
        return lines


@attrs.frozen
class ImportResult:
    """A bulk import written: rows read, imported, rejected, and where the rejected rows
    went (None when none was)."""

    rows_in: int
    imported: int
    rejected: int
    errors_path: Path | None

    def lines(self) -> list[str]:
        """Where the rejected rows were written (if any), then the counts."""
        lines = []
        if self.errors_path is not None:
            lines.append(texts.text("errors_written", rows=self.rejected,
                                    path=self.errors_path))
        lines.append(texts.text("import_done", rows_in=self.rows_in, imported=self.imported,
                                rejected=self.rejected))
        return lines


def preview_lines(preview: Mapping[str, Any]) -> list[str]:
    """The Vietnamese preview of a bulk import (``ImportPlan.preview()``), line by line."""
    lines = [texts.text("preview", **{k: preview[k] for k in (
        "rows_in", "accepted", "rejected", "with_warnings", "repaired_cells")})]
    lines.extend("  " + notice for notice in preview["notices"])
    for row in preview["rows"]:
        mark = texts.text("rejected_mark") if row["rejected"] else texts.text("warning_mark")
        lines.append(texts.text("preview_row", row=row["row"], name=row["full_name"] or "",
                                mark=mark, messages="; ".join(row["messages"])))
    return lines


def default_export_path(stem: str, on: date, folder: Path) -> Path:
    """The file offered for an export: ``folder/STEM-YYYYMMDD.xlsx``, numbered if taken.

    >>> from datetime import date
    >>> default_export_path("treem-lam-sach", date(2026, 12, 5), Path("/nonexistent"))
    PosixPath('/nonexistent/treem-lam-sach-20261205.xlsx')
    """
    base = f"{stem}-{on:%Y%m%d}"
    path = folder / f"{base}.xlsx"
    number = 2
    while path.exists():
        path = folder / f"{base}-{number}.xlsx"
        number += 1
    return path


def default_errors_path(path: Path) -> Path:
    """Where the rejected rows of an import of ``path`` go: ``NAME-loi.xlsx`` beside it."""
    return path.with_name(path.stem + "-loi.xlsx")


def _counted(rows: Iterator[dict[str, Any]], total: int | None,
             on_progress: ProgressCallback | None, cancel: CancelCheck | None
             ) -> Iterator[dict[str, Any]]:
    """``rows`` unchanged, reporting progress and checking for cancel as they pass."""
    progress = Progress(on_progress, cancel, total=total, every=500)
    for row in rows:
        progress.step()
        yield row
    progress.finish()


class TransferService(Service):
    """Spreadsheets in and out, for the acting person."""

    # --- reading the register for the writers ------------------------------------------
    def _children(self, *, state_names: bool = True) -> Iterator[dict[str, Any]]:
        """Every living child as a canonical dict with its circumstances (``{code,
        start, end}``), supports (``{form, date}``), ``id_verified`` and ``state``
        (named in ``state_name`` when asked). Rows stream from one query
        (:func:`tui.store.children.export_records`): memory does not grow with the
        register."""
        for child in child_store.export_records(self.db, _EXPORT_COLUMNS):
            if state_names:
                child["state_name"] = name_of(STATE_NAMES, child["state"])
                child["id_verified_text"] = texts.text(
                    "yes" if child["id_verified"] else "no")
            yield child

    def _audit_export(self, kind: ExportKind, rows: int, out: Path, record_id: int | None
                      = None, **extra: Any) -> None:
        self.ctx.audit("export", f"export_{kind}", record_id, "rows",
                       None, {"kind": str(kind), "rows": rows, "path": str(out), **extra})

    def _commune(self) -> settings_store.Settings | None:
        return settings_store.read(self.db)

    def _is_sandbox(self) -> bool:
        commune = self._commune()
        return commune is not None and commune.sandbox

    def _sensitive(self, sensitive: bool) -> None:
        if sensitive:
            require(self.session, Permission.EXPORT_PERSONAL)

    @staticmethod
    def _scratch() -> Path:
        """The app's private scratch root (partial files), cleaned of what killed
        processes left there the first time this process writes or reads a sheet."""
        clean_scratch()
        return scratch_dir()

    # --- exports ---------------------------------------------------------------------
    @unchecked("dispatches to the export of the kind, which checks its own permission")
    def export(self, kind: ExportKind, out: Path, *, as_of: date | None = None,
               sensitive: bool = False, on_progress: ProgressCallback | None = None,
               cancel: CancelCheck | None = None) -> ExportResult:
        """Write export ``kind`` to ``out`` (see the ``export_*`` operations)."""
        kind = ExportKind(kind)
        if kind is ExportKind.POLICE:
            return self.export_police(out, sensitive=sensitive, on_progress=on_progress,
                                      cancel=cancel)
        if kind is ExportKind.CLEANING:
            return self.export_cleaning(out, as_of=as_of, sensitive=sensitive,
                                        on_progress=on_progress, cancel=cancel)
        if kind is ExportKind.FULL:
            return self.export_full(out, sensitive=sensitive, on_progress=on_progress,
                                    cancel=cancel)
        return self.export_report(out, as_of=as_of, on_progress=on_progress, cancel=cancel)

    @operation(Permission.MAKE_POLICE_BATCH)
    def export_police(self, out: Path, *, sensitive: bool = False,
                      on: date | None = None, on_progress: ProgressCallback | None = None,
                      cancel: CancelCheck | None = None) -> ExportResult:
        """Open a verification batch of every living child without a verified number and
        write its list. The batch, the children's ``sent_to_police`` state and the audit
        entry are committed first, the file is published under its name only then: a
        crash before the commit leaves neither batch nor file (the private partial file
        is cleaned at the next start), a crash after it leaves the batch without its
        file (its children go on the next list), never a file of an unrecorded batch.
        If the file cannot be written (or the person cancels), no batch is kept.
        Refused on a sandbox register."""
        self._sensitive(sensitive)
        commune = self._commune()
        if commune is not None and commune.sandbox:
            raise PermissionDenied(self.session.role, Permission.MAKE_POLICE_BATCH,
                                   core_msg.SANDBOX_NO_POLICE)
        candidates = [c for c in self._children(state_names=False)
                      if not c["id_verified"] and not c["death_date"]]
        if not candidates:
            return ExportResult(ExportKind.POLICE, out, 0)
        if self.ctx.in_transaction:  # the batch must be committed before the file exists
            raise RuntimeError("export_police commits its own transaction")
        with atomic_path(out, scratch=self._scratch()) as private:
            with self.ctx.tx():
                batch = PoliceService(self.ctx).open_batch([c["id"] for c in candidates])
                rows = [dict(child, row_key=str(n)) for n, child in enumerate(candidates, 1)]
                count = write_police_list(private, rows, batch_id=str(batch),
                                          commune=commune.commune_name if commune else "",
                                          on=on or date.today(), sensitive=sensitive,
                                          on_progress=on_progress, cancel=cancel,
                                          atomic=False, head_code=audit_store.head(self.db)[1])
                fault_point("police.written")
                self._audit_export(ExportKind.POLICE, count, out, batch, batch=batch)
            fault_point("police.committed")
        fault_point("police.published")
        return ExportResult(ExportKind.POLICE, out, count, batch=batch)

    @operation(Permission.EXPORT_PERSONAL)
    def export_cleaning(self, out: Path, *, as_of: date | None = None,
                        sensitive: bool = False, on_progress: ProgressCallback | None = None,
                        cancel: CancelCheck | None = None) -> ExportResult:
        """The cleaning workbook: one sheet per list of :data:`CLEANING_KINDS`, the same
        children as the review screens (``as_of`` dates the "aged 16 and over" list)."""
        self._sensitive(sensitive)
        review = ReviewService(self.ctx)
        day = as_of or date.today()
        total = sum(review.count(kind, on=day) for kind in CLEANING_KINDS)
        progress = Progress(on_progress, cancel, total=total, every=500)

        def rows(kind: ReviewKind) -> Iterable[tuple[dict[str, Any], Sequence[Any]]]:
            for item in review.all_of(kind, on=day):
                progress.step()
                yield _cleaning_row(item, kind)

        counts = write_cleaning(out, {str(kind): rows(kind) for kind in CLEANING_KINDS},
                                sensitive=sensitive, cancel=cancel, scratch=self._scratch())
        progress.finish()
        rows_written = sum(counts.values())
        self._audit_export(ExportKind.CLEANING, rows_written, out, lists=counts)
        return ExportResult(ExportKind.CLEANING, out, rows_written, lists=counts)

    @operation(Permission.EXPORT_PERSONAL)
    def export_full(self, out: Path, *, sensitive: bool = False,
                    on_progress: ProgressCallback | None = None,
                    cancel: CancelCheck | None = None) -> ExportResult:
        """Every child and field, names beside codes (sensitive columns when asked)."""
        self._sensitive(sensitive)
        rows = write_full(out, self._children(), sensitive=sensitive,
                          extra=(("state_name", texts.text("col.state")),
                                 ("id_verified_text", texts.text("col.verified"))),
                          total=child_store.count_living(self.db), on_progress=on_progress,
                          cancel=cancel, scratch=self._scratch(),
                          sandbox=self._is_sandbox())
        self._audit_export(ExportKind.FULL, rows, out, sensitive=sensitive)
        return ExportResult(ExportKind.FULL, out, rows)

    @operation(Permission.REPORTS)
    def export_report(self, out: Path, *, as_of: date | None = None,
                      on_progress: ProgressCallback | None = None,
                      cancel: CancelCheck | None = None) -> ExportResult:
        """The commune report as of ``as_of`` (default today) for the default plan: the
        same workbook as ``services.reports.export`` (which it calls, so the person's
        village scope and sensitive-data rules hold here too)."""
        from tui.services.reports import ReportsService

        day = as_of or date.today()
        if cancel is not None and cancel():
            raise Cancelled
        evaluation = ReportsService(self.ctx).evaluate(DEFAULT_PLAN, day)
        if cancel is not None and cancel():
            raise Cancelled
        ReportsService(self.ctx).export(out, DEFAULT_PLAN, evaluation=evaluation)
        return ExportResult(ExportKind.REPORT, out, len(evaluation.plan.indicators),
                            total=evaluation.current.breakdown.total, as_of=day)

    @operation(Permission.REPORTS)
    def report(self, as_of: date, *, on_progress: ProgressCallback | None = None,
               cancel: CancelCheck | None = None) -> Report:
        """The figures of the commune report as of ``as_of`` (no personal data)."""
        total = child_store.count_living(self.db)
        return compute_report(_counted(self._children(state_names=False), total,
                                       on_progress, cancel), as_of)

    # --- imports ---------------------------------------------------------------------
    @operation(Permission.POLICE_LISTS)
    def import_police(self, path: Path, batch_id: str | None = None, *,
                      cancel: CancelCheck | None = None) -> PoliceImportResult:
        """Store the verified numbers of a returned police list.

        A row whose number the child already holds as verified is ``unchanged``: a second
        import of the same file writes nothing at all. A number the register refuses
        (e.g. the record has errors to fix first) is reported, the others are stored.
        ``cancel()`` returning True once the file is read stops before anything is stored.
        """
        police = PoliceService(self.ctx)
        lines_of: dict[str, Any] = {}

        def children_of(batch: str) -> dict[str, dict[str, Any]]:
            try:
                lines = police.lines(int(batch))
            except ValueError:
                lines = []
            if not lines:
                raise SpreadsheetError("police.unknown_batch", path=path.name, batch=batch)
            result = {}
            for line in lines:
                lines_of[str(line.row_no)] = line
                record = line.child.fields()
                record["id_verified"] = line.number_verified
                result[str(line.row_no)] = record
            return result

        def owner_of(number: str, key: str) -> str | None:
            mine = lines_of[key].child.id if key in lines_of else None
            others = [i for i in child_store.id_holders(self.db, number) if i != mine]
            if not others:
                return None
            brief = child_store.brief(self.db, others[:1])[others[0]]
            return texts.text("child_label", name=brief.full_name, id=brief.id)

        batch, rows = read_police_return(path, batch_id=batch_id, children=children_of,
                                         owner_of=owner_of)
        if cancel is not None and cancel():
            raise Cancelled
        stored: list[ReturnRow] = []
        refused: list[tuple[int, str]] = []
        if any(r.stores for r in rows):
            with self.ctx.tx():
                for result in rows:
                    if not result.stores:
                        continue
                    line = lines_of[result.row_key or ""]
                    before = police_store.rows(self.db, int(batch))
                    id_before = next(r.id_before for r in before if r.row_no == line.row_no)
                    status = (RowStatus.VERIFIED if result.number == id_before
                              else RowStatus.CORRECTED)
                    try:
                        with self.ctx.tx():  # a savepoint: one refused child keeps the others
                            police.record_answer(int(batch), line.row_no, result.number,
                                                 status)
                        stored.append(result)
                    except TreemError as exc:
                        refused.append((result.row, str(exc)))
                self.ctx.audit("import", "police_batch", int(batch), "verified", None,
                               {"path": str(path), "stored": len(stored),
                                "refused": len(refused)})
        return PoliceImportResult(batch, tuple(rows), tuple(stored), tuple(refused))

    @operation(Permission.EDIT_CHILD)
    def plan_children_import(self, path: Path, *, mapping: str | Path | None = None,
                             legacy: str | None = None, ethnicity_numbering: str | None = None,
                             sheet: str | None = None, progress: Progress | None = None
                             ) -> tuple[ImportPlan, ImportOptions]:
        """Read, repair and check the children listed in ``path``; store nothing.

        ``mapping`` is a saved mapping file (columns and options). The plan's ``preview()``
        is what the person confirms before :meth:`commit_children_import`. A bulk import
        is an officer's work: it needs ``review`` as well.
        """
        require(self.session, Permission.REVIEW)
        columns, saved_options = (None, {})
        if mapping:
            columns, saved_options = load_mapping(mapping)
        commune = self._commune()
        options = ImportOptions.from_mapping(saved_options, legacy=legacy,
                                             ethnicity_numbering=ethnicity_numbering,
                                             sheet=sheet)
        if commune is not None:
            options.defaults = {"commune_code": commune.commune_code,
                                "province_code": commune.province_code}
        existing = list(child_store.living_records(self.db, child_store.MATCH_COLUMNS))
        labels = [texts.text("child_label", name=r["full_name"], id=r["id"])
                  for r in existing]
        plan = plan_import(path, mapping=columns, options=options, existing=existing,
                           existing_labels=labels, progress=progress)
        if SANDBOX_KEYWORD in plan.table.keywords and not (commune and commune.sandbox):
            raise InvalidInput(texts.text("import_from_sandbox"))
        return plan, options

    @operation(Permission.EDIT_CHILD)
    def commit_children_import(self, plan: ImportPlan, options: ImportOptions,
                               errors_path: Path) -> ImportResult:
        """Store the accepted rows of ``plan`` in one transaction; write the rejected ones.

        Rows the register itself refuses (e.g. an ID number another child holds) move to
        the rejected list, so that ``rows_in == imported + rejected``.
        """
        require(self.session, Permission.REVIEW)
        accepted = list(plan.accepted)
        # records and issues are rebuilt row by row from the plan's compact form
        result = insert_children_bulk(self.db, (r.record for r in accepted),
                                      user_id=self.session.user_id,
                                      username=self.session.username, on=options.on,
                                      cleaned=CleanedRows(accepted))
        fault_point("import.committed")
        for position, issues in result.rejected:  # refused by the register (taken ID)
            row = accepted[position]
            for found in issues:
                if found.severity == "error":
                    row.add_problem(found.field, found.message)
            plan.accepted.remove(row)
            plan.rejected.append(row)
        written = None
        if plan.rejected:
            write_error_workbook(plan, errors_path, scratch=self._scratch())
            written = errors_path
        return ImportResult(plan.rows_in, result.inserted, len(plan.rejected), written)

    @operation(Permission.EDIT_CHILD)
    def write_rejected(self, plan: ImportPlan, errors_path: Path) -> None:
        """Write the rejected rows of a previewed import (a dry run) with their reasons."""
        write_error_workbook(plan, errors_path, scratch=self._scratch())


def _cleaning_row(item: ReviewItem, kind: ReviewKind
                  ) -> tuple[dict[str, Any], Sequence[Any]]:
    """A child of a review list as the cleaning workbook writes it: its fields and the
    issues that put it on the list (for "aged 16 and over", the age rule's issue)."""
    child = {"full_name": item.full_name, "birth_date": item.birth_date, "sex": item.sex,
             "village": item.village, "father_name": item.father_name,
             "mother_name": item.mother_name, "caregiver_name": item.caregiver_name,
             "personal_id": item.personal_id, "ethnicity": item.ethnicity}
    if kind is ReviewKind.AGED_OUT:
        return child, [issue("age.over_16")]
    wanted = set(item.codes)
    return child, [i for i in item.issues if i.code in wanted]
