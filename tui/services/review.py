"""The review lists (step 3 and the circumstance lists): counts and pages.

One list is one SQL condition (``tui.store.review``) built from the one definition of
what puts a child on it (``tui.review_rules``). The screens page through it, the home
screen counts it, ``treem check`` prints it and the cleaning workbook writes it: the
same children and the same counts everywhere. Collaborators' village scope applies, and
a person who may not see sensitive data reads only the lists ``policy.review_kinds``
gives them, without the children whose only problem is in a field hidden from them (the
count and the rows agree: both come from the same condition).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs

from tui.domain import Permission, ReviewKind
from tui.review_rules import kind_codes, visible_codes
from tui.services.base import Service, operation, unchecked
from tui.services.children import StoredIssue, stored_issues
from tui.services.policy import (
    SENSITIVE_FIELDS,
    require_review_kind,
    review_kinds,
    sees_sensitive,
)
from tui.store import review as store

__all__ = ["FlagCounts", "ReviewItem", "ReviewQuery", "ReviewService"]

#: Children read per query when a whole list is wanted (``treem check``, the workbook).
_BATCH = 5000


@attrs.frozen
class ReviewItem:
    """One child on a review list, with the codes that put it there.

    ``issues`` are every issue stored with the record (sensitive ones left out for roles
    that may not see them, and ``ethnicity`` None for them); ``extra`` names the open
    special circumstances of a child on the "without support" list.
    """

    child_id: int
    personal_id: str | None
    full_name: str
    birth_date: str | None
    sex: str | None
    village: str | None
    state: str
    codes: tuple[str, ...]
    issues: tuple[StoredIssue, ...]
    father_name: str | None = None
    mother_name: str | None = None
    caregiver_name: str | None = None
    ethnicity: str | None = None
    extra: str = ""


@attrs.frozen
class FlagCounts:
    """How many children's records have an error, and a warning."""

    errors: int
    warnings: int


class ReviewService(Service):
    """The review lists for the acting person."""

    @unchecked("which lists the person may read follows from the role alone; no data")
    def kinds(self) -> tuple[ReviewKind, ...]:
        """The lists this person may read, in key order (``policy.review_kinds``)."""
        return review_kinds(self.session)

    def _codes(self, kind: ReviewKind) -> tuple[str, ...] | None:
        """The part of list ``kind``'s codes this person may see, None for all."""
        codes = kind_codes(kind)
        if not codes or sees_sensitive(self.session):
            return None
        visible = visible_codes(kind, SENSITIVE_FIELDS)
        return None if visible == codes else visible

    def _count(self, kind: ReviewKind, day: date) -> int:
        require_review_kind(self.session, kind)
        return store.count(self.db, kind, on=day, villages=self.session.scope.villages,
                           codes=self._codes(kind))

    @operation(Permission.REVIEW_LISTS)
    def count(self, kind: ReviewKind, *, on: date | None = None) -> int:
        """How many children are on list ``kind`` now."""
        return self._count(ReviewKind(kind), on or self.ctx.today())

    @operation(Permission.REVIEW_LISTS)
    def counts(self, *, on: date | None = None) -> dict[ReviewKind, int]:
        """The size of every list the person may read: five are read from their partial
        indexes (under 1 ms each on 300,000 children), "without support" scans (about
        20 ms), so a worker is still the place to call it from."""
        day = on or self.ctx.today()
        return {kind: self._count(kind, day) for kind in self.kinds()}

    @operation(Permission.REVIEW_LISTS)
    def page(self, kind: ReviewKind, offset: int, limit: int, *,
             on: date | None = None) -> list[ReviewItem]:
        """At most ``limit`` children of list ``kind`` from position ``offset``, in entry
        order."""
        kind = ReviewKind(kind)
        require_review_kind(self.session, kind)
        day = on or self.ctx.today()
        rows = store.page(self.db, kind, on=day, villages=self.session.scope.villages,
                          offset=offset, limit=limit, codes=self._codes(kind))
        extra: dict[int, str] = {}
        if kind is ReviewKind.UNSUPPORTED:
            extra = store.open_special_codes(self.db, [r.child_id for r in rows], day)
        wanted = set(kind_codes(kind))
        sensitive = sees_sensitive(self.session)
        items = []
        for row in rows:
            issues = stored_issues(row.issues, self.session)
            codes = tuple(i.code for i in issues if i.code in wanted) if wanted else ()
            items.append(ReviewItem(
                row.child_id, row.personal_id, row.full_name, row.birth_date, row.sex,
                row.village, row.state, codes,
                issues, row.father_name, row.mother_name, row.caregiver_name,
                row.ethnicity if sensitive else None, extra.get(row.child_id, "")))
        return items

    @operation(Permission.REVIEW)
    def flag_counts(self) -> FlagCounts:
        """Children whose record has an error / a warning (``treem check``'s exit code)."""
        return FlagCounts(*store.flag_counts(self.db, self.session.scope.villages))

    def all_of(self, kind: ReviewKind, *, on: date | None = None,
               limit: int | None = None) -> Iterator[ReviewItem]:
        """The children of list ``kind`` (the first ``limit``), read in batches through
        :meth:`page` (so each batch is checked like a page)."""
        offset = 0
        while limit is None or offset < limit:
            size = _BATCH if limit is None else min(_BATCH, limit - offset)
            batch = self.page(kind, offset, size, on=on)
            yield from batch
            if len(batch) < size:
                return
            offset += len(batch)


class ReviewQuery:
    """One list as a paged source for a table: ``count()`` and ``page(offset, limit)``
    read the database on each call, so a record fixed elsewhere leaves the list."""

    def __init__(self, review: ReviewService, kind: ReviewKind, *, on: date | None = None
                 ) -> None:
        self.review = review
        self.kind = ReviewKind(kind)
        self.on = on or review.ctx.today()

    def count(self) -> int:
        return self.review.count(self.kind, on=self.on)

    def page(self, offset: int, limit: int) -> list[ReviewItem]:
        return self.review.page(self.kind, offset, limit, on=self.on)
