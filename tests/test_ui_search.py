"""Search as you type: folded name prefix, ID number, book number, village; debounced."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register
from test_ui_review import host

from tui.screens.detail import ChildDetailScreen
from tui.screens.search import (
    DEBOUNCE_S,
    FIRST_PAUSE_S,
    MAX_PAUSE_S,
    SearchScreen,
    typing_pause,
)
from tui.services import Services
from tui.widgets.paged_table import PagedTable


@pytest.fixture
def register(tmp_path: Path) -> Services:
    reg = make_register(tmp_path)
    nà_lo = reg.commune.add_village("Bản Nà Lo")
    add_child(reg, full_name="Nguyễn Văn Đức", personal_id="014215001111", village_id=nà_lo)
    add_child(reg, full_name="Nguyễn Thị Dung", personal_id="014315002222", sex="2")
    add_child(reg, full_name="Lò Văn Páo", personal_id="014215003333")
    add_child(reg, full_name="Đinh Văn Duẩn", personal_id="014215004444")
    return reg


async def start(pilot: Any, register: Services) -> SearchScreen:
    screen = SearchScreen(register)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def type_and_wait(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause(DEBOUNCE_S + 0.25)


def names(screen: SearchScreen) -> list[str]:
    return [row.cells[0] for row in screen.query_one(PagedTable).visible_rows]


def count_text(screen: SearchScreen) -> str:
    return str(screen.query_one("#search-count").render())


def test_name_without_diacritics_and_count(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await type_and_wait(pilot, "nguyen")
            assert names(screen) == ["Nguyễn Thị Dung", "Nguyễn Văn Đức"]
            assert "Tìm thấy 2 trẻ" in count_text(screen)
            await pilot.press("space", "v")
            await pilot.pause(DEBOUNCE_S + 0.25)
            assert names(screen) == ["Nguyễn Văn Đức"]
            # đ folds to d: "din" finds Đinh.
            for _ in range(len("nguyen v")):
                await pilot.press("backspace")
            await type_and_wait(pilot, "din")
            assert names(screen) == ["Đinh Văn Duẩn"]

    asyncio.run(body())


def test_typing_fast_runs_one_search(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await type_and_wait(pilot, "lo van")
            assert screen.searches == 1
            assert names(screen) == ["Lò Văn Páo"]

    asyncio.run(body())


def test_id_number_book_and_village(register: Services) -> None:
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await type_and_wait(pilot, "0143150")
            assert names(screen) == ["Nguyễn Thị Dung"]
            field = screen.query_one("#search-input")
            field.value = ""
            await type_and_wait(pilot, "ban na lo")
            assert names(screen) == ["Nguyễn Văn Đức"]
            field.value = ""
            await type_and_wait(pilot, "xyz")
            assert names(screen) == []
            assert "Tìm thấy 0 trẻ" in count_text(screen)

    asyncio.run(body())


def test_enter_opens_detail_and_escape_steps_back(register: Services) -> None:
    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await type_and_wait(pilot, "nguyen")
            await pilot.press("enter")  # to the results
            table = screen.query_one(PagedTable)
            assert table.has_focus
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ChildDetailScreen)
            assert app.screen.child.full_name == "Nguyễn Văn Đức"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("escape")
            assert screen.query_one("#search-input").has_focus
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is not screen

    asyncio.run(body())



def test_the_first_letter_waits_for_the_second_over_a_slow_link(register: Services) -> None:
    """Keys a round trip apart (0.3 s and more over a slow link): no search for the
    first letter alone, one search for the word."""
    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register)
            await pilot.press("n")
            await pilot.pause(FIRST_PAUSE_S - 0.2)  # longer than DEBOUNCE_S
            assert screen.searches == 0
            for key in "guyen":
                await pilot.press(key)
                await pilot.pause(0.35)
            assert screen.searches == 0
            await pilot.pause(MAX_PAUSE_S)
            assert screen.searches == 1
            assert names(screen) == ["Nguyễn Thị Dung", "Nguyễn Văn Đức"]

    asyncio.run(body())


def test_typing_pause_stays_within_its_bounds() -> None:
    assert typing_pause([]) == FIRST_PAUSE_S > DEBOUNCE_S
    assert typing_pause([0.01, 0.02]) == DEBOUNCE_S
    assert typing_pause([0.25, 0.2, 0.22]) == DEBOUNCE_S  # 4 keys a second: results soon
    # Keys a round trip apart after a faster start (slow link): no search mid-word.
    assert typing_pause([0.25, 0.25, 0.3]) > 0.45
    assert typing_pause([0.3, 1.4]) == MAX_PAUSE_S
