"""The paged table behind every review list: one screenful in memory, paging by keys."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual.app import App, ComposeResult

from tui.widgets.paged_table import Column, PagedTable, Row


class CountingSource:
    """A large synthetic source that records every page asked for."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.requests: list[tuple[int, int]] = []

    def count(self) -> int:
        return self.total

    def page(self, offset: int, limit: int) -> Sequence[Row]:
        self.requests.append((offset, limit))
        end = min(self.total, offset + limit)
        return [Row(i, (f"Trẻ số {i}", f"{i:05d}")) for i in range(offset, end)]


class TableApp(App[None]):
    def __init__(self, source: CountingSource) -> None:
        super().__init__()
        self.source = source
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("Họ và tên", 20), Column("Mã")], self.source, id="t")

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self.selected.append(event.key)


def test_large_source_holds_only_one_screenful() -> None:
    asyncio.run(_test_large_source_holds_only_one_screenful())


async def _test_large_source_holds_only_one_screenful() -> None:
    source = CountingSource(300_000)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        assert table.row_count == 300_000
        assert len(table.visible_rows) == table.page_size == 22
        assert all(limit <= 22 for _, limit in source.requests)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 299_999
        assert table.visible_rows[-1].key == 299_999
        assert len(table.visible_rows) <= 22
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [299_999]


def test_keys_move_cursor_and_page() -> None:
    asyncio.run(_test_keys_move_cursor_and_page())


async def _test_keys_move_cursor_and_page() -> None:
    source = CountingSource(100)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        fetches = table.fetches
        await pilot.press("down", "down")
        assert table.cursor == 2
        assert table.fetches == fetches  # moving inside the page queries nothing
        await pilot.press("pagedown")
        assert table.cursor == 24
        assert table.visible_rows[0].key == 22
        await pilot.press("pageup", "home")
        assert table.cursor == 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [0]


def test_reload_after_row_removed_keeps_position() -> None:
    asyncio.run(_test_reload_after_row_removed_keeps_position())


async def _test_reload_after_row_removed_keeps_position() -> None:
    source = CountingSource(5)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        await pilot.press("end")
        source.total = 3  # two records were fixed elsewhere
        table.reload()
        assert table.cursor == 2
        assert table.current_key == 2
        source.total = 0
        table.reload()
        assert table.current_key is None
        await pilot.press("enter", "down")
        await pilot.pause()
        assert app.selected == []


class SlowCountSource(CountingSource):
    """A source whose count takes a while (a full scan of a big table)."""

    def __init__(self, total: int, delay: float) -> None:
        super().__init__(total)
        self.delay = delay
        self.counted = 0

    def count(self) -> int:
        import time

        time.sleep(self.delay)
        self.counted += 1
        return self.total


class LaterApp(TableApp):
    def compose(self) -> ComposeResult:
        yield PagedTable([Column("Họ và tên", 20), Column("Mã")], self.source,
                         count_later=True, id="t")


def test_first_page_shows_before_the_count() -> None:
    asyncio.run(_first_page_shows_before_the_count())


async def _first_page_shows_before_the_count() -> None:
    source = SlowCountSource(5_000, delay=0.5)
    app = LaterApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        assert len(table.visible_rows) == 22  # shown while the count is still running
        assert not table.count_known and source.counted == 0
        assert table.row_count == 23  # the page plus one row of look-ahead
        await pilot.press("down")
        assert table.cursor == 1
        for _ in range(40):
            await pilot.pause(0.05)
            if table.count_known:
                break
        assert table.count_known and table.row_count == 5_000
        await pilot.press("end")
        assert table.cursor == 4_999


def test_unknown_count_pages_forward_and_finds_the_end() -> None:
    asyncio.run(_unknown_count_pages_forward())


async def _unknown_count_pages_forward() -> None:
    source = SlowCountSource(30, delay=1.5)
    app = LaterApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        assert not table.count_known
        await pilot.press("pagedown")
        # The look-ahead showed the end: 30 rows, known without the slow count.
        assert table.count_known and table.row_count == 30
        assert table.cursor == 22 and table.visible_rows[-1].key == 29
        app.exit()


def test_reload_after_the_list_shrank_above_the_window() -> None:
    asyncio.run(_shrank_above_the_window())


async def _shrank_above_the_window() -> None:
    source = SlowCountSource(60, delay=0.0)
    app = LaterApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        await pilot.press("pagedown", "pagedown")
        assert table.cursor == 44
        source.total = 5  # others fixed most of the list meanwhile
        table.reload()
        assert table.count_known and table.row_count == 5
        assert table.cursor == 4 and table.current_key == 4
        assert [row.key for row in table.visible_rows] == [0, 1, 2, 3, 4]


def test_moving_past_the_edge_turns_a_whole_page() -> None:
    asyncio.run(_turns_a_page())


async def _turns_a_page() -> None:
    source = CountingSource(100)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        for _ in range(21):
            await pilot.press("down")
        assert table.visible_rows[0].key == 0 and table.cursor == 21
        fetches = table.fetches
        await pilot.press("down")
        assert table.cursor == 22 and table.visible_rows[0].key == 22
        for _ in range(21):
            await pilot.press("down")
        assert table.fetches == fetches + 1  # one query for the whole next page
        await pilot.press("end", "up")
        assert table.visible_rows[-1].key == 99  # the last page stays full
        await pilot.press("home")
        assert table.visible_rows[0].key == 0
