"""The report screen: figures against targets at 80x24, keys only, the workbook written;
and the screen as a real 80x24 terminal shows it (pty)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from kit import new_register, person
from test_ui_terminal import App as PtyApp

from exports.report_merge import read_report
from tui.screens.report import CHARTS, ReportScreen, report_dates
from tui.services import Services, accounts
from tui.store.bulk import insert_villages
from tui.store.settings import create_register

ON = date(2026, 6, 30)


def _fill(services: Services) -> None:
    base = {"sex": "Nữ", "ethnicity": "Thái", "mother_name": "Quàng Thị Xuân"}
    a = services.children.save({**base, "full_name": "Lò Thị An", "birth_date": "02/03/2018",
                                "village": "Bản Nà Lốc"}).child_id
    services.children.add_circumstance(a, "DB04", "10/03/2026")
    b = services.children.save({**base, "full_name": "Cầm Thị Bình",
                                "birth_date": "05/05/2020", "village": "Bản Pá Ban"}).child_id
    services.children.add_circumstance(b, "DB02", "01/02/2025")
    services.children.save({**base, "full_name": "Lường Thị Chi", "birth_date": "07/07/2022",
                            "village": "Bản Pá Ban", "personal_id": "014322000456"})


@pytest.fixture
def officer(tmp_path: Path) -> Services:
    db = new_register(tmp_path / "reg.db")
    insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban"])
    services = person(db, "lan.officer", "officer")
    _fill(services)
    return services


def text_of(screen: ReportScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}").render())


async def open_report(pilot: Any, services: Services) -> ReportScreen:
    screen = ReportScreen(services, on=ON)
    await pilot.app.push_screen(screen)
    for _ in range(50):
        await pilot.pause(0.05)
        if screen.evaluation is not None:
            break
    return screen


def run(services: Services, body: Any) -> None:
    from tui.app import TreemApp

    async def main() -> None:
        async with TreemApp(services=services).run_test(size=(80, 24)) as pilot:
            await body(pilot)

    asyncio.run(main())


def test_report_dates_step_back_by_half_years() -> None:
    assert report_dates(date(2026, 12, 5), 4) == [
        date(2026, 12, 5), date(2026, 6, 30), date(2025, 12, 31), date(2025, 6, 30)]


def test_indicators_show_value_status_and_change(officer: Services) -> None:
    async def body(pilot: Any) -> None:
        screen = await open_report(pilot, officer)
        table = text_of(screen, "report-table")
        special = next(x for x in table.splitlines() if "Tỷ lệ trẻ em có hoàn cảnh đặc" in x)
        assert "66,67%" in special and "chưa đạt" in special and "+33,33" in special
        assert "6 tháng đầu năm 2026" in text_of(screen, "report-head")
        assert "< 6,4%" in text_of(screen, "report-detail")
        chart = text_of(screen, "report-chart")
        assert "Bản Nà Lốc" in chart and "100,00% chưa đạt" in chart
        assert max(len(x) for x in table.splitlines() + chart.splitlines()) <= 80

    run(officer, body)


def test_keys_change_indicator_chart_period_and_plan(officer: Services) -> None:
    async def body(pilot: Any) -> None:
        screen = await open_report(pilot, officer)
        await pilot.press("f6")  # trend over the periods
        assert screen.chart == CHARTS[1]
        assert "I/2026" in text_of(screen, "report-chart")
        await pilot.press("c", "c")  # age groups, then circumstance groups
        assert "Hoàn cảnh đặc biệt" in text_of(screen, "report-chart")
        await pilot.press("down")
        assert screen.selected == 1
        await pilot.press("[")  # as of 31/12/2025: An's circumstance began in March 2026
        for _ in range(50):
            await pilot.pause(0.05)
            if screen.evaluation is not None and screen.day == date(2025, 12, 31):
                break
        assert "6 tháng cuối năm 2025" in text_of(screen, "report-head")
        first = text_of(screen, "report-table").splitlines()[1]
        assert "33,33%" in first  # Bình alone: An's circumstance began in March 2026
        await pilot.press("p")
        await pilot.pause(0.3)
        assert screen.plan is not None and screen.plan.id != "son-la-2026"

    run(officer, body)


def test_f2_writes_the_workbook_with_the_same_figures(officer: Services, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    monkeypatch.chdir(tmp_path)

    async def body(pilot: Any) -> None:
        screen = await open_report(pilot, officer)
        await pilot.press("f2")
        field = screen.query_one("#report-path")
        field.value = "xa.xlsx"
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert (tmp_path / "xa.xlsx").exists()
        back = read_report(tmp_path / "xa.xlsx").evaluation
        assert back.current.counts == screen.evaluation.current.counts
        await pilot.press("f2")
        screen.query_one("#report-path").value = "xa.xlsx"
        await pilot.press("enter")  # exists: asks first
        assert "Enter lần nữa" in str(screen.query_one("StatusBar").render())
        await pilot.press("escape")  # closes the question, stays on the screen
        assert pilot.app.screen is screen
        await pilot.press("c")  # letters are keys again, not typed into the field
        assert screen.chart == CHARTS[1]

    run(officer, body)


def test_a_role_without_reports_is_told_why(officer: Services) -> None:
    collaborator = person(officer.db, "tu.ctv", "collaborator")

    async def body(pilot: Any) -> None:
        screen = ReportScreen(collaborator, on=ON)
        await pilot.app.push_screen(screen)
        await pilot.pause(0.2)
        assert "không" in text_of(screen, "report-head").lower()
        assert screen.evaluation is None

    run(collaborator, body)


def test_the_report_screen_on_an_80x24_terminal(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    db = create_register(path, commune_code="03808", commune_name="Xã Mường La",
                         province_code="14", sandbox=True)
    insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban"])
    _fill(Services(db, accounts.sandbox_session(db)))
    db.close()
    app = PtyApp(path)
    try:
        app.wait_for("Trang chính")
        app.keys("b")
        app.wait_for("Theo thôn/bản")
        lines = app.screen.lines()
        assert lines[0].startswith("BÁO CÁO CHỈ TIÊU KẾ HOẠCH")
        assert any("Tỷ lệ trẻ em có hoàn cảnh đặc" in x and "chưa đạt" in x for x in lines)
        assert any(x.startswith("Bản Nà Lốc") for x in lines)
        assert "f2 Ghi Excel" in lines[-1]
        app.keys("\x1b[17~")  # F6: the trend chart
        app.wait_for("Qua các kỳ")
    finally:
        app.close()


def test_no_color_and_ascii_glyphs_still_say_met_in_words(officer: Services,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TREEM_GLYPHS", "ascii")

    async def body(pilot: Any) -> None:
        screen = await open_report(pilot, officer)
        table = screen.query_one("#report-table").render()
        chart = screen.query_one("#report-chart").render()
        assert not any(span.style for span in chart.spans)  # no colour at all
        assert not any("green" in str(span.style) or "red" in str(span.style)
                       for span in table.spans)
        assert "chưa đạt" in str(table)
        assert "#" in str(chart) and "█" not in str(chart)

    run(officer, body)
