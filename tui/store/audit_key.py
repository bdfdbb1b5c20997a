"""The secret key of a register's audit chain, kept outside the database.

The chain of ``tui.store.audit`` is an HMAC-SHA256 chain: someone who can write the
database file but does not hold this key cannot re-seal entries they edited. The key is
a file of its own, created ``0600`` (exclusive create, never overwritten):

- SQLite: beside the register, ``<register>.key`` (``treem.db`` -> ``treem.db.key``);
- PostgreSQL: the file named by ``TREEM_AUDIT_KEY``, else
  ``<TREEM_AUDIT_KEY_DIR or ~/.config/treem/audit-keys>/<host>_<port>_<database>.key``.

The file holds JSON ``{"key": hex, "from": N}``: ``from`` is the id of the first keyed
entry (1 for a register made with a key; the next id for a register made before keys
existed, whose older entries keep their unkeyed sha256 chain). Keeping ``from`` in the
key file, not in the database, stops someone without the key from moving the start of
the keyed part.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import attrs
import peewee

from exports.private_dirs import make_private_dirs

__all__ = ["AuditKey", "create_key", "install_key", "key_path", "key_path_for", "load_key"]

KEY_BYTES = 32
ENV_KEY = "TREEM_AUDIT_KEY"
ENV_KEY_DIR = "TREEM_AUDIT_KEY_DIR"

_memory_keys: dict[int, AuditKey] = {}  # in-memory SQLite databases: the key lives here
_loaded: dict[Path, tuple[tuple[int, int, int], AuditKey]] = {}  # path -> (stat, key)
_lock = threading.Lock()


@attrs.frozen
class AuditKey:
    """A register's chain key and the first entry id it seals."""

    secret: bytes = attrs.field(repr=False)
    start: int
    _mac: hmac.HMAC = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # keyed once: each entry's HMAC is a copy of this (no re-keying per entry)
        object.__setattr__(self, "_mac", hmac.new(self.secret, digestmod=hashlib.sha256))

    def mac(self, data: bytes) -> str:
        """HMAC-SHA256 of ``data`` under this key, hex."""
        mac = self._mac.copy()
        mac.update(data)
        return mac.hexdigest()

    @property
    def fingerprint(self) -> str:
        """What the database keeps to know which key sealed it (not the key)."""
        return hashlib.sha256(b"treem-audit-key:" + self.secret).hexdigest()[:16]


def key_path(db: peewee.Database) -> Path | None:
    """Where the key of ``db`` lives; None for an in-memory database."""
    params = getattr(db, "connect_params", {}) or {}
    return key_path_for(str(params.get("dsn") or db.database))


def key_path_for(register: str) -> Path | None:
    """Where the key of the register at ``register`` (a file or a ``postgresql://`` URL,
    what ``open_db`` takes) lives; None for an in-memory database."""
    from tui.store.postgres import is_url

    if is_url(register):
        named = os.environ.get(ENV_KEY)
        if named:
            return Path(named)
        parts = urlparse(register)
        name = (f"{parts.hostname or 'local'}_{parts.port or 5432}_"
                f"{parts.path.lstrip('/').split('?')[0]}")
        folder = os.environ.get(ENV_KEY_DIR) or str(
            Path.home() / ".config" / "treem" / "audit-keys")
        return Path(folder) / f"{_safe_name(name)}.key"
    if register in ("", ":memory:") or register.startswith("file::memory:"):
        return None
    if register.startswith("file:"):  # an SQLite URI (e.g. opened read-only, immutable)
        parts = urlparse(register)
        if "mode=memory" in parts.query:
            return None
        return Path(unquote(parts.path) + ".key")
    return Path(register + ".key")


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def load_key(db: peewee.Database) -> AuditKey | None:
    """The key of ``db``, or None when there is no key file.

    Raises ``AuditKeyUnreadable`` for a file that exists but cannot be read or parsed.
    """
    from tui.errors import AuditKeyUnreadable

    path = key_path(db)
    if path is None:
        return _memory_keys.get(id(db))
    try:
        seen = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AuditKeyUnreadable(str(path)) from exc
    stamp = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
    cached = _loaded.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]  # every save reads the key: only a changed file is read again
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AuditKeyUnreadable(str(path)) from exc
    try:
        data = json.loads(text)
        key = AuditKey(bytes.fromhex(data["key"]), int(data["from"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AuditKeyUnreadable(str(path)) from exc
    _loaded[path] = (stamp, key)
    return key


def _write_private(path: Path, key: AuditKey, *, exclusive: bool) -> None:
    """Write ``key`` to ``path`` 0600 and flushed; ``exclusive``: fail if it exists."""
    make_private_dirs(path.parent)
    payload = json.dumps({"key": key.secret.hex(), "from": key.start}).encode("ascii")
    target = path if exclusive else path.with_name(path.name + ".new")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(target, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    if not exclusive:
        os.replace(target, path)


def install_key(register: str, key: AuditKey, *, replace_unused: bool = False) -> None:
    """Give the register at ``register`` (a file or URL, as ``open_db`` takes) the key
    ``key``: a register moved elsewhere keeps the chain its entries were sealed with.

    An existing key file holding the same key is left as it is. A different one is
    replaced only with ``replace_unused`` (the caller knows that register has sealed
    nothing with it); otherwise ``FileExistsError``.
    """
    path = key_path_for(register)
    if path is None:
        raise ValueError("an in-memory register keeps its key in memory")
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _write_private(path, key, exclusive=True)
        return
    try:
        data = json.loads(current)
        same = (bytes.fromhex(data["key"]), int(data["from"])) == (key.secret, key.start)
    except (ValueError, KeyError, TypeError):
        same = False
    if same:
        return
    if not replace_unused:
        raise FileExistsError(str(path))
    _write_private(path, key, exclusive=False)
    _loaded.pop(path, None)


def create_key(db: peewee.Database, start: int) -> AuditKey:
    """Make a new key for ``db`` sealing entries from id ``start`` on: the file is
    created ``0600`` and exclusively (an existing key is never replaced)."""
    key = AuditKey(secrets.token_bytes(KEY_BYTES), start)
    path = key_path(db)
    if path is None:
        with _lock:
            return _memory_keys.setdefault(id(db), key)
    _write_private(path, key, exclusive=True)
    return key
