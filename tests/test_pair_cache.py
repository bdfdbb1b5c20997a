"""Duplicate pairs shared by the sessions of one register file (a room logging in pairs
the children once, not once per officer), and never used once the children changed."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register
from test_ui_duplicates import seed

from tui.services import Services
from tui.services import duplicates as duplicates_service
from tui.services.duplicates import clear_cache
from tui.services.pair_cache import cache_path


@pytest.fixture
def register(tmp_path: Path) -> Services:
    """A register shared by the officers' group, as ``treem server setup`` leaves it."""
    clear_cache()
    services = make_register(tmp_path)
    os.chmod(services.db.database, 0o660)
    return services


@pytest.fixture
def pairings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the pairings actually computed."""
    calls: list[int] = []
    real = duplicates_service.pairs

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(duplicates_service, "pairs", counted)
    return calls


def another_session() -> None:
    """What a second process would have: no pairs in memory."""
    with duplicates_service._cache_lock:
        duplicates_service._cache.clear()


def test_a_second_session_reads_the_pairs_the_first_computed(register: Services,
                                                             pairings: list[int]) -> None:
    seed(register)
    first = register.duplicates.candidates()
    assert len(first) == 2 and len(pairings) == 1
    path = cache_path(str(register.db.database), None)
    assert path is not None and path.exists()
    db_mode = stat.S_IMODE(os.stat(register.db.database).st_mode)
    assert stat.S_IMODE(path.stat().st_mode) == db_mode == 0o660
    another_session()
    assert register.duplicates.candidates() == first
    assert len(pairings) == 1  # read, not computed again
    assert register.duplicates.count_candidates(max_children=100) == 2


def test_pairs_are_computed_again_after_a_change_to_the_children(register: Services,
                                                                 pairings: list[int]) -> None:
    seed(register)
    assert len(register.duplicates.candidates()) == 2
    add_child(register, personal_id=None, full_name="Lò Văn Páo", father_name="Lò Văn Tòng",
              mother_name=None)
    another_session()
    after = register.duplicates.candidates()
    assert len(pairings) == 2
    assert len(after) > 2  # the new child pairs with the Lò Văn Pao records


def test_a_damaged_file_is_ignored_and_rewritten(register: Services,
                                                 pairings: list[int]) -> None:
    seed(register)
    first = register.duplicates.candidates()
    path = cache_path(str(register.db.database), None)
    assert path is not None
    header = path.read_text().splitlines()[0]
    path.write_text(header + "\n1\tnot a pair\n")  # a writer that died mid-line
    another_session()
    assert register.duplicates.candidates() == first
    assert len(pairings) == 2
    another_session()
    assert register.duplicates.candidates() == first
    assert len(pairings) == 2  # the rewritten file is good again


def test_a_collaborator_scope_has_its_own_file(tmp_path: Path) -> None:
    db = str(tmp_path / "treem.db")
    assert cache_path(db, None) == Path(db + ".pairs")
    assert cache_path(db, [3, 1]) == Path(db + ".pairs-v1_3")
    assert cache_path("postgresql://treem@localhost/xa", None) is None
    assert cache_path(":memory:", None) is None


def test_a_private_register_leaves_no_file(tmp_path: Path, pairings: list[int]) -> None:
    clear_cache()
    register = make_register(tmp_path)  # 0600: one person's own register
    seed(register)
    assert len(register.duplicates.candidates()) == 2
    path = cache_path(str(register.db.database), None)
    assert path is not None and not path.exists()
