"""Duplicate candidates kept in the register (issue 10 item 14, issue 15: "candidates
maintained incrementally ... so the review screen opens instantly at any size").

A new session starts from the kept pairs and compares only the children saved since;
the result is the one a full comparison gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register
from test_ui_duplicates import seed

from tui.services import Services, accounts, duplicate_pairs
from tui.services import duplicates as service
from tui.services.duplicates import clear_cache
from tui.store import duplicate_cache
from tui.store import duplicates as dup_store

YESTERDAY = "2026-01-01T08:00:00.000+00:00"
LATER = "2026-01-01T09:00:00.000+00:00"  # an hour later: beyond the late-commit margin


@pytest.fixture
def register(tmp_path: Path) -> Services:
    clear_cache()
    yield make_register(tmp_path)
    clear_cache()


def _no_full_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any) -> Any:
        pytest.fail("the whole commune was compared again")
    monkeypatch.setattr(service, "pairs", refuse)
    monkeypatch.setattr(service, "pairs_in_child_process", refuse)


def _full(register: Services) -> list[tuple[int, int, float, tuple[str, ...]]]:
    """What a full comparison gives now, decisions applied as the service does."""
    decided = dup_store.decided_pairs(register.db)
    return [(p.left_id, p.right_id, p.score, p.reasons)
            for p in duplicate_pairs.pairs(register.db, None)
            if (p.left_id, p.right_id) not in decided]


def _shown(register: Services) -> list[tuple[int, int, float, tuple[str, ...]]]:
    return [(c.left_id, c.right_id, c.score, c.reasons)
            for c in register.duplicates.candidates()]


def test_a_new_session_reads_the_kept_pairs_without_comparing(
        register: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(register)
    first = _shown(register)
    assert len(first) == 2
    kept = duplicate_cache.read(register.db, register.duplicates._scope())
    assert kept is not None and list(kept.stamp) == list(dup_store.stamp(register.db))
    clear_cache()  # a new session: nothing in memory
    _no_full_comparison(monkeypatch)
    assert _shown(register) == first


def test_children_saved_since_are_compared_alone_and_give_the_full_result(
        register: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    _a, _b, c, d = seed(register)
    add_child(register, personal_id=None, full_name="Giàng A Sử", birth_date="2015-09-05",
              father_name="Giàng A Tủa", mother_name=None)
    # saved yesterday: outside the margin for late commits, so only what is saved below
    # counts as changed and their neighbours must be found
    register.db.execute_sql("UPDATE child SET updated_at = ?", (YESTERDAY,))
    register.db.execute_sql("UPDATE child SET updated_at = ? WHERE id = ?", (LATER, c))
    _shown(register)
    kept = duplicate_cache.read(register.db, register.duplicates._scope())
    assert kept is not None and kept.stamp[2] == LATER
    clear_cache()
    # a day's work after the pairs were kept: a new duplicate of c, a record changed
    # into a near copy of a, a merge, and an unrelated child
    add_child(register, personal_id=None, full_name="Quàng Thị Xuân", sex="2",
              birth_date="2012-05-21", father_name="Quàng Văn Ơn", mother_name="Lò Thị Ương")
    other = add_child(register, personal_id="014214009876", full_name="Cầm Văn Khởi",
                      birth_date="2013-11-02", father_name="Cầm Văn Ón",
                      mother_name="Lường Thị Ỏm")
    row = register.children.get(other)
    register.children.save({**{k: row.value(k) for k in ("full_name", "sex", "birth_date",
                                                        "ethnicity", "nationality",
                                                        "schooling", "father_name",
                                                        "mother_name")},
                            "id": other, "personal_id": None, "full_name": "Lò Văn Pao",
                            "birth_date": "2015-03-15", "father_name": "Lò Văn Tòng",
                            "mother_name": "Quàng Thị Ín"}, row.version)
    # only the spelled-name block pairs these (no ID, no mother, another household,
    # born 10 days apart)
    spelled_alike = add_child(register, personal_id=None, full_name="Dàng A Sử",
                              birth_date="2015-09-15", father_name="Giàng A Tủa",
                              mother_name=None)
    register.duplicates.merge(c, d)
    add_child(register, personal_id="014216005555", full_name="Hà Thị Mai", sex="2",
              birth_date="2016-08-08", father_name="Hà Văn Đôi", mother_name="Tòng Thị Sương")
    clear_cache()
    expected = _full(register)
    _no_full_comparison(monkeypatch)
    shown = _shown(register)
    assert shown == expected
    assert any(other in (left, right) for left, right, *_ in shown)  # the changed record
    assert any(spelled_alike in (left, right) for left, right, *_ in shown)
    assert all(d not in (left, right) for left, right, *_ in shown)  # merged away


def test_many_children_saved_since_are_compared_in_full(
        register: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(register)
    _shown(register)
    clear_cache()
    add_child(register, personal_id=None, full_name="Hà Thị Mai", sex="2")
    monkeypatch.setattr(service, "INCREMENTAL_LIMIT", 0)
    calls = []
    real = service.pairs

    def spy(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(service, "pairs", spy)
    assert _shown(register) == _full(register)
    assert len(calls) == 1


def test_demo_keeps_its_pairs_and_home_counts_them_at_any_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.cli import main
    from tui.store.database import open_db

    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--no-ui", "--children", "300"]) == 0
    db = open_db(path)
    try:
        register = Services(db, accounts.sandbox_session(db))
        clear_cache()
        kept = duplicate_cache.read(db, register.duplicates._scope())
        assert kept is not None and kept.pairs
        assert list(kept.stamp) == list(dup_store.stamp(db))
        _no_full_comparison(monkeypatch)
        # home's count, on a register above its limit for a full comparison
        assert register.duplicates.count_candidates(max_children=10) == len(kept.pairs)
        duplicate_cache.clear(db)
        clear_cache()
        assert register.duplicates.count_candidates(max_children=10) is None
    finally:
        db.close()
        clear_cache()
