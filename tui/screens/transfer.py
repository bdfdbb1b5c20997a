"""Spreadsheets from the screen: the exports and imports of ``treem export`` / ``treem import``.

``TransferScreen(services)``: choose the work (digit 1-6 or arrows): the police list, the
cleaning lists, the full export, the report as of a date, the police's returned list,
or a bulk import of children; type the file's path (→ accepts the suggested completion)
and press F2. The work runs in a thread worker through ``services.transfer`` (the same
operations, role checks and audit as the command line) while a progress bar, fed by the
exports' progress callback, is the only thing that repaints; Esc or F10 sets the cancel
flag, and the exports then leave no file, no batch and no audit entry behind.

A bulk import is read and checked first (nothing stored) and its preview shown; F2 then
writes the accepted children in one transaction and the rejected rows, with their reasons,
to ``NAME-loi.xlsx`` beside the file; Esc drops the preview.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.suggester import Suggester
from textual.widgets import Checkbox, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from exports.errors import SpreadsheetError
from exports.progress import Cancelled, Progress
from libchild.dates import parse_date
from tui.domain import ExportKind
from tui.errors import TreemError
from tui.formatting import show_date
from tui.messages import transfer as txt
from tui.services import Services
from tui.services.policy import transfer_works
from tui.services.transfer import default_errors_path, default_export_path, preview_lines
from tui.widgets import DateInput, QuietScreen, VietInput
from tui.widgets.checkbox import PlainCheckbox

__all__ = ["OPERATIONS", "PathSuggester", "TransferScreen", "complete_path"]

#: The operations in list order; digit ``i`` chooses ``OPERATIONS[i - 1]``.
OPERATIONS = tuple(txt.OPERATIONS)
_EXPORTS = ("police", "cleaning", "full", "report")
_WITH_SENSITIVE = ("police", "cleaning", "full")
LEGACY = tuple(txt.LEGACY_CHOICES)
#: Rows of a bulk-import preview shown on the 80x24 screen.
PREVIEW_ROWS = 4
#: Messages of a police return shown on the screen.
POLICE_LINES = 8


def complete_path(value: str, suffix: str = ".xlsx") -> str | None:
    """``value`` completed with the first directory or ``suffix`` file it starts, or None.

    ``~`` is kept as typed; hidden entries are offered only when their dot was typed.
    """
    if not value:
        return None
    directory, prefix = os.path.split(os.path.expanduser(value))
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError:
        return None
    for name in names:
        if not name.startswith(prefix) or name == prefix:
            continue
        if name.startswith(".") and not prefix.startswith("."):
            continue
        full = os.path.join(directory, name)
        if os.path.isdir(full):
            name += os.sep
        elif not name.lower().endswith(suffix):
            continue
        return value + name[len(prefix):]
    return None


class PathSuggester(Suggester):
    """Suggest the rest of a path from the file system (accepted with →)."""

    def __init__(self, suffix: str = ".xlsx") -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffix = suffix

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.suffix)


class TransferScreen(QuietScreen[None]):
    """Export the register to spreadsheets or import them, with progress and cancel."""

    DEFAULT_CSS = """
    TransferScreen #transfer-ops { height: 6; border: none; padding: 0; }
    TransferScreen #transfer-chosen { height: 1; text-style: bold; }
    TransferScreen .transfer-row { height: 1; }
    TransferScreen .transfer-row Label { width: 10; }
    TransferScreen #transfer-path { width: 1fr; }
    TransferScreen #transfer-date { width: 12; }
    TransferScreen #transfer-mapping { width: 1fr; }
    TransferScreen #transfer-legacy { width: 1fr; }
    TransferScreen #transfer-sensitive { height: 1; border: none; padding: 0; }
    TransferScreen #transfer-progress { height: 1; }
    TransferScreen #transfer-progress ProgressBar { width: 1fr; }
    TransferScreen #transfer-message { height: 1fr; }
    TransferScreen #transfer-message.-error { color: ansi_bright_red; }
    """

    AUTO_FOCUS = "#transfer-ops"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", txt.KEY_BACK, id="back"),
        Binding("f2", "run", txt.KEY_RUN, id="run"),
        Binding("f10", "cancel", txt.KEY_CANCEL, id="cancel"),
        Binding("f4", "legacy", txt.KEY_LEGACY, id="legacy"),
        Binding("up", "move(-1)", show=False, id="field_up"),
        Binding("down", "move(1)", show=False, id="field_down"),
        *[
            Binding(str(i), f"choose({i - 1})", show=False, id=f"choose_{i}")
            for i in range(1, len(OPERATIONS) + 1)
        ],
    ]

    def __init__(self, services: Services, *, on: date | None = None) -> None:
        super().__init__()
        self.services = services
        self.on = on  # the report's default date (today when None)
        #: The works this person may run (the service layer decides, from the role); the
        #: list shows only those, each under its usual digit.
        self.works: tuple[str, ...] = tuple(
            str(work) for work in transfer_works(services.session)) or OPERATIONS
        self.operation = self.works[0]
        self.busy: str | None = None  # the operation running in the worker
        self.result: dict[str, Any] | None = None  # the last finished work's result
        self._cancel = threading.Event()
        self._confirmed_overwrite: Path | None = None
        self._offered_path = ""  # the default file name last put in the path field
        self._plan: Any = None  # (plan, options, errors path) of a bulk-import preview
        self.legacy = LEGACY[0]  # old-font text without a telling font (bulk import)

    # --- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(txt.TITLE, classes="screen-title")
        yield OptionList(
            *[Option(f"{i} {txt.OPERATIONS[op]}", id=op) for i, op in
              enumerate(OPERATIONS, start=1) if op in self.works],
            id="transfer-ops", compact=True, markup=False,
        )
        yield Static(self._chosen_text(), id="transfer-chosen", markup=False)
        with Horizontal(classes="transfer-row"):
            yield Label(txt.PATH_LABEL)
            yield VietInput(placeholder=txt.PATH_PLACEHOLDER, id="transfer-path",
                            field="transfer_path", suggester=PathSuggester())
        with Horizontal(classes="transfer-row", id="transfer-date-row"):
            yield Label(txt.DATE_LABEL)
            yield DateInput(self._default_date(), id="transfer-date", field="transfer_date")
        yield PlainCheckbox(txt.SENSITIVE_LABEL, id="transfer-sensitive", compact=True)
        with Horizontal(classes="transfer-row", id="transfer-mapping-row"):
            yield Label(txt.MAPPING_LABEL)
            yield VietInput(placeholder=txt.MAPPING_PLACEHOLDER, id="transfer-mapping",
                            field="transfer_mapping", suggester=PathSuggester(".json"))
        with Horizontal(classes="transfer-row", id="transfer-legacy-row"):
            yield Label(txt.LEGACY_LABEL)
            yield Static(txt.LEGACY_CHOICES[self.legacy], id="transfer-legacy")
        digits = [str(OPERATIONS.index(op) + 1) for op in self.works]
        keys = "1-6" if len(digits) == len(OPERATIONS) else ",".join(digits)
        yield Static(txt.HINT.format(keys=keys), classes="screen-hint")
        yield Horizontal(id="transfer-progress")
        yield Static("", id="transfer-message", markup=False)
        yield from self.compose_bottom_bar()

    def _chosen_text(self) -> str:
        number = OPERATIONS.index(self.operation) + 1
        return txt.CHOSEN.format(number=number, label=txt.OPERATIONS[self.operation])

    def _offer_path(self) -> None:
        """Put a default file name in the home folder for an export, unless one was typed."""
        field = self.query_one("#transfer-path", VietInput)
        if field.value.strip() and field.value != self._offered_path:
            return  # the officer's own path stays
        stem = txt.DEFAULT_FILE_STEMS.get(self.operation)
        if stem is None:
            offered = ""  # an import reads a file the officer names
        else:
            home = Path.home()
            path = default_export_path(stem, self.on or date.today(), home)
            offered = str(Path("~") / path.relative_to(home))
        self._offered_path = offered
        field.set_value(offered)

    def _default_date(self) -> str:
        return show_date(self.on or date.today())

    def on_mount(self) -> None:
        self.sync_status()
        self.query_one(OptionList).highlighted = 0
        self._show_fields()

    def _show_fields(self) -> None:
        """Show the date only for the report, the sensitive box only where it applies."""
        self.query_one("#transfer-chosen", Static).update(self._chosen_text())
        self._offer_path()
        self.query_one("#transfer-date-row").display = self.operation == "report"
        self.query_one("#transfer-sensitive").display = self.operation in _WITH_SENSITIVE
        bulk = self.operation == "import_children"
        self.query_one("#transfer-mapping-row").display = bulk
        self.query_one("#transfer-legacy-row").display = bulk
        self.refresh_bindings()  # F4 belongs to the bulk import only

    def _set_operation(self, operation: str) -> None:
        if operation != self.operation:
            self.operation = operation
            self._drop_plan()
            self._show_fields()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.busy is not None
        if action in ("run", "choose"):
            return self.busy is None
        if action == "legacy":
            return self.busy is None and self.operation == "import_children"
        return True

    # --- choosing ------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#transfer-ops")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._set_operation(event.option.id)

    @on(OptionList.OptionSelected, "#transfer-ops")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#transfer-path", VietInput).focus()

    def action_choose(self, index: int) -> None:
        """Digit keys: choose operation ``index`` and go to the path (a work the person
        may not run is refused with a reason)."""
        operation = OPERATIONS[index]
        if operation not in self.works:
            self.say(txt.NOT_YOURS, error=True)
            return
        self.query_one(OptionList).highlighted = self.works.index(operation)
        self._set_operation(operation)
        self.query_one("#transfer-path", VietInput).focus()

    def action_move(self, step: int) -> None:
        """↑/↓ outside the list: the previous or next field (the list keeps its arrows)."""
        if step < 0:
            self.focus_previous()
        else:
            self.focus_next()

    @on(VietInput.Submitted, "#transfer-path")
    def _path_submitted(self) -> None:
        self.action_run()

    @on(VietInput.Changed, "#transfer-path")
    @on(VietInput.Changed, "#transfer-mapping")
    def _path_changed(self) -> None:
        self._confirmed_overwrite = None
        self._drop_plan()  # a preview stands for the file and choices it was made with

    def action_legacy(self) -> None:
        """F4: the next choice for old-font text (auto, TCVN3, VNI, none)."""
        self.legacy = LEGACY[(LEGACY.index(self.legacy) + 1) % len(LEGACY)]
        self.query_one("#transfer-legacy", Static).update(txt.LEGACY_CHOICES[self.legacy])
        self._drop_plan()

    # --- messages ------------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` in the message area (red when ``error``)."""
        message = self.query_one("#transfer-message", Static)
        message.set_class(error, "-error")
        message.update(text)

    @property
    def message(self) -> str:
        """The text shown in the message area (for tests and screen readers)."""
        return str(self.query_one("#transfer-message", Static).content)

    # --- running -------------------------------------------------------------------------
    def action_run(self) -> None:
        """F2: start the chosen work, or write the previewed import."""
        if self.busy is not None:
            self.say(txt.BUSY, error=True)
            return
        if self._plan is not None and self.operation == "import_children":
            self._start("commit", self._commit_work(*self._plan))
            return
        path = self._checked_path()
        if path is None:
            return
        op = self.operation
        if op in _EXPORTS:
            as_of = None
            if op == "report":
                as_of = self._as_of()
                if as_of is None:
                    return
            sensitive = op in _WITH_SENSITIVE and self.query_one(Checkbox).value
            self._start(op, self._export_work(op, path, as_of, sensitive))
        elif op == "import_police":
            self._start(op, self._police_work(path))
        else:
            found, mapping = self._mapping_path()
            if found:
                # "auto" leaves a saved mapping's own choice in force
                legacy = None if self.legacy == "auto" else self.legacy
                self._start(op, self._plan_work(path, mapping, legacy))

    def _checked_path(self) -> Path | None:
        raw = self.query_one("#transfer-path", VietInput).value.strip()
        if not raw:
            self.say(txt.NO_PATH, error=True)
            return None
        path = Path(raw).expanduser()
        if path.is_dir():
            self.say(txt.IS_DIRECTORY.format(path=path), error=True)
            return None
        if self.operation not in _EXPORTS:
            if not path.exists():
                self.say(txt.NO_FILE.format(path=path), error=True)
                return None
            return path
        if not path.suffix:
            path = path.with_suffix(".xlsx")
        if path.suffix.lower() != ".xlsx":
            self.say(txt.NOT_XLSX.format(path=path), error=True)
            return None
        if not path.parent.is_dir():
            self.say(txt.NO_DIRECTORY.format(path=path.parent), error=True)
            return None
        if path.exists() and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            self.say(txt.OVERWRITE.format(path=path), error=True)
            return None
        return path

    def _mapping_path(self) -> tuple[bool, Path | None]:
        """``(True, the saved column mapping or None)``; ``(False, None)`` if it is missing."""
        raw = self.query_one("#transfer-mapping", VietInput).value.strip()
        if not raw:
            return True, None
        path = Path(raw).expanduser()
        if not path.is_file():
            self.say(txt.NO_MAPPING.format(path=path), error=True)
            return False, None
        return True, path

    def _as_of(self) -> date | None:
        value = self.query_one("#transfer-date", DateInput).value.strip()
        if not value:
            return self.on or date.today()
        try:
            return parse_date(value)
        except ValueError:
            self.say(txt.BAD_DATE.format(value=value), error=True)
            return None

    def _start(self, op: str, work: Callable[[], Any]) -> None:
        """Run ``work`` in a thread with a progress bar; its result comes to ``_done``."""
        self.busy = op
        self.result = None
        self._cancel = threading.Event()
        self._confirmed_overwrite = None
        self.query_one(OptionList).disabled = True  # the work keeps its choice
        bar = ProgressBar(total=None, show_eta=False, id="transfer-bar")
        self.query_one("#transfer-progress").mount(bar)
        self.say(f"{txt.WORKING[op]} {txt.CANCEL_HINT}")
        self.refresh_bindings()
        self.run_worker(lambda: self._in_thread(work), thread=True, exclusive=True,
                        group="transfer", exit_on_error=False)

    def _in_thread(self, work: Callable[[], Any]) -> None:
        try:
            outcome: tuple[str, Any] = ("ok", work())
        except Cancelled:
            outcome = ("cancelled", None)
        except (SpreadsheetError, TreemError) as exc:
            outcome = ("error", txt.FAILED.format(message=exc))
        except Exception as exc:  # shown to the user: never a crash, nothing half-written
            outcome = ("error", txt.UNEXPECTED.format(kind=type(exc).__name__, message=exc))
        finally:
            self.services.end_thread()  # this thread's connection only
        with contextlib.suppress(RuntimeError):  # the app has already closed
            self.app.call_from_thread(self._done, *outcome)

    def _progress(self, done: int, total: int | None) -> None:
        """Progress callback, called from the worker thread."""
        try:
            self.app.call_from_thread(self._show_progress, done, total)
        except RuntimeError:  # the app is closing: stop at the next check
            self._cancel.set()

    def on_unmount(self) -> None:
        """Leaving (or quitting the app) stops the work: nothing is left half-written."""
        self._cancel.set()

    def _show_progress(self, done: int, total: int | None) -> None:
        for bar in self.query(ProgressBar):
            bar.update(total=total, progress=done)

    def action_cancel(self) -> None:
        """Esc/F10 while working: ask the work to stop at its next check."""
        if self.busy is None:
            return
        self._cancel.set()
        self.say(txt.CANCELLING)

    def action_back(self) -> None:
        """Esc: cancel the work, drop a preview, or leave the screen."""
        if self.busy is not None:
            self.action_cancel()
        elif self._plan is not None:
            self._drop_plan()
            self.say(txt.PREVIEW_DROPPED)
        else:
            self.dismiss(None)

    def _drop_plan(self) -> None:
        self._plan = None
        self.refresh_bindings()

    def _done(self, status: str, value: Any) -> None:
        op, self.busy = self.busy, None
        if op == "commit":
            self._plan = None  # written, or to be checked again after an error
        for bar in self.query(ProgressBar):
            bar.remove()
        self.query_one(OptionList).disabled = False
        self.refresh_bindings()
        if status == "cancelled":
            self.say(txt.CANCELLED)
        elif status == "error":
            self.say(value, error=True)
        elif op == "import_children":
            self._show_preview(*value)
        else:
            self.result = value["result"]
            text = value["text"]
            if op in txt.DEFAULT_FILE_STEMS:
                text = f"{text}\n{txt.FETCH_HINT}"
            self.say(text)

    # --- the work (runs in the worker thread) --------------------------------------------
    def _export_work(self, kind: str, out: Path, as_of: date | None, sensitive: bool
                     ) -> Callable[[], dict[str, Any]]:
        def work() -> dict[str, Any]:
            result = self.services.transfer.export(
                ExportKind(kind), out, as_of=as_of, sensitive=sensitive,
                on_progress=self._progress, cancel=self._cancel.is_set)
            return {"result": result, "text": result.summary()}
        return work

    def _police_work(self, path: Path) -> Callable[[], dict[str, Any]]:
        def work() -> dict[str, Any]:
            result = self.services.transfer.import_police(path, cancel=self._cancel.is_set)
            lines = result.lines()
            if len(lines) > POLICE_LINES:
                more = len(lines) - POLICE_LINES + 1
                lines = [*lines[:POLICE_LINES - 1], txt.POLICE_MESSAGES_MORE.format(count=more)]
            return {"result": result, "text": "\n".join(lines)}
        return work

    def _plan_work(self, path: Path, mapping: Path | None, legacy: str | None
                   ) -> Callable[[], tuple[Any, Any, Path]]:
        def work() -> tuple[Any, Any, Path]:
            progress = Progress(self._progress, self._cancel.is_set, every=500)
            plan, options = self.services.transfer.plan_children_import(
                path, mapping=mapping, legacy=legacy, progress=progress)
            return plan, options, default_errors_path(path)
        return work

    def _commit_work(self, plan: Any, options: Any, errors_path: Path
                     ) -> Callable[[], dict[str, Any]]:
        def work() -> dict[str, Any]:
            result = self.services.transfer.commit_children_import(plan, options, errors_path)
            return {"result": result, "text": "\n".join(result.lines())}
        return work

    def _show_preview(self, plan: Any, options: Any, errors_path: Path) -> None:
        preview = plan.preview(PREVIEW_ROWS)
        summary, *details = preview_lines(preview)
        # What to do next comes first: the details may not all fit on 24 lines.
        if plan.accepted:
            lines = [summary, txt.PREVIEW_CONFIRM.format(rows=len(plan.accepted))]
        elif plan.rejected:
            lines = [summary, txt.PREVIEW_ONLY_ERRORS]
        else:
            lines = [summary, txt.PREVIEW_NOTHING]
        if preview["rejected"]:
            lines.append(txt.ERRORS_PATH.format(path=errors_path))
        lines.extend(details)
        hidden = preview["rejected"] + preview["with_warnings"] - len(preview["rows"])
        if hidden > 0:
            lines.append(txt.PREVIEW_MORE.format(count=hidden))
        if plan.accepted or plan.rejected:
            self._plan = (plan, options, errors_path)
        self.result = {"preview": preview}
        self.say("\n".join(lines))
