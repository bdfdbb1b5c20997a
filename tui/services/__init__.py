"""The one door to the register: every operation a person can do, by area.

``Services(db, session)`` gives one person's session its operations:

- ``children``: read (redacted), history, search, save, step 5;
- ``households``: read and save household books;
- ``review``: the review lists (counts, pages);
- ``duplicates``: candidate pairs, decisions, merge and undo;
- ``police``: verification batches and answers;
- ``recheck``: the re-check sample, results, summary per enterer;
- ``users``: accounts (administrator);
- ``commune``: settings and villages;
- ``audit``: reading and checking the log;
- ``drafts``: the person's unsaved forms and typing mode;
- ``backup``: a consistent copy of the register;
- ``transfer``: spreadsheets in and out.

Each operation checks the permission (``tui.services.policy``) and the village scope,
runs in one write transaction, writes its audit entry and returns typed results; errors
are ``tui.errors.TreemError`` with a Vietnamese message. Logging in is
``tui.services.accounts``; opening and creating register files ``tui.services.registers``.
Screens and the command line reach the data only through here: SQL lives in
``tui.store``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import peewee

from tui.services.audit import AuditService
from tui.services.base import Context
from tui.services.children import ChildrenService
from tui.services.commune import CommuneService
from tui.services.drafts import DraftsService
from tui.services.duplicates import DuplicatesService
from tui.services.households import HouseholdsService
from tui.services.police import PoliceService
from tui.services.policy import Session
from tui.services.recheck import RecheckService
from tui.services.registers import BackupService
from tui.services.review import ReviewService
from tui.services.users import UsersService

if TYPE_CHECKING:
    from tui.services.transfer import TransferService

__all__ = ["Services"]


class Services:
    """Every operation of one person's session on one register."""

    def __init__(self, db: peewee.Database, session: Session) -> None:
        self.ctx = Context(db, session)
        self.children = ChildrenService(self.ctx)
        self.households = HouseholdsService(self.ctx)
        self.review = ReviewService(self.ctx)
        self.duplicates = DuplicatesService(self.ctx)
        self.police = PoliceService(self.ctx)
        self.recheck = RecheckService(self.ctx)
        self.users = UsersService(self.ctx)
        self.commune = CommuneService(self.ctx)
        self.audit = AuditService(self.ctx)
        self.drafts = DraftsService(self.ctx)
        self.backup = BackupService(self.ctx)

    @property
    def session(self) -> Session:
        """The acting person."""
        return self.ctx.session

    @property
    def db(self) -> peewee.Database:
        """The register's database (for the app's own bookkeeping, e.g. unlocking)."""
        return self.ctx.db

    def end_thread(self) -> None:
        """Close the database connection of the calling thread (a worker thread's own;
        peewee opens one per thread)."""
        if not self.ctx.db.is_closed():
            self.ctx.db.close()

    @functools.cached_property
    def transfer(self) -> TransferService:
        """Spreadsheets in and out. Imported on first use: the spreadsheet formats and
        their libraries cost about 60 ms at import (python -X importtime), which the
        app's start does not need to pay."""
        from tui.services.transfer import TransferService

        return TransferService(self.ctx)
