"""Widgets of the entry screens: compact inputs, code pickers, dates, status bar, footer."""

from tui.widgets.fields import Choice, CodeInput, CodeSource, DateInput, VietInput, auto_slash
from tui.widgets.quiet import QuietFooter, QuietScreen
from tui.widgets.status import StatusBar

__all__ = [
    "Choice",
    "CodeInput",
    "CodeSource",
    "DateInput",
    "QuietFooter",
    "QuietScreen",
    "StatusBar",
    "VietInput",
    "auto_slash",
]
