"""The trainer's dashboard: each trainee's row follows their sandbox; only changes repaint."""

from __future__ import annotations

import asyncio
import unicodedata

from training_kit import type_books

from tui.messages import training as msg
from tui.screens.training_dashboard import TrainerApp, TrainingDashboard
from tui.services import training as sessions

SCENARIO = "01-ho-dau-tien"


async def _reading(screen: TrainingDashboard, count: int) -> None:
    for _ in range(200):
        if screen.readings >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the dashboard did not read the session")


def _row(screen: TrainingDashboard, username: str) -> list[str]:
    table = screen.query_one("#dashboard-table")
    return [str(c) for c in table.get_row(username)]


def strip_marks(kid):
    kid["full_name"] = "".join(c for c in unicodedata.normalize("NFD", kid["full_name"])
                               if unicodedata.category(c) != "Mn")


def test_rows_follow_the_trainees_and_unchanged_cells_are_left_alone(tmp_path):
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, 3)
    folder = started.session.folder
    scenario = started.session.scenario()
    passwords = dict(started.passwords)
    children = len(scenario.key.children)
    type_books(folder, "hocvien01", passwords["hocvien01"], scenario)

    async def run() -> None:
        app = TrainerApp(folder, refresh_seconds=3600)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TrainingDashboard)
            await _reading(screen, 1)
            assert _row(screen, "hocvien01") == [
                "hocvien01", f"{children}/{children} trẻ", "100,0%", "0", "—"]
            assert _row(screen, "hocvien02")[1:4] == [f"0/{children} trẻ", "0,0%", "0"]
            assert str(screen.query_one("#dashboard-room").render()) == \
                msg.DASHBOARD_NO_ERRORS
            assert "thử nghiệm" in str(screen.query_one("#dashboard-sandbox").render())

            type_books(folder, "hocvien02", passwords["hocvien02"], scenario,
                       change=strip_marks)
            updated: list[tuple[object, object]] = []
            table = screen.query_one("#dashboard-table")
            original = table.update_cell

            def spy(row, column, value, **kwargs):
                updated.append((row, column))
                return original(row, column, value, **kwargs)

            table.update_cell = spy
            await pilot.press("f5")
            await _reading(screen, 2)
            await pilot.pause()
            second = _row(screen, "hocvien02")
            assert second[1] == f"{children}/{children} trẻ"
            assert second[3] == str(children)
            assert second[2] != "100,0%"
            assert {row for row, _ in updated} == {"hocvien02"}
            room = str(screen.query_one("#dashboard-room").render())
            assert f"«{msg.field_label('full_name')}»: {msg.ERROR_KINDS['diacritics']}" in room
            await pilot.press("escape")
            await pilot.pause()
        assert app.return_code in (0, None)

    asyncio.run(run())


def test_a_folder_without_a_session_says_so(tmp_path):
    async def run() -> None:
        app = TrainerApp(tmp_path, refresh_seconds=3600)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                await pilot.pause(0.02)
                text = str(app.screen.query_one("#dashboard-message").render())
                if text:
                    break
            assert "không chứa buổi tập huấn" in text

    asyncio.run(run())
