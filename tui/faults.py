"""Named fault points: where a test may stop the program between two steps.

Production code calls :func:`fault_point` with the name of the step just completed
(``"police.committed"``). Nothing happens unless the environment variable
``TREEM_FAULT`` names that point, which only the crash tests under ``tests/faults``
set: then the process kills itself with SIGKILL on the spot, as a power cut would (no
``finally`` block, no exit handler, no flush), or raises :class:`InjectedFault` when the
value ends in ``:raise``.
"""

from __future__ import annotations

import os
import signal

__all__ = ["InjectedFault", "fault_point"]


class InjectedFault(RuntimeError):
    """Raised at a fault point named ``NAME:raise`` in ``TREEM_FAULT``."""


def fault_point(name: str) -> None:
    """Stop here if ``TREEM_FAULT`` names this point (see the module docstring)."""
    wanted = os.environ.get("TREEM_FAULT")
    if not wanted:
        return
    point, _, how = wanted.partition(":")
    if point != name:
        return
    if how == "raise":
        raise InjectedFault(name)
    os.kill(os.getpid(), signal.SIGKILL)
