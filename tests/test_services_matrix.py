"""Every operation of the service layer x every role: allowed roles succeed, the others get
``PermissionDenied``; and a collaborator's village scope holds for reads and writes.

The table names the permissions each operation needs; a test checks that the table covers
every public method of every service and agrees with the permission the method declares,
so a new operation without a row here fails.
"""

from __future__ import annotations

import functools
import inspect
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fixtures.exports_books import write_book
from kit import copy_register, new_register, on_postgres, person, where

from tui.domain import Decision, Permission, ReviewKind, Role, RowStatus
from tui.errors import PermissionDenied
from tui.services import Services, accounts
from tui.services.base import Service
from tui.services.duplicates import clear_cache
from tui.services.policy import MATRIX, Scope, Session
from tui.services.recheck import BLIND_FIELDS
from tui.store import audit as audit_store
from tui.store import users as user_store

#: Run again on PostgreSQL by the second half of the test command (README).
pytestmark = pytest.mark.backend

P = Permission
KID = {"full_name": "Lò Văn Páo", "sex": "1", "birth_date": "2015-03-15", "ethnicity": "03",
       "nationality": "VN", "schooling": "04", "father_name": "Lò Văn Tòng",
       "mother_name": "Quàng Thị Ín"}


@dataclass
class World:
    """A register with two villages, children in both, and one person per role."""

    path: str  # what open_db takes: the file or the PostgreSQL URL
    village_a: int
    village_b: int
    kid_a: int
    kid_b: int
    circ_a: int
    household_a: int
    household_b: int
    pair: tuple[int, int]
    merged: int
    batch: int
    row_b: int
    police_file: Path
    source: Path
    users: dict[Role, int]
    supp_a: int = 0  # a support given to kid_a


def _build(path: Path) -> World:
    db = new_register(path)
    admin = person(db, "quan.tri", Role.ADMINISTRATOR)
    a = admin.commune.add_village("Bản Nà Lo")
    b = admin.commune.add_village("Bản Pá Hốc")
    enterer = person(db, "nhap.lieu", Role.OFFICER)
    kid_a = enterer.children.save({**KID, "personal_id": "014215001234", "village_id": a,
                                   "circumstances": ["DB04"]}).child_id
    kid_b = enterer.children.save({**KID, "full_name": "Quàng Thị Un", "sex": "2",
                                   "personal_id": "014315002345", "village_id": b}).child_id
    circ_a = enterer.children.get(kid_a).circumstances[0].id
    enterer.children.add_support(kid_a, "TG01", "2025-01-10")
    supp_a = enterer.children.get(kid_a).supports[0].id
    household_a = enterer.households.save(
        {"book_number": "A-1", "village_id": a, "poverty": "poor"},
        [{**KID, "full_name": "Lò Thị Mai", "sex": "2", "personal_id": "014315003456"}],
        [{"full_name": "Lò Văn Tòng", "relation": "father"}]).household_id
    household_b = enterer.households.save(
        {"book_number": "B-1", "village_id": b},
        [{**KID, "full_name": "Cầm Văn Ơn", "personal_id": "014215004567"}], []).household_id
    left = enterer.children.save({**KID, "full_name": "Vì Văn Dũng", "village_id": a}).child_id
    right = enterer.children.save({**KID, "full_name": "Vi Van Dung", "village_id": a}).child_id
    keep = enterer.children.save({**KID, "full_name": "Hà Văn Ken", "village_id": a}).child_id
    merged = enterer.children.save({**KID, "full_name": "Ha Van Ken", "village_id": a}).child_id
    police_file = path.parent / "ca.xlsx"
    batch = admin.transfer.export_police(police_file).batch
    assert batch is not None
    rows = {line.child.id: line.row_no for line in admin.police.lines(batch)}
    admin.police.record_answer(batch, rows[kid_a], "014215001234", RowStatus.VERIFIED)
    admin.duplicates.merge(keep, merged)  # after the police list: nothing moves them since
    source = write_book(path.parent / "ds.xlsx")
    users = {Role.ADMINISTRATOR: admin.session.user_id}
    for role in Role:
        if role is not Role.ADMINISTRATOR:
            users[role] = accounts.create_account(
                db, f"nguoi.{role}", f"Người {role}", role, "tam-thoi-123",
                villages=(a,) if role is Role.COLLABORATOR else ())
    db.close()
    return World(where(db), a, b, kid_a, kid_b, circ_a, household_a, household_b, (left, right),
                 merged, batch, rows[kid_b], police_file, source, users, supp_a)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _build(tmp_path_factory.mktemp("matrix") / "reg.db")


def services_of(world: World, tmp_path: Path, role: Role) -> tuple[Services, World]:
    """A fresh copy of the template register and the services of ``role`` on it."""
    from tui.store.database import open_db

    copy = copy_register(world.path, tmp_path / "reg.db")
    for name in ("ca.xlsx", "ds.xlsx"):
        shutil.copy(world.police_file.parent / name, tmp_path / name)
    db = open_db(copy)
    row = user_store.by_id(db, world.users[role])
    assert row is not None
    scope = Scope(user_store.villages_of(db, row.id)) if role is Role.COLLABORATOR else Scope()
    session = Session(row.id, row.username, row.full_name, role, scope)
    clear_cache()
    moved = World(**{**world.__dict__, "path": copy, "police_file": tmp_path / "ca.xlsx",
                     "source": tmp_path / "ds.xlsx"})
    return Services(db, session), moved


def _admin(svc: Services, world: World) -> Services:
    """The administrator on the same register (to prepare what a call needs)."""
    from tui.store.database import open_db

    db = open_db(world.path)
    row = user_store.by_id(db, world.users[Role.ADMINISTRATOR])
    assert row is not None
    return Services(db, Session(row.id, row.username, row.full_name, Role.ADMINISTRATOR))


def _plan(svc: Services, world: World) -> tuple[Any, Any]:
    return _admin(svc, world).transfer.plan_children_import(world.source)


Call = Callable[[Services, World, Path], Any]

#: (service, method) -> (permissions needed, a call that succeeds for an allowed role).
OPERATIONS: dict[tuple[str, str], tuple[frozenset[Permission], Call]] = {
    ("children", "get"): ({P.VIEW_PERSONAL}, lambda s, w, t: s.children.get(w.kid_a)),
    ("children", "history"): ({P.VIEW_PERSONAL},
                              lambda s, w, t: s.children.history(w.kid_a)),
    ("children", "search"): ({P.VIEW_PERSONAL}, lambda s, w, t: s.children.search("lo")),
    ("children", "count_search"): ({P.VIEW_PERSONAL},
                                   lambda s, w, t: s.children.count_search("lo")),
    ("children", "save"): ({P.EDIT_CHILD}, lambda s, w, t: s.children.save(
        {**KID, "full_name": "Lò Văn Mới", "village_id": w.village_a})),
    ("children", "add_circumstance"): ({P.REVIEW}, lambda s, w, t: s.children.add_circumstance(
        w.kid_a, "NC02", "2024-01-01")),
    ("children", "end_circumstance"): ({P.REVIEW}, lambda s, w, t: s.children.end_circumstance(
        w.kid_a, w.circ_a, "2025-01-01")),
    ("children", "delete_circumstance"): ({P.REVIEW}, lambda s, w, t: (
        s.children.delete_circumstance(w.kid_a, w.circ_a))),
    ("children", "delete_support"): ({P.REVIEW}, lambda s, w, t: s.children.delete_support(
        w.kid_a, w.supp_a)),
    ("children", "add_support"): ({P.REVIEW}, lambda s, w, t: s.children.add_support(
        w.kid_a, "TG01", "2025-02-01")),
    ("children", "mark_circumstances_reviewed"): (
        {P.REVIEW}, lambda s, w, t: s.children.mark_circumstances_reviewed(w.kid_a)),
    ("households", "get"): ({P.VIEW_PERSONAL},
                            lambda s, w, t: s.households.get(w.household_a)),
    ("households", "save"): ({P.EDIT_CHILD}, lambda s, w, t: s.households.save(
        {"book_number": "A-9", "village_id": w.village_a},
        [{**KID, "full_name": "Lò Văn Chín"}], [])),
    ("review", "count"): ({P.REVIEW_LISTS},
                          lambda s, w, t: s.review.count(ReviewKind.NO_ID)),
    ("review", "counts"): ({P.REVIEW_LISTS}, lambda s, w, t: s.review.counts()),
    ("review", "page"): ({P.REVIEW_LISTS},
                         lambda s, w, t: s.review.page(ReviewKind.NO_ID, 0, 20)),
    ("review", "flag_counts"): ({P.REVIEW}, lambda s, w, t: s.review.flag_counts()),
    ("review", "all_of"): ({P.REVIEW_LISTS},
                           lambda s, w, t: list(s.review.all_of(ReviewKind.BASIC_INFO))),
    ("duplicates", "candidates"): ({P.DECIDE_DUPLICATES},
                                   lambda s, w, t: s.duplicates.candidates()),
    ("duplicates", "count_candidates"): (
        {P.DECIDE_DUPLICATES},
        lambda s, w, t: s.duplicates.count_candidates(max_children=1000)),
    ("duplicates", "keep_all"): ({P.DECIDE_DUPLICATES},
                                 lambda s, w, t: s.duplicates.keep_all()),
    ("duplicates", "brief"): ({P.DECIDE_DUPLICATES},
                              lambda s, w, t: s.duplicates.brief(list(w.pair))),
    ("duplicates", "decide"): ({P.DECIDE_DUPLICATES}, lambda s, w, t: s.duplicates.decide(
        *w.pair, Decision.DIFFERENT)),
    ("duplicates", "merge"): ({P.MERGE_CHILDREN}, lambda s, w, t: s.duplicates.merge(*w.pair)),
    ("duplicates", "undo_merge"): ({P.MERGE_CHILDREN},
                                   lambda s, w, t: s.duplicates.undo_merge(w.merged)),
    ("police", "open_batch"): ({P.MAKE_POLICE_BATCH},
                               lambda s, w, t: s.police.open_batch([w.kid_a])),
    ("police", "lines"): ({P.POLICE_LISTS}, lambda s, w, t: s.police.lines(w.batch)),
    ("police", "record_answer"): ({P.POLICE_LISTS}, lambda s, w, t: s.police.record_answer(
        w.batch, w.row_b, None, RowStatus.NOT_FOUND)),
    ("recheck", "sample"): ({P.RECHECK}, lambda s, w, t: s.recheck.sample(percent=50)),
    ("recheck", "record"): ({P.RECHECK}, lambda s, w, t: s.recheck.record(w.kid_b, True)),
    ("recheck", "summary"): ({P.RECHECK}, lambda s, w, t: s.recheck.summary()),
    ("recheck", "compare"): ({P.RECHECK}, lambda s, w, t: s.recheck.compare(
        w.kid_b, dict.fromkeys(BLIND_FIELDS))),
    ("recheck", "resolve"): ({P.RECHECK}, lambda s, w, t: s.recheck.resolve(
        w.kid_b, dict.fromkeys(BLIND_FIELDS), dict.fromkeys(BLIND_FIELDS, "original_right"))),
    ("recheck", "outcomes"): ({P.RECHECK}, lambda s, w, t: s.recheck.outcomes()),
    ("recheck", "statistics"): ({P.RECHECK}, lambda s, w, t: s.recheck.statistics()),
    ("users", "create"): ({P.MANAGE_USERS}, lambda s, w, t: s.users.create(
        "nguoi.moi", "Người Mới", Role.VIEWER, "tam-thoi-123")),
    ("users", "listing"): ({P.MANAGE_USERS}, lambda s, w, t: s.users.listing()),
    ("users", "set_disabled"): ({P.MANAGE_USERS},
                                lambda s, w, t: s.users.set_disabled("nhap.lieu", True)),
    ("users", "reset_password"): ({P.MANAGE_USERS}, lambda s, w, t: s.users.reset_password(
        "nhap.lieu", "tam-thoi-999")),
    ("users", "set_role"): ({P.MANAGE_USERS},
                            lambda s, w, t: s.users.set_role("nhap.lieu", Role.VIEWER)),
    ("users", "check_new_account"): ({P.MANAGE_USERS}, lambda s, w, t: s.users.
                                     check_new_account("nguoi.khac", "tam-thoi-123")),
    ("users", "link_unix"): ({P.MANAGE_USERS},
                             lambda s, w, t: s.users.link_unix("nhap.lieu", "daemon")),
    ("users", "set_villages"): ({P.MANAGE_USERS}, lambda s, w, t: s.users.set_villages(
        "nhap.lieu", [w.village_b])),
    ("commune", "update_settings"): (
        {P.MANAGE_SETTINGS}, lambda s, w, t: s.commune.update_settings(idle_timeout_min=20)),
    ("commune", "all_villages"): ({P.MANAGE_VILLAGES},
                                  lambda s, w, t: s.commune.all_villages()),
    ("commune", "add_village"): ({P.MANAGE_VILLAGES},
                                 lambda s, w, t: s.commune.add_village("Bản Thêm")),
    ("commune", "rename_village"): ({P.MANAGE_VILLAGES}, lambda s, w, t: (
        s.commune.rename_village(w.village_b, "Bản Pá Hốc Mới"))),
    ("commune", "set_village_active"): (
        {P.MANAGE_VILLAGES}, lambda s, w, t: s.commune.set_village_active(w.village_b, False)),
    ("audit", "recent"): ({P.VIEW_AUDIT}, lambda s, w, t: s.audit.recent(limit=5)),
    ("audit", "verify"): ({P.VIEW_AUDIT}, lambda s, w, t: s.audit.verify()),
    ("audit", "verify_communes"): ({P.MANAGE_COMMUNES},
                                   lambda s, w, t: s.audit.verify_communes()),
    ("audit", "head"): ({P.VIEW_AUDIT}, lambda s, w, t: s.audit.head()),
    ("backup", "backup"): ({P.MANAGE_SETTINGS},
                           lambda s, w, t: s.backup.backup(t / "copy.db")),
    ("transfer", "export_police"): ({P.MAKE_POLICE_BATCH},
                                    lambda s, w, t: s.transfer.export_police(t / "p.xlsx")),
    ("transfer", "export_cleaning"): (
        {P.EXPORT_PERSONAL}, lambda s, w, t: s.transfer.export_cleaning(t / "c.xlsx")),
    ("transfer", "export_full"): ({P.EXPORT_PERSONAL},
                                  lambda s, w, t: s.transfer.export_full(t / "f.xlsx")),
    ("transfer", "export_report"): ({P.REPORTS},
                                    lambda s, w, t: s.transfer.export_report(t / "r.xlsx")),
    ("transfer", "report"): ({P.REPORTS},
                             lambda s, w, t: s.transfer.report(date(2026, 6, 30))),
    ("reports", "plans"): ({P.REPORTS}, lambda s, w, t: s.reports.plans()),
    ("reports", "source"): ({P.REPORTS}, lambda s, w, t: s.reports.source()),
    ("reports", "evaluate"): ({P.REPORTS},
                              lambda s, w, t: s.reports.evaluate("son-la-2026",
                                                                 date(2026, 6, 30))),
    ("reports", "export"): ({P.REPORTS}, lambda s, w, t: s.reports.export(
        t / "bc.xlsx", "son-la-2026", date(2026, 6, 30))),
    ("reports", "communes_report"): ({P.REPORTS}, lambda s, w, t: s.reports.communes_report(
        "son-la-2026", date(2026, 6, 30))),
    ("transfer", "import_police"): ({P.POLICE_LISTS},
                                    lambda s, w, t: s.transfer.import_police(w.police_file)),
    ("transfer", "plan_children_import"): (
        {P.EDIT_CHILD, P.REVIEW},
        lambda s, w, t: s.transfer.plan_children_import(w.source)),
    ("transfer", "commit_children_import"): (
        {P.EDIT_CHILD, P.REVIEW},
        lambda s, w, t: s.transfer.commit_children_import(*_plan(s, w), t / "loi.xlsx")),
    ("transfer", "write_rejected"): ({P.EDIT_CHILD}, lambda s, w, t: s.transfer.write_rejected(
        _plan(s, w)[0], t / "loi.xlsx")),
}

#: Public methods that need no role, and why (checked against their ``@unchecked`` mark).
UNCHECKED = {
    ("commune", "settings"), ("commune", "villages"), ("audit", "record_view"),
    ("drafts", "save"), ("drafts", "pending"), ("drafts", "discard"), ("drafts", "version_of"),
    ("drafts", "compose_mode"), ("drafts", "set_compose_mode"), ("transfer", "export"),
    ("review", "kinds"),
}
#: Methods that only read through operations of the table (each checked there).
COMPOSED = {("review", "all_of")}


def _areas() -> dict[str, type[Service]]:
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

    return {"children": ChildrenService, "households": HouseholdsService,
            "review": ReviewService, "duplicates": DuplicatesService,
            "police": PoliceService, "recheck": RecheckService, "users": UsersService,
            "commune": CommuneService, "audit": AuditService, "drafts": DraftsService,
            "backup": BackupService, "transfer": TransferService, "reports": ReportsService}


def test_the_table_covers_every_operation_and_agrees_with_the_code(template: World,
                                                                  tmp_path: Path) -> None:
    svc, _world = services_of(template, tmp_path, Role.ADMINISTRATOR)
    try:
        areas = _areas()
        for area, cls in areas.items():  # the areas are what Services offers
            assert type(getattr(svc, area)) is cls, area
        offered = {name for name, value in vars(Services).items()
                   if isinstance(value, functools.cached_property)}
        assert offered == set(areas)
    finally:
        svc.db.close()
    methods = {(area, name) for area, cls in _areas().items()
               for name, member in inspect.getmembers(cls, inspect.isfunction)
               if not name.startswith("_") and member.__qualname__.startswith(cls.__name__)}
    assert methods == set(OPERATIONS) | UNCHECKED, methods ^ (set(OPERATIONS) | UNCHECKED)
    for (area, name), (needs, _call) in OPERATIONS.items():
        if (area, name) not in COMPOSED:
            assert getattr(getattr(_areas()[area], name), "permission", None) in needs
    for area, name in UNCHECKED:
        assert getattr(getattr(_areas()[area], name), "unchecked", ""), (area, name)


CASES = [(op, role) for op in OPERATIONS for role in Role]


@pytest.mark.parametrize(("operation", "role"), CASES,
                         ids=[f"{a}.{m}-{r}" for (a, m), r in CASES])
def test_role_may_do_exactly_what_the_matrix_says(template: World, tmp_path: Path,
                                                  operation: tuple[str, str],
                                                  role: Role) -> None:
    needs, call = OPERATIONS[operation]
    if operation == ("backup", "backup") and on_postgres() and needs <= MATRIX[role]:
        pytest.skip("a PostgreSQL register is backed up on the server (pg_dump)")
    svc, world = services_of(template, tmp_path, role)
    try:
        if needs <= MATRIX[role]:
            call(svc, world, tmp_path)  # allowed: no refusal of any kind
        else:
            with pytest.raises(PermissionDenied):
                call(svc, world, tmp_path)
        # whatever the app did, it sealed: no row reads as changed outside the app
        assert audit_store.verify(svc.db) == [], operation
    finally:
        svc.db.close()


# --- village scope ---------------------------------------------------------------------
SCOPED: dict[str, Call] = {
    "children.get": lambda s, w, t: s.children.get(w.kid_b),
    "children.history": lambda s, w, t: s.children.history(w.kid_b),
    "children.save (change)": lambda s, w, t: s.children.save(
        {"id": w.kid_b, "full_name": "Quàng Thị Sửa"}, expected_version=1),
    "households.get": lambda s, w, t: s.households.get(w.household_b),
    "households.save (change)": lambda s, w, t: s.households.save(
        {"id": w.household_b, "version": 1, "book_number": "B-1", "village_id": w.village_b},
        [], []),
    "drafts.save (a child of another village)": lambda s, w, t: s.drafts.save(
        f"entry:child:{w.kid_b}", {"x": 1}),
}


@pytest.mark.parametrize("name", list(SCOPED))
def test_a_collaborator_reads_and_writes_only_assigned_villages(template: World,
                                                                tmp_path: Path,
                                                                name: str) -> None:
    svc, world = services_of(template, tmp_path, Role.COLLABORATOR)
    try:
        with pytest.raises(PermissionDenied, match="thôn được phân công"):
            SCOPED[name](svc, world, tmp_path)
        # the same person in their own village is served
        assert svc.children.get(world.kid_a).id == world.kid_a
        assert svc.households.get(world.household_a).id == world.household_a
    finally:
        svc.db.close()


def test_scope_hides_other_villages_from_searches_drafts_and_pickers(template: World,
                                                                    tmp_path: Path) -> None:
    svc, world = services_of(template, tmp_path, Role.COLLABORATOR)
    try:
        found = {hit.id for hit in svc.children.search("quang thi un")}
        assert world.kid_b not in found
        assert svc.children.count_search("quang thi un") == 0
        assert [v.id for v in svc.commune.villages()] == [world.village_a]
        admin = _admin(svc, world)
        from tui.store import drafts as draft_store

        draft_store.save_draft(svc.db, svc.session.user_id, f"entry:child:{world.kid_b}",
                               {"typed": "before the assignment changed"})
        assert svc.drafts.pending() == []
        admin.db.close()
    finally:
        svc.db.close()
