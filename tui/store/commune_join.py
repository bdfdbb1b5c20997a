"""A commune's own register joining a database that already holds other communes.

Ids are unique in the whole database and every commune's file starts at 1, so the rows
cannot keep their ids: each row gets a new id from the target table's identity, and every
foreign key (read from the source's own catalogue, as ``tui.store.register_copy`` reads
it) follows its parent's new id. The audit entries name records by id and hash their
ids, so the commune's chain is sealed again on arrival: every entry keeps its order,
time, person, action and values, with the new ids, chained with the target's key; then
one entry records where the commune came from (the file's last head code and entry
count: the file, kept, still proves its own history) and the digest of every row as it
arrived. All of it is one transaction under the commune's write lock, checked with
``audit.verify`` before the commit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs
import peewee

from tui.store import audit, audit_key, register_copy
from tui.store.database import write_tx
from tui.store.register_copy import TableShape

__all__ = ["JOIN_SKIPPED", "JoinResult", "accounts_of", "join_commune", "joined_entries",
           "lock_province_accounts", "usernames"]

#: Tables of the source not moved: the database's own (login delays) and the seal
#: (remade from the re-sealed chain).
JOIN_SKIPPED = frozenset({"login_delay", "audit_seal"})
#: Audit entities whose ``record_id`` names a row of another table than their name.
_ENTITY_TABLES = {"recheck": "child"}


@attrs.frozen
class JoinResult:
    """Rows moved per table."""

    tables: tuple[tuple[str, int], ...]


def _rows(db: peewee.Database, shape: TableShape) -> list[list[Any]]:
    cols = ", ".join(f'"{c}"' for c in shape.columns)
    order = '"id"' if "id" in shape.columns else cols
    return [list(r) for r in db.execute_sql(
        f'SELECT {cols} FROM "{shape.name}" ORDER BY {order}').fetchall()]


def _new_ids(db: peewee.Database, table: str, n: int) -> list[int]:
    if n == 0:
        return []
    return sorted(r[0] for r in db.execute_sql(
        f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) "
        "FROM generate_series(1, %s)", (n,)).fetchall())


def _insert(db: peewee.Database, table: str, columns: Sequence[str],
            rows: list[list[Any]]) -> None:
    from psycopg2.extras import execute_values

    db.execute_sql("SELECT 1")  # binds the transaction (row-level security)
    cols = ", ".join(f'"{c}"' for c in columns)
    for start in range(0, len(rows), register_copy.BATCH_ROWS):
        execute_values(db.cursor(), f'INSERT INTO "{table}" ({cols}) VALUES %s',
                       rows[start:start + register_copy.BATCH_ROWS])


def join_commune(source: peewee.Database, target: peewee.Database, commune: str
                 ) -> JoinResult:
    """Move every row of the one-commune register ``source`` into ``target`` (a
    PostgreSQL database of other communes, bound to ``commune`` by the caller) with new
    ids; re-seal the commune's chain with the target's key. Raises ``ValueError`` with the
    problems when the result does not verify (everything rolled back)."""
    shapes = [s for s in register_copy.shapes(source) if s.name not in JOIN_SKIPPED]
    # the log last: its entries name rows of every table by their new ids
    shapes.sort(key=lambda s: s.name == "audit_entry")
    keys = {s.name: {k.column: k.dest_table for k in source.get_foreign_keys(s.name)}
            for s in shapes}
    moved: dict[str, dict[int, int]] = {}
    counts = []
    key = audit_key.load_key(target)
    if key is None:
        raise ValueError("the target database has no audit key")
    with write_tx(target):
        for shape in shapes:
            rows = _rows(source, shape)
            counts.append((shape.name, len(rows)))
            cols = list(shape.columns)
            if "id" in cols:
                at = cols.index("id")
                ids = _new_ids(target, shape.name, len(rows))
                moved[shape.name] = {row[at]: new for row, new in zip(rows, ids, strict=True)}
            if shape.name == "audit_entry":
                rows = _resealed(rows, cols, moved, key, commune)
            else:
                later = _remap(rows, cols, keys[shape.name], moved, shape)
            _insert(target, shape.name, cols, rows)
            if shape.name != "audit_entry":
                for column, pairs in later.items():
                    target.cursor().executemany(
                        f'UPDATE "{shape.name}" SET "{column}" = %s WHERE "id" = %s', pairs)
        last_id, last_hash = _last_of(target, commune)
        target.execute_sql("INSERT INTO audit_seal (last_id, last_hash, key_id, commune) "
                           "VALUES (%s, %s, %s, %s)",
                           (last_id, last_hash, key.fingerprint, commune))
        head = _source_head(source)
        audit.append_many(target, [
            *audit.baseline(target, commune),
            {"action": "join", "entity": "setting", "field": "source",
             "new": {"head": head[1], "entries": head[0]}}], chain=commune)
        problems = audit.verify(target, commune=commune)
        if problems:
            raise ValueError("; ".join(problems))
    return JoinResult(tuple(counts))


def _remap(rows: list[list[Any]], cols: list[str], foreign: dict[str, str],
           moved: dict[str, dict[int, int]], shape: TableShape
           ) -> dict[str, list[tuple[int, int]]]:
    """Rewrite ids and foreign keys of ``rows`` in place; the self-references to write
    once every row of the table is in (column -> (value, id) pairs)."""
    later: dict[str, list[tuple[int, int]]] = {c: [] for c in shape.self_references}
    id_at = cols.index("id") if "id" in cols else -1
    for row in rows:
        new_id = moved[shape.name][row[id_at]] if id_at >= 0 else None
        for column, dest in foreign.items():
            at = cols.index(column)
            if row[at] is None:
                continue
            value = moved[dest][row[at]]
            if column in later:
                later[column].append((value, new_id))  # type: ignore[arg-type]
                value = None
            row[at] = value
        if id_at >= 0:
            row[id_at] = new_id
    return later


def _resealed(rows: list[list[Any]], cols: list[str], moved: dict[str, dict[int, int]],
              key: audit_key.AuditKey, commune: str) -> list[list[Any]]:
    """The commune's entries with the new ids, chained again under ``key``."""
    out = []
    running = audit.GENESIS
    for values in rows:
        row = dict(zip(cols, values, strict=True))
        row["id"] = moved["audit_entry"][row["id"]]
        if row["user_id"] is not None:
            row["user_id"] = moved["user"][row["user_id"]]
        table = _ENTITY_TABLES.get(row["entity"], row["entity"])
        if row["record_id"] is not None and table in moved:
            row["record_id"] = moved[table].get(row["record_id"], row["record_id"])
        if row["row_digest"]:
            found = json.loads(row["row_digest"])
            ids = moved.get(row["entity"], {})
            row["row_digest"] = json.dumps({str(ids.get(int(k), int(k))): v
                                            for k, v in found.items()},
                                           separators=(",", ":"))
        row["prev_hash"] = running
        row["hash"] = running = audit.entry_hash(running, row, key)
        row["commune"] = commune
        out.append([row[c] for c in cols])
    return out


def accounts_of(db: peewee.Database, commune: str) -> int:
    """How many accounts belong to ``commune``."""
    return int(db.execute_sql('SELECT count(*) FROM "user" WHERE commune = ?',
                              (commune,)).fetchone()[0])


def usernames(db: peewee.Database) -> set[str]:
    """Every account name of the database (unique in it)."""
    return {row[0] for row in db.execute_sql('SELECT username FROM "user"').fetchall()}


def joined_entries(db: peewee.Database, commune: str) -> int:
    """How many entries ``commune``'s file had when it joined (its join entry says); -1
    when it did not join."""
    row = db.execute_sql("SELECT new FROM audit_entry WHERE commune = ? AND action = 'join' "
                         "ORDER BY id LIMIT 1", (commune,)).fetchone()
    return int(json.loads(row[0])["entries"]) if row else -1


def lock_province_accounts(db: peewee.Database) -> None:
    """Lock the province's accounts of a commune's file taken out of a province database
    (no password, no Unix login): the log names them, nobody logs in as them there."""
    with write_tx(db):
        db.execute_sql('UPDATE "user" SET password_hash = ?, disabled = 1, '
                       "unix_login = NULL WHERE commune IS NULL", ("!",))


def _last_of(db: peewee.Database, commune: str) -> tuple[int, str]:
    row = db.execute_sql("SELECT id, hash FROM audit_entry WHERE commune = %s "
                         "ORDER BY id DESC LIMIT 1", (commune,)).fetchone()
    return (row[0], row[1]) if row else (0, audit.GENESIS)


def _source_head(db: peewee.Database) -> tuple[int, str]:
    row = db.execute_sql("SELECT count(*) FROM audit_entry").fetchone()
    return int(row[0]), audit.head(db)[1]
