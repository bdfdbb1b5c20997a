"""Vietnamese identity numbers, one module per number, in python-stdnum style.

* :mod:`libchild.ids.cccd`: the 12-digit personal identification number (số định
  danh cá nhân), carried by children from birth registration and by adults' cards.
* :mod:`libchild.ids.cmnd`: the 9-digit number of the old identity card (chứng minh
  nhân dân), found only for adults (caregivers) in older lists.

Both raise the exceptions of :mod:`stdnum.exceptions`. Neither checks more than
digits and length: there is no check digit, and a valid number must never be
rejected (:func:`libchild.ids.cccd.structure_warnings` gives record-level warnings).
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["cccd", "cmnd"]


def __getattr__(name: str) -> object:
    """``libchild.ids.cccd`` and ``.cmnd`` load on first use (``import libchild.ids``
    alone loads neither)."""
    if name not in __all__:
        raise AttributeError(f"module 'libchild.ids' has no attribute {name!r}")
    module = import_module(f"libchild.ids.{name}")
    globals()[name] = module
    return module
