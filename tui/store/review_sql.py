"""The review lists' SQL conditions: one text for the query and for its partial index.

Which codes and dates put a child on a list is decided in ``tui.review_rules``. This
module spells that out as SQL over the ``child`` table, once: ``tui.store.review`` puts
the text in its WHERE clause and migration 6 (``tui.store.migrations``) builds the
partial indexes on the very same text. SQLite (and PostgreSQL) use a partial index only
when each term of its WHERE appears in the query, so the index holds exactly the
children of the list and a count or a first page reads only them. The index is the flag:
the database maintains it from the stored issues at every insert, update and delete, so
there is no flag column that a write could forget to keep in step.

"Aged 16 and over" depends on today's date, so nothing about it is stored: its index is
ordered by birth date and the query compares with the bound of the day
(``tui.review_rules.aged_out_born_by``).
"""

from __future__ import annotations

import re

from tui.domain import ReviewKind
from tui.review_rules import kind_codes

__all__ = ["CODE_KINDS", "INDEXED_KINDS", "aged_out_sql", "codes_sql", "index_statements",
           "list_sql", "living_term"]

#: The lists found by the libchild issue codes stored with each record.
CODE_KINDS: tuple[ReviewKind, ...] = (ReviewKind.BAD_ID, ReviewKind.BASIC_INFO,
                                      ReviewKind.CATEGORY_RULES)
#: The lists a partial index answers (``UNSUPPORTED`` is read from two other tables).
INDEXED_KINDS: tuple[ReviewKind, ...] = (ReviewKind.NO_ID, *CODE_KINDS, ReviewKind.AGED_OUT)

_CODE = re.compile(r"[a-z0-9_.]+")


def _col(alias: str, name: str) -> str:
    return f"{alias}.{name}" if alias else name


def living_term(alias: str = "") -> str:
    """A record still in the register (not merged into another)."""
    return f"{_col(alias, 'merged_into')} IS NULL"


def list_sql(kind: ReviewKind, alias: str = "") -> str:
    """The date-free condition of list ``kind`` (``NO_ID`` or a code list), literal SQL."""
    kind = ReviewKind(kind)
    if kind is ReviewKind.NO_ID:
        return f"{_col(alias, 'personal_id')} IS NULL"
    codes = kind_codes(kind)
    if kind not in CODE_KINDS or not codes:
        raise ValueError(f"no stored condition for {kind}")
    return codes_sql(codes, alias)


def codes_sql(codes: tuple[str, ...], alias: str = "") -> str:
    """A record whose stored issues hold one of ``codes``, literal SQL (always false for
    no code)."""
    issues = _col(alias, "issues")
    tests = []
    for code in codes:
        if not _CODE.fullmatch(code):  # codes are identifiers; refuse anything to quote
            raise ValueError(f"unexpected issue code {code!r}")
        # Stored issues are JSON text; a code in quotes occurs only as a "code" value.
        tests.append(f"instr({issues}, '\"{code}\"') > 0")
    if not tests:
        return "(1 = 0)"
    return f"({issues} != '[]' AND ({' OR '.join(tests)}))"


def aged_out_sql(alias: str = "") -> str:
    """The stored half of "aged 16 and over": alive with a known birth date."""
    return (f"{_col(alias, 'death_date')} IS NULL AND "
            f"{_col(alias, 'birth_date')} IS NOT NULL")


def index_statements(*, by_commune: bool = False) -> list[str]:
    """CREATE INDEX statements of the review lists: for each list one index by id (pages
    and counts of the whole register) and one by village (a user limited to villages).

    ``by_commune`` (schema v9, many communes in one database) leads the whole-register
    index with the commune, so that one commune's count reads only its own children;
    migration 8 keeps the form it shipped with.
    """
    out = []
    lead = '"commune", ' if by_commune else ""
    for kind in INDEXED_KINDS:
        if kind is ReviewKind.AGED_OUT:
            where, key = aged_out_sql(), '"birth_date"'
        else:
            where, key = list_sql(kind), '"id"'
        name = f"child_review_{kind.value}"
        out.append(f'CREATE INDEX "{name}" ON "child" ({lead}{key}) '
                   f"WHERE {living_term()} AND {where}")
        out.append(f'CREATE INDEX "{name}_village" ON "child" ("village_id", {key}) '
                   f"WHERE {living_term()} AND {where}")
    return out
