"""Home: the commune, the user, the count of each review list, every action by key.

Only what the person's role may use is listed (``tui.services.policy.DOORS`` and
``review_kinds``, asked through ``app.may_open`` and ``services.review.kinds``); the key of
an action not listed does nothing, so nothing offered is refused after it opens.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widgets import Static

from tui.domain import Permission, ReviewKind
from tui.errors import TreemError
from tui.formatting import shown
from tui.messages import review as review_txt
from tui.messages import ui
from tui.messages.labels import ROLE_NAMES, name_of
from tui.screens import ScreenName, app_of
from tui.services import Services
from tui.services.drafts import Draft
from tui.services.policy import allowed
from tui.widgets import QuietScreen

__all__ = ["DUPLICATE_COUNT_MAX_CHILDREN", "HomeScreen"]

#: Digit keys 1..6 open the review lists in this order.
REVIEW_KINDS = tuple(ReviewKind)

#: Above this many children the home screen does not compare every pair of records for
#: its duplicate count (tens of seconds of CPU at 300,000); the duplicate screen does.
DUPLICATE_COUNT_MAX_CHILDREN = 50_000


#: The key of the duplicate count in the counts the worker gathers.
DUPLICATES = "duplicates"

#: The home actions that open a guarded screen (``check_action`` asks the app).
_ACTION_SCREENS: dict[str, ScreenName] = {
    "entry": ScreenName.ENTRY, "resume_draft": ScreenName.ENTRY,
    "search": ScreenName.SEARCH, "review": ScreenName.REVIEW,
    "duplicates": ScreenName.DUPLICATES, "admin": ScreenName.ADMIN,
    "transfer": ScreenName.TRANSFER, "report": ScreenName.REPORT,
    "recheck": ScreenName.RECHECK,
}


def _number(count: int | None) -> str:
    """A count right-aligned in 7 columns with Vietnamese thousands dots, then a space."""
    if count is None:
        return f"{ui.HOME_NOT_COUNTED:>7} "
    return f"{count:>7,} ".replace(",", ".")


class HomeScreen(QuietScreen[None]):
    """The first screen after login."""

    AUTO_FOCUS = None
    MIN_SIZE = (60, 20)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,n", "entry", ui.KEY_ENTRY, id="entry"),
        Binding("f3", "resume_draft", ui.KEY_RESUME_DRAFT, id="resume_draft", show=False),
        Binding("f8", "discard_draft", ui.KEY_DISCARD_DRAFT, id="discard_draft", show=False),
        Binding("f4,t", "search", ui.KEY_SEARCH, id="search"),
        Binding("f5,r", "review", ui.KEY_REVIEW, id="review"),
        Binding("f6,d", "duplicates", ui.KEY_DUPLICATES, id="duplicates"),
        Binding("f7,a", "admin", ui.KEY_ADMIN, id="admin"),
        Binding("f12,x", "transfer", ui.KEY_TRANSFER, id="transfer", show=False),
        Binding("f11,b", "report", ui.KEY_REPORT, id="report", show=False),
        Binding("f10,k", "keytest", ui.KEY_KEYTEST, id="keytest", show=False),
        Binding("p", "recheck", ui.KEY_RECHECK, id="recheck", show=False),
        Binding("v", "add_villages", ui.KEY_ADD_VILLAGES, id="add_villages", show=False),
        Binding("ctrl+p", "app.command_palette", ui.KEY_PALETTE, id="palette", show=False),
        *[
            Binding(str(i), f"review('{kind}')", show=False, id=f"review_{i}")
            for i, kind in enumerate(REVIEW_KINDS, start=1)
        ],
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.drafts: list[Draft] = []
        self._counts: dict[str, int | None] | None = None
        self._no_village = False
        self._compact = False

    def compose(self) -> ComposeResult:
        yield Static(ui.HOME_TITLE, id="home-title")
        yield Static("", id="home-place")
        with Horizontal(id="home-columns"):
            with Vertical(id="home-lists"):
                yield Static(ui.HOME_LISTS, classes="caption")
                yield Static("", id="home-counts")
            with Vertical(id="home-actions"):
                yield Static(ui.HOME_ACTIONS, classes="caption")
                yield Static(self._actions(), id="home-action-list")
        yield Static("", id="home-drafts")
        yield Static("", id="home-setup")
        yield from self.compose_bottom_bar()

    def _may(self, screen: ScreenName) -> bool:
        return app_of(self).may_open(screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys of what the person may not use do nothing (and leave the footer)."""
        if action == "add_villages":
            return self._leads_to_villages()
        screen = _ACTION_SCREENS.get(action)
        if screen is not None and not self._may(screen):
            return False
        # A digit opens a list only if the person may read it.
        return not (action == "review" and parameters and parameters[0] not in self._kinds())

    def _kinds(self) -> tuple[ReviewKind, ...]:
        return self.services.review.kinds()

    def _check_size(self, size: Size) -> None:
        """Below 80x24 the actions go under the lists, in two columns (CSS ``-compact``)."""
        super()._check_size(size)
        compact = self.has_class("-compact")
        if compact != self._compact:
            self._compact = compact
            self.query_one("#home-action-list", Static).update(self._actions())
            self._show_drafts()

    def _actions(self) -> Text:
        """One action a line (key, label); two a line in the compact layout."""
        text = Text(no_wrap=True, end="")
        rows = [
            (key, label) for key, label, screen in (
                ("F2/N", ui.CMD_ENTRY[0], ScreenName.ENTRY),
                ("F4/T", ui.CMD_SEARCH[0], ScreenName.SEARCH),
                ("F5/R", ui.KEY_REVIEW, ScreenName.REVIEW),
                ("F6/D", ui.CMD_DUPLICATES[0], ScreenName.DUPLICATES),
                ("F7/A", ui.CMD_ADMIN[0], ScreenName.ADMIN),
                ("F12/X", ui.HOME_TRANSFER, ScreenName.TRANSFER),
                ("F11/B", ui.HOME_REPORT, ScreenName.REPORT),
                ("P", ui.KEY_RECHECK, ScreenName.RECHECK),
                ("F10/K", ui.CMD_KEYTEST[0], None),
                ("F9", ui.CMD_COMPOSE[0], None),
                ("Ctrl+P", ui.KEY_PALETTE, None),
                ("Ctrl+Q", ui.KEY_QUIT, None),
            ) if screen is None or self._may(screen)
        ]
        per_line = 2 if self._compact else 1
        width = max(7 + cell_len(label) for _key, label in rows) + 2
        for i, (key, label) in enumerate(rows):
            if i and i % per_line == 0:
                text.append("\n")
            elif i:
                text.append(" " * (width - 7 - cell_len(rows[i - 1][1])))
            text.append(f"{key:<7}", style="bold")
            text.append(label)
        return text

    def on_mount(self) -> None:
        self.sync_status()
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.sync_status()
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload the place, the counts and the pending drafts."""
        app = app_of(self)
        session = self.services.session
        place = ui.HOME_COMMUNE.format(name=app.commune_name, code=app.commune_code)
        user = ui.HOME_USER.format(name=session.full_name, role=name_of(ROLE_NAMES, session.role))
        self.query_one("#home-place", Static).update(shown(f"{place}\n{user}"))
        if not self._kinds():  # police, viewer: no list to count
            self.query_one("#home-counts", Static).update(ui.HOME_NO_LISTS)
        elif self._counts is None:
            self.query_one("#home-counts", Static).update(ui.HOME_COUNTING)
        else:
            self._show_counts(self._counts)
        if self._kinds():
            # After the first paint, so that the screen is usable at once on a large
            # register.
            self.call_after_refresh(self._start_count)
        try:
            self.drafts = self.services.drafts.pending()
        except TreemError:
            self.drafts = []
        self._show_drafts()
        # A register made by ``treem init`` has no village yet: say where they are added
        # before anyone opens the entry form and finds the Thôn field empty.
        try:
            self._no_village = not self.services.commune.villages()
        except TreemError:
            self._no_village = False
        setup = ""
        if self._no_village:
            setup = ui.HOME_NO_VILLAGE_ADMIN if self._leads_to_villages() else ui.HOME_NO_VILLAGE
        self.query_one("#home-setup", Static).update(setup)
        self.refresh_bindings()

    def _show_drafts(self) -> None:
        drafts = self.query_one("#home-drafts", Static)
        text = ui.HOME_DRAFTS_SHORT if self._compact else ui.HOME_DRAFTS
        drafts.update(text.format(count=len(self.drafts)) if self.drafts else "")
        drafts.set_class(not self.drafts, "-empty")

    def _leads_to_villages(self) -> bool:
        """Key V opens the village list's add form: only while the register has no
        village, for a person who may add them."""
        return self._no_village and self._may(ScreenName.ADMIN) and allowed(
            self.services.session, Permission.MANAGE_VILLAGES)

    def _start_count(self) -> None:
        # The worker belongs to the app: its messages must not wake this screen while the
        # entry form covers it (a covered screen that repaints makes Textual redraw the
        # whole terminal).
        self.app.run_worker(self._load_counts, thread=True, exclusive=True, group="counts")

    def _load_counts(self) -> None:
        """Count the review lists off the UI thread (seconds on a large register); a person
        who may not review sees no counts."""
        try:
            counts: dict[str, int | None] = dict(self.services.review.counts())
        except TreemError:
            counts = {}
        if counts and self._may(ScreenName.DUPLICATES):
            # The lists first: they are quick, the duplicates may take seconds.
            self.app.call_from_thread(self._show_counts, counts)
            try:
                found = self.services.duplicates.count_candidates(
                    max_children=DUPLICATE_COUNT_MAX_CHILDREN)
            except TreemError:
                found = None
            counts = {**counts, DUPLICATES: found}
        self.app.call_from_thread(self._show_counts, counts)

    def _show_counts(self, counts: dict[str, int | None]) -> None:
        """Show the counts, unless another screen is on top (no repaint under the form)."""
        self._counts = counts
        if self.app.screen is self:
            self.query_one("#home-counts", Static).update(self._counts_text(counts))

    def _counts_text(self, counts: dict[str, int | None] | None) -> Text:
        """One line per review list the person may read (its digit key, its size, the
        review screen's title), then the duplicate candidates (key D) for a person who may
        decide them; "…" while they are being compared."""
        text = Text(no_wrap=True, end="")
        if not counts:
            text.append(ui.HOME_NO_COUNTS)
            return text
        for i, kind in enumerate(REVIEW_KINDS, start=1):
            if kind not in counts:
                continue
            if text:
                text.append("\n")
            text.append(f"{i} ", style="bold")
            text.append(_number(counts.get(kind)), style="bold")
            text.append(review_txt.REVIEW_KINDS[kind][0])
        if not self._may(ScreenName.DUPLICATES):
            return text
        text.append("\nD ", style="bold")
        if DUPLICATES in counts:
            text.append(_number(counts[DUPLICATES]), style="bold")
        else:
            text.append(f"{'…':>7} ", style="bold")
        text.append(ui.HOME_DUPLICATES)
        return text

    # --- actions ---------------------------------------------------------------------------
    def action_entry(self) -> None:
        """Enter a new household."""
        app_of(self).open_screen(ScreenName.ENTRY)

    def action_add_villages(self) -> None:
        """The admin screen's village page with its add form open (a register fresh from
        ``treem init`` without villages)."""
        app_of(self).open_screen(ScreenName.ADMIN, "add_village")

    def action_resume_draft(self) -> None:
        """Open the newest draft in the entry form."""
        from tui.screens.entry import EntryScreen

        if not self.drafts:
            self.app.notify(ui.NO_DRAFT)
            return
        draft = self.drafts[0]
        payload = draft.payload
        self.app.push_screen(EntryScreen(self.services, payload.get("child_id"), draft=payload,
                                         draft_version=draft.version))

    def action_discard_draft(self) -> None:
        """Discard the newest draft."""
        if self.drafts:
            try:
                # Only the draft shown: a newer one written meanwhile by another session
                # of this person is kept (and shown by the refresh below).
                self.services.drafts.discard(self.drafts[0].key, base=self.drafts[0].version)
            except TreemError as exc:
                self.app.notify(str(exc), severity="error")
                return
            self.app.notify(ui.DRAFT_DISCARDED)
            self.refresh_data()

    def action_search(self) -> None:
        """Search children."""
        app_of(self).open_screen(ScreenName.SEARCH)

    def action_review(self, kind: str | None = None) -> None:
        """Open a review list (the first one the person may read when no kind is given)."""
        kinds = self._kinds()
        app_of(self).open_screen(ScreenName.REVIEW, kind or (kinds or REVIEW_KINDS)[0])

    def action_duplicates(self) -> None:
        """Review duplicate candidates."""
        app_of(self).open_screen(ScreenName.DUPLICATES)

    def action_admin(self) -> None:
        """Administration."""
        app_of(self).open_screen(ScreenName.ADMIN)

    def action_transfer(self) -> None:
        """Spreadsheets: exports and imports."""
        app_of(self).open_screen(ScreenName.TRANSFER)

    def action_report(self) -> None:
        """Indicators of the plans against their targets."""
        app_of(self).open_screen(ScreenName.REPORT)

    def action_recheck(self) -> None:
        """Re-check (phúc tra): the sample, blind re-entry, resolution."""
        try:
            app_of(self).open_screen(ScreenName.RECHECK)
        except TreemError as exc:  # no re-check permission, a locked register...
            self.notify(str(exc), severity="warning")

    def action_keytest(self) -> None:
        """Key test."""
        app_of(self).open_screen(ScreenName.KEYTEST)
