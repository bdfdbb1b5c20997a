"""The commune: its settings and its village list.

Anyone logged in reads the commune's name and the active villages (the entry form's
village picker); changing them needs ``manage_settings`` / ``manage_villages``. Every
change is audited.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.domain import Permission
from tui.errors import InvalidInput
from tui.messages import core as msg
from tui.services.base import Service, operation, unchecked
from tui.services.children import refuse_unsafe_text
from tui.store import settings as store
from tui.store import villages as village_store
from tui.store.settings import Settings
from tui.store.villages import VillageRow

__all__ = ["CommuneService", "Settings", "VillageRow", "check_village_name"]

#: Bounds of the settings an administrator types (minutes; percent).
IDLE_RANGE = (0, 240)
RECHECK_RANGE = (0, 100)


def check_village_name(name: str, taken: Callable[[str], bool]) -> str:
    """The village name as stored (spaces collapsed); ``InvalidInput`` when it is empty,
    unsafe for a terminal, too long, or ``taken(name)`` (another village folds alike).
    The admin screen (through :class:`CommuneService`) and ``treem init`` both check here."""
    refuse_unsafe_text({"village": name})
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(msg.VILLAGE_NAME_EMPTY)
    if taken(name):
        raise InvalidInput(msg.VILLAGE_NAME_TAKEN.format(name=name))
    return name


class CommuneService(Service):
    """Settings and villages of the register, for the acting person."""

    @unchecked("every person sees which commune they work in")
    def settings(self) -> Settings | None:
        """The commune and its options (None on a register not initialised yet)."""
        self.session.touch()
        return store.read(self.db)

    @unchecked("the entry form's village picker: names only, no personal data")
    def villages(self) -> list[VillageRow]:
        """The active villages, by name (the person's own ones for a collaborator)."""
        self.session.touch()
        return [v for v in village_store.listing(self.db, active_only=True)
                if self.session.scope.covers(v.id)]

    @operation(Permission.MANAGE_SETTINGS)
    def update_settings(self, *, idle_timeout_min: int | None = None,
                        recheck_percent: int | None = None,
                        commune_name: str | None = None) -> Settings:
        """Change the idle timeout, the re-check percentage or the commune's name."""
        changes: dict[str, object] = {}
        for key, value, bounds in (("idle_timeout_min", idle_timeout_min, IDLE_RANGE),
                                   ("recheck_percent", recheck_percent, RECHECK_RANGE)):
            if value is None:
                continue
            if not bounds[0] <= int(value) <= bounds[1]:
                raise InvalidInput(msg.SETTING_OUT_OF_RANGE.format(
                    value=value, low=bounds[0], high=bounds[1]))
            changes[key] = int(value)
        if commune_name is not None:
            changes["commune_name"] = " ".join(commune_name.split())
        old = store.read(self.db)
        with self.ctx.tx():
            store.update(self.db, changes)
            for key, value in changes.items():
                self.ctx.audit("update", "setting", 1, key,
                               getattr(old, key) if old else None, value)
        found = store.read(self.db)
        assert found is not None
        return found

    @operation(Permission.MANAGE_VILLAGES)
    def all_villages(self) -> list[VillageRow]:
        """Every village, active first, by name, with its number of children."""
        return village_store.listing(self.db, active_only=False, with_counts=True)

    def _checked_name(self, name: str, village_id: int | None) -> str:
        return check_village_name(
            name, lambda clean: village_store.name_taken(self.db, clean, besides=village_id))

    @operation(Permission.MANAGE_VILLAGES)
    def add_village(self, name: str) -> int:
        """Add a village to the commune's list; its id."""
        name = self._checked_name(name, None)
        found = store.read(self.db)
        with self.ctx.tx():
            village_id = village_store.insert(self.db, found.commune_code if found else "",
                                              name)
            self.ctx.audit("create", "village", village_id, "name", None, name)
        return village_id

    @operation(Permission.MANAGE_VILLAGES)
    def rename_village(self, village_id: int, name: str) -> None:
        """Correct a village's name; its children follow."""
        name = self._checked_name(name, village_id)
        row = village_store.get(self.db, village_id)
        if row is None or row.name == name:
            return
        with self.ctx.tx():
            village_store.rename(self.db, village_id, name)
            self.ctx.audit("update", "village", village_id, "name", row.name, name)

    @operation(Permission.MANAGE_VILLAGES)
    def set_village_active(self, village_id: int, active: bool) -> None:
        """Retire a village (no new entries; its children keep it) or bring it back."""
        row = village_store.get(self.db, village_id)
        if row is None or row.active == active:
            return
        with self.ctx.tx():
            village_store.set_active(self.db, village_id, active)
            self.ctx.audit("update", "village", village_id, "active", row.active, active)

