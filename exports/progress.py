"""Progress reporting and cancellation for long exports and imports.

The screens pass a callback that receives ``(done, total)`` (``total`` is None when not
known) and a ``cancel`` callable that returns True once the user asked to stop. The
work raises :class:`Cancelled` at the next check; the file being written is removed.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[int, int | None], None]
CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled the work; nothing was written."""


class Progress:
    """Throttled progress and cancel checks for a loop over ``total`` items.

    >>> seen = []
    >>> p = Progress(lambda done, total: seen.append(done), total=3, every=2)
    >>> for _ in range(3):
    ...     p.step()
    >>> p.finish()
    >>> seen
    [2, 3]
    """

    def __init__(
        self,
        callback: ProgressCallback | None = None,
        cancel: CancelCheck | None = None,
        *,
        total: int | None = None,
        every: int = 1000,
    ) -> None:
        self.callback = callback
        self.cancel = cancel
        self.total = total
        self.every = max(1, every)
        self.done = 0

    def step(self, count: int = 1) -> None:
        """Count ``count`` items; report and check for cancel every ``every`` items."""
        before = self.done // self.every
        self.done += count
        if self.done // self.every != before:
            self.check()
            if self.callback is not None:
                self.callback(self.done, self.total)

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self.cancel is not None and self.cancel():
            raise Cancelled

    def finish(self) -> None:
        """Report the final count."""
        if self.callback is not None and self.done % self.every:
            self.callback(self.done, self.total)
