"""The Issue: one thing wrong (or worth knowing) about a record.

Issues are immutable, so the rule engine builds each (code, field) pair once and
hands out the same object every time.

>>> i = issue("birth_date.future")
>>> (i.code, i.severity, i.field)
('birth_date.future', 'error', 'birth_date')
>>> issue("birth_date.future") is i
True
"""

from __future__ import annotations

import attrs

from libchild.messages import MESSAGES

__all__ = ["Issue", "issue"]


@attrs.frozen(slots=True)
class Issue:
    """One problem found in a record.

    ``code`` is stable and documented in docs/rules.md; ``severity`` is ``"error"``
    (the record is certainly wrong), ``"warning"`` (probably wrong or needs review) or
    ``"info"``; ``field`` is the canonical field name concerned (None only for
    ``record.invalid``); ``message`` and ``hint`` are Vietnamese, ``message_en`` and
    ``hint_en`` English.
    """

    code: str
    severity: str
    field: str | None
    message: str
    hint: str
    message_en: str
    hint_en: str


_CACHE: dict[tuple[str, str | None], Issue] = {}


def issue(code: str, field: str | None = None) -> Issue:
    """Return the (shared, immutable) Issue for ``code``.

    ``field`` defaults to the code's own field in libchild.messages. Raises KeyError
    for a code that is not in libchild.messages.MESSAGES.
    """
    key = (code, field)
    found = _CACHE.get(key)
    if found is None:
        m = MESSAGES[code]
        found = Issue(
            code, m.severity, m.field if field is None else field,
            m.message, m.hint, m.message_en, m.hint_en,
        )
        _CACHE[key] = found
    return found
