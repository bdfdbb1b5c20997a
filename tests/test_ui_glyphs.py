"""Every character the app draws shows in PuTTY's default fonts, or has a stand-in.

Issue 10, item 15: ``⏎ ▏ ✗ 🔎`` may be missing from Courier New, Lucida Console and
Consolas. ``tui.terminal.glyphs.SAFE`` is WGL4 plus the Vietnamese letters; every other
character the app's texts or Textual's widgets draw has a stand-in, used with
``TREEM_ASCII=1``.
"""

from __future__ import annotations

import ast
import asyncio
import os
import re
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_ui_terminal import App

from tui.app import TreemApp
from tui.terminal.glyphs import FALLBACK, SAFE, WGL4, ascii_wanted, to_safe, unsafe

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"
#: Modules whose texts reach a screen or the command line's output.
DRAWN = sorted({*(TUI / "messages").glob("*.py"), *(TUI / "screens").glob("*.py"),
                *(TUI / "widgets").glob("*.py"), TUI / "app.py", TUI / "charts.py",
                TUI / "cli.py", TUI / "cli_reports.py", TUI / "cli_spreadsheets.py",
                TUI / "formatting.py", ROOT / "libchild" / "messages.py",
                ROOT / "exports" / "messages.py"})
ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|[\]P_^].*?(\x07|\x1b\\)|.)", re.S)


def _literal_chars(path: Path) -> set[str]:
    chars: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            chars.update(node.value)
    return chars


def test_the_list_is_wgl4_and_the_vietnamese_alphabet() -> None:
    assert {"─", "│", "┼", "═", "█", "▌", "░", "→", "↓", "…", "–", "“", "€", "×", "√"} <= WGL4
    vietnamese = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    assert set(vietnamese) | set(vietnamese.upper()) <= SAFE
    assert {"✗", "⏎", "▏", "🔎"}.isdisjoint(SAFE)


def test_every_stand_in_is_safe_and_as_wide_as_what_it_replaces() -> None:
    for char, stand_in in FALLBACK.items():
        assert char not in SAFE, char
        assert set(stand_in) <= SAFE, (char, stand_in)
        assert cell_len(stand_in) == cell_len(char), (char, stand_in)


def test_every_glyph_in_the_apps_texts_is_safe_or_has_a_stand_in() -> None:
    found = {}
    for path in DRAWN:
        for char in unsafe(_literal_chars(path)):
            if char not in FALLBACK and unicodedata.category(char) != "Cc":
                found[char] = path.relative_to(ROOT).as_posix()
    css = (TUI / "app.tcss").read_text(encoding="utf-8")
    found.update({char: "tui/app.tcss" for char in unsafe(css) if char not in FALLBACK})
    assert found == {}


def test_what_textual_draws_on_home_help_palette_and_entry_has_stand_ins(
    tmp_path: Path,
) -> None:
    """Textual's own glyphs (footer separator ▏, the palette's 🔎 and scroll bar) too."""
    from tui.services import Services, accounts
    from tui.store import settings
    from tui.store.database import open_db

    path = tmp_path / "r.db"
    db = open_db(path, create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14", sandbox=True)
    Services(db, accounts.sandbox_session(db)).commune.add_village("Bản Nà Sản")
    db.close()
    seen: set[str] = set()

    async def run() -> None:
        app = TreemApp(path)

        def grab() -> None:
            seen.update("".join(strip.text for strip in app.screen._compositor.render_strips()))

        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            grab()
            for keys in (["f1"], ["escape", "ctrl+p"], ["escape", "f2"],
                         [*"0417", "enter", *"na", "enter", "1", "enter", *["enter"] * 7,
                          *"Lò Văn"]):
                await pilot.press(*keys)
                await pilot.pause(0.3)
                grab()

    asyncio.run(run())
    assert "✗" in seen  # the entry form marked the missing sex and birth date
    assert unsafe(seen) - set(FALLBACK) == set()
    assert unsafe(to_safe("".join(seen))) == set()


def test_the_setting_is_read_from_the_environment() -> None:
    assert ascii_wanted({"TREEM_ASCII": "1"}) and not ascii_wanted({})
    assert not ascii_wanted({"TREEM_ASCII": "0"})
    assert to_safe("✗ Lò Văn Mạnh ⏎") == "× Lò Văn Mạnh <"


def _drawn(app: App) -> str:
    return ESCAPES.sub("", app.raw.decode("utf-8", "replace"))


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pty")
@pytest.mark.parametrize("ascii_setting", ["1", ""])
def test_home_and_entry_in_a_terminal_with_the_setting_draw_only_safe_glyphs(
    db_path: Path, ascii_setting: str,
) -> None:
    """The real driver in a pty: with TREEM_ASCII=1 no character outside the list
    reaches the terminal (home, the entry form with its error marks); without it the
    clearer marks are kept."""
    app = App(db_path, env={"TREEM_ASCII": ascii_setting})
    try:
        app.wait_for("Trang chính")
        app.keys("n")
        app.wait_for("Số sổ")
        # Enter on the empty first adult goes on to the child (fewer stops)
        app.keys(*"0417", "\r", *"na", "\r", "1", "\r", "\r", "\r", *"Lo Van")
        app.read(quiet=0.5, limit=3.0)
        drawn = _drawn(app)
        assert "Lo Van" in app.row("Họ tên")
        if ascii_setting:
            assert unsafe(drawn) == set(), sorted(unsafe(drawn))
            assert "×" in drawn  # the error marks, as their stand-in
        else:
            assert "✗" in drawn and "▏" in drawn
    finally:
        app.close()
