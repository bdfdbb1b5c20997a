"""Each role's screens show what it may do and nothing else (issue 10, item 8).

Logged in through the login screen of a real register, as every role: home lists only
the actions the role may use and their keys open nothing else; the review lists of a
collaborator show the children of their villages (the count on home equals the rows of
the list); the entry form's village picker offers only the villages assigned.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tui.app import HOLD_KEYS_S, TreemApp
from tui.domain import Role
from tui.screens.entry import EntryScreen
from tui.screens.home import HomeScreen
from tui.screens.review import ReviewListScreen
from tui.services import Services, accounts
from tui.store import settings
from tui.store.database import open_db
from tui.widgets.paged_table import PagedTable

SIZE = (80, 24)
PASSWORD = "mat-khau-vai-tro-1"

#: Children of the fixture: (name, village, personal ID, ethnicity).
KIDS = (
    ("Lò Văn Páo", "Bản Nà Lo", None, "03"),       # no ID, the collaborator's village
    ("Quàng Thị Un", "Bản Pá Hốc", None, "03"),    # no ID, another village
    ("Lò Thị Mai", "Bản Nà Lo", "014315003456", None),  # only ethnicity is missing
)

#: The home actions (key as home prints it) each role may use.
EXPECTED: dict[Role, set[str]] = {
    Role.ADMINISTRATOR: {"F2/N", "F4/T", "F5/R", "F6/D", "F7/A", "F12/X", "F11/B", "P"},
    Role.OFFICER: {"F2/N", "F4/T", "F5/R", "F6/D", "F12/X", "F11/B", "P"},
    Role.COLLABORATOR: {"F2/N", "F4/T", "F5/R"},
    Role.POLICE: {"F12/X"},
    Role.VIEWER: {"F12/X", "F11/B"},
}
GUARDED = {"F2/N", "F4/T", "F5/R", "F6/D", "F7/A", "F12/X", "F11/B", "P"}
#: Keys that open a guarded action from home, by the action's label on home.
KEYS = {"F2/N": "n", "F4/T": "t", "F5/R": "r", "F6/D": "d", "F7/A": "a", "F12/X": "x",
        "F11/B": "b", "P": "p"}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real register: two villages, the children above, one account per role (the
    collaborator assigned to Bản Nà Lo only)."""
    path = tmp_path_factory.mktemp("roles") / "register.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=False, idle_timeout_min=15)
    accounts.create_account(db, "quan.tri", "Quản Trị", Role.ADMINISTRATOR, PASSWORD,
                            must_change_password=False)
    admin = Services(db, accounts.login(db, "quan.tri", PASSWORD))
    villages = {name: admin.commune.add_village(name) for name in ("Bản Nà Lo", "Bản Pá Hốc")}
    for name, village, pid, ethnicity in KIDS:
        admin.children.save({"full_name": name, "sex": "2" if "Thị" in name else "1",
                             "birth_date": "2015-03-15", "ethnicity": ethnicity,
                             "nationality": "VN", "schooling": "04",
                             "father_name": "Lò Văn Tòng", "mother_name": "Quàng Thị Ín",
                             "personal_id": pid, "village_id": villages[village]})
    for role in (Role.OFFICER, Role.COLLABORATOR, Role.POLICE, Role.VIEWER):
        accounts.create_account(
            db, f"tk.{role.value}", f"Người {role.value}", role, PASSWORD,
            villages=(villages["Bản Nà Lo"],) if role is Role.COLLABORATOR else (),
            must_change_password=False)
    db.close()
    return path


def username(role: Role) -> str:
    return "quan.tri" if role is Role.ADMINISTRATOR else f"tk.{role.value}"


async def log_in(pilot: Any, role: Role) -> None:
    await pilot.pause()
    await pilot.press(*username(role), "enter", *PASSWORD, "enter")
    await pilot.pause(HOLD_KEYS_S + 0.1)  # keys after the last Enter wait for the hold
    assert isinstance(pilot.app.screen, HomeScreen)


def home_actions(app: TreemApp) -> set[str]:
    text = str(app.screen.query_one("#home-action-list").render())
    return {line.split()[0] for line in text.splitlines() if line.strip()}


async def home_counts(pilot: Any) -> dict[str, int]:
    """Home's counts: key (1-6, D) -> the number beside it."""
    for _ in range(100):  # the counts arrive from a worker thread
        await pilot.pause(0.05)
        text = str(pilot.app.screen.query_one("#home-counts").render())
        if "Đang đếm" not in text and "…" not in text:
            return {line.split()[0]: int(line.split()[1]) for line in text.splitlines()}
    raise AssertionError("the counts never arrived")


async def list_rows(pilot: Any, key: str) -> list[Any]:
    """Press ``key`` (a list's digit) and read the names the list shows."""
    await pilot.press(key)
    await pilot.pause(0.2)
    return [row.cells[1] for row in pilot.app.screen.query_one(PagedTable).visible_rows]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_home_lists_only_the_actions_of_the_role(register: Path, role: Role) -> None:
    async def run() -> tuple[set[str], list[str]]:
        app = TreemApp(register)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, role)
            shown = home_actions(app)
            opened = []
            for label in sorted(GUARDED - EXPECTED[role]):
                await pilot.press(KEYS[label])
                await pilot.pause()
                if not isinstance(app.screen, HomeScreen):
                    opened.append(label)
                    app.pop_screen()
                    await pilot.pause()
            return shown, opened

    shown, opened = asyncio.run(run())
    assert shown & GUARDED == EXPECTED[role]
    assert {"F10/K", "Ctrl+Q"} <= shown  # what every role may do stays listed
    assert opened == []  # a key of an action not listed opens nothing


@pytest.mark.parametrize("role", list(EXPECTED))
def test_palette_offers_only_what_the_role_may_open(register: Path, role: Role) -> None:
    async def run() -> list[str]:
        app = TreemApp(register)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, role)
            return [name for name, _help, _cb in app.palette_commands()]

    names = asyncio.run(run())
    assert ("Nhập hộ mới" in names) == ("F2/N" in EXPECTED[role])
    assert (any(n.startswith("Rà soát:") for n in names)) == ("F5/R" in EXPECTED[role])
    assert "Thử phím" in names and "Thoát" in names


def test_collaborator_review_list_shows_their_child_without_an_id(register: Path) -> None:
    """The collaborator's F5 used to say the list was empty while their child without an
    ID number existed; home's count and the list's rows agree."""

    async def run() -> tuple[dict[str, int], list[str], list[str], str]:
        app = TreemApp(register)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, Role.COLLABORATOR)
            counts = await home_counts(pilot)
            no_id = await list_rows(pilot, "r")
            assert isinstance(app.screen, ReviewListScreen)
            assert "f6" not in app.active_bindings  # step 5 is not theirs
            basic = await list_rows(pilot, "3")
            await pilot.press("4")  # a list of circumstances: refused, with a reason
            await pilot.pause()
            assert app.screen.kind == "basic_info"
            bar = " ".join(str(s.render()) for s in app.screen.query("StatusBar"))
            return counts, no_id, basic, bar

    counts, no_id, basic, bar = asyncio.run(run())
    assert no_id == ["Lò Văn Páo"]  # not Quàng Thị Un (Bản Pá Hốc)
    assert counts["1"] == 1
    # Ethnicity is hidden from a collaborator: a child missing only that is not on their
    # list (they could neither see nor fix it), and the count says the same.
    assert basic == [] and counts["3"] == 0
    # The lists found from circumstances (sensitive) are not offered at all.
    assert set(counts) == {"1", "2", "3", "6"}
    assert "không được mở danh sách này" in bar


def test_officer_sees_every_list_and_the_ethnicity_problem(register: Path) -> None:
    async def run() -> tuple[dict[str, int], list[str]]:
        app = TreemApp(register)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, Role.OFFICER)
            counts, rows = await home_counts(pilot), await list_rows(pilot, "3")
            assert "f6" in app.active_bindings
            return counts, rows

    counts, rows = asyncio.run(run())
    assert set(counts) == {"1", "2", "3", "4", "5", "6", "D"}
    assert counts["1"] == 2 and counts["3"] == 1
    assert rows == ["Lò Thị Mai"]


def test_collaborator_village_picker_offers_only_assigned_villages(register: Path) -> None:
    async def run() -> list[str]:
        app = TreemApp(register)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, Role.COLLABORATOR)
            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, EntryScreen)
            field = form.query_one("#f-village")
            return [choice.name for choice in field.source.find("ban")]

    offered = asyncio.run(run())
    assert offered == ["Bản Nà Lo"]


#: The works of the spreadsheet screen each role is offered (their digits).
WORKS_OFFERED: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: ["1", "2", "3", "4", "5", "6"],
    Role.OFFICER: ["1", "2", "3", "4", "5", "6"],
    Role.POLICE: ["5"],
    Role.VIEWER: ["4"],
}


@pytest.mark.parametrize("role", list(WORKS_OFFERED))
def test_spreadsheet_screen_offers_only_the_works_of_the_role(register: Path,
                                                              role: Role) -> None:
    """The police opened F12 to a list of six works, four of which refused them."""
    from tui.messages import transfer as transfer_txt
    from tui.screens.transfer import TransferScreen

    async def run() -> tuple[list[str], str, str]:
        app = TreemApp(register)
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot, role)
            await pilot.press("f12")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TransferScreen)
            options = screen.query_one("#transfer-ops")
            digits = [str(options.get_option_at_index(i).prompt).split()[0]
                      for i in range(options.option_count)]
            chosen = str(screen.query_one("#transfer-chosen").render())
            hint = str(screen.query_one(".screen-hint").render())
            keys = ("1-6" if len(WORKS_OFFERED[role]) == 6
                    else ",".join(WORKS_OFFERED[role]))
            assert hint.startswith(f"{keys} hoặc")
            await pilot.press("1")
            await pilot.pause()
            return digits, chosen, screen.message

    digits, chosen, message = asyncio.run(run())
    assert digits == WORKS_OFFERED[role]
    first = WORKS_OFFERED[role][0]
    label = list(transfer_txt.OPERATIONS.values())[int(first) - 1]
    assert chosen == transfer_txt.CHOSEN.format(number=first, label=label)
    assert (message == transfer_txt.NOT_YOURS) == (first != "1")


def test_every_work_of_the_spreadsheet_screen_names_its_permissions() -> None:
    from tui.messages import transfer as transfer_txt
    from tui.services.policy import WORKS

    assert list(WORKS) == list(transfer_txt.OPERATIONS)
