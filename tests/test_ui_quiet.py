"""Moving between fields repaints the two fields, not the whole screen or the footer."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.widgets import QuietFooter, QuietScreen, VietInput


def form(screen_class: type[Screen[Any]], footer_class: type[Footer]) -> App[None]:
    class Form(screen_class):  # type: ignore[misc, valid-type]
        BINDINGS: ClassVar[list[Binding]] = [Binding("f2", "save", "Lưu", id="save")]

        def compose(self) -> ComposeResult:
            yield VietInput(id="a")
            yield VietInput(id="b")
            yield footer_class()

    class Harness(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Form())

    return Harness()


def focus_move_effects(screen_class: type[Screen[Any]], footer_class: type[Footer]
                       ) -> tuple[int, bool]:
    """(whole-screen refreshes, footer rebuilt) when focus moves from field a to b."""

    async def run() -> tuple[int, bool]:
        app = form(screen_class, footer_class)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            screen.query_one("#a").focus()
            await pilot.pause()
            keys_before = list(screen.query(FooterKey))
            calls = 0
            original = screen.refresh

            def spy(*regions: Any, **kwargs: Any) -> Any:
                nonlocal calls
                if not regions:
                    calls += 1
                return original(*regions, **kwargs)

            screen.refresh = spy  # type: ignore[method-assign]
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is screen.query_one("#b")
            rebuilt = list(screen.query(FooterKey)) != keys_before
            return calls, rebuilt

    return asyncio.run(run())


def test_stock_textual_repaints_the_screen_and_footer_on_focus_move() -> None:
    # The control: without our classes the whole screen and the footer repaint.
    calls, rebuilt = focus_move_effects(Screen, Footer)
    assert calls >= 1 and rebuilt


def test_quiet_screen_and_footer_do_not() -> None:
    calls, rebuilt = focus_move_effects(QuietScreen, QuietFooter)
    assert calls == 0
    assert not rebuilt


def test_footer_shows_only_whole_keys_and_keeps_the_palette_key() -> None:
    """Too many keys for 80 columns: the last ones are left out, none is cut in half."""
    descriptions = ["Cùng một trẻ", "Khác nhau", "Đổi bên giữ", "Làm mới", "Quay lại",
                    "Đã rà soát bước 5", "Trợ giúp", "Gõ dấu"]

    class Crowded(QuietScreen[None]):
        BINDINGS: ClassVar[list[Binding]] = [
            Binding(f"f{i}", f"noop({i})", text, id=f"k{i}")
            for i, text in enumerate(descriptions, start=2)
        ]

        def compose(self) -> ComposeResult:
            yield VietInput(id="a")
            yield QuietFooter()

    class Harness(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Crowded())

    async def run() -> tuple[list[str], list[int], int]:
        app = Harness()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            keys = [k for k in app.screen.query(FooterKey) if not k.has_class("-command-palette")]
            palette = app.screen.query(FooterKey).filter(".-command-palette")
            return ([k.description for k in keys], [k.region.right for k in keys],
                    palette.first().region.x)

    shown, rights, palette_x = asyncio.run(run())
    assert shown == descriptions[: len(shown)]  # in order, the last ones left out
    assert "Cùng một trẻ" in shown and "Gõ dấu" not in shown
    assert max(rights) <= palette_x  # every key shown whole, left of the palette key
