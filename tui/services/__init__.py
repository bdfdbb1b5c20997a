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
- ``transfer``: spreadsheets in and out;
- ``reports``: figures against the plans' targets and the report workbook.

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

from tui.services.base import Context
from tui.services.policy import Session

if TYPE_CHECKING:
    from tui.services.audit import AuditService
    from tui.services.children import ChildrenService
    from tui.services.commune import CommuneService
    from tui.services.drafts import DraftsService
    from tui.services.duplicates import DuplicatesService
    from tui.services.households import HouseholdsService
    from tui.services.police import PoliceService
    from tui.services.recheck import RecheckService
    from tui.services.registers import BackupService
    from tui.services.reports import ReportsService
    from tui.services.review import ReviewService
    from tui.services.transfer import TransferService
    from tui.services.users import UsersService

__all__ = ["Services"]

# Each area is imported when first used: the areas and their store modules define some
# sixty attrs classes, about 45 ms at import (python -X importtime) that the app's first
# screen would otherwise pay before it paints; the spreadsheet formats another 60 ms.


class Services:
    """Every operation of one person's session on one register."""

    def __init__(self, db: peewee.Database, session: Session) -> None:
        self.ctx = Context(db, session)

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
    def children(self) -> ChildrenService:
        """Children: read, history, search, save, step 5."""
        from tui.services.children import ChildrenService

        return ChildrenService(self.ctx)

    @functools.cached_property
    def households(self) -> HouseholdsService:
        """Household books."""
        from tui.services.households import HouseholdsService

        return HouseholdsService(self.ctx)

    @functools.cached_property
    def review(self) -> ReviewService:
        """The review lists."""
        from tui.services.review import ReviewService

        return ReviewService(self.ctx)

    @functools.cached_property
    def duplicates(self) -> DuplicatesService:
        """Duplicate candidates, decisions, merge and undo."""
        from tui.services.duplicates import DuplicatesService

        return DuplicatesService(self.ctx)

    @functools.cached_property
    def police(self) -> PoliceService:
        """Police verification batches."""
        from tui.services.police import PoliceService

        return PoliceService(self.ctx)

    @functools.cached_property
    def recheck(self) -> RecheckService:
        """The re-check (phúc tra)."""
        from tui.services.recheck import RecheckService

        return RecheckService(self.ctx)

    @functools.cached_property
    def users(self) -> UsersService:
        """Accounts (administrator)."""
        from tui.services.users import UsersService

        return UsersService(self.ctx)

    @functools.cached_property
    def commune(self) -> CommuneService:
        """Settings and villages."""
        from tui.services.commune import CommuneService

        return CommuneService(self.ctx)

    @functools.cached_property
    def audit(self) -> AuditService:
        """The audit log."""
        from tui.services.audit import AuditService

        return AuditService(self.ctx)

    @functools.cached_property
    def drafts(self) -> DraftsService:
        """The person's drafts and typing mode."""
        from tui.services.drafts import DraftsService

        return DraftsService(self.ctx)

    @functools.cached_property
    def backup(self) -> BackupService:
        """Copies of the register."""
        from tui.services.registers import BackupService

        return BackupService(self.ctx)

    @functools.cached_property
    def transfer(self) -> TransferService:
        """Spreadsheets in and out."""
        from tui.services.transfer import TransferService

        return TransferService(self.ctx)

    @functools.cached_property
    def reports(self) -> ReportsService:
        """Figures against the plans' targets and the report workbook."""
        from tui.services.reports import ReportsService

        return ReportsService(self.ctx)
