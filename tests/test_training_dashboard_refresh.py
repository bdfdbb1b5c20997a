"""The trainer's dashboard on a real terminal: a refresh writes only what changed.

``treem training dashboard`` runs on an 80x24 pty, as over SSH, for a room larger than the
screen. What the trainer relies on: the room's most frequent errors and the keys stay on
screen under a long table; a refresh of an unchanged room writes nothing to the terminal
(a slow link carries nothing); a trainee's save changes that trainee's row only, far from a
repaint of the whole screen. Bytes are counted, never timed (benchmarks/ measure time).
"""

from __future__ import annotations

import unicodedata

from test_training_session_pty import Terminal
from training_kit import type_books

from tui.messages import training as msg
from tui.services import training as sessions

SCENARIO = "05-danh-sach-thon-lon-xon"  # 10 children: "10/10 trẻ" must fit its column
TRAINEES = 20  # more rows than an 80x24 screen has
F5 = "\x1b[15~"


def strip_marks(kid):
    kid["full_name"] = "".join(c for c in unicodedata.normalize("NFD", kid["full_name"])
                               if unicodedata.category(c) != "Mn")


def test_a_refresh_writes_only_the_changed_row_and_nothing_for_an_unchanged_room(tmp_path):
    started = sessions.start_session(tmp_path / "buoi", SCENARIO, TRAINEES)
    folder = started.session.folder
    scenario = started.session.scenario()
    passwords = dict(started.passwords)
    children = len(scenario.key.children)

    board = Terminal("training", "dashboard", str(folder), home=tmp_path / "home")
    try:
        board.wait_for(f"hocvien01  0/{children} trẻ")
        board.read(quiet=0.5, limit=3.0)
        lines = board.screen.lines()
        # The room's line and the keys are on screen below a table longer than the screen.
        assert any(msg.DASHBOARD_NO_ERRORS in line for line in lines), lines
        assert any(msg.DASHBOARD_KEY_REFRESH in line for line in lines), lines
        assert any("thử nghiệm" in line for line in lines), lines
        assert not any(f"hocvien{TRAINEES:02d}" in line for line in lines), lines
        assert not any("palette" in line for line in lines), lines  # Vietnamese keys only

        # F5 reads every sandbox again; nothing changed, so nothing is written.
        painted = len(board.raw)
        board.keys(F5)
        board.read(quiet=1.0, limit=3.0)
        assert len(board.raw) == painted, board.raw[painted:]

        # A trainee types the pages without diacritics: their row (the progress column
        # widened to fit) and the room's error show.
        type_books(folder, "hocvien03", passwords["hocvien03"], scenario, change=strip_marks)
        board.keys(F5)
        board.wait_for(f"hocvien03  {children}/{children} trẻ")
        board.wait_for(f"«{msg.field_label('full_name')}»")
        board.read(quiet=1.0, limit=3.0)

        # Another saves their pages right: only their row is written, a small part of
        # what the first screen took.
        before = len(board.raw)
        type_books(folder, "hocvien04", passwords["hocvien04"], scenario)
        board.keys(F5)
        board.wait_for(f"hocvien04  {children}/{children} trẻ")
        board.read(quiet=1.0, limit=3.0)
        refresh = len(board.raw) - before
        assert 0 < refresh < painted / 10, (refresh, painted)
        row = next(line for line in board.screen.lines() if "hocvien04" in line)
        assert "100,0%" in row, row
    finally:
        board.close()
