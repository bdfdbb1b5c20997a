"""The compact inputs: Vietnamese from any terminal, dates as digits, code pickers."""

from __future__ import annotations

import asyncio
import functools
import unicodedata
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult

from libchild import catalog
from tui.widgets import CodeInput, CodeSource, DateInput, VietInput


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


class Harness(App[None]):
    """One of each input, nothing else."""

    compose_mode = "off"

    def __init__(self) -> None:
        super().__init__()
        self.offered: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield VietInput(id="name", composable=True)
        yield DateInput(id="date")
        yield CodeInput(CodeSource.from_catalog(catalog.load().ethnicities), id="eth")

    def on_code_input_offered(self, event: CodeInput.Offered) -> None:
        self.offered.append(event.choice.code if event.choice else None)


async def feed(pilot, data: str) -> None:
    """Send raw terminal input, as the driver would receive it from the terminal."""
    driver = pilot.app._driver
    for message in XTermParser().feed(data):
        message.set_sender(pilot.app)
        driver.send_message(message)
        await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("backspace", ["\x08", "\x7f"])
@sync
async def test_unikey_backspace_and_replace_burst_gives_nfc(backspace: str) -> None:
    # Unikey shows "Nguyen", then on "x" deletes the "en" and sends "ễn" decomposed.
    burst = "Nguyen" + backspace * 2 + unicodedata.normalize("NFD", "ễn")
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        await feed(pilot, burst)
        value = app.query_one("#name", VietInput).value
    assert value == "Nguyễn"
    assert unicodedata.is_normalized("NFC", value)


@sync
async def test_combining_mark_typed_after_letter_is_composed_in_place() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        await feed(pilot, "Tha\u0300nh")
        widget = app.query_one("#name", VietInput)
        assert widget.value == "Thành"
        assert widget.cursor_position == len("Thành")


@sync
async def test_telex_in_a_field_marks_late_keys_and_backspace_moves_the_tone() -> None:
    app = Harness()
    app.compose_mode = "telex"
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one("#name", VietInput)
        widget.focus()
        await pilot.press(*"DDawks Lawks tuyenre loanj")
        assert widget.value == "Đắk Lắk tuyển loạn"
        await pilot.press("backspace")  # as Unikey: the tone moves to the shorter syllable
        assert widget.value == "Đắk Lắk tuyển lọa"
        await pilot.press("n", "g")
        assert widget.value == "Đắk Lắk tuyển loạng"
        for _ in range(len("loạng") + 1):
            await pilot.press("backspace")
        assert widget.value == "Đắk Lắk tuyển"


@sync
async def test_vni_in_a_field_gives_back_keys_that_make_no_syllable() -> None:
    app = Harness()
    app.compose_mode = "vni"
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one("#name", VietInput)
        widget.focus()
        await pilot.press(*"Kro6ng Pa8c1 12a1")
        assert widget.value == "Krông Pắc 12á"
        await pilot.press(*"b2")  # "áb2" is no syllable: the keys come back as typed
        assert widget.value == "Krông Pắc 12a1b2"
        await pilot.press("backspace", "backspace", "backspace")
        assert widget.value == "Krông Pắc 12a"


@sync
async def test_date_digits_show_with_slashes() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#date", DateInput).focus()
        await pilot.press(*"15032016")
        widget = app.query_one("#date", DateInput)
        assert widget.value == "15/03/2016"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        assert widget.value == "15/0"
        await pilot.press("a")  # letters are refused
        assert widget.value == "15/0"


@sync
async def test_date_typed_with_own_slashes_is_kept() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#date", DateInput).focus()
        await pilot.press(*"1/3/2016")
        assert app.query_one("#date", DateInput).value == "1/3/2016"


@sync
async def test_code_picker_finds_name_without_diacritics_and_resolves_on_enter() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one("#eth", CodeInput)
        picker.focus()
        await pilot.press("h", "m", "o")
        assert picker.choice is not None and picker.choice.code == "08"
        await pilot.press("enter")
        assert picker.value == "08"
        assert app.offered[-1] == "08"


@sync
async def test_code_picker_down_offers_the_next_match() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one("#eth", CodeInput)
        picker.focus()
        await pilot.press("t", "h")
        first = picker.choice
        assert len(picker.choices) > 1
        await pilot.press("down")
        assert picker.choice != first
        await pilot.press("enter")
        assert picker.value == picker.choices[0].code


@sync
async def test_carried_value_is_dim_until_edited() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one("#name", VietInput)
        widget.set_value("Kinh", carried=True)
        widget.focus()
        await pilot.pause()
        assert widget.carried
        await pilot.press("x")
        assert not widget.carried
        assert widget.value == "x"  # the whole carried value was selected and replaced


def test_inputs_never_blink() -> None:
    assert VietInput().cursor_blink is False
    assert DateInput().cursor_blink is False


@sync
async def test_text_longer_than_the_field_scrolls_and_keeps_every_character() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one("#name", VietInput)
        widget.styles.width = 10
        await pilot.pause()
        text = "Tiểu khu 3, bản Nà Sản, xã Mường La"
        await pilot.press(*text)
        assert widget.value == text
        assert widget.scroll_offset.x > 0  # the cursor end stays visible
        assert widget.cursor_screen_offset.x <= widget.region.right
