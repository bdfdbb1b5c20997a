"""Who may do what, and where: the one place permissions and scope are decided.

:data:`MATRIX` is the role x permission table, as data. Every operation of the services
names the permission it needs (``@operation(Permission.X)``, see ``tui.services.base``)
and every read or write of a child, household, caregiver, history or draft checks the
acting person's :class:`Scope`. Sensitive fields (ethnicity, circumstances, supports,
the household's poverty; NĐ 13/2023/NĐ-CP on personal data, sensitive data of children)
are returned redacted to roles without :attr:`Permission.VIEW_SENSITIVE`, and such a role
cannot change them by leaving them out either (see ``tui.services.children``).

What a screen offers follows from the same table: :data:`DOORS` says which permission
opens each part of the application (home and the palette show only those the person may
open), :func:`review_kinds` which review lists the person may read.
"""

from __future__ import annotations

import time

import attrs

from tui.domain import Door, Permission, ReviewKind, Role, TransferWork
from tui.errors import PermissionDenied, SessionExpired
from tui.messages import core as msg
from tui.store.tenancy import Tenancy

__all__ = [
    "DOORS",
    "MATRIX",
    "SENSITIVE_CHILD_FIELDS",
    "SENSITIVE_FIELDS",
    "SENSITIVE_REVIEW_KINDS",
    "WORKS",
    "Scope",
    "Session",
    "allowed",
    "may_open",
    "require",
    "require_review_kind",
    "require_village",
    "review_kinds",
    "sees_sensitive",
    "transfer_works",
]

P = Permission

_OFFICER = frozenset({
    P.VIEW_PERSONAL, P.VIEW_SENSITIVE, P.EDIT_CHILD, P.MERGE_CHILDREN, P.DECIDE_DUPLICATES,
    P.POLICE_LISTS, P.MAKE_POLICE_BATCH, P.REVIEW, P.REVIEW_LISTS, P.RECHECK, P.REPORTS,
    P.EXPORT_PERSONAL, P.VIEW_AUDIT,
})

#: What each role may do (issue 3): the administrator everything; the officer all data of
#: the commune; the collaborator entry in the assigned villages, without sensitive data,
#: and the lists of what to fix there;
#: the police the verification lists only; the viewer reports without personal data; the
#: trainer an officer's work plus accounts, on training registers only.
MATRIX: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: _OFFICER | {P.MANAGE_USERS, P.MANAGE_VILLAGES, P.MANAGE_SETTINGS},
    Role.OFFICER: _OFFICER,
    Role.COLLABORATOR: frozenset({P.VIEW_PERSONAL, P.EDIT_CHILD, P.REVIEW_LISTS}),
    Role.POLICE: frozenset({P.POLICE_LISTS}),
    Role.VIEWER: frozenset({P.REPORTS}),
    Role.TRAINER: _OFFICER | {P.MANAGE_USERS, P.MANAGE_VILLAGES},
    # Issue 13, a province's database of many communes: the province officer reads the
    # aggregate reports and the list of the province's communes, never a child's
    # personal data; the province administrator keeps the accounts and communes.
    Role.PROVINCE_OFFICER: frozenset({P.REPORTS, P.VIEW_COMMUNES}),
    Role.PROVINCE_ADMINISTRATOR: frozenset({P.REPORTS, P.VIEW_COMMUNES, P.MANAGE_USERS,
                                            P.MANAGE_COMMUNES}),
}

#: Scalar fields of a child that only roles with ``view_sensitive`` may read.
SENSITIVE_CHILD_FIELDS: tuple[str, ...] = ("ethnicity",)
#: Every field (as issues and history entries name them) holding sensitive data.
SENSITIVE_FIELDS: frozenset[str] = frozenset({
    *SENSITIVE_CHILD_FIELDS, "circumstances", "circumstance", "supports", "support",
    "poverty"})

#: Review lists found from sensitive data (circumstances and supports): only a person who
#: may see sensitive data may read them, or even their size.
SENSITIVE_REVIEW_KINDS: frozenset[ReviewKind] = frozenset({ReviewKind.CATEGORY_RULES,
                                                           ReviewKind.UNSUPPORTED})

#: The permissions that open each part of the application (any one of them). A part the
#: person cannot open is not offered: home and the command palette leave it out.
DOORS: dict[Door, frozenset[Permission]] = {
    Door.ENTRY: frozenset({P.EDIT_CHILD}),
    Door.SEARCH: frozenset({P.VIEW_PERSONAL}),
    Door.REVIEW: frozenset({P.REVIEW_LISTS}),
    Door.STEP5: frozenset({P.REVIEW}),
    Door.DUPLICATES: frozenset({P.DECIDE_DUPLICATES}),
    Door.ADMIN: frozenset({P.MANAGE_USERS, P.MANAGE_VILLAGES, P.MANAGE_SETTINGS}),
    # Door.TRANSFER opens to whoever may run one of its WORKS.
    Door.REPORT: frozenset({P.REPORTS}),
    Door.RECHECK: frozenset({P.RECHECK}),
}

#: The permissions each work of the spreadsheet screen needs (all of them): the same the
#: operations of ``tui.services.transfer`` check when the work runs.
WORKS: dict[TransferWork, frozenset[Permission]] = {
    TransferWork.POLICE: frozenset({P.MAKE_POLICE_BATCH}),
    TransferWork.CLEANING: frozenset({P.EXPORT_PERSONAL, P.REVIEW_LISTS}),
    TransferWork.FULL: frozenset({P.EXPORT_PERSONAL}),
    TransferWork.REPORT: frozenset({P.REPORTS}),
    TransferWork.IMPORT_POLICE: frozenset({P.POLICE_LISTS}),
    TransferWork.IMPORT_CHILDREN: frozenset({P.EDIT_CHILD, P.REVIEW}),
}


@attrs.frozen
class Scope:
    """Where a person may read and write.

    ``villages`` None is the whole commune; otherwise only children, households and
    drafts of those villages (a collaborator's assignment); every village check goes
    through :meth:`covers`.

    ``commune`` is the commune of the person's account (a database of many communes,
    schema v9): every read and write of the store is bound to it
    (``tui.store.tenancy``, bound by ``tui.services.base``). A province account has no
    commune and reads ``communes``, the communes of the province. Both None (a session
    made without them, e.g. on a commune's own file): the database's own binding stays.
    """

    villages: frozenset[int] | None = None
    commune: str | None = None
    communes: frozenset[str] | None = None

    def covers(self, village_id: int | None) -> bool:
        """True when a record of village ``village_id`` is within the scope."""
        return self.villages is None or village_id in self.villages

    def covers_commune(self, commune: str | None) -> bool:
        """True when an account or record of ``commune`` (None: the province) is within
        the scope."""
        if self.commune is None and self.communes is None:
            return True  # the database's own binding decides
        if self.commune is not None:
            return commune == self.commune
        return commune is None or commune in (self.communes or frozenset())

    @property
    def tenancy(self) -> Tenancy | None:
        """What the store is bound to for this person; None: leave it as it is."""
        if self.commune is not None:
            return Tenancy.of(self.commune)
        if self.communes is not None:
            return Tenancy(None, self.communes)
        return None


@attrs.define
class Session:
    """The acting person: who, in which role, where, and since when idle.

    ``idle_timeout_s`` None never expires (command line, sandbox without password).
    """

    user_id: int
    username: str
    full_name: str
    role: Role
    scope: Scope = Scope()
    idle_timeout_s: float | None = None
    last_active: float = attrs.field(factory=time.monotonic)
    expired: bool = False

    def touch(self) -> None:
        """Record activity now; raise ``SessionExpired`` if the session was idle too long."""
        moment = time.monotonic()
        if self.expired or (self.idle_timeout_s is not None
                            and moment - self.last_active > self.idle_timeout_s):
            self.expired = True
            raise SessionExpired(max(1, round((self.idle_timeout_s or 60) / 60)))
        self.last_active = moment

    def resume(self) -> None:
        """Clear the idle lock (after the person typed their password again)."""
        self.expired = False
        self.last_active = time.monotonic()


def allowed(session: Session, permission: Permission) -> bool:
    """May the person's role do what ``permission`` covers?"""
    return permission in MATRIX.get(session.role, frozenset())


def require(session: Session, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless the person's role has ``permission``."""
    if not allowed(session, permission):
        raise PermissionDenied(session.role, permission)


def require_village(session: Session, permission: Permission,
                    village_id: int | None) -> None:
    """Raise ``PermissionDenied`` unless a record of ``village_id`` is in scope."""
    if not session.scope.covers(village_id):
        raise PermissionDenied(session.role, permission, msg.VILLAGE_NOT_ASSIGNED)


def sees_sensitive(session: Session) -> bool:
    """True when sensitive fields are shown to this person unredacted."""
    return allowed(session, Permission.VIEW_SENSITIVE)


def may_open(session: Session, door: Door) -> bool:
    """May the person open this part of the application (see :data:`DOORS`; the
    spreadsheet screen when they may run one of its :data:`WORKS`)?"""
    door = Door(door)
    if door is Door.TRANSFER:
        return bool(transfer_works(session))
    return any(allowed(session, permission) for permission in DOORS[door])


def transfer_works(session: Session) -> tuple[TransferWork, ...]:
    """The works of the spreadsheet screen the person may run, in list order."""
    return tuple(work for work, needs in WORKS.items()
                 if all(allowed(session, permission) for permission in needs))


def review_kinds(session: Session) -> tuple[ReviewKind, ...]:
    """The review lists the person may read, in key order (none without ``review_lists``;
    the lists of :data:`SENSITIVE_REVIEW_KINDS` only with ``view_sensitive``)."""
    if not allowed(session, Permission.REVIEW_LISTS):
        return ()
    sensitive = sees_sensitive(session)
    return tuple(kind for kind in ReviewKind
                 if sensitive or kind not in SENSITIVE_REVIEW_KINDS)


def require_review_kind(session: Session, kind: ReviewKind) -> None:
    """Raise ``PermissionDenied`` unless the person may read review list ``kind``."""
    if ReviewKind(kind) not in review_kinds(session):
        missing = (Permission.REVIEW_LISTS if not allowed(session, Permission.REVIEW_LISTS)
                   else Permission.VIEW_SENSITIVE)
        raise PermissionDenied(session.role, missing)
