"""One word for one thing in everything a person reads (issue 10, item 15).

Support given to a child is "trợ giúp", the word of the plan implementing Decision
3655/QĐ-BYT for its forms ("Thông tin về hình thức trợ giúp": Trợ giúp y tế, ...); F1
therefore opens "Chỉ dẫn", not a second "trợ giúp". Ethnic groups are spelled as the
catalogue spells them (08 HMông), not in one of the other spellings it accepts (H'Mông).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from libchild import catalog
from libchild.text.fold import fold
from tui.messages import ui

ROOT = Path(__file__).resolve().parents[1]
MESSAGE_MODULES = sorted([ROOT / "libchild" / "messages.py", ROOT / "exports" / "messages.py",
                          *(ROOT / "tui" / "messages").glob("*.py")])


def _texts(path: Path) -> list[str]:
    """Every string constant of a module, docstrings and comments aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_the_catalogue_calls_every_form_of_support_trợ_giúp() -> None:
    names = [entry.name for entry in catalog.load().supports]
    assert names and all(name.startswith("Trợ giúp") for name in names)


def test_support_is_trợ_giúp_in_every_message_and_help_is_another_word() -> None:
    found = [(path.relative_to(ROOT).as_posix(), text) for path in MESSAGE_MODULES
             for text in _texts(path) if "hỗ trợ" in text.casefold()]
    assert found == []
    assert "trợ giúp" not in ui.KEY_HELP.casefold()
    assert "trợ giúp" not in ui.HELP_TITLE.casefold()


def test_ethnic_groups_are_spelled_as_the_catalogue_spells_them() -> None:
    """Other spellings the catalogue accepts when typed (H'Mông, M'Nông, Chàm) are not
    the ones messages write."""
    ethnicities = catalog.load().ethnicities
    canonical = {entry.name for entry in ethnicities}
    others = {alt: entry.name for entry in ethnicities for alt in entry.other_names
              if fold(alt) == fold(entry.name) and alt not in canonical and not alt.isascii()}
    assert "H'Mông" in others
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, others)) + r")(?!\w)")
    found = [(path.relative_to(ROOT).as_posix(), hit) for path in MESSAGE_MODULES
             for text in _texts(path) for hit in pattern.findall(text)]
    assert found == []


def test_libchild_check_says_trợ_giúp_and_HMông(tmp_path: Path) -> None:
    """The library's own report (what `python -m libchild check` prints)."""
    path = tmp_path / "a.csv"
    path.write_text(
        "personal_id,full_name,sex,birth_date,ethnicity,commune_code,province_code,"
        "father_name,circumstances,supports\n"
        "014218001234,Lò Văn Páo,Nam,05/09/2018,xyz,03808,14,Lò Văn Minh,DB04,"
        "TG01 15/03/2029\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "libchild", "check", str(path),
                           "--on", "01/09/2025"], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8")
    assert "Ngày trợ giúp ở tương lai" in done.stdout
    assert "HMông" in done.stdout
    assert "hỗ trợ" not in done.stdout.casefold() and "H'Mông" not in done.stdout
