"""The person's own keys (issue 10, item 13): a keymap file of binding ids, read at start;
a wrong file gets a Vietnamese message and the app runs on with its default keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tui.app import TreemApp
from tui.keymap import binding_ids, load_keymap, valid_key
from tui.screens.entry import EntryScreen
from tui.screens.home import HomeScreen
from tui.widgets import StatusBar

SIZE = (80, 24)



def keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> Path:
    path = tmp_path / "keymap.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TREEM_KEYMAP", str(path))
    return path


def notices(app: TreemApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_every_binding_the_screens_declare_has_an_id_the_file_can_name() -> None:
    ids = binding_ids()
    assert {"save", "ditto", "next_child", "help", "lock", "delete_row"} <= ids


@pytest.mark.parametrize(("key", "ok"), [
    ("f10", True), ("F10", True), ("ctrl+s", True), ("Ctrl+D", True), ("shift+tab", True),
    ("x", True), ("escape", True), ("question_mark", True),
    ("f99", False), ("ctrl+", False), ("kontrol+s", False), ("ctrl+ctrl+s", False),
    ("", False), (" ", False), ("enter key", False),
])
def test_keys_are_checked_before_use(key: str, ok: bool) -> None:
    assert valid_key(key) is ok


def test_f10_saves_the_household_when_the_file_says_so(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keymap(tmp_path, monkeypatch, '# phím riêng\nsave = "F10"\n')

    async def body() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert notices(app) == []
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen)
            for value in ["0417", "na", "1", "", "Lò Văn Pâng", "", "",
                          "Lò Văn Mạnh", "1", "15032016", "", "tha", "04", "1"]:
                await pilot.press(*value, "enter")
            await pilot.press("f2")  # F2 no longer saves
            await pilot.pause()
            assert "Đã lưu" not in app.screen.query_one(StatusBar).message
            await pilot.press("f10")
            await pilot.pause()
            assert "Đã lưu hộ sổ 0417" in app.screen.query_one(StatusBar).message

    asyncio.run(body())


@pytest.mark.parametrize(("text", "expected"), [
    ('save = "f10"\nluu_lai = "f11"\n', "không có chức năng «luu_lai»"),
    ('save = "f99"\n', "phím «f99» của «save» không có trên bàn phím"),
    ('save = 10\n', "phím của «save» phải viết trong ngoặc kép"),
    ('save = f10\n', "sai cú pháp ở dòng 1"),
    ('\n\n[save\n', "sai cú pháp ở dòng 3"),
    (b'save = "\xff"\n', "không lưu bằng mã UTF-8"),
])
def test_a_wrong_file_is_named_in_vietnamese_and_the_app_runs_on(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | bytes,
        expected: str) -> None:
    path = keymap(tmp_path, monkeypatch, text)

    async def body() -> None:
        app = TreemApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            [notice] = notices(app)
            assert str(path) in notice and expected in notice, notice
            await pilot.press("f2")  # the default keys still work
            await pilot.pause()
            assert isinstance(app.screen, EntryScreen)

    asyncio.run(body())


def test_right_lines_are_used_when_others_are_wrong(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = keymap(tmp_path, monkeypatch, 'save = "f10"\nditto = "ctrl+d,F4"\nkhong_co = "x"\n')
    loaded = load_keymap(path)
    assert loaded.keymap == {"save": "f10", "ditto": "ctrl+d,f4"}
    assert len(loaded.problems) == 1 and "khong_co" in loaded.problems[0]


def test_a_folder_or_unreadable_file_is_a_message_not_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "keymap.toml"
    folder.mkdir()
    loaded = load_keymap(folder)
    assert loaded.keymap == {} and "không đọc được tệp" in loaded.message()
    assert load_keymap(tmp_path / "none.toml").message() == ""
