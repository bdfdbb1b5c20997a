"""Children's rows: the one definition of a living record, the one column list, and the
reads and writes of ``child``, ``child_circumstance`` and ``support``.

A record merged into another is kept (``merged_into`` names the record it went into) but
is no longer a child of the register: :data:`LIVING` (peewee) and :func:`living_sql` (the
same condition for the few hand-written queries of ``tui.store.review`` /
``tui.store.search``) are the only places that say so. Nothing here checks a permission
or writes the audit log: ``tui.services`` decides both and calls these inside its write
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import peewee

from tui.store import tenancy
from tui.store.database import is_postgres, run
from tui.store.models import Child, ChildCircumstance, Support, WorkflowEvent
from tui.store.police import verified_sql
from tui.store.records import CHILD_FIELDS

__all__ = [
    "CHILD_FIELDS",
    "LIVING",
    "MATCH_COLUMNS",
    "ROW_COLUMNS",
    "Brief",
    "ChildRow",
    "CircumstanceRow",
    "RowChange",
    "SupportRow",
    "brief",
    "circumstances",
    "count_living",
    "export_records",
    "get",
    "grouped_rows",
    "household_children",
    "id_holders",
    "insert",
    "living_records",
    "living_sql",
    "restore",
    "snapshot",
    "supports",
    "sync_circumstances",
    "sync_supports",
    "update",
    "updater_name",
]

#: A child of the register: not merged into another record.
LIVING = Child.merged_into.is_null()


def living_sql(alias: str = "c") -> str:
    """:data:`LIVING` for a hand-written query where ``child`` is named ``alias``."""
    return f"{alias}.merged_into IS NULL"


#: What ``libchild.find_duplicates`` compares, with the record id: the columns read for
#: duplicate candidates and for the register's records an import is checked against.
MATCH_COLUMNS: tuple[str, ...] = (
    "id", "personal_id", "full_name", "birth_date", "sex", "caregiver_id", "father_name",
    "mother_name", "caregiver_name", "village", "commune_code")

#: Every column of ``child``, in table order (what :func:`get` returns).
ROW_COLUMNS: tuple[str, ...] = tuple(f.column_name for f in Child._meta.sorted_fields)


@attrs.frozen
class ChildRow:
    """A ``child`` row as stored (``values`` by column name)."""

    values: Mapping[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.values[column]

    @property
    def id(self) -> int:
        return int(self.values["id"])


@attrs.frozen
class CircumstanceRow:
    """One circumstance episode of a child (ISO dates)."""

    id: int
    code: str
    start: str | None
    end: str | None
    note: str

    def key(self) -> tuple[str, str | None, str | None, str]:
        """What the row holds, without its id."""
        return (self.code, self.start, self.end, self.note)


@attrs.frozen
class SupportRow:
    """One support a child received (ISO date)."""

    id: int
    form: str
    date: str | None
    note: str

    def key(self) -> tuple[str, str | None, str]:
        """What the row holds, without its id."""
        return (self.form, self.date, self.note)


def _by_column(values: Mapping[str, Any]) -> dict[peewee.Field, Any]:
    columns = Child._meta.columns
    return {columns[name]: value for name, value in values.items()}


# A save runs about ten statements: they are written as text (``database.run``), since
# building each with peewee's query builder cost 0.2-0.3 ms (measured with cProfile on
# benchmarks/bench_save.py) and tripled the CPU time of a save.
_GET = "SELECT * FROM child WHERE id = ?"  # + the commune condition (tenancy.where)
_INSERTS: dict[tuple[str, ...], str] = {}
_UPDATES: dict[tuple[str, ...], str] = {}


def get(db: peewee.Database, child_id: int) -> ChildRow | None:
    """The child's row, merged or not; None for an unknown id."""
    cursor = run(db, _GET + tenancy.where(db), (child_id, *tenancy.where_params(db)))
    row = cursor.fetchone()
    if row is None:
        return None
    return ChildRow(dict(zip([d[0] for d in cursor.description], row, strict=True)))


def updater_name(db: peewee.Database, user_id: int | None) -> str:
    """The full name of the person who last saved a record ("" when unknown)."""
    if not user_id:
        return ""
    row = run(db, 'SELECT full_name FROM "user" WHERE id = ?', (user_id,)).fetchone()
    return row[0] if row else ""


def circumstances(db: peewee.Database, child_id: int) -> list[CircumstanceRow]:
    """The child's circumstance episodes, by start date."""
    return [CircumstanceRow(*row) for row in run(
        db, "SELECT id, code, start_date, end_date, note FROM child_circumstance "
            f"WHERE child_id = ?{tenancy.where(db)} ORDER BY start_date, id",
        (child_id, *tenancy.where_params(db)))]


def supports(db: peewee.Database, child_id: int) -> list[SupportRow]:
    """The supports the child received, by date."""
    return [SupportRow(*row) for row in run(
        db, f"SELECT id, form, date, note FROM support WHERE child_id = ?{tenancy.where(db)} "
            "ORDER BY date, id", (child_id, *tenancy.where_params(db)))]


def insert(db: peewee.Database, values: Mapping[str, Any]) -> int:
    """Insert a child (values by column name) of the bound commune; its id."""
    values = {**values, "commune": tenancy.stamp(db)}
    keys = tuple(values)
    sql = _INSERTS.get(keys)
    if sql is None:
        sql = _INSERTS[keys] = (
            "INSERT INTO child (" + ", ".join(f'"{k}"' for k in keys) + ") VALUES ("
            + ", ".join("?" for _ in keys) + ") RETURNING id")
    return int(run(db, sql, tuple(values.values())).fetchone()[0])


def update(db: peewee.Database, child_id: int, values: Mapping[str, Any]) -> None:
    """Set columns of a child."""
    if not values:
        return
    keys = tuple(values)
    sql = _UPDATES.get(keys)
    if sql is None:
        sql = _UPDATES[keys] = (
            "UPDATE child SET " + ", ".join(f'"{k}" = ?' for k in keys) + " WHERE id = ?")
    run(db, sql + tenancy.where(db), (*values.values(), child_id, *tenancy.where_params(db)))


def id_holders(db: peewee.Database, personal_id: str) -> list[int]:
    """The living children holding ``personal_id``."""
    return [row[0] for row in run(
        db, f"SELECT c.id FROM child AS c WHERE c.personal_id = ? AND {living_sql('c')}"
            f"{tenancy.where(db, 'c')}", (personal_id, *tenancy.where_params(db)))]


def household_children(db: peewee.Database, household_id: int) -> list[int]:
    """The living children of a household, by birth date."""
    query = (Child.select(Child.id)
             .where((Child.household == household_id) & LIVING)
             .order_by(Child.birth_date, Child.id).tuples())
    return [row[0] for row in query]


def count_living(db: peewee.Database, villages: frozenset[int] | None = None) -> int:
    """How many children the register holds (in ``villages`` when given)."""
    query = Child.select().where(LIVING)
    if villages is not None:
        query = query.where(Child.village_ref.in_(sorted(villages)))
    return int(query.count())


@attrs.frozen
class Brief:
    """What a list row needs of a child."""

    id: int
    full_name: str
    birth_date: str | None
    personal_id: str | None
    village: str | None
    village_id: int | None
    merged_into: int | None


def brief(db: peewee.Database, child_ids: Sequence[int]) -> dict[int, Brief]:
    """Name, birth date, ID number and village of each child, by id."""
    out: dict[int, Brief] = {}
    ids = list(child_ids)
    for start in range(0, len(ids), 500):
        query = (Child.select(Child.id, Child.full_name, Child.birth_date, Child.personal_id,
                              Child.village, Child.village_ref, Child.merged_into)
                 .where(Child.id.in_(ids[start:start + 500])).tuples())
        out.update({row[0]: Brief(*row) for row in query})
    return out


def living_records(db: peewee.Database, columns: Sequence[str], *,
                   order: Sequence[str] = ("id",),
                   villages: frozenset[int] | None = None) -> Iterator[dict[str, Any]]:
    """Every living child as ``{column: value}`` for ``columns``, streamed in ``order``."""
    fields = Child._meta.columns
    query = (Child.select(*[fields[c] for c in columns]).where(LIVING)
             .order_by(*[fields[c] for c in order]))
    if villages is not None:
        query = query.where(Child.village_ref.in_(sorted(villages)))
    for row in query.tuples().iterator():
        yield dict(zip(columns, row, strict=True))


#: Each child's circumstances and supports as JSON arrays, in the order they were added
#: (the keys of :func:`grouped_rows`), read by correlated subqueries of the row itself.
_NESTED_SQL = (
    "(SELECT json_group_array(json_object('code', code, 'start', start_date, 'end',"
    " end_date)) FROM (SELECT code, start_date, end_date FROM child_circumstance"
    " WHERE child_id = c.id ORDER BY id))",
    "(SELECT json_group_array(json_object('form', form, 'date', date)) FROM"
    " (SELECT form, date FROM support WHERE child_id = c.id ORDER BY id))",
)
#: The same on PostgreSQL (``json_agg`` in place of SQLite's ``json_group_array``).
_NESTED_SQL_POSTGRES = (
    "(SELECT coalesce(json_agg(json_build_object('code', code, 'start', start_date, 'end',"
    " end_date) ORDER BY id), '[]'::json)::text FROM child_circumstance"
    " WHERE child_id = c.id)",
    "(SELECT coalesce(json_agg(json_build_object('form', form, 'date', date) ORDER BY id),"
    " '[]'::json)::text FROM support WHERE child_id = c.id)",
)


def export_records(db: peewee.Database, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Every living child as ``{column: value}`` for ``columns`` plus ``circumstances``
    (``{code, start, end}`` dicts), ``supports`` (``{form, date}``) and ``id_verified``.

    One query, streamed from the cursor: nothing is held for every child (no grouped
    rows, no set of verified ids), and the order (village, folded name, id) is the one
    of the partial index ``child_village_name``, so SQLite sorts nothing in memory.
    Villages come in the order of ``village_id`` (the order they were set up in).
    """
    fields = Child._meta.columns
    selected = ", ".join(f'c."{fields[column].column_name}"' for column in columns)
    nested = _NESTED_SQL_POSTGRES if is_postgres(db) else _NESTED_SQL
    sql = (f"SELECT {selected}, {nested[0]}, {nested[1]}, {verified_sql('c')}"
           f" FROM child AS c WHERE {living_sql('c')}{tenancy.where(db, 'c')}"
           " ORDER BY c.village_id, c.name_folded, c.id")
    loads = json.loads
    for row in db.execute_sql(sql, tenancy.where_params(db)):
        record = dict(zip(columns, row, strict=False))
        record["circumstances"] = loads(row[-3])
        record["supports"] = loads(row[-2])
        record["id_verified"] = bool(row[-1])
        yield record


def grouped_rows(db: peewee.Database, table: str) -> dict[int, list[dict[str, Any]]]:
    """Every circumstance (``table="circumstances"``: code, start, end) or support
    (``"supports"``: form, date) of the register, grouped by child id."""
    if table == "circumstances":
        query = ChildCircumstance.select(
            ChildCircumstance.child, ChildCircumstance.code,
            ChildCircumstance.start_date.alias("start"),
            ChildCircumstance.end_date.alias("end")).order_by(ChildCircumstance.id)
        keys = ("code", "start", "end")
    else:
        query = Support.select(Support.child, Support.form, Support.date).order_by(Support.id)
        keys = ("form", "date")
    groups: dict[int, list[dict[str, Any]]] = {}
    for child_id, *values in query.tuples().iterator():
        groups.setdefault(child_id, []).append(dict(zip(keys, values, strict=True)))
    return groups


# --- circumstance and support rows ---------------------------------------------------
@attrs.frozen
class RowChange:
    """A circumstance or support row added, changed or removed (for the audit log)."""

    field: str  # "circumstance" / "support"
    old: dict[str, Any] | None
    new: dict[str, Any] | None


def _circ(value: Sequence[Any]) -> dict[str, Any]:
    return {"code": value[0], "start": value[1], "end": value[2], "note": value[3]}


def _supp(value: Sequence[Any]) -> dict[str, Any]:
    return {"form": value[0], "date": value[1], "note": value[2]}


def sync_circumstances(db: peewee.Database, child_id: int,
                       wanted: Iterable[tuple[str, str | None, str | None, str]],
                       *, today: str, new: bool) -> list[RowChange]:
    """Make the child's circumstance rows equal to ``wanted`` (code, start, end, note).

    A row equal to a wanted one is kept; a wanted row with the code of an open row
    (and no other start date) updates it; the rest are inserted (start defaults to
    ``today``) or deleted. Returns the changes.
    """
    changes: list[RowChange] = []
    existing = {} if new else {r.id: r.key() for r in circumstances(db, child_id)}
    unmatched = dict(existing)
    for item in wanted:
        match = next((rid for rid, val in unmatched.items() if val == item), None)
        if match is None:  # same code, open episode, changed fields
            match = next((rid for rid, val in unmatched.items()
                          if val[0] == item[0] and (item[1] is None or val[1] == item[1])),
                         None)
            if match is not None:
                start = item[1] or unmatched[match][1]
                value = (item[0], start, item[2], item[3])
                run(db, "UPDATE child_circumstance SET start_date = ?, end_date = ?, note = ? "
                        "WHERE id = ?", (start, item[2], item[3], match))
                changes.append(RowChange("circumstance", _circ(unmatched[match]), _circ(value)))
        if match is not None:
            unmatched.pop(match)
            continue
        start = item[1] or today
        run(db, "INSERT INTO child_circumstance (child_id, code, start_date, end_date, note, "
                "commune) VALUES (?, ?, ?, ?, ?, ?)",
            (child_id, item[0], start, item[2], item[3], tenancy.stamp(db)))
        changes.append(RowChange("circumstance", None, _circ((item[0], start, item[2], item[3]))))
    for rid, val in unmatched.items():
        run(db, "DELETE FROM child_circumstance WHERE id = ?", (rid,))
        changes.append(RowChange("circumstance", _circ(val), None))
    return changes


def sync_supports(db: peewee.Database, child_id: int,
                  wanted: Iterable[tuple[str, str | None, str]], *,
                  new: bool) -> list[RowChange]:
    """Make the child's support rows equal to ``wanted`` (form, date, note)."""
    changes: list[RowChange] = []
    unmatched = {} if new else {r.id: r.key() for r in supports(db, child_id)}
    for item in wanted:
        match = next((rid for rid, val in unmatched.items() if val == item), None)
        if match is not None:
            unmatched.pop(match)
            continue
        run(db, "INSERT INTO support (child_id, form, date, note, commune) "
                "VALUES (?, ?, ?, ?, ?)", (child_id, *item, tenancy.stamp(db)))
        changes.append(RowChange("support", None, _supp(item)))
    for rid, val in unmatched.items():
        run(db, "DELETE FROM support WHERE id = ?", (rid,))
        changes.append(RowChange("support", _supp(val), None))
    return changes


# --- exact copies, for undoing a merge -----------------------------------------------
_SNAPSHOT_TABLES: tuple[type[peewee.Model], ...] = (ChildCircumstance, Support, WorkflowEvent)


def _rows(model: type[peewee.Model], where: Any) -> list[dict[str, Any]]:
    fields = model._meta.fields
    return [{fields[k].column_name: v for k, v in row.items()}
            for row in model.select().where(where).order_by(model.id).dicts()]


def snapshot(db: peewee.Database, child_ids: Sequence[int]) -> dict[str, list[dict[str, Any]]]:
    """Every stored value of the children (rows of ``child`` and of the tables that hang
    off it), as plain data: what :func:`restore` puts back exactly."""
    ids = list(child_ids)
    out = {"child": _rows(Child, Child.id.in_(ids))}
    for model in _SNAPSHOT_TABLES:
        out[model._meta.table_name] = _rows(model, model.child.in_(ids))
    return out


def restore(db: peewee.Database, saved: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Put the rows of a :func:`snapshot` back as they were (inside a write transaction):
    the children's columns, and exactly their circumstance, support and event rows."""
    ids = [row["id"] for row in saved["child"]]
    for row in saved["child"]:
        update(db, row["id"], {k: v for k, v in row.items() if k != "id"})
    for model in _SNAPSHOT_TABLES:
        model.delete().where(model.child.in_(ids)).execute()
        columns = model._meta.columns
        rows = [{columns[k]: v for k, v in row.items()}
                for row in saved[model._meta.table_name]]
        if rows:
            model.insert_many(rows).execute()
