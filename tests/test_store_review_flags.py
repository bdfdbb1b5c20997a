"""The review lists read from their partial indexes agree with validating every record
again, after each kind of write: save, edit, bulk import, merge, police return, and the
day a child turns 16 (randomised synthetic registers; SQLite and, in the backend half,
PostgreSQL)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import openpyxl
import pytest
from fixtures.exports_books import HEADERS, write_book
from kit import new_register, on_postgres, person
from openpyxl.cell.cell import MergedCell

from libchild.dates import CHILD_AGE_LIMIT, age, format_date
from tui.domain import ReviewKind
from tui.errors import ValidationFailed
from tui.review_rules import kinds_of
from tui.store import review
from tui.store.bulk import insert_villages
from tui.store.records import CHILD_FIELDS, prepare_child
from tui.store.review_sql import INDEXED_KINDS

pytestmark = pytest.mark.backend

TODAY = date.today()
FAMILY = ("Lò", "Quàng", "Cầm", "Lường", "Vì")
MIDDLE = ("Văn", "Thị")
GIVEN = ("Páo", "Ín", "Tòng", "Xuân", "Mai", "Hùng")
VILLAGES = ("Bản Nà Lốc", "Bản Pá Ban")


def _birth(rng: random.Random) -> date:
    if rng.random() < 0.15:  # turns 16 tomorrow
        born = TODAY + timedelta(days=1)
        return born.replace(year=born.year - CHILD_AGE_LIMIT)
    return TODAY - timedelta(days=rng.randrange(30, 17 * 365))


def _child(rng: random.Random) -> dict[str, object]:
    """A synthetic record, often with something wrong in it."""
    born = _birth(rng)
    sex = rng.choice(("1", "2"))
    data: dict[str, object] = {
        "full_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "sex": sex, "birth_date": format_date(born), "ethnicity": "03",
        "father_name": f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
        "mother_name": f"{rng.choice(FAMILY)} Thị {rng.choice(GIVEN)}",
        "village": rng.choice(VILLAGES),
    }
    century = "0" if born.year < 2000 else "2"
    gender = century if sex == "1" else str(int(century) + 1)
    good_id = f"014{gender}{born.year % 100:02d}{rng.randrange(10**6):06d}"
    roll = rng.random()
    if roll < 0.4:
        data["personal_id"] = good_id
    elif roll < 0.55:
        data["personal_id"] = good_id[:-1]  # one digit short
    elif roll < 0.65:
        data["personal_id"] = good_id.replace("014", "999", 1)  # no such province
    if rng.random() < 0.15:
        data["sex"] = ""
    if rng.random() < 0.1:
        data["full_name"] = rng.choice(GIVEN)  # one word
    if rng.random() < 0.2:
        data["circumstances"] = [{"code": rng.choice(("DB01", "DB04", "DB07")),
                                  "start": "01/01/2024"}]
        if rng.random() < 0.5:
            data["supports"] = [{"form": "01", "date": "01/02/2024"}]
    return data


def _save(officer, data: dict[str, object]) -> int | None:
    """Save through the service, a change based on the version stored; a record with an
    error is refused (nothing stored)."""
    version = (officer.children.get(data["id"], audit_view=False).version
               if data.get("id") else None)
    try:
        return officer.children.save(data, expected_version=version).child_id
    except ValidationFailed:
        return None


def _revalidated(db, on: date) -> dict[ReviewKind, list[int]]:
    """Every list found by validating each living record again in Python."""
    columns = ", ".join(("id", "village_id", *CHILD_FIELDS))
    rows = db.execute_sql(f"SELECT {columns} FROM child WHERE merged_into IS NULL "
                          "ORDER BY id").fetchall()
    circumstances: dict[int, list[dict[str, object]]] = {}
    for child_id, code, end in db.execute_sql(
            "SELECT child_id, code, end_date FROM child_circumstance"):
        circumstances.setdefault(child_id, []).append({"code": code, "end": end})
    supported = {r[0] for r in db.execute_sql("SELECT child_id FROM support")}
    holders: dict[str, int] = {}
    for row in rows:
        if row[2]:
            holders[row[2]] = holders.get(row[2], 0) + 1
    lists: dict[ReviewKind, list[int]] = {kind: [] for kind in ReviewKind}
    for row in rows:
        child_id, record = row[0], dict(zip(CHILD_FIELDS, row[2:], strict=True))
        data = {**record, "circumstances": circumstances.get(child_id, [])}
        codes = {i.code for i in prepare_child(data, on=on).issues}
        if record["personal_id"] and holders[record["personal_id"]] > 1:
            codes.add("personal_id.taken")
        kinds = kinds_of(codes)
        if record["personal_id"] is None:
            kinds.add(ReviewKind.NO_ID)
        alive = record["death_date"] is None
        if alive and record["birth_date"] and \
                age(date.fromisoformat(record["birth_date"]), on)[0] >= CHILD_AGE_LIMIT:
            kinds.add(ReviewKind.AGED_OUT)
        open_special = any(c["code"].startswith("DB") and (not c["end"] or c["end"] > str(on))
                           for c in circumstances.get(child_id, []))
        if alive and open_special and child_id not in supported:
            kinds.add(ReviewKind.UNSUPPORTED)
        for kind in kinds:
            lists[kind].append(child_id)
    return lists


def _assert_lists_agree(db, on: date) -> None:
    truth = _revalidated(db, on)
    village = db.execute_sql("SELECT min(id) FROM village").fetchone()[0]
    in_village = {r[0] for r in db.execute_sql(
        "SELECT id FROM child WHERE village_id = ?", (village,))}
    for kind in ReviewKind:
        expected = truth[kind]
        assert review.count(db, kind, on=on, villages=None) == len(expected), kind
        got = [r.child_id for r in review.page(db, kind, on=on, villages=None, offset=0,
                                               limit=10_000)]
        assert got == expected, kind
        local = [i for i in expected if i in in_village]
        assert review.count(db, kind, on=on, villages=frozenset({village})) == len(local)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lists_agree_with_revalidation_after_every_kind_of_write(tmp_path, seed):
    rng = random.Random(seed)
    db = new_register(tmp_path / "reg.db")
    insert_villages(db, list(VILLAGES))
    officer = person(db, "lan.officer", "officer")

    ids = [i for i in (_save(officer, _child(rng)) for _ in range(40)) if i is not None]
    _assert_lists_agree(db, TODAY)

    for child_id in rng.sample(ids, 10):  # edits: fix or break the ID number, the sex
        change = _child(rng)
        _save(officer, {k: change[k] for k in ("personal_id", "sex", "full_name")
                        if k in change} | {"id": child_id})
    _assert_lists_agree(db, TODAY)

    rows = [(n + 1, r["full_name"], r["birth_date"], "Nam" if r.get("sex") == "1" else
             ("Nữ" if r.get("sex") == "2" else None), "Thái", r.get("personal_id"),
             r["village"], r["father_name"], r["mother_name"])
            for n, r in enumerate(_child(rng) for _ in range(15))]
    plan, options = officer.transfer.plan_children_import(
        write_book(tmp_path / "ds.xlsx", rows, HEADERS))
    officer.transfer.commit_children_import(plan, options, tmp_path / "loi.xlsx")
    _assert_lists_agree(db, TODAY)

    living = [r[0] for r in db.execute_sql(
        "SELECT id FROM child WHERE merged_into IS NULL ORDER BY id")]
    for keep, drop in zip(living[0:6:2], living[1:6:2], strict=True):
        officer.duplicates.merge(keep, drop)
    _assert_lists_agree(db, TODAY)

    if not on_postgres():  # police lists are SQLite and PostgreSQL alike; once is enough
        _police_return(officer, db, tmp_path, rng)
        _assert_lists_agree(db, TODAY)

    # Nothing is written on the day a child turns 16: the lists follow the date asked.
    _assert_lists_agree(db, TODAY + timedelta(days=1))
    db.close()


def _police_return(officer, db, tmp_path, rng: random.Random) -> None:
    """Export the police list, write verified numbers for some children, read it back."""
    out = tmp_path / "ca.xlsx"
    officer.transfer.export_police(out)
    book = openpyxl.load_workbook(out)
    sheet = book.active
    cols = {c.value: c.column for c in sheet[5] if c.value}
    number = cols["Số định danh đã xác minh (Công an ghi)"]
    for row in range(6, sheet.max_row + 1):
        cell = sheet.cell(row, number)
        if sheet.cell(row, cols["Họ và tên"]).value and not isinstance(cell, MergedCell) \
                and rng.random() < 0.6:
            cell.value = f"0142{rng.choice('23')}{rng.randrange(10**7):07d}"
    book.save(out)
    officer.transfer.import_police(out)


def test_each_list_is_answered_from_its_partial_index(tmp_path):
    if on_postgres():
        pytest.skip("SQLite's plan; PostgreSQL picks indexes by size (checked at 20,000 children, "
                    "docs/benchmarks.md)")
    db = new_register(tmp_path / "reg.db")
    for kind in INDEXED_KINDS:
        for villages in (None, frozenset({1})):
            where, params = review._where(db, kind, TODAY, villages)
            plan = " ".join(str(r) for r in db.execute_sql(
                f"EXPLAIN QUERY PLAN SELECT count(*) FROM child AS c WHERE {where}", params))
            # "no ID number" may also be read from the older index of ID numbers
            assert f"child_review_{kind.value}" in plan or (
                kind is ReviewKind.NO_ID and "child_personal_id" in plan), (kind, plan)
    db.close()
