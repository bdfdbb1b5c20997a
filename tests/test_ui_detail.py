"""Child detail: all fields, circumstances and supports, workflow and audit history;
sensitive data only for roles that may review."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from test_store_review import GOOD, PASSWORD, add_child, make_register
from test_ui_review import host

from tui.screens.circumstances import CircumstanceEditorScreen
from tui.screens.detail import ChildDetailScreen, value_text
from tui.services import Services
from tui.services.accounts import create_account as create_user
from tui.services.accounts import login
from tui.widgets.paged_table import PagedTable


def text_of(screen: ChildDetailScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}").render())


async def start(pilot: Any, register: Services, child_id: int) -> ChildDetailScreen:
    screen = ChildDetailScreen(register, child_id)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def test_value_text_formats_audited_values() -> None:
    assert value_text({"code": "DB04", "start": "2025-02-01", "end": None, "note": ""}) == (
        "DB04 01/02/2025–nay")
    assert value_text({"form": "TG01", "date": "2025-02-10", "note": ""}) == "TG01 10/02/2025"
    assert value_text("2015-03-15") == "15/03/2015"
    assert value_text(None) == "—"


def test_detail_shows_fields_circumstances_supports_history(tmp_path: Path) -> None:
    register = make_register(tmp_path)
    child_id = add_child(register, circumstances=["DB04"],
                         supports=[{"form": "TG01", "date": "2025-02-10"}])
    child = register.children.get(child_id, audit_view=False)
    register.children.save({"id": child.id, "mother_name": "Quàng Thị Un"}, child.version)

    async def body() -> None:
        app = host(register)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, child_id)
            fields = text_of(screen, "detail-fields")
            assert "Lò Văn Páo" in text_of(screen, "detail-title")
            assert "014215001234" in fields
            assert "15/03/2015" in fields
            assert "03 Thái" in fields
            assert "1 Nam" in fields
            assert "Quàng Thị Un" in fields
            assert "đã nhập" in fields
            await pilot.press("2")
            circ = text_of(screen, "detail-circ")
            assert "DB04" in circ and "Trẻ em khuyết tật" in circ
            assert "TG01" in circ and "10/02/2025" in circ
            await pilot.press("3")
            table = screen.query_one("#detail-history", PagedTable)
            assert table.has_focus
            changes = [row.cells for row in table.visible_rows]
            assert any(c[2] == "sửa" and "Quàng Thị Ín → Quàng Thị Un" in c[3] for c in changes)
            assert any(c[2] == "chuyển bước" and c[3] == "đã nhập" for c in changes)
            assert changes[0][2] in ("xem", "sửa")  # newest first
            await pilot.press("f6")
            await pilot.pause()
            assert isinstance(app.screen, CircumstanceEditorScreen)

    asyncio.run(body())


def test_collaborator_does_not_see_sensitive_data(tmp_path: Path) -> None:
    admin = make_register(tmp_path)
    village = admin.commune.add_village("Bản Nà Lo")
    child_id = admin.children.save({**GOOD, "village_id": village,
                                 "circumstances": ["DB05"]}).child_id
    create_user(admin.db, "ctv.nalo", "Cộng Tác Viên", "collaborator", PASSWORD,
                villages=[village], must_change_password=False)
    collaborator = Services(admin.db, login(admin.db, "ctv.nalo", PASSWORD))

    async def body() -> None:
        async with host(collaborator).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, collaborator, child_id)
            fields = text_of(screen, "detail-fields")
            assert "Lò Văn Páo" in fields
            assert "03 Thái" not in fields and "ẩn: dữ liệu nhạy cảm" in fields
            circ = text_of(screen, "detail-circ")
            assert "DB05" not in circ and "ẩn" in circ
            await pilot.press("3")
            cells = [row.cells for row in screen.query_one(
                "#detail-history", PagedTable).visible_rows]
            assert not any("DB05" in c[3] for c in cells)

    asyncio.run(body())


def test_missing_child_shows_a_message(tmp_path: Path) -> None:
    register = make_register(tmp_path)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await start(pilot, register, 999)
            assert screen.child is None
            assert "999" in text_of(screen, "detail-title")

    asyncio.run(body())


def test_collaborator_entry_form_and_step5_show_no_sensitive_data(tmp_path: Path) -> None:
    """F2 from the detail and the step-5 editor used to show what the detail hid."""
    from tui.screens.entry import EntryScreen

    admin = make_register(tmp_path)
    village = admin.commune.add_village("Bản Nà Lo")
    child_id = admin.children.save({**GOOD, "village_id": village,
                                    "circumstances": ["DB01"]}).child_id
    create_user(admin.db, "ctv.nalo", "Cộng Tác Viên", "collaborator", PASSWORD,
                villages=[village], must_change_password=False)
    collaborator = Services(admin.db, login(admin.db, "ctv.nalo", PASSWORD))

    async def body() -> None:
        async with host(collaborator).run_test(size=(80, 24)) as pilot:
            detail = await start(pilot, collaborator, child_id)
            await pilot.press("f2")
            await pilot.pause()
            form = pilot.app.screen
            assert isinstance(form, EntryScreen)
            assert form.query_one("#f-ethnicity").value == ""  # not "03" (Thái)
            assert "Thái" not in str(form.query_one("#n-ethnicity").render())
            schooling = form.query_one("#f-schooling")
            schooling.focus()
            schooling.value = ""
            await pilot.press("0", "5", "enter", "f2")  # the hidden ethnicity is kept, not erased
            await pilot.pause()
            assert pilot.app.screen is detail
            await pilot.press("f6")  # step 5 is not offered to a collaborator...
            await pilot.pause()
            assert pilot.app.screen is detail
            assert "f6" not in pilot.app.active_bindings
            # ...and the editor, reached anyway, shows nothing sensitive.
            editor = CircumstanceEditorScreen(collaborator, child_id)
            await pilot.app.push_screen(editor)
            await pilot.pause()
            assert not editor.query_one("#step5-circ", PagedTable).visible_rows
            assert "nhạy cảm" in str(editor.query_one("#step5-message").render())

    asyncio.run(body())
    stored = admin.children.get(child_id, audit_view=False)
    assert stored.schooling == "05" and stored.ethnicity == "03"
    assert [c.code for c in stored.circumstances] == ["DB01"]


MOTHER_ID = "014180005678"
FATHER_ID = "014080001234"


def _household_child(admin: Services, village: int, *, guardian: bool = False) -> int:
    """A child of household book A-1 (poor) with both parents' ID numbers, the mother
    listed first (so the child's caregiver ID is hers when there is no guardian)."""
    adults = [{"full_name": "Quàng Thị Ín", "relation": "mother", "personal_id": MOTHER_ID},
              {"full_name": "Lò Văn Tòng", "relation": "father", "personal_id": FATHER_ID}]
    if guardian:
        adults.append({"full_name": "Lò Văn Chăm", "relation": "guardian",
                       "personal_id": "014075009876"})
    kid = {key: value for key, value in GOOD.items()
           if key not in ("father_name", "mother_name")}
    saved = admin.households.save({"book_number": "A-1", "village_id": village,
                                   "poverty": "poor"}, [kid], adults)
    return saved.children[0].child_id


def detail_fields(register: Services, child_id: int) -> str:
    """The record page of the child's detail, as ``register``'s person sees it."""
    async def body() -> str:
        async with host(register).run_test(size=(80, 24)) as pilot:
            return text_of(await start(pilot, register, child_id), "detail-fields")

    return asyncio.run(body())


def _lines(fields: str) -> dict[str, str]:
    """The detail's field lines by label (the first 21 columns)."""
    return {line[:21].strip(): line[21:].strip() for line in fields.splitlines()
            if len(line) > 21}


def test_detail_shows_the_household_book_and_whose_id_is_whose(tmp_path: Path) -> None:
    """The detail showed ``Người chăm sóc —`` beside the mother's ID, and neither the
    father's ID, the book number nor the poverty (issue 10, item 11)."""
    admin = make_register(tmp_path)
    village = admin.commune.add_village("Bản Nà Lo")
    child_id = _household_child(admin, village)

    lines = _lines(detail_fields(admin, child_id))
    assert lines["Số sổ"] == "A-1"
    assert lines["Hộ nghèo"] == "Hộ nghèo"
    assert lines["Cha"] == f"Lò Văn Tòng, số ĐD {FATHER_ID}"
    assert lines["Mẹ"] == f"Quàng Thị Ín, số ĐD {MOTHER_ID}"
    assert lines["Người chăm sóc"] == "—"  # no guardian in the book...
    # ...and the caregiver ID the record holds is said to be the mother's.
    assert lines["Số ĐD người chăm sóc"] == f"{MOTHER_ID} (của mẹ)"


def test_detail_shows_the_guardian_with_their_id(tmp_path: Path) -> None:
    admin = make_register(tmp_path)
    village = admin.commune.add_village("Bản Nà Lo")
    child_id = _household_child(admin, village, guardian=True)

    lines = _lines(detail_fields(admin, child_id))
    assert lines["Người chăm sóc"] == "Lò Văn Chăm, số ĐD 014075009876"
    assert "Số ĐD người chăm sóc" not in lines  # said once, on the guardian's line
    assert lines["Mẹ"] == f"Quàng Thị Ín, số ĐD {MOTHER_ID}"


def test_detail_hides_the_poverty_from_a_collaborator(tmp_path: Path) -> None:
    admin = make_register(tmp_path)
    village = admin.commune.add_village("Bản Nà Lo")
    child_id = _household_child(admin, village)
    create_user(admin.db, "ctv.nalo", "Cộng Tác Viên", "collaborator", PASSWORD,
                villages=[village], must_change_password=False)
    collaborator = Services(admin.db, login(admin.db, "ctv.nalo", PASSWORD))

    fields = detail_fields(collaborator, child_id)
    lines = _lines(fields)
    assert lines["Số sổ"] == "A-1"
    assert lines["Hộ nghèo"] == "(ẩn: dữ liệu nhạy cảm)"
    assert "Hộ nghèo" not in lines.values() and "poor" not in fields
    assert lines["Cha"] == f"Lò Văn Tòng, số ĐD {FATHER_ID}"  # personal, not sensitive


def test_detail_of_a_child_without_a_household_book(tmp_path: Path) -> None:
    register = make_register(tmp_path)
    child_id = add_child(register)

    lines = _lines(detail_fields(register, child_id))
    assert lines["Số sổ"] == "— (không thuộc sổ hộ nào)"
    assert lines["Hộ nghèo"] == "—"
    assert lines["Cha"] == "Lò Văn Tòng, số ĐD —"
