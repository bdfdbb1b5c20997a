"""The examples in the training modules' docstrings run (pytest collects doctests only
under libchild/ and exports/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["tui.training.values", "tui.training.keystrokes", "tui.training.matching",
           "tui.training.scoring", "tui.training.keyer_stats", "tui.training.loader"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0
