"""The treem Textual application: wires the screens, holds the session, locks when idle.

``run_app(db_path)`` is what the ``treem`` command calls. The app is built for old PCs on
slow SSH links: no animations, no blinking cursor, no timers that repaint, 80x24 and 16
colours are enough, every action has a key that PuTTY sends (F1-F10, Ctrl+letter, Enter,
Tab) and the command palette (Ctrl+P) finds all of them by name without diacritics.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.errors import TreemError
from tui.messages import core as core_msg
from tui.messages import ui
from tui.messages.labels import ROLE_NAMES, name_of
from tui.messages.review import REVIEW_KINDS
from tui.paths import clean_scratch
from tui.screens import ScreenName
from tui.services import Services, accounts
from tui.services.policy import Session, may_open
from tui.services.registers import RegisterFile, open_register
from tui.widgets import StatusBar, VietInput

if TYPE_CHECKING:
    from tui.services.training import TrainingSeat

__all__ = ["COMPOSE_MODES", "TreemApp", "run_app"]

COMPOSE_MODES = ("off", "telex", "vni")
IDLE_CHECK_S = 10.0
#: Longest wait for focus to move after Enter (or for Esc's binding to run) before held
#: keys go to the focused widget.
HOLD_KEYS_S = 0.3
#: App actions refused while the session is locked (Ctrl+Q still quits).
LOCKED_OUT_ACTIONS = frozenset({"command_palette", "field_help", "toggle_compose"})


def palette_provider() -> type[Any]:
    """The command-palette provider, built on first use (textual.command is slow to import).

    It lists every app action and finds them by words typed without diacritics.
    """
    global _PROVIDER
    if _PROVIDER is not None:
        return _PROVIDER
    from textual.command import DiscoveryHit, Hit, Hits, Provider

    from libchild.text.fold import fold

    class TreemCommands(Provider):
        def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
            app = self.app
            assert isinstance(app, TreemApp)
            return app.palette_commands()

        async def search(self, query: str) -> Hits:
            words = fold(query).split()
            for name, help_text, callback in self._commands():
                haystack = fold(f"{name} {help_text}")
                if all(w in haystack for w in words):
                    score = 1.0 if fold(name).startswith(" ".join(words)) else 0.5
                    yield Hit(score, name, callback, text=name, help=help_text)

        async def discover(self) -> Hits:
            for name, help_text, callback in self._commands():
                yield DiscoveryHit(name, callback, text=name, help=help_text)

    _PROVIDER = TreemCommands
    return _PROVIDER


_PROVIDER: type[Any] | None = None


def vietnamese_palette() -> Any:
    """Textual's command palette with its own texts in Vietnamese (built on first use).

    Textual 8 hard-codes "No matches found" inside ``_start_no_matches_countdown``; the
    subclass replaces that one method, keeping its timing and option id.
    """
    from rich.align import Align
    from rich.text import Text
    from textual.command import CommandList, CommandPalette
    from textual.widgets.option_list import Option

    class TreemPalette(CommandPalette):
        def _start_no_matches_countdown(self, search_value: str) -> None:
            self._stop_no_matches_countdown()

            def show_no_matches() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(
                        Option(
                            Align.center(Text(ui.PALETTE_NO_MATCHES, style="not bold")),
                            disabled=True,
                            id=self._NO_MATCHES,
                        )
                    )
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(
                self._NO_MATCHES_COUNTDOWN, show_no_matches
            )

    return TreemPalette(placeholder=ui.PALETTE_PLACEHOLDER, id="--command-palette")


class TreemApp(App[int]):
    """The commune child register in a terminal."""

    CSS_PATH = "app.tcss"
    TITLE = ui.APP_TITLE
    COMMANDS: ClassVar[set[Any]] = {palette_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "field_help", ui.KEY_HELP, id="help"),
        Binding("f9", "toggle_compose", ui.KEY_COMPOSE, id="compose"),
        Binding("ctrl+l", "lock", ui.KEY_LOCK, id="lock", show=False),
        Binding(
            "ctrl+p", "command_palette", ui.KEY_PALETTE, id="command_palette", show=False,
            priority=True,
        ),
        Binding("ctrl+q", "quit", ui.KEY_QUIT, id="quit", show=False, priority=True),
    ]

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None = None,
        *,
        sandbox: bool = False,
        services: Services | None = None,
        seat: TrainingSeat | None = None,
    ) -> None:
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
        super().__init__()
        self.animation_level = "none"
        self.theme = "ansi-dark"
        self.db_path = Path(db_path) if db_path is not None else None
        self.sandbox = sandbox
        self.register: RegisterFile | None = None
        self.services = services
        #: A trainee's seat in a training session (``treem training join``): the trainee
        #: logs in as their own account and the entry form's keys are measured.
        self.seat = seat
        self.compose_mode = "off"
        self.commune_name = ""
        self.commune_code = ""
        self._last_activity = time.monotonic()
        self._locked = False
        self._held_keys: list[events.Key] | None = None
        self._hold_timer: Any = None
        self._held_after: events.Key | None = None  # the Esc whose handling holds keys

    @property
    def session(self) -> Session | None:
        """The person logged in (None before login)."""
        return self.services.session if self.services is not None else None

    # --- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        from tui.keymap import apply_keymap

        keymap_problem = apply_keymap(self)  # the person's own keys, if they have a file
        if keymap_problem:
            self.notify(keymap_problem, severity="warning", timeout=30)
        if self.services is None and self.db_path is not None:
            try:
                self.register = open_register(self.db_path)
            except TreemError as exc:
                self.exit(return_code=2, message=str(exc))
                return
            if self.register.disk_full:
                self.notify(core_msg.DB_DISK_FULL_READ_ONLY, severity="warning", timeout=60)
        if self.services is not None:
            self._logged_in(self.services.session)
        elif self.register is not None:
            self.sandbox = self.sandbox or self.register.sandbox
            if self.seat is not None and self.sandbox:
                from tui.screens.login import LoginScreen

                self.push_screen(LoginScreen(self.register, fixed_username=self.seat.username),
                                 self._logged_in)
            elif self.sandbox:
                self._logged_in(accounts.sandbox_session(self.register.db))
            else:
                self._log_in(self.register)
        self.set_interval(IDLE_CHECK_S, self._check_idle)
        self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
        # Startup objects live as long as the app: keep them out of the collector's full
        # passes, which otherwise pause typing for tens of milliseconds on an old PC.
        self.call_after_refresh(gc.freeze)
        # What a killed session left in the private scratch folder goes after first paint.
        self.call_after_refresh(clean_scratch)

    def _log_in(self, register: RegisterFile) -> None:
        """One identity: a Unix (SSH) user linked to an active app account is that account,
        without the login screen; the login screen of a linked user accepts only the
        linked account (first password change, locked account); others log in as usual."""
        unix = accounts.process_unix_login()
        session = accounts.unix_session(register.db, unix)
        if session is not None:
            self._logged_in(session)
            return
        from tui.screens.login import LoginScreen

        fixed = accounts.linked_username(register.db, unix)
        self.push_screen(LoginScreen(register, fixed_username=fixed), self._logged_in)

    def _logged_in(self, session: Session | None) -> None:
        from tui.screens.home import HomeScreen

        if session is None:
            self.exit(return_code=1)
            return
        if self.services is None:
            assert self.register is not None
            self.services = Services(self.register.db, session)
        settings = self.services.commune.settings()
        if settings is not None:
            self.commune_name, self.commune_code = settings.commune_name, settings.commune_code
            self.sandbox = self.sandbox or settings.sandbox
        self.compose_mode = self.services.drafts.compose_mode()
        self._last_activity = time.monotonic()
        self.switch_or_push(HomeScreen(self.services))

    def switch_or_push(self, screen: Screen[Any]) -> None:
        """Show ``screen`` as the base screen (replacing login, or the default screen)."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # --- status bar ----------------------------------------------------------------------
    def sync_status(self, screen: Screen[Any] | None = None) -> None:
        """Put mode, user and commune in the status bar of ``screen`` (default: current)."""
        target = screen or self.screen
        for bar in target.query(StatusBar):
            bar.mode = self.compose_mode
            bar.user = self.session.username if self.session is not None else ""
            place = self.commune_name
            if self.sandbox:
                place = f"{place} [{ui.SANDBOX_TAG}]".strip()
            bar.place = place

    # --- actions -------------------------------------------------------------------------
    def action_toggle_compose(self) -> None:
        """F9: Telex -> VNI -> off, remembered for this user."""
        index = COMPOSE_MODES.index(self.compose_mode) if self.compose_mode in COMPOSE_MODES else 0
        self.compose_mode = COMPOSE_MODES[(index + 1) % len(COMPOSE_MODES)]
        self.sync_status()
        if self.services is not None:
            with contextlib.suppress(TreemError):  # a preference is not worth an error
                self.services.drafts.set_compose_mode(self.compose_mode)

    def action_field_help(self) -> None:
        """F1: help for the focused field."""
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        focused = self.focused
        field = focused.field if isinstance(focused, VietInput) else None
        self.push_screen(HelpScreen(field, keys=self.screen_keys()))

    def screen_keys(self) -> list[tuple[str, str]]:
        """The keys the current screen offers now: (key as shown, what it does)."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()  # one key per action: F2 and its letter alias N are one
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not (binding.show and binding.description and active.enabled):
                continue
            if binding.description not in seen:
                seen.add(binding.description)
                key = self.get_key_display(binding)
                out.append((key.upper() if len(key) <= 3 else key.capitalize(),
                            binding.description))
        return out

    def action_command_palette(self) -> None:
        """Ctrl+P: the command palette, in Vietnamese."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(vietnamese_palette())

    def action_help_quit(self) -> None:
        """Ctrl+C: say in Vietnamese which key quits (Textual's own text is English)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(ui.QUIT_PROMPT.format(key=key), title=ui.QUIT_PROMPT_TITLE)
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the session is locked nothing opens over the lock screen: the command
        palette would reach every screen (and the register) without the password."""
        if self._locked and action in LOCKED_OUT_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def action_lock(self) -> None:
        """Lock the session now (Ctrl+L); the screens underneath keep their state."""
        self._lock(manual=True)

    def may_open(self, name: ScreenName) -> bool:
        """May the person logged in use screen ``name`` (``tui.services.policy.DOORS``)?"""
        from tui.screens import DOOR_OF

        door = DOOR_OF.get(ScreenName(name))
        if door is None:
            return True
        return self.services is not None and may_open(self.services.session, door)

    def open_screen(self, name: ScreenName, *args: Any, callback: Any = None) -> None:
        """Push screen ``name`` (see ``tui.screens.SCREENS``) for the person logged in; a
        screen their role may not use is refused with a message, not opened."""
        from tui.screens import load_screen

        cls = load_screen(name)
        if name is ScreenName.KEYTEST:
            self.push_screen(cls(), callback)
        elif self.services is not None:
            if not self.may_open(name):
                role = name_of(ROLE_NAMES, self.services.session.role)
                self.notify(ui.DOOR_CLOSED.format(role=role), severity="warning")
                return
            self.push_screen(cls(self.services, *args), callback)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Every action the command palette offers: (name, help, callback)."""
        out: list[tuple[str, str, Callable[[], Any]]] = []
        if self.services is not None:
            screens = ((ui.CMD_ENTRY, ScreenName.ENTRY), (ui.CMD_SEARCH, ScreenName.SEARCH),
                       (ui.CMD_DUPLICATES, ScreenName.DUPLICATES),
                       (ui.CMD_TRANSFER, ScreenName.TRANSFER),
                       (ui.CMD_REPORT, ScreenName.REPORT), (ui.CMD_ADMIN, ScreenName.ADMIN))
            for command, screen in screens[:2]:
                if self.may_open(screen):
                    out.append((*command, lambda screen=screen: self.open_screen(screen)))
            name, help_text = ui.CMD_REVIEW
            for kind in self.services.review.kinds():
                out.append((name.format(name=REVIEW_KINDS[kind][0]), help_text,
                            lambda kind=kind: self.open_screen(ScreenName.REVIEW, kind)))
            for command, screen in screens[2:]:
                if self.may_open(screen):
                    out.append((*command, lambda screen=screen: self.open_screen(screen)))
            out.append((*ui.CMD_LOCK, self.action_lock))
        out.append((*ui.CMD_KEYTEST, lambda: self.open_screen(ScreenName.KEYTEST)))
        out.append((*ui.CMD_COMPOSE, self.action_toggle_compose))
        out.append((*ui.CMD_QUIT, self.exit))
        return out

    # --- dropped link ------------------------------------------------------------------------
    def hang_up(self) -> None:
        """SIGHUP (the SSH link dropped): write every open form's draft now, then exit."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush_draft", None)
            if callable(flush):
                with contextlib.suppress(Exception):
                    flush()
        self.exit(return_code=129)

    # --- idle lock -------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._last_activity = time.monotonic()
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            if self.seat is not None:
                count_key = getattr(self.screen, "count_key", None)
                if callable(count_key):
                    count_key(event.key)
            if (
                event.key == "enter"
                and isinstance(self.focused, VietInput)
                and getattr(self.screen, "ENTER_MOVES_FOCUS", False)
            ):
                # Enter in a field moves focus, but only once the screen has handled the
                # field's Submitted message; keys that arrived in the same read (a slow SSH
                # link delivers a fast typist's keys in bursts) would otherwise land in the
                # old field. Hold them until focus has moved (or briefly, if it does not).
                # Screens whose Enter moves to the next field say so (ENTER_MOVES_FOCUS).
                self._held_keys = []
                await super().on_event(event)
                self._hold_timer = self.set_timer(HOLD_KEYS_S, self._release_keys)
                return
            if event.key == "escape" and "escape" in self.active_bindings:
                # Esc closes a dialog or leaves a screen through its binding, which runs
                # when the key has gone down to the focused widget and bubbled back up
                # here; keys of the same burst ("Esc 1 2 3" over a slow link) would
                # otherwise go to the screen that is closing. Hold them until then (or
                # briefly, if a widget keeps the Esc). Screens that read Esc as a key
                # (the key test) bind nothing to it and get the keys at once.
                self._held_keys = []
                self._held_after = event
                await super().on_event(event)
                self._hold_timer = self.set_timer(HOLD_KEYS_S, self._release_keys)
                return
        elif isinstance(event, events.Key) and event is self._held_after:
            await super().on_event(event)  # the Esc's binding runs here (close, back)
            self.call_later(self._release_keys)
            return
        elif isinstance(event, events.DescendantFocus) and self._held_keys is not None:
            await super().on_event(event)
            self.call_later(self._release_keys)
            return
        await super().on_event(event)

    def _screen_changed(self, _screen: Any) -> None:
        if self._held_keys is not None:
            self.call_later(self._release_keys)

    async def _release_keys(self) -> None:
        """Deliver the keys held after an Enter or Esc, in order, to the widget now focused."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        held, self._held_keys = self._held_keys, None
        self._held_after = None
        for key in held or ():
            await self.on_event(key)  # a further Enter holds the rest again

    def idle_timeout_s(self) -> float | None:
        """Seconds of inactivity before the session locks (None: never)."""
        if self.session is None or self.sandbox:
            return None
        return self.session.idle_timeout_s

    def _check_idle(self) -> None:
        timeout = self.idle_timeout_s()
        if timeout and not self._locked and time.monotonic() - self._last_activity > timeout:
            self._lock()

    def _lock(self, *, manual: bool = False) -> None:
        """Cover every screen with an opaque lock screen (``manual``: Ctrl+L, not idle).

        A register asks for the person's password again. The demo has none (it logs in
        without one): Ctrl+L covers it all the same and Enter opens it again; a trainee's
        seat on a sandbox logged in with a password and is locked like a register.
        """
        from tui.screens.login import SandboxLockScreen, UnlockScreen

        if self._locked or self.services is None:
            return
        self._locked = True

        def unlocked(_result: Any) -> None:
            self._locked = False
            self._last_activity = time.monotonic()

        if self.sandbox and self.seat is None:
            self.push_screen(SandboxLockScreen(), unlocked)
            return
        self.services.session.expired = True
        self.push_screen(UnlockScreen(self.services, manual=manual), unlocked)


def run_app(
    db_path: str | os.PathLike[str],
    *,
    sandbox: bool = False,
    **kwargs: Any,
) -> int:
    """Run the app on the register at ``db_path`` until the user quits; the exit code."""
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    app = TreemApp(db_path, sandbox=sandbox, **kwargs)
    from tui.terminal.driver import use_lean_driver

    use_lean_driver(app)  # only changed cells; no any-motion mouse reports
    result = app.run()
    return int(result or app.return_code or 0)
