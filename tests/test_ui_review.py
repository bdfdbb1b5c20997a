"""Review lists in the app: a broken record appears, is fixed in the entry form, leaves.

Driven with Textual's Pilot at 80x24 on a small synthetic register (see
``test_store_review.make_register``).
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register
from textual.app import App

from tui.formatting import age_text, show_date
from tui.screens.review import ReviewListScreen
from tui.services import Services
from tui.services.duplicates import clear_cache
from tui.widgets.paged_table import PagedTable

ON = date(2026, 11, 23)


def host(register: Services) -> App[Any]:
    """The real application, logged in as the register's user."""
    from tui.app import TreemApp

    return TreemApp(services=register)


async def open_list(pilot: Any, register: Services, kind: str) -> ReviewListScreen:
    screen = ReviewListScreen(register, kind, on=ON)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def keys_of(screen: ReviewListScreen) -> list[int]:
    return [row.key for row in screen.query_one(PagedTable).visible_rows]


async def fix_in_entry_form(pilot: Any, field: str, value: str) -> None:
    """In the entry form opened by Enter: retype ``field`` and save with F2."""
    from tui.screens.entry import EntryScreen

    form = pilot.app.screen
    assert isinstance(form, EntryScreen)
    widget = form.query_one(f"#f-{field}")
    widget.focus()
    widget.value = ""
    await pilot.press(*value)
    await pilot.press("f2")
    await pilot.pause()


@pytest.fixture
def register(tmp_path: Path) -> Services:
    clear_cache()
    return make_register(tmp_path)


def test_helpers_show_dates_and_ages() -> None:
    assert show_date("2016-03-15") == "15/03/2016"
    assert show_date(None) == "—"
    assert show_date("31/02/2016") == "31/02/2016"
    assert age_text("2010-09-01", ON) == "16 tuổi 2 tháng"
    assert age_text("ngày lạ", ON) == ""


def test_no_id_record_is_fixed_and_leaves_the_list(register: Services) -> None:
    fine = add_child(register)
    broken = add_child(register, personal_id=None, full_name="Lò Thị Ánh", sex="2")

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(pilot, register, "no_id")
            assert keys_of(screen) == [broken]
            assert fine not in keys_of(screen)
            await pilot.press("enter")
            await pilot.pause()
            await fix_in_entry_form(pilot, "personal_id", "014315004321")
            assert app.screen is screen
            assert keys_of(screen) == []
            assert screen.query_one(PagedTable).row_count == 0

    asyncio.run(body())


def test_bad_id_basic_and_category_lists(register: Services) -> None:
    wrong_id = add_child(register, personal_id="014315009999")  # digit 4 says female
    one_word = add_child(register, full_name="Páo", personal_id="014215007777")
    db14 = add_child(register, circumstances=["DB14"], personal_id="014215006666",
                     full_name="Lò Văn Ún")

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(pilot, register, "bad_id")
            assert keys_of(screen) == [wrong_id]
            row = screen.query_one(PagedTable).visible_rows[0]
            assert row.cells[-1] == "Số thứ 4 lệch giới tính"
            await pilot.press("3")  # switch to "basic information"
            await pilot.pause()
            assert screen.kind == "basic_info"
            assert keys_of(screen) == [one_word]
            await pilot.press("4")
            await pilot.pause()
            assert keys_of(screen) == [db14]
            await pilot.press("5")
            await pilot.pause()
            assert keys_of(screen) == [db14]
            assert screen.query_one(PagedTable).visible_rows[0].cells[-1] == "DB14"
            # Fix the wrong ID number from the list: it leaves the list.
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await fix_in_entry_form(pilot, "personal_id", "014215009999")
            assert keys_of(screen) == []

    asyncio.run(body())


def test_basic_info_record_is_fixed_and_leaves(register: Services) -> None:
    one_word = add_child(register, full_name="Páo", personal_id="014215007777")

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(pilot, register, "basic_info")
            assert keys_of(screen) == [one_word]
            await pilot.press("enter")
            await pilot.pause()
            await fix_in_entry_form(pilot, "full_name", "Lò Văn Páo")
            assert app.screen is screen
            assert keys_of(screen) == []

    asyncio.run(body())


def test_category_and_unsupported_fixed_in_step5_editor(register: Services) -> None:
    db14 = add_child(register, circumstances=["DB14"], personal_id="014215006666")

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(pilot, register, "category_rules")
            assert keys_of(screen) == [db14]
            # DB14 needs a poor household: record NC02 in the step-5 editor.
            await pilot.press("f6")
            await pilot.pause()
            await pilot.press("f2", *"NC02", "enter", *"01012025", "enter", "enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            assert keys_of(screen) == []
            await pilot.press("5")  # special circumstances without support
            await pilot.pause()
            assert keys_of(screen) == [db14]
            await pilot.press("f6")
            await pilot.pause()
            await pilot.press("f4", *"TG01", "enter", *"10012025", "enter", "enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert keys_of(screen) == []

    asyncio.run(body())


def test_aged_out_list_shows_age_and_a_corrected_birth_date_leaves(
        register: Services) -> None:
    old = add_child(register, birth_date="2010-09-01", personal_id="014210005555",
                    schooling="05")

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(pilot, register, "aged_out")
            table = screen.query_one(PagedTable)
            assert keys_of(screen) == [old]
            assert table.visible_rows[0].cells[-1] == "16 tuổi 2 tháng"
            # The book said 2011, the entry was a typo: fix the birth date.
            await pilot.press("enter")
            await pilot.pause()
            await fix_in_entry_form(pilot, "birth_date", "01092011")
            assert keys_of(screen) == []
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is not screen

    asyncio.run(body())


def test_large_list_mounts_one_screenful(register: Services) -> None:
    for n in range(45):
        add_child(register, personal_id=None, full_name=f"Lò Văn {chr(0x41 + n % 26)}a",
                  birth_date=f"2015-01-{1 + n % 28:02d}")

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(pilot, register, "no_id")
            table = screen.query_one(PagedTable)
            assert table.row_count == 45
            assert 0 < len(table.visible_rows) == table.page_size < 24
            await pilot.press("end")
            assert table.cursor == 44
            assert len(table.visible_rows) == table.page_size

    asyncio.run(body())


def test_unknown_kind_falls_back_to_first_list(register: Services) -> None:
    assert ReviewListScreen(register, "no_such_list").kind == "no_id"


def test_duplicates_kind_opens_the_duplicate_review(register: Services) -> None:
    from tui.screens.duplicates import DuplicateReviewScreen

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            home = app.screen
            await app.push_screen(ReviewListScreen(register, "duplicates", on=ON))
            await pilot.pause(0.2)
            assert isinstance(app.screen, DuplicateReviewScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is home

    asyncio.run(body())


def test_home_keys_open_the_review_screens(register: Services) -> None:
    from tui.screens.admin import AdminScreen
    from tui.screens.duplicates import DuplicateReviewScreen
    from tui.screens.search import SearchScreen

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            home = app.screen
            for key, kind in (("r", ReviewListScreen), ("t", SearchScreen),
                              ("d", DuplicateReviewScreen), ("a", AdminScreen)):
                await pilot.press(key)
                await pilot.pause(0.2)
                assert isinstance(app.screen, kind), key
                await pilot.press("escape")
                await pilot.pause()
                assert app.screen is home

    asyncio.run(body())
