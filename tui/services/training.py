"""Training sessions (issue 12): one sandbox register per trainee, the room's scores.

A session lives in a folder of its own (0700): ``phien.json`` (the scenario, the trainees
and their sandbox files; no password), ``mat-khau.txt`` (the trainees' passwords for the
trainer to hand out, 0600) and one sandbox register per trainee. A sandbox is marked as
such in its settings, so it can never produce a police list (``tui.services.police``) and
the app marks it on every screen; it checks records on the scenario's reference date,
not today, so that a child is the age its page says. Scoring reads each sandbox and
compares it with the scenario's answer key (``tui.training.scoring``); keystroke measures,
when the entry form recorded any, are read from ``<trainee>.phim.jsonl`` (counts and
timings only).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import attrs

from exports.private_dirs import make_private_dirs
from libchild import catalog
from tui.domain import Role
from tui.errors import InvalidInput
from tui.messages import training as msg
from tui.services import accounts
from tui.store import settings as settings_store
from tui.store import villages as villages_store
from tui.store.backup import remove_database
from tui.store.database import open_db, write_tx
from tui.store.training import trainee_records
from tui.training.export import SessionInfo, write_session_results
from tui.training.keystrokes import KeystrokeMeasure
from tui.training.loader import ScenarioError, find_scenario, load_scenario
from tui.training.results import TraineeResult
from tui.training.scenario import Scenario
from tui.training.scoring import score_trainee

__all__ = [
    "MANIFEST",
    "MAX_TRAINEES",
    "PASSWORDS",
    "RoomReader",
    "SessionStatus",
    "StartedSession",
    "TraineeSandbox",
    "TraineeStatus",
    "TrainingSeat",
    "export_session",
    "join_session",
    "read_measures",
    "read_session",
    "session_status",
    "start_session",
    "write_measures",
]

MANIFEST = "phien.json"
PASSWORDS = "mat-khau.txt"
#: The most trainees of one session (a training room; larger rooms are two sessions).
MAX_TRAINEES = 60


@attrs.frozen
class TraineeSandbox:
    """One trainee of a session: the account's name and its sandbox file (in the folder)."""

    username: str
    full_name: str
    register: str


@attrs.frozen
class Session:
    """A session as ``phien.json`` holds it."""

    folder: Path
    scenario_id: str
    scenario_source: str
    started_at: str
    trainees: tuple[TraineeSandbox, ...]

    def register_path(self, trainee: TraineeSandbox) -> Path:
        """The sandbox file of ``trainee``."""
        return self.folder / trainee.register

    def scenario(self) -> Scenario:
        """The session's scenario, read again from its file."""
        return _load(self.scenario_source)


@attrs.frozen
class StartedSession:
    """A session just made: the session and each trainee's password (shown once)."""

    session: Session
    passwords: tuple[tuple[str, str], ...]
    passwords_file: Path


def _load(name: str) -> Scenario:
    try:
        return load_scenario(find_scenario(name))
    except ScenarioError as exc:
        raise InvalidInput(str(exc)) from exc


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _make_sandbox(path: Path, scenario: Scenario, username: str, full_name: str,
                  password: str) -> None:
    commune = catalog.load().communes.get(scenario.commune_code)
    db = open_db(path, create=True)
    try:
        settings_store.initialize(
            db, commune_code=scenario.commune_code,
            commune_name=commune.name if commune else scenario.commune_code,
            province_code=scenario.province_code, sandbox=True,
            as_of=scenario.reference_date)
        with write_tx(db):
            for village in dict.fromkeys(p.village for p in scenario.pages if p.village):
                if villages_store.by_folded_name(db, village) is None:
                    villages_store.insert(db, scenario.commune_code, village)
        accounts.create_account(db, username, full_name, Role.OFFICER, password,
                                must_change_password=False)
    finally:
        db.close()


def start_session(folder: str | os.PathLike[str], scenario_name: str, trainees: int, *,
                  prefix: str = "hocvien") -> StartedSession:
    """Make a session of ``trainees`` trainees on scenario ``scenario_name`` in the new
    folder ``folder``: one sandbox register with one officer account per trainee. Refused
    (``InvalidInput``) for an existing folder, an unknown scenario or a count outside
    1..:data:`MAX_TRAINEES`; a failure leaves no folder behind."""
    if not 1 <= trainees <= MAX_TRAINEES:
        raise InvalidInput(msg.SESSION_TRAINEES_BAD.format(value=trainees,
                                                           maximum=MAX_TRAINEES))
    if not prefix.isascii() or not prefix.isalnum():
        raise InvalidInput(msg.SESSION_PREFIX_BAD.format(value=prefix))
    scenario = _load(scenario_name)
    place = Path(folder)
    if place.exists():
        raise InvalidInput(msg.SESSION_FOLDER_EXISTS.format(folder=place))
    make_private_dirs(place)
    made: list[TraineeSandbox] = []
    passwords: list[tuple[str, str]] = []
    try:
        for number in range(1, trainees + 1):
            username = f"{prefix}{number:02d}"
            full_name = msg.TRAINEE_NAME.format(number=number)
            password = secrets.token_urlsafe(6)
            register = f"{username}.treem"
            _make_sandbox(place / register, scenario, username, full_name, password)
            made.append(TraineeSandbox(username, full_name, register))
            passwords.append((username, password))
        session = Session(place, scenario.id, str(Path(scenario.source).resolve())
                          if scenario.source else scenario.id,
                          datetime.now(UTC).isoformat(timespec="seconds"), tuple(made))
        _write_private(place / MANIFEST, json.dumps(
            {"scenario_id": session.scenario_id, "scenario_source": session.scenario_source,
             "started_at": session.started_at,
             "trainees": [attrs.asdict(t) for t in made]}, ensure_ascii=False, indent=1))
        _write_private(place / PASSWORDS, "".join(
            msg.PASSWORD_LINE.format(username=u, password=p, register=place / f"{u}.treem")
            for u, p in passwords))
    except BaseException:
        for trainee in made:
            remove_database(place / trainee.register)
        for leftover in place.iterdir():
            leftover.unlink()
        place.rmdir()
        raise
    return StartedSession(session, tuple(passwords), place / PASSWORDS)


def read_session(folder: str | os.PathLike[str]) -> Session:
    """The session kept in ``folder`` (``InvalidInput`` when it holds none)."""
    place = Path(folder)
    try:
        data = json.loads((place / MANIFEST).read_text(encoding="utf-8"))
        return Session(place, str(data["scenario_id"]), str(data["scenario_source"]),
                       str(data["started_at"]),
                       tuple(TraineeSandbox(str(t["username"]), str(t["full_name"]),
                                            str(t["register"])) for t in data["trainees"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(msg.SESSION_NOT_FOUND.format(folder=place)) from exc


def _measures_path(folder: Path, username: str) -> Path:
    return folder / f"{username}.phim.jsonl"


@attrs.frozen
class TrainingSeat:
    """A trainee at work in a session (``treem training join``): whose sandbox is open,
    and where the entry form's keystroke measures go."""

    folder: Path
    username: str
    register: Path

    def record(self, measures: Sequence[KeystrokeMeasure]) -> None:
        """Append ``measures`` to the trainee's measures file (0600; counts and timings,
        never the typed text)."""
        write_measures(self.folder, self.username, measures)


def write_measures(folder: Path, username: str, measures: Sequence[KeystrokeMeasure]) -> None:
    """Append ``measures`` as lines of ``<username>.phim.jsonl`` in ``folder`` (one write,
    so a dropped link cuts at most the last line, which :func:`read_measures` skips)."""
    if not measures:
        return
    text = "".join(json.dumps({"record_id": m.record_id, "order": m.order,
                               "started_at": m.started_at.isoformat(), "seconds": m.seconds,
                               "keys": m.keys, "corrections": m.corrections}) + "\n"
                   for m in measures)
    fd = os.open(_measures_path(folder, username), os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def join_session(folder: str | os.PathLike[str], username: str) -> TrainingSeat:
    """The seat of trainee ``username`` in the session in ``folder``: refused
    (``InvalidInput``, in Vietnamese) for a trainee the session does not have, a sandbox
    file outside the session's folder, a file that is not a sandbox (a real register is
    never opened for training) or a sandbox without that trainee's account."""
    session = read_session(folder)
    trainee = next((t for t in session.trainees if t.username == username), None)
    if trainee is None:
        raise InvalidInput(msg.TRAINEE_UNKNOWN.format(
            folder=session.folder, username=username,
            known=", ".join(t.username for t in session.trainees)))
    register = session.register_path(trainee).resolve()
    if register.parent != session.folder.resolve():
        raise InvalidInput(msg.SEAT_OUTSIDE.format(username=username, folder=session.folder))
    from tui.services.registers import open_register
    from tui.store import users as users_store

    opened = open_register(register)
    try:
        if not opened.sandbox:
            raise InvalidInput(msg.SEAT_NOT_SANDBOX.format(register=register))
        if users_store.by_username(opened.db, username) is None:
            raise InvalidInput(msg.SEAT_NO_ACCOUNT.format(register=register,
                                                          username=username))
    finally:
        opened.close()
    return TrainingSeat(session.folder, username, register)


def read_measures(session: Session, trainee: TraineeSandbox) -> tuple[KeystrokeMeasure, ...]:
    """The keystroke measures of ``trainee`` (none when the form recorded none); a line
    that cannot be read is skipped (a write cut by a dropped link)."""
    path = _measures_path(session.folder, trainee.username)
    if not path.exists():
        return ()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
            out.append(KeystrokeMeasure(
                item.get("record_id"), int(item["order"]),
                datetime.fromisoformat(item["started_at"]), float(item["seconds"]),
                int(item["keys"]), int(item["corrections"])))
        except (ValueError, KeyError, TypeError):
            continue
    return tuple(out)


@attrs.frozen
class TraineeStatus:
    """One trainee's progress: children entered of those on the pages, and the score."""

    username: str
    full_name: str
    children_entered: int
    children_expected: int
    result: TraineeResult


@attrs.frozen
class SessionStatus:
    """Every trainee of a session, in the session's order."""

    session: Session
    scenario: Scenario
    trainees: tuple[TraineeStatus, ...]


#: A file's state as ``os.stat`` gives it (None: no such file): what changes on every write.
FileMark = tuple[int, int, int] | None


def _file_mark(path: Path) -> FileMark:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


class RoomReader:
    """Reads the room of the session in ``folder`` again and again (the trainer's
    dashboard), re-reading and re-scoring only the trainees whose files changed.

    A trainee's files are their sandbox (with its ``-wal`` journal, where every commit
    lands first) and their keystroke measures; any write to them changes a file's size,
    modification time or inode. The marks are taken before the sandbox is read, so a save
    made during a reading is read at the next one. A sandbox written without its mark
    changing (two commits in one tick of the file system's clock, the journal rewritten
    to the same size) is read at its next change or at a full reading
    (``read(everything=True)``, the dashboard's F5)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._session: Session | None = None
        self._scenario: Scenario | None = None
        self._marks: dict[str, tuple[FileMark, ...]] = {}
        self._rows: dict[str, TraineeStatus] = {}
        self._lock = threading.Lock()  # one reading at a time (a worker thread each)
        #: Sandboxes read and scored since this reader was made.
        self.sandboxes_read = 0

    def _marks_of(self, session: Session, trainee: TraineeSandbox) -> tuple[FileMark, ...]:
        register = session.register_path(trainee)
        return (_file_mark(register), _file_mark(Path(f"{register}-wal")),
                _file_mark(_measures_path(session.folder, trainee.username)))

    def read(self, *, everything: bool = False) -> SessionStatus:
        """Every trainee's progress and score; only changed sandboxes are read (all of
        them, and the session and scenario files too, with ``everything``)."""
        with self._lock:
            return self._read(everything)

    def _read(self, everything: bool) -> SessionStatus:
        if everything or self._session is None or self._scenario is None:
            self._session = read_session(self.folder)
            self._scenario = self._session.scenario()
            self._marks.clear()
        session, scenario = self._session, self._scenario
        rows = []
        for trainee in session.trainees:
            marks = self._marks_of(session, trainee)
            row = self._rows.get(trainee.username)
            if row is None or self._marks.get(trainee.username) != marks:
                row = _trainee_status(session, scenario, trainee)
                self.sandboxes_read += 1
                self._rows[trainee.username] = row
                self._marks[trainee.username] = marks
            rows.append(row)
        return SessionStatus(session, scenario, tuple(rows))


def _trainee_status(session: Session, scenario: Scenario,
                    trainee: TraineeSandbox) -> TraineeStatus:
    db = open_db(session.register_path(trainee))
    try:
        records = trainee_records(db, trainee.full_name)
    finally:
        db.close()
    result = score_trainee(scenario, records, read_measures(session, trainee))
    entered = sum(1 for c in records.children if c.merged_into is None)
    return TraineeStatus(trainee.username, trainee.full_name, entered,
                         len(scenario.key.children), result)


def session_status(folder: str | os.PathLike[str]) -> SessionStatus:
    """Read every trainee's sandbox of the session in ``folder`` and score it."""
    return RoomReader(folder).read()


def export_session(status: SessionStatus, out: str | os.PathLike[str], *, trainer: str,
                   pass_mark: float, held_on: date | None = None) -> Path:
    """The session's results workbook (``tui.training.export``) with certificate lines
    for trainees at or above ``pass_mark`` (0..1)."""
    info = SessionInfo(msg.SESSION_NAME.format(title=status.scenario.title,
                                               folder=status.session.folder.name),
                       held_on or date.fromisoformat(status.session.started_at[:10]),
                       trainer, pass_mark)
    results: Sequence[TraineeResult] = [t.result for t in status.trainees]
    return write_session_results(out, info, results)
