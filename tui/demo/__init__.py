"""The demo: a sandbox register of a real commune filled with synthetic children.

``generate`` builds the rows (pure Python, libchild only); ``build_demo`` writes them
into a sandbox database through the store's bulk API. Every person is synthetic.
"""

from tui.demo.generator import (
    DEFAULT_COMMUNE,
    MAX_CHILDREN,
    DemoData,
    UnknownCommuneError,
    generate,
)

__all__ = ["DEFAULT_COMMUNE", "MAX_CHILDREN", "DemoData", "UnknownCommuneError", "generate"]
