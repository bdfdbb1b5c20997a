"""The step-5 editor: add and end a circumstance, add a support, libchild rules enforced."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_store_review import add_child, make_register
from test_ui_review import host

from tui.app import HOLD_KEYS_S
from tui.screens.circumstances import CircumstanceEditorScreen, parse_typed_date
from tui.services import Services
from tui.widgets.paged_table import PagedTable


@pytest.fixture
def register(tmp_path: Path) -> Services:
    return make_register(tmp_path)


async def start(pilot: Any, register: Services, child_id: int) -> CircumstanceEditorScreen:
    screen = CircumstanceEditorScreen(register, child_id)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def rows(screen: CircumstanceEditorScreen, table_id: str) -> list[tuple[str, ...]]:
    return [row.cells for row in screen.query_one(f"#{table_id}", PagedTable).visible_rows]


def message(screen: CircumstanceEditorScreen) -> str:
    return str(screen.query_one("#step5-message").render())


def test_parse_typed_date() -> None:
    assert parse_typed_date("01022025") == date(2025, 2, 1)
    assert parse_typed_date("01/02/2025") == date(2025, 2, 1)
    assert parse_typed_date("  ") is None
    with pytest.raises(ValueError):
        parse_typed_date("31/02/2025")


def test_add_end_circumstance_and_add_support(register: Services) -> None:
    child_id = add_child(register)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            assert rows(screen, "step5-circ") == []
            await pilot.press("f2")
            assert screen.mode == "add_circumstance"
            await pilot.press(*"DB04", "enter", *"01022025", "enter", *"van dong", "enter")
            await pilot.pause()
            assert screen.mode is None
            assert rows(screen, "step5-circ") == [
                ("DB04", "Trẻ em khuyết tật", "01/02/2025", "nay", "van dong"),
            ]
            # The closed form is emptied: nothing left that reads as not yet added.
            assert [w.value for w in screen.query("#step5-form Input")] == ["", "", ""]
            assert "Đã thêm hoàn cảnh DB04" in message(screen)
            child = register.children.get(child_id, audit_view=False)
            assert [(c.code, c.start, c.end) for c in child.circumstances] == [
                ("DB04", "2025-02-01", None)]

            await pilot.press("f4", *"TG01", "enter", *"10022025", "enter", "enter")
            await pilot.pause()
            assert [r[0] for r in rows(screen, "step5-supp")] == ["TG01"]
            assert rows(screen, "step5-supp")[0][2] == "10/02/2025"

            screen.query_one("#step5-circ", PagedTable).focus()
            await pilot.press("f3")
            assert screen.mode == "end_circumstance"
            await pilot.press(*"31122025", "enter")
            await pilot.pause()
            assert rows(screen, "step5-circ")[0][3] == "31/12/2025"
            child = register.children.get(child_id, audit_view=False)
            assert child.circumstances[0].end == "2025-12-31"
            assert [s.form for s in child.supports] == ["TG01"]

    asyncio.run(body())


def test_support_after_death_is_refused(register: Services) -> None:
    child_id = add_child(register, death_date="2025-06-01", circumstances=["KH02"])

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            await pilot.press("f4", *"TG04", "enter", *"01072025", "enter", "enter")
            await pilot.pause()
            assert "Ngày trợ giúp sau ngày trẻ mất" in message(screen)
            assert screen.mode == "add_support"  # the form stays, nothing typed is lost
            assert screen.query_one("#step5-code").value == "TG04"
            assert rows(screen, "step5-supp") == []
            assert register.children.get(child_id, audit_view=False).supports == ()
            await pilot.press("escape")
            await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after a refused Enter wait for it
            assert screen.mode is None

    asyncio.run(body())


def test_bad_input_gets_a_message(register: Services) -> None:
    child_id = add_child(register)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            await pilot.press("f2", *"ZZ99", "enter", *"01022025", "enter", "enter")
            await pilot.pause()
            assert "Không có nhóm hoàn cảnh" in message(screen)
            screen.query_one("#step5-code").value = "DB04"
            screen.query_one("#step5-date").value = "99/99/2025"
            screen.query_one("#step5-note").focus()
            await pilot.press("enter")
            await pilot.pause()
            assert "không hợp lệ" in message(screen)
            await pilot.press("escape")
            await pilot.press("f3")  # nothing to end yet
            assert screen.mode is None
            assert "Chọn một hoàn cảnh" in message(screen)
            assert register.children.get(child_id, audit_view=False).circumstances == ()

    asyncio.run(body())


def test_f5_marks_step5_reviewed_with_the_date_in_the_history(register: Services) -> None:
    child_id = add_child(register, circumstances=["DB04"],
                         supports=[{"form": "TG01", "date": "2025-02-10"}])
    problem_id = add_child(register, personal_id=None, full_name="Lò Thị Mây", sex="2")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            await pilot.press("f5")
            assert screen.mode == "mark_reviewed"
            assert screen.query_one("#step5-code").disabled
            await pilot.press("escape")  # cancelled: nothing recorded
            assert register.children.get(child_id, audit_view=False).state == "entered"

            await pilot.press("f5", "enter", "enter")  # empty date: today
            await pilot.pause()
            today = date.today().strftime("%d/%m/%Y")
            assert f"Đã ghi nhận rà soát bước 5 ngày {today}" in message(screen)
            assert screen.mode is None
            assert register.children.get(child_id, audit_view=False).state == (
                "circumstances_reviewed")

            await pilot.press("f5", *"05032026", "enter", *"hop thon", "enter")
            await pilot.pause()
            history = register.children.history(child_id)
            assert [e.note for e in history.events[-2:]] == [
                f"Rà soát hoàn cảnh ngày {today}.",
                "Rà soát hoàn cảnh ngày 05/03/2026: hop thon"]
            assert [e.new for e in history.changes
                    if e.field == "circumstances_reviewed_on"][-1] == "2026-03-05"
            await pilot.press("escape")
            await pilot.pause()

            other = await start(pilot, register, problem_id)  # still on a step-3 list
            await pilot.press("f5", "enter", *"ghi chu", "enter")
            await pilot.pause()
            assert "Chưa ghi nhận được rà soát bước 5" in message(other)
            assert "cần sửa" in message(other)
            assert other.mode == "mark_reviewed"  # the form stays, the note typed is kept
            assert other.query_one("#step5-note").value == "ghi chu"
            assert register.children.get(problem_id, audit_view=False).state == "needs_fixing"

    asyncio.run(body())


def test_letters_typed_for_a_code_show_the_name_they_pick(register: Services) -> None:
    """``khuyet`` picks DB04: the officer sees its name before Enter takes it."""
    child_id = add_child(register)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            await pilot.press("f2", *"khuyet")
            await pilot.pause()
            assert "DB04 Trẻ em khuyết tật" in message(screen)
            await pilot.press(*"zzz")
            await pilot.pause()
            assert "Không có mã nào" in message(screen)

    asyncio.run(body())


def test_a_mistaken_circumstance_or_support_is_deleted_after_a_second_f8(
        register: Services) -> None:
    """Issue 10, item 13: a row entered by mistake can be deleted, not only ended; F8 asks,
    F8 again deletes, and the audit entry holds what was deleted."""
    from tui.store import audit as audit_store

    child_id = add_child(register, circumstances=["KH02", "DB04"])
    register.children.add_support(child_id, "TG01", "10/02/2025")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            circ = screen.query_one("#step5-circ", PagedTable)
            circ.focus()
            await pilot.pause()
            first = rows(screen, "step5-circ")[0][0]
            await pilot.press("f8")
            await pilot.pause()
            assert f"Xoá hẳn hoàn cảnh {first}" in message(screen)
            assert len(rows(screen, "step5-circ")) == 2  # asked, nothing deleted yet
            await pilot.press("escape")  # Esc: not deleted, the screen stays
            await pilot.pause()
            assert "Không xoá" in message(screen) and pilot.app.screen is screen
            await pilot.press("f8", "f8")
            await pilot.pause()
            assert [r[0] for r in rows(screen, "step5-circ")] == (
                [c for c in ("KH02", "DB04") if c != first])
            assert f"Đã xoá hoàn cảnh {first}" in message(screen)
            screen.query_one("#step5-supp", PagedTable).focus()
            await pilot.press("f8", "f8")
            await pilot.pause()
            assert rows(screen, "step5-supp") == []

    asyncio.run(body())
    child = register.children.get(child_id, audit_view=False)
    assert len(child.circumstances) == 1 and child.supports == ()
    deleted = [e for e in audit_store.entries_for(register.db, "child", child_id)
               if e["action"] == "delete"]
    assert [(e["field"], e["new"]) for e in deleted] == [("circumstance", None),
                                                          ("support", None)]
    assert deleted[1]["old"] == {"form": "TG01", "date": "2025-02-10", "note": ""}
    assert deleted[0]["old"]["code"] in ("KH02", "DB04")
    assert deleted[0]["username"] == register.session.username


def test_deleting_is_refused_to_a_collaborator_and_outside_the_scope(
        tmp_path: Path) -> None:
    """The service answers for every screen: a collaborator may not delete a circumstance
    or support (nor see them), in or out of their villages; an officer's scope is checked."""
    from test_store_review import PASSWORD

    from tui.domain import Role
    from tui.errors import PermissionDenied
    from tui.services import accounts
    from tui.services.policy import Scope

    admin = make_register(tmp_path)
    mine = admin.commune.add_village("Bản Nà Lo")
    other = admin.commune.add_village("Bản Pá Hốc")
    child_id = add_child(admin, village_id=other, circumstances=["DB04"])
    admin.children.add_support(child_id, "TG01", "10/02/2025")
    child = admin.children.get(child_id, audit_view=False)
    circ, supp = child.circumstances[0].id, child.supports[0].id
    for village in (other, mine):
        name = f"ctv.{village}"
        accounts.create_account(admin.db, name, "Cộng Tác Viên", Role.COLLABORATOR, PASSWORD,
                                villages=(village,), must_change_password=False)
        collaborator = Services(admin.db, accounts.login(admin.db, name, PASSWORD))
        with pytest.raises(PermissionDenied):
            collaborator.children.delete_circumstance(child_id, circ)
        with pytest.raises(PermissionDenied):
            collaborator.children.delete_support(child_id, supp)
    admin.session.scope = Scope(frozenset({mine}))  # an officer's scope, narrowed
    with pytest.raises(PermissionDenied, match="thôn được phân công"):
        admin.children.delete_circumstance(child_id, circ)
    admin.session.scope = Scope()  # the register is unchanged
    kept = admin.children.get(child_id, audit_view=False)
    assert [c.code for c in kept.circumstances] == ["DB04"] and len(kept.supports) == 1
    assert not [e for e in audit_store_entries(admin, child_id) if e["action"] == "delete"]


def audit_store_entries(register: Services, child_id: int) -> list[dict[str, Any]]:
    from tui.store import audit as audit_store

    return audit_store.entries_for(register.db, "child", child_id)


def test_the_code_field_shows_every_letter_typed(register: Services) -> None:
    """Issue 10, item 12: `khuyet tat` typed into the 8-cell code field is all shown,
    not its tail; the field narrows back to the code once Enter has taken it."""
    child_id = add_child(register)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            await pilot.press("f2", *"khuyet tat")
            await pilot.pause()
            await pilot.pause()
            code = screen.query_one("#step5-code")
            assert code.render_line(0).text.startswith("khuyet tat")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert code.value == "DB04" and code.size.width == 8

    asyncio.run(body())
