"""The library as other projects get it: installed, light, with its catalogues."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("textual", "peewee", "openpyxl", "xlsxwriter", "rich")


def test_import_libchild_pulls_in_no_heavy_stack(tmp_path: Path) -> None:
    code = (
        "import sys, libchild, libchild.catalog, libchild.text, libchild.dates\n"
        "libchild.validate({'full_name': 'Nguyễn Văn An'})\n"
        "libchild.catalog.load()\n"
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_import_libchild_alone_loads_nothing_else(tmp_path: Path) -> None:
    # What keeps `import libchild` fast (benchmarks/bench_import_catalog.py measures it):
    # no submodule, not even attrs or typing, until a name is used.
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import libchild\n"
        "print(','.join(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "libchild"


def test_every_submodule_is_reachable_from_import_libchild() -> None:
    # `import libchild; libchild.catalog.load()` raised AttributeError (issue 15 item 8)
    code = (
        "import sys, libchild\n"
        "assert len(libchild.catalog.load().communes) == 3321\n"
        "assert libchild.ids.cccd.validate('014316012345') == '014316012345'\n"
        "for name in libchild.SUBMODULES:\n"
        "    assert getattr(libchild, name) is sys.modules['libchild.' + name], name\n"
        "    assert name in dir(libchild)\n"
        "try:\n"
        "    libchild.no_such_thing\n"
        "except AttributeError:\n"
        "    print('ok')\n"
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
        "assert not heavy, heavy\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "ok"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_wheel_ships_catalogues_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "libchild/py.typed",
        "libchild/catalogs/communes.csv",
        "libchild/catalogs/ethnicities.csv",
        "libchild/catalogs/nationalities.csv",
        "libchild/catalogs/indicators/son-la-2026.toml",
    ):
        assert expected in names


def test_installed_library_works_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import libchild, libchild.catalog as c\n"
        f"assert libchild.__file__.startswith({str(target)!r}), libchild.__file__\n"
        "cat = c.load()\n"
        "print(len(cat.communes), len(cat.provinces), cat.ethnicities.find('Mèo')[0].code)\n"
        "from libchild.indicators import load_plans\n"
        "print(len(load_plans()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n" + code],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["3321", "34", "08", "4"]
