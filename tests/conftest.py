"""The test backend: SQLite files by default; ``TREEM_TEST_DB=postgresql`` runs the same
tests on a throw-away PostgreSQL cluster (``tests/pg_cluster.py``), one fresh database per
register a test makes through ``kit.new_register``. When the cluster cannot start, every
test of that run is skipped with the reason printed in the summary, never silently.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import kit
import pytest
from pg_cluster import start_cluster

BACKEND = os.environ.get("TREEM_TEST_DB", "sqlite").lower()


def pytest_configure(config: pytest.Config) -> None:
    # audit keys of the throw-away PostgreSQL databases (tui.store.audit_key), never in
    # $HOME, whichever backend the run is for (some tests start their own cluster)
    keys = Path(tempfile.mkdtemp(prefix="treem-test-keys-"))
    os.environ.setdefault("TREEM_AUDIT_KEY_DIR", str(keys))
    config._treem_key_dir = keys  # type: ignore[attr-defined]
    # the tester's own keymap file (tui.keymap) must not change the keys the tests press
    os.environ.setdefault("TREEM_KEYMAP", str(keys / "no-keymap.toml"))
    if BACKEND != "postgresql":
        return
    found = start_cluster()
    if isinstance(found, str):
        config._treem_pg_skip = found  # type: ignore[attr-defined]
        return
    kit.use_postgres(found.fresh_url)
    config._treem_pg_cluster = found  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    cluster = getattr(config, "_treem_pg_cluster", None)
    if cluster is not None:
        cluster.stop()
    keys = getattr(config, "_treem_key_dir", None)
    if keys is not None:
        shutil.rmtree(keys, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    reason = getattr(config, "_treem_pg_skip", None)
    if reason:
        return f"backend: postgresql unavailable, tests skipped: {reason}"
    return f"backend: {BACKEND}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = getattr(config, "_treem_pg_skip", None)
    if reason:
        for item in items:
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL half skipped: {reason}"))


@pytest.fixture(scope="module")
def cluster():
    """A throw-away PostgreSQL cluster of its own for a test module (skipped, with the
    reason, when it cannot start)."""
    found = start_cluster()
    if isinstance(found, str):
        pytest.skip(found)
    yield found
    found.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A sandbox register of Xã Mường La (no login) with the village Bản Nà Sản: what the
    screen tests open unless their module defines a register of its own."""
    from tui.services import Services, accounts
    from tui.store import settings
    from tui.store.database import open_db

    path = tmp_path / "register.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    Services(db, accounts.sandbox_session(db)).commune.add_village("Bản Nà Sản")
    db.close()
    return path
