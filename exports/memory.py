"""Giving freed memory back to the system after a one-off large read.

python-calamine reads a whole sheet into one grid (about 50 MB for 50,000 rows x 17
columns) with the C allocator; once it is dropped, glibc keeps the freed pages in the
process, under the Python objects made afterwards, so a session that imported a list
stays that much larger. ``malloc_trim(0)`` hands them back. Elsewhere (another C
library, another system) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

__all__ = ["release_freed_memory"]


@cache
def _malloc_trim():  # the C function, or None where there is none
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Return the C allocator's free pages to the system; True when it could.

    >>> release_freed_memory() in (True, False)
    True
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
