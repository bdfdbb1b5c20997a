"""Several staff sessions (one process each) saving at once: nobody sees "locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tui.services import accounts
from tui.store import audit
from tui.store.bulk import insert_villages
from tui.store.settings import create_register

ROOT = Path(__file__).resolve().parents[1]

WORKER = textwrap.dedent("""
    import sys
    from tui.services import Services, accounts
    from tui.store.database import open_db
    db = open_db(sys.argv[1])
    reg = Services(db, accounts.login(db, sys.argv[2], "tam-thoi-123"))
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(int(sys.argv[3])):
        saved = reg.children.save({
            "full_name": f"Lò Thị {sys.argv[2][-1].upper()} {chr(65 + n % 26)}",
            "sex": "2", "birth_date": "2018-09-05", "ethnicity": "03",
            "father_name": "Lò Văn Minh", "village": "Bản Nà Lốc",
            "circumstances": ["DB04"]})
        reg.children.save({"id": saved.child_id, "schooling": "04"}, expected_version=1)
    print("done", flush=True)
""")


def test_three_processes_save_concurrently_without_errors(tmp_path):
    path = tmp_path / "reg.db"
    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    insert_villages(db, ["Bản Nà Lốc"])
    names = ["can.bo.a", "can.bo.b", "can.bo.c"]
    for name in names:
        accounts.create_account(db, name, name, "officer", "tam-thoi-123",
                             must_change_password=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), name, "15"], cwd=ROOT,
                              env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for name in names]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:  # start together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.split() == ["done"] and "locked" not in err
    assert db.execute_sql("SELECT count(*) FROM child").fetchone()[0] == 45
    assert db.execute_sql("SELECT count(*) FROM child WHERE version = 2").fetchone()[0] == 45
    assert db.execute_sql("SELECT count(*) FROM child_circumstance").fetchone()[0] == 45
    assert audit.verify(db) == []
