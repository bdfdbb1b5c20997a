"""Household entry as an officer keys it: live validation, ditto, carry-over, Telex, drafts.

Every test drives the real app (``TreemApp``) at 80x24 on a fresh register database with
synthetic data only.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from tui.app import TreemApp
from tui.screens.entry import DRAFT_DELAY, EntryScreen
from tui.screens.home import HomeScreen
from tui.services import Services, accounts
from tui.store import settings
from tui.store.database import open_db
from tui.widgets import StatusBar, VietInput

SIZE = (80, 24)


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A sandbox register of Xã Mường La with two villages."""
    path = tmp_path / "register.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    register = Services(db, accounts.sandbox_session(db))
    register.commune.add_village("Bản Nà Sản")
    register.commune.add_village("Bản Púng")
    db.close()
    return path


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    db = open_db(path)
    try:
        return db.execute_sql(sql).fetchall()
    finally:
        db.close()


async def type_fields(pilot: Any, values: list[str]) -> None:
    """Type each value then Enter, as from the book."""
    for value in values:
        await pilot.press(*value, "enter")


# Enter on adult 3's empty name goes on to the child (issue 10, item 13).
HOUSEHOLD = ["0417", "na", "1", "Tiểu khu 3", "Lò Văn Pâng", "", "Lò Thị Xuân", "", ""]
# Enter passes nationality (VN) and the empty caregiver: the mother's Enter ends the child.
CHILD_1 = ["Lò Văn Mạnh", "1", "15032016", "", "tha", "04", "1", "2"]


def inputs(app: TreemApp) -> dict[str, VietInput]:
    screen = app.screen
    assert isinstance(screen, EntryScreen)
    return screen._inputs


async def open_entry(pilot: Any) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EntryScreen)


@sync
async def test_household_with_two_children_is_saved_with_carried_values(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, HOUSEHOLD + CHILD_1)
        fields = inputs(app)
        # Child 2: ethnicity, nationality and the parents are carried over, dimmed.
        assert fields["ethnicity"].value == "03" and fields["ethnicity"].carried
        assert fields["father"].value == "1" and fields["father"].carried
        assert fields["full_name"].value == "" and app.focused is fields["full_name"]
        await type_fields(pilot, ["Lò Thị Hoa", "2", "01022019", "", "", "03", "", ""])
        await pilot.press("f2")
        await pilot.pause()
        assert "0417" in app.screen.query_one(StatusBar).message
    saved = rows(db_path, "SELECT full_name, sex, birth_date, ethnicity, father_name, "
                          "mother_name, village, schooling FROM child ORDER BY id")
    assert saved == [
        ("Lò Văn Mạnh", "1", "2016-03-15", "03", "Lò Văn Pâng", "Lò Thị Xuân", "Bản Nà Sản", "04"),
        ("Lò Thị Hoa", "2", "2019-02-01", "03", "Lò Văn Pâng", "Lò Thị Xuân", "Bản Nà Sản", "03"),
    ]
    household = rows(db_path, "SELECT book_number, address, poverty FROM household")
    assert household == [("0417", "Tiểu khu 3", "poor")]


@sync
async def test_live_validation_shows_the_focused_fields_error_and_blocks_save(
    db_path: Path,
) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, HOUSEHOLD)
        await type_fields(pilot, ["Lò Văn Mạnh", "1"])
        await pilot.press(*"15032099")  # a birth date in the future
        await pilot.pause()
        screen = app.screen
        issue_box = str(screen.query_one("#entry-issue").render())
        assert "tương lai" in issue_box
        assert str(screen.query_one("#n-birth_date").render()).startswith("✗")
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused is inputs(app)["birth_date"]
        assert "Chưa lưu được" in screen.query_one(StatusBar).message
    assert rows(db_path, "SELECT count(*) FROM child") == [(0,)]


@sync
async def test_warning_is_shown_and_saved_with_the_record(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1", "15032016"])
        # personal_id left empty: a warning (goes to the police list), not an error
        await pilot.pause()
        assert str(app.screen.query_one("#n-personal_id").render()).startswith("!")
        assert "định danh" in str(app.screen.query_one("#entry-issue").render())
        await pilot.press("f2")
        await pilot.pause()
    stored = rows(db_path, "SELECT has_error, has_warning, issues FROM child")
    assert len(stored) == 1 and stored[0][0] == 0 and stored[0][1] == 1
    assert "personal_id.missing" in {i["code"] for i in json.loads(stored[0][2])}


@sync
async def test_ditto_copies_the_previous_childs_value_and_moves_on(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, HOUSEHOLD + CHILD_1)
        await type_fields(pilot, ["Lò Văn Hùng", "1"])  # a twin
        fields = inputs(app)
        assert app.focused is fields["birth_date"]
        await pilot.press("f4")
        await pilot.pause()
        assert fields["birth_date"].value == "15/03/2016"
        assert app.focused is fields["personal_id"]


@sync
async def test_ditto_on_the_first_child_says_there_is_nothing_to_copy(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, HOUSEHOLD)
        await pilot.press("f4")
        assert inputs(app)["full_name"].value == ""
        assert "Chưa có trẻ trước" in app.screen.query_one(StatusBar).message


@sync
async def test_previous_child_key_returns_to_the_entered_child(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, HOUSEHOLD + CHILD_1)
        await pilot.press("f5")
        await pilot.pause()
        assert inputs(app)["full_name"].value == "Lò Văn Mạnh"


@sync
async def test_telex_mode_composes_and_is_remembered_for_the_user(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await pilot.press("f9")
        assert app.screen.query_one(StatusBar).mode == "telex"
        assert "Telex" in str(app.screen.query_one(StatusBar).render())
        await type_fields(pilot, ["0417", "na", "1"])
        await pilot.press(*"Tieeur khu 3")
        assert inputs(app)["address"].value == "Tiểu khu 3"
        await pilot.press("enter", *"Nguyeenx Vawn Anhs")
        assert inputs(app)["adult1_name"].value == "Nguyễn Văn Ánh"
    again = TreemApp(db_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.compose_mode == "telex"


@sync
async def test_vni_mode_composes_with_digits(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await pilot.press("f9", "f9")
        assert app.compose_mode == "vni"
        assert "VNI" in str(app.screen.query_one(StatusBar).render())
        await type_fields(pilot, ["0417", "na", "1", ""])
        await pilot.press(*"Nguye64n Va8n")
        assert inputs(app)["adult1_name"].value == "Nguyễn Văn"
        await pilot.press("f9")  # off: digits are digits again
        await pilot.press(*" A1")
        assert inputs(app)["adult1_name"].value == "Nguyễn Văn A1"


@sync
async def test_dropped_session_is_resumed_from_its_draft(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1"])
        await pilot.pause(DRAFT_DELAY + 0.4)
        # The draft is on disk before the link drops (no clean exit needed).
        drafts = rows(db_path, "SELECT key, payload FROM draft WHERE key LIKE 'entry:%'")
        assert [d[0] for d in drafts] == ["entry:new"]
        assert "Lò Văn Mạnh" in drafts[0][1]
    resumed = TreemApp(db_path)
    async with resumed.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "bản nháp" in str(resumed.screen.query_one("#home-drafts").render())
        await pilot.press("f3")
        await pilot.pause()
        fields = inputs(resumed)
        assert fields["book_number"].value == "0417"
        assert fields["full_name"].value == "Lò Văn Mạnh"
        assert fields["sex"].value == "1"
        assert fields["adult2_name"].value == "Lò Thị Xuân"


@sync
async def test_hang_up_writes_the_draft_at_once(db_path: Path) -> None:
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, ["0417"])
        await pilot.press(*"Lò")  # typed less than a second ago: no draft yet
        app.hang_up()  # what SIGHUP does when the SSH link drops
        drafts = rows(db_path, "SELECT payload FROM draft WHERE key = 'entry:new'")
        assert len(drafts) == 1 and "Lò" in drafts[0][0]


@sync
async def test_fixing_a_child_saves_a_new_version(db_path: Path) -> None:
    db = open_db(db_path)
    register = Services(db, accounts.sandbox_session(db))
    result = register.households.save(
        {"book_number": "9", "village": "Bản Púng", "address": "", "poverty": "none"},
        [{"full_name": "Lò Văn Mạnh", "sex": "1", "birth_date": "2016-03-15",
          "ethnicity": "03", "father_name": "Lò Văn Pâng"}],
        [{"full_name": "Lò Văn Pâng", "relation": "father", "personal_id": ""}],
    )
    child_id = result.children[0].child_id
    app = TreemApp(services=register)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(EntryScreen(register, child_id))
        await pilot.pause()
        fields = inputs(app)
        assert fields["full_name"].value == "Lò Văn Mạnh"
        assert fields["father"].value == "1"
        fields["schooling"].focus()
        await pilot.press("0", "4", "enter")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    stored = db.execute_sql("SELECT schooling, version FROM child WHERE id = ?",
                            (child_id,)).fetchone()
    assert stored == ("04", 2)


@sync
async def test_conflicting_save_keeps_both_versions_and_overwrites_nothing(
    db_path: Path,
) -> None:
    db = open_db(db_path)
    register = Services(db, accounts.sandbox_session(db))
    result = register.households.save(
        {"book_number": "9", "village": "Bản Púng", "address": "", "poverty": "none"},
        [{"full_name": "Lò Văn Mạnh", "sex": "1", "birth_date": "2016-03-15",
          "ethnicity": "03", "father_name": "Lò Văn Pâng"}],
        [{"full_name": "Lò Văn Pâng", "relation": "father", "personal_id": ""}],
    )
    child_id = result.children[0].child_id
    app = TreemApp(services=register)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(EntryScreen(register, child_id))
        await pilot.pause()
        # Someone else saves the child meanwhile.
        other = register.children.get(child_id)
        register.children.save({"id": child_id, "schooling": "03"},
                               expected_version=other.version)
        fields = inputs(app)
        fields["schooling"].focus()
        await pilot.press("0", "4", "enter", "f2")
        await pilot.pause()
        body = str(app.screen.query_one("#help-body").render())
        assert "03" in body and "04" in body
    stored = db.execute_sql("SELECT schooling FROM child WHERE id = ?", (child_id,)).fetchone()
    assert stored == ("03",)


def _marks(app: TreemApp) -> dict[str, str]:
    """Field -> its mark (✗ error, ! warning) for every field that shows one."""
    screen = app.screen
    out = {}
    for name in inputs(app):
        notes = screen.query(f"#n-{name}")
        if notes:
            mark = str(notes.first().render())[:1]
            if mark in ("✗", "!"):
                out[name] = mark
    return out


@sync
async def test_a_child_not_begun_shows_no_error_marks(db_path: Path) -> None:
    """A fresh form, and the next child after F6, are not wrong before anything is typed."""
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        assert _marks(app) == {}
        assert str(app.screen.query_one("#entry-summary").render()).strip() == ""
        await type_fields(pilot, HOUSEHOLD)
        assert _marks(app) == {}
        await pilot.press(*"Lò Văn Mạnh")
        await pilot.pause()
        marks = _marks(app)
        assert marks.get("sex") == "✗" and marks.get("birth_date") == "✗"
        assert "✗" in str(app.screen.query_one("#entry-summary").render())
        await pilot.press("enter")
        await type_fields(pilot, CHILD_1[1:])  # the last Enter starts child 2
        assert inputs(app)["full_name"].value == ""
        assert _marks(app) == {}


@sync
async def test_id_typed_or_pasted_in_groups_keeps_all_twelve_digits(db_path: Path) -> None:
    """Issue 10, item 7: `014 316-012345` typed, or pasted with spaces, is the whole ID."""
    from textual import events

    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1", "15032016"])
        field = inputs(app)["personal_id"]
        assert app.focused is field
        await pilot.press(*"014 316-012345")
        await pilot.pause()
        assert field.value == "014316012345"
        field.set_value("")
        field.post_message(events.Paste("014 316 012345"))
        await pilot.pause()
        assert field.value == "014316012345"
        await pilot.press("enter")
        await pilot.pause()
        assert "12 chữ số" not in str(app.screen.query_one("#entry-issue").render())


@sync
async def test_a_record_opened_for_fixing_starts_at_its_flagged_field(db_path: Path) -> None:
    """From a step 3 list the officer types the fix at once: the cursor is on the field
    with the problem (here the missing ID number), and a key typed does not wipe the name."""
    db = open_db(db_path)
    register = Services(db, accounts.sandbox_session(db))
    result = register.households.save(
        {"book_number": "9", "village": "Bản Púng", "address": "", "poverty": "none"},
        [{"full_name": "Lò Văn Mạnh", "sex": "1", "birth_date": "2016-03-15",
          "ethnicity": "03", "schooling": "04", "father_name": "Lò Văn Pâng"}],
        [{"full_name": "Lò Văn Pâng", "relation": "father", "personal_id": ""}],
    )
    child_id = result.children[0].child_id
    app = TreemApp(services=register)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(EntryScreen(register, child_id))
        await pilot.pause()
        await pilot.pause()
        fields = inputs(app)
        assert app.focused is not fields["full_name"]
        assert app.focused is fields["personal_id"], app.focused
        await pilot.press(*"014216012345", "enter")
        assert fields["full_name"].value == "Lò Văn Mạnh"
        assert fields["personal_id"].value == "014216012345"


@sync
async def test_enter_passes_by_what_a_page_almost_never_has(db_path: Path) -> None:
    """Issue 10, item 13: an empty adult ends the adults, nationality (VN) and an empty
    caregiver are passed by; Tab and Shift+Tab still reach them and they stay editable."""
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        fields = inputs(app)
        await type_fields(pilot, HOUSEHOLD[:-1])  # adult 2's ID: on to adult 3
        assert app.focused is fields["adult3_name"]
        await pilot.press("enter")  # nobody else in the book: to the child
        assert app.focused is fields["full_name"]
        await pilot.press("shift+tab")  # back where Enter left the adults, not to adult 6
        assert app.focused is fields["adult3_name"]
        await pilot.press("enter")
        assert app.focused is fields["full_name"]
        await type_fields(pilot, ["Lò Văn Mạnh", "1", "15032016", "", "tha"])
        assert app.focused is fields["schooling"]
        assert fields["nationality"].value == "VN"
        await pilot.press("shift+tab")  # still there for the rare child of another country
        assert app.focused is fields["nationality"]
        await pilot.press("tab")
        await type_fields(pilot, ["04", "1"])
        assert app.focused is fields["mother"]
        await pilot.press("tab")  # Tab reaches the caregiver the Enter flow passes by
        assert app.focused is fields["caregiver"]
        await pilot.press("shift+tab", "2", "enter")  # the mother's Enter ends the child
        await pilot.pause()
        assert app.focused is fields["full_name"] and fields["full_name"].value == ""
        assert str(app.screen.query_one("#child-heading").render()) == "Trẻ 2"
        await pilot.press("f5")
        await pilot.pause()
        assert fields["nationality"].value == "VN" and fields["mother"].value == "2"


@sync
async def test_a_caregiver_typed_is_a_stop_for_the_next_child(db_path: Path) -> None:
    """A caregiver carried over from the child before is shown for checking, not passed."""
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        fields = inputs(app)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1", "15032016", "", "tha",
                                  "04", "1"])
        await pilot.press("2", "tab")  # the mother, then Tab to the caregiver: the grandmother
        assert app.focused is fields["caregiver"]
        await type_fields(pilot, ["2"])
        assert str(app.screen.query_one("#child-heading").render()) == "Trẻ 2"
        await type_fields(pilot, ["Lò Thị Hoa", "2", "01022019", "", "", "03", "", ""])
        assert app.focused is fields["caregiver"] and fields["caregiver"].value == "2"


@sync
async def test_six_adults_fit_one_household_and_each_can_be_a_parent(db_path: Path) -> None:
    """Issue 10, item 13: more than three adults (grandparents, two couples): six."""
    adults = ["Lò Văn Pâng", "Lò Thị Xuân", "Lò Văn Ún", "Quàng Thị Ón", "Lò Văn Khằm",
              "Cà Thị Panh"]
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        fields = inputs(app)
        await type_fields(pilot, ["0417", "na", "1", "Tiểu khu 3"])
        for name in adults:
            await type_fields(pilot, [name, ""])
        await pilot.pause()
        # Adult 6's ID was the last adult stop: the child comes next.
        assert app.focused is fields["full_name"]
        fields["adult6_name"].focus()
        await pilot.pause()
        region = fields["adult6_name"].region
        assert region.height == 1 and 0 <= region.y < SIZE[1]  # scrolled into view
        fields["full_name"].focus()
        await type_fields(pilot, ["Lò Văn Mạnh", "1", "15032016", "", "tha", "04", "5", "6"])
        await pilot.press("f2")
        await pilot.pause()
        assert "0417" in app.screen.query_one(StatusBar).message
    assert rows(db_path, "SELECT father_name, mother_name FROM child") == [
        ("Lò Văn Khằm", "Cà Thị Panh")]
    assert [r[0] for r in rows(db_path, "SELECT full_name FROM caregiver ORDER BY id")] == adults


@sync
async def test_a_code_is_judged_on_enter_not_while_its_letters_are_typed(db_path: Path) -> None:
    """Issue 10, item 12: `tieu` typed for the ethnicity is not "not in the catalogue"
    before Enter; Enter on letters that pick nothing stays there and says why."""
    from tui.app import HOLD_KEYS_S

    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1", "15032016", ""])
        field = inputs(app)["ethnicity"]
        assert app.focused is field
        await pilot.press(*"tieu")
        await pilot.pause()
        screen = app.screen
        assert "danh mục" not in str(screen.query_one("#entry-issue").render())
        assert "ethnicity" not in _marks(app)
        assert str(screen.query_one("#entry-summary").render()).startswith("✗ 0")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is field  # not taken as a value: fix it here
        issue = str(screen.query_one("#entry-issue").render())
        assert "danh mục" in issue
        assert "HMông" in issue and "H'Mông" not in issue  # the catalogue's spelling
        assert _marks(app).get("ethnicity") == "✗"
        await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after a refused Enter wait for it
        await pilot.press(*["backspace"] * 4, *"thai", "enter")
        await pilot.pause()
        assert field.value == "03" and app.focused is inputs(app)["schooling"]
        assert "ethnicity" not in _marks(app)




@sync
async def test_leaving_a_code_field_judges_what_was_typed(db_path: Path) -> None:
    """Shift+Tab away from letters that pick nothing marks the field at once."""
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1", "15032016", ""])
        await pilot.press(*"tieu")
        await pilot.pause()
        assert "ethnicity" not in _marks(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert _marks(app).get("ethnicity") == "✗"




@sync
async def test_a_narrow_code_field_shows_every_letter_typed(db_path: Path) -> None:
    """Issue 10, item 12: a 2–4 cell code field widens while a name is typed into it
    instead of showing only its tail, and narrows back to the code once resolved."""
    app = TreemApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot)
        await type_fields(pilot, [*HOUSEHOLD, "Lò Văn Mạnh", "1", "15032016", ""])
        field = inputs(app)["ethnicity"]
        await pilot.press(*"hmong")
        await pilot.pause()
        await pilot.pause()
        assert field.render_line(0).text.startswith("hmong")
        note = str(app.screen.query_one("#n-ethnicity").render())
        assert "HMông" in note
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert field.value == "08"
        assert field.size.width == 4
