"""How long a typed text may be: the one definition for names and every other free text.

A longer text is refused (an error: nothing is stored), not merely flagged. No real name,
address or note comes near these bounds; a cell of thousands of characters is other data
pasted in by mistake, or an attack on every screen, list and file that shows it. Lengths
count characters (code points) of the text in NFC, white space at either end left out.

>>> NAME_MAX_CHARS, TEXT_MAX_CHARS
(150, 500)
"""

from __future__ import annotations

__all__ = ["NAME_MAX_CHARS", "TEXT_MAX_CHARS"]

#: The most characters a person's name may have (a child, a parent, a caregiver, an
#: account holder; also a village's name). Longer than ``MAX_NAME_LENGTH`` (100) is
#: already a warning ("unusually long"); longer than this is an error.
NAME_MAX_CHARS = 150

#: The most characters of any other free text: addresses, household book numbers,
#: notes of circumstances and supports, re-check notes.
TEXT_MAX_CHARS = 500
