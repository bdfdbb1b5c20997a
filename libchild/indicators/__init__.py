"""Indicators of the plans, as data, and their evaluation over the register.

* :mod:`~libchild.indicators.model`: :class:`Plan`, :class:`Indicator`, :class:`Filter`.
* :mod:`~libchild.indicators.loader`: read and check the TOML files
  (``catalogs/indicators/``), Vietnamese messages for every mistake.
* :mod:`~libchild.indicators.periods`: six-month periods and "as of a date".
* :mod:`~libchild.indicators.facts`: :class:`ChildFacts` and the :class:`FactsSource`
  protocol the service layer implements.
* :mod:`~libchild.indicators.evaluate`: the reference evaluator (and how each condition
  maps to SQL).
"""

from libchild.indicators.evaluate import (
    Breakdown,
    CompiledFacts,
    Count,
    Evaluation,
    PeriodFigures,
    compile_facts,
    evaluate,
    evaluate_last,
)
from libchild.indicators.facts import (
    Area,
    ChildFacts,
    Episode,
    FactsSource,
    ListSource,
    SupportGiven,
    facts_from_canonical,
)
from libchild.indicators.loader import IndicatorFileError, load_plan, load_plans, parse_plan
from libchild.indicators.model import (
    AGE_GROUPS,
    Direction,
    Filter,
    Indicator,
    NotComputed,
    Plan,
    Unit,
    When,
)
from libchild.indicators.periods import Period, as_of, half_year, last_periods

__all__ = [
    "AGE_GROUPS",
    "Area",
    "Breakdown",
    "ChildFacts",
    "CompiledFacts",
    "Count",
    "Direction",
    "Episode",
    "Evaluation",
    "FactsSource",
    "Filter",
    "Indicator",
    "IndicatorFileError",
    "ListSource",
    "NotComputed",
    "Period",
    "PeriodFigures",
    "Plan",
    "SupportGiven",
    "Unit",
    "When",
    "as_of",
    "compile_facts",
    "evaluate",
    "evaluate_last",
    "facts_from_canonical",
    "half_year",
    "last_periods",
    "load_plan",
    "load_plans",
    "parse_plan",
]
