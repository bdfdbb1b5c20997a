"""The ``treem`` command line, run as a real process on temporary databases."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADMIN_PW = "mat-khau-dau-tien"
ADMIN_NEW_PW = "mat-khau-moi-2026"
OFFICER_PW = "tam-thoi-123"


def treem(*args: str, tmp: Path, env: dict[str, str] | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tui.cli ARGS`` with a private HOME and no TREEM_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    clean.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "home" / "data"),
                 PYTHONPATH=str(ROOT))
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=clean, capture_output=True,
        text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def secret(tmp: Path, name: str, value: str) -> str:
    path = tmp / name
    path.write_text(value + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A real register of Xã Mường La whose administrator has changed the first password."""
    db = tmp_path / "xa.db"
    done = treem("init", "--commune", "03808", "--db", str(db),
                 "--password-file", secret(tmp_path, "pw", ADMIN_PW), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    first = treem("users", "list", "--db", str(db), "--as", "admin",
                  "--password-file", secret(tmp_path, "pw", ADMIN_PW),
                  "--new-password-file", secret(tmp_path, "new", ADMIN_NEW_PW), tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    return db


def as_admin(tmp: Path) -> list[str]:
    return ["--as", "admin", "--password-file", secret(tmp, "admin-pw", ADMIN_NEW_PW)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "demo.db"
    done = treem("demo", "--db", str(db), "--children", "400", "--seed", "5", "--no-ui",
                 tmp=tmp)
    assert done.returncode == 0, done.stderr
    return db


def test_help_is_vietnamese_documents_exit_codes_and_imports_nothing_heavy(tmp_path):
    done = treem("--help", tmp=tmp_path)
    assert done.returncode == 0
    assert "Cách dùng: treem" in done.stdout
    assert "mã thoát:" in done.stdout and "130" in done.stdout
    for command in ("init", "demo", "users", "check", "audit", "backup", "export", "import"):
        assert command in done.stdout
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys; from tui.cli import build_parser; build_parser().format_help(); "
         "print(sorted(m for m in ('peewee', 'textual', 'openpyxl') if m in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert probe.stdout.strip() == "[]", probe.stderr


def test_no_database_tells_to_run_init_or_demo(tmp_path):
    done = treem("--db", str(tmp_path / "none.db"), tmp=tmp_path)
    assert done.returncode == 3
    assert "treem init" in done.stderr and "treem demo" in done.stderr
    env_done = treem(tmp=tmp_path, env={"TREEM_DB": str(tmp_path / "env.db")})
    assert env_done.returncode == 3
    assert str(tmp_path / "env.db") in env_done.stderr


def test_wrong_commune_code_is_refused_with_suggestions(tmp_path):
    db = tmp_path / "x.db"
    done = treem("init", "--commune", "99999", "--db", str(db),
                 "--password-file", secret(tmp_path, "pw", ADMIN_PW), tmp=tmp_path)
    assert done.returncode == 2
    assert "Không có xã nào mang mã “99999”" in done.stderr
    assert not db.exists()
    by_name = treem("init", "--commune", "Mường La", "--db", str(db),
                    "--password-file", secret(tmp_path, "pw", ADMIN_PW), tmp=tmp_path)
    assert by_name.returncode == 2
    assert "03808  Xã Mường La (Sơn La)" in by_name.stderr
    demo = treem("demo", "--db", str(db), "--commune", "1", "--no-ui", tmp=tmp_path)
    assert demo.returncode == 2 and not db.exists()


def test_bad_options_get_a_vietnamese_message(tmp_path):
    done = treem("demo", "--children", "300001", "--no-ui", tmp=tmp_path)
    assert done.returncode == 2
    assert "Số trẻ em phải từ 0 đến 300000" in done.stderr
    missing = treem("init", tmp=tmp_path)
    assert missing.returncode == 2
    # no terminal to walk through the steps (tests/test_cli_init_walkthrough.py)
    assert "Thiếu --commune" in missing.stderr and "từng bước" in missing.stderr


def test_init_creates_a_private_register_and_forces_a_password_change(tmp_path):
    db = tmp_path / "xa.db"
    done = treem("init", "--commune", "03808", "--admin", "chutich", "--db", str(db), tmp=tmp_path,
                 env={"TREEM_ADMIN_PASSWORD": ADMIN_PW})
    assert done.returncode == 0, done.stderr
    assert "Xã Mường La" in done.stdout
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT commune_code, province_code, sandbox FROM setting").fetchone() \
            == ("03808", "14", 0)
        assert con.execute("SELECT username, role, must_change_password FROM user").fetchall() \
            == [("chutich", "administrator", 1)]
    again = treem("init", "--commune", "03808", "--db", str(db), tmp=tmp_path,
                  env={"TREEM_ADMIN_PASSWORD": ADMIN_PW})
    assert again.returncode == 2 and "Không ghi đè" in again.stderr
    forced = treem("users", "list", "--db", str(db), "--as", "chutich", tmp=tmp_path,
                   env={"TREEM_PASSWORD": ADMIN_PW})
    assert forced.returncode == 4
    assert "phải đổi mật khẩu" in forced.stderr
    no_terminal = treem("init", "--commune", "03808", "--db", str(tmp_path / "b.db"),
                        tmp=tmp_path)
    assert no_terminal.returncode == 2 and "--password-file" in no_terminal.stderr
    assert not (tmp_path / "b.db").exists()


def test_users_add_list_lock_unlock_reset_are_audited(register, tmp_path):
    db = str(register)
    nobody = treem("users", "list", "--db", db, tmp=tmp_path)
    assert nobody.returncode == 4 and "--as" in nobody.stderr
    wrong = treem("users", "list", "--db", db, "--as", "admin", tmp=tmp_path,
                  env={"TREEM_PASSWORD": "sai-mat-khau"})
    assert wrong.returncode == 4 and "không đúng" in wrong.stderr

    added = treem("users", "add", "canbo.lan", "--role", "officer", "--name", "Lò Thị Lan",
                  "--db", db, *as_admin(tmp_path), tmp=tmp_path,
                  env={"TREEM_USER_PASSWORD": OFFICER_PW})
    assert added.returncode == 0, added.stderr
    listing = treem("users", "list", "--db", db, *as_admin(tmp_path), tmp=tmp_path)
    assert listing.returncode == 0
    line = next(x for x in listing.stdout.splitlines() if x.startswith("canbo.lan"))
    assert "Lò Thị Lan" in line and "cán bộ" in line and "phải đổi mật khẩu" in line

    # An officer may not manage accounts.
    officer = treem("users", "list", "--db", db, "--as", "canbo.lan", tmp=tmp_path,
                    env={"TREEM_PASSWORD": OFFICER_PW, "TREEM_NEW_PASSWORD": "moi-cua-lan-1"})
    assert officer.returncode == 4 and "không được phép" in officer.stderr

    locked = treem("users", "lock", "canbo.lan", "--db", db, *as_admin(tmp_path), tmp=tmp_path)
    assert locked.returncode == 0, locked.stderr
    listing = treem("users", "list", "--db", db, *as_admin(tmp_path), tmp=tmp_path)
    assert "bị khoá" in next(x for x in listing.stdout.splitlines() if x.startswith("canbo"))
    refused = treem("check", "--db", db, "--as", "canbo.lan", tmp=tmp_path,
                    env={"TREEM_PASSWORD": "moi-cua-lan-1"})
    assert refused.returncode == 4 and "khoá" in refused.stderr

    unlocked = treem("users", "unlock", "canbo.lan", "--db", db, *as_admin(tmp_path),
                     tmp=tmp_path)
    assert unlocked.returncode == 0
    reset = treem("users", "reset-password", "canbo.lan", "--db", db, *as_admin(tmp_path),
                  tmp=tmp_path, env={"TREEM_USER_PASSWORD": "tam-lan-thu-hai"})
    assert reset.returncode == 0, reset.stderr
    checked = treem("check", "--db", db, "--as", "canbo.lan", tmp=tmp_path,
                    env={"TREEM_PASSWORD": "tam-lan-thu-hai",
                         "TREEM_NEW_PASSWORD": "moi-cua-lan-2"})
    assert checked.returncode == 0, checked.stderr

    with sqlite3.connect(register) as con:
        actions = con.execute(
            "SELECT username, action, entity, field FROM audit_entry ORDER BY id").fetchall()
    assert ("admin", "create", "user", "role") in actions
    assert ("admin", "update", "user", "disabled") in actions
    assert ("admin", "update", "user", "password") in actions
    assert ("admin", "view", "user", "list") in actions
    assert ("canbo.lan", "view", "review_lists", "check") in actions


def test_demo_creates_a_marked_sandbox_reuses_it_and_recreates_it_fresh(demo_db, tmp_path):
    with sqlite3.connect(demo_db) as con:
        assert con.execute("SELECT commune_code, sandbox FROM setting").fetchone() == (
            "03808", 1)
        assert con.execute("SELECT count(*) FROM child").fetchone()[0] == 400
        assert con.execute("SELECT count(*) FROM household").fetchone()[0] > 100
        villages = [r[0] for r in con.execute("SELECT name FROM village")]
    assert any(v.startswith("Bản ") for v in villages)
    assert stat.S_IMODE(demo_db.stat().st_mode) == 0o600

    copy = tmp_path / "again.db"
    first = treem("demo", "--db", str(copy), "--children", "50", "--no-ui", tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "BẢN THỬ NGHIỆM" in first.stdout
    reused = treem("demo", "--db", str(copy), "--children", "80", "--no-ui", tmp=tmp_path)
    assert reused.returncode == 0 and "Dùng lại" in reused.stdout
    with sqlite3.connect(copy) as con:
        assert con.execute("SELECT count(*) FROM child").fetchone()[0] == 50
    fresh = treem("demo", "--db", str(copy), "--children", "80", "--fresh", "--no-ui",
                  tmp=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    with sqlite3.connect(copy) as con:
        assert con.execute("SELECT count(*) FROM child").fetchone()[0] == 80


def test_demo_default_path_is_a_sandbox_file_in_the_user_data_dir(tmp_path):
    done = treem("demo", "--children", "30", "--no-ui", tmp=tmp_path,
                 env={"TREEM_DB": str(tmp_path / "real.db")})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "home" / "data" / "treem" / "treem-demo.db").exists()
    assert not (tmp_path / "real.db").exists()


def test_demo_never_touches_a_real_register(register, tmp_path):
    before = register.read_bytes()
    done = treem("demo", "--db", str(register), "--fresh", "--no-ui", tmp=tmp_path)
    assert done.returncode == 2
    assert "sổ thật" in done.stderr
    assert register.read_bytes() == before


def test_users_on_a_sandbox_need_no_login(demo_db, tmp_path):
    done = treem("users", "list", "--db", str(demo_db), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "demo" in done.stdout


def test_check_json_lists_the_step_3_problems(demo_db, tmp_path):
    done = treem("check", "--json", "--db", str(demo_db), tmp=tmp_path)
    report = json.loads(done.stdout)
    counts = report["counts"]
    assert report["children"] == 400
    assert counts["no_id"] > 0 and counts["bad_id"] > 0 and counts["basic_info"] > 0
    for kind in ("no_id", "bad_id", "basic_info"):
        assert len(report["lists"][kind]) == counts[kind]
    assert all(row["personal_id"] is None for row in report["lists"]["no_id"])
    bad = report["lists"]["bad_id"][0]
    assert any(i["field"] == "personal_id" and i["message"] for i in bad["issues"])
    assert done.returncode == (1 if counts["errors"] else 0)
    assert counts["errors"] > 0  # the demo plants wrongly formatted numbers: errors
    text = treem("check", "--db", str(demo_db), tmp=tmp_path)
    assert text.returncode == done.returncode
    assert "Chưa có số định danh" in text.stdout
    assert "Số định danh sai định dạng" in text.stdout


def _tamper(db: Path) -> int:
    with sqlite3.connect(db) as con:
        for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_entry'").fetchall():
            con.execute(f'DROP TRIGGER "{name}"')
        entry = con.execute("SELECT min(id) FROM audit_entry WHERE action = 'import'"
                            ).fetchone()[0]
        con.execute("UPDATE audit_entry SET username = 'ke-gian' WHERE id = ?", (entry,))
    return entry


def test_audit_verify_passes_then_names_the_edited_entry(tmp_path):
    db = tmp_path / "a.db"
    assert treem("demo", "--db", str(db), "--children", "60", "--no-ui",
                 tmp=tmp_path).returncode == 0
    ok = treem("audit", "--verify", "--db", str(db), tmp=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "toàn vẹn" in ok.stdout
    listing = treem("audit", "--db", str(db), tmp=tmp_path)
    assert listing.returncode == 0 and "import" in listing.stdout
    entry = _tamper(db)
    broken = treem("audit", "--verify", "--db", str(db), tmp=tmp_path)
    assert broken.returncode == 1
    assert f"số {entry}" in broken.stdout and "bị sửa" in broken.stdout


def test_audit_child_lists_only_that_childs_entries(demo_db, tmp_path):
    with sqlite3.connect(demo_db) as con:
        child_id = con.execute("SELECT min(id) FROM child").fetchone()[0]
    done = treem("audit", "--child", str(child_id), "--db", str(demo_db), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines and any(" import " in line for line in lines)  # the bulk entry of the demo
    assert all(f"child #{child_id} " in line for line in lines)


WRITER = """
import sys, time
from tui.store.database import open_db, write_tx
from tui.store import audit
db = open_db(sys.argv[1])
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < end:
    with write_tx(db):
        for _ in range(5):
            audit.append(db, user_id=None, username="writer", action="view", entity="test")
    n += 1
print(n, flush=True)
"""


def test_backup_is_consistent_and_private_while_another_process_writes(tmp_path):
    db = tmp_path / "src.db"
    assert treem("demo", "--db", str(db), "--children", "300", "--no-ui",
                 tmp=tmp_path).returncode == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "6"], cwd=ROOT, stdout=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        out = tmp_path / "copy.db"
        done = treem("backup", "--out", str(out), "--db", str(db), tmp=tmp_path)
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        batches = int(writer.stdout.readline())
    finally:
        writer.wait(timeout=60)
    assert batches > 0  # the writer really worked through the backup
    with sqlite3.connect(out) as copy, sqlite3.connect(db) as source:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("child", "household", "caregiver", "child_circumstance", "village"):
            sql = f"SELECT count(*) FROM {table}"
            assert copy.execute(sql).fetchone()[0] == source.execute(sql).fetchone()[0]
        copied = copy.execute("SELECT count(*) FROM audit_entry WHERE username = 'writer'"
                              ).fetchone()[0]
    assert copied % 5 == 0  # never half of a writer's transaction
    restored = treem("audit", "--verify", "--db", str(out), tmp=tmp_path)
    assert restored.returncode == 0, restored.stdout  # the copied chain is whole
    again = treem("backup", "--out", str(out), "--db", str(db), tmp=tmp_path)
    assert again.returncode == 2 and "Không ghi đè" in again.stderr


def _interactive_init(db: Path, tmp: Path, first: str, second: str
                      ) -> tuple[int, str, str]:
    """Run ``treem init`` on a pseudo-terminal and type the two passwords."""
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "init", "--commune", "03808", "--db", str(db)],
        cwd=ROOT, stdin=slave, stdout=subprocess.PIPE, stderr=slave, env=env,
        start_new_session=True,  # no controlling terminal: getpass reads the pty on stdin
    )
    os.close(slave)
    screen = b""

    def wait_for(text: str) -> None:
        nonlocal screen
        deadline = time.monotonic() + 30
        while text.encode() not in screen and time.monotonic() < deadline:
            screen += os.read(master, 1024)

    try:
        wait_for("Mật khẩu mới cho admin")
        os.write(master, first.encode() + b"\n")
        wait_for("Nhập lại mật khẩu")
        os.write(master, second.encode() + b"\n")
        out, _ = process.communicate(timeout=60)
        try:
            while chunk := os.read(master, 1024):
                screen += chunk
        except OSError:
            pass
    finally:
        os.close(master)
    return process.returncode, out.decode(), screen.decode(errors="replace")


def test_init_asks_the_password_twice_on_a_terminal(tmp_path):
    db = tmp_path / "tty.db"
    code, out, screen = _interactive_init(db, tmp_path, ADMIN_PW, ADMIN_PW + "x")
    assert code == 2 and "không giống nhau" in screen
    assert not db.exists()
    code, out, screen = _interactive_init(db, tmp_path, ADMIN_PW, ADMIN_PW)
    assert code == 0, screen
    assert ADMIN_PW not in screen  # never echoed
    assert "Đã tạo sổ" in out and db.exists()


def test_database_path_precedence(tmp_path, monkeypatch):
    from tui.paths import resolve_db

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TREEM_DB", str(tmp_path / "env.db"))
    assert resolve_db(str(tmp_path / "opt.db")) == tmp_path / "opt.db"
    assert resolve_db(None) == tmp_path / "env.db"
    assert resolve_db(None, sandbox=True) == tmp_path / "data" / "treem" / "treem-demo.db"
    monkeypatch.delenv("TREEM_DB")
    assert resolve_db(None) == tmp_path / "data" / "treem" / "treem.db"


def test_a_file_that_is_not_a_register_is_refused_untouched(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"day khong phai co so du lieu" * 40)
    before = junk.read_bytes()
    for args in ((), ("check",), ("audit", "--verify"), ("users", "list")):
        done = treem(*args, "--db", str(junk), tmp=tmp_path) if args else treem(
            "--db", str(junk), tmp=tmp_path)
        assert done.returncode == 3, (args, done.stderr)
        assert "bị hỏng" in done.stderr or "không phải" in done.stderr
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    done = treem("check", "--db", str(other), tmp=tmp_path)
    assert done.returncode == 3 and "không phải sổ theo dõi trẻ em" in done.stderr
    assert junk.read_bytes() == before


def test_treem_and_treem_demo_open_the_app_on_the_right_database(demo_db, tmp_path,
                                                                 monkeypatch):
    import tui.app
    from tui.cli import main

    calls = []
    monkeypatch.setattr(tui.app, "run_app",
                        lambda path, *, sandbox: calls.append((Path(path), sandbox)) or 0)
    monkeypatch.delenv("TREEM_DB", raising=False)
    assert main(["--db", str(demo_db)]) == 0
    assert main(["demo", "--db", str(demo_db)]) == 0  # reuses the sandbox, then opens it
    assert calls == [(demo_db, True), (demo_db, True)]
    real = tmp_path / "real.db"
    monkeypatch.setenv("TREEM_DB", str(real))
    monkeypatch.setenv("TREEM_ADMIN_PASSWORD", ADMIN_PW)
    assert main(["init", "--commune", "03808"]) == 0
    assert main([]) == 0
    assert calls[-1] == (real, False)


def test_export_and_import_are_forwarded_to_the_spreadsheet_module(tmp_path, monkeypatch):
    import tui.cli_spreadsheets
    from tui.cli import main

    seen = []
    monkeypatch.setattr(tui.cli_spreadsheets, "main_export", lambda a: seen.append(a) or 0)
    monkeypatch.setattr(tui.cli_spreadsheets, "main_import", lambda a: seen.append(a) or 5)
    monkeypatch.delenv("TREEM_DB", raising=False)
    db = tmp_path / "x.db"
    assert main(["--db", str(db), "export", "police", "--out", "a.xlsx", "--as", "lan"]) == 0
    assert main(["import", "--db", str(db), "children", "b.xlsx", "--dry-run"]) == 5
    assert main(["export", "report", "--db", str(db), "--out", "c.xlsx"]) == 0
    assert main(["export", "full", f"--db={db}", "--out", "d.xlsx"]) == 0
    assert [(a.command, a.db, a.argv) for a in seen] == [
        ("export", db, ["police", "--out", "a.xlsx", "--as", "lan"]),
        ("import", db, ["children", "b.xlsx", "--dry-run"]),
        ("export", db, ["report", "--out", "c.xlsx"]),
        ("export", db, ["full", "--out", "d.xlsx"]),
    ]


def test_a_sandbox_never_produces_a_police_list(demo_db, tmp_path):
    out = tmp_path / "police.xlsx"
    done = treem("export", "police", "--out", str(out), "--db", str(demo_db), tmp=tmp_path)
    assert done.returncode != 0
    assert "thử" in done.stderr and "danh sách gửi công an" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(("command", "kinds"), [
    ("export", ("police", "cleaning", "full", "report")),
    ("import", ("police", "children")),
])
def test_export_and_import_help_list_their_kinds(command, kinds, tmp_path):
    for flag in ("--help", "-h"):
        done = treem(command, flag, tmp=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"Cách dùng: treem {command}")
        assert all(f"{kind} (" in done.stdout for kind in kinds)  # each kind, explained
        assert "--as TÊN" in done.stdout and done.stderr == ""
    with_db = treem(command, "--db", str(tmp_path / "x.db"), "--help", tmp=tmp_path)
    assert with_db.returncode == 0 and all(f"{kind} (" in with_db.stdout for kind in kinds)
    assert not (tmp_path / "x.db").exists()


def _copy_of(db: Path, tmp: Path) -> Path:
    out = tmp / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(out) as dst:
        src.backup(dst)
    shutil.copy(f"{db}.key", f"{out}.key")  # the copy's audit chain is sealed by it
    return out


def test_recheck_sample_done_and_summary(demo_db, tmp_path):
    db = str(_copy_of(demo_db, tmp_path))
    added = treem("users", "add", "kiem.tra", "--role", "officer", "--name", "Cầm Thị Kiểm",
                  "--db", db, tmp=tmp_path, env={"TREEM_USER_PASSWORD": OFFICER_PW})
    assert added.returncode == 0, added.stderr
    checker = {"TREEM_PASSWORD": OFFICER_PW, "TREEM_NEW_PASSWORD": "moi-cua-kiem-1"}
    first = treem("recheck", "sample", "--percent", "5", "--seed", "3", "--json", "--db", db,
                  "--as", "kiem.tra", tmp=tmp_path, env=checker)
    assert first.returncode == 0, first.stderr
    sample = json.loads(first.stdout)["sample"]
    assert len(sample) == 20  # ceil(5% of 400)
    assert all(row["entered_by"] == "Người dùng thử" for row in sample)
    checker = {"TREEM_PASSWORD": "moi-cua-kiem-1"}
    again = treem("recheck", "sample", "--percent", "5", "--seed", "3", "--db", db,
                  "--as", "kiem.tra", tmp=tmp_path, env=checker)
    assert again.returncode == 0, again.stderr
    assert "Mẫu phúc tra 5% của Xã Mường La: 20 hồ sơ (trong 400 trẻ em)" in again.stdout
    assert [f"#{row['id']}" for row in sample] == [
        line.split()[0] for line in again.stdout.splitlines()[1:]]  # same seed, same sample

    ok_id, bad_id = sample[0]["id"], sample[1]["id"]
    own = treem("recheck", "done", str(ok_id), "--ok", "--db", db, tmp=tmp_path)
    assert own.returncode == 4 and "phải khác người đã nhập" in own.stderr  # the enterer
    done = treem("recheck", "done", str(ok_id), "--ok", "--db", db, "--as", "kiem.tra",
                 tmp=tmp_path, env=checker)
    assert done.returncode == 0, done.stderr
    assert "khớp" in done.stdout and "đã phúc tra" in done.stdout
    wrong = treem("recheck", "done", str(bad_id), "--discrepancy", "sai tên mẹ",
                  "--set", "mother_name=Quàng Thị Un", "--db", db, "--as", "kiem.tra",
                  tmp=tmp_path, env=checker)
    assert wrong.returncode == 0, wrong.stderr
    refused = treem("recheck", "done", str(bad_id), "--ok", "--set", "sex=2", "--db", db,
                    "--as", "kiem.tra", tmp=tmp_path, env=checker)
    assert refused.returncode == 2 and "--discrepancy" in refused.stderr
    neither = treem("recheck", "done", str(bad_id), "--db", db, tmp=tmp_path)
    assert neither.returncode == 2 and "cần đúng một trong các tham số: --ok, --discrepancy" in (
        neither.stderr)
    both = treem("recheck", "done", str(bad_id), "--ok", "--discrepancy", "x", "--db", db,
                 tmp=tmp_path)
    assert both.returncode == 2 and "không dùng --discrepancy cùng với --ok" in both.stderr

    summary = treem("recheck", "summary", "--json", "--db", db, tmp=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert [(r["name"], r["checked"], r["discrepancies"]) for r in json.loads(summary.stdout)
            ] == [("Người dùng thử", 2, 1)]
    text = treem("recheck", "summary", "--db", db, tmp=tmp_path)
    assert "Người dùng thử" in text.stdout and "50,0%" in text.stdout
    with sqlite3.connect(db) as con:
        mother = con.execute("SELECT mother_name FROM child WHERE id = ?", (bad_id,)).fetchone()
        results = con.execute("SELECT username FROM audit_entry WHERE entity = 'recheck' "
                              "AND action = 'recheck'").fetchall()
    assert mother == ("Quàng Thị Un",) and results == [("kiem.tra",), ("kiem.tra",)]


def test_check_and_audit_write_dates_as_the_screens_do(demo_db, tmp_path):
    """Issue 10, item 15: dates in the command line's text are dd/mm/yyyy (the one
    formatter, tui.formatting), never the stored ISO form."""
    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    with sqlite3.connect(demo_db) as con:
        child_id, birth = con.execute(
            "SELECT id, birth_date FROM child WHERE personal_id IS NULL AND birth_date "
            "IS NOT NULL ORDER BY id").fetchone()
    checked = treem("check", "--db", str(demo_db), tmp=tmp_path)
    row = next(line for line in checked.stdout.splitlines() if f"#{child_id} " in line)
    year, month, day = birth.split("-")
    assert f"{day}/{month}/{year}" in row
    assert not iso.search(checked.stdout)
    audit = treem("audit", "--db", str(demo_db), tmp=tmp_path)
    lines = audit.stdout.splitlines()
    assert lines and all(re.match(r"#\d+ +\d\d/\d\d/\d{4} \d\d:\d\d  ", line)
                         for line in lines), lines


def test_ascii_setting_replaces_glyphs_the_fonts_may_lack(demo_db, tmp_path):
    """Issue 10, item 15: with TREEM_ASCII=1 the command line writes ∅ as — (WGL4)."""
    plain = treem("audit", "--db", str(demo_db), tmp=tmp_path)
    assert "∅" in plain.stdout
    safe = treem("audit", "--db", str(demo_db), tmp=tmp_path, env={"TREEM_ASCII": "1"})
    assert "∅" not in safe.stdout and ": — →" in safe.stdout
