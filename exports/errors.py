"""The one exception of the package: a spreadsheet that cannot be read or written."""

from __future__ import annotations

from exports import messages


class SpreadsheetError(Exception):
    """A file problem the user must fix, with a stable ``code`` and a Vietnamese message.

    ``str(error)`` is the Vietnamese message; ``error.code`` is one of the keys of
    :data:`exports.messages.MESSAGES`.
    """

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        self.message = messages.text(code, **values)
        super().__init__(self.message)
