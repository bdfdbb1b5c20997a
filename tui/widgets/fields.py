"""Compact one-line inputs for heads-down keying: text, dates and code pickers.

All inputs here are borderless (one terminal row), never blink (a blinking cursor repaints
twice a second, forever) and keep their value in Unicode NFC whatever the terminal sends:
Unikey-style input methods type a letter, then send backspace (0x08 or 0x7F) and the
accented letter, sometimes as a base letter followed by a combining mark.

Text inputs can also compose Vietnamese themselves (Telex or VNI) for PCs without an input
method; the mode is read from the app's ``compose_mode`` attribute at each keystroke.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets.input import Selection

if TYPE_CHECKING:
    from libchild.text.compose import Composer

__all__ = [
    "CodeInput",
    "CodeSource",
    "DateInput",
    "Room",
    "VietInput",
    "auto_slash",
]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class VietInput(Input):
    """A compact, non-blinking input that keeps its value in NFC.

    ``composable=True`` lets the app's Telex/VNI mode compose the word being typed.
    Setting :attr:`carried` shows a value carried over from the previous record dimmed
    until the user edits it.
    """

    DEFAULT_CSS = """
    VietInput.-carried { text-style: dim; }
    """

    # Input grows its virtual width with every character; on a one-line input with a fixed
    # width that must not re-run the layout of the whole screen (Textual's default is
    # layout=True). Horizontal scrolling reads virtual_size directly and still works.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(
        self,
        value: str | None = None,
        *,
        composable: bool = False,
        field: str | None = None,
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("select_on_focus", True)
        super().__init__(value, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False
        self.composable = composable
        self.field = field or (self.id or "")
        self._composer: Composer | None = None  # composing value[_word_start:_word_end]
        self._word_start = self._word_end = -1

    # --- carried-over values --------------------------------------------------------
    @property
    def carried(self) -> bool:
        """True while the value is one carried over and not yet touched."""
        return self.has_class("-carried")

    def set_value(self, value: str, *, carried: bool = False) -> None:
        """Set the value programmatically (not as typing)."""
        self._composer = None
        self.value = _nfc(value)
        if carried and self.has_focus:
            self.selection = Selection(0, len(self.value))  # typing replaces it
        else:
            self.cursor_position = len(self.value)
        self.set_class(carried, "-carried")

    # --- editing --------------------------------------------------------------------
    def replace(self, text: str, start: int, end: int) -> None:
        """Replace ``value[start:end]`` with ``text``, keeping the value NFC."""
        self.remove_class("-carried")
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        head = value[:start] + text
        normal = _nfc(head)
        self._narrow = self._changed_cells(value, start, end, head, normal)
        try:
            if normal == head:
                super().replace(text, start, end)
            else:
                super().replace(normal, 0, end)
        finally:
            self._narrow = None

    _narrow: Region | None = None

    def _changed_cells(
        self, old: str, start: int, end: int, head: str, normal: str
    ) -> Region | None:
        """The cells an edit can change, when the text does not scroll (else None).

        Typing repaints from the first changed character to the cursor instead of the
        whole field: on a 28-column name field that halves the bytes sent per key. The
        switch between the placeholder and text (first key in an empty field, or the last
        character removed) repaints the whole line: the placeholder is wider than the text
        and its tail would otherwise stay on the terminal; so does a field with a suggester
        (the suggested completion is drawn after the text).
        """
        if not self.selection.is_empty or self.scroll_offset.x or self.password:
            return None
        if self.placeholder and not (old and (normal or old[end:])):
            return None  # the placeholder appears or disappears
        if self.suggester is not None:
            return None  # a suggestion, drawn after the text, may shrink or vanish
        new_len = cell_len(normal) + cell_len(old[end:])
        width = self.content_region.width
        if max(new_len, cell_len(old)) + 1 >= width:
            return None  # the text may scroll: repaint it all
        x0 = cell_len(old[:start]) if normal == head else 0
        x1 = max(new_len, cell_len(old)) + 1
        return Region(x0, 0, max(1, x1 - x0), 1)

    def refresh(self, *regions: Region, **kwargs: Any) -> Self:
        """Repaint only the edited cells while an edit is in progress (see ``replace``)."""
        if not regions and self._narrow is not None and not kwargs.get("layout"):
            regions = (self._narrow,)
        return super().refresh(*regions, **kwargs)

    def _compose_mode(self) -> str:
        if not self.composable:
            return "off"
        return str(getattr(self.app, "compose_mode", "off") or "off")

    async def _on_key(self, event: events.Key) -> None:
        mode = self._compose_mode()
        if mode != "off" and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self._compose_char(event.character, mode)
            return
        if event.key not in ("backspace",):
            self._composer = None
        await super()._on_key(event)

    def _compose_char(self, char: str, method: str) -> None:
        if not (char.isalnum() and char.isascii()):
            self._composer = None
            self.insert_text_at_cursor(char)
            return
        cursor = self.cursor_position
        composer = self._composer
        if not self.selection.is_empty:
            start, end = sorted(self.selection)
            composer = None
        elif composer is not None and composer.method == method and cursor == self._word_end:
            start, end = self._word_start, cursor
        else:
            composer = None
            start = end = cursor
        if composer is None:
            from libchild.text.compose import Composer

            composer = Composer(method)
        composer.feed(char)
        self._put_composed(composer, start, end)

    def _put_composed(self, composer: Composer, start: int, end: int) -> None:
        text = composer.text
        self.replace(text, start, end)
        self._composer = composer if text else None
        self._word_start, self._word_end = start, start + len(text)

    def action_delete_left(self) -> None:
        """Backspace; while composing, the composer deletes the last letter and moves
        the tone to where the shorter syllable carries it ("loạn" becomes "lọa")."""
        composer = self._composer
        if composer and self.selection.is_empty and self.cursor_position == self._word_end:
            composer.backspace()
            self._put_composed(composer, self._word_start, self._word_end)
            return
        self._composer = None
        super().action_delete_left()


def auto_slash(digits: str) -> str:
    """Show typed date digits as dd/mm/yyyy while they are typed.

    >>> auto_slash("15032016")
    '15/03/2016'
    >>> auto_slash("150")
    '15/0'
    """
    parts = [digits[:2], digits[2:4], digits[4:8]]
    return "/".join(p for p in parts if p)


class DateInput(VietInput):
    """A date typed as digits: ``15032016`` shows as ``15/03/2016``.

    Slashes are inserted as the digits arrive; a user who types slashes (``1/3/2016``)
    keeps them. The value is parsed later by ``libchild.dates.parse_date``.
    """

    def __init__(self, value: str | None = None, **kwargs: object) -> None:
        kwargs.setdefault("restrict", r"[0-9/.\-]*")
        kwargs.setdefault("max_length", 10)
        super().__init__(value, **kwargs)

    def replace(self, text: str, start: int, end: int) -> None:
        old = self.value
        super().replace(text, start, end)
        value = self.value
        digits = value.replace("/", "")
        typed_slashes = "/" in text or old != auto_slash(old.replace("/", ""))
        if typed_slashes or not digits.isdigit() or value == auto_slash(digits):
            return
        at_end = self.cursor_position == len(value)
        formatted = auto_slash(digits)
        Input.replace(self, formatted, 0, len(value))
        if not at_end:
            self.cursor_position = min(len(formatted), start + len(text))


#: What people put between the digit groups of a written ID ("014 316-012345").
ID_SEPARATORS = re.compile(r"[\s.\-\u200b-\u200d\ufeff]+")


class IdInput(VietInput):
    """An ID number: digits only; spaces, dots and dashes typed or pasted are dropped.

    IDs are written in groups on cards and in books (``014 316 012345``). Keeping the
    separators would break the length limit and the ID rules; refusing the whole paste
    would leave the field empty. So the separators are removed before the limit applies.
    """

    def __init__(self, value: str | None = None, **kwargs: object) -> None:
        kwargs.setdefault("restrict", r"[0-9]*")
        super().__init__(value, **kwargs)

    def replace(self, text: str, start: int, end: int) -> None:
        digits = ID_SEPARATORS.sub("", text)
        if text and not digits and start == end:
            return  # a separator typed between groups: nothing to insert
        super().replace(digits, start, end)


@dataclass(frozen=True)
class Choice:
    """One entry a code picker can offer."""

    code: str
    name: str


class CodeSource:
    """Where a picker finds codes: a ``get`` and a ``find`` callable.

    Build one from a libchild ``Catalog`` with :meth:`from_catalog` or from a short list of
    ``(code, name)`` pairs with :meth:`from_pairs` (villages, household adults).
    """

    def __init__(
        self,
        get: Callable[[str], Choice | None],
        find: Callable[[str], Sequence[Choice]],
    ) -> None:
        self.get = get
        self.find = find

    @classmethod
    def from_catalog(cls, catalog: object) -> CodeSource:
        """Wrap a ``libchild.catalog.Catalog`` (``get(code)``, ``find(text, limit)``)."""

        def get(code: str) -> Choice | None:
            entry = catalog.get(code)  # type: ignore[attr-defined]
            return Choice(entry.code, entry.name) if entry is not None else None

        def find(text: str) -> list[Choice]:
            return [Choice(e.code, e.name) for e in catalog.find(text, limit=8)]  # type: ignore[attr-defined]

        return cls(get, find)

    @classmethod
    def from_pairs(cls, pairs: Callable[[], Sequence[tuple[str, str]]]) -> CodeSource:
        """A small list, matched by code or by folded name prefix/substring."""
        from libchild.text.fold import fold

        def get(code: str) -> Choice | None:
            for c, n in pairs():
                if c == code:
                    return Choice(c, n)
            return None

        def find(text: str) -> list[Choice]:
            key = fold(text)
            if not key:
                return []
            items = [Choice(c, n) for c, n in pairs()]
            exact = [ch for ch in items if ch.code == text.strip()]
            prefix = [ch for ch in items if fold(ch.name).startswith(key) and ch not in exact]
            inner = [
                ch
                for ch in items
                if key in fold(ch.name) and ch not in exact and ch not in prefix
            ]
            return exact + prefix + inner

        return cls(get, find)


@dataclass(frozen=True)
class Room:
    """Cells a narrow picker may borrow while the letters typed do not fit in it.

    A code field is as wide as its codes (2–4 cells) but the officer types names
    (``tieu``, ``khuyet tat``); a field that scrolled would show only the tail of them.
    The picker grows up to ``most`` cells, taking the cells from ``lender`` (the note
    beside it, ``lender_width`` wide) so that nothing else on the row moves.
    """

    width: int
    most: int
    lender: Widget | None = None
    lender_width: int = 0


class CodeInput(VietInput):
    """A code picker: type the code or a few letters of the name without diacritics.

    While typing, :attr:`choices` holds the matches (best first) and :attr:`choice` the one
    offered; Up/Down move through them. On Enter or when focus leaves, the value becomes the
    chosen code. Posts :class:`CodeInput.Offered` whenever the offered entry changes.
    With a :attr:`room`, the picker widens while what is typed is wider than it.
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("down", "next_choice", show=False),
        Binding("up", "previous_choice", show=False),
    ]

    @dataclass
    class Offered(Message):
        """The entry the picker offers (None when nothing matches)."""

        picker: CodeInput
        choice: Choice | None
        others: int

    def __init__(self, source: CodeSource, value: str | None = None, **kwargs: object) -> None:
        super().__init__(value, **kwargs)
        self.source = source
        self.choices: list[Choice] = []
        self.index = 0
        self.room: Room | None = None

    def is_code(self) -> bool:
        """True when the text is a code of the source as it stands (or empty): nothing
        is being typed that Enter or leaving the field would still resolve."""
        text = self.value.strip()
        return not text or self.source.get(text) is not None

    def _fit(self) -> None:
        """Widen (or narrow back) to show all the text typed, within :attr:`room`."""
        room = self.room
        if room is None:
            return
        width = min(room.most, max(room.width, cell_len(self.value) + 1))
        if self.styles.width is not None and self.styles.width.value == width:
            return
        self.styles.width = width
        if room.lender is not None:
            room.lender.styles.width = max(1, room.lender_width - (width - room.width))
        self.call_after_refresh(self._show_start)

    def _show_start(self) -> None:
        """Scroll back to the first letter once the wider field is laid out."""
        if cell_len(self.value) < self.content_region.width:
            self.scroll_to(0, 0, animate=False, immediate=True)

    @property
    def choice(self) -> Choice | None:
        """The entry currently offered, if any."""
        return self.choices[self.index] if self.choices else None

    def lookup(self) -> None:
        """Recompute the matches for the current text."""
        text = self.value.strip()
        exact = self.source.get(text) if text else None
        self.choices = [exact] if exact else (list(self.source.find(text)) if text else [])
        self.index = 0
        self._offer()

    def _offer(self) -> None:
        self.post_message(self.Offered(self, self.choice, max(0, len(self.choices) - 1)))

    def action_next_choice(self) -> None:
        """Offer the next match."""
        if self.choices:
            self.index = (self.index + 1) % len(self.choices)
            self._offer()

    def action_previous_choice(self) -> None:
        """Offer the previous match."""
        if self.choices:
            self.index = (self.index - 1) % len(self.choices)
            self._offer()

    def resolve(self) -> None:
        """Replace the typed text by the offered code (nothing if nothing matched)."""
        choice = self.choice
        if choice is not None and self.value != choice.code:
            carried = self.carried
            self.set_value(choice.code, carried=carried)
            self.choices, self.index = [choice], 0

    def set_value(self, value: str, *, carried: bool = False) -> None:
        super().set_value(value, carried=carried)
        self._fit()
        self.lookup()

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(text, start, end)
        self._fit()
        self.lookup()

    async def action_submit(self) -> None:
        self.resolve()
        await super().action_submit()

    def _on_blur(self, event: events.Blur) -> None:
        self.resolve()
        super()._on_blur(event)
