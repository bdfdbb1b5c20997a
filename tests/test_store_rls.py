"""Row-level security on PostgreSQL (issue 13): a connection bound to one commune sees and
writes only that commune's rows, whatever SQL it sends, the table owner included.

Runs on a throw-away cluster of its own (``tests/pg_cluster.py``), skipped with the reason
when PostgreSQL cannot start. The app logs in as a role that owns the tables but is no
superuser (a superuser passes every policy). All names and numbers are invented.
"""

from __future__ import annotations

import psycopg2
import pytest
from pg_cluster import owned_by_app

from libchild import catalog
from tui.domain import Role
from tui.services import Services, accounts
from tui.services.registers import add_commune
from tui.store import postgres
from tui.store.database import open_db
from tui.store.settings import create_register

pytestmark = pytest.mark.backend

A, B = "03808", "03688"
KID = {"sex": "1", "birth_date": "2015-03-04", "ethnicity": "03"}


def _officer(db, name: str, password: str) -> Services:
    return Services(db, accounts.change_password(db, name, password, "mat-khau-moi-456"))


@pytest.fixture(scope="module")
def shared(cluster) -> str:
    """A database of communes A (two children) and B (one child); its app-role URL."""
    url = owned_by_app(cluster.fresh_url())
    db = create_register(url, commune_code=A, commune_name="Xã Mường La", province_code="14")
    accounts.create_account(db, "can.bo.a", "Cán bộ A", Role.OFFICER, "tam-thoi-123")
    officer = _officer(db, "can.bo.a", "tam-thoi-123")
    for name in ("Lò Thị Mai", "Lò Văn Anh"):
        officer.children.save({**KID, "full_name": name})
    db.close()
    add_commune(url, catalog.load().communes.get(B), admin="quan.tri.b",
                admin_name="Quản trị B", password="tam-thoi-123")
    db = open_db(url)
    admin_b = _officer(db, "quan.tri.b", "tam-thoi-123")
    admin_b.users.create("can.bo.b", "Cán bộ B", Role.OFFICER, "tam-thoi-123")
    _officer(db, "can.bo.b", "tam-thoi-123").children.save({**KID, "full_name": "Cầm Văn Ơn"})
    db.close()
    return url


def _raw(url: str, communes: str | None):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    if communes is not None:
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config('treem.communes', %s, false)", (communes,))
    return conn


def _one(conn, sql: str, params: tuple = ()):
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_a_raw_connection_bound_to_a_commune_sees_only_its_rows(shared: str):
    conn = _raw(shared, A)
    try:
        assert _one(conn, "SELECT count(*) FROM child") == (2,)
        assert _one(conn, "SELECT count(DISTINCT commune) FROM audit_entry") == (1,)
        assert _one(conn, "SELECT count(*) FROM village WHERE commune_code = %s", (B,)) == (0,)
        assert _one(conn, "SELECT sum(n) FROM name_prefix_count") == (2,)
        # the owner is bound too (FORCE ROW LEVEL SECURITY), and is no superuser
        assert _one(conn, "SELECT rolsuper OR rolbypassrls FROM pg_roles "
                          "WHERE rolname = current_user") == (False,)
    finally:
        conn.close()
    conn = _raw(shared, B)
    try:
        assert _one(conn, "SELECT count(*) FROM child") == (1,)
    finally:
        conn.close()


def test_an_unbound_connection_sees_no_commune_and_the_tools_see_all(shared: str):
    conn = _raw(shared, None)
    try:
        assert _one(conn, "SELECT count(*) FROM child") == (0,)
        assert _one(conn, "SELECT count(*) FROM household") == (0,)
        # accounts and the list of communes are read before anyone is bound (login)
        assert _one(conn, "SELECT count(*) FROM setting") == (2,)
    finally:
        conn.close()
    conn = _raw(shared, "*")
    try:
        assert _one(conn, "SELECT count(*) FROM child") == (3,)
    finally:
        conn.close()


def test_a_row_of_another_commune_cannot_be_written(shared: str):
    conn = _raw(shared, A)
    try:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _one(conn, "INSERT INTO child (full_name, name_folded, issues, has_error, "
                       "has_warning, state, version, created_at, updated_at, commune) "
                       "VALUES ('Lò Thị Lạ', 'lo thi la', '[]', 0, 0, 'entered', 1, "
                       "'2025-01-01', '2025-01-01', %s) RETURNING id", (B,))
        with conn.cursor() as cursor:  # B's rows are not there to change or delete
            cursor.execute("UPDATE child SET full_name = 'Đã sửa' WHERE commune = %s", (B,))
            assert cursor.rowcount == 0
            cursor.execute("DELETE FROM household WHERE commune = %s", (B,))
            assert cursor.rowcount == 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # nor moved into B
            _one(conn, "UPDATE child SET commune = %s WHERE commune = %s RETURNING id",
                 (B, A))
        with conn.cursor() as cursor:  # accounts: B's are read (login) but not changed
            cursor.execute("UPDATE \"user\" SET full_name = 'X' WHERE username = 'can.bo.b'")
            assert cursor.rowcount == 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _one(conn, "INSERT INTO \"user\" (username, full_name, role, password_hash, "
                       "must_change_password, failed_logins, disabled, created_at, commune) "
                       "VALUES ('ke.la', 'Kẻ lạ', 'officer', 'x', 0, 0, 0, '2025', %s) "
                       "RETURNING id", (B,))
    finally:
        conn.close()
    conn = _raw(shared, "*")
    try:
        assert _one(conn, "SELECT count(*) FROM child WHERE full_name = 'Đã sửa'") == (0,)
    finally:
        conn.close()


def test_the_binding_is_local_to_a_transaction(shared: str):
    """What the app sends carries its binding in the same transaction, never on the
    connection: a pooled connection (PgBouncer, transaction mode) handed to another
    session keeps nothing of it."""
    db = open_db(shared)
    try:
        officer = Services(db, accounts.login(db, "can.bo.a", "mat-khau-moi-456"))
        assert officer.children.count_search("lo") == 2
        row = db.execute_sql("SELECT current_setting('treem.communes', true)").fetchone()
        assert row == (A,)  # the statement itself ran bound
        cursor = db.connection().cursor()
        cursor.execute("SELECT coalesce(current_setting('treem.communes', true), '')")
        assert cursor.fetchone() == ("",)  # nothing left on the connection
    finally:
        db.close()


def test_every_tenant_table_has_its_policy(shared: str):
    conn = _raw(shared, "*")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relrowsecurity "
                           "AND relforcerowsecurity")
            bound = {row[0] for row in cursor.fetchall()}
        assert {t for t, _ in postgres.RLS_TABLES} | {"user", "setting"} <= bound
    finally:
        conn.close()
