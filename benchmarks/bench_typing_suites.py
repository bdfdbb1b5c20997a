"""Pass rate of ``libchild.text.compose`` on the Unikey engine's own Telex test table.

The cases come from ``tests/fixtures/unikey_telex.py`` (rebuilt by rule from
fcitx5-unikey's test/testunikey.cpp; see that file's header). ``--root`` imports
``libchild`` from another checkout, e.g. an export of an older commit, so the rate
before a change can be measured with the same cases:

    .venv/bin/python benchmarks/bench_typing_suites.py [--root DIR] [--failures]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE, help="checkout to import from")
    parser.add_argument("--failures", action="store_true", help="list every failing case")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE / "tests"))
    sys.path.insert(0, str(args.root.resolve()))
    from fixtures.unikey_telex import CASES, UPSTREAM

    from libchild.text import compose

    failures = [(keys, text, compose(keys)) for keys, text in CASES if compose(keys) != text]
    passed = len(CASES) - len(failures)
    print(f"Unikey Telex table ({UPSTREAM})")
    print(f"libchild from {args.root}: {passed:,} of {len(CASES):,} pass "
          f"({passed / len(CASES):.1%})")
    if args.failures:
        for keys, text, got in failures:
            print(f"  {keys!r}: expected {text!r}, got {got!r}")


if __name__ == "__main__":
    main()
