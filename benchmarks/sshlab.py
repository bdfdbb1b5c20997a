"""A throw-away SSH server for treem on 127.0.0.1, built with ``treem server setup``.

Used by ``tests/test_ssh_server.py`` and the SSH benchmarks (``bench_ssh.py``,
``bench_room.py``). As root, it:

- installs openssh-server from the distribution's packages when ``sshd`` is missing (as
  ``.ci/run`` does), or says why it cannot (:class:`Unavailable`);
- creates a group and throw-away officer accounts (key login only), removed by
  :meth:`Lab.close`;
- runs ``treem server setup`` *verbatim* with everything under a temporary folder
  (venv, data, sshd drop-in, socket), from this checkout;
- starts sshd on a private port of 127.0.0.1 with a main configuration that includes the
  drop-in (as Debian's ``/etc/ssh/sshd_config`` does), and the resident server.

Nothing listens beyond 127.0.0.1; nothing outside the temporary folder is left behind.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SSHD = "/usr/sbin/sshd"
ADMIN_PASSWORD = "Mk-thu-2026!"  # synthetic, for the throw-away register only
NEW_PASSWORD = "Mk-moi-2026!"


class Unavailable(Exception):
    """sshd cannot be installed or started here (the reason is the message)."""


def ensure_sshd() -> None:
    """Install openssh-server if missing (root, apt-get); Unavailable if impossible."""
    if os.geteuid() != 0:
        raise Unavailable("needs root (throw-away accounts, sshd)")
    if not Path(SSHD).exists() or subprocess.run(
            ["/usr/bin/python3", "-c", "import ensurepip"], capture_output=True,
            check=False).returncode != 0:
        if shutil.which("apt-get") is None:
            raise Unavailable("sshd is not installed and apt-get is missing")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = subprocess.run(
            "apt-get update -q && apt-get install -y -q --no-install-recommends "
            "openssh-server openssh-client python3-venv", shell=True, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        ).returncode == 0
        if not ok or not Path(SSHD).exists():
            raise Unavailable("openssh-server or python3-venv could not be installed")
    if shutil.which("ssh") is None:
        raise Unavailable("the ssh client is missing")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    """The server: ``Lab(users=2)``, then :meth:`setup`, :meth:`start`, :meth:`close`."""

    def __init__(self, users: int = 2, tag: str = "ci", mode: str = "resident", *,
                 demo: bool = False, editor: bool = False) -> None:
        ensure_sshd()
        self.base = Path(tempfile.mkdtemp(prefix="treem-sshlab-"))
        os.chmod(self.base, 0o755)
        self.tag = f"treem{tag}{os.getpid() % 10000}"
        self.group = self.tag
        self.users = [f"{self.tag}u{i}" for i in range(1, users + 1)]
        # An account outside the officers' group gets a shell (vim, nano for comparison).
        self.editor = f"{self.tag}ed" if editor else None
        self.demo = demo
        self.mode = mode
        self.port = free_port()
        self.prefix = self.base / "opt"
        self.data = self.base / "srv"
        self.sshd_dir = self.base / "sshd_config.d"
        self.sshd_config = self.base / "sshd_config"
        self.socket = self.base / "run" / "treem.sock"
        self.key = self.base / "client_key"
        self.sshd: subprocess.Popen[bytes] | None = None
        self.resident: subprocess.Popen[bytes] | None = None
        self.setup_output = ""
        self._made_accounts = False
        self._make_accounts()

    # --- accounts -----------------------------------------------------------------------
    def _make_accounts(self) -> None:
        subprocess.run(["groupadd", self.group], check=True)
        self._made_accounts = True
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.key)],
                       check=True, stdin=subprocess.DEVNULL)
        public = (self.key.with_suffix(".pub")).read_text()
        for user in self.all_users:
            home = self.base / "home" / user
            groups = ["-G", self.group] if user != self.editor else []
            subprocess.run(["useradd", "-m", "-d", str(home), *groups,
                            "-s", "/bin/sh", user], check=True)
            subprocess.run(["usermod", "-p", "*", user], check=True)  # no password, not locked
            ssh_dir = home / ".ssh"
            ssh_dir.mkdir(mode=0o700)
            (ssh_dir / "authorized_keys").write_text(public)
            pw = pwd.getpwnam(user)
            for path in (ssh_dir, ssh_dir / "authorized_keys"):
                os.chown(path, pw.pw_uid, pw.pw_gid)
            os.chmod(ssh_dir / "authorized_keys", 0o600)
        (self.base / "home").chmod(0o755)

    @property
    def all_users(self) -> list[str]:
        return self.users + ([self.editor] if self.editor else [])

    # --- treem server setup ---------------------------------------------------------------
    def setup_command(self) -> list[str]:
        """``treem server setup`` as the administrator types it, pointed at the lab."""
        return ["/usr/bin/python3", "-m", "tui.cli", "server", "setup",
                "--prefix", str(self.prefix), "--data", str(self.data),
                "--group", self.group, *(["--demo"] if self.demo else ["--commune", "03808"]),
                "--from", str(ROOT),
                "--sshd-dir", str(self.sshd_dir), "--sshd-config", str(self.sshd_config),
                "--socket", str(self.socket), "--mode", self.mode,
                "--unit-dir", str(self.base / "systemd"),
                "--sshd-pid", str(self.base / "sshd.pid")]

    def write_sshd_config(self, extra: str = "") -> None:
        """The main configuration: includes the drop-in first, as Debian's does."""
        host_key = self.base / "host_key"
        if not host_key.exists():
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            str(host_key)], check=True, stdin=subprocess.DEVNULL)
        self.sshd_dir.mkdir(exist_ok=True)
        self.sshd_config.write_text(
            f"Include {self.sshd_dir}/*.conf\n"
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
            f"PidFile {self.base / 'sshd.pid'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
            "PermitRootLogin no\nAuthorizedKeysFile .ssh/authorized_keys\n"
            f"AllowUsers {' '.join(self.all_users)}\nLogLevel VERBOSE\n{extra}"
        )

    def setup(self) -> str:
        """Run the setup; its output (raises CalledProcessError with it on failure)."""
        self.write_sshd_config()
        # As docs/ssh.md says: from the checkout, with the system Python, nothing installed.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL"))}
        env["TREEM_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        result = subprocess.run(self.setup_command(), cwd=ROOT, env=env, text=True,
                                capture_output=True, stdin=subprocess.DEVNULL, check=False)
        self.setup_output = result.stdout + result.stderr
        if result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, result.args,
                                                self.setup_output)
        return self.setup_output

    # --- servers ------------------------------------------------------------------------
    def start_sshd(self, wrap: list[str] | None = None, config: Path | None = None,
                   address: str = "127.0.0.1") -> subprocess.Popen[bytes]:
        """Start sshd (``wrap``: e.g. ``ip netns exec NS``); wait until it answers."""
        log = open(self.base / "sshd.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen([*(wrap or []), SSHD, "-D", "-e", "-f",
                                 str(config or self.sshd_config)], stdout=log, stderr=log)
        if wrap is None:
            self.sshd = proc
        probe = [*(wrap or []), sys.executable, "-c",
                 "import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])),"
                 " timeout=0.5)", address, str(self.port)]
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
                return proc
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        raise Unavailable("sshd did not start: "
                          + (self.base / "sshd.log").read_text(errors="replace")[-800:])

    def start_resident(self) -> None:
        log = open(self.base / "resident.log", "ab")  # noqa: SIM115
        self.resident = subprocess.Popen(
            [str(self.prefix / "bin" / "treem"), "server", "run", "--db",
             str(self.data / "register.db"), "--socket", str(self.socket),
             "--group", self.group], stdout=log, stderr=log)
        end = time.monotonic() + 20
        while time.monotonic() < end and not self.socket.exists():
            if self.resident.poll() is not None:
                break
            time.sleep(0.05)
        if not self.socket.exists():
            raise RuntimeError("resident server did not start: "
                               + (self.base / "resident.log").read_text(errors="replace"))

    def stop_resident(self) -> None:
        if self.resident is not None:
            self.resident.terminate()
            self.resident.wait(timeout=10)
            self.resident = None

    def ssh_argv(self, user: str, *, compress: bool = False, host: str = "127.0.0.1",
                 port: int | None = None) -> list[str]:
        """The client command line: ``ssh -tt`` with the lab's key, no known-hosts file."""
        argv = ["ssh", "-tt", "-i", str(self.key), "-p", str(port or self.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
                "-o", f"Compression={'yes' if compress else 'no'}"]
        return [*argv, f"{user}@{host}"]

    def client_env(self) -> dict[str, str]:
        return dict(os.environ, TERM="xterm", LANG="C.UTF-8")

    def close(self) -> None:
        """Stop the servers, remove the accounts, the group and the folder."""
        self.stop_resident()
        if self.sshd is not None:
            self.sshd.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.sshd.wait(timeout=10)
        if self._made_accounts:
            for user in self.all_users:
                listed = subprocess.run(["ps", "-o", "pid=", "-u", user], text=True,
                                        capture_output=True, check=False).stdout
                for pid in listed.split():
                    with contextlib.suppress(OSError):
                        os.kill(int(pid), 9)
                subprocess.run(["userdel", "-f", user], check=False,
                               stderr=subprocess.DEVNULL)
            subprocess.run(["groupdel", self.group], check=False, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.base, ignore_errors=True)
