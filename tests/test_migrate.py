"""``treem migrate``: a commune's register moves to PostgreSQL and back, row for row.

Runs on a throw-away cluster of its own (``tests/pg_cluster.py``); skipped, with the
reason printed, when PostgreSQL cannot be started here. The rows are compared through
the drivers themselves (sqlite3, psycopg2), not through the code under test.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from kit import PASSWORD, person

from tui.cli import main
from tui.domain import Decision, Role, RowStatus
from tui.errors import MigrationRefused
from tui.services import accounts
from tui.services.drafts import entry_key
from tui.services.migration import TargetState, migrate_register
from tui.store import audit
from tui.store.database import open_db
from tui.store.settings import create_register

pytestmark = pytest.mark.backend

ROOT = Path(__file__).resolve().parents[1]
KID = {"full_name": "Lò Văn Páo", "sex": "1", "birth_date": "2015-03-15", "ethnicity": "03",
       "nationality": "VN", "schooling": "04", "father_name": "Lò Văn Tòng",
       "mother_name": "Quàng Thị Ín"}
#: Not data: the backend's own marker and the counts triggers keep (compared apart).
SKIP = {"treem_schema", "name_prefix_count", "id_prefix_count"}


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real (not sandbox) register with every kind of row: demo households and
    children, accounts with villages, drafts, a police list with an answer, a merged
    pair (a row pointing at another row of its table), a duplicate decision."""
    from tui.demo import generate
    from tui.demo.loader import load

    folder = tmp_path_factory.mktemp("commune")
    path = folder / "03808.db"
    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    admin = person(db, "quan.tri", Role.ADMINISTRATOR)
    data = generate(300, seed=7, commune_code="03808", on=date(2025, 9, 1))
    load(db, data, user_id=admin.session.user_id, username="quan.tri")
    village = admin.commune.add_village("Bản Nà Lo")
    officer = person(db, "nhap.lieu", Role.OFFICER)
    person(db, "ctv.lan", Role.COLLABORATOR, villages=[village])
    kid = officer.children.save({**KID, "personal_id": "014215001234",
                                 "village_id": village}).child_id
    keep = officer.children.save({**KID, "full_name": "Hà Văn Ken",
                                  "village_id": village}).child_id
    drop = officer.children.save({**KID, "full_name": "Ha Van Ken",
                                  "village_id": village}).child_id
    left = officer.children.save({**KID, "full_name": "Vì Văn Dũng",
                                  "village_id": village}).child_id
    right = officer.children.save({**KID, "full_name": "Vi Van Dung",
                                   "village_id": village}).child_id
    batch = admin.transfer.export_police(folder / "ca.xlsx").batch
    assert batch is not None
    rows = {line.child.id: line.row_no for line in admin.police.lines(batch)}
    admin.police.record_answer(batch, rows[kid], "014215001234", RowStatus.VERIFIED)
    admin.duplicates.merge(keep, drop)
    admin.duplicates.decide(left, right, Decision.DIFFERENT)
    officer.drafts.save(entry_key(None), {"full_name": "Lò Thị Nháp"})
    db.close()
    return path


def _sqlite_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'") if n not in SKIP]
        found = {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}
        for name in ("name_prefix_count", "id_prefix_count"):
            found[name] = conn.execute(
                f"SELECT * FROM {name} WHERE n > 0 ORDER BY prefix").fetchall()
        return found
    finally:
        conn.close()


def _pg_rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    conn = psycopg2.connect(url)
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {n for (n,) in cursor.fetchall()}
        found = {}
        for name in tables - SKIP:
            cursor.execute(f'SELECT * FROM "{name}" ORDER BY 1')
            found[name] = cursor.fetchall()
        for name in {"name_prefix_count", "id_prefix_count"} & tables:
            cursor.execute(f"SELECT * FROM {name} WHERE n > 0 ORDER BY prefix")
            found[name] = cursor.fetchall()
        return found
    finally:
        conn.close()


def _data_rows(url: str) -> int:
    return sum(len(rows) for rows in _pg_rows(url).values())


def _cli(*words: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TREEM_FAULT", None)
    if fault:
        env["TREEM_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "tui.cli", *words], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_a_commune_moves_to_postgresql_and_back_row_for_row(cluster, commune, tmp_path,
                                                             capsys):
    url = cluster.fresh_url()
    before = _sqlite_rows(commune)
    assert before["child"] and before["police_batch_row"] and before["draft"]
    assert any(row[25] is not None for row in before["child"])  # merged_into: a self-link
    assert main(["migrate", str(commune), "--to", url]) == 0
    assert "Đã chuyển sổ" in capsys.readouterr().out
    assert _pg_rows(url) == before  # every table, every column, every id
    db = open_db(url)
    assert audit.verify(db) == []
    db.close()

    back = tmp_path / "lai.db"
    assert main(["migrate", url, "--to", str(back)]) == 0
    assert _sqlite_rows(back) == before
    assert back.stat().st_mode & 0o777 == 0o600
    db = open_db(back)
    assert audit.verify(db) == []
    accounts.login(db, "nhap.lieu", PASSWORD)  # the password hashes came along
    officer = person(db, "moi", Role.OFFICER)  # new rows get new ids after the moved ones
    saved = officer.children.save({**KID, "full_name": "Lò Thị Mới"}).child_id
    assert saved == max(row[0] for row in before["child"]) + 1
    db.close()


def test_a_second_run_changes_nothing_and_says_so(cluster, commune, capsys):
    url = cluster.fresh_url()
    first = migrate_register(commune, url)
    assert first.moved and first.state is TargetState.NEW
    moved = _pg_rows(url)
    capsys.readouterr()
    assert main(["migrate", str(commune), "--to", url]) == 0
    assert "không thay đổi gì" in capsys.readouterr().out
    assert _pg_rows(url) == moved
    again = migrate_register(commune, url)
    assert not again.moved and again.state is TargetState.SAME
    assert again.rows == first.rows == sum(len(r) for k, r in moved.items()
                                           if not k.endswith("prefix_count"))
    db = open_db(url)  # the identities moved on past the copied ids
    officer = person(db, "moi", Role.OFFICER)
    saved = officer.children.save({**KID, "full_name": "Lò Thị Mới"}).child_id
    assert saved == max(row[0] for row in moved["child"]) + 1
    db.close()


def test_a_dry_run_reports_every_table_and_writes_nothing(cluster, commune, tmp_path,
                                                          capsys):
    url = cluster.fresh_url()
    assert main(["migrate", str(commune), "--to", url, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Chạy thử" in out and "Không ghi gì" in out
    children = len(_sqlite_rows(commune)["child"])
    assert any(line.split()[0] == "child" and f"{children} dòng" in line
               for line in out.splitlines() if line.strip())
    conn = psycopg2.connect(url)
    cursor = conn.cursor()
    cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert cursor.fetchone()[0] == 0  # not even the schema
    conn.close()
    assert main(["migrate", str(commune), "--to", str(tmp_path / "x.db"), "--dry-run"]) == 0
    assert not (tmp_path / "x.db").exists()


def test_a_different_register_at_the_target_is_refused_and_left_alone(cluster, commune,
                                                                      capsys):
    # another register of the same commune (made by treem init): never merged into
    # (a register of another commune at the target is a province's database: the
    # commune joins it, see test_a_commune_file_joins_a_database_of_other_communes)
    url = cluster.fresh_url()
    other = create_register(url, commune_code="03808", commune_name="Xã Mường La",
                            province_code="14")
    other.close()
    held = _pg_rows(url)
    assert main(["migrate", str(commune), "--to", url]) == 2
    err = capsys.readouterr().err
    assert "đã có dữ liệu khác" in err and "Không ghi gì" in err
    assert _pg_rows(url) == held
    with pytest.raises(MigrationRefused):
        migrate_register(commune, commune)


def test_a_source_with_a_broken_audit_log_is_not_moved(cluster, commune, tmp_path):
    import shutil

    broken = tmp_path / "sua.db"
    shutil.copy(commune, broken)
    shutil.copy(f"{commune}.key", f"{broken}.key")
    conn = sqlite3.connect(broken)
    conn.execute("DROP TRIGGER audit_entry_no_update")
    conn.execute("UPDATE audit_entry SET new = '\"sửa\"' WHERE id = 2")
    conn.commit()
    conn.close()
    url = cluster.fresh_url()
    with pytest.raises(MigrationRefused, match="không toàn vẹn"):
        migrate_register(broken, url)
    assert _data_rows(url) == 0


@pytest.mark.parametrize("point", ["migrate.table.child", "migrate.before_commit"])
def test_a_killed_move_leaves_the_target_empty_and_a_rerun_completes(cluster, commune,
                                                                      point):
    url = cluster.fresh_url()
    killed = _cli("migrate", str(commune), "--to", url, fault=point)
    assert killed.returncode == -9, killed.stderr
    assert _data_rows(url) == 0  # the schema may be there; no row is
    done = _cli("migrate", str(commune), "--to", url)
    assert done.returncode == 0, done.stderr
    assert _pg_rows(url) == _sqlite_rows(commune)


def test_a_killed_move_back_to_a_file_leaves_no_rows_and_a_rerun_completes(cluster, commune,
                                                                           tmp_path):
    url = cluster.fresh_url()
    migrate_register(commune, url)
    back = tmp_path / "lai.db"
    killed = _cli("migrate", url, "--to", str(back), fault="migrate.table.audit_entry")
    assert killed.returncode == -9
    if back.exists():
        rows = _sqlite_rows(back)
        assert not any(rows.values())
    done = _cli("migrate", url, "--to", str(back))
    assert done.returncode == 0, done.stderr
    assert _sqlite_rows(back) == _sqlite_rows(commune)


# --- many communes in one database (issue 13) -------------------------------------------
def _shared(cluster, commune: Path) -> str:
    """A province database holding the commune's register and a second commune (03688)
    with a child of its own; its URL."""
    from libchild import catalog
    from tui.services import Services
    from tui.services.registers import add_commune

    url = cluster.fresh_url()
    migrate_register(commune, url)
    add_commune(url, catalog.load().communes.get("03688"), admin="quan.tri.b",
                admin_name="Quản trị B", password=PASSWORD)
    db = open_db(url)
    admin_b = Services(db, accounts.change_password(db, "quan.tri.b", PASSWORD,
                                                    "mat-khau-moi-456"))
    admin_b.children.save({**KID, "full_name": "Cầm Văn Ơn"})
    db.close()
    return url


def test_one_commune_comes_out_of_a_shared_database_as_its_own_register(cluster, commune,
                                                                        tmp_path):
    from tui.services.migration import export_commune

    url = _shared(cluster, commune)
    out = tmp_path / "03808.db"
    plan = export_commune(url, "03808", out, dry_run=True)
    assert not plan.moved and not out.exists()
    result = export_commune(url, "03808", out)
    assert result.moved and result.rows == plan.rows
    # row for row the commune's register as it went in: same ids, same audit chain
    expected = {k: v for k, v in _sqlite_rows(commune).items() if k != "login_delay"}
    assert {k: v for k, v in _sqlite_rows(out).items() if k != "login_delay"} == expected
    db = open_db(out)
    try:
        assert audit.verify(db) == []
        officer = accounts.login(db, "nhap.lieu", PASSWORD)
        assert officer.scope.commune == "03808"
        assert db.execute_sql("SELECT count(*) FROM child WHERE full_name = 'Cầm Văn Ơn'"
                              ).fetchone() == (0,)  # nothing of the other commune
    finally:
        db.close()
    with pytest.raises(MigrationRefused):  # never written over
        export_commune(url, "03808", out)
    with pytest.raises(MigrationRefused):
        export_commune(url, "00004", tmp_path / "x.db")  # not a commune of the database
    done = _cli("migrate", "--commune", "03688", "--from", url, "--to",
                str(tmp_path / "03688.db"))
    assert done.returncode == 0, done.stderr
    db = open_db(tmp_path / "03688.db")
    try:
        assert audit.verify(db) == []
        assert [r[0] for r in db.execute_sql("SELECT full_name FROM child")] == ["Cầm Văn Ơn"]
    finally:
        db.close()


def test_a_commune_file_joins_a_database_of_other_communes(cluster, commune, tmp_path):
    from tui.services import Services
    from tui.services.migration import export_commune
    from tui.store import search, tenancy

    url = cluster.fresh_url()
    db = create_register(url, commune_code="03688", commune_name="Xã Mường Chiên",
                         province_code="14")
    person(db, "quan.tri.b", Role.ADMINISTRATOR).children.save(
        {**KID, "full_name": "Cầm Văn Ơn"})
    db.close()
    plan = migrate_register(commune, url, dry_run=True)
    assert plan.state is TargetState.EMPTY and not plan.moved
    done = migrate_register(commune, url)
    assert done.moved
    again = migrate_register(commune, url)  # idempotent: nothing changes
    assert again.state is TargetState.SAME and not again.moved
    source = open_db(commune)
    children = source.execute_sql("SELECT count(*) FROM child").fetchone()[0]
    lo = search.count(source, "lo", villages=None)
    source.close()
    db = open_db(url)
    try:
        tenancy.bind(db, tenancy.ALL)
        assert audit.verify(db, commune="03808") == []  # re-sealed on arrival
        assert audit.verify(db, commune="03688") == []  # the other commune untouched
        assert db.execute_sql("SELECT count(*) FROM child WHERE commune = '03808'"
                              ).fetchone() == (children,)
        officer = Services(db, accounts.login(db, "nhap.lieu", PASSWORD))
        assert officer.session.scope.commune == "03808"
        assert officer.children.count_search("lo") == lo
        assert officer.children.count_search("cam van on") == 0
        joined = [e for e in audit.recent(db, limit=5) if e["action"] == "join"]
        assert joined and joined[0]["new"]["head"] == audit.head(
            open_db(commune))[1]  # the file's last head code, recorded
    finally:
        db.close()
    out = tmp_path / "back.db"  # and out again: a register of its own
    assert export_commune(url, "03808", out).moved
    db = open_db(out)
    try:
        assert audit.verify(db) == []
        assert db.execute_sql("SELECT count(*) FROM child").fetchone() == (children,)
    finally:
        db.close()
