"""Drafts: the person's unsaved forms, and their typing-mode preference.

A draft is written within a second of each change, in its own committed transaction (WAL,
so it survives ``kill -9`` and a dropped SSH link), and offered back at the next login.
A draft of one child's record is offered only while that child is in the person's
village scope (an assignment may have changed since).

A form that knows which version of its draft it last loaded or wrote passes it as
``base``: the write is refused (:class:`~tui.errors.StaleDraft`) when another session of
the same person has written the draft since (issue 16: the old SSH session of a dropped
link, woken by its SIGHUP minutes later, must not write its older form over the draft
the officer has resumed and extended in a new session). Each service instance stamps
what it writes with its own writer stamp (process, host, a random part).
"""

from __future__ import annotations

import os
import secrets
import socket
from typing import Any

import attrs

from tui.domain import Permission
from tui.errors import PermissionDenied, StaleDraft, TreemError
from tui.messages import core as msg
from tui.services.base import Context, Service, unchecked
from tui.store import children as child_store
from tui.store import drafts as store

__all__ = ["COMPOSE_MODES", "Draft", "DraftsService", "entry_key"]

COMPOSE_MODES = ("off", "telex", "vni")
_COMPOSE_KEY = "pref:compose_mode"
_ENTRY_PREFIX = "entry:"
_CHILD_PREFIX = "entry:child:"


def entry_key(child_id: int | None) -> str:
    """The draft key of an entry form: one for a new household, one per edited child."""
    return "entry:new" if child_id is None else f"{_CHILD_PREFIX}{child_id}"


@attrs.frozen
class Draft:
    """An unsaved entry form: its key, the form state, when it was written, its version
    (bumped by every write) and the stamp of the session that wrote it."""

    key: str
    payload: dict[str, Any]
    updated_at: str
    version: int = 0
    writer: str = ""


def writer_stamp() -> str:
    """A stamp naming this session: ``pid@host/random`` (no personal data)."""
    return f"{os.getpid()}@{socket.gethostname()}/{secrets.token_hex(3)}"


class DraftsService(Service):
    """The acting person's own drafts (nobody else's are ever read)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        #: What this session's writes are stamped with.
        self.writer = writer_stamp()

    def _in_scope(self, key: str) -> bool:
        if not key.startswith(_CHILD_PREFIX):
            return True
        try:
            child_id = int(key[len(_CHILD_PREFIX):])
        except ValueError:
            return False
        row = child_store.get(self.db, child_id)
        return row is not None and self.session.scope.covers(row["village_id"])

    @unchecked("a person's own unsaved form")
    def save(self, key: str, payload: dict[str, Any], *, base: int | None = None) -> int:
        """Store ``payload`` (JSON-serialisable) as the person's draft ``key``; its new
        version. With ``base`` (the version this form last loaded or wrote, 0 for none),
        ``StaleDraft`` when another session has written the draft since (nothing written)."""
        self.session.touch()
        if not self._in_scope(key):
            raise PermissionDenied(self.session.role, Permission.EDIT_CHILD,
                                   msg.VILLAGE_NOT_ASSIGNED)
        if base is None:
            return store.save_draft(self.db, self.session.user_id, key, payload, self.writer)
        version = store.save_draft_if(self.db, self.session.user_id, key, payload,
                                      base=base, writer=self.writer)
        if version is None:
            raise StaleDraft()
        return version

    @unchecked("a person's own unsaved form")
    def version_of(self, key: str) -> int:
        """The stored version of draft ``key`` (0 when none was ever written): the base a
        form opened on it writes with."""
        return store.draft_version(self.db, self.session.user_id, key)

    @unchecked("a person's own unsaved forms, within their village scope")
    def pending(self) -> list[Draft]:
        """The person's unsaved entry forms, newest first."""
        self.session.touch()
        rows = store.pending_drafts(self.db, self.session.user_id)
        return [Draft(r["key"], r["payload"] if isinstance(r["payload"], dict) else {},
                      r["updated_at"], r["version"], r["writer"])
                for r in rows
                if str(r["key"]).startswith(_ENTRY_PREFIX) and self._in_scope(r["key"])]

    @unchecked("a person's own unsaved form")
    def discard(self, key: str, *, base: int | None = None) -> int | None:
        """Forget draft ``key`` (after saving, or when the person declines it). With
        ``base``, only while the draft is still at that version: the new version, or None
        when another session has written a newer draft (which is kept)."""
        self.session.touch()
        if base is None:
            store.discard_draft(self.db, self.session.user_id, key)
            return None
        return store.discard_draft_if(self.db, self.session.user_id, key, base=base,
                                      writer=self.writer)

    @unchecked("a person's own preference")
    def compose_mode(self) -> str:
        """The person's typing mode (off / Telex / VNI), "off" when unknown."""
        try:
            value = store.load_draft(self.db, self.session.user_id, _COMPOSE_KEY)
        except TreemError:
            return "off"
        return value if value in COMPOSE_MODES else "off"

    @unchecked("a person's own preference")
    def set_compose_mode(self, mode: str) -> None:
        """Remember the person's typing mode for the next session."""
        if mode in COMPOSE_MODES:
            store.save_draft(self.db, self.session.user_id, _COMPOSE_KEY, mode, self.writer)

