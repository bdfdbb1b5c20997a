"""A whole re-check (phúc tra) through a real terminal (issue 12, "Done when").

An officer has entered one child with a mistake (the mother's name). A checker logs in on
an 80x24 pty, opens the re-check (key p), takes the sampled record from the work list,
re-enters it blind from the household book (making a slip of their own in the father's
name), sees the two differences and settles them: the original was right about the
father, the re-entry about the mother. ``treem recheck summary`` then gives the enterer's
keyer rate computed by hand below, and the register holds the book's value.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_store_recheck import _user
from test_store_review import GOOD, PASSWORD, make_register
from test_ui_terminal import ROOT
from test_ui_terminal import App as PtyApp

TAB, F2, DOWN = "\t", "\x1bOQ", "\x1b[B"

#: The household book's page, in the blind form's field order (BLIND_FIELDS); the enterer
#: typed the mother as "Quàng Thị Ín" (GOOD), the book says "Quàng Thị Xuân".
BOOK = ["Lò Văn Páo", "1", "15/03/2015", "014215001234", "03", "04", "Lò Văn Tòng",
        "Quàng Thị Xuân"]
#: The checker's slip: the father without diacritics on the last word.
REENTERED = [*BOOK[:6], "Lò Văn Tong", BOOK[7]]
# The answer by hand: 8 fields compared for the enterer; the original was wrong in one
# (the mother, settled "re-entry right"); the father's difference was the checker's slip
# (settled "original right"), not the enterer's error. 1 of 8: 12,5%.
ENTERER_ERRORS, FIELDS_COMPARED = 1, 8


def test_sample_blind_reentry_resolution_and_keyer_rates(tmp_path: Path) -> None:
    enterer = make_register(tmp_path)
    child = enterer.children.save(dict(GOOD)).child_id
    _user(enterer, "kiem.tra").db.close()
    db_path = tmp_path / "treem.db"

    app = PtyApp(db_path)
    try:
        app.wait_for("Đăng nhập")
        app.keys(*"kiem.tra", "\r")
        os.write(app.master, (PASSWORD + "\r").encode())
        app.wait_for("Trang chính")
        app.keys("p")
        app.wait_for("Phúc tra")
        app.wait_for(f"#{child}")
        assert not any("Quàng Thị Ín" in line for line in app.screen.lines())  # blind
        app.keys("\r")
        app.wait_for("Họ và tên")
        assert not any("Lò Văn Páo" in line for line in app.screen.lines())  # still blind
        for value in REENTERED:
            os.write(app.master, (value + TAB).encode())
            app.read(quiet=0.15)
        app.keys(F2)
        app.wait_for("Quàng Thị Ín")  # the differences, field by field, once complete
        app.keys("1", DOWN, "2", F2)
        app.wait_for(f"Đã ghi phúc tra hồ sơ #{child}")
    finally:
        app.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"), TREEM_PASSWORD=PASSWORD)
    summary = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db_path), "recheck", "summary",
         "--as", "kiem.tra"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL)
    assert summary.returncode == 0, summary.stderr
    rate = f"{ENTERER_ERRORS / FIELDS_COMPARED * 100:.1f}%".replace(".", ",")
    assert f"Cán Bộ Thử: {ENTERER_ERRORS}/{FIELDS_COMPARED} trường sai ({rate})" in \
        summary.stdout, summary.stdout
    # Per field: the mother's name was the enterer's error; the father's was the checker's
    # slip and counts against no one.
    assert "trường «Họ tên mẹ»: 1/1 sai (100,0%)" in summary.stdout
    assert "Họ tên cha" not in summary.stdout

    assert enterer.children.get(child).mother_name == "Quàng Thị Xuân"  # corrected
    assert enterer.children.get(child).father_name == "Lò Văn Tòng"  # kept
    enterer.db.close()
