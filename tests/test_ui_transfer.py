"""The spreadsheet screen: exports and imports with progress, cancel and clear errors."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fixtures.exports_books import ROWS, write_book
from textual.widgets import ProgressBar

from tui.messages import transfer as txt
from tui.screens.transfer import TransferScreen, complete_path
from tui.services import Services, accounts
from tui.services.transfer import ImportResult, TransferService
from tui.store.settings import create_register

KIDS = [
    {"full_name": "Lò Văn Ánh", "sex": "Nam", "birth_date": "12/03/2016", "ethnicity": "Thái",
     "father_name": "Lò Văn Bình", "mother_name": "Quàng Thị Lả"},
    {"full_name": "Quàng Thị Mai", "sex": "Nữ", "birth_date": "05/11/2018",
     "ethnicity": "Thái", "father_name": "Quàng Văn Hùng", "mother_name": "Lò Thị Xuân"},
    {"full_name": "Cầm Văn Sơn", "sex": "Nam", "birth_date": "20/01/2020", "ethnicity": "Thái",
     "father_name": "Cầm Văn Tâm", "mother_name": "Lường Thị Hoa"},
]
PASSWORD = "tam-thoi-123"


def make_register(tmp_path: Path, role: str = "officer", *, sandbox: bool = False,
                  kids: list[dict[str, Any]] = KIDS) -> Services:
    """A register of Xã Mường La holding ``kids``, logged in with ``role``."""
    db = create_register(tmp_path / "reg.db", commune_code="03808",
                         commune_name="Xã Mường La", province_code="14", sandbox=sandbox)
    if sandbox:
        session = accounts.sandbox_session(db)
    else:
        accounts.create_account(db, "lan.officer", "Lò Thị Lan", "officer", PASSWORD,
                             must_change_password=False)
        for kid in kids:
            Services(db, accounts.login(db, "lan.officer", PASSWORD)).children.save(kid)
        if role != "officer":
            accounts.create_account(db, "nguoi.khac", "Hà Thị Hoa", role, PASSWORD,
                                 must_change_password=False)
        session = accounts.login(db, "lan.officer" if role == "officer" else "nguoi.khac",
                                 PASSWORD)
    if sandbox:
        for kid in kids:
            Services(db, session).children.save(kid)
    return Services(db, session)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Offered file names point into the home folder: keep it inside the test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Services]:
    reg = make_register(tmp_path)
    yield reg
    reg.db.close()


def host(register: Services) -> Any:
    from tui.app import TreemApp

    return TreemApp(services=register)


async def open_screen(pilot: Any, register: Services) -> TransferScreen:
    screen = TransferScreen(register)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def choose(pilot: Any, screen: TransferScreen, digit: str, path: Path) -> None:
    """Choose operation ``digit`` and fill the path field (typed: see the path checks)."""
    await pilot.press(digit)
    field = screen.query_one("#transfer-path")
    assert field.has_focus  # a digit chooses and moves to the path
    field.value = str(path)


async def finish(pilot: Any) -> None:
    """Wait for the worker and for its result to reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def count(register: Services, sql: str) -> int:
    return int(register.db.execute_sql(sql).fetchone()[0])


def exports_audited(register: Services) -> list[dict[str, Any]]:
    return [json.loads(n) for (n,) in register.db.execute_sql(
        "SELECT new FROM audit_entry WHERE action = 'export' ORDER BY id")]


def test_full_export_with_progress_writes_a_workbook(register: Services, tmp_path: Path) -> None:
    out = tmp_path / "ra" / "toan-bo.xlsx"
    out.parent.mkdir()
    seen: list[tuple[int, int | None]] = []

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            original = screen._show_progress

            def spy(done: int, total: int | None) -> None:
                seen.append((done, total))
                original(done, total)
            screen._show_progress = spy  # type: ignore[method-assign]
            await choose(pilot, screen, "3", out)
            await pilot.press("f2")
            await finish(pilot)
            assert screen.busy is None and not screen.query(ProgressBar)
            assert screen.message.splitlines()[0] == f"Đã xuất 3 hồ sơ vào tệp {out}."
            await pilot.pause()
            updates: list[Any] = []
            display = pilot.app._display

            def spy(target: Any, renderable: Any) -> None:
                if renderable is not None:
                    updates.append(renderable)
                display(target, renderable)
            pilot.app._display = spy  # type: ignore[method-assign]
            await asyncio.sleep(1.3)  # longer than a progress bar's 1 s clock
            assert updates == []  # idle again: nothing repaints

    asyncio.run(body())
    assert seen[-1] == (3, 3)  # the bar was fed with the exports' progress, up to the total
    rows = list(openpyxl.load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert {r[rows[0].index("Họ và tên")] for r in rows[1:]} == {k["full_name"] for k in KIDS}
    assert "Dân tộc" not in rows[0]  # sensitive columns only when asked
    assert exports_audited(register)[-1]["rows"] == 3


def test_sensitive_columns_and_report_as_of_date(register: Services, tmp_path: Path) -> None:
    full, report = tmp_path / "nhay-cam.xlsx", tmp_path / "bao-cao.xlsx"

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            assert not screen.query_one("#transfer-date-row").display
            await choose(pilot, screen, "3", full)
            await pilot.press("down", "space")  # the date is hidden: the box is next
            assert screen.query_one("#transfer-sensitive").value
            await pilot.press("f2")
            await finish(pilot)
            await pilot.press("up", "up")
            assert screen.query_one("#transfer-ops").has_focus
            await pilot.press("4")
            assert screen.query_one("#transfer-date-row").display
            screen.query_one("#transfer-path").value = str(report)
            date_input = screen.query_one("#transfer-date")
            date_input.value = ""
            date_input.focus()
            await pilot.press(*"31122025", "f2")
            await finish(pilot)
            assert "tính đến ngày 31/12/2025" in screen.message

    asyncio.run(body())
    header = next(openpyxl.load_workbook(full, read_only=True).active.iter_rows(
        values_only=True))
    assert "Dân tộc" in header
    assert exports_audited(register)[-1]["as_of"] == "2025-12-31"


def test_existing_file_is_overwritten_only_after_a_second_f2(register: Services,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "co-san.xlsx"
    out.write_bytes(b"old")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "3", out)
            await pilot.press("f2")
            await finish(pilot)
            assert screen.message == txt.OVERWRITE.format(path=out)
            assert out.read_bytes() == b"old"
            await pilot.press("f2")
            await finish(pilot)

    asyncio.run(body())
    assert openpyxl.load_workbook(out).active.max_row == 4


@pytest.mark.parametrize("key", ["f10", "escape", "ctrl+q"])
def test_cancel_leaves_no_file(register: Services, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    out = out_dir / "toan-bo.xlsx"
    started = threading.Event()
    screens: list[TransferScreen] = []
    workers: list[threading.Thread] = []
    real_rows = TransferService._children

    def slow_rows(service: TransferService, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """The real rows, then (once the user cancelled) thousands more: a big register."""
        workers.append(threading.current_thread())
        rows = list(real_rows(service, **kwargs))
        yield from rows
        started.set()
        for _ in range(500):  # at most 5 s for the cancel key to arrive
            if screens[0]._cancel.is_set():
                break
            threading.Event().wait(0.01)
        for i in range(5000):
            yield rows[i % len(rows)]

    monkeypatch.setattr(TransferService, "_children", slow_rows)

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            screens.append(screen)
            await choose(pilot, screen, "3", out)
            await pilot.press("f2")
            while not started.is_set():
                await asyncio.sleep(0.01)
            assert screen.busy == "full" and screen.query(ProgressBar)
            assert screen.query_one("#transfer-ops").disabled
            await pilot.press("f2")  # no second job while one runs
            assert screen.busy == "full" and screen.operation == "full"
            await pilot.press(key)
            if key == "ctrl+q":  # quitting the app stops the work too
                return
            await finish(pilot)
            assert screen.message == txt.CANCELLED
            assert screen.busy is None and not screen.query(ProgressBar)
            assert not screen.query_one("#transfer-ops").disabled
            assert isinstance(pilot.app.screen, TransferScreen)  # Esc cancelled, not left

    asyncio.run(body())
    workers[0].join(10)
    assert not workers[0].is_alive()
    assert list(out_dir.iterdir()) == []  # neither the file nor a temporary one
    assert exports_audited(register) == []


def test_import_children_preview_then_commit(tmp_path: Path) -> None:
    register = make_register(tmp_path, kids=[])
    rows = [list(r) for r in ROWS]
    rows[1][2] = "31/02/2018"  # rejected: no such day
    source = write_book(tmp_path / "ds.xlsx", rows=rows)
    errors = tmp_path / "ds-loi.xlsx"

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "6", source)
            await pilot.press("f2")
            await finish(pilot)
            assert "Đọc được 3 dòng: 2 dòng nhập được" in screen.message
            assert "Dòng 3 Quàng Thị Mai [từ chối]" in screen.message
            assert txt.PREVIEW_CONFIRM.format(rows=2) in screen.message
            assert count(register, "SELECT count(*) FROM child") == 0  # a preview only
            assert not errors.exists()
            await pilot.press("f2")
            await finish(pilot)
            assert "Đã nhập 2 trẻ em; 1 dòng bị từ chối; tổng 3 dòng" in screen.message
            assert str(errors) in screen.message
            assert screen.result == ImportResult(3, 2, 1, errors)

    try:
        asyncio.run(body())
        assert count(register, "SELECT count(*) FROM child") == 2
        assert errors.exists()
    finally:
        register.db.close()


def test_import_preview_dropped_with_escape_stores_nothing(register: Services,
                                                         tmp_path: Path) -> None:
    source = write_book(tmp_path / "ds.xlsx")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "6", source)
            await pilot.press("f2")
            await finish(pilot)
            await pilot.press("escape")
            assert screen.message == txt.PREVIEW_DROPPED
            await pilot.press("f2")  # runs a new preview, never the dropped one
            await finish(pilot)
            assert "Đọc được 3 dòng" in screen.message

    asyncio.run(body())
    assert count(register, "SELECT count(*) FROM child") == len(KIDS)


@pytest.mark.parametrize("content", ["text", "truncated"])
def test_broken_file_shows_the_vietnamese_message_and_writes_nothing(
        register: Services, tmp_path: Path, content: str) -> None:
    good = write_book(tmp_path / "tot.xlsx").read_bytes()
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"STT;Ho ten\n1;An\n" if content == "text" else good[: len(good) // 2])
    before = sorted(p.name for p in tmp_path.iterdir())

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "6", broken)
            await pilot.press("f2")
            await finish(pilot)
            assert screen.message.startswith("Không làm được: ")
            assert "hong.xlsx" in screen.message
            assert screen.query_one("#transfer-message").has_class("-error")
            await pilot.press("f2")  # nothing to commit: the file is read again
            await finish(pilot)
            assert screen.message.startswith("Không làm được: ")

    asyncio.run(body())
    assert count(register, "SELECT count(*) FROM child") == len(KIDS)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_police_export_refused_on_a_sandbox(tmp_path: Path) -> None:
    register = make_register(tmp_path, sandbox=True, kids=KIDS[:1])
    out = tmp_path / "cong-an.xlsx"

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "1", out)
            await pilot.press("f2")
            await finish(pilot)
            assert "Bản thử nghiệm không được lập danh sách gửi công an" in screen.message

    try:
        asyncio.run(body())
        assert not out.exists()
        assert count(register, "SELECT count(*) FROM police_batch") == 0
    finally:
        register.db.close()


def fill_numbers(path: Path, numbers: dict[str, str]) -> None:
    """Write the police's verified numbers into the returned list (synthetic numbers)."""
    book = openpyxl.load_workbook(path)
    ws = book.active
    cols = {c.value: c.column for c in ws[5] if c.value}
    for row in range(6, ws.max_row + 1):
        name = ws.cell(row, cols["Họ và tên"]).value
        if name in numbers:
            ws.cell(row, cols["Số định danh đã xác minh (Công an ghi)"]).value = numbers[name]
    book.save(path)


def test_police_list_then_its_return_on_a_real_register(register: Services,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "cong-an.xlsx"

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "1", out)
            await pilot.press("f2")
            await finish(pilot)
            first = screen.message.splitlines()[0]
            assert first == f"Đã lập đợt xác minh 1 với 3 trẻ em và ghi tệp {out}."
            fill_numbers(out, {"Lò Văn Ánh": "014216000101"})
            await pilot.press("up")
            assert screen.query_one("#transfer-ops").has_focus
            await pilot.press("5")
            await pilot.press("f2")  # the same path: the list as the police returned it
            await finish(pilot)
            assert screen.message.startswith("Đợt 1: đã cập nhật 1 số định danh")
            await pilot.press("f2")  # the same file again changes nothing
            await finish(pilot)
            assert screen.message.startswith("Đợt 1: đã cập nhật 0 số định danh")
            assert "Không có gì thay đổi trong sổ." in screen.message

    asyncio.run(body())
    assert count(register, "SELECT count(*) FROM police_batch_row") == 3
    assert count(register, "SELECT count(*) FROM child WHERE personal_id = '014216000101'") == 1


def test_a_role_without_the_permission_is_refused(tmp_path: Path) -> None:
    register = make_register(tmp_path, role="viewer")
    out = tmp_path / "toan-bo.xlsx"
    source = write_book(tmp_path / "ds.xlsx")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            for digit in ("3", "6"):  # works the list does not offer a viewer
                screen.query_one("#transfer-ops").focus()
                await pilot.press(digit)
                await pilot.pause()
                assert screen.message == txt.NOT_YOURS
                assert screen.operation == "report"  # the one work a viewer may run
            # Reached anyway (a stale choice): the service refuses it when it runs.
            for operation, path in (("full", out), ("import_children", source)):
                screen._set_operation(operation)
                screen.query_one("#transfer-path").value = str(path)
                await pilot.press("f2")
                await finish(pilot)
                assert screen.message.startswith("Không làm được: ")

    try:
        asyncio.run(body())
        assert not out.exists()
        assert count(register, "SELECT count(*) FROM child") == len(KIDS)
    finally:
        register.db.close()


def test_path_checks_before_any_work(register: Services, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_book(tmp_path / "ds-tre.xlsx")

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await pilot.press("3")
            screen.query_one("#transfer-path").value = ""  # the offered name removed
            await pilot.press("f2")
            assert screen.message == txt.NO_PATH
            await pilot.press(*"kc/ra.xlsx", "f2")
            assert screen.message == txt.NO_DIRECTORY.format(path="kc")
            screen.query_one("#transfer-path").value = "ra.csv"
            await pilot.press("f2")
            assert screen.message == txt.NOT_XLSX.format(path="ra.csv")
            screen.query_one("#transfer-ops").focus()
            await pilot.press("6", *"khong.xlsx", "f2")
            assert screen.message == txt.NO_FILE.format(path="khong.xlsx")
            screen.query_one("#transfer-ops").focus()
            await pilot.press("4")
            screen.query_one("#transfer-path").value = "bc.xlsx"
            screen.query_one("#transfer-date").value = "31/02/2026"
            await pilot.press("f2")
            assert screen.message == txt.BAD_DATE.format(value="31/02/2026")
            assert screen.busy is None and not (tmp_path / "bc.xlsx").exists()
            field = screen.query_one("#transfer-path")
            field.value = ""
            await pilot.press("d")
            await pilot.pause(0.05)  # the suggester runs in the background
            await pilot.press("right")  # accepts the completion
            assert field.value == "ds-tre.xlsx"

    asyncio.run(body())


def test_complete_path_offers_directories_and_workbooks(tmp_path: Path) -> None:
    (tmp_path / "bao-cao").mkdir()
    (tmp_path / "ds-tre.xlsx").write_bytes(b"")
    (tmp_path / "ghi-chu.txt").write_text("x")
    (tmp_path / ".an.xlsx").write_bytes(b"")
    base = str(tmp_path)
    assert complete_path(base + "/ds") == base + "/ds-tre.xlsx"
    assert complete_path(base + "/ba") == base + "/bao-cao/"
    assert complete_path(base + "/gh") is None  # not a workbook
    assert complete_path(base + "/") in (base + "/bao-cao/", base + "/ds-tre.xlsx")
    assert complete_path(base + "/.a") == base + "/.an.xlsx"
    assert complete_path(base + "/khong") is None


def test_import_with_a_saved_mapping_and_a_legacy_encoding(tmp_path: Path) -> None:
    from exports.legacy_cells import CHOICES
    from libchild.text import encode_legacy

    register = make_register(tmp_path, kids=[])
    headers = ("STT", "Tên cháu", "Sinh ngày", "Phái", "Dân tộc", "Bố")
    names = ("Lò Văn Ánh", "Quàng Thị Mai")
    typed = [(1, names[0], "12/03/2016", "Nam", "Thái", "Lò Văn Bình"),
             (2, names[1], "05/11/2018", "Nữ", "Thái", "Quàng Văn Hùng")]
    # typed in the 2000s with .VnTime, the font since lost: every text is TCVN3
    rows = [[encode_legacy(v, "tcvn3") if isinstance(v, str) else v for v in row]
            for row in typed]
    source = write_book(tmp_path / "cu.xlsx", rows=rows, headers=headers)
    mapping = tmp_path / "anh-xa.json"
    mapping.write_text(json.dumps({
        "format": "treem-column-mapping", "version": 1, "options": {},
        "columns": {"STT": None, "Tên cháu": "full_name", "Sinh ngày": "birth_date",
                    "Phái": "sex", "Dân tộc": "ethnicity", "Bố": "father_name"},
    }, ensure_ascii=False), encoding="utf-8")
    assert tuple(txt.LEGACY_CHOICES) == CHOICES

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await choose(pilot, screen, "6", source)
            assert screen.query_one("#transfer-mapping-row").display
            screen.query_one("#transfer-mapping").value = str(tmp_path / "khong.json")
            await pilot.press("f2")
            assert screen.message == txt.NO_MAPPING.format(path=tmp_path / "khong.json")
            screen.query_one("#transfer-mapping").value = str(mapping)
            await pilot.press("f4")  # auto -> TCVN3
            assert screen.legacy == "tcvn3"
            assert "TCVN3" in str(screen.query_one("#transfer-legacy").content)
            await pilot.press("f2")
            await finish(pilot)
            assert screen.result is not None
            assert screen.result["preview"]["accepted"] == 2, screen.message
            assert screen.result["preview"]["repaired_cells"] == 7  # every non-ASCII cell
            await pilot.press("f2")
            await finish(pilot)
            assert "Đã nhập 2 trẻ em" in screen.message

    try:
        asyncio.run(body())
        stored = {r[0] for r in register.db.execute_sql("SELECT full_name FROM child")}
        assert stored == set(names)
    finally:
        register.db.close()


def test_every_screen_text_is_nfc_and_fits_the_width() -> None:
    import unicodedata

    texts = [v for k, v in vars(txt).items() if k.isupper() and isinstance(v, str)]
    texts += [*txt.OPERATIONS.values(), *txt.WORKING.values(), *txt.LEGACY_CHOICES.values()]
    assert texts
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), text
    assert len(txt.HINT.format(keys="1,2,3,4,5")) <= 80
    assert all(len(label) <= 76 for label in txt.OPERATIONS.values())  # "6 " + label


def test_snapshot_of_the_report_choice(snap_compare: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """80x24, 16 colours: regenerate with ``--snapshot-update`` and review the SVG."""
    from datetime import date

    monkeypatch.chdir(tmp_path)  # the path suggestions come from an empty directory
    register = make_register(tmp_path, sandbox=True, kids=[])

    async def run_before(pilot: Any) -> None:
        await pilot.app.push_screen(TransferScreen(register, on=date(2026, 6, 30)))
        await pilot.pause()
        await pilot.press("4", *"bc.xlsx")

    try:
        assert snap_compare(host(register), terminal_size=(80, 24), run_before=run_before)
    finally:
        register.db.close()


def test_chosen_export_is_named_and_offered_a_file_in_the_home_folder(
        register: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10, item 1: after 1-6 the task is shown, a file name is offered, sensitive
    columns are off, and the result says how to fetch the file over SSH."""
    from datetime import date

    from textual.widgets import Checkbox, Static

    home = tmp_path / "home"  # made by the private_home fixture
    day = f"{date.today():%Y%m%d}"

    async def body() -> None:
        async with host(register).run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, register)
            await pilot.press("2")
            await pilot.pause()
            chosen = str(screen.query_one("#transfer-chosen", Static).render())
            assert chosen == txt.CHOSEN.format(number=2, label=txt.OPERATIONS["cleaning"])
            field = screen.query_one("#transfer-path")
            assert field.value == f"~/treem-lam-sach-{day}.xlsx"
            box = screen.query_one(Checkbox)
            assert box.value is False
            assert str(box.render()).startswith("[ ]")  # unticked reads so without colour
            await pilot.press("f2")
            await finish(pilot)
            assert (home / f"treem-lam-sach-{day}.xlsx").is_file()
            assert txt.FETCH_HINT in screen.message
            screen.query_one("#transfer-ops").focus()  # back to the list (shift+tab)
            await pilot.press("1")
            await pilot.pause()
            assert field.value == f"~/treem-cong-an-{day}.xlsx"  # the offer follows the task
            field.value = str(tmp_path / "cua-toi.xlsx")
            screen.query_one("#transfer-ops").focus()
            await pilot.press("3")
            await pilot.pause()
            assert field.value == str(tmp_path / "cua-toi.xlsx")  # a typed path stays
            screen.query_one("#transfer-ops").focus()
            await pilot.press("6")
            await pilot.pause()
            assert field.value == str(tmp_path / "cua-toi.xlsx")

    asyncio.run(body())
