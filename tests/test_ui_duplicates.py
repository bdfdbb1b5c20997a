"""Duplicate review: pairs side by side, "same child" merges, "different" is remembered."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register
from test_ui_review import host
from textual.widgets import Static

from tui.domain import Decision
from tui.screens.duplicates import DuplicateReviewScreen, MergeConfirmScreen
from tui.services import Services
from tui.services.duplicates import clear_cache
from tui.store.duplicates import decided_pairs
from tui.widgets.paged_table import PagedTable


@pytest.fixture
def register(tmp_path: Path) -> Services:
    clear_cache()
    return make_register(tmp_path)


def seed(register: Services) -> tuple[int, int, int, int]:
    """Two candidate pairs: (a, b) same name without diacritics, (c, d) one typo."""
    a = add_child(register, personal_id=None)
    b = add_child(register, personal_id=None, full_name="Lo Van Pao", mother_name=None,
                  father_name="Lò Văn Tòng")
    c = add_child(register, personal_id="014312001111", full_name="Quàng Thị Xuân",
                  sex="2", birth_date="2012-05-20", father_name="Quàng Văn Ơn",
                  mother_name="Lò Thị Ương")
    d = add_child(register, personal_id=None, full_name="Quàng Thị Xuâm", sex="2",
                  birth_date="2012-05-20", father_name="Quàng Văn Ơn",
                  mother_name="Lò Thị Ương")
    return a, b, c, d


async def start(pilot: Any, register: Services) -> DuplicateReviewScreen:
    screen = DuplicateReviewScreen(register)
    await pilot.app.push_screen(screen)
    for _ in range(50):
        await pilot.pause(0.05)
        if screen.ready:
            break
    await pilot.pause()
    return screen


def pairs(screen: DuplicateReviewScreen) -> list[tuple[int, int]]:
    return [(c.left_id, c.right_id) for c in screen.candidates]


def compare_text(screen: DuplicateReviewScreen) -> str:
    from rich.console import Console

    console = Console(width=80, record=True, file=io.StringIO())
    console.print(screen.query_one("#dup-compare", Static).content)
    return console.export_text()


async def merge_confirmed(pilot: Any, drop: int) -> None:
    """F7, then the number of the record merged away, typed, and Enter."""
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MergeConfirmScreen)
    await pilot.press(*str(drop), "enter")
    await pilot.pause()


def test_same_child_merges_and_leaves_the_list(register: Services) -> None:
    a, b, c, d = seed(register)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            assert set(pairs(screen)) == {(a, b), (c, d)}
            table = screen.query_one(PagedTable)
            assert table.row_count == 2
            # Highlight the (a, b) pair and look at it side by side.
            index = pairs(screen).index((a, b))
            for _ in range(index):
                await pilot.press("down")
            await pilot.pause()
            text = compare_text(screen)
            assert "Lò Văn Páo" in text and "Lo Van Pao" in text
            assert f"Số {a}" in text and f"Số {b}" in text
            await pilot.press("f2")  # F2 saves elsewhere: here it does nothing
            await pilot.pause()
            assert set(pairs(screen)) == {(a, b), (c, d)}
            await merge_confirmed(pilot, b)
            assert pairs(screen) == [(c, d)]
            kept = register.children.get(a, audit_view=False)
            gone = register.children.get(b, audit_view=False)
            assert gone.merged_into == a and kept.merged_into is None
            actions = {(e.action, e.field) for e in
                       register.children.history(b).changes}
            assert ("merge", "merged_into") in actions

    asyncio.run(body())


def test_swap_keeps_the_other_record(register: Services) -> None:
    a, b, c, d = seed(register)
    register.duplicates.decide(a, b, Decision.DIFFERENT)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            assert pairs(screen) == [(c, d)]
            await pilot.press("f4")
            assert f"Hồ sơ giữ lại (Số {d})" in compare_text(screen)
            await merge_confirmed(pilot, c)
            assert register.children.get(c, audit_view=False).merged_into == d
            # The kept record took the ID number it lacked from the merged one.
            assert register.children.get(d, audit_view=False).personal_id == "014312001111"
            assert pairs(screen) == []
            assert "Không còn cặp" in str(screen.query_one("#dup-hint").render())

    asyncio.run(body())


def test_different_children_are_never_proposed_again(register: Services) -> None:
    seed(register)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            first = screen.candidates[0]
            await pilot.press("f3")
            await pilot.pause()
            assert (first.left_id, first.right_id) not in pairs(screen)
            assert len(pairs(screen)) == 1
        # A new session (and a new computation) does not bring the pair back.
        clear_cache()
        again = {(p.left_id, p.right_id) for p in register.duplicates.candidates()}
        assert (first.left_id, first.right_id) not in again
        decisions = decided_pairs(register.db)
        assert decisions[(first.left_id, first.right_id)] == "different"

    asyncio.run(body())


def test_merge_needs_the_typed_number_and_can_be_undone(register: Services) -> None:
    a, b, _c, _d = seed(register)
    before = [register.children.get(i, audit_view=False) for i in (a, b)]

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            index = pairs(screen).index((a, b))
            for _ in range(index):
                await pilot.press("down")
            await pilot.press("f7")
            await pilot.pause()
            confirm = pilot.app.screen
            assert isinstance(confirm, MergeConfirmScreen)
            await pilot.press(*str(a), "enter")  # the kept record's number: refused
            await pilot.pause()
            assert pilot.app.screen is confirm
            assert str(b) in str(confirm.query_one("#merge-message").render())
            await pilot.press("escape")
            await pilot.pause()
            assert register.children.get(b, audit_view=False).merged_into is None
            await merge_confirmed(pilot, b)
            assert register.children.get(b, audit_view=False).merged_into == a
            await pilot.press("f6")
            await pilot.pause()
            for _ in range(50):
                await pilot.pause(0.05)
                if screen.ready and (a, b) in pairs(screen):
                    break
            assert (a, b) in pairs(screen)  # proposed again: nothing was decided

    asyncio.run(body())
    assert [register.children.get(i, audit_view=False) for i in (a, b)] == before


def test_role_without_permission_gets_a_message(tmp_path: Path) -> None:
    clear_cache()
    register = make_register(tmp_path, role="collaborator", username="ctv.ban")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = DuplicateReviewScreen(register)
            await pilot.app.push_screen(screen)
            await pilot.pause(0.3)
            hint = str(screen.query_one("#dup-hint").render())
            assert "không được" in hint.lower() or "quyền" in hint.lower()
            assert screen.candidates == []

    asyncio.run(body())


def test_reasons_shown_are_libchild_labels_separated_unambiguously() -> None:
    from tui.messages.review import dup_reasons

    shown = dup_reasons(("same_personal_id", "same_name_close_birth"))
    assert shown == "cùng số định danh; cùng tên, ngày sinh gần nhau"


def test_large_registers_pair_in_a_child_process_with_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the in-process limit the pairs come from a child process (its memory goes
    back to the system when it exits): the same pairs, scores and reasons."""
    from tui.cli import main
    from tui.services import accounts
    from tui.services import duplicates as service
    from tui.store.database import open_db

    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--no-ui", "--children", "300"]) == 0
    db = open_db(path)
    reg = Services(db, accounts.sandbox_session(db))
    from tui.store import duplicate_cache

    duplicate_cache.clear(db)  # the demo keeps its pairs: compare again here
    clear_cache()
    here = reg.duplicates.candidates()
    assert here  # the demo plants duplicates
    clear_cache()
    started = []
    real = service.pairs_in_child_process

    def spy(*args: Any) -> Any:
        started.append(args)
        return real(*args)

    monkeypatch.setattr(service, "IN_PROCESS_LIMIT", 10)
    monkeypatch.setattr(service, "pairs_in_child_process", spy)
    monkeypatch.setattr(service, "pairs", lambda *a: pytest.fail("paired in the session"))
    duplicate_cache.clear(db)
    there = reg.duplicates.candidates()
    assert len(started) == 1
    assert there == here
    clear_cache()
    db.close()


def test_scores_are_written_with_a_decimal_comma(register: Services) -> None:
    """The rest of the app writes ``0,5``: the pair list does too, never ``1.00``."""
    seed(register)

    async def body() -> list[str]:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            table = screen.query_one(PagedTable)
            return [table.render_line(y).text for y in range(1, 1 + table.row_count)]

    lines = asyncio.run(body())
    assert lines
    for line in lines:
        assert re.match(r"\d,\d\d ", line), line


def test_no_pairs_is_not_claimed_while_still_comparing(register: Services) -> None:
    """On a large register the first comparison takes long: until it is done the table
    says nothing, not "Không có cặp nghi trùng." under "Đang so sánh…"."""
    seed(register)

    async def body() -> tuple[str, str]:
        screen = DuplicateReviewScreen(register)
        screen.find = lambda: None  # the comparison has not finished yet
        async with host(register).run_test(size=(80, 24)) as pilot:
            await pilot.app.push_screen(screen)
            await pilot.pause()
            table = screen.query_one(PagedTable)
            hint = str(screen.query_one("#dup-hint", Static).render())
            return hint, table.render_line(1).text

    hint, first_row = asyncio.run(body())
    assert "Đang so sánh" in hint
    assert first_row.strip() == "", first_row  # neither "no pairs" nor "no rows"
