"""Two app servers on one PostgreSQL register: nothing shared lives on a server's disk.

Two ``treem`` processes, each with its own home folder (as two SSH front ends have), open
the same ``postgresql://`` register, load the same child, and both save it: the second
gets the version conflict, as two sessions on one SQLite file do, and loses nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kit import PASSWORD, person

from tui.domain import Role
from tui.store.database import open_db
from tui.store.settings import create_register

pytestmark = pytest.mark.backend

ROOT = Path(__file__).resolve().parents[1]
KID = {"full_name": "Lò Văn Páo", "sex": "1", "birth_date": "2015-03-15", "ethnicity": "03",
       "father_name": "Lò Văn Tòng", "mother_name": "Quàng Thị Ín"}

#: One session of an app server: load the child, wait for the word, save a change of it.
SESSION = f"""
import sys
from tui.errors import Conflict
from tui.services import Services, accounts
from tui.store.database import open_db

url, username, child_id, schooling = sys.argv[1:5]
db = open_db(url)
svc = Services(db, accounts.login(db, username, {PASSWORD!r}))
loaded = svc.children.get(int(child_id))
print("loaded", loaded.version, flush=True)
sys.stdin.readline()
try:
    saved = svc.children.save({{"id": int(child_id), "schooling": schooling}},
                              expected_version=loaded.version)
    print("saved", saved.version, flush=True)
except Conflict as exc:
    print("conflict", exc.theirs_version, flush=True)
db.close()
"""


def test_two_app_servers_editing_one_child_get_the_version_conflict(cluster, tmp_path):
    url = cluster.fresh_url()
    db = create_register(url, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14")
    officer = person(db, "nhap.lieu", Role.OFFICER)
    person(db, "can.bo", Role.OFFICER)
    child_id = officer.children.save(KID).child_id
    db.close()
    sessions = []
    for name, username, schooling in (("a", "nhap.lieu", "04"), ("b", "can.bo", "05")):
        home = tmp_path / name
        home.mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home),
               "XDG_DATA_HOME": str(home / "data"), "TREEM_DB": url}
        sessions.append(subprocess.Popen(
            [sys.executable, "-c", SESSION, url, username, str(child_id), schooling],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=home))
    for proc in sessions:
        assert proc.stdout.readline().split() == ["loaded", "1"]
    answers = []
    for proc in sessions:  # one after the other: the first save wins
        out, _ = proc.communicate("go\n", timeout=60)
        answers.append(out.split())
    assert answers == [["saved", "2"], ["conflict", "2"]]
    db = open_db(url)
    person_b = person(db, "xem", Role.OFFICER)
    assert person_b.children.get(child_id).version == 2
    assert person_b.children.get(child_id).fields()["schooling"] == "04"
    db.close()
    for name in ("a", "b"):  # nothing of the register was written in a home folder
        assert not [p for p in (tmp_path / name).rglob("*") if p.is_file()]
