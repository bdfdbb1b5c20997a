"""The re-check screen: sample as work list, blind re-entry, resolution, keyer rates."""

from __future__ import annotations

import asyncio
from pathlib import Path

from test_store_recheck import _children, _user
from test_store_review import GOOD, make_register
from test_ui_review import host

from tui.screens.recheck import RecheckScreen
from tui.services.recheck import BLIND_FIELDS


def test_blind_entry_then_resolution_field_by_field(tmp_path: Path) -> None:
    enterer = make_register(tmp_path)
    checker = _user(enterer, "kiem.tra")
    (child,) = _children(enterer, 1)
    stored = enterer.children.get(child)
    book = {**{f: GOOD.get(f) or "" for f in BLIND_FIELDS}, "full_name": stored.full_name,
            "personal_id": stored.personal_id, "mother_name": "Quàng Thị Xuân",
            "father_name": "Lò Văn Tóng"}

    async def run() -> None:
        app = host(checker)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = RecheckScreen(checker, percent=100, seed=1)
            await app.push_screen(screen)
            await pilot.pause()
            listing = screen.query_one("#recheck-list")
            assert listing.row_count == 1
            assert stored.full_name not in str(list(listing.get_row_at(0)))  # blind
            await pilot.press("enter")
            await pilot.pause()
            assert screen.phase == "entry"
            for field in BLIND_FIELDS:
                box = screen.query_one(f"#blind-{field}")
                assert box.value == ""  # the stored value is hidden
            partial = dict(book)
            for field in BLIND_FIELDS[:-1]:
                screen.query_one(f"#blind-{field}").value = partial[field]
            await pilot.press("f2")
            await pilot.pause()
            assert "Chưa nhập lại đủ" not in str(screen.query_one("#recheck-message").render())
            # An empty last field is an entry too (the book may leave it blank): compared.
            assert screen.phase == "resolve"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            for field in BLIND_FIELDS:
                screen.query_one(f"#blind-{field}").value = book[field]
            await pilot.press("f2")
            await pilot.pause()
            diff = screen.query_one("#recheck-diff")
            assert {str(k.value) for k in diff.rows} == {"mother_name", "father_name"}
            await pilot.press("f2")  # unresolved: refused with the reason
            await pilot.pause()
            assert "chọn bên nào đúng" in str(screen.query_one("#recheck-message").render())
            diff.focus()
            diff.move_cursor(row=list(diff.rows).index(next(
                k for k in diff.rows if k.value == "mother_name")))
            await pilot.press("2")
            diff.move_cursor(row=list(diff.rows).index(next(
                k for k in diff.rows if k.value == "father_name")))
            await pilot.press("3")
            await pilot.pause()
            book_box = screen.query_one("#recheck-book-value")
            assert book_box.display and app.focused is book_box
            await pilot.press(*"Lò Văn Thành")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert screen.phase == "list"
            assert f"#{child}" in str(screen.query_one("#recheck-message").render())
            assert screen.query_one("#recheck-list").row_count == 0

    asyncio.run(run())
    after = enterer.children.get(child)
    assert (after.mother_name, after.father_name) == ("Quàng Thị Xuân", "Lò Văn Thành")
    stats = checker.recheck.statistics()
    by_field = {f.field: f.rate.errors for f in stats.fields}
    assert by_field["mother_name"] == 1 and by_field["father_name"] == 1
    assert sum(by_field.values()) == 2


def test_home_opens_the_recheck_with_p_and_refuses_without_the_permission(tmp_path):
    enterer = make_register(tmp_path)
    checker = _user(enterer, "kiem.tra")
    viewer = _user(enterer, "chi.xem", role="viewer")
    _children(enterer, 2)

    async def run(services, expect_screen: bool) -> None:
        app = host(services)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, RecheckScreen) is expect_screen

    asyncio.run(run(checker, True))
    asyncio.run(run(viewer, False))


def test_an_enterer_opening_the_re_check_is_told_why_none_of_their_records_is_drawn(
        tmp_path: Path) -> None:
    enterer = make_register(tmp_path)
    _children(enterer, 3)

    async def run() -> None:
        app = host(enterer)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = RecheckScreen(enterer, percent=100, seed=1)
            await app.push_screen(screen)
            await pilot.pause()
            assert screen.query_one("#recheck-list").row_count == 0
            said = str(screen.query_one("#recheck-message").render())
            assert "không tự phúc tra hồ sơ của mình" in said

    asyncio.run(run())
