"""The application's vocabulary: one enumeration per coded value the register keeps.

Roles, permissions, record states, household poverty, caregiver relations, review lists,
export kinds, police batch and row statuses, duplicate decisions. Each is a ``StrEnum``
whose values are what the database stores, so a value read from a row compares equal to
its member. The Vietnamese name of each member is in ``tui.messages.labels`` (one table
per enumeration); what each role may do is in ``tui.services.policy``.

This module imports nothing of the application: the store, the services, the screens and
the command line all speak it.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "MAX_ADULTS",
    "STEP3_KINDS",
    "BatchStatus",
    "Decision",
    "Door",
    "ExportKind",
    "Permission",
    "Poverty",
    "RecordState",
    "Relation",
    "ReviewKind",
    "Role",
    "RowStatus",
    "TransferWork",
]


class Role(StrEnum):
    """Who a person is in the commune's register (issue 3), or in the province's
    database of many communes (issue 13: the two province roles, whose accounts belong
    to no commune)."""

    ADMINISTRATOR = "administrator"
    OFFICER = "officer"
    COLLABORATOR = "collaborator"
    POLICE = "police"
    VIEWER = "viewer"
    TRAINER = "trainer"
    PROVINCE_OFFICER = "province_officer"
    PROVINCE_ADMINISTRATOR = "province_administrator"

    @property
    def is_province(self) -> bool:
        """True for a province role: the account belongs to no commune and reads the
        communes of the province."""
        return self in (Role.PROVINCE_OFFICER, Role.PROVINCE_ADMINISTRATOR)


class Permission(StrEnum):
    """What an operation needs; ``tui.services.policy.MATRIX`` says which role has it."""

    VIEW_PERSONAL = "view_personal"
    VIEW_SENSITIVE = "view_sensitive"
    EDIT_CHILD = "edit_child"
    MERGE_CHILDREN = "merge_children"
    DECIDE_DUPLICATES = "decide_duplicates"
    POLICE_LISTS = "police_lists"
    MAKE_POLICE_BATCH = "make_police_batch"
    REVIEW = "review"
    REVIEW_LISTS = "review_lists"
    RECHECK = "recheck"
    REPORTS = "reports"
    EXPORT_PERSONAL = "export_personal"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_VILLAGES = "manage_villages"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_COMMUNES = "view_communes"
    MANAGE_COMMUNES = "manage_communes"


class Door(StrEnum):
    """A part of the application a person opens from home or the command palette;
    ``tui.services.policy.DOORS`` says which permission opens it."""

    ENTRY = "entry"
    SEARCH = "search"
    REVIEW = "review"
    STEP5 = "step5"
    DUPLICATES = "duplicates"
    ADMIN = "admin"
    TRANSFER = "transfer"
    REPORT = "report"
    RECHECK = "recheck"


class TransferWork(StrEnum):
    """The works of the spreadsheet screen, in its list order (digits 1-6)."""

    POLICE = "police"
    CLEANING = "cleaning"
    FULL = "full"
    REPORT = "report"
    IMPORT_POLICE = "import_police"
    IMPORT_CHILDREN = "import_children"


class RecordState(StrEnum):
    """The workflow state of a child's record (DOMAIN.md §1, steps 2-6)."""

    ENTERED = "entered"
    NEEDS_FIXING = "needs_fixing"
    SENT_TO_POLICE = "sent_to_police"
    ID_VERIFIED = "id_verified"
    CIRCUMSTANCES_REVIEWED = "circumstances_reviewed"
    RECHECKED = "rechecked"


class Poverty(StrEnum):
    """A household's standing on the commune's poor-household list.

    The entry form picks it by its position (0, 1, 2: :meth:`digit`).
    """

    NONE = "none"
    POOR = "poor"
    NEAR_POOR = "near_poor"

    @property
    def digit(self) -> str:
        """The key typed on the entry form: ``0`` none, ``1`` poor, ``2`` near-poor."""
        return str(list(Poverty).index(self))

    @classmethod
    def from_digit(cls, typed: str) -> Poverty | None:
        """The member typed as its digit on the entry form, or None."""
        text = typed.strip()
        members = list(cls)
        if text.isdigit() and int(text) < len(members):
            return members[int(text)]
        return None


class Relation(StrEnum):
    """How an adult of the household book is related to the children."""

    FATHER = "father"
    MOTHER = "mother"
    GUARDIAN = "guardian"


class ReviewKind(StrEnum):
    """The review lists, in the order a user works through them (keys 1-6)."""

    NO_ID = "no_id"
    BAD_ID = "bad_id"
    BASIC_INFO = "basic_info"
    CATEGORY_RULES = "category_rules"
    UNSUPPORTED = "unsupported"
    AGED_OUT = "aged_out"


#: Parents and caregivers one household book page lists (entry form, training pages). The
#: book itself has no limit; six covers two couples and two grandparents and keeps every
#: adult a one-digit number in the father / mother / caregiver pickers.
MAX_ADULTS = 6

#: The lists of step 3 (cleaning) of Decision 3978/QĐ-BYT, plus "aged 16 and over", which
#: the cleaning workbook and ``treem check`` show beside them.
STEP3_KINDS: tuple[ReviewKind, ...] = (ReviewKind.NO_ID, ReviewKind.BAD_ID,
                                       ReviewKind.BASIC_INFO)


class ExportKind(StrEnum):
    """The spreadsheets the register writes."""

    POLICE = "police"
    CLEANING = "cleaning"
    FULL = "full"
    REPORT = "report"


class BatchStatus(StrEnum):
    """A police verification list: handed to the police, then returned by them."""

    SENT = "sent"
    RETURNED = "returned"


class RowStatus(StrEnum):
    """One child on a police verification list."""

    PENDING = "pending"
    VERIFIED = "verified"
    CORRECTED = "corrected"
    NOT_FOUND = "not_found"


class Decision(StrEnum):
    """A person's decision on two records that may be one child."""

    SAME = "same"
    DIFFERENT = "different"
