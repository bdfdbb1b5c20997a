"""Accounts, as an administrator manages them: add, list, lock, reset, role, villages.

Every operation needs ``manage_users`` and is audited; an administrator cannot lock
their own account from here.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from tui.domain import Permission, Role
from tui.errors import InvalidInput, NotFound, PermissionDenied
from tui.messages import core as msg
from tui.services import accounts
from tui.services.base import Service, operation
from tui.services.children import refuse_unsafe_text
from tui.store import settings as settings_store
from tui.store import users as store
from tui.store import villages as village_store
from tui.store.clock import now, parse_iso

__all__ = ["Account", "UsersService"]


@attrs.frozen
class Account:
    """An account as the administration lists it."""

    user_id: int
    username: str
    full_name: str
    role: Role
    disabled: bool
    locked_until: str | None
    must_change_password: bool
    villages: tuple[int, ...]
    unix_login: str | None = None

    @property
    def locked_now(self) -> bool:
        """True while too many wrong passwords keep the account locked."""
        return bool(self.locked_until) and parse_iso(self.locked_until or "") > now()


class UsersService(Service):
    """Account management for the acting administrator."""

    def _user(self, username: str) -> store.UserRow:
        row = store.by_username(self.db, username.strip().lower())
        if row is None or not self.session.scope.covers_commune(row.commune):
            # an account of another commune is not there for this administrator
            raise NotFound(msg.USER_NOT_FOUND.format(username=username))
        return row

    def _commune_of_new(self, role: Role, commune: str | None) -> str | None:
        """The commune a new account of ``role`` belongs to (None: the province), as
        the acting administrator may give it; ``store.BOUND`` for their own commune."""
        scope = self.session.scope
        province_admin = self.session.role is Role.PROVINCE_ADMINISTRATOR
        if role.is_province:
            if not province_admin:
                raise PermissionDenied(self.session.role, Permission.MANAGE_USERS,
                                       msg.PROVINCE_ROLE_ONLY)
            return None
        if not province_admin:
            if commune and scope.commune is not None and commune != scope.commune:
                raise InvalidInput(msg.COMMUNE_NOT_HERE.format(commune=commune))
            return store.BOUND  # a commune's administrator: their own commune
        held = [c for c in settings_store.communes(self.db) if scope.covers_commune(c)]
        if not commune:
            if len(held) != 1:  # the one commune of the database needs no naming
                raise InvalidInput(msg.ACCOUNT_COMMUNE_MISSING)
            commune = held[0]
        if commune not in held:
            raise InvalidInput(msg.COMMUNE_NOT_HERE.format(commune=commune))
        return commune

    def _village_ids(self, villages: Sequence[int | str]) -> tuple[int, ...]:
        ids = []
        for village in villages:
            if isinstance(village, int):
                found = village_store.get(self.db, village)
            else:
                found = village_store.by_folded_name(self.db, village)
            if found is None:
                raise InvalidInput(msg.VILLAGE_NOT_FOUND.format(village=village))
            ids.append(found.id)
        return tuple(ids)

    @operation(Permission.MANAGE_USERS)
    def create(self, username: str, full_name: str, role: Role, password: str, *,
               villages: Sequence[int | str] = (), unix_login: str | None = None,
               commune: str | None = None) -> Account:
        """A new account (the person chooses a new password at first login); villages by
        id or name, for a collaborator; ``unix_login`` links it to that Unix (SSH) account.
        A province administrator names the ``commune`` of a commune account; only they
        make province accounts."""
        refuse_unsafe_text({"username": username, "full_name": full_name,
                                   "unix_login": unix_login or ""})
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput(msg.UNKNOWN_ROLE.format(role=role)) from None
        owner = self._commune_of_new(role, commune)
        with self.ctx.acting_in(owner if owner != store.BOUND else None):
            user_id = accounts.create_account(self.db, username, full_name, role, password,
                                              by=self.session,
                                              villages=self._village_ids(villages),
                                              unix_login=unix_login, commune=owner)
        return next(a for a in self.listing() if a.user_id == user_id)

    @operation(Permission.MANAGE_USERS)
    def check_new_account(self, username: str, password: str) -> None:
        """``InvalidInput`` when :meth:`create` would refuse this user name or temporary
        password: checked before anything outside the register (a Unix account) is made."""
        name = accounts.check_username(username)
        if store.by_username(self.db, name) is not None:
            raise InvalidInput(msg.USERNAME_TAKEN.format(username=name))
        accounts.check_new_password(password)

    @operation(Permission.MANAGE_USERS)
    def link_unix(self, username: str, unix_login: str | None) -> Account:
        """Link an existing account to a Unix (SSH) account, or unlink it (None)."""
        user = self._user(username)
        with self.ctx.acting_in(user.commune):
            accounts.link_unix_login(self.db, user.id, unix_login, by=self.session)
        return next(a for a in self.listing() if a.user_id == user.id)

    @operation(Permission.MANAGE_USERS)
    def listing(self) -> list[Account]:
        """Every account, by user name."""
        return [Account(r.id, r.username, r.full_name, Role(r.role), r.disabled,
                        r.locked_until, r.must_change_password, r.villages, r.unix_login)
                for r in store.listing(self.db)]

    @operation(Permission.MANAGE_USERS)
    def set_disabled(self, username: str, disabled: bool) -> None:
        """Lock (``disabled=True``) or unlock an account; unlocking also clears a lockout."""
        user = self._user(username)
        if disabled and user.id == self.session.user_id:
            raise InvalidInput(msg.CANNOT_LOCK_SELF)
        with self.ctx.acting_in(user.commune), self.ctx.tx():
            store.update(self.db, user.id, {"disabled": disabled, "failed_logins": 0,
                                            "locked_until": None})
            self.ctx.audit("update", "user", user.id, "disabled", user.disabled, disabled)

    @operation(Permission.MANAGE_USERS)
    def reset_password(self, username: str, new_password: str) -> None:
        """Set a temporary password; the person must change it at the next login."""
        user = self._user(username)
        accounts.check_new_password(new_password)
        hashed = accounts.hash_password(new_password)
        with self.ctx.acting_in(user.commune), self.ctx.tx():
            store.update(self.db, user.id, {"password_hash": hashed,
                                            "must_change_password": True,
                                            "failed_logins": 0, "locked_until": None})
            self.ctx.audit("update", "user", user.id, "password")

    @operation(Permission.MANAGE_USERS)
    def set_role(self, username: str, role: Role) -> None:
        """Give an account another role."""
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput(msg.UNKNOWN_ROLE.format(role=role)) from None
        user = self._user(username)
        if user.role == role:
            return
        if Role(user.role).is_province != role.is_province:  # a commune's or the province's
            raise PermissionDenied(self.session.role, Permission.MANAGE_USERS,
                                   msg.PROVINCE_ROLE_ONLY)
        with self.ctx.acting_in(user.commune), self.ctx.tx():
            store.update(self.db, user.id, {"role": role})
            self.ctx.audit("update", "user", user.id, "role", user.role, str(role))

    @operation(Permission.MANAGE_USERS)
    def set_villages(self, username: str, villages: Sequence[int | str]) -> None:
        """Assign villages to an account (a collaborator works only in them)."""
        user = self._user(username)
        with self.ctx.acting_in(user.commune):
            wanted = sorted(set(self._village_ids(villages)))
        old = sorted(store.villages_of(self.db, user.id))
        if old == wanted:
            return
        with self.ctx.acting_in(user.commune), self.ctx.tx():
            store.set_villages(self.db, user.id, wanted)
            self.ctx.audit("update", "user", user.id, "villages", old, wanted)
