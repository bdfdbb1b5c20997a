"""A generated province straight into PostgreSQL: many communes, millions of children.

Used by ``benchmarks/bench_province.py`` (all data invented). Each commune is the demo
generator's register of a real commune (``tui.demo.generate``: households, villages,
ethnic mix, circumstances with supports, 10% planted step-3 problems, a few duplicates),
every child validated by ``tui.store.records.prepare_child`` exactly as a bulk import
stores it (issues, flags, state), then given dated circumstance episodes (the demo's
codes held since a day between birth and the reference date, a fifth of them ended),
one police list per commune with most numbers verified, and written with ``COPY``.

The load path: the app makes its own schema (``open_pg(create=True)``), then every
foreign key, primary key, index and the children's triggers are set aside, the tables
are filled by ``COPY`` from ``--jobs`` processes (one commune per task), and the keys,
indexes and the prefix-count tables are built after the load. The same seed gives the
same rows. Ids are laid out from the commune sizes, decided before anything runs, so
the processes never need each other.
"""

from __future__ import annotations

import io
import math
import random
import sys
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

__all__ = ["CommunePlan", "Layout", "copy_table", "finish_schema", "layout", "set_aside",
           "write_commune"]

VILLAGE_STRIDE = 64        # village ids of commune k: k * 64 + 1 ...
NOW = "2026-08-20T08:00:00.000Z"


@attrs.frozen
class CommunePlan:
    """One commune of the province: its code, children and where its ids start."""

    index: int
    code: str
    province: str
    name: str
    children: int
    child_base: int       # child ids child_base + 1 ...; households likewise (never more)


@attrs.frozen
class Layout:
    """The whole province to generate."""

    communes: tuple[CommunePlan, ...]
    seed: int
    on: date


def _communes(count: int, province: str) -> list[tuple[str, str, str]]:
    """(code, name, province) of ``count`` real communes: those of ``province`` first,
    then the other provinces' in code order (no province has 300 communes since 2025)."""
    from libchild import catalog

    rows = [(e.code, e.name, e.parent) for e in catalog.load().communes]
    first = [r for r in rows if r[2] == province]
    rest = [r for r in rows if r[2] != province]
    chosen = (first + rest)[:count]
    if len(chosen) < count:
        raise ValueError(f"only {len(chosen)} communes in the catalogue")
    return chosen


def layout(children: int, communes: int, *, seed: int = 1, on: date = date(2026, 8, 20),
           province: str = "79") -> Layout:
    """Commune sizes drawn around ``children / communes`` (log-normal, sigma 0.5, as
    communes differ), adding up to exactly ``children``."""
    rng = random.Random(seed)
    weights = [math.exp(rng.gauss(0, 0.5)) for _ in range(communes)]
    total = sum(weights)
    sizes = [max(50, int(children * w / total)) for w in weights]
    sizes[-1] += children - sum(sizes)
    plans, base = [], 0
    for index, ((code, name, prov), size) in enumerate(
            zip(_communes(communes, province), sizes, strict=True)):
        plans.append(CommunePlan(index, code, prov, name, size, base))
        base += size
    return Layout(tuple(plans), seed, on)


def _text(value: Any) -> str:
    """One value of a COPY text row."""
    if value is None:
        return "\\N"
    text = value if value.__class__ is str else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


class _Copy:
    """Rows of one table written as a COPY text file, each ending with its commune."""

    def __init__(self, folder: Path, table: str, columns: Sequence[str], commune: str,
                 index: int) -> None:
        self.table = table
        self.columns = [*columns, "commune"]
        self.tail = "\t" + commune + "\n"
        (folder / table).mkdir(parents=True, exist_ok=True)
        self.path = folder / table / f"{index:05d}.tsv"
        self.handle = self.path.open("w", encoding="utf-8")
        self.rows = 0

    def add(self, values: Iterable[Any]) -> None:
        self.handle.write("\t".join(map(_text, values)) + self.tail)
        self.rows += 1

    def close(self) -> None:
        self.handle.close()
        (self.path.parent / "columns").write_text(" ".join(self.columns), encoding="utf-8")


def _dated(rng: random.Random, child: dict[str, Any], on: date) -> list[dict[str, Any]]:
    """The demo child's circumstance codes as dated episodes."""
    birth = child.get("birth_date")
    if not isinstance(birth, date) or birth > on:
        birth = on - timedelta(days=3 * 365)
    span = max((on - birth).days, 1)
    episodes = []
    for code in child.get("circumstances") or ():
        if code == "KH02" and isinstance(child.get("death_date"), date):
            start = child["death_date"]
            end = None
        elif code == "KH03":
            start = on - timedelta(days=rng.randrange(0, 900))
            end = start + timedelta(days=rng.randrange(5, 60))
        else:
            start = birth + timedelta(days=rng.randrange(0, span))
            end = (start + timedelta(days=rng.randrange(30, 900))
                   if code.startswith("DB") and rng.random() < 0.2 else None)
        if end is not None and end >= on:
            end = None
        episodes.append({"code": code, "start": start, "end": end, "note": ""})
    return episodes


def write_commune(folder: Path, plan: CommunePlan, seed: int, on: date
                  ) -> tuple[str, int, int]:
    """Generate one commune into COPY files under ``folder`` (a folder per table, a file
    per commune); (code, children, rows written in all)."""
    from libchild.text.fold import fold
    from tui.demo import generate
    from tui.review_rules import step3_codes
    from tui.store.records import (
        CHILD_FIELDS,
        issues_to_json,
        name_key,
        prepare_child,
        store_issue,
    )

    rng = random.Random(seed * 100_003 + plan.index)
    data = generate(plan.children, seed=seed * 1000 + plan.index, commune_code=plan.code,
                    on=on)
    code = plan.code
    setting = _Copy(folder, "setting", ["id", "commune_code", "commune_name", "province_code",
                                        "sandbox", "idle_timeout_min", "recheck_percent",
                                        "created_at"], code, plan.index)
    setting.add((plan.index + 1, code, plan.name, plan.province, 0, 15, 5, NOW))
    villages = _Copy(folder, "village", ["id", "commune_code", "name", "name_folded",
                                 "active"], code, plan.index)
    village_id = {}
    for k, name in enumerate(data.villages):
        village_id[name] = plan.index * VILLAGE_STRIDE + k + 1
        villages.add((village_id[name], code, name, fold(name), 1))
    households = _Copy(folder, "household", ["id", "book_number", "village_id", "address",
                                     "poverty", "version", "created_at", "updated_at"],
                       code, plan.index)
    for h in data.households:
        households.add((plan.child_base + h["id"], h["book_number"],
                        village_id[h["village"]], h["address"], h["poverty"], 1,
                        NOW, NOW))
    carers = _Copy(folder, "caregiver", ["household_id", "personal_id", "full_name",
                                 "relation"], code, plan.index)
    for c in data.caregivers:
        carers.add((plan.child_base + c["household_id"], c["personal_id"],
                    c["full_name"], c["relation"]))
    kids = _Copy(folder, "child", ["id", *CHILD_FIELDS, "name_folded", "household_id",
                                   "village_id", "issues", "has_error", "has_warning",
                                   "state", "version", "created_at", "created_by",
                                   "updated_at", "updated_by"], code, plan.index)
    circ = _Copy(folder, "child_circumstance", ["child_id", "code", "start_date", "end_date",
                                        "note"], code, plan.index)
    supp = _Copy(folder, "support", ["child_id", "form", "date", "note"], code, plan.index)
    events = _Copy(folder, "workflow_event", ["child_id", "state", "at", "note"], code, plan.index)
    police = _Copy(folder, "police_batch_row", ["batch_id", "row_no", "child_id", "id_before",
                                        "id_verified", "status"], code, plan.index)
    step3 = step3_codes()
    defaults = {"commune_code": code, "province_code": plan.province}
    taken: set[str] = set()
    batch = plan.index + 1
    for index, row in enumerate(data.children):
        child_id = plan.child_base + index + 1
        row = dict(row, circumstances=_dated(rng, row, on))
        prepared = prepare_child(row, on=on, defaults=defaults)
        columns = prepared.columns
        pid = columns["personal_id"]
        if pid and pid in taken:
            prepared.issues.append(store_issue("personal_id.taken", "personal_id",
                                               other=pid))
        if pid:
            taken.add(pid)
        state = ("needs_fixing" if any(i.code in step3 for i in prepared.issues)
                 else "entered")
        kids.add((child_id, *(columns[k] for k in CHILD_FIELDS),
                  name_key(columns["full_name"]), plan.child_base + row["household_id"],
                  village_id.get(row["village"]), issues_to_json(prepared.issues),
                  int(bool(prepared.errors)),
                  int(any(i.severity == "warning" for i in prepared.issues)),
                  state, 1, NOW, None, NOW, None))
        for c in prepared.circumstances:
            circ.add((child_id, c["code"], c["start"], c["end"], c["note"]))
        for s in prepared.supports:
            supp.add((child_id, s["form"], s["date"], s["note"]))
        events.add((child_id, "entered", NOW, ""))
        if state != "entered":
            events.add((child_id, state, NOW, ""))
        if pid and not prepared.errors and rng.random() < 0.6:
            police.add((batch, police.rows + 1, child_id, pid, pid, "verified"))
    batches = _Copy(folder, "police_batch", ["id", "created_at", "status", "note"],
                    code, plan.index)
    batches.add((batch, NOW, "returned", ""))
    tables = (setting, villages, households, carers, kids, circ, supp, events,
              police, batches)
    for table in tables:
        table.close()
    return plan.code, plan.children, sum(t.rows for t in tables)


def copy_table(url: str, folder: Path, table: str) -> int:
    """COPY every commune file of ``table`` into the database; the rows copied. When the
    table has no ``commune`` column (``setting``, ``village``; every table before schema
    v9) the files' last column is dropped."""
    import psycopg2

    columns = (folder / table / "columns").read_text(encoding="utf-8").split()
    conn = psycopg2.connect(url)
    rows = 0
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = "
                           "'public' AND table_name = %s AND column_name = 'commune'",
                           (table,))
            schema_has_commune = cursor.fetchone() is not None
            for path in sorted((folder / table).glob("*.tsv")):
                with path.open(encoding="utf-8") as handle:
                    source: Any = handle
                    if not schema_has_commune:
                        source = io.StringIO("".join(
                            line.rsplit("\t", 1)[0] + "\n" for line in handle))
                    names = ", ".join(f'"{c}"' for c in (columns if schema_has_commune
                                                           else columns[:-1]))
                    cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', source)
                    rows += cursor.rowcount
        conn.commit()
    finally:
        conn.close()
    return rows


def set_aside(cursor: Any) -> list[str]:
    """Drop every foreign key, primary key, unique constraint and index of the public
    tables (and disable the children's triggers); the statements that rebuild them, in
    the order to run them."""
    cursor.execute("""SELECT c.conrelid::regclass::text, c.conname, c.contype,
                             pg_get_constraintdef(c.oid)
                      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                      WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')""")
    constraints = cursor.fetchall()
    cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                      WHERE i.schemaname = 'public' AND i.indexname NOT IN (
                        SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""")
    indexes = cursor.fetchall()
    for table, name, kind, _ in constraints:
        if kind == "f":
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, name, kind, _ in constraints:
        if kind != "f":
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("ALTER TABLE child DISABLE TRIGGER USER")
    rebuild = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, k, d in constraints
               if k != "f"]
    rebuild += [d for _, d in indexes]
    rebuild += [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, k, d in constraints
                if k == "f"]
    return rebuild


def finish_schema(cursor: Any, rebuild: Sequence[str], timings: dict[str, float]) -> None:
    """Rebuild what :func:`set_aside` dropped, fill the prefix counts the triggers keep,
    move the identities past the ids written (the caller vacuums and analyses)."""
    import time

    start = time.perf_counter()
    for statement in rebuild:
        if " FOREIGN KEY " in statement:
            continue
        cursor.execute(statement)
    timings["indexes"] = time.perf_counter() - start
    start = time.perf_counter()
    for statement in rebuild:
        if " FOREIGN KEY " in statement:
            cursor.execute(statement)
    timings["foreign keys"] = time.perf_counter() - start
    start = time.perf_counter()
    cursor.execute("ALTER TABLE child ENABLE TRIGGER USER")
    cursor.execute("DELETE FROM name_prefix_count")
    cursor.execute("DELETE FROM id_prefix_count")
    cursor.execute("INSERT INTO name_prefix_count (commune, prefix, n) SELECT commune, "
                   "treem_prefix_key(name_folded), count(*) FROM child "
                   "WHERE merged_into IS NULL GROUP BY 1, 2")
    cursor.execute("INSERT INTO id_prefix_count (commune, prefix, n) SELECT commune, "
                   "substr(personal_id, 1, 6), count(*) FROM child WHERE merged_into IS NULL "
                   "AND personal_id IS NOT NULL GROUP BY 1, 2")
    cursor.execute("SELECT table_name FROM information_schema.columns WHERE table_schema = "
                   "'public' AND column_name = 'id' AND is_identity = 'YES'")
    for (table,) in cursor.fetchall():
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                       f"coalesce((SELECT max(id) FROM \"{table}\"), 0) + 1, false)")
    timings["prefix counts"] = time.perf_counter() - start
