"""``treem server setup`` against a real sshd on 127.0.0.1, then logins through ``ssh -tt``.

The setup is run verbatim (only its folders point into a temporary directory), sshd
includes its drop-in the way Debian's main configuration does, officers are throw-away
accounts. Skips, with the reason, where sshd cannot be installed or started (not root,
no package manager). ``.ci/run`` installs openssh-server first.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import sshlab  # noqa: E402
from ttyio import Terminal  # noqa: E402


@pytest.fixture(scope="module")
def lab() -> Iterator[sshlab.Lab]:
    try:
        server = sshlab.Lab(users=2)
    except sshlab.Unavailable as exc:
        print(f"SKIP reason: {exc}")
        pytest.skip(f"no sshd here: {exc}")
    try:
        server.setup()
        try:
            server.start_sshd()
        except sshlab.Unavailable as exc:
            print(f"SKIP reason: {exc}")
            pytest.skip(f"sshd would not start: {exc}")
        server.start_resident()
        yield server
    finally:
        server.close()


def login(lab: sshlab.Lab, user: str) -> Terminal:
    term = Terminal(lab.ssh_argv(user), lab.client_env())
    term.wait_for_text("Tên đăng nhập", limit=30)
    return term


def app_login(term: Terminal, password: str) -> None:
    """Log in to the app as admin (changing the first password if asked)."""
    term.send("admin\r")
    term.settle(0.2)
    term.send(password + "\r")
    term.settle(0.5)
    if any("Mật khẩu mới" in line for line in term.screen_lines()):
        term.send(sshlab.NEW_PASSWORD + "\r")
        term.settle(0.2)
        term.send(sshlab.NEW_PASSWORD + "\r")
    term.wait_for_text("Trang chính", limit=20)


def session_pids(lab: sshlab.Lab) -> dict[int, int]:
    """The app sessions the resident server forked: pid -> uid."""
    assert lab.resident is not None
    out = subprocess.run(["ps", "-o", "pid=,uid=", "--ppid", str(lab.resident.pid)],
                         capture_output=True, text=True, check=False).stdout  # 1: none
    return {int(p): int(u) for p, u in (line.split() for line in out.splitlines())}


def as_user(lab: sshlab.Lab, user: str, code: str, *args: str
            ) -> subprocess.CompletedProcess[str]:
    """``code`` run by ``user`` with the server's Python (readable by every account)."""
    python = str(lab.prefix / "bin" / "python3")
    groups = [lab.group] if user in lab.users else []  # as sshd's initgroups would
    return subprocess.run([python, "-I", "-c", code, *args], user=user, text=True,
                          extra_groups=groups,
                          capture_output=True, check=False, cwd="/")


# --- the setup ---------------------------------------------------------------------------
def test_setup_makes_a_valid_sshd_drop_in_and_a_writable_register(lab: sshlab.Lab) -> None:
    text = (lab.sshd_dir / "treem.conf").read_text()
    match_at = text.index(f"Match Group {lab.group}")
    for directive in ("MaxStartups", "ClientAliveInterval", "ClientAliveCountMax"):
        assert re.search(rf"^{directive} ", text, re.M).start() < match_at  # type: ignore[union-attr]
    assert f"ForceCommand {lab.prefix}/bin/treem-connect" in text
    assert "Compression yes" not in text  # the client decides; the server line did nothing
    check = subprocess.run([sshlab.SSHD, "-t", "-f", str(lab.sshd_config)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    # Effective settings for an officer: the app and nothing else.
    effective = subprocess.run(
        [sshlab.SSHD, "-T", "-f", str(lab.sshd_config), "-C",
         f"user={lab.users[0]},host=x,addr=127.0.0.1"],
        capture_output=True, text=True, check=True).stdout
    assert f"forcecommand {lab.prefix}/bin/treem-connect" in effective
    assert "allowtcpforwarding no" in effective and "clientalivecountmax 3" in effective
    db = lab.data / "register.db"
    assert oct(db.stat().st_mode & 0o7777) == "0o660"
    assert oct(lab.data.stat().st_mode & 0o7777) == "0o2770"
    assert db.stat().st_gid == lab.data.stat().st_gid
    # The venv is built from the system Python and holds this checkout, not PyPI's "treem".
    cfg = (lab.prefix / "pyvenv.cfg").read_text()
    assert "home = /usr/bin" in cfg
    assert (lab.prefix / "lib/python3.11/site-packages/tui/server/connector.py").exists()
    assert "Đã cài treem cho máy chủ SSH" in lab.setup_output
    assert f"adduser --ingroup {lab.group}" in lab.setup_output


def test_setup_refuses_an_sshd_config_that_sshd_rejects(lab: sshlab.Lab,
                                                         tmp_path: Path) -> None:
    bad = tmp_path / "sshd_config"
    bad.write_text(f"Include {tmp_path}/d/*.conf\nNoSuchDirective yes\n")
    argv = lab.setup_command()
    argv[argv.index("--sshd-config") + 1] = str(bad)
    argv[argv.index("--sshd-dir") + 1] = str(tmp_path / "d")
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "sshd -t từ chối cấu hình mới" in result.stderr
    assert not (tmp_path / "d" / "treem.conf").exists()


# --- logins ----------------------------------------------------------------------------------
def test_an_officer_logs_in_over_ssh_to_the_home_screen(lab: sshlab.Lab) -> None:
    term = login(lab, lab.users[0])
    try:
        app_login(term, sshlab.ADMIN_PASSWORD)
        sessions = session_pids(lab)
        assert len(sessions) == 1
        assert set(sessions.values()) == {int(subprocess.run(
            ["id", "-u", lab.users[0]], capture_output=True, text=True).stdout)}
    finally:
        assert term.close() == 0


def test_one_officers_session_is_out_of_reach_of_another(lab: sshlab.Lab) -> None:
    first = login(lab, lab.users[0])
    second = login(lab, lab.users[1])
    try:
        sessions = session_pids(lab)
        uid1 = int(subprocess.run(["id", "-u", lab.users[0]], capture_output=True,
                                  text=True).stdout)
        (pid1,) = [pid for pid, uid in sessions.items() if uid == uid1]
        tty1 = os.readlink(f"/proc/{pid1}/fd/0")
        probe = (
            "import sys\n"
            "for path, mode in ((f'/proc/{p}/mem', 'rb'), (f'/proc/{p}/environ', 'rb'),"
            " (f'/proc/{p}/fd/0', 'rb'), (sys.argv[1], 'wb')):\n"
            "    try:\n"
            "        open(path, mode).close()\n"
            "        print('OPENED', path)\n"
            "    except OSError:\n"
            "        pass\n"
        ).replace("{p}", str(pid1))
        result = as_user(lab, lab.users[1], probe, tty1)
        assert "OPENED" not in result.stdout, result.stdout
        assert result.returncode == 0, result.stderr
        # The server takes the asker from the kernel and wants the asker's own terminal.
        refused = as_user(lab, lab.users[1], (
            "import socket, array, os\n"
            f"s = socket.socket(socket.AF_UNIX); s.connect({str(lab.socket)!r})\n"
            "fd = os.open('/dev/null', os.O_RDWR)\n"
            "s.sendmsg([b'{}'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,"
            " array.array('i', [fd]).tobytes())])\n"
            "print('ANSWER', s.recv(8))\n"
        ))
        assert "ANSWER b''" in refused.stdout, refused.stdout + refused.stderr
        assert "the descriptor is not a terminal" in (lab.base / "resident.log").read_text()
        outsider = as_user(lab, "nobody", (
            f"import socket; s = socket.socket(socket.AF_UNIX); s.connect({str(lab.socket)!r})"
        ))
        assert "PermissionError" in outsider.stderr
        assert len(session_pids(lab)) == 2
    finally:
        first.close()
        second.close()


def test_a_dropped_link_hangs_up_the_session(lab: sshlab.Lab) -> None:
    term = login(lab, lab.users[0])
    (pid,) = session_pids(lab)
    os.killpg(term.proc.pid, 9)  # the client vanishes: sshd closes the pty
    term.proc.wait()
    for _ in range(100):
        if pid not in session_pids(lab):
            break
        subprocess.run(["sleep", "0.1"], check=True)
    assert pid not in session_pids(lab)
    os.close(term.master)


def test_without_the_resident_server_each_login_runs_its_own_app(lab: sshlab.Lab) -> None:
    lab.stop_resident()
    try:
        term = login(lab, lab.users[1])
        assert term.close() == 0
    finally:
        lab.start_resident()
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(lab.socket))


# --- one identity ----------------------------------------------------------------------------
def treem_as_admin(lab: sshlab.Lab, *args: str, unix_user: str | None = None
                   ) -> subprocess.CompletedProcess[str]:
    """``treem ARGS --db REGISTER --as admin`` as the administrator runs it (root, or the
    officer ``unix_user`` with the group's access to the register but no sudo)."""
    argv = [str(lab.prefix / "bin" / "treem"), *args, "--db", str(lab.data / "register.db"),
            "--as", "admin"]
    as_officer = ({"user": unix_user, "extra_groups": [lab.group], "cwd": "/"}
                  if unix_user else {})
    for password in (sshlab.ADMIN_PASSWORD, sshlab.NEW_PASSWORD):  # changed by a login?
        env = dict(os.environ, TREEM_PASSWORD=password, TREEM_NEW_PASSWORD=sshlab.NEW_PASSWORD,
                   TREEM_USER_PASSWORD=TEMP_PASSWORD)
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False,
                              **as_officer)  # type: ignore[call-overload]
        if "mật khẩu không đúng" not in done.stderr:
            return done
    return done


TEMP_PASSWORD = "Tam-thoi-2026"


def test_a_linked_officer_is_their_app_account_without_a_second_login(
        lab: sshlab.Lab) -> None:
    officer, other = lab.users
    added = treem_as_admin(lab, "users", "add", "cb.mot", "--unix", officer,
                           "--role", "officer", "--name", "Cán bộ Một")
    assert added.returncode == 0, added.stderr
    # First SSH login: the login screen, with the officer's own app name fixed; the
    # temporary password from the administrator, then their own.
    term = Terminal(lab.ssh_argv(officer), lab.client_env())
    try:
        term.wait_for_text("cb.mot", limit=30)  # the cursor is in the password field
        term.send(TEMP_PASSWORD + "\r")
        term.wait_for_text("Mật khẩu mới", limit=20)
        term.send(sshlab.NEW_PASSWORD + "\r")
        term.settle(0.2)
        term.send(sshlab.NEW_PASSWORD + "\r")
        term.wait_for_text("Trang chính", limit=20)
    finally:
        assert term.close() == 0
    # From now on the SSH login is the app login, with the resident server ...
    for resident in (True, False):  # ... and process per session
        if not resident:
            lab.stop_resident()
        try:
            term = Terminal(lab.ssh_argv(officer), lab.client_env())
            term.wait_for_text("Trang chính", limit=30)
            screen = "\n".join(term.screen_lines())
            assert "cb.mot" in screen and "Tên đăng nhập" not in screen
            assert term.close() == 0
        finally:
            if not resident:
                lab.start_resident()
    # An officer with no link still gets the normal login, with an empty name.
    term = login(lab, other)
    try:
        assert "cb.mot" not in "\n".join(term.screen_lines())
    finally:
        term.close()


def first_login_then_home(lab: sshlab.Lab, unix_user: str, username: str) -> None:
    """The first SSH login of a new linked officer: their app name fixed, the temporary
    password, then their own; the home screen."""
    term = Terminal(lab.ssh_argv(unix_user), lab.client_env())
    try:
        term.wait_for_text(username, limit=30)  # the cursor is in the password field
        term.send(TEMP_PASSWORD + "\r")
        term.wait_for_text("Mật khẩu mới", limit=20)
        term.send(sshlab.NEW_PASSWORD + "\r")
        term.settle(0.2)
        term.send(sshlab.NEW_PASSWORD + "\r")
        term.wait_for_text("Trang chính", limit=20)
    finally:
        assert term.close() == 0


def test_users_add_unix_creates_the_unix_account_an_officer_logs_in_with(
        lab: sshlab.Lab) -> None:
    login_name = f"{lab.tag}n"
    assert not unix_accounts_exist(login_name)
    # Not a Unix login name: refused before anything is made.
    bad = treem_as_admin(lab, "users", "add", "cb.sai", "--unix", "Cb.Sai",
                         "--role", "officer", "--name", "Cán bộ Sai")
    assert bad.returncode != 0 and "Tên tài khoản Unix không hợp lệ: “Cb.Sai”" in bad.stderr
    assert "cb.sai" not in treem_as_admin(lab, "users", "list").stdout
    # Not root: the exact commands to run with sudo; nothing made.
    officer = lab.users[1]
    unprivileged = treem_as_admin(lab, "users", "add", "cb.hai", "--unix", login_name,
                                  "--role", "officer", "--name", "Cán bộ Hai",
                                  unix_user=officer)
    assert unprivileged.returncode != 0, unprivileged.stdout
    assert (f"sudo useradd --create-home --gid {lab.group} --shell /bin/sh --password '*' "
            f"{login_name}") in unprivileged.stderr
    assert "sudo " + str(lab.prefix / "bin" / "treem") + " users add cb.hai" \
        in unprivileged.stderr
    assert not unix_accounts_exist(login_name)
    assert "cb.hai" not in treem_as_admin(lab, "users", "list").stdout
    try:
        added = treem_as_admin(lab, "users", "add", "cb.hai", "--unix", login_name,
                               "--role", "officer", "--name", "Cán bộ Hai")
        assert added.returncode == 0, added.stderr
        assert f"Đã tạo tài khoản Unix {login_name}" in added.stdout
        entry = pwd.getpwnam(login_name)
        assert grp.getgrgid(entry.pw_gid).gr_name == lab.group
        assert entry.pw_shell == "/bin/sh"
        assert spwd_password(login_name) == "*"  # no password, and not locked
        home = Path(entry.pw_dir)
        assert oct(home.stat().st_mode & 0o777) == "0o700" and home.stat().st_uid == entry.pw_uid
        # The administrator copies the officer's key in (here: the test's own key).
        ssh_dir = home / ".ssh"
        ssh_dir.mkdir(mode=0o700)
        (ssh_dir / "authorized_keys").write_text(lab.key.with_suffix(".pub").read_text())
        for path in (ssh_dir, ssh_dir / "authorized_keys"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        allow_also(lab, login_name)
        first_login_then_home(lab, login_name, "cb.hai")
        term = Terminal(lab.ssh_argv(login_name), lab.client_env())
        try:
            term.wait_for_text("Trang chính", limit=30)
            screen = "\n".join(term.screen_lines())
            assert "cb.hai" in screen and "Tên đăng nhập" not in screen
        finally:
            assert term.close() == 0
        # Adding the same Unix name again makes nothing new (it exists: plain link).
        again = treem_as_admin(lab, "users", "add", "cb.ba", "--unix", login_name,
                               "--role", "officer", "--name", "Cán bộ Ba")
        assert again.returncode != 0 and "đã gắn với tài khoản treem cb.hai" in again.stderr
        # An app name that is taken: refused before a Unix account is made.
        taken = treem_as_admin(lab, "users", "add", "cb.hai", "--unix", login_name + "x",
                               "--role", "officer", "--name", "Cán bộ Hai")
        assert taken.returncode != 0 and "Tên đăng nhập cb.hai đã có" in taken.stderr
        assert not unix_accounts_exist(login_name + "x")
        # Locking and unlinking leave the Unix account, and say what to do with it.
        locked = treem_as_admin(lab, "users", "lock", "cb.hai")
        assert locked.returncode == 0, locked.stderr
        assert f"sudo userdel --remove {login_name}" in locked.stdout
        unlinked = treem_as_admin(lab, "users", "unlink", "cb.hai")
        assert unlinked.returncode == 0, unlinked.stderr
        assert f"Tài khoản Unix {login_name} vẫn còn trên máy" in unlinked.stdout
        assert unix_accounts_exist(login_name)
    finally:
        allow_also(lab, None)
        listed = subprocess.run(["ps", "-o", "pid=", "-u", login_name], text=True,
                                capture_output=True, check=False).stdout
        for pid in listed.split():
            with contextlib.suppress(OSError):
                os.kill(int(pid), 9)
        subprocess.run(["userdel", "--force", "--remove", login_name], check=False,
                       capture_output=True)
    assert not unix_accounts_exist(login_name)


def unix_accounts_exist(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def spwd_password(name: str) -> str:
    """The password field of ``name`` in /etc/shadow."""
    for line in Path("/etc/shadow").read_text().splitlines():
        fields = line.split(":")
        if fields[0] == name:
            return fields[1]
    raise KeyError(name)


def allow_also(lab: sshlab.Lab, user: str | None) -> None:
    """Let ``user`` through the lab sshd's AllowUsers too (None: the lab's own only);
    sshd rereads its configuration on SIGHUP."""
    assert lab.sshd is not None
    lab.write_sshd_config()
    if user:
        text = lab.sshd_config.read_text()
        lab.sshd_config.write_text(text.replace("AllowUsers ", f"AllowUsers {user} ", 1))
    lab.sshd.send_signal(signal.SIGHUP)
    subprocess.run(["sleep", "0.5"], check=True)
