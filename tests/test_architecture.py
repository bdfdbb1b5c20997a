"""The layers stay apart: SQL only in ``tui/store``, screens and the command line only
through ``tui.services``, one definition of what a living record and a setting are."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"
STORE = TUI / "store"

#: The modules a person drives: they reach the register through tui.services only.
FRONT = sorted([*(TUI / "screens").glob("*.py"), *(TUI / "widgets").glob("*.py"),
                TUI / "app.py", TUI / "cli.py", TUI / "cli_spreadsheets.py"])
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\"?\w+\"?\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX|TRIGGER)|PRAGMA\s+\w+)\b", re.S)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a import b`` gives ``a`` and ``a.b``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _strings(path: Path) -> list[str]:
    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_screens_app_and_command_line_do_not_import_the_store_or_peewee() -> None:
    for path in FRONT:
        imported = _imports(path)
        bad = {m for m in imported if m == "tui.store" or m.startswith("tui.store.")
               or m == "peewee" or m.startswith("peewee.")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_sql_is_written_only_in_the_store() -> None:
    for path in _python_files(TUI):
        if STORE in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        assert "execute_sql" not in text, path.relative_to(ROOT)
        for value in _strings(path):
            assert not SQL.search(value), f"{path.relative_to(ROOT)}: {value[:60]!r}"
    for folder in (ROOT / "exports", ROOT / "libchild"):
        for path in _python_files(folder):
            assert "execute_sql" not in path.read_text(encoding="utf-8"), path


def test_services_build_no_queries_of_their_own() -> None:
    for path in _python_files(TUI / "services"):
        imported = _imports(path)
        assert "tui.store.models" not in imported, path.relative_to(ROOT)
        assert not any(m.startswith(("tui.screens", "tui.cli", "tui.app", "textual"))
                       for m in imported), path.relative_to(ROOT)


def test_layers_import_one_way() -> None:
    for path in _python_files(STORE):
        imported = _imports(path)
        assert not any(m.startswith(("tui.services", "tui.screens", "tui.cli", "tui.app",
                                     "textual")) for m in imported), path.relative_to(ROOT)
    for folder in (ROOT / "exports", ROOT / "libchild"):
        for path in _python_files(folder):
            assert not any(m == "tui" or m.startswith("tui.") for m in _imports(path)), path


def test_one_definition_of_a_living_record_and_of_the_settings_row() -> None:
    living, setting = [], []
    for path in _python_files(TUI):
        if path.name in ("migrations.py", "postgres.py"):
            continue  # frozen DDL (and its PostgreSQL form): indexes and triggers name it
        text = path.read_text(encoding="utf-8")
        if re.search(r"merged_into\s+IS\s+NULL|merged_into\.is_null\(", text):
            living.append(path.relative_to(ROOT).as_posix())
        if re.search(r"FROM\s+setting\b|Setting\.select|Setting\.update", text):
            setting.append(path.relative_to(ROOT).as_posix())
    assert living == ["tui/store/children.py"]
    assert setting == ["tui/store/settings.py"]


def test_screens_open_screens_through_the_typed_app() -> None:
    for path in _python_files(TUI):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore[attr-defined]" in line:
                assert ".app." not in line and "app_of" not in line, (
                    f"{path.relative_to(ROOT)}:{number}")


def test_no_module_of_the_old_bridges_is_left() -> None:
    for gone in ("tui/screens/store_bridge.py", "tui/spreadsheets.py",
                 "tui/store/register.py", "tui/store/errors.py", "tui/store/accounts.py"):
        assert not (ROOT / gone).exists(), gone


def test_numbers_get_their_decimal_comma_in_one_place() -> None:
    """Issue 10, item 15: scores printed `1.00` where the rest of the app wrote `0,5`.
    Decimal numbers become text through ``tui.formatting`` (``decimal``, ``percent``)
    only: no other module of the app swaps the point for a comma itself."""
    formatting = TUI / "formatting.py"
    swap = re.compile(r"""\.replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)""")
    offenders = [str(path.relative_to(ROOT)) for path in _python_files(TUI)
                 if path != formatting and swap.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
