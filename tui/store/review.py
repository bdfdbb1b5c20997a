"""Review lists and duplicate candidates, paged straight from the database.

Each review list (issue 4 item 4) is one SQL condition over ``child``; a page is
``ORDER BY id LIMIT ? OFFSET ?`` so the first page of a list of any size costs a
scan only until a screenful of matching rows is found. The lists that follow libchild
rules read the issue codes stored with each record at save time (the same rule engine
everywhere); the two that depend on today's date or on other tables (children aged 16
and over, special circumstances without support) are computed live.

Duplicate candidates come from ``libchild.find_duplicates`` over the commune's children
(typos and diacritics included, which SQL blocking cannot do). The computation is slow
for a whole commune, so screens run :func:`duplicate_candidates` in a worker; the result
is cached per database and reused until the children change (a change stamp taken from
the child table) or a decision is recorded. Pairs already decided are never proposed
again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from libchild.messages import MESSAGES
from tui.store.accounts import require

__all__ = [
    "KINDS",
    "MIN_SCORE",
    "Candidate",
    "ReviewItem",
    "ReviewList",
    "child_brief",
    "clear_duplicate_cache",
    "duplicate_candidates",
    "forget_merged",
    "kind_codes",
    "list_users",
    "list_villages",
    "rename_village",
    "review_counts",
    "set_role",
    "set_user_villages",
    "set_village_active",
]

#: The review lists, in the order a user works through them.
KINDS = ("no_id", "bad_id", "basic_info", "category_rules", "unsupported", "aged_out")

_BASIC_PREFIXES = (
    "full_name.", "father_name.", "mother_name.", "caregiver_name.", "sex.",
    "birth_date.", "ethnicity.", "parents.",
)


def kind_codes(kind: str) -> tuple[str, ...]:
    """The libchild issue codes that put a child on list ``kind`` (empty for live lists)."""
    if kind == "no_id":
        return ("personal_id.missing",)
    if kind == "bad_id":
        return tuple(
            c for c in MESSAGES if c.startswith("personal_id.") and c != "personal_id.missing"
        )
    if kind == "basic_info":
        return tuple(c for c in MESSAGES if c.startswith(_BASIC_PREFIXES))
    if kind == "category_rules":
        return tuple(
            c for c, m in MESSAGES.items() if c.startswith("rule.") and m.severity != "info"
        )
    if kind in ("unsupported", "aged_out"):
        return ()
    raise ValueError(kind)


def _sixteenth_birthday_cutoff(on: date) -> str:
    """ISO date: children born on or before it are 16 or older on ``on``."""
    try:
        return on.replace(year=on.year - 16).isoformat()
    except ValueError:  # 29 February
        return on.replace(year=on.year - 16, day=28).isoformat()


@dataclass(frozen=True)
class ReviewItem:
    """One child on a review list, with the codes that put it there."""

    child_id: int
    personal_id: str | None
    full_name: str
    birth_date: str | None
    village: str | None
    codes: tuple[str, ...]
    extra: str = ""


_ROW_SQL = "SELECT c.id, c.personal_id, c.full_name, c.birth_date, c.village, c.issues "


class ReviewList:
    """One review list of ``register`` (a ``tui.store.register.Register``).

    ``count()`` and ``page(offset, limit)`` read the database on each call (they are
    what a paged table asks for), so a record fixed elsewhere leaves the list at the
    next read.
    """

    def __init__(self, register: Any, kind: str, *, on: date | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        self.register = register
        self.kind = kind
        self.on = on or date.today()
        self.codes = kind_codes(kind)
        self._where, self._params = self._condition()

    def _scope(self) -> tuple[str, tuple[Any, ...]]:
        user = self.register.user
        if user.role != "collaborator":
            return "", ()
        ids = sorted(user.villages) or [-1]
        return f" AND c.village_id IN ({', '.join('?' for _ in ids)})", tuple(ids)

    def _condition(self) -> tuple[str, tuple[Any, ...]]:
        scope_sql, scope_params = self._scope()
        extra, params = self.test()
        return f"c.merged_into IS NULL{scope_sql} AND {extra}", (*scope_params, *params)

    def test(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL condition (on ``child AS c``) that puts a child on this list."""
        if self.kind == "no_id":
            return "c.personal_id IS NULL", ()
        if self.kind == "aged_out":
            return ("(c.death_date IS NULL AND c.birth_date IS NOT NULL "
                    "AND c.birth_date <= ?)", (_sixteenth_birthday_cutoff(self.on),))
        if self.kind == "unsupported":
            return ("(c.death_date IS NULL AND c.id IN (SELECT child_id "
                    "FROM child_circumstance WHERE code LIKE 'DB%' AND (end_date IS NULL "
                    "OR end_date > ?)) AND NOT EXISTS (SELECT 1 FROM support AS s "
                    "WHERE s.child_id = c.id))", (self.on.isoformat(),))
        # Stored issues are JSON text; a code in quotes occurs only as a "code" value.
        tests = " OR ".join("instr(c.issues, ?) > 0" for _ in self.codes)
        return (f"(c.issues != '[]' AND ({tests}))",
                tuple(f'"{code}"' for code in self.codes))

    def _from(self) -> str:
        # The lists other than "no ID number" scan the table in rowid order: left to
        # itself SQLite walks a partial index (merged_into IS NULL) and looks every
        # row up, six times slower on 300,000 children.
        if self.kind in ("no_id", "unsupported"):
            return "FROM child AS c "
        return "FROM child AS c NOT INDEXED "

    def count(self) -> int:
        """How many children are on the list now."""
        self.register.user.touch()
        require(self.register.user, "review")
        row = self.register.db.execute_sql(
            f"SELECT count(*) {self._from()}WHERE {self._where}", self._params
        ).fetchone()
        return int(row[0])

    def page(self, offset: int, limit: int) -> list[ReviewItem]:
        """At most ``limit`` children from position ``offset``, in entry order."""
        self.register.user.touch()
        require(self.register.user, "review")
        rows = self.register.db.execute_sql(
            _ROW_SQL + self._from() + f"WHERE {self._where} ORDER BY c.id LIMIT ? OFFSET ?",
            (*self._params, int(limit), int(offset)),
        ).fetchall()
        return [self._item(row) for row in rows]

    def _item(self, row: Sequence[Any]) -> ReviewItem:
        child_id, personal_id, full_name, birth_date, village, issues_text = row
        wanted = set(self.codes)
        codes: tuple[str, ...] = ()
        if wanted:
            try:
                stored = json.loads(issues_text or "[]")
            except ValueError:
                stored = []
            codes = tuple(
                i.get("code", "") for i in stored
                if isinstance(i, Mapping) and i.get("code") in wanted
            )
        extra = ""
        if self.kind == "unsupported":
            extra = ", ".join(
                r[0] for r in self.register.db.execute_sql(
                    "SELECT DISTINCT code FROM child_circumstance WHERE child_id = ? "
                    "AND code LIKE 'DB%' AND (end_date IS NULL OR end_date > ?) ORDER BY code",
                    (child_id, self.on.isoformat()),
                )
            )
        return ReviewItem(child_id, personal_id, full_name, birth_date, village, codes, extra)


def review_counts(register: Any, *, on: date | None = None) -> dict[str, int]:
    """The size of every review list (for the home screen; about 0.35 s in all on
    300,000 children, so call it from a worker). One scan per list measured twice as
    fast as a single scan summing every condition."""
    return {kind: ReviewList(register, kind, on=on).count() for kind in KINDS}


# -- duplicate candidates ----------------------------------------------------------------

_DUP_FIELDS = (
    "id", "personal_id", "full_name", "birth_date", "sex", "caregiver_id", "father_name",
    "mother_name", "caregiver_name", "village", "commune_code",
)


@dataclass(frozen=True)
class Candidate:
    """Two children that may be the same (``left_id`` < ``right_id``)."""

    left_id: int
    right_id: int
    score: float
    reasons: tuple[str, ...]


#: Pairs scoring below this are not proposed. On a 300,000-child demo register the
#: matcher returns about 264,000 pairs, nine in ten of them brothers and sisters
#: (names one letter apart, the same parents, two different valid ID numbers: score
#: 0.25-0.35); 28,000 pairs remain at 0.5 and above, the real duplicates first.
MIN_SCORE = 0.5

_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], list[Candidate]]] = {}


def _stamp(db: Any) -> tuple[Any, ...]:
    """Changes whenever a child is added, changed or merged."""
    return tuple(db.execute_sql(
        "SELECT count(*), max(id), max(updated_at) FROM child"
    ).fetchone())


def clear_duplicate_cache() -> None:
    """Forget every cached candidate list (tests; after a restore)."""
    with _cache_lock:
        _cache.clear()


def duplicate_candidates(register: Any) -> list[Candidate]:
    """Undecided candidate pairs of the commune's children, best score first
    (those scoring at least ``MIN_SCORE``).

    Slow on a large register (it runs ``libchild.find_duplicates``): call it from a
    worker. The pairs are cached per database until a child is added, changed or
    merged; decisions are applied at every call, so a decided pair never comes back.
    """
    import libchild

    register.user.touch()
    require(register.user, "decide_duplicates")
    db = register.db
    key = str(db.database)
    stamp = _stamp(db)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is None or cached[0] != stamp:
        rows = db.execute_sql(
            "SELECT " + ", ".join(f"c.{f}" for f in _DUP_FIELDS)
            + " FROM child AS c WHERE c.merged_into IS NULL ORDER BY c.id"
        ).fetchall()
        records = [dict(zip(_DUP_FIELDS[1:], row[1:], strict=True)) for row in rows]
        ids = [row[0] for row in rows]
        found = []
        for pair in libchild.find_duplicates(records):
            if pair.score < MIN_SCORE:
                continue
            left, right = sorted((ids[pair.left], ids[pair.right]))
            found.append(Candidate(left, right, float(pair.score), tuple(pair.reasons)))
        found.sort(key=lambda c: (-c.score, c.left_id, c.right_id))
        cached = (stamp, found)
        with _cache_lock:
            _cache[key] = cached
    decided = {
        (r[0], r[1]) for r in db.execute_sql("SELECT left_id, right_id FROM duplicate_decision")
    }
    return [c for c in cached[1] if (c.left_id, c.right_id) not in decided]


def forget_merged(register: Any, drop_id: int) -> None:
    """After a merge made in this process: drop the pairs of the merged-away child and
    keep the cache instead of recomputing every pair of the commune."""
    db = register.db
    key = str(db.database)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is None:
            return
        kept = [c for c in cached[1] if drop_id not in (c.left_id, c.right_id)]
        _cache[key] = (_stamp(db), kept)


def child_brief(register: Any, child_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Name, birth date, ID number and village of each child (for list rows)."""
    if not child_ids:
        return {}
    marks = ", ".join("?" for _ in child_ids)
    rows = register.db.execute_sql(
        "SELECT id, full_name, birth_date, personal_id, village, merged_into FROM child "
        f"WHERE id IN ({marks})", tuple(child_ids),
    ).fetchall()
    keys = ("id", "full_name", "birth_date", "personal_id", "village", "merged_into")
    return {row[0]: dict(zip(keys, row, strict=True)) for row in rows}


# -- administration (users, villages) ----------------------------------------------------
# ``tui.store.accounts`` creates users, resets passwords and locks accounts, and
# ``Register.add_village`` adds villages; the administration screen also needs the
# reads and the few changes below. Each checks the permission, writes in one
# ``BEGIN IMMEDIATE`` transaction and is audited field by field.


@dataclass(frozen=True)
class UserRow:
    """An account as the administration screen lists it."""

    user_id: int
    username: str
    full_name: str
    role: str
    disabled: bool
    locked_until: str | None
    must_change_password: bool
    villages: tuple[int, ...]


def list_users(register: Any) -> list[UserRow]:
    """Every account, by user name (administrator)."""
    register.user.touch()
    require(register.user, "manage_users")
    db = register.db
    villages: dict[int, list[int]] = {}
    for user_id, village_id in db.execute_sql(
        "SELECT user_id, village_id FROM user_village ORDER BY village_id"
    ):
        villages.setdefault(user_id, []).append(village_id)
    rows = db.execute_sql(
        "SELECT id, username, full_name, role, disabled, locked_until, must_change_password "
        "FROM user ORDER BY username"
    ).fetchall()
    return [
        UserRow(r[0], r[1], r[2], r[3], bool(r[4]), r[5], bool(r[6]),
                tuple(villages.get(r[0], ())))
        for r in rows
    ]


def _audit(register: Any, entity: str, record_id: int, field: str, old: Any, new: Any) -> None:
    from tui.store import audit

    audit.append(register.db, user_id=register.user.user_id, username=register.user.username,
                 action="update", entity=entity, record_id=record_id, field=field,
                 old=old, new=new)


def _user_id(register: Any, username: str) -> tuple[int, str]:
    from tui.messages import core as msg
    from tui.store.errors import NotFound

    row = register.db.execute_sql(
        "SELECT id, role FROM user WHERE username = ?", (username.strip().lower(),)
    ).fetchone()
    if row is None:
        raise NotFound(msg.LOGIN_FAILED)
    return int(row[0]), str(row[1])


def set_role(register: Any, username: str, role: str) -> None:
    """Give account ``username`` another role (administrator; audited)."""
    from tui.messages import core as msg
    from tui.store.accounts import ROLES
    from tui.store.database import write_tx
    from tui.store.errors import InvalidInput

    register.user.touch()
    require(register.user, "manage_users")
    if role not in ROLES:
        raise InvalidInput(msg.UNKNOWN_ROLE.format(role=role))
    with write_tx(register.db):
        user_id, old = _user_id(register, username)
        if old == role:
            return
        register.db.execute_sql("UPDATE user SET role = ? WHERE id = ?", (role, user_id))
        _audit(register, "user", user_id, "role", old, role)


def set_user_villages(register: Any, username: str, village_ids: Sequence[int]) -> None:
    """Assign villages to account ``username`` (a collaborator works only in them)."""
    from tui.store.database import write_tx

    register.user.touch()
    require(register.user, "manage_users")
    wanted = sorted({int(v) for v in village_ids})
    with write_tx(register.db):
        user_id, _role = _user_id(register, username)
        old = [r[0] for r in register.db.execute_sql(
            "SELECT village_id FROM user_village WHERE user_id = ? ORDER BY village_id",
            (user_id,))]
        if old == wanted:
            return
        register.db.execute_sql("DELETE FROM user_village WHERE user_id = ?", (user_id,))
        register.db.cursor().executemany(
            "INSERT INTO user_village (user_id, village_id) VALUES (?, ?)",
            [(user_id, v) for v in wanted])
        _audit(register, "user", user_id, "villages", old, wanted)


@dataclass(frozen=True)
class VillageRow:
    """A village of the commune, active or retired."""

    village_id: int
    name: str
    active: bool
    children: int


def list_villages(register: Any) -> list[VillageRow]:
    """Every village, active first, by name, with its number of children."""
    register.user.touch()
    require(register.user, "manage_villages")
    rows = register.db.execute_sql(
        "SELECT v.id, v.name, v.active, (SELECT count(*) FROM child AS c "
        "WHERE c.village_id = v.id AND c.merged_into IS NULL) "
        "FROM village AS v ORDER BY v.active DESC, v.name_folded"
    ).fetchall()
    return [VillageRow(r[0], r[1], bool(r[2]), int(r[3])) for r in rows]


def rename_village(register: Any, village_id: int, name: str) -> None:
    """Correct a village's name; its children follow (administrator; audited)."""
    from libchild.text.fold import fold
    from tui.store.database import write_tx
    from tui.store.errors import InvalidInput

    register.user.touch()
    require(register.user, "manage_villages")
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_msg("VILLAGE_NAME_EMPTY"))
    with write_tx(register.db):
        row = register.db.execute_sql("SELECT name FROM village WHERE id = ?",
                                      (village_id,)).fetchone()
        if row is None or row[0] == name:
            return
        taken = register.db.execute_sql(
            "SELECT 1 FROM village WHERE name_folded = ? AND id != ?", (fold(name), village_id)
        ).fetchone()
        if taken:
            raise InvalidInput(_msg("VILLAGE_NAME_TAKEN").format(name=name))
        register.db.execute_sql("UPDATE village SET name = ?, name_folded = ? WHERE id = ?",
                                (name, fold(name), village_id))
        register.db.execute_sql("UPDATE child SET village = ? WHERE village_id = ?",
                                (name, village_id))
        _audit(register, "village", village_id, "name", row[0], name)


def set_village_active(register: Any, village_id: int, active: bool) -> None:
    """Retire a village (no new entries; its children keep it) or bring it back."""
    from tui.store.database import write_tx

    register.user.touch()
    require(register.user, "manage_villages")
    with write_tx(register.db):
        row = register.db.execute_sql("SELECT active FROM village WHERE id = ?",
                                      (village_id,)).fetchone()
        if row is None or bool(row[0]) == active:
            return
        register.db.execute_sql("UPDATE village SET active = ? WHERE id = ?",
                                (int(active), village_id))
        _audit(register, "village", village_id, "active", bool(row[0]), active)


def _msg(name: str) -> str:
    from tui.messages import review as txt

    return str(getattr(txt, name))
