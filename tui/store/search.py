"""Finding children by a name prefix, an ID number prefix, a household book or a village.

Each way of matching is one index-backed condition; a page is a range scan of the folded
name (or ID number) index, and the count of a short prefix comes from the per-prefix
tables kept by triggers (migration 3) instead of a scan. These are the hottest queries of
the app (every key typed in the search screen), so they are written by hand, here only.
"""

from __future__ import annotations

from typing import Any

import attrs
import peewee

from libchild.text.fold import fold
from tui.store import tenancy
from tui.store.children import living_sql

__all__ = ["SearchHit", "count", "page"]

_LIVING = living_sql("c")


@attrs.frozen
class SearchHit:
    """One child found (``state`` as stored: a ``tui.domain.RecordState`` value). Made
    once per row, straight from the cursor: a page is the hottest read of the app."""

    id: int
    full_name: str
    birth_date: str | None
    sex: str | None
    personal_id: str | None
    village: str | None
    village_id: int | None
    state: str
    household_id: int | None
    version: int


_SELECT = ("SELECT c.id, c.full_name, c.birth_date, c.sex, c.personal_id, c.village, "
           "c.village_id, c.state, c.household_id, c.version FROM child AS c ")


def _upper(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix + "\U0010ffff"


def _parts(db: peewee.Database, text: str, villages: frozenset[int] | None
           ) -> list[tuple[str, tuple[Any, ...]]]:
    """(WHERE clause, params) of each way ``text`` can match, each index-backed."""
    raw = " ".join(text.split())
    if not raw:
        return []
    # the commune first: the name and ID indexes lead with it (schema v9)
    scope_sql = tenancy.where(db, "c")
    scope_params: tuple[Any, ...] = tenancy.where_params(db)
    if villages is not None:
        ids = sorted(villages) or [-1]
        scope_sql += f" AND c.village_id IN ({', '.join('?' for _ in ids)})"
        scope_params = (*scope_params, *ids)
    parts: list[tuple[str, tuple[Any, ...]]] = []
    digits = raw.replace(" ", "").replace(".", "").replace("-", "")
    if digits.isdigit():
        parts.append((f"c.personal_id >= ? AND c.personal_id < ? AND {_LIVING}" + scope_sql,
                      (digits, _upper(digits), *scope_params)))
    else:
        key = fold(raw)
        if key:
            parts.append((f"c.name_folded >= ? AND c.name_folded < ? AND {_LIVING}"
                          + scope_sql, (key, _upper(key), *scope_params)))
        village = db.execute_sql(
            "SELECT id FROM village WHERE name_folded = ?"
            f"{tenancy.where(db, column='commune_code')}",
            (key, *tenancy.where_params(db))).fetchone() if key else None
        if village is not None:
            parts.append((f"c.village_id = ? AND {_LIVING}" + scope_sql,
                          (village[0], *scope_params)))
    book = db.execute_sql(f"SELECT id FROM household WHERE book_number = ?{tenancy.where(db)}",
                          (raw, *tenancy.where_params(db))).fetchone()
    if book is not None:
        parts.append((f"c.household_id = ? AND {_LIVING}" + scope_sql,
                      (book[0], *scope_params)))
    return parts


def page(db: peewee.Database, text: str, *, villages: frozenset[int] | None, limit: int,
         offset: int) -> list[SearchHit]:
    """One page of children matching ``text``, by folded name (ID prefixes: by number)."""
    parts = _parts(db, text, villages)
    if not parts:
        return []
    if len(parts) == 1:
        where, params = parts[0]
        order = "c.personal_id" if where.startswith("c.personal_id") else "c.name_folded"
        sql = _SELECT + f"WHERE {where} ORDER BY {order}, c.id LIMIT ? OFFSET ?"
    else:
        union = " UNION ".join(f"SELECT c.id FROM child AS c WHERE {w}" for w, _ in parts)
        params = tuple(p for _, ps in parts for p in ps)
        sql = _SELECT + f"WHERE c.id IN ({union}) ORDER BY c.name_folded, c.id LIMIT ? OFFSET ?"
    rows = db.execute_sql(sql, (*params, int(limit), int(offset))).fetchall()
    return [SearchHit(*row) for row in rows]


def count(db: peewee.Database, text: str, *, villages: frozenset[int] | None) -> int:
    """How many children :func:`page` would list over all pages.

    A name prefix of at most two words (the common, broad case: "nguyen", "lo thi") and
    an ID prefix of at most six digits are answered from the per-prefix counts, without
    scanning the index (for the whole of one commune only).
    """
    parts = _parts(db, text, villages)
    if not parts:
        return 0
    communes = tenancy.where_params(db)
    if len(parts) == 1:
        where, params = parts[0]
        table = None
        if villages is None and len(communes) == 1:
            if where.startswith("c.name_folded") and params[0].count(" ") <= 1:
                table = "name_prefix_count"
            elif where.startswith("c.personal_id") and len(params[0]) <= 6:
                table = "id_prefix_count"
        if table is not None:
            return int(db.execute_sql(
                f"SELECT coalesce(sum(n), 0) FROM {table} WHERE commune = ? "
                "AND prefix >= ? AND prefix < ?", (*communes, *params[:2])).fetchone()[0])
        sql = f"SELECT count(*) FROM child AS c WHERE {where}"
    else:
        union = " UNION ".join(f"SELECT c.id FROM child AS c WHERE {w}" for w, _ in parts)
        params = tuple(p for _, ps in parts for p in ps)
        sql = f"SELECT count(*) FROM ({union}) AS found"
    return int(db.execute_sql(sql, params).fetchone()[0])
