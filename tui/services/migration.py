"""Moving a whole register to another database: ``treem migrate``.

A commune's SQLite register goes into a province's PostgreSQL database (one register per
database today) and back again, so that nobody is locked in. Like ``treem init`` this
works on the database as a whole, before anyone is logged in: whoever can read the
source file and write the target database may move it (the file holds every password
hash anyway). The copy itself is ``tui.store.register_copy``: every table and column,
with ids, in one transaction, counts and digests and the audit chain verified before the
commit. The audit chain's secret key goes with it (``tui.store.audit_key``: beside a
target file, or where the target database's key is looked for). Nothing is written to
the source.

The target must be empty (a new file, an empty PostgreSQL database, or one left empty by
a killed earlier run) or hold exactly the source's rows already (a second run: nothing
to do, and the result says so); anything else is refused and left untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import attrs
import peewee

from tui.errors import DatabaseMissing, MigrationRefused
from tui.messages import core as msg
from tui.paths import is_url
from tui.store import audit, audit_key, commune_join, register_copy, tenancy
from tui.store import settings as settings_store
from tui.store.backup import remove_database
from tui.store.database import open_db
from tui.store.postgres import safe_url
from tui.store.register_copy import CopyMismatch, TableShape

__all__ = ["MigrationResult", "TableRows", "TargetState", "describe", "export_commune",
           "migrate_register"]


class TargetState(StrEnum):
    """What the target held before the move."""

    NEW = "new"  # no register there yet: created by the move
    EMPTY = "empty"  # a register without rows (e.g. left by a killed earlier run)
    SAME = "same"  # already every row of the source: nothing to do


@attrs.frozen
class TableRows:
    """One table and the rows it holds in the source."""

    name: str
    rows: int


@attrs.frozen
class MigrationResult:
    """What a move did (or, with ``dry_run``, would do)."""

    source: str
    target: str
    state: TargetState
    tables: tuple[TableRows, ...]
    audit_entries: int
    moved: bool
    dry_run: bool
    seconds: float

    @property
    def rows(self) -> int:
        """All rows of all tables."""
        return sum(t.rows for t in self.tables)


def describe(place: str | os.PathLike[str]) -> str:
    """A database as messages name it: the file, or the URL without its password."""
    return safe_url(str(place)) if is_url(place) else str(place)


def _same_place(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> bool:
    if is_url(source) or is_url(target):
        return str(source) == str(target)
    return Path(source).resolve() == Path(target).resolve()


def _exists(target: str | os.PathLike[str]) -> bool:
    """True when ``target`` holds a register (or anything else) already."""
    if not is_url(target):
        path = Path(target)
        return path.exists() and path.stat().st_size > 0
    try:
        open_db(target).close()
    except DatabaseMissing as exc:
        if exc.__cause__ is not None:  # the server itself cannot be reached
            raise
        return False  # an empty database
    return True


def _check_shapes(source: list[TableShape], target: list[TableShape]) -> None:
    found = {s.name: set(s.columns) for s in target}
    for shape in source:
        if found.get(shape.name) != set(shape.columns):
            raise MigrationRefused(msg.MIGRATE_SCHEMA_DIFFERS.format(table=shape.name))
    for name in found.keys() - {s.name for s in source}:
        raise MigrationRefused(msg.MIGRATE_SCHEMA_DIFFERS.format(table=name))


def _target_state(source: peewee.Database, target: peewee.Database,
                  tables: list[TableShape], names: tuple[str, str]) -> TargetState:
    """EMPTY or SAME; ``MigrationRefused`` naming the first table that differs."""
    counts = [(s, register_copy.count_rows(source, s.name),
               register_copy.count_rows(target, s.name)) for s in tables]
    if not any(found for _, _, found in counts):
        return TargetState.EMPTY
    for shape, expected, found in counts:
        if found != expected or (register_copy.digest(source, shape)
                                 != register_copy.digest(target, shape)):
            raise MigrationRefused(msg.MIGRATE_TARGET_NOT_EMPTY.format(
                target=names[1], source=names[0], table=shape.name, found=found,
                expected=expected))
    return TargetState.SAME


def _join_if_shared(src: peewee.Database, target: str | os.PathLike[str],
                    names: tuple[str, str], dry_run: bool,
                    result: Callable[[TargetState, bool], MigrationResult]
                    ) -> MigrationResult | None:
    """The move of a commune's register into a database that holds *other* communes
    (new ids, the chain re-sealed: ``tui.store.commune_join``); None when the target
    holds no other commune (the whole-register copy applies)."""
    tgt = open_db(target)
    try:
        tenancy.bind(tgt, tenancy.ALL)
        held = settings_store.communes(tgt)
        mine = settings_store.communes(src)
        if not held or held == mine or len(mine) != 1:
            return None
        commune = mine[0]
        shapes = [s for s in register_copy.shapes(src)
                  if s.name not in commune_join.JOIN_SKIPPED]
        if commune in held:  # moved before: the same rows, or a different register
            for shape in register_copy.of_commune(shapes, commune):
                found = register_copy.count_rows(tgt, shape)
                expected = register_copy.count_rows(src, shape.name)
                if shape.name == "user":  # the province's accounts are not the commune's
                    found = commune_join.accounts_of(tgt, commune)
                if shape.name == "audit_entry" and found != expected:
                    # it joined: new ids, re-sealed
                    found = commune_join.joined_entries(tgt, commune)
                if found != expected:
                    raise MigrationRefused(msg.MIGRATE_TARGET_NOT_EMPTY.format(
                        target=names[1], source=names[0], table=shape.name, found=found,
                        expected=expected))
            return result(TargetState.SAME, False)
        provinces = settings_store.provinces(tgt)
        province = settings_store.provinces(src)
        if not province <= provinces:
            raise MigrationRefused(msg.COMMUNE_OTHER_PROVINCE.format(
                commune=commune, province=", ".join(sorted(province)),
                here=", ".join(sorted(provinces))))
        taken = sorted(commune_join.usernames(src) & commune_join.usernames(tgt))
        if taken:
            raise MigrationRefused(msg.MIGRATE_USERNAMES_TAKEN.format(
                names=", ".join(taken)))
        if dry_run:
            return result(TargetState.EMPTY, False)
        tenancy.bind(tgt, tenancy.Tenancy.of(commune))
        try:
            commune_join.join_commune(src, tgt, commune)
        except ValueError as exc:
            raise MigrationRefused(msg.MIGRATE_MISMATCH.format(detail=exc)) from exc
        return result(TargetState.EMPTY, True)
    finally:
        tgt.close()


def _verify_all(db: peewee.Database) -> list[str]:
    """The problems of every audit chain of the database (one per commune)."""
    return [problem for commune in audit.chain_communes(db)
            for problem in audit.verify(db, commune=commune)]


def export_commune(source: str | os.PathLike[str], commune: str,
                   target: str | os.PathLike[str], *, dry_run: bool = False
                   ) -> MigrationResult:
    """Take commune ``commune`` out of the database at ``source`` (a province's) into a
    new register file ``target`` that opens as that commune's own register: its rows with
    their ids, its audit chain (checked before and after) and the key that seals it.

    The province accounts that acted in the commune are copied as locked accounts
    without a password (the log names them). Raises ``MigrationRefused`` (nothing
    written): the commune is not in the source, its chain fails, the target exists.
    """
    started = time.perf_counter()
    names = (describe(source), describe(target))
    if _same_place(source, target):
        raise MigrationRefused(msg.MIGRATE_SAME_PLACE.format(path=names[0]))
    src = open_db(source)
    try:
        if commune not in settings_store.communes(src):
            raise MigrationRefused(msg.COMMUNE_NOT_HERE.format(commune=commune))
        tenancy.bind(src, tenancy.Tenancy(commune, frozenset({commune})))
        if audit.verify(src, commune=commune):
            raise MigrationRefused(msg.MIGRATE_SOURCE_AUDIT_BROKEN.format(
                source=names[0], count=len(audit.verify(src, commune=commune))))
        tables = register_copy.of_commune(register_copy.shapes(src), commune)
        counts = tuple(TableRows(s.name, register_copy.count_rows(src, s)) for s in tables)
        entries = audit.count(src, commune)

        def result(state: TargetState, moved: bool) -> MigrationResult:
            return MigrationResult(names[0], names[1], state, counts, entries, moved,
                                   dry_run, time.perf_counter() - started)

        if _exists(target):
            raise MigrationRefused(msg.INIT_TARGET_EXISTS.format(path=names[1]))
        if dry_run:
            return result(TargetState.NEW, False)
        tgt = open_db(target, create=True)
        try:
            tenancy.bind(tgt, tenancy.ALL)
            key = audit_key.load_key(src)
            if key is not None:
                audit_key.install_key(str(target), key, replace_unused=True)
            try:
                register_copy.copy_tables(src, tgt, tables,
                                          check=lambda t: audit.verify(t, commune=commune))
            except CopyMismatch as exc:
                raise MigrationRefused(msg.MIGRATE_MISMATCH.format(detail=exc)) from exc
            commune_join.lock_province_accounts(tgt)  # nobody of the province logs in there
        except BaseException:
            tgt.close()
            if not is_url(target):
                remove_database(Path(target))
            raise
        tgt.close()
        return result(TargetState.NEW, True)
    finally:
        src.close()


def migrate_register(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
                     dry_run: bool = False) -> MigrationResult:
    """Copy the register at ``source`` into ``target`` (files or ``postgresql://`` URLs).

    Raises ``MigrationRefused`` (nothing written) and the database faults of
    ``tui.errors`` (missing, corrupt, not ours, unreachable).
    """
    started = time.perf_counter()
    names = (describe(source), describe(target))
    if _same_place(source, target):
        raise MigrationRefused(msg.MIGRATE_SAME_PLACE.format(path=names[0]))
    src = open_db(source)
    tenancy.bind(src, tenancy.ALL)  # the whole database, every commune's chain
    try:
        problems = _verify_all(src)
        if problems:
            raise MigrationRefused(msg.MIGRATE_SOURCE_AUDIT_BROKEN.format(
                source=names[0], count=len(problems)))
        tables = register_copy.shapes(src)
        counts = tuple(TableRows(s.name, register_copy.count_rows(src, s.name))
                       for s in tables)
        entries = audit.count(src)
        existed = _exists(target)

        def result(state: TargetState, moved: bool) -> MigrationResult:
            return MigrationResult(names[0], names[1], state, counts, entries, moved,
                                   dry_run, time.perf_counter() - started)

        if dry_run and not existed:
            return result(TargetState.NEW, False)
        if existed and is_url(target):
            joined = _join_if_shared(src, target, names, dry_run, result)
            if joined is not None:
                return joined
        tgt = open_db(target, create=not dry_run)
        tenancy.bind(tgt, tenancy.ALL)
        try:
            _check_shapes(tables, register_copy.shapes(tgt))
            state = _target_state(src, tgt, tables, names)
            if state is TargetState.SAME or dry_run:
                return result(state, False)
            key = audit_key.load_key(src)
            if key is not None:
                # the entries keep the seals they were made with: the target gets the
                # source's key (an empty target has sealed nothing with its own)
                audit_key.install_key(str(target), key, replace_unused=True)
            try:
                register_copy.copy_tables(src, tgt, tables, check=_verify_all)
            except CopyMismatch as exc:
                raise MigrationRefused(msg.MIGRATE_MISMATCH.format(detail=exc)) from exc
        except BaseException:
            tgt.close()
            if not existed and not is_url(target):
                remove_database(Path(target))  # a file this run made and did not fill
            raise
        tgt.close()
        return result(TargetState.EMPTY if existed else TargetState.NEW, True)
    finally:
        src.close()
