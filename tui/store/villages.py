"""The commune's village list: the rows of ``village``.

Names are matched by their folded form (``libchild.text.fold``: no diacritics, any case),
so "Ban Na San" finds "Bản Nà Sản".
"""

from __future__ import annotations

import attrs
import peewee

from libchild.text.fold import fold
from tui.store import tenancy
from tui.store.children import LIVING
from tui.store.database import run
from tui.store.models import Child, Village

__all__ = [
    "VillageRow",
    "any_kept",
    "by_folded_name",
    "get",
    "insert",
    "listing",
    "name_taken",
    "rename",
    "set_active",
]


@attrs.frozen
class VillageRow:
    """A village of the commune, active or retired, with its number of living children."""

    id: int
    name: str
    active: bool
    children: int = 0


# get / by_folded_name / any_kept run at every save: written as text (see
# ``tui.store.children``).
def get(db: peewee.Database, village_id: int) -> VillageRow | None:
    """The village, None for an unknown id."""
    row = run(db, f"SELECT id, name, active FROM village WHERE id = ?{_here(db)}",
              (village_id, *tenancy.where_params(db))).fetchone()
    return VillageRow(row[0], row[1], bool(row[2])) if row else None


def by_folded_name(db: peewee.Database, name: str) -> VillageRow | None:
    """The village whose name folds like ``name``."""
    key = fold(name)
    if not key:
        return None
    row = run(db, f"SELECT id, name, active FROM village WHERE name_folded = ?{_here(db)}",
              (key, *tenancy.where_params(db))).fetchone()
    return VillageRow(row[0], row[1], bool(row[2])) if row else None


def any_kept(db: peewee.Database) -> bool:
    """True once the commune keeps a village list at all."""
    return run(db, f"SELECT 1 FROM village WHERE 1 = 1{_here(db)} LIMIT 1",
               tenancy.where_params(db)).fetchone() is not None


def _here(db: peewee.Database) -> str:
    """The commune condition of hand-written SQL on ``village`` (its ``commune_code``)."""
    return tenancy.where(db, column="commune_code")


def listing(db: peewee.Database, *, active_only: bool, with_counts: bool = False
            ) -> list[VillageRow]:
    """The villages by name (active first when retired ones are included)."""
    if with_counts:
        children = (Child.select(peewee.fn.COUNT(Child.id))
                    .where((Child.village_ref == Village.id) & LIVING))
        query = Village.select(Village.id, Village.name, Village.active, children.alias("n"))
    else:
        query = Village.select(Village.id, Village.name, Village.active, peewee.Value(0))
    if active_only:
        query = query.where(Village.active == True)  # noqa: E712 (peewee expression)
        query = query.order_by(Village.name)
    else:
        query = query.order_by(Village.active.desc(), Village.name_folded)
    return [VillageRow(r[0], r[1], bool(r[2]), int(r[3] or 0)) for r in query.tuples()]


def name_taken(db: peewee.Database, name: str, *, besides: int | None = None) -> bool:
    """True when another village already has a name folding like ``name``."""
    query = Village.select().where(Village.name_folded == fold(name))
    if besides is not None:
        query = query.where(Village.id != besides)
    return query.exists()


def insert(db: peewee.Database, commune_code: str, name: str) -> int:
    """Add an active village; its id."""
    return int(Village.insert(commune_code=commune_code, name=name, name_folded=fold(name),
                              active=True).execute())


def rename(db: peewee.Database, village_id: int, name: str) -> None:
    """Rename a village; the children's village name follows."""
    Village.update(name=name, name_folded=fold(name)).where(Village.id == village_id).execute()
    Child.update(village=name).where(Child.village_ref == village_id).execute()


def set_active(db: peewee.Database, village_id: int, active: bool) -> None:
    """Retire a village or bring it back."""
    Village.update(active=active).where(Village.id == village_id).execute()
