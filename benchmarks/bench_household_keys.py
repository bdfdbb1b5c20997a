"""Keys and stops to enter one household book page (issue 10 item 13).

Drives the real entry form (``TreemApp`` under Textual's Pilot, 80x24, a fresh sandbox
register) the way an officer reads a page: at each field the Enter flow stops on, type
what the page holds for that field (nothing if it is empty or already shown) and press
Enter; F2 when every child is in. Counts every key (one per character typed, one per
Enter, one F2) and the stops (Enters), then checks that the household was saved with the
page's values, so a flow that skips a field the page needs fails instead of scoring well.

The page is the issue's household: 2 adults (no ID number), 2 children, schooling and
parents typed, nationality Việt Nam, no separate caregiver.

    .venv/bin/python benchmarks/bench_household_keys.py [--runs 3]

The count does not depend on the machine; ``--runs`` only repeats the check.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
from pathlib import Path

HOUSEHOLD = {"book_number": "0917", "village": "na", "poverty": "1", "address": "Tiểu khu 3",
             "adult1_name": "Lò Văn Pâng", "adult2_name": "Lò Thị Xuân"}
CHILDREN = [
    {"full_name": "Lò Văn Mạnh", "sex": "1", "birth_date": "15032016", "ethnicity": "tha",
     "schooling": "04", "father": "1", "mother": "2"},
    {"full_name": "Lò Thị Hoa", "sex": "2", "birth_date": "01022019", "schooling": "03"},
]
EXPECTED = [("Lò Văn Mạnh", "1", "2016-03-15", "03", "VN", "04", "Lò Văn Pâng", "Lò Thị Xuân"),
            ("Lò Thị Hoa", "2", "2019-02-01", "03", "VN", "03", "Lò Văn Pâng", "Lò Thị Xuân")]
MAX_STOPS = 200  # a flow that never reaches the end is a failure, not a hang


def make_register(path: Path) -> None:
    """A sandbox register of Xã Mường La with the village "Bản Nà Sản"."""
    from tui.services import Services, accounts
    from tui.store import settings
    from tui.store.database import open_db

    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    Services(db, accounts.sandbox_session(db)).commune.add_village("Bản Nà Sản")
    db.close()


async def enter_page(path: Path) -> tuple[int, int]:
    """Key the page into the form; (keys, stops)."""
    from tui.app import TreemApp
    from tui.screens.entry import EntryScreen
    from tui.widgets import VietInput

    app = TreemApp(path)
    keys = stops = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        while stops < MAX_STOPS:
            focused = app.focused
            assert isinstance(focused, VietInput), focused
            child = screen.form.current
            if child >= len(CHILDREN) and focused.field == "full_name":
                break
            page = HOUSEHOLD if focused.field in HOUSEHOLD or child >= len(CHILDREN) \
                else CHILDREN[child]
            value = page.get(focused.field, "")
            if value and focused.value != value:
                await pilot.press(*value)
                keys += len(value)
            await pilot.press("enter")
            keys += 1
            stops += 1
        await pilot.press("f2")
        keys += 1
        await pilot.pause()
    return keys, stops


def saved(path: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT full_name, sex, birth_date, ethnicity, nationality, schooling, "
            "father_name, mother_name FROM child ORDER BY id").fetchall()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "register.db"
            make_register(path)
            keys, stops = asyncio.run(enter_page(path))
            rows = saved(path)
            if rows != EXPECTED:
                print(f"household not saved as the page says: {rows}")
                return 1
            results.append((keys, stops))
    data = sum(len(v) for v in HOUSEHOLD.values()) + sum(
        len(v) for c in CHILDREN for v in c.values())
    keys, stops = results[0]
    same = all(r == results[0] for r in results)
    print("household of 2 adults and 2 children, typed as the Enter flow stops")
    print(f"  keys {keys} = {data} data characters + {stops} Enter + 1 F2"
          f"   (same in all {args.runs} runs: {same})")
    print(f"  stops {stops}, of which empty (Enter only): "
          f"{stops - sum(1 for p in (HOUSEHOLD, *CHILDREN) for v in p.values() if v)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
