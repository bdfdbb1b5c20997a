"""Vietnamese identity numbers, one module per number, in python-stdnum style.

* :mod:`libchild.ids.cccd`: the 12-digit personal identification number (số định
  danh cá nhân), carried by children from birth registration and by adults' cards.
* :mod:`libchild.ids.cmnd`: the 9-digit number of the old identity card (chứng minh
  nhân dân), found only for adults (caregivers) in older lists.

Both raise the exceptions of :mod:`stdnum.exceptions`.
"""

from __future__ import annotations

from libchild.ids._common import SEPARATORS, compact_digits

__all__ = ["SEPARATORS", "compact_digits"]
