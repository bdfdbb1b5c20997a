"""Blind double entry of the re-check: complete entry first, then differences resolved
field by field, corrections through the normal save, keyer rates per enterer and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_recheck import _children, _user
from test_store_review import GOOD, make_register

from tui.errors import InvalidInput, PermissionDenied
from tui.services import Services
from tui.services.recheck import BLIND_FIELDS
from tui.training.keyer_stats import Resolution


@pytest.fixture
def enterer(tmp_path: Path) -> Services:
    return make_register(tmp_path)


@pytest.fixture
def checker(enterer: Services) -> Services:
    return _user(enterer, "kiem.tra")


def book(**changes: str | None) -> dict[str, str | None]:
    """The child's values as the checker reads them from the household book."""
    return {**{f: GOOD.get(f) for f in BLIND_FIELDS}, **changes}


def test_entry_must_be_complete_and_not_ones_own(enterer, checker) -> None:
    child = _children(enterer, 1)[0]
    partial = book()
    del partial["mother_name"]
    with pytest.raises(InvalidInput, match="Chưa nhập lại đủ"):
        checker.recheck.compare(child, partial)
    with pytest.raises(PermissionDenied):
        enterer.recheck.compare(child, book())


def test_differences_are_compared_after_cleaning(enterer, checker) -> None:
    child = _children(enterer, 1)[0]
    stored = enterer.children.get(child)
    checks = checker.recheck.compare(child, book(
        full_name=stored.full_name.upper(), sex="Nam", birth_date="15/03/2015",
        personal_id=stored.personal_id, ethnicity="3", father_name="Lò Văn Tóng"))
    differ = {c.field for c in checks if not c.agrees}
    assert differ == {"father_name"}


def test_resolution_corrects_through_the_save_and_feeds_keyer_rates(enterer, checker):
    first, second = _children(enterer, 2)
    stored = enterer.children.get(first)
    entry = book(full_name=stored.full_name, personal_id=stored.personal_id,
                 mother_name="Quàng Thị Xuân", father_name="Lò Văn Tóng")
    with pytest.raises(InvalidInput, match="chọn bên nào đúng"):
        checker.recheck.resolve(first, entry, {"mother_name": Resolution.REENTRY_RIGHT})
    with pytest.raises(InvalidInput, match="nhập giá trị đúng"):
        checker.recheck.resolve(first, entry, {"mother_name": Resolution.REENTRY_RIGHT,
                                               "father_name": Resolution.BOTH_WRONG})
    checker.recheck.resolve(first, entry, {"mother_name": Resolution.REENTRY_RIGHT,
                                           "father_name": Resolution.BOTH_WRONG},
                            {"father_name": "Lò Văn Thành"})
    after = enterer.children.get(first)
    assert after.mother_name == "Quàng Thị Xuân"
    assert after.father_name == "Lò Văn Thành"
    assert after.updated_by_name == "Kiem.Tra"  # the correction is the checker's save

    other = enterer.children.get(second)
    checker.recheck.resolve(second, book(full_name=other.full_name,
                                         personal_id=other.personal_id, sex="2"),
                            {"sex": Resolution.ORIGINAL_RIGHT})
    assert enterer.children.get(second).sex == "1"  # the checker mistyped: unchanged

    stats = checker.recheck.statistics()
    assert stats.records == 2 and stats.unresolved == 0
    (row,) = stats.enterers
    fields = len(BLIND_FIELDS)
    assert (row.rate.errors, row.rate.checked) == (2, 2 * fields)
    assert (row.records, row.records_with_error) == (2, 1)
    by_field = {f.field: (f.rate.errors, f.rate.checked) for f in stats.fields}
    assert by_field["mother_name"] == (1, 2)
    assert by_field["father_name"] == (1, 2)
    assert by_field["sex"] == (0, 2)
    (check_row,) = stats.checkers
    assert check_row.checker == "kiem.tra"
    assert (check_row.rate.errors, check_row.rate.checked) == (2, 2 * fields)
    totals = {s.enterer: (s.checked, s.discrepancies) for s in checker.recheck.summary()}
    assert list(totals.values()) == [(2, 1)]


def test_recheck_summary_command_shows_the_keyer_rates(enterer, checker, tmp_path) -> None:
    import os
    import subprocess
    import sys

    from test_store_review import PASSWORD

    first, second = _children(enterer, 2)
    stored = enterer.children.get(first)
    checker.recheck.resolve(first, book(full_name=stored.full_name,
                                        personal_id=stored.personal_id,
                                        mother_name="Quàng Thị Xuân"),
                            {"mother_name": Resolution.REENTRY_RIGHT})
    other = enterer.children.get(second)
    checker.recheck.resolve(second, book(full_name=other.full_name,
                                         personal_id=other.personal_id), {})
    enterer.db.close()
    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(PYTHONPATH=str(root), HOME=str(tmp_path), TREEM_PASSWORD=PASSWORD)
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "recheck", "summary", "--db",
         str(tmp_path / "treem.db"), "--as", "kiem.tra"], cwd=root, env=env,
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    fields = 2 * len(BLIND_FIELDS)
    assert "Nhập lại không xem bản gốc (2 hồ sơ)" in done.stdout
    assert f"Cán Bộ Thử: 1/{fields} trường sai ({100 / fields:.1f}%)".replace(".", ",") \
        in done.stdout
    assert "trường «Họ tên mẹ»: 1/2 sai (50,0%)" in done.stdout
    assert "trường «Họ và tên»" not in done.stdout  # no error there: not listed
