"""Every command line speaks Vietnamese, argparse's own words included (issue 10 item 4).

``python -m libchild`` and ``treem`` run as real processes: their help, a wrong
subcommand, a missing argument and a wrong option print Vietnamese titles and messages
and none of argparse's English words; ``treem users add --role`` takes the Vietnamese
role names (and the old English values, for scripts).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from libchild.argparse_vi import Parser, translate_error
from libchild.messages import ARGPARSE
from tui.domain import Role
from tui.messages.labels import ROLE_NAMES, ROLE_SLUGS, role_from_text

ROOT = Path(__file__).resolve().parents[1]

# What argparse writes of its own (Python 3.11-3.13), as a user would see it.
ENGLISH = re.compile(
    r"usage:|positional arguments|options:|optional arguments|show this help|"
    r"help message|and exit|the following arguments|are required|invalid choice|"
    r"choose from|unrecognized arguments|expected one argument|expected at|"
    r"error:|ambiguous option|could match|not allowed with|invalid \w+ value",
    re.IGNORECASE,
)


def run(module: str, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(HOME=str(tmp), XDG_DATA_HOME=str(tmp / "data"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def assert_vietnamese(done: subprocess.CompletedProcess[str]) -> str:
    out = done.stdout + done.stderr
    assert not ENGLISH.search(out), ENGLISH.search(out)
    return out


@pytest.mark.parametrize("module", ["libchild", "tui.cli"])
def test_help_has_vietnamese_headings(module: str, tmp_path: Path) -> None:
    done = run(module, "--help", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    out = assert_vietnamese(done)
    assert out.startswith(ARGPARSE["usage_prefix"])
    for title in ("options_title", "commands_title"):
        assert f"\n{ARGPARSE[title]}:\n" in out
    assert ARGPARSE["help_help"] in out


@pytest.mark.parametrize(("module", "args"), [
    ("libchild", ("check", "--help")),
    ("tui.cli", ("users", "add", "--help")),
])
def test_subcommand_help_is_vietnamese(module: str, args: tuple[str, ...],
                                       tmp_path: Path) -> None:
    done = run(module, *args, tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    out = assert_vietnamese(done)
    assert f"\n{ARGPARSE['positionals_title']}:\n" in out
    assert f"\n{ARGPARSE['options_title']}:\n" in out


@pytest.mark.parametrize(("module", "args", "detail"), [
    ("libchild", ("kiemtra",), "giá trị “kiemtra” không hợp lệ cho LỆNH"),
    ("libchild", (), "thiếu tham số bắt buộc: LỆNH"),
    ("libchild", ("check",), "thiếu tham số bắt buộc: TỆP"),
    ("libchild", ("check", "x.csv", "--on"), "tham số --on cần một giá trị"),
    ("libchild", ("check", "x.csv", "--bogus"), "không hiểu tham số: --bogus"),
    ("tui.cli", ("nope",), "giá trị “nope” không hợp lệ cho LỆNH"),
    ("tui.cli", ("users", "add"), "thiếu tham số bắt buộc: TÊN_ĐĂNG_NHẬP, --role, --name"),
    ("tui.cli", ("users", "add", "an", "--name", "An", "--role", "sep"),
     "vai trò “sep” không có; gõ một trong: quan-tri, can-bo"),
])
def test_usage_errors_are_vietnamese(module: str, args: tuple[str, ...], detail: str,
                                     tmp_path: Path) -> None:
    done = run(module, *args, tmp=tmp_path)
    assert done.returncode == 2
    assert_vietnamese(done)
    assert done.stderr.startswith("Lệnh không hợp lệ: ")
    assert detail in done.stderr
    assert "--help” để xem hướng dẫn." in done.stderr


def test_every_argparse_error_text_is_translated() -> None:
    """Each message argparse can give maps to its Vietnamese text (the fallback keeps only
    the option's name in front of a text no pattern knows)."""
    english = {
        "the following arguments are required: A, --b": ARGPARSE["required"],
        "argument L: invalid choice: 'x' (choose from 'a', 'b')": ARGPARSE["choice"],
        "unrecognized arguments: --x": ARGPARSE["unrecognized"],
        "argument --a: expected one argument": ARGPARSE["expected_one"],
        "argument --a: expected at most one argument": ARGPARSE["expected_at_most_one"],
        "argument --a: expected at least one argument": ARGPARSE["expected_at_least_one"],
        "argument --a: expected 2 arguments": ARGPARSE["expected_n"],
        "argument --n: invalid int value: 'x'": ARGPARSE["invalid_value"],
        "one of the arguments --a --b is required": ARGPARSE["one_of"],
        "argument --a: not allowed with argument --b": ARGPARSE["exclusive"],
        "ambiguous option: --v could match --va, --vb": ARGPARSE["ambiguous"],
        "argument --a: ignored explicit argument 'x'": ARGPARSE["ignored_value"],
    }
    for message, template in english.items():
        detail = translate_error(message)
        assert detail.startswith(template.split("{")[0]), (message, detail)
        assert not ENGLISH.search(detail), detail


def test_parser_exits_with_usage_status_on_an_ambiguous_option(capsys) -> None:
    parser = Parser(prog="thu")
    parser.add_argument("--vao")
    parser.add_argument("--van")
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--va", "1"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "tuỳ chọn --va không rõ là tuỳ chọn nào" in err
    assert not ENGLISH.search(err)


def test_every_role_has_one_typed_name() -> None:
    assert set(ROLE_SLUGS) == set(Role)
    slugs = list(ROLE_SLUGS.values())
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) for s in slugs)  # typed without IME
    assert not set(slugs) & {r.value for r in Role}
    for role, slug in ROLE_SLUGS.items():
        assert role_from_text(slug) is role
        assert role_from_text(f" {slug.upper()} ") is role
        assert role_from_text(role.value) is role  # scripts written before keep working
    assert role_from_text("officer ") is Role.OFFICER
    assert role_from_text("cán bộ") is None


def test_users_add_takes_the_vietnamese_role_and_lists_it(tmp_path: Path) -> None:
    db = str(tmp_path / "xa.db")
    admin_pw, user_pw = tmp_path / "pw", tmp_path / "user-pw"
    admin_pw.write_text("mat-khau-quan-tri\n", encoding="utf-8")
    user_pw.write_text("tam-thoi-123\n", encoding="utf-8")
    done = run("tui.cli", "init", "--commune", "03808", "--db", db,
               "--password-file", str(admin_pw), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    new_pw = tmp_path / "new-pw"
    new_pw.write_text("mat-khau-moi-2026\n", encoding="utf-8")
    auth = ("--db", db, "--as", "admin", "--password-file", str(admin_pw),
            "--new-password-file", str(new_pw))
    added = run("tui.cli", "users", "add", "ctv.mai", "--role", "cong-tac-vien",
                "--name", "Lò Thị Mai", "--temp-password-file", str(user_pw), *auth,
                tmp=tmp_path)
    assert added.returncode == 0, added.stderr
    assert ROLE_NAMES[Role.COLLABORATOR] in added.stdout
    auth = ("--db", db, "--as", "admin", "--password-file", str(new_pw))
    old = run("tui.cli", "users", "add", "cb.lan", "--role", "officer", "--name", "Lò Thị Lan",
              "--temp-password-file", str(user_pw), *auth, tmp=tmp_path)
    assert old.returncode == 0, old.stderr
    listing = run("tui.cli", "users", "list", *auth, tmp=tmp_path)
    assert listing.returncode == 0, listing.stderr
    rows = {line.split()[0]: line for line in listing.stdout.splitlines()}
    assert ROLE_NAMES[Role.COLLABORATOR] in rows["ctv.mai"]
    assert ROLE_NAMES[Role.OFFICER] in rows["cb.lan"]
    assert "collaborator" not in listing.stdout and "officer" not in listing.stdout
