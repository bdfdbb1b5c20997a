"""The digest of a register row as the app wrote it, for the tables the audit log covers.

Each audited change carries the digest of every row it touched (``tui.store.audit``);
``audit.verify`` recomputes the digest of every current row and compares. One definition
per table, here: which columns say what the record *is* (a record's own circumstances,
supports, caregivers and villages belong to it). Columns the app derives or changes
without an audit entry (the folded search name, stored rule issues, ``updated_at``, the
copied village name, login counters) are left out, so that only a change of substance
outside the app is reported.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import attrs
import peewee

from tui.store.tenancy import PROVINCE_CHAIN

__all__ = ["ABSENT", "TABLES", "digests", "table_of"]

#: The digest stored for a row that the change deleted.
ABSENT = ""
_CHUNK = 500


@attrs.frozen
class Covered:
    """One audited table: its entity name in the log, the SQL table, its own columns and
    the child tables (``table``, foreign key, columns) folded into its digest."""

    entity: str
    table: str
    columns: tuple[str, ...]
    parts: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    commune_column: str = "commune"  # schema v9: the column naming the row's commune


TABLES: tuple[Covered, ...] = (
    Covered("child", "child", (
        "household_id", "village_id", "personal_id", "full_name", "sex", "birth_date",
        "ethnicity", "nationality", "current_address", "address_detail", "schooling",
        "commune_code", "province_code", "caregiver_id", "father_name", "mother_name",
        "caregiver_name", "death_date", "state", "merged_into"), (
        ("child_circumstance", "child_id", ("code", "start_date", "end_date", "note")),
        ("support", "child_id", ("form", "date", "note")))),
    Covered("household", "household", ("book_number", "village_id", "address", "poverty"), (
        ("caregiver", "household_id", ("personal_id", "full_name", "relation")),)),
    Covered("user", "user", ("username", "full_name", "role", "password_hash", "disabled",
                             "unix_login"), (
        ("user_village", "user_id", ("village_id",)),)),
    Covered("village", "village", ("commune_code", "name", "active"),
            commune_column="commune_code"),
)

_BY_ENTITY = {t.entity: t for t in TABLES}


def table_of(entity: str) -> Covered | None:
    """The covered table logged as ``entity``, or None."""
    return _BY_ENTITY.get(entity)


def _digest(values: Iterable[Any]) -> str:
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _select(db: peewee.Database, sql: str, ids: list[int] | None,
            commune: tuple[str, str] | None = None) -> Iterable[tuple[Any, ...]]:
    if ids is None:
        if commune is None:
            yield from db.execute_sql(sql + " ORDER BY 1").fetchall()
        else:
            here, also = _of_commune(*commune)
            yield from db.execute_sql(f"{sql} WHERE 1 = 1{here} ORDER BY 1",
                                      also).fetchall()
        return
    here, also = _of_commune(*commune) if commune else ("", ())
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from db.execute_sql(
            f"{sql} WHERE {sql_key(sql)} IN ({marks}){here} ORDER BY 1",
            (*chunk, *also)).fetchall()


def _of_commune(column: str, commune: str) -> tuple[str, tuple[str, ...]]:
    """The condition on rows of ``commune`` (the province's chain: rows of no commune,
    the province accounts)."""
    if commune == PROVINCE_CHAIN:
        return f' AND "{column}" IS NULL', ()
    return f' AND "{column}" = ?', (commune,)


def sql_key(sql: str) -> str:
    """The first selected column of ``sql`` (its key)."""
    return sql.split()[1].rstrip(",")


def digests(db: peewee.Database, entity: str, ids: Iterable[int] | None = None, *,
            commune: str | None = None) -> dict[int, str]:
    """The digest of each row of ``entity``'s table (only ``ids`` when given, only the
    rows of ``commune`` when given); rows that do not exist are absent from the
    result."""
    covered = _BY_ENTITY[entity]
    wanted = sorted(set(ids)) if ids is not None else None
    if wanted == []:
        return {}
    cols = ", ".join(f'"{c}"' for c in covered.columns)
    rows = {r[0]: list(r[1:]) for r in _select(
        db, f'SELECT id, {cols} FROM "{covered.table}"', wanted,
        (covered.commune_column, commune) if commune is not None else None)}
    for table, key, columns in covered.parts:
        found: dict[int, list[list[Any]]] = defaultdict(list)
        part_cols = ", ".join(f'"{c}"' for c in columns)
        for r in _select(db, f'SELECT "{key}", {part_cols} FROM "{table}"', wanted,
                         ("commune", commune) if commune is not None else None):
            found[r[0]].append(list(r[1:]))
        for rid, items in found.items():
            if rid in rows:
                rows[rid].append(sorted(items, key=lambda item: json.dumps(item, default=str)))
        for rid, values in rows.items():
            if rid not in found:
                values.append([])
    return {rid: _digest(values) for rid, values in rows.items()}
