"""Helpers shared by the ID number modules."""

from __future__ import annotations

from stdnum.exceptions import InvalidFormat

__all__ = ["INVISIBLE", "SEPARATORS", "compact_digits", "is_ascii_digits"]

#: Separators people type or paste inside numbers; all are removed by ``compact``.
SEPARATORS = " .-\u00a0\u2007\u202f\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
#: Invisible characters that come along when a number is copied from a web page or a
#: PDF (zero-width space and joiners, word joiner, byte-order mark, soft hyphen,
#: direction marks and embeddings); ``compact`` removes them too.
INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_DELETE = {ord(c): None for c in SEPARATORS + INVISIBLE}


def compact_digits(number: object) -> str:
    """Return ``number`` with whitespace, separators and invisible characters removed,
    nothing else changed.

    Unlike ``stdnum.util.clean`` this keeps non-ASCII digits as they are, so that
    ``validate`` can refuse them rather than silently convert them.
    """
    if not isinstance(number, str):
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidFormat()
        number = str(number)
    return "".join(number.translate(_DELETE).split())


def is_ascii_digits(text: str) -> bool:
    """Return whether ``text`` is non-empty and made of the ASCII digits 0-9 only."""
    return text.isascii() and text.isdigit()
