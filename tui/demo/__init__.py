"""The demo: a sandbox register of a real commune filled with synthetic children.

``stream`` yields the rows household by household (``generate`` gathers them in lists;
pure Python, libchild only); ``tui.demo.loader.load`` writes them into a sandbox database
through the store's bulk writers. Every person is synthetic.
"""

from tui.demo.generator import (
    DEFAULT_COMMUNE,
    MAX_CHILDREN,
    DemoData,
    DemoStream,
    UnknownCommuneError,
    generate,
    stream,
)

__all__ = ["DEFAULT_COMMUNE", "MAX_CHILDREN", "DemoData", "DemoStream", "UnknownCommuneError",
           "generate", "stream"]
