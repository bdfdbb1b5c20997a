"""The trainer's dashboard: every trainee of a session, refreshed while they type.

Each refresh reads the room in a worker thread (``tui.services.training.RoomReader``:
only the sandboxes written since the last reading are read and re-scored; F5 reads them
all) and changes only the table cells whose text changed, so an unchanged room sends
nothing to the terminal (slow SSH links). On its own (``treem training dashboard``) it
runs on the app's stylesheet and terminal driver (only changed cells are written).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tui.errors import TreemError
from tui.formatting import percent
from tui.messages import training as msg
from tui.services.training import RoomReader, SessionStatus, TraineeStatus
from tui.terminal.driver import use_lean_driver
from tui.training.results import room_errors
from tui.widgets import QuietScreen

__all__ = ["REFRESH_SECONDS", "TrainerApp", "TrainingDashboard", "run_dashboard",
           "trainee_cells"]

#: Seconds between two readings of the room.
REFRESH_SECONDS = 5.0


def trainee_cells(trainee: TraineeStatus) -> tuple[str, ...]:
    """One trainee's row as shown: name, children entered, accuracy, fields to fix, keys
    per child."""
    keys = trainee.result.keys_per_child
    return (trainee.username,
            msg.DASHBOARD_PROGRESS.format(entered=trainee.children_entered,
                                          expected=trainee.children_expected),
            percent(trainee.result.accuracy), str(len(trainee.result.to_fix)),
            "—" if keys is None else f"{keys:.0f}")


class TrainingDashboard(QuietScreen[None]):
    """A session's trainees, one row each, and the room's most frequent error per field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", msg.DASHBOARD_KEY_BACK, id="back"),
        Binding("f5", "refresh_now", msg.DASHBOARD_KEY_REFRESH, id="dashboard_refresh"),
    ]

    def __init__(self, folder: str | os.PathLike[str], *,
                 refresh_seconds: float = REFRESH_SECONDS) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.refresh_seconds = refresh_seconds
        self.reader = RoomReader(self.folder)
        self._reading = False
        self.shown: dict[str, tuple[str, ...]] = {}
        self.room_text = ""
        self.readings = 0

    def compose(self) -> ComposeResult:
        yield Static(msg.DASHBOARD_TITLE.format(folder=self.folder), id="dashboard-title")
        yield Static(msg.DASHBOARD_SANDBOX, id="dashboard-sandbox")
        table: DataTable[str] = DataTable(id="dashboard-table", cursor_type="row")
        for label in msg.DASHBOARD_COLUMNS:
            table.add_column(label, key=label)
        yield table
        yield Static("", id="dashboard-room")
        yield Static("", id="dashboard-message")
        yield from self.compose_bottom_bar()

    def on_mount(self) -> None:
        self.sync_status()
        self.action_refresh_now()
        self.set_interval(self.refresh_seconds, self.refresh_changed)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_refresh_now(self) -> None:
        """Read every sandbox again (F5), the session and scenario files too."""
        self.run_worker(lambda: self._read(everything=True), thread=True, group="dashboard")

    def refresh_changed(self) -> None:
        """Read the sandboxes written since the last reading (the timer; skipped while a
        reading is still going, so that readings never pile up on a slow machine)."""
        if self._reading:
            return
        self._reading = True
        self.run_worker(lambda: self._read(everything=False), thread=True, group="dashboard")

    def _read(self, *, everything: bool) -> None:
        try:
            status = self.reader.read(everything=everything)
        except TreemError as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        finally:
            if not everything:
                self._reading = False
        self.app.call_from_thread(self.show, status)

    def _show_error(self, text: str) -> None:
        self.query_one("#dashboard-message", Static).update(text)

    def show(self, status: SessionStatus) -> None:
        """Put ``status`` on screen, touching only the cells that changed."""
        table = self.query_one("#dashboard-table", DataTable)
        for trainee in status.trainees:
            cells = trainee_cells(trainee)
            before = self.shown.get(trainee.username)
            if before is None:
                table.add_row(*cells, key=trainee.username)
            else:
                for label, old, new in zip(msg.DASHBOARD_COLUMNS, before, cells, strict=True):
                    if old != new:
                        # a wider value ("10/10 trẻ" after "9/10 trẻ") widens its column
                        table.update_cell(trainee.username, label, new, update_width=True)
            self.shown[trainee.username] = cells
        lines = [msg.DASHBOARD_ROOM_ERROR.format(
            field=msg.field_label(r.field), kind=msg.ERROR_KINDS[r.kind.value],
            count=r.count, trainees=r.trainees)
            for r in room_errors(t.result for t in status.trainees)[:5]]
        text = "\n".join(lines) or msg.DASHBOARD_NO_ERRORS
        if text != self.room_text:
            self.room_text = text
            self.query_one("#dashboard-room", Static).update(text)
        self.readings += 1


class TrainerApp(App[int]):
    """``treem training dashboard FOLDER``: the dashboard on its own (no register open)."""

    TITLE = msg.DASHBOARD_APP_TITLE
    CSS_PATH = Path(__file__).resolve().parent.parent / "app.tcss"  # the app's one sheet
    ENABLE_COMMAND_PALETTE = False  # Textual's palette (themes, in English) is no trainer's tool

    def __init__(self, folder: str | os.PathLike[str], *,
                 refresh_seconds: float = REFRESH_SECONDS) -> None:
        super().__init__()
        self.folder = folder
        self.refresh_seconds = refresh_seconds

    def on_mount(self) -> None:
        self.push_screen(TrainingDashboard(self.folder, refresh_seconds=self.refresh_seconds))


def run_dashboard(folder: str | os.PathLike[str]) -> int:
    """Run the dashboard of the session in ``folder`` on this terminal until the trainer
    leaves; the exit code."""
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    app = TrainerApp(folder)
    use_lean_driver(app)
    app.run()
    return int(app.return_code or 0)
