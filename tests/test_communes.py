"""Many communes in one database (issue 13): each commune's people see and change only
their own commune, on SQLite and on PostgreSQL (``TREEM_TEST_DB=postgresql``).

A register of Xã Mường La (03808, Sơn La) gets a second commune, Xã Mường Chiên (03688,
Sơn La), through ``add_commune`` (what ``treem init --db URL --commune CODE`` runs on a
database that holds communes already). All names and numbers are invented.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import kit
import pytest

from libchild import catalog
from tui.domain import ReviewKind, Role
from tui.errors import InvalidInput, NotFound, PermissionDenied, ValidationFailed
from tui.services import Services, accounts
from tui.services.registers import add_commune
from tui.store import audit, tenancy
from tui.store.database import open_db
from tui.store.settings import create_register

pytestmark = pytest.mark.backend

A, B = "03808", "03688"
FIRST = "tam-thoi-123"
NEW = "mat-khau-moi-456"
KID = {"sex": "1", "birth_date": "2015-03-04", "ethnicity": "03", "father_name": "Lò Văn Tòng"}


@attrs.frozen
class Two:
    """The shared database and what each commune holds."""

    where: str
    kid_a: int
    kid_b: int
    household_a: int
    household_b: int
    village_a: int
    village_b: int


def _first_admin(db, name: str) -> Services:
    """The first administrator of a commune, past the forced password change."""
    return Services(db, accounts.change_password(db, name, FIRST, NEW))


def _new_register(tmp_path: Path):
    """Commune A's register; on PostgreSQL in a database the app's role owns without
    being a superuser, so that row-level security binds every statement of the app."""
    if not kit.on_postgres():
        return kit.new_register(tmp_path / "reg.db")
    from pg_cluster import owned_by_app

    url = owned_by_app(kit._fresh_postgres())
    return create_register(url, commune_code=A, commune_name="Xã Mường La",
                           province_code="14")


def _build(tmp_path: Path) -> Two:
    db = _new_register(tmp_path)  # commune A
    where = kit.where(db)
    admin_a = kit.person(db, "quan.tri.a", Role.ADMINISTRATOR)
    village_a = admin_a.commune.add_village("Bản Nà Lốc")
    officer_a = kit.person(db, "can.bo.a", Role.OFFICER)
    household_a = officer_a.households.save(
        {"book_number": "1", "village_id": village_a},
        [{**KID, "full_name": "Lò Văn Anh", "personal_id": "014215001234"}],
        [{"full_name": "Lò Văn Tòng", "relation": "father"}]).household_id
    kid_a = officer_a.children.save({**KID, "full_name": "Lò Thị Mai",
                                     "village_id": village_a}).child_id
    db.close()
    add_commune(where, catalog.load().communes.get(B), admin="quan.tri.b",
                admin_name="Quản trị B", password=FIRST)
    db = open_db(where)
    admin_b = _first_admin(db, "quan.tri.b")
    village_b = admin_b.commune.add_village("Bản Nà Lốc")  # same name: another commune
    admin_b.users.create("can.bo.b", "Cán bộ B", Role.OFFICER, FIRST)
    officer_b = _first_admin(db, "can.bo.b")
    household_b = officer_b.households.save(  # the same book number, another commune
        {"book_number": "1", "village_id": village_b},
        [{**KID, "full_name": "Lò Văn Bình", "personal_id": "014215009999"}],
        [{"full_name": "Lò Văn Tòng", "relation": "father"}]).household_id
    kid_b = officer_b.children.save({**KID, "full_name": "Lò Thị Mai",
                                     "village_id": village_b}).child_id
    db.close()
    return Two(where, kid_a, kid_b, household_a, household_b, village_a, village_b)


@pytest.fixture
def two(tmp_path: Path) -> Two:
    return _build(tmp_path)


def test_an_officer_of_one_commune_reaches_nothing_of_another(two: Two, tmp_path: Path):
    db = open_db(two.where)
    try:
        officer_a = kit.login(db, "can.bo.a")
        assert officer_a.session.scope.commune == A
        # read
        assert officer_a.children.get(two.kid_a).value("full_name") == "Lò Thị Mai"
        with pytest.raises(NotFound):
            officer_a.children.get(two.kid_b)
        with pytest.raises(NotFound):
            officer_a.children.history(two.kid_b)
        with pytest.raises(NotFound):
            officer_a.households.get(two.household_b)
        # search and count: the same name in both communes, found once
        assert [h.id for h in officer_a.children.search("lo thi mai")] == [two.kid_a]
        assert officer_a.children.count_search("lo thi mai") == 1
        assert officer_a.children.count_search("lo") == 2  # Mai and Anh of commune A
        assert officer_a.children.count_search("014215009999") == 0
        by_book = {h.id for h in officer_a.children.search("1")}  # book 1 in both communes
        assert by_book and two.kid_b not in by_book
        counts = officer_a.review.counts(on=date(2025, 9, 1))
        assert counts[ReviewKind.NO_ID] == 1  # Mai of A; Mai of B not counted
        # export: only A's children
        result = officer_a.transfer.export_full(tmp_path / "full.xlsx")
        assert result.rows == 2
        # edit
        with pytest.raises(NotFound):
            officer_a.children.save({"id": two.kid_b, "full_name": "Lò Thị Sửa"},
                                    expected_version=1)
        with pytest.raises(NotFound):
            officer_a.households.save({"id": two.household_b, "version": 1,
                                       "book_number": "1", "village_id": two.village_b},
                                      [], [])
        # a village of B is not A's
        with pytest.raises((ValidationFailed, NotFound, PermissionDenied)):
            officer_a.children.save({**KID, "full_name": "Vì Văn Dũng",
                                     "village_id": two.village_b})
        # draft of B's child
        with pytest.raises(PermissionDenied):
            officer_a.drafts.save(f"entry:child:{two.kid_b}", {"x": 1})
        # audit: A's log knows nothing of B's records
        assert officer_a.audit.recent(child_id=two.kid_b) == []
        assert all(e.username != "can.bo.b" for e in officer_a.audit.recent(limit=500))
    finally:
        db.close()
    db = open_db(two.where)
    try:
        officer_b = kit.login(db, "can.bo.b", NEW)
        assert [h.id for h in officer_b.children.search("lo thi mai")] == [two.kid_b]
        row = officer_b.children.get(two.kid_b)
        assert row.value("commune_code") == B  # the child's commune defaults to B's
    finally:
        db.close()


def test_every_row_carries_its_commune(two: Two):
    db = open_db(two.where)
    try:
        tenancy.bind(db, tenancy.ALL)
        for table in ("child", "household", "caregiver", "workflow_event", "audit_entry",
                      "audit_seal"):
            found = {r[0] for r in db.execute_sql(f'SELECT DISTINCT commune FROM "{table}"')}
            assert found == {A, B}, table
        users = dict(db.execute_sql('SELECT username, commune FROM "user"').fetchall())
        assert users["can.bo.a"] == A and users["can.bo.b"] == B
        assert db.execute_sql("SELECT count(*) FROM household WHERE book_number = '1'"
                              ).fetchone()[0] == 2
    finally:
        db.close()


def test_an_administrator_manages_only_the_accounts_of_their_commune(two: Two):
    db = open_db(two.where)
    try:
        admin_a = kit.login(db, "quan.tri.a")
        names = {a.username for a in admin_a.users.listing()}
        assert "can.bo.a" in names and "can.bo.b" not in names and "quan.tri.b" not in names
        with pytest.raises(NotFound):
            admin_a.users.set_disabled("can.bo.b", True)
        with pytest.raises(NotFound):
            admin_a.users.reset_password("quan.tri.b", "mat-khau-cuop-1")
        with pytest.raises(PermissionDenied):  # only the province makes province accounts
            admin_a.users.create("tinh.x", "Tỉnh X", Role.PROVINCE_OFFICER, FIRST)
        # user names are unique in the whole database
        with pytest.raises(InvalidInput):
            admin_a.users.create("can.bo.b", "Trùng tên", Role.OFFICER, FIRST)
    finally:
        db.close()
    db = open_db(two.where)
    try:  # B's officer still logs in: nothing of A's administrator reached the account
        assert kit.login(db, "can.bo.b", NEW).session.scope.commune == B
    finally:
        db.close()


def test_a_collaborator_still_sees_only_the_assigned_villages(two: Two):
    db = open_db(two.where)
    try:
        admin_a = kit.login(db, "quan.tri.a")
        other = admin_a.commune.add_village("Bản Pá Ban")
        admin_a.users.create("ctv.a", "Cộng tác viên A", Role.COLLABORATOR, FIRST,
                             villages=[other])
        collaborator = _first_admin(db, "ctv.a")
        assert collaborator.session.scope == attrs.evolve(
            collaborator.session.scope, villages=frozenset({other}), commune=A)
        with pytest.raises(PermissionDenied):
            collaborator.children.get(two.kid_a)  # A's, but not an assigned village
        with pytest.raises(NotFound):
            collaborator.children.get(two.kid_b)
        assert collaborator.children.search("lo thi mai") == []
    finally:
        db.close()


def test_a_province_officer_sees_aggregates_of_the_province_and_no_personal_data(two: Two):
    db = open_db(two.where)
    try:
        tenancy.bind(db, tenancy.Tenancy(None, frozenset({A, B})))
        accounts.create_account(db, "tinh.admin", "Quản trị tỉnh",
                                Role.PROVINCE_ADMINISTRATOR, FIRST, commune=None)
        province_admin = _first_admin(db, "tinh.admin")
        assert province_admin.session.scope.communes == frozenset({A, B})
        province_admin.users.create("tinh.can.bo", "Cán bộ tỉnh", Role.PROVINCE_OFFICER,
                                    FIRST)
        # the province administrator keeps the communes' accounts too
        province_admin.users.create("can.bo.b2", "Cán bộ B2", Role.OFFICER, FIRST,
                                    commune=B)
        with pytest.raises(InvalidInput):
            province_admin.users.create("can.bo.x", "X", Role.OFFICER, FIRST,
                                        commune="00004")  # not a commune of this database
        officer = _first_admin(db, "tinh.can.bo")
        assert officer.session.scope.commune is None
        for call in (lambda: officer.children.get(two.kid_a),
                     lambda: officer.children.search("lo"),
                     lambda: officer.households.get(two.household_b),
                     lambda: officer.review.counts(),
                     lambda: officer.audit.recent()):
            with pytest.raises(PermissionDenied):
                call()
        officer.drafts.set_compose_mode("telex")  # a province officer's own preference
        assert officer.drafts.compose_mode() == "telex"
        facts = list(officer.reports.source().child_facts())
        assert len(facts) == 4  # the two children of each commune, counted together
        assert all(f.ethnicity is None and not f.episodes for f in facts)
        plan = officer.reports.plans()[0].id
        assert officer.reports.evaluate(plan, date(2025, 9, 1)) is not None
    finally:
        db.close()
    db = open_db(two.where)
    try:
        b2 = _first_admin(db, "can.bo.b2")
        assert b2.session.scope.commune == B
        assert [h.id for h in b2.children.search("lo thi mai")] == [two.kid_b]
        for commune in (A, B):
            assert audit.verify(db, commune=commune) == [], commune
    finally:
        db.close()


def test_a_commune_cannot_be_added_twice_or_from_another_province(two: Two):
    with pytest.raises(InvalidInput):
        add_commune(two.where, catalog.load().communes.get(B), admin="x.y.z",
                    admin_name="X", password=FIRST)
    other = next(e for e in catalog.load().communes if e.parent != "14")
    with pytest.raises(InvalidInput):
        add_commune(two.where, other, admin="x.y.z", admin_name="X", password=FIRST)


def test_tampering_in_one_commune_is_reported_for_that_commune_only(two: Two):
    db = open_db(two.where)
    try:
        for commune in (A, B):
            assert audit.verify(db, commune=commune) == []
        tenancy.bind(db, tenancy.ALL)  # someone with the database's password, not the app
        db.execute_sql("UPDATE child SET full_name = 'Lò Thị Sửa' WHERE id = ?", (two.kid_a,))
        assert audit.verify(db, commune=A) != []
        assert audit.verify(db, commune=B) == []
        tenancy.bind(db, tenancy.Tenancy(None, frozenset({A, B})))
        accounts.create_account(db, "tinh.admin", "Quản trị tỉnh",
                                Role.PROVINCE_ADMINISTRATOR, FIRST, commune=None)
        province_admin = _first_admin(db, "tinh.admin")
        found = dict(province_admin.audit.verify_communes())
        assert set(found) == {A, B, tenancy.PROVINCE_CHAIN}
        assert found[A].problems and not found[B].problems
        assert not found[tenancy.PROVINCE_CHAIN].problems
        assert [c for c, _ in province_admin.audit.verify_communes(B)] == [B]
        with pytest.raises(NotFound):
            province_admin.audit.verify_communes("00004")
    finally:
        db.close()
    db = open_db(two.where)
    try:  # a commune's officer checks their own chain, as before
        officer_b = kit.login(db, "can.bo.b", NEW)
        assert officer_b.audit.verify().problems == ()
    finally:
        db.close()


def test_communes_do_not_wait_for_each_other_to_write(two: Two):
    if not kit.on_postgres():
        pytest.skip("a commune's SQLite file has one writer at a time")
    import psycopg2

    from tui.store.database import write_tx
    from tui.store.postgres import WRITE_LOCK

    db = open_db(two.where)
    other = psycopg2.connect(two.where)
    other.autocommit = True
    try:
        tenancy.bind(db, tenancy.Tenancy.of(A))
        with write_tx(db), other.cursor() as cursor:  # A's write lock is held here
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (WRITE_LOCK, int(B)))
            assert cursor.fetchone() == (True,)  # B writes at the same time
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (WRITE_LOCK, int(A)))
            assert cursor.fetchone() == (False,)  # a second writer of A waits
    finally:
        other.close()
        db.close()


def test_treem_audit_verify_checks_each_commune_or_one(two: Two, tmp_path: Path):
    if kit.on_postgres():
        pytest.skip("the command line's audit key of a PostgreSQL database lives in HOME")
    from test_cli import treem

    db = open_db(two.where)
    try:
        tenancy.bind(db, tenancy.Tenancy(None, frozenset({A, B})))
        accounts.create_account(db, "tinh.admin", "Quản trị tỉnh",
                                Role.PROVINCE_ADMINISTRATOR, NEW, commune=None,
                                must_change_password=False)
        tenancy.bind(db, tenancy.ALL)
        db.execute_sql("UPDATE household SET address = 'Sửa lén' WHERE id = ?",
                       (two.household_a,))
    finally:
        db.close()
    env = {"TREEM_PASSWORD": NEW}
    every = treem("audit", "--verify", "--db", two.where, "--as", "tinh.admin",
                  tmp=tmp_path, env=env)
    assert every.returncode == 1, every.stderr
    assert f"Xã {A}: Bảng household" in every.stdout
    assert f"Xã {B}: Nhật ký và dữ liệu toàn vẹn" in every.stdout
    one = treem("audit", "--verify", "--commune", B, "--db", two.where, "--as", "tinh.admin",
                tmp=tmp_path, env=env)
    assert one.returncode == 0, one.stdout + one.stderr
    assert A not in one.stdout
    officer = treem("audit", "--verify", "--commune", A, "--db", two.where, "--as", "can.bo.b",
                    tmp=tmp_path, env=env)
    assert officer.returncode != 0 and A in officer.stderr + officer.stdout
    # the province administrator makes a commune's account from the command line
    made = treem("users", "add", "can.bo.b3", "--role", "officer", "--name", "Cán bộ B3",
                 "--commune", B, "--db", two.where, "--as", "tinh.admin", tmp=tmp_path,
                 env={**env, "TREEM_USER_PASSWORD": FIRST})
    assert made.returncode == 0, made.stdout + made.stderr
    db = open_db(two.where)
    try:
        assert _first_admin(db, "can.bo.b3").session.scope.commune == B
    finally:
        db.close()


def test_treem_init_province_makes_the_first_province_administrator(two: Two):
    """``treem init --db URL --commune CODE --province``: the commune, and as its first
    account the province's administrator, who then makes the commune's accounts."""
    add_commune(two.where, catalog.load().communes.get("03679"), admin="tinh.quantri",
                admin_name="Quản trị tỉnh", password=FIRST, province_admin=True)
    db = open_db(two.where)
    try:
        province_admin = _first_admin(db, "tinh.quantri")
        assert province_admin.session.role is Role.PROVINCE_ADMINISTRATOR
        assert province_admin.session.scope.communes == frozenset({A, B, "03679"})
        province_admin.users.create("quantri.03679", "Quản trị xã", Role.ADMINISTRATOR,
                                    FIRST, commune="03679")
        admin_c = _first_admin(db, "quantri.03679")
        assert admin_c.session.scope.commune == "03679"
        assert admin_c.children.search("lo thi mai") == []  # a new commune: nothing yet
        assert {a.username for a in admin_c.users.listing()} == {"quantri.03679"}
    finally:
        db.close()
