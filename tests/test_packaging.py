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
    # an editable install has importlib and warnings loaded at start-up already; a plain
    # install loads them (and __future__) with libchild: light standard modules only
    light = {"__future__", "importlib", "importlib._bootstrap",
             "importlib._bootstrap_external", "warnings"}
    assert set(out.stdout.strip().split(",")) - light == {"libchild"}


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


#: The modules of the ``[app]`` extra (and textual's rich), as ``pip install .`` lacks them.
APP_MODULES = ("textual", "rich", "peewee", "openpyxl", "xlsxwriter", "platformdirs",
               "python_calamine", "psycopg2")


@pytest.mark.parametrize(("args", "module"), [
    ([], "platformdirs"),  # the default register's folder
    (["demo", "--db", "{dir}/demo.db"], "peewee"),
    (["init", "--commune", "03808", "--db", "{dir}/real.db"], "peewee"),
    (["--db", "{dir}/real.db"], "peewee"),
])
def test_without_the_app_extra_treem_says_to_install_it(
        tmp_path: Path, args: list[str], module: str) -> None:
    """Issue 10, item 5: ``pip install .`` without ``[app]``, then ``treem``: one Vietnamese
    line naming the missing module and ``treem[app]``, exit 2, no traceback, no file."""
    import os

    hidden = "".join(f"sys.modules[{name!r}] = None\n" for name in APP_MODULES)
    code = ("import sys\n" + hidden
            + "from tui.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHONPATH=str(ROOT), TREEM_ADMIN_PASSWORD="matkhau-quan-tri-1")
    out = subprocess.run(
        [sys.executable, "-c", code, *(a.format(dir=tmp_path) for a in args)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    # the first module of the extra the command reaches (``module``, or rich, which the
    # command line's output filter imports before the register is opened)
    lines = out.stderr.splitlines()
    assert lines in ([f"Thiếu mô-đun {name}: cài phần ứng dụng bằng lệnh pip install "
                      "'treem[app]'."] for name in (module, "rich")), lines
    assert not list(tmp_path.glob("*.db"))
