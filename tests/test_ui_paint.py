"""Bytes on the wire: what each action costs at 80x24, and that the screen stays right.

The app runs on a real pty (as under sshd) with its terminal driver
(``tui.terminal.driver.LeanDriver``). Budgets are those of a 64 kbit/s link: a screen
switch at most 4 KB, a typed search character at most 300 B (the results' repaint
included), Tab at most 150 B, a resize at most 6 KB, and no any-motion mouse tracking.
Correctness: the same keys are replayed with Textual's own output
(``TREEM_RAW_OUTPUT=1``) and both byte streams are fed to an independent terminal
emulator (pyte); every character and colour must match at every step.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pyte

from tui.terminal.cells import CellScreen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from ttyio import Terminal  # noqa: E402

SWITCH_BUDGET = 4096
SEARCH_CHAR_BUDGET = 300
TAB_BUDGET = 150
RESIZE_BUDGET = 6144
TYPING_GAP_S = 0.25  # a brisk officer: four keys a second



def start(db: Path, raw: bool = False) -> Terminal:
    env = dict(os.environ, TERM="xterm", TEXTUAL_COLOR_SYSTEM="standard",
               TEXTUAL_ANIMATIONS="none", PYTHONPATH=str(ROOT))
    env.pop("TREEM_RAW_OUTPUT", None)
    env.pop("TEXTUAL_DRIVER", None)
    if raw:
        env["TREEM_RAW_OUTPUT"] = "1"
    term = Terminal([sys.executable, "-c",
                     "import sys; from tui.app import run_app; sys.exit(run_app(sys.argv[1]))",
                     str(db)], env, cwd=ROOT)
    term.wait_for("Trang chính".encode())
    term.drain(0.5)
    return term


def act(term: Terminal, key: str, quiet: float = 0.3) -> int:
    """Bytes written in answer to ``key`` (until 0.3 s of silence)."""
    return term.key(key, quiet=quiet, limit=3.0)[0]


# --- budgets -----------------------------------------------------------------------------
def test_screen_switches_fit_in_one_light_paint(db_path: Path) -> None:
    term = start(db_path)
    try:
        costs = {
            "home->entry": act(term, "n"),
            "entry->home": act(term, "escape"),
            "home->search": act(term, "t"),
            "search->home": act(term, "escape"),
            "home->review": act(term, "r"),
            "review->home": act(term, "escape"),
        }
    finally:
        term.close()
    assert all(0 < n <= SWITCH_BUDGET for n in costs.values()), costs


def test_tab_and_typing_in_the_form_are_light(db_path: Path) -> None:
    term = start(db_path)
    try:
        act(term, "n")
        tabs = [act(term, "tab") for _ in range(6)]
        back = [act(term, "shift+tab") for _ in range(3)]
    finally:
        term.close()
    assert all(0 < n <= TAB_BUDGET for n in tabs + back), (tabs, back)


def test_a_typed_search_word_costs_under_300_bytes_a_character(db_path: Path) -> None:
    term = start(db_path)
    try:
        act(term, "t")
        word = "nguyen van"
        begin = len(term.log)
        for ch in word:
            term.send(ch)
            term.drain(TYPING_GAP_S)
        term.drain(1.5)  # the results after the pause
        total = len(term.log) - begin
        shown = bytes(term.log[begin:])
    finally:
        term.close()
    assert total / len(word) <= SEARCH_CHAR_BUDGET, total
    assert "Không tìm thấy".encode() in shown or "Tìm thấy".encode() in shown


def test_a_resize_costs_one_light_paint(db_path: Path) -> None:
    term = start(db_path)
    try:
        steps = [term.resize(rows, cols, quiet=0.3)[0]
                 for rows, cols in ((24, 82), (25, 84), (26, 86), (25, 84), (24, 80))]
    finally:
        term.close()
    assert all(0 < n <= RESIZE_BUDGET for n in steps), steps


def test_mouse_reports_buttons_only_and_motion_costs_nothing(db_path: Path) -> None:
    term = start(db_path)
    try:
        begin = len(term.log)
        for i in range(40):  # what a terminal sends if any-motion tracking were on
            term.send(f"\x1b[<35;{10 + i % 30};{5 + i % 10}M".encode())
        term.drain(0.8)
        motion = len(term.log) - begin
        started = bytes(term.log)
    finally:
        term.close()
    assert b"\x1b[?1003h" not in started
    assert b"\x1b[?1000h" in started
    assert motion == 0


# --- the screen stays right ----------------------------------------------------------------
SCRIPT: tuple[tuple[str, object], ...] = (
    ("key", "n"), ("type", "0417"), ("key", "enter"), ("type", "na"), ("key", "tab"),
    ("key", "tab"), ("type", "Tiểu khu 3"), ("key", "shift+tab"), ("key", "escape"),
    ("key", "t"), ("type", "lo"), ("wait", 1.0), ("key", "escape"),
    ("resize", (30, 100)), ("resize", (24, 80)), ("key", "r"), ("key", "escape"),
)


def _look(ch: pyte.screens.Char) -> tuple[object, ...]:
    """What a person sees of a cell: on a space, only the background, reverse and
    underline show."""
    if ch.data == " ":
        return (None, ch.bg, False, ch.reverse, ch.underscore)
    return (ch.fg, ch.bg, ch.bold, ch.reverse, ch.underscore)


def _replay(db: Path, raw: bool) -> Iterator[tuple[str, list[str], list[tuple[object, ...]]]]:
    """Run SCRIPT; after each step yield the emulated screen (text and colours)."""
    term = start(db, raw)
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    fed = 0

    def snapshot(step: str) -> tuple[str, list[str], list[tuple[object, ...]]]:
        nonlocal fed
        stream.feed(bytes(term.log[fed:]))
        fed = len(term.log)
        styles = [_look(screen.buffer[row][col])
                  for row in range(screen.lines) for col in range(screen.columns)]
        return step, list(screen.display), styles

    try:
        yield snapshot("home")
        for kind, arg in SCRIPT:
            if kind == "key":
                act(term, str(arg))
            elif kind == "type":
                for ch in str(arg):
                    act(term, ch, quiet=0.15)
            elif kind == "wait":
                term.drain(float(str(arg)))
            else:
                rows, cols = arg  # type: ignore[misc]
                stream.feed(bytes(term.log[fed:]))
                fed = len(term.log)
                screen.resize(rows, cols)
                term.resize(rows, cols, quiet=0.4)
            term.drain(0.2)
            yield snapshot(f"{kind} {arg}")
    finally:
        term.close()


def test_the_lean_output_shows_exactly_what_textual_paints(db_path: Path) -> None:
    copy = db_path.with_name("raw.db")
    copy.write_bytes(db_path.read_bytes())
    raw = list(_replay(copy, raw=True))
    lean = list(_replay(db_path, raw=False))
    assert [s[0] for s in lean] == [s[0] for s in raw]
    for (step, raw_text, raw_style), (_, text, style) in zip(raw, lean, strict=True):
        assert text == raw_text, step
        assert style == raw_style, step


# --- the filter itself ---------------------------------------------------------------------
def test_a_repeated_paint_costs_nothing_and_a_change_costs_its_cells() -> None:
    cells = CellScreen(20, 3)
    frame = "\x1b[1;1H\x1b[1;97;44mTrang chính\x1b[0m\x1b[44m         \x1b[0m\r\n\x1b[2;1Hxx"
    first = cells.filter(frame)
    assert "Trang chính" in first
    assert cells.filter(frame) == ""
    changed = cells.filter(frame.replace("xx", "xy"))
    assert changed.endswith("y") and len(changed) <= 12


def test_mode_switches_alone_never_clear_the_screen() -> None:
    cells = CellScreen(10, 2)
    assert cells.filter("\x1b[?1049h\x1b[?25l") == "\x1b[?1049h\x1b[?25l"
    cells.filter("\x1b[1;1Habc")
    leaving = "\x1b[?1049l\x1b[?25h"  # at exit: back to the shell's screen
    assert cells.filter(leaving) == leaving


def test_wide_characters_are_never_split_and_scrolls_pass_through() -> None:
    cells = CellScreen(10, 2)
    cells.filter("\x1b[1;1H漢字abc")
    out = cells.filter("\x1b[1;2Hx")  # overwrite the right half of 漢
    assert out.startswith("\x1b[1H") and "x" in out  # rewritten from the wide character
    scroll = "\x1b[1;2r\x1b[S"
    assert cells.filter(scroll) == scroll and cells.bypass
    assert cells.filter("\x1b[1;1Habc") == "\x1b[1;1Habc"


def _pyte_look(data: str, cols: int, rows: int) -> list[tuple[object, ...]]:
    screen = pyte.Screen(cols, rows)
    pyte.Stream(screen).feed(data)
    return [_look(screen.buffer[r][c]) if screen.buffer[r][c].data == " "
            else (screen.buffer[r][c].data, *_look(screen.buffer[r][c]))
            for r in range(rows) for c in range(cols)]


def test_erased_runs_and_relative_styles_show_what_textual_painted() -> None:
    """Random paints (styles with and without background, runs of blanks long enough to
    be erased, Vietnamese text) through the filter show the same cells as written raw."""
    rng = random.Random(16)
    styles = ["\x1b[0m", "\x1b[0;1;97;44m", "\x1b[0;97;100m", "\x1b[0;36m",
              "\x1b[0;7;30;47m", "\x1b[0;2;97;100m", "\x1b[0;1m", "\x1b[0;4m", "\x1b[0;1;2m",
              "\x1b[0;1;36m", "\x1b[0;97;44m", "\x1b[0;2;36m"]
    texts = ["ể", "Tiểu", "a", "   ", " " * 12, "xyz", " " * 5, " " * 20]
    cols, rows = 24, 4
    for _ in range(400):
        cells = CellScreen(cols, rows)
        raw, lean = "\x1b[H\x1b[2J", ""
        for _frame in range(4):
            frame = ""
            for _ in range(rng.randint(1, 8)):
                text = rng.choice(texts)
                frame += (f"\x1b[{rng.randint(1, rows)};{rng.randint(1, cols - len(text) + 1)}H"
                          + rng.choice(styles) + text)
            raw += frame
            lean += cells.filter(frame)
            assert _pyte_look(lean, cols, rows) == _pyte_look(raw, cols, rows), repr(frame)
