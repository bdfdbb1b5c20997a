"""A checkbox whose state reads without colour: ``[X]`` ticked, ``[ ]`` not."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox

__all__ = ["PlainCheckbox"]


class PlainCheckbox(Checkbox):
    """Textual's checkbox always draws ``▐X▌`` and shows the state by colour only.

    With NO_COLOR, 16-colour PuTTY themes or a screen capture, an unticked box looked
    ticked. This one draws ASCII brackets and puts the X only when ticked.
    """

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("[", ("X" if self.value else " ", style), "]")
