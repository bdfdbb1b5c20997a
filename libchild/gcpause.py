"""Pausing the cyclic garbage collector around bulk work.

Building and dropping hundreds of thousands of small acyclic objects (records,
tuples, rows) makes CPython's cyclic collector rescan every live object again and
again; pausing it for the duration of a bulk step saves a third to a half of the time.

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block, restoring its state after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
