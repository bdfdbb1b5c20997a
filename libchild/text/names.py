"""Personal names: normalization and the checks the register applies.

>>> normalize_name("NGUYỄN  văn AN")
'Nguyễn Văn An'
>>> normalize_name("h'hen  niê"), normalize_name("y - moan ênuôl")
("H'Hen Niê", 'Y-Moan Ênuôl')
>>> name_error("Nguyễn Văn 2"), name_error("  "), name_error("Nguyễn Văn An")
('digits', 'missing', None)
"""

from __future__ import annotations

import re
import unicodedata

from libchild.text.legacy import NOT_LEGACY_CHAR, detect_legacy_prechecked
from libchild.text.limits import NAME_MAX_CHARS

__all__ = ["MAX_NAME_LENGTH", "NAME_REASONS", "name_error", "name_error_nfc", "normalize_name"]

#: Longer than this is flagged ``too_long`` (a warning: other data typed into the cell).
MAX_NAME_LENGTH = 100

#: Every reason :func:`name_error` returns, most serious first. ``single_word`` and
#: ``too_long`` are warnings (the papers may say so); the others are errors:
#: ``over_limit`` is a name longer than :data:`~libchild.text.limits.NAME_MAX_CHARS`.
NAME_REASONS = ("missing", "over_limit", "legacy_encoding", "digits", "symbols", "too_long",
                "single_word")

# Apostrophes and hyphens as they arrive from word processors and phones.
_APOSTROPHES = "'’‘ʼ`´ˈ"
_HYPHENS = "-‐‑‒"
_SEPARATORS = str.maketrans(
    {**{c: "'" for c in _APOSTROPHES}, **{c: "-" for c in _HYPHENS}}
)
# Spaces around a hyphen or apostrophe go: "Y - Moan" is "Y-Moan", "H' Hen" is "H'Hen".
_TIGHTEN = re.compile(r"\s*([-'])\s*")
_PART = re.compile(r"([ '-])")

# A good name: letters, with white space, apostrophes or hyphens between them.
_LETTERS = r"[^\W\d_]+"  # letters (str.isalpha, in effect)
_JOINERS = re.escape(_APOSTROPHES + _HYPHENS)
_GOOD = re.compile(rf"{_LETTERS}(?:(?:\s*[{_JOINERS}]\s*|\s+){_LETTERS})*")
# Two words: letters, white space, letters (spaces beside a hyphen do not count).
_TWO_WORDS = re.compile(r"[^\W\d_]\s+[^\W\d_]")
_DIGIT = re.compile(r"\d")
_not_legacy = NOT_LEGACY_CHAR.search
_detect_legacy = detect_legacy_prechecked


def _proper(part: str) -> str:
    return part[:1].title() + part[1:].lower() if part else part


def normalize_name(text: str) -> str:
    """Return ``text`` as a name is written in the register.

    NFC; runs of white space become one space; apostrophe and hyphen variants
    become ``'`` and ``-`` with no space around them; each part (between spaces,
    hyphens and apostrophes) starts with a capital and continues in lower case:
    "H'Mông", "Y-Moan", "Nông Thị Ngọc Ánh". Idempotent.
    """
    nfc = unicodedata.normalize("NFC", text).translate(_SEPARATORS)
    spaced = " ".join(nfc.split())
    if "-" in spaced or "'" in spaced:
        spaced = _TIGHTEN.sub(r"\1", spaced)
    out = "".join(_proper(p) for p in _PART.split(spaced))
    return unicodedata.normalize("NFC", out)


def name_error(text: str | None) -> str | None:
    """Return why ``text`` is not acceptable as a person's name, or None.

    Reasons (see :data:`NAME_REASONS`): ``"missing"`` (empty or blank),
    ``"legacy_encoding"`` (TCVN3 or VNI text, see
    :func:`~libchild.text.legacy.detect_legacy`), ``"digits"``, ``"symbols"`` (anything
    but letters, spaces, apostrophes and hyphens, dots included: the register wants
    the full name), ``"too_long"`` (more than :data:`MAX_NAME_LENGTH` characters, a
    warning), ``"over_limit"`` (more than
    :data:`~libchild.text.limits.NAME_MAX_CHARS`, an error, judged before anything else)
    and ``"single_word"`` (a warning). The text is judged as typed, before
    :func:`normalize_name`; spacing and case are never reasons.

    >>> name_error("NguyÔn V¨n An"), name_error("Nguyễn V. An"), name_error("Páo")
    ('legacy_encoding', 'symbols', 'single_word')
    """
    if not text:
        return "missing"
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return name_error_nfc(text)


def name_error_nfc(text: str) -> str | None:
    """:func:`name_error` of a text already in NFC (the rule engine normalises once).

    The legacy detector (``detect_legacy(text, name=True)``) runs only when the cheap
    pre-check of :func:`~libchild.text.legacy.may_be_legacy` says the text could be
    legacy (written out here: this runs for every name of every record).
    """
    if len(text) > NAME_MAX_CHARS and len(text.strip()) > NAME_MAX_CHARS:
        return "over_limit"  # first: the other checks would read all of it
    if (
        not text.isascii()
        and _not_legacy(text) is None
        and _detect_legacy(text, True)
    ):
        return "legacy_encoding"
    stripped = text.strip()
    if stripped.replace(" ", "").isalpha():  # the common case: letters and spaces
        two_words = " " in stripped
    elif not stripped:
        return "missing"
    elif _GOOD.fullmatch(stripped) is not None:
        two_words = _TWO_WORDS.search(stripped) is not None
    else:
        return "digits" if _DIGIT.search(stripped) else "symbols"
    if len(stripped) > MAX_NAME_LENGTH:
        return "too_long"
    return None if two_words else "single_word"
