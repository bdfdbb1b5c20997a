"""argparse in Vietnamese: usage, section titles, ``-h`` help and argument errors.

argparse writes its own words in English ("usage:", "options:", "the following arguments
are required", ...). :class:`Parser` is an ``argparse.ArgumentParser`` whose help and
error output is Vietnamese (texts in :data:`libchild.messages.ARGPARSE`), without
touching argparse itself, so other parsers in the same process keep their behaviour.
``python -m libchild`` and every ``treem`` command parse their arguments with it.

>>> parser = Parser(prog="demo", description="Thử.")
>>> _ = parser.add_argument("tep", metavar="TỆP")
>>> print(parser.format_help())
Cách dùng: demo [-h] TỆP
<BLANKLINE>
Thử.
<BLANKLINE>
tham số:
  TỆP
<BLANKLINE>
tuỳ chọn:
  -h, --help  in hướng dẫn này rồi thoát
<BLANKLINE>
>>> translate_error("the following arguments are required: TỆP")
'thiếu tham số bắt buộc: TỆP'
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Any, NoReturn

from libchild.messages import ARGPARSE

__all__ = ["EXIT_USAGE", "HelpFormatter", "Parser", "translate_error"]

#: Exit status of a command line that cannot be understood (argparse's own).
EXIT_USAGE = 2


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions printed as written; the usage line starts with the Vietnamese prefix."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups,
                          ARGPARSE["usage_prefix"] if prefix is None else prefix)


def _choices(text: str) -> str:
    return text.replace("'", "")


# argparse's error texts (Python 3.11 to 3.13), most specific first; each gives the
# Vietnamese detail. A text none of them knows keeps argparse's words after the name.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"the following arguments are required: (.*)"),
     lambda m: ARGPARSE["required"].format(names=m[1])),
    (re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)"),
     lambda m: ARGPARSE["choice"].format(name=m[1], value=m[2], choices=_choices(m[3]))),
    (re.compile(r"unrecognized arguments: (.*)"),
     lambda m: ARGPARSE["unrecognized"].format(args=m[1])),
    (re.compile(r"argument (\S+): expected one argument"),
     lambda m: ARGPARSE["expected_one"].format(name=m[1])),
    (re.compile(r"argument (\S+): expected at most one argument"),
     lambda m: ARGPARSE["expected_at_most_one"].format(name=m[1])),
    (re.compile(r"argument (\S+): expected at least one argument"),
     lambda m: ARGPARSE["expected_at_least_one"].format(name=m[1])),
    (re.compile(r"argument (\S+): expected (\d+) arguments?"),
     lambda m: ARGPARSE["expected_n"].format(name=m[1], count=m[2])),
    (re.compile(r"argument (\S+): invalid \S+ value: '?([^']*)'?"),
     lambda m: ARGPARSE["invalid_value"].format(name=m[1], value=m[2])),
    (re.compile(r"one of the arguments (.*) is required"),
     lambda m: ARGPARSE["one_of"].format(names=m[1].replace(" ", ", "))),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"),
     lambda m: ARGPARSE["exclusive"].format(name=m[1], other=m[2])),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"),
     lambda m: ARGPARSE["ambiguous"].format(option=m[1], matches=m[2])),
    (re.compile(r"argument (\S+): ignored explicit argument '?([^']*)'?"),
     lambda m: ARGPARSE["ignored_value"].format(name=m[1], value=m[2])),
    (re.compile(r"argument (\S+): (.*)"), lambda m: f"{m[1]}: {m[2]}"),
)


def translate_error(message: str) -> str:
    """The Vietnamese detail of one of argparse's error messages."""
    for pattern, render in _ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return render(match)
    return message


class Parser(argparse.ArgumentParser):
    """ArgumentParser with Vietnamese help chrome and error messages.

    The section titles are Vietnamese, ``-h/--help`` is explained in Vietnamese and an
    error prints one Vietnamese line and how to get help, then exits with
    :data:`EXIT_USAGE`. Subcommands made with ``add_subparsers`` are parsers of the same
    class; give them a Vietnamese ``metavar`` (:data:`ARGPARSE` ``["command_metavar"]``),
    since argparse names a missing subcommand by it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        with_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = ARGPARSE["positionals_title"]
        self._optionals.title = ARGPARSE["options_title"]
        if with_help:
            self.add_argument("-h", "--help", action="help", help=ARGPARSE["help_help"])

    def error(self, message: str) -> NoReturn:
        """Print the Vietnamese error and how to get help; exit with :data:`EXIT_USAGE`."""
        self.exit(EXIT_USAGE, ARGPARSE["error"].format(
            detail=translate_error(message), prog=self.prog) + "\n")
