"""The append-only, tamper-evident audit log, and the evidence that the data is as the
app wrote it.

Every entry carries ``hash = HMAC-SHA256(key, prev_hash + canonical JSON of the entry)``,
chained to the entry before it, with the register's secret key kept outside the database
(``tui.store.audit_key``); a one-row seal keeps the last id and hash so that removing the
newest entries is noticed too, and the fingerprint of the key. Entries written before the
register had a key (ids below the key's ``start``) keep their unkeyed
``sha256(prev_hash + JSON)``. SQLite triggers refuse UPDATE and DELETE on the table as a
second line.

Each transaction's entries carry the digest of every audited row they touched, as
committed (``row_digest``, see ``tui.store.row_digest``), inside the keyed hash.
``verify`` recomputes the chain, then the digest of every current row of every audited
table, and reports entries edited, deleted or reordered and rows changed, added or
deleted outside the app. ``head_code`` is the short code of the chain's head that an
officer writes on paper; ``verify(since=code)`` proves nothing up to it was rewritten.
Personal data stays in the database: nothing here writes to Python logs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

import peewee

from tui.messages import core as msg
from tui.store import audit_key, row_digest, tenancy
from tui.store.clock import now_iso
from tui.store.database import is_postgres, run_many

__all__ = [
    "GENESIS",
    "HeadNotFound",
    "append",
    "append_many",
    "baseline",
    "chain_communes",
    "count",
    "entries_for",
    "entry_hash",
    "head",
    "head_code",
    "is_keyed",
    "last_entry",
    "normalize_code",
    "recent",
    "verify",
    "verify_since",
]

GENESIS = "0" * 64

_FIELDS = ("id", "at", "user_id", "username", "action", "entity", "record_id", "field",
           "old", "new")


#: The entry's fields (JSON key, name) in the order ``json.dumps(..., sort_keys=True)`` uses.
_SORTED_FIELDS = tuple((f'"{k}":', k) for k in sorted(_FIELDS))
#: The same for a keyed entry, whose hash also covers the digests of the rows it touched.
_SORTED_KEYED_FIELDS = tuple((f'"{k}":', k) for k in sorted((*_FIELDS, "row_digest")))
_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def encode_value(value: Any) -> str | None:
    """Store a field value as canonical JSON text (None stays None)."""
    if value is None:
        return None
    if value.__class__ is str:  # most values: the same text as json.dumps, much cheaper
        return _json_string(value)
    if value.__class__ is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _scalar(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for the values an entry holds."""
    if value.__class__ is str:
        return _json_string(value)
    if value is None:
        return "null"
    if value.__class__ is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(prev_hash: str, row: dict[str, Any],
            key: audit_key.AuditKey | None = None) -> str:
    """sha256 (no key: entries older than the register's key) or HMAC-SHA256 with
    ``key`` of ``prev_hash`` + the entry as compact, key-sorted JSON.

    The JSON is built field by field (the same bytes as ``json.dumps(row,
    ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, which a test checks):
    the hash of every stored entry depends on it. A keyed entry's JSON also holds its
    ``row_digest``.
    """
    if key is None:
        payload = "{" + ",".join([k + _scalar(row[n]) for k, n in _SORTED_FIELDS]) + "}"
        return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()
    payload = "{" + ",".join([k + _scalar(row[n]) for k, n in _SORTED_KEYED_FIELDS]) + "}"
    return key.mac((prev_hash + payload).encode("utf-8"))


def entry_hash(prev_hash: str, row: dict[str, Any], key: audit_key.AuditKey) -> str:
    """The keyed hash of an entry (``row``: its stored values) chained to ``prev_hash``:
    for re-sealing a commune's chain that joins another database with new ids."""
    return _digest(prev_hash, row, key)


def baseline(db: peewee.Database, commune: str) -> list[dict[str, Any]]:
    """Entries that record the digest of every current audited row of ``commune``."""
    return _baseline(db, commune)


def _seal_row(db: peewee.Database, commune: str) -> tuple[int, str, str | None] | None:
    """The seal of ``commune``'s chain (last id, last hash, key fingerprint), or None."""
    return db.execute_sql("SELECT last_id, last_hash, key_id FROM audit_seal "
                          "WHERE commune = ?", (commune,)).fetchone()


def _seal(db: peewee.Database, commune: str | None = None) -> tuple[int, str]:
    row = _seal_row(db, commune or tenancy.stamp(db))
    return (row[0], row[1]) if row else (0, GENESIS)


def _seal_key_id(db: peewee.Database, commune: str | None = None) -> str | None:
    row = _seal_row(db, commune or tenancy.stamp(db))
    return row[2] if row else None


def is_keyed(db: peewee.Database, commune: str | None = None) -> bool:
    """True once the chain (of ``commune``, default the bound one) is sealed with a key
    (every register made or written to by this version)."""
    return _seal_key_id(db, _chain_of(db, commune)) is not None


def _path_text(db: peewee.Database) -> str:
    path = audit_key.key_path(db)
    return str(path) if path is not None else ":memory:"


def _checked_key(db: peewee.Database, key_id: str | None,
                 last_id: int) -> audit_key.AuditKey | None:
    """The register's key, checked against the seal; None for a register not keyed yet.
    Raises ``AuditKeyMissing`` / ``AuditKeyWrong`` / ``AuditKeyUnreadable``."""
    from tui.errors import AuditKeyError, AuditKeyMissing, AuditKeyWrong

    key = audit_key.load_key(db)
    if key_id is None:
        if key is not None and key.start <= last_id:  # keyed entries, the seal lost its key
            raise AuditKeyError(msg.AUDIT_SEAL_KEY_CHANGED, _path_text(db))
        return key
    if key is None:
        raise AuditKeyMissing(_path_text(db))
    if not hmac.compare_digest(key.fingerprint, key_id):
        raise AuditKeyWrong(_path_text(db))
    return key


def _touched(entries: list[dict[str, Any]]) -> dict[int, tuple[str, list[int]]]:
    """For the last entry of each audited entity in ``entries``: that entity and the ids
    of its rows the whole batch touched (an import names its range of ids)."""
    ids: dict[str, set[int]] = {}
    last: dict[str, int] = {}
    for index, entry in enumerate(entries):
        entity = entry.get("entity") or ""
        if row_digest.table_of(entity) is None:
            continue
        new = entry.get("new")
        if (isinstance(new, dict) and entry.get("action") in ("import", "seal")
                and "first_id" in new and "last_id" in new):
            found = range(int(new["first_id"]), int(new["last_id"]) + 1)
        elif entry.get("record_id") is not None:
            found = range(int(entry["record_id"]), int(entry["record_id"]) + 1)
        else:
            continue
        ids.setdefault(entity, set()).update(found)
        last[entity] = index
    return {index: (entity, sorted(ids[entity])) for entity, index in last.items()}


def _row_digests(db: peewee.Database, entity: str, ids: list[int], commune: str) -> str:
    found = row_digest.digests(db, entity, ids, commune=commune)
    return json.dumps({str(i): found.get(i, row_digest.ABSENT) for i in ids},
                      separators=(",", ":"))


def _baseline(db: peewee.Database, commune: str) -> list[dict[str, Any]]:
    """Entries sealing every current audited row: written once, when a register made
    before keys existed gets its key (the keyed chain starts from what is there)."""
    out = []
    for covered in row_digest.TABLES:
        first, last = db.execute_sql(
            f'SELECT min(id), max(id) FROM "{covered.table}" '
            f'WHERE "{covered.commune_column}" = ?', (commune,)).fetchone()
        if first is not None:
            out.append({"action": "seal", "entity": covered.entity, "field": "rows",
                        "new": {"first_id": first, "last_id": last}})
    return out


def append(
    db: peewee.SqliteDatabase,
    *,
    user_id: int | None,
    username: str,
    action: str,
    entity: str = "",
    record_id: int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    chain: str | None = None,
) -> int:
    """Append one entry; call inside ``write_tx`` (the seal is read under the write lock).

    ``old`` and ``new`` are JSON-encoded. Returns the entry id.
    """
    return append_many(db, [{
        "user_id": user_id, "username": username, "action": action, "entity": entity,
        "record_id": record_id, "field": field, "old": old, "new": new,
    }], chain=chain)


def append_many(db: peewee.SqliteDatabase, entries: list[dict[str, Any]], *,
                chain: str | None = None) -> int:
    """Append several entries (keys as ``append``'s arguments) in order; the last id.

    One seal read, one ``executemany`` and one seal write, however many entries: a save
    that changes twenty fields stays cheap. Call inside ``write_tx``.
    """
    commune = chain or tenancy.current(db).commune or tenancy.PROVINCE_CHAIN
    if not entries:
        return _seal(db, commune)[0]
    found = _seal_row(db, commune)
    last_id, last_hash, key_id = found if found else (0, GENESIS, None)
    key = _checked_key(db, key_id, last_id)
    if key_id is None:  # the first write since keys exist: the keyed chain starts here
        if key is None:
            key = audit_key.create_key(db, last_id + 1)
        key_id = key.fingerprint
        entries = [*_baseline(db, commune), *entries]
    touched = _touched(entries)
    at = now_iso()
    values = []
    ids = _next_ids(db, len(entries))
    for index, entry in enumerate(entries):
        last_id = ids[index]
        row = {
            "id": last_id,
            "at": at,
            "user_id": entry.get("user_id"),
            "username": entry.get("username") or "",
            "action": entry["action"],
            "entity": entry.get("entity") or "",
            "record_id": entry.get("record_id"),
            "field": entry.get("field"),
            "old": encode_value(entry.get("old")),
            "new": encode_value(entry.get("new")),
            "row_digest": (_row_digests(db, *touched[index], commune) if index in touched
                           else None),
        }
        digest = _digest(last_hash, row, key)
        values.append((*[row[k] for k in _FIELDS], last_hash, digest, row["row_digest"],
                       commune))
        last_hash = digest
    run_many(
        db, 'INSERT INTO audit_entry (id, at, user_id, username, action, entity, record_id, '
        '"field", old, new, prev_hash, hash, row_digest, commune) '
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values)
    if found is None:
        db.execute_sql("INSERT INTO audit_seal (last_id, last_hash, key_id, commune) "
                       "VALUES (?, ?, ?, ?)", (last_id, last_hash, key_id, commune))
    else:
        db.execute_sql("UPDATE audit_seal SET last_id = ?, last_hash = ?, key_id = ? "
                       "WHERE commune = ?", (last_id, last_hash, key_id, commune))
    return last_id


def _next_ids(db: peewee.Database, n: int) -> list[int]:
    """``n`` new, increasing audit entry ids. The chains of several communes share the
    table, so the ids come from the table (SQLite: one writer at a time holds the file's
    lock) or from its identity sequence (PostgreSQL: communes write at once)."""
    if is_postgres(db):
        return sorted(row[0] for row in db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence('audit_entry', 'id')) "
            "FROM generate_series(1, %s)", (n,)).fetchall())
    top = int(db.execute_sql("SELECT coalesce(max(id), 0) FROM audit_entry").fetchone()[0])
    return list(range(top + 1, top + 1 + n))


def entries_for(db: peewee.SqliteDatabase, entity: str, record_id: int) -> list[dict[str, Any]]:
    """The audit entries of one record, oldest first, values decoded."""
    cursor = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new '
        f"FROM audit_entry WHERE entity = ? AND record_id = ?{tenancy.where(db)} ORDER BY id",
        (entity, record_id, *tenancy.where_params(db)),
    )
    return [_decoded(values) for values in cursor.fetchall()]


def _decoded(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(_FIELDS, values, strict=True))
    for key in ("old", "new"):
        row[key] = json.loads(row[key]) if row[key] is not None else None
    return row


def recent(db: peewee.SqliteDatabase, *, entity: str | None = None,
           record_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The newest ``limit`` entries (of one record when given), oldest first, decoded."""
    where, params = "WHERE 1 = 1", ()
    if entity is not None:
        where, params = "WHERE entity = ? AND record_id = ?", (entity, record_id)
    where += tenancy.where(db)
    params = (*params, *tenancy.where_params(db))
    cursor = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new '
        f"FROM audit_entry {where} ORDER BY id DESC LIMIT ?", (*params, max(1, int(limit))))
    return [_decoded(values) for values in reversed(cursor.fetchall())]


def last_entry(db: peewee.SqliteDatabase, entity: str, record_id: int,
               action: str) -> dict[str, Any] | None:
    """The newest entry of ``action`` on a record, decoded, or None."""
    row = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new '
        "FROM audit_entry WHERE entity = ? AND record_id = ? AND action = ?"
        f"{tenancy.where(db)} ORDER BY id DESC LIMIT 1",
        (entity, record_id, action, *tenancy.where_params(db))).fetchone()
    return _decoded(row) if row else None


def count(db: peewee.SqliteDatabase, commune: str | None = None) -> int:
    """How many entries the log holds (``commune``'s chain when given)."""
    if commune is not None:
        return int(db.execute_sql("SELECT count(*) FROM audit_entry WHERE commune = ?",
                                  (commune,)).fetchone()[0])
    return int(db.execute_sql(f"SELECT count(*) FROM audit_entry WHERE 1 = 1{tenancy.where(db)}",
                              tenancy.where_params(db)).fetchone()[0])


class HeadNotFound(Exception):
    """``verify(since=...)``: the code is not the head of any entry of the chain."""


_CODE_CHARS = 12
_CODE_RE = re.compile(r"^[A-Z2-7]{12}$")


def head_code(entry_hash: str) -> str:
    """The short code of a chain head: the first 60 bits of its hash in base32, as
    ``XXXX-XXXX-XXXX`` (letters A-Z and digits 2-7, easy to copy by hand)."""
    text = base64.b32encode(bytes.fromhex(entry_hash)[:8]).decode("ascii")[:_CODE_CHARS]
    return "-".join(text[i:i + 4] for i in range(0, _CODE_CHARS, 4))


def normalize_code(code: str) -> str | None:
    """``code`` as ``head_code`` writes it (case, spaces, dashes forgiven; ``0``/``1``
    read as ``O``/``I``), or None when it is not a code."""
    text = re.sub(r"[\s\-.]", "", code).upper().replace("0", "O").replace("1", "I")
    if not _CODE_RE.match(text):
        return None
    return "-".join(text[i:i + 4] for i in range(0, _CODE_CHARS, 4))


def head(db: peewee.Database, commune: str | None = None) -> tuple[int, str]:
    """The id of the newest entry and the short code of the chain's head (``commune``'s,
    default the bound one, or the database's one chain)."""
    last_id, last_hash = _seal(db, _chain_of(db, commune))
    return last_id, head_code(last_hash)


def verify(db: peewee.Database, *, since: str | None = None,
           commune: str | None = None) -> list[str]:
    """The problems ``verify_since`` finds (see there)."""
    return verify_since(db, since=since, commune=commune)[0]


def chain_communes(db: peewee.Database) -> list[str]:
    """The communes of the database that have an audit chain (a seal), by code."""
    return [row[0] for row in db.execute_sql(
        "SELECT commune FROM audit_seal ORDER BY commune").fetchall()]


def _chain_of(db: peewee.Database, commune: str | None) -> str:
    """The commune whose chain is meant: ``commune``, else the bound one, else the one
    chain of a database that holds a single commune."""
    if commune is not None:
        return commune
    bound = tenancy.current(db).commune
    if bound is not None:
        return bound
    chains = chain_communes(db)
    if len(chains) == 1:
        return chains[0]
    return tenancy.stamp(db)  # raises: which chain is meant must be said


def verify_since(db: peewee.Database, *, since: str | None = None,
                 commune: str | None = None) -> tuple[list[str], int | None]:
    """Recompute ``commune``'s chain (default: the bound commune), then every audited row
    of that commune; the problems found (Vietnamese), empty when intact; and the id of
    the entry whose head is ``since``. Each commune of a shared database has a chain of
    its own (schema v9): tampering in one commune is reported for that commune only.

    With ``since`` (a ``head_code``), also require an entry whose hash has that code:
    raises ``HeadNotFound`` when there is none (the chain up to it was rewritten). Raises
    ``AuditKeyMissing`` / ``AuditKeyWrong`` / ``AuditKeyUnreadable`` when the chain is
    keyed and its key is not at hand.
    """
    problems: list[str] = []
    commune = _chain_of(db, commune)
    seal_id, seal_hash = _seal(db, commune)
    key = _checked_key(db, _seal_key_id(db, commune), seal_id)
    # With one commune in the database its chain's ids follow each other: a gap is a
    # deletion. With several, the ids of one chain have gaps (other communes' entries).
    from tui.store.settings import communes  # here: settings imports this module

    consecutive = len(communes(db)) <= 1 and len(chain_communes(db)) <= 1
    start = key.start if key is not None else None
    wanted = normalize_code(since) if since is not None else None
    found_since: int | None = None
    recorded: dict[str, dict[int, str]] = {}
    running, last_id = GENESIS, 0
    cursor = db.execute_sql(
        'SELECT id, at, user_id, username, action, entity, record_id, "field", old, new, '
        "prev_hash, hash, row_digest FROM audit_entry WHERE commune = ? ORDER BY id",
        (commune,))
    for values in cursor:
        row = dict(zip(_FIELDS, values[:10], strict=True))
        prev_hash, stored, row["row_digest"] = values[10], values[11], values[12]
        keyed = key if start is not None and row["id"] >= start else None
        if _digest(prev_hash, row, keyed) != stored:
            problems.append(msg.AUDIT_EDITED.format(entry_id=row["id"]))
        gap = row["id"] != last_id + 1
        if prev_hash != running:
            if gap or not consecutive:
                problems.append(msg.AUDIT_DELETED.format(entry_id=row["id"]))
            else:
                problems.append(msg.AUDIT_REORDERED.format(entry_id=row["id"]))
        elif gap and consecutive and keyed is None:
            # an unkeyed chain can be recomputed by anyone: there a gap in the ids is
            # the only trace of a deletion. A keyed entry cannot be re-chained without
            # the key, and a commune's chain taken out of a shared database (issue 13)
            # has gaps where other communes wrote.
            problems.append(msg.AUDIT_DELETED.format(entry_id=row["id"]))
        if row["row_digest"] and keyed is not None:
            into = recorded.setdefault(row["entity"], {})
            for rid, digest in json.loads(row["row_digest"]).items():
                into[int(rid)] = digest
        if wanted is not None and found_since is None and head_code(stored) == wanted:
            found_since = row["id"]
        running, last_id = stored, row["id"]
    if (seal_id, seal_hash) != (last_id, running):
        problems.append(msg.AUDIT_TAIL_DELETED.format(entry_id=seal_id))
    if key is not None and start is not None and start <= last_id:
        problems.extend(_check_rows(db, recorded, commune))
    if since is not None and found_since is None:
        raise HeadNotFound(since)
    return problems, found_since


def _check_rows(db: peewee.Database, recorded: dict[str, dict[int, str]],
                commune: str) -> list[str]:
    """Compare every current row of ``commune`` of every audited table with its last
    recorded digest."""
    problems: list[str] = []
    for covered in row_digest.TABLES:
        current = row_digest.digests(db, covered.entity, commune=commune)
        known = recorded.get(covered.entity, {})
        for rid, digest in current.items():
            expected = known.get(rid)
            if expected is None or expected == row_digest.ABSENT:
                problems.append(msg.AUDIT_ROW_ADDED.format(table=covered.table, record_id=rid))
            elif expected != digest:
                problems.append(msg.AUDIT_ROW_CHANGED.format(table=covered.table,
                                                             record_id=rid))
        for rid, expected in known.items():
            if expected != row_digest.ABSENT and rid not in current:
                problems.append(msg.AUDIT_ROW_DELETED.format(table=covered.table,
                                                             record_id=rid))
    return problems
