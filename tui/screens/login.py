"""Login (with the forced password change of a first login) and the lock screens.

Wrong passwords, locked accounts and the first-login change each get their Vietnamese
message from the account service's exceptions; nothing typed in the screens underneath is lost while
the session is locked.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.errors import PasswordChangeRequired, TreemError
from tui.messages import ui
from tui.services import Services, accounts
from tui.services.policy import Session
from tui.services.registers import RegisterFile
from tui.widgets import QuietFooter, QuietScreen, VietInput

__all__ = ["LoginScreen", "SandboxLockScreen", "UnlockScreen"]


def _row(label: str, widget: VietInput) -> Horizontal:
    return Horizontal(Label(label, classes="login-label"), widget, classes="login-row")


class LoginScreen(QuietScreen[Session]):
    """Username and password; dismisses with the person's ``Session``."""

    #: Enter moves to the next field: the app holds keys typed after it until it has.
    ENTER_MOVES_FOCUS = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "login", ui.KEY_LOGIN, id="login"),
        Binding("ctrl+q", "app.quit", ui.KEY_QUIT, id="quit"),
    ]

    def __init__(self, register: RegisterFile, *, fixed_username: str | None = None) -> None:
        super().__init__()
        self.register = register
        self.changing = False
        #: The only account this session may log in as (its Unix user is linked to it).
        self.fixed_username = fixed_username

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static(ui.APP_TITLE, id="login-app")
            yield Static(ui.LOGIN_TITLE, id="login-title")
            yield _row(ui.LOGIN_USER, VietInput(id="username", max_length=32))
            yield _row(ui.LOGIN_PASSWORD, VietInput(id="password", password=True))
            with Vertical(id="change-box"):
                yield _row(ui.PASSWORD_NEW, VietInput(id="new1", password=True))
                yield _row(ui.PASSWORD_REPEAT, VietInput(id="new2", password=True))
            yield Static("", id="login-message")
            yield Static(ui.LOGIN_HINT, id="login-hint")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one("#change-box").display = False
        username = self.query_one("#username", Input)
        if self.fixed_username:
            username.value = self.fixed_username
            username.disabled = True
            self.query_one("#password", Input).focus()
        else:
            username.focus()

    def _say(self, text: str, error: bool = True) -> None:
        box = self.query_one("#login-message", Static)
        box.set_class(error, "-error")
        box.update(text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["username", "password"] + (["new1", "new2"] if self.changing else [])
        current = event.input.id or ""
        if current in order and order.index(current) + 1 < len(order):
            self.query_one(f"#{order[order.index(current) + 1]}", Input).focus()
        else:
            self.action_login()

    def action_login(self) -> None:
        """Try the credentials (and the new password, when one is asked for)."""
        username = self.fixed_username or self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username or not password:
            self._say(ui.LOGIN_EMPTY)
            return
        if self.changing:
            new1 = self.query_one("#new1", Input).value
            new2 = self.query_one("#new2", Input).value
            if new1 != new2:
                self._say(ui.PASSWORD_MISMATCH)
                self.query_one("#new1", Input).focus()
                return
            try:
                session = accounts.change_password(self.register.db, username, password,
                                                   new1)
            except TreemError as exc:
                self._say(str(exc))
                return
            self.dismiss(session)
            return
        try:
            session = accounts.login(self.register.db, username, password)
        except PasswordChangeRequired as exc:
            self.changing = True
            self.query_one("#change-box").display = True
            self.query_one("#login-title", Static).update(ui.PASSWORD_TITLE)
            self._say(str(exc), error=False)
            self.query_one("#new1", Input).focus()
            return
        except TreemError as exc:
            self._say(str(exc))
            password_input = self.query_one("#password", Input)
            password_input.value = ""
            password_input.focus()
            return
        self.dismiss(session)


class UnlockScreen(ModalScreen[bool]):
    """The idle lock: the same person re-enters the password; screens below keep state."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", ui.KEY_QUIT, id="quit"),
    ]

    def __init__(self, services: Services, *, manual: bool = False) -> None:
        super().__init__()
        self.services = services
        self.manual = manual  # locked with Ctrl+L, not for inactivity

    def compose(self) -> ComposeResult:
        hint = ui.UNLOCK_HINT_MANUAL if self.manual else ui.UNLOCK_HINT
        with Vertical(id="unlock-box"):
            yield Static(ui.UNLOCK_TITLE, id="login-title")
            yield Static(
                hint.format(user=self.services.session.username),
                id="unlock-hint",
            )
            yield _row(ui.LOGIN_PASSWORD, VietInput(id="password", password=True))
            yield Static("", id="login-message")

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            accounts.unlock(self.services.db, self.services.session, event.value)
        except TreemError as exc:
            box = self.query_one("#login-message", Static)
            box.add_class("-error")
            box.update(str(exc))
            event.input.value = ""
            return
        self.dismiss(True)


class SandboxLockScreen(ModalScreen[bool]):
    """Ctrl+L on the demo: the same opaque cover, opened again with Enter.

    The demo logs in without a password (``treem demo``), so there is nothing to ask for;
    the cover still hides the screen from someone passing by, and the officer learns
    Ctrl+L on the demo as it works on the real register (docs/decisions.md).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "reopen", ui.KEY_REOPEN, id="reopen"),
        Binding("ctrl+q", "app.quit", ui.KEY_QUIT, id="quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-box"):
            yield Static(ui.UNLOCK_TITLE, id="login-title")
            yield Static(ui.UNLOCK_HINT_SANDBOX, id="unlock-hint")

    def action_reopen(self) -> None:
        self.dismiss(True)
