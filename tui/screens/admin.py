"""Administration: user accounts (administrator only), the village list, commune settings.

``AdminScreen(services)`` has three pages, switched with keys 1, 2, 3:

1. users: add (user name, full name, role, temporary password, villages for a
   collaborator), lock or unlock, reset the password, change the role, assign villages;
   shown only to roles that may manage users;
2. villages: add, rename, retire or bring back (children keep a retired village);
3. settings: idle timeout and re-check percentage.

Each change opens a one-line form (Enter moves on and saves at the last field, Escape
cancels) and goes through ``services.users`` or ``services.commune``, which check the
role and audit.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Input, Label, Static

from libchild.text.fold import fold
from tui.domain import Permission, Role
from tui.errors import TreemError
from tui.formatting import number
from tui.messages import review as txt
from tui.messages.labels import ROLE_NAMES, name_of, role_from_text
from tui.screens.detail import ListSource
from tui.services import Services
from tui.services.commune import VillageRow
from tui.services.policy import allowed
from tui.services.users import Account
from tui.widgets import CodeInput, CodeSource, QuietScreen, StatusBar, VietInput
from tui.widgets.paged_table import Column, PagedTable, Row

__all__ = ["AdminScreen", "role_of"]

#: The roles of a commune's accounts (province roles are given by the province).
ROLES = tuple(role for role in Role if not role.is_province)
#: Roles are picked by number (or a few letters of the Vietnamese name).
ROLE_CHOICES = tuple((str(n), ROLE_NAMES[r]) for n, r in enumerate(ROLES, 1))

#: The form fields each mode asks for, in order.
MODE_FIELDS: dict[str, tuple[str, ...]] = {
    "add_user": ("username", "full_name", "role", "password", "villages"),
    "reset_password": ("password",),
    "set_role": ("role",),
    "set_villages": ("villages",),
    "add_village": ("village_name",),
    "rename_village": ("village_name",),
    "settings": ("idle", "recheck"),
}
PAGE_OF_MODE = {
    "add_user": "users", "reset_password": "users", "set_role": "users",
    "set_villages": "users", "add_village": "villages", "rename_village": "villages",
}
FORM_FIELDS = ("username", "full_name", "role", "password", "villages", "village_name")


def role_of(typed: str) -> Role | None:
    """The role for what was typed in the role picker: its number, or its name as
    ``treem users add --role`` takes it (``can-bo``; the stored value still works); None
    for anything else, a province role included."""
    text = typed.strip()
    if text.isdigit() and 1 <= int(text) <= len(ROLES):
        return ROLES[int(text) - 1]
    role = role_from_text(text)
    return role if role in ROLES else None


class AdminScreen(QuietScreen[None]):
    """Users, villages and settings of the commune's register."""

    #: Enter moves to the next field: the app holds keys typed after it until it has.
    ENTER_MOVES_FOCUS = True

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", txt.KEY_BACK, id="back"),
        Binding("1", "page('users')", show=False, id="admin_page_1"),
        Binding("2", "page('villages')", show=False, id="admin_page_2"),
        Binding("3", "page('settings')", show=False, id="admin_page_3"),
        Binding("f2", "start('add_user')", txt.KEY_ADD, id="admin_add_user"),
        Binding("f3", "toggle_lock", txt.KEY_LOCK_TOGGLE, id="admin_lock"),
        Binding("f4", "start('reset_password')", txt.KEY_RESET_PASSWORD, id="admin_password"),
        Binding("f6", "start('set_role')", txt.KEY_ROLE, id="admin_role"),
        Binding("f7", "start('set_villages')", txt.KEY_VILLAGES, id="admin_villages"),
        Binding("f2", "start('add_village')", txt.KEY_ADD, id="admin_add_village"),
        Binding("f3", "toggle_village", txt.KEY_RETIRE, id="admin_retire"),
        Binding("f6", "start('rename_village')", txt.KEY_RENAME, id="admin_rename"),
        Binding("f2", "save_settings", txt.KEY_SAVE, id="admin_save_settings"),
    ]
    _PAGE_ACTIONS: ClassVar[dict[str, str]] = {
        "toggle_lock": "users", "toggle_village": "villages", "save_settings": "settings",
    }

    def __init__(self, services: Services, start: str | None = None) -> None:
        """``start="add_village"`` opens on the village page with its add form open
        (home's key V on a register without villages)."""
        super().__init__()
        self.services = services
        self._start = start
        self.manage_users = allowed(services.session, Permission.MANAGE_USERS)
        self.page = "users" if self.manage_users else "villages"
        self.mode: str | None = None
        self.users: list[Account] = []
        self.villages: list[VillageRow] = []
        self._target: Any = None

    def compose(self) -> ComposeResult:
        yield Static(txt.ADMIN_TITLE, id="admin-title", classes="screen-title")
        yield Static(txt.ADMIN_PAGES, id="admin-pages", classes="screen-hint")
        with ContentSwitcher(initial=f"page-{self.page}", id="admin-switcher"):
            with Vertical(id="page-users"):
                if self.manage_users:
                    yield PagedTable(
                        (Column(txt.COL_USERNAME, 14), Column(txt.COL_FULL_NAME, 20),
                         Column(txt.COL_ROLE, 14), Column(txt.COL_STATUS, 10),
                         Column(txt.COL_VILLAGES)),
                        selectable=False, id="admin-user-table",
                    )
                else:
                    yield Static(txt.ADMIN_USERS_ONLY, id="admin-users-only")
            yield PagedTable(
                (Column(txt.COL_VILLAGE, 40), Column(txt.COL_STATUS, 12),
                 Column(txt.COL_CHILDREN)),
                selectable=False, id="page-villages",
            )
            with Vertical(id="page-settings"):
                yield Static("", id="admin-settings-hint")
                for name in ("idle", "recheck"):
                    with Horizontal(classes="form-row"):
                        yield Label(txt.ADMIN_FORM_LABELS[name], classes="admin-label")
                        yield VietInput(restrict=r"[0-9]*", max_length=3,
                                        id=f"admin-{name}", field=name)
        yield Static("", id="admin-mode", classes="caption")
        with Vertical(id="admin-form"):
            for name in FORM_FIELDS:
                with Horizontal(classes="form-row admin-field", id=f"row-{name}"):
                    yield Label(txt.ADMIN_FORM_LABELS[name], classes="admin-label")
                    yield self._make_input(name)
        yield Static("", id="admin-message")
        yield from self.compose_bottom_bar()

    def _make_input(self, name: str) -> Input:
        common: dict[str, Any] = {"id": f"admin-{name}", "field": name}
        if name == "role":
            return CodeInput(CodeSource.from_pairs(lambda: ROLE_CHOICES), **common)
        if name == "username":
            return VietInput(restrict=r"[A-Za-z0-9._]*", max_length=32, **common)
        if name == "password":
            return VietInput(password=True, **common)
        return VietInput(composable=True, **common)

    def on_mount(self) -> None:
        self.sync_status()
        self._close_form()
        self.load()
        if self._start == "add_village":
            self.page = "villages"
        self.action_page(self.page)
        if self._start == "add_village":
            self.action_start("add_village")

    # --- data --------------------------------------------------------------------------
    def load(self) -> None:
        """Read users (if allowed), villages and settings again."""
        try:
            if self.manage_users:
                self.users = self.services.users.listing()
            self.villages = self.services.commune.all_villages()
            settings = self.services.commune.settings()
        except TreemError as exc:
            self._message(str(exc), "error")
            return
        names = {v.id: v.name for v in self.villages}
        if self.manage_users:
            self.query_one("#admin-user-table", PagedTable).set_source(
                ListSource([self._user_row(n, u, names) for n, u in enumerate(self.users)]),
                keep_position=True,
            )
        self.query_one("#page-villages", PagedTable).set_source(
            ListSource([
                Row(n, (v.name, txt.VILLAGE_ACTIVE if v.active else txt.VILLAGE_RETIRED,
                        number(v.children)))
                for n, v in enumerate(self.villages)
            ]),
            keep_position=True,
        )
        if settings is not None:
            self.query_one("#admin-settings-hint", Static).update(
                txt.ADMIN_SETTINGS_HINT.format(name=settings.commune_name,
                                               code=settings.commune_code))
            self.query_one("#admin-idle", Input).value = str(settings.idle_timeout_min)
            self.query_one("#admin-recheck", Input).value = str(settings.recheck_percent)

    @staticmethod
    def _user_row(n: int, user: Account, names: dict[int, str]) -> Row:
        if user.disabled:
            status = txt.USER_DISABLED
        elif user.locked_until:
            status = txt.USER_LOCKED
        elif user.must_change_password:
            status = txt.USER_MUST_CHANGE
        else:
            status = txt.USER_ACTIVE
        villages = ", ".join(names.get(v, str(v)) for v in user.villages)
        return Row(n, (user.username, user.full_name, name_of(ROLE_NAMES, user.role), status,
                       villages or txt.ALL_VILLAGES))

    def _selected_user(self) -> Account | None:
        if not self.manage_users:
            return None
        key = self.query_one("#admin-user-table", PagedTable).current_key
        return self.users[key] if key is not None and key < len(self.users) else None

    def _selected_village(self) -> VillageRow | None:
        key = self.query_one("#page-villages", PagedTable).current_key
        return self.villages[key] if key is not None and key < len(self.villages) else None

    # --- pages and bindings ------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start" and parameters:
            mode = str(parameters[0])
            page = PAGE_OF_MODE.get(mode)
            if page == "users" and not self.manage_users:
                return False
            return page == self.page
        if action in self._PAGE_ACTIONS:
            if action == "toggle_lock" and not self.manage_users:
                return False
            return self._PAGE_ACTIONS[action] == self.page
        return True

    def action_page(self, page: str) -> None:
        """Show page ``users``, ``villages`` or ``settings``."""
        self._close_form()
        self.page = page
        self.query_one(ContentSwitcher).current = f"page-{page}"
        idle = {"users": txt.ADMIN_IDLE_USERS, "villages": txt.ADMIN_IDLE_VILLAGES}
        self.query_one("#admin-mode", Static).update(idle.get(page, ""))
        if page == "users":
            if self.manage_users:
                self.query_one("#admin-user-table", PagedTable).focus()
            else:
                self.set_focus(None)
        elif page == "villages":
            self.query_one("#page-villages", PagedTable).focus()
        else:
            self.query_one("#admin-idle", Input).focus()
        self.refresh_bindings()

    # --- the one-line form -------------------------------------------------------------
    def _message(self, text: str, severity: str = "info") -> None:
        label = self.query_one("#admin-message", Static)
        label.update(text)
        label.set_class(severity == "error", "-error")
        for bar in self.query(StatusBar):
            bar.say(text, severity)

    def _close_form(self) -> None:
        self.mode = None
        self._target = None
        for name in FORM_FIELDS:
            self.query_one(f"#row-{name}").display = False
            self.query_one(f"#admin-{name}", Input).value = ""

    def action_start(self, mode: str) -> None:
        """Open the form for ``mode``."""
        target: Any = None
        if mode in ("reset_password", "set_role", "set_villages"):
            target = self._selected_user()
            if target is None:
                self._message(txt.ADMIN_PICK_USER, "warning")
                return
        elif mode == "rename_village":
            target = self._selected_village()
            if target is None:
                self._message(txt.ADMIN_PICK_VILLAGE, "warning")
                return
        self._close_form()
        self.mode = mode
        self._target = target
        for name in MODE_FIELDS[mode]:
            self.query_one(f"#row-{name}").display = True
        if mode == "set_role":
            number = ROLES.index(target.role) + 1 if target.role in ROLES else ""
            self.query_one("#admin-role", Input).value = str(number)
        elif mode == "set_villages":
            names = {v.id: v.name for v in self.villages}
            self.query_one("#admin-villages", Input).value = ", ".join(
                names.get(v, "") for v in target.villages)
        elif mode == "rename_village":
            self.query_one("#admin-village_name", Input).value = target.name
        caption = txt.ADMIN_MODES[mode].format(
            username=getattr(target, "username", ""), name=getattr(target, "name", ""))
        self.query_one("#admin-mode", Static).update(caption)
        self._message("")
        self.query_one(f"#admin-{MODE_FIELDS[mode][0]}", Input).focus()

    @on(Input.Submitted, "#admin-form Input")
    def _next_field(self, event: Input.Submitted) -> None:
        if self.mode is None:
            return
        names = MODE_FIELDS[self.mode]
        name = (event.input.id or "").removeprefix("admin-")
        if name == names[-1]:
            self.save()
        else:
            self.query_one(f"#admin-{names[names.index(name) + 1]}", Input).focus()

    @on(Input.Submitted, "#page-settings Input")
    def _settings_next(self, event: Input.Submitted) -> None:
        if event.input.id == "admin-idle":
            self.query_one("#admin-recheck", Input).focus()
        else:
            self.action_save_settings()

    def _value(self, name: str) -> str:
        return self.query_one(f"#admin-{name}", Input).value.strip()

    def _village_ids(self, text: str) -> list[int]:
        by_name = {fold(v.name): v.id for v in self.villages}
        ids = []
        for part in text.split(","):
            key = fold(part)
            if not key:
                continue
            if key not in by_name:
                raise ValueError(txt.UNKNOWN_VILLAGE.format(name=part.strip()))
            ids.append(by_name[key])
        return ids

    def save(self) -> None:
        """Carry out the open form's change."""
        mode, target = self.mode, self._target
        if mode is None:
            return
        done: dict[str, str] = {}
        try:
            if mode in ("add_user", "set_role"):
                role_input = self.query_one("#admin-role", CodeInput)
                role_input.resolve()
                role = role_of(role_input.value)
                if role is None:
                    choices = ", ".join(f"{n} {name}" for n, name in ROLE_CHOICES)
                    raise ValueError(txt.UNKNOWN_ROLE_CODE.format(role=role_input.value,
                                                                  choices=choices))
            if mode == "add_user":
                villages = self._village_ids(self._value("villages"))
                username = self._value("username").lower()
                self.services.users.create(username, self._value("full_name"), role,
                                           self._value("password"), villages=villages)
                done = {"username": username}
            elif mode == "reset_password":
                self.services.users.reset_password(target.username, self._value("password"))
                done = {"username": target.username}
            elif mode == "set_role":
                self.services.users.set_role(target.username, role)
                done = {"username": target.username}
            elif mode == "set_villages":
                self.services.users.set_villages(target.username,
                                                 self._village_ids(self._value("villages")))
                done = {"username": target.username}
            elif mode == "add_village":
                name = " ".join(self._value("village_name").split())
                self.services.commune.add_village(name)
                done = {"name": name}
            elif mode == "rename_village":
                name = " ".join(self._value("village_name").split())
                self.services.commune.rename_village(target.id, name)
                done = {"name": name}
        except (TreemError, ValueError) as exc:
            self._message(txt.ADMIN_NOT_SAVED.format(message=str(exc)), "error")
            return
        self._close_form()
        self.load()
        if self._start == "add_village":
            self.page = "villages"
        self.action_page(self.page)
        if self._start == "add_village":
            self.action_start("add_village")
        self._message(txt.ADMIN_DONE[mode].format(**done))

    # --- one-key changes ---------------------------------------------------------------
    def action_toggle_lock(self) -> None:
        """F3 on the users page: lock or unlock the highlighted account."""
        user = self._selected_user()
        if user is None:
            self._message(txt.ADMIN_PICK_USER, "warning")
            return
        try:
            self.services.users.set_disabled(user.username, not user.disabled)
        except TreemError as exc:
            self._message(txt.ADMIN_NOT_SAVED.format(message=str(exc)), "error")
            return
        self.load()
        done = "unlock" if user.disabled else "lock"
        self._message(txt.ADMIN_DONE[done].format(username=user.username))

    def action_toggle_village(self) -> None:
        """F3 on the villages page: retire the highlighted village or bring it back."""
        village = self._selected_village()
        if village is None:
            self._message(txt.ADMIN_PICK_VILLAGE, "warning")
            return
        try:
            self.services.commune.set_village_active(village.id, not village.active)
        except TreemError as exc:
            self._message(txt.ADMIN_NOT_SAVED.format(message=str(exc)), "error")
            return
        self.load()
        done = "retire_village" if village.active else "restore_village"
        self._message(txt.ADMIN_DONE[done].format(name=village.name))

    def action_save_settings(self) -> None:
        """F2 on the settings page: store idle timeout and re-check percentage."""
        values: dict[str, int] = {}
        for name, key, low, high in (("idle", "idle_timeout_min", 0, 240),
                                     ("recheck", "recheck_percent", 0, 100)):
            raw = self._value(name)
            if not raw.isdigit() or not low <= int(raw) <= high:
                self._message(txt.SETTING_NUMBER.format(
                    label=txt.ADMIN_FORM_LABELS[name], low=low, high=high), "error")
                self.query_one(f"#admin-{name}", Input).focus()
                return
            values[key] = int(raw)
        try:
            self.services.commune.update_settings(**values)
        except TreemError as exc:
            self._message(txt.ADMIN_NOT_SAVED.format(message=str(exc)), "error")
            return
        self._message(txt.ADMIN_DONE["settings"])

    def action_back(self) -> None:
        if self.mode is not None:
            self._close_form()
            self.action_page(self.page)
            self._message("")
            return
        self.dismiss(None)
