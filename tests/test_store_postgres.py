"""The register on PostgreSQL gives the same answers as on SQLite, chosen by a URL only.

Runs in every test run on a throw-away cluster of its own (``tests/pg_cluster.py``);
skipped, with the reason printed, when PostgreSQL cannot be started here.
"""

from __future__ import annotations

from datetime import date

import psycopg2
import pytest

from tui.domain import ReviewKind
from tui.errors import DatabaseMissing, NotOurDatabase, PasswordChangeRequired
from tui.services import Services, accounts
from tui.store import audit, review, search
from tui.store.bulk import insert_children_bulk, insert_villages
from tui.store.database import open_db, write_tx
from tui.store.settings import create_register

pytestmark = pytest.mark.backend

NAMES = ["Lò Thị Mai", "Lò Văn Minh", "Quàng Thị Xuân", "Đinh Văn Đức", "Lò Thị Mái",
         "Cầm Văn Ơn", "Lo Van Pao", "Hà Thị Én", "Vì Văn Dũng", "Vi Van Dung"]


def _fill(db) -> None:
    villages = insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban"])
    rows = []
    for i, name in enumerate(NAMES * 3):
        row = {"full_name": name, "sex": "2" if "Thị" in name else "1",
               "birth_date": f"{2010 + i % 12}-0{1 + i % 9}-1{i % 10}",
               "ethnicity": "03", "village_id": list(villages.values())[i % 2],
               "father_name": "Lò Văn Tòng", "mother_name": "Quàng Thị Un"}
        if i % 3:
            row["personal_id"] = f"0142{(10 + i % 12):02d}{i:06d}"
        rows.append(row)
    insert_children_bulk(db, rows, allow_errors=True, on=date(2025, 9, 1))


def _answers(db) -> dict[str, object]:
    on = date(2025, 9, 1)
    found: dict[str, object] = {}
    for text in ("lo", "lo thi", "LÒ THỊ MA", "dinh van duc", "vi van", "0142", "014211",
                 "ban na loc", "x"):
        found[f"count {text}"] = search.count(db, text, villages=None)
        found[f"page {text}"] = [h.full_name for h in search.page(
            db, text, villages=None, limit=50, offset=0)]
    for kind in ReviewKind:
        found[f"review {kind}"] = review.count(db, kind, on=on, villages=None)
    found["flags"] = review.flag_counts(db, None)
    return found


def test_the_same_register_gives_the_same_answers_on_both_backends(cluster, tmp_path):
    answers = []
    for target in (str(tmp_path / "reg.db"), cluster.fresh_url()):
        db = create_register(target, commune_code="03808", commune_name="Xã Mường La",
                             province_code="14")
        _fill(db)
        answers.append(_answers(db))
        assert audit.verify(db) == []
        db.close()
    assert answers[0] == answers[1]
    assert answers[0]["count lo"] > 0 and answers[0]["page 0142"]


def test_a_save_after_a_bulk_import_gets_a_new_id_and_search_counts_follow(cluster):
    url = cluster.fresh_url()
    db = create_register(url, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    _fill(db)
    accounts.create_account(db, "lan", "Lan", "officer", "tam-thoi-123",
                            must_change_password=False)
    svc = Services(db, accounts.login(db, "lan", "tam-thoi-123"))
    before = svc.children.count_search("lo thi")
    top = db.execute_sql("SELECT max(id) FROM child").fetchone()[0]
    saved = svc.children.save({"full_name": "Lò Thị Hoa", "sex": "Nữ",
                               "birth_date": "05/09/2018", "ethnicity": "Thái",
                               "village": "Bản Nà Lốc", "mother_name": "Lò Thị Un"})
    # after the bulk ids (drawn from the identity, issue 13), no collision
    assert saved.child_id == top + 1 == len(NAMES) * 3 + 1
    assert svc.children.count_search("lo thi") == before + 1
    db.close()
    again = open_db(url)  # the same URL opens the same register
    assert search.count(again, "lo thi hoa", villages=None) == 1
    assert audit.verify(again) == []
    again.close()


def test_the_audit_log_is_append_only_on_postgresql(cluster):
    db = create_register(cluster.fresh_url(), commune_code="03808",
                         commune_name="Xã Mường La", province_code="14")
    with write_tx(db):
        audit.append(db, user_id=None, username="x", action="test", new="a")
    for statement in ("UPDATE audit_entry SET new = 'b'", "DELETE FROM audit_entry"):
        with pytest.raises(Exception, match="append-only"), write_tx(db):
            db.execute_sql(statement)
    assert audit.verify(db) == []
    db.close()


def test_a_foreign_or_missing_database_is_refused_and_left_alone(cluster):
    url = cluster.fresh_url()
    conn = psycopg2.connect(url)
    conn.autocommit = True
    conn.cursor().execute("CREATE TABLE payroll (id integer)")
    conn.close()
    with pytest.raises(NotOurDatabase):
        open_db(url, create=True)
    with pytest.raises(DatabaseMissing):
        open_db(cluster.url("no_such_register"))
    with pytest.raises(DatabaseMissing):
        open_db(cluster.fresh_url())  # empty, and not asked to create: nothing is made
    conn = psycopg2.connect(url)
    tables = conn.cursor()
    tables.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert tables.fetchone()[0] == 1
    conn.close()


def test_two_writers_queue_instead_of_breaking_the_audit_chain(cluster):
    import threading

    url = cluster.fresh_url()
    db = create_register(url, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    start = audit.count(db)
    db.close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        from tui.store.postgres import open_pg

        db = open_pg(url)
        try:
            for i in range(20):
                with write_tx(db):
                    audit.append(db, user_id=None, username=f"w{n}", action="test", new=i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db = open_db(url)
    assert errors == []
    assert audit.count(db) == start + 80 and audit.verify(db) == []
    db.close()


def test_the_command_line_takes_a_postgresql_url_for_db_and_treem_db(cluster, monkeypatch,
                                                                     capsys):
    from tui.cli import main, open_existing
    from tui.paths import resolve_db

    url = cluster.fresh_url()
    monkeypatch.setenv("TREEM_ADMIN_PASSWORD", "mat-khau-dai-123")
    assert main(["init", "--db", url, "--commune", "03808", "--admin", "quan.tri"]) == 0
    monkeypatch.setenv("TREEM_DB", url)
    assert resolve_db(None) == url  # the environment variable, untouched
    register = open_existing(resolve_db(None))
    assert register.settings.commune_code == "03808"
    register.close()
    capsys.readouterr()
    assert main(["init", "--commune", "03808", "--admin", "khac"]) != 0  # never re-made
    db = open_db(url)
    with pytest.raises(PasswordChangeRequired):  # the first administrator, as on SQLite
        accounts.login(db, "quan.tri", "mat-khau-dai-123")
    db.close()


def test_without_postgresql_the_reason_to_skip_is_given(monkeypatch):
    import pg_cluster

    monkeypatch.setattr(pg_cluster, "_BIN_DIRS", ())
    monkeypatch.setenv("PATH", "")
    assert pg_cluster.start_cluster() == "PostgreSQL binaries (initdb, pg_ctl) not found"


def test_a_province_database_made_by_an_older_program_is_migrated_on_open(cluster):
    from tui.store import postgres, schema
    url = cluster.fresh_url()
    conn = psycopg2.connect(url)
    conn.autocommit = True
    cursor = conn.cursor()
    for statement in postgres._BASE:  # what the first PostgreSQL release created
        cursor.execute(statement)
    cursor.execute("INSERT INTO treem_schema VALUES (%s, %s)",
                   (schema.APPLICATION_ID, postgres.BASE_VERSION))
    cursor.execute("INSERT INTO village (commune_code, name, name_folded, active) "
                   "VALUES ('03808', 'Bản Nà Lốc', 'ban na loc', 1)")
    cursor.execute("INSERT INTO setting (commune_code, commune_name, province_code, sandbox, "
                   "idle_timeout_min, recheck_percent, created_at) "
                   "VALUES ('03808', 'Xã Mường La', '14', 0, 15, 5, '2025-01-01')")
    cursor.execute("INSERT INTO child (full_name, name_folded, issues, has_error, has_warning, "
                   "state, version, created_at, updated_at) VALUES ('Lò Thị Mai', "
                   "'lo thi mai', '[]', 0, 0, 'entered', 1, '2025-01-01', '2025-01-01')")
    cursor.execute("INSERT INTO audit_entry (id, at, username, action, entity, prev_hash, hash)"
                   " VALUES (1, '2025-01-01', '', 'test', '', '0', '1')")
    conn.close()
    db = open_db(url)
    assert schema.version(db) == schema.SCHEMA_VERSION > postgres.BASE_VERSION
    assert db.execute_sql("SELECT name FROM village").fetchall() == [("Bản Nà Lốc",)]
    # v9 (issue 13): rows back-filled with the database's one commune, counts per commune,
    # and the column has no default left (the store always writes it)
    assert db.execute_sql("SELECT commune FROM child").fetchall() == [("03808",)]
    assert db.execute_sql("SELECT commune FROM audit_entry").fetchall() == [("03808",)]
    assert db.execute_sql("SELECT commune, prefix, n FROM name_prefix_count").fetchall() == [
        ("03808", "lo thi", 1)]
    assert db.execute_sql("SELECT column_default FROM information_schema.columns "
                          "WHERE table_name = 'child' AND column_name = 'commune'"
                          ).fetchone() == (None,)
    columns = {c.name for c in db.get_columns("user")} | {c.name for c in db.get_columns("draft")}
    assert {"unix_login", "version", "writer"} <= columns
    assert "as_of" in {c.name for c in db.get_columns("setting")}
    db.close()
    again = open_db(url)  # a second open finds nothing to do
    assert schema.version(again) == schema.SCHEMA_VERSION
    again.close()
