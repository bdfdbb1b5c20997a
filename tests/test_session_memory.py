"""A session's memory after the duplicate screen's work, at a small size (issue 15: no
session above 150 MB; the heavy pairing runs in a child process). The full-size figure
is ``benchmarks/bench_session_memory.py`` on the 300,000-child register."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from libchild import catalog
from tui.demo import generate
from tui.demo.loader import load
from tui.services import accounts
from tui.store import settings
from tui.store.database import open_db

ROOT = Path(__file__).resolve().parent.parent

#: Run in a fresh interpreter, as a session is: open the register, ask for the duplicate
#: candidates as the duplicate screen's worker does (forced into the child process, as
#: above 20,000 children), then read PSS and RSS from /proc/self/smaps_rollup.
SESSION = """
import json, resource, sys
from tui.services import Services, accounts
from tui.services import duplicates as service
from tui.store.database import open_db

def rollup():
    out = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as f:
        for line in f:
            key, value = line.split()[:2]
            if key in ("Rss:", "Pss:"):
                out[key[:-1].lower()] = int(value) / 1024
    return out

service.IN_PROCESS_LIMIT = int(sys.argv[2])
db = open_db(sys.argv[1])
reg = Services(db, accounts.sandbox_session(db))
before = rollup()
found = reg.duplicates.candidates()
after = rollup()
print(json.dumps({
    "pairs": sorted([p.left_id, p.right_id] for p in found),
    "rss_before": before["rss"], "rss_after": after["rss"], "pss_after": after["pss"],
    "child_peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


@pytest.fixture(scope="module")
def demo_register(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("memory") / "demo.db"
    db = open_db(path, create=True)
    commune = catalog.load().communes.get("03808")
    settings.initialize(db, commune_code=commune.code, commune_name=commune.name,
                        province_code=commune.parent, sandbox=True)
    session = accounts.sandbox_session(db)
    load(db, generate(4000, seed=3), user_id=session.user_id, username=session.username)
    db.close()
    return path


def _session(path: Path, limit: int) -> dict:
    done = subprocess.run([sys.executable, "-c", SESSION, str(path), str(limit)],
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout)


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(),
                    reason="PSS is read from Linux's /proc/self/smaps_rollup")
def test_session_stays_small_after_the_duplicate_candidates(demo_register):
    apart = _session(demo_register, limit=0)
    assert apart["pairs"], "the demo plants duplicates"
    assert apart["child_peak"] > 0  # the pairing ran in a child process
    assert apart["pss_after"] <= 150
    assert apart["rss_after"] - apart["rss_before"] <= 5  # 12 MB when paired in it
    # ... and found what pairing inside the session finds
    assert _session(demo_register, limit=10**9)["pairs"] == apart["pairs"]
