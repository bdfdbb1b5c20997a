"""A throw-away PostgreSQL cluster for the tests: private directory, private unix socket.

``cluster()`` starts one per test session (initdb + pg_ctl as the ``postgres`` user when
run as root; no TCP port is opened) and ``fresh_url()`` gives each test an empty database
of its own. When the PostgreSQL binaries are absent or the cluster cannot start, the
reason is returned so that the tests skip with it printed, never silently.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["Cluster", "start_cluster"]

_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
             "/usr/lib/postgresql/17/bin")


def _binary(name: str) -> str | None:
    for folder in _BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


class Cluster:
    """A running cluster in ``root``; ``socket_dir`` is its only way in."""

    def __init__(self, root: Path, pg_ctl: str, as_postgres: list[str]) -> None:
        self.root = root
        self.socket_dir = root / "socket"
        self._pg_ctl = pg_ctl
        self._as = as_postgres
        self._names = itertools.count(1)

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this cluster."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def fresh_url(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the database at URL ``template`` (which
        nobody may be connected to); its URL."""
        import psycopg2

        name = f"treem_test_{os.getpid()}_{next(self._names)}"
        copy = ""
        if template is not None:
            copy = f' TEMPLATE "{template.split("?")[0].rsplit("/", 1)[1]}"'
        conn = psycopg2.connect(self.url())
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"{copy}')
        finally:
            conn.close()
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run([*self._as, self._pg_ctl, "-D", str(self.root / "data"), "-m",
                            "immediate", "stop"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(*, max_connections: int = 200,
                  settings: dict[str, str] | None = None) -> Cluster | str:
    """A running cluster, or the reason it could not be started (``max_connections``: the
    server's limit; the load benchmark needs more than the tests; ``settings``: more
    server settings, name to value, for the benchmarks)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        return "PostgreSQL binaries (initdb, pg_ctl) not found"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed"
    as_postgres: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="treem-pg-"))
    if os.geteuid() == 0:  # the server refuses to run as root
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    os.chmod(root, 0o700)
    (root / "socket").mkdir()
    if as_postgres:
        shutil.chown(root / "socket", "postgres")
    data = root / "data"
    try:
        subprocess.run([*as_postgres, initdb, "-D", str(data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       capture_output=True, timeout=180, check=True)
        subprocess.run([*as_postgres, pg_ctl, "-D", str(data), "-w", "-l",
                        str(root / "log"), "-o",
                        f"-k {root / 'socket'} -c listen_addresses='' -c fsync=off "
                        f"-c max_connections={int(max_connections)}"
                        + "".join(f" -c {k}={v}" for k, v in (settings or {}).items()),
                        "start"],
                       capture_output=True, timeout=180, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        return f"PostgreSQL cluster could not start: {exc} {detail.decode(errors='replace')}"
    return Cluster(root, pg_ctl, as_postgres)


#: The role the app logs in as in the row-level security tests: it owns its database
#: and tables but is no superuser (a superuser passes every policy).
APP_ROLE = "treem_app"


def owned_by_app(url: str) -> str:
    """The empty database at ``url`` (a superuser's URL of this cluster) handed to
    :data:`APP_ROLE`; the URL to log in as that role."""
    import psycopg2

    database = url.split("?")[0].rsplit("/", 1)[1]
    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,))
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
            cursor.execute(f'ALTER DATABASE "{database}" OWNER TO {APP_ROLE}')
            cursor.execute(f"ALTER SCHEMA public OWNER TO {APP_ROLE}")
    finally:
        conn.close()
    return url.replace("postgresql://postgres@", f"postgresql://{APP_ROLE}@", 1)
