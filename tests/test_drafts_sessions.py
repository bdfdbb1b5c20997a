"""Drafts across sessions of one person (issue 16): a dropped SSH link leaves the old
session alive for minutes while the officer reconnects, resumes the draft and types more;
when the old session finally gets its SIGHUP it must not write its older form over the
newer draft. And the resumed form goes on at the field the officer was in.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.kit import new_register, person
from tui.app import HOLD_KEYS_S, TreemApp
from tui.errors import StaleDraft
from tui.screens.entry import DRAFT_DELAY, EntryScreen
from tui.screens.home import HomeScreen
from tui.services import Services, accounts
from tui.store.database import open_db
from tui.widgets import VietInput

ROOT = Path(__file__).resolve().parent.parent
SIZE = (80, 24)
# Enter on adult 3's empty name goes on to the child (issue 10, item 13).
HOUSEHOLD = ["0417", "na", "1", "Tiểu khu 3", "Lò Văn Pâng", "", "Lò Thị Xuân", "", ""]


def test_a_stale_writer_cannot_overwrite_a_newer_draft(tmp_path: Path) -> None:
    db = new_register(tmp_path / "r.db")
    person(db, "cb.lan", "officer")
    old = Services(db, accounts.login(db, "cb.lan", "tam-thoi-123"))  # the first session
    new = Services(db, accounts.login(db, "cb.lan", "tam-thoi-123"))  # after reconnecting
    assert old.drafts.writer != new.drafts.writer
    v1 = old.drafts.save("entry:new", {"n": 1}, base=0)
    (offered,) = new.drafts.pending()
    assert (offered.payload, offered.version, offered.writer) == ({"n": 1}, v1, old.drafts.writer)
    v2 = new.drafts.save("entry:new", {"n": 2}, base=offered.version)
    with pytest.raises(StaleDraft, match="phiên đăng nhập khác"):
        old.drafts.save("entry:new", {"n": 1, "late": True}, base=v1)
    assert old.drafts.discard("entry:new", base=v1) is None  # nor delete it
    (kept,) = new.drafts.pending()
    assert (kept.payload, kept.version, kept.writer) == ({"n": 2}, v2, new.drafts.writer)
    # The newer session saves the record and starts the next household: a version the
    # old session knew never comes back, so it stays refused.
    v3 = new.drafts.discard("entry:new", base=v2)
    assert v3 == v2 + 1 and new.drafts.pending() == []
    new.drafts.save("entry:new", {"n": 3}, base=v3)
    for base in (0, v1, v2):
        with pytest.raises(StaleDraft):
            old.drafts.save("entry:new", {"late": True}, base=base)
    assert new.drafts.pending()[0].payload == {"n": 3}
    db.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A register with one officer who has chosen a password, and a village."""
    path = tmp_path / "register.db"
    db = new_register(path)
    admin = person(db, "admin", "administrator")
    admin.commune.add_village("Bản Nà Sản")
    person(db, "cb.lan", "officer")
    db.close()
    return path


async def log_in(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press(*"cb.lan", "enter", *"tam-thoi-123", "enter")
    await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after the last Enter wait for the hold
    assert isinstance(pilot.app.screen, HomeScreen)


async def type_fields(pilot: Any, values: list[str]) -> None:
    for value in values:
        await pilot.press(*value, "enter")


def stored(path: Path) -> tuple[dict[str, Any], int, str]:
    db = open_db(path)
    try:
        payload, version, writer = db.execute_sql(
            "SELECT payload, version, writer FROM draft WHERE key = 'entry:new'").fetchone()
    finally:
        db.close()
    return json.loads(payload), version, writer


#: The second session, in another process: logs in, takes the offered draft over and
#: writes it with one more field, as the resumed form would.
SECOND_SESSION = """
import json, sys
from tui.services import Services, accounts
from tui.store.database import open_db
db = open_db(sys.argv[1])
services = Services(db, accounts.login(db, "cb.lan", "tam-thoi-123"))
(draft,) = services.drafts.pending()
payload = dict(draft.payload)
payload["children"][0]["full_name"] = "Lò Văn Mạnh Hùng"
print(services.drafts.save(draft.key, payload, base=draft.version))
"""


def test_the_old_session_hung_up_late_keeps_the_newer_draft(db_path: Path) -> None:
    """The sequence of issue 16, item 7, with the second session a separate process."""

    async def go() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot)
            await pilot.press("f2")
            await pilot.pause()
            await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh"])
            await pilot.pause(DRAFT_DELAY + 2.0)
            payload, version, writer = stored(db_path)
            assert payload["children"][0]["full_name"] == "Lò Văn Mạnh"
            # The link is silent; the officer reconnects in another session and goes on.
            second = subprocess.run([sys.executable, "-c", SECOND_SESSION, str(db_path)],
                                    cwd=ROOT, capture_output=True, text=True, check=False)
            assert second.returncode == 0, second.stderr
            assert int(second.stdout) == version + 1
            # The old session keeps typing, then finally gets its SIGHUP.
            await pilot.press(*" cũ")
            await pilot.pause(DRAFT_DELAY + 2.0)
            assert app.screen._draft_stale  # type: ignore[attr-defined]  # it stopped writing
            assert stored(db_path)[0]["children"][0]["full_name"] == "Lò Văn Mạnh Hùng"
            app.hang_up()
        payload, after, last_writer = stored(db_path)
        assert payload["children"][0]["full_name"] == "Lò Văn Mạnh Hùng"
        assert after == version + 1 and last_writer != writer

    asyncio.run(go())


def test_f3_resumes_at_the_field_the_officer_left(db_path: Path) -> None:
    async def go() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot)
            await pilot.press("f2")
            await pilot.pause()
            await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1"])
            await pilot.press(*"1503")  # half of the birth date, then the link drops
            focused = app.focused
            assert isinstance(focused, VietInput) and focused.field == "birth_date"
            app.hang_up()
        resumed = TreemApp(db_path)
        async with resumed.run_test(size=SIZE) as pilot:
            await log_in(pilot)
            await pilot.press("f3")
            await pilot.pause()
            assert isinstance(resumed.screen, EntryScreen)
            focused = resumed.focused
            assert isinstance(focused, VietInput) and focused.field == "birth_date"
            assert focused.value.replace("/", "").startswith("1503")
            # Typing goes on where it stopped: the rest of the date, not a name in a code.
            await pilot.press(*"2016", "enter")
            await pilot.pause()
            assert resumed.screen._inputs["birth_date"].value == "15/03/2016"  # type: ignore[attr-defined]

    asyncio.run(go())
