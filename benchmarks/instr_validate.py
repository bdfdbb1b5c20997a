"""Instructions per record of ``libchild.validate`` on names all distinct (issue 15 item 6).

On a shared machine under load, timings wander by a factor of two from one minute to the
next; the number of machine instructions a record costs does not. This script runs
valgrind's cachegrind twice on the same work (records of ``bench_validate.py
--distinct`` after a warm-up of 20,000 typical records, so that dates and ID heads are
memoised as in a long run), once without and once with the validation of N records, and
prints the difference divided by N. Compare two checkouts with ``--root``; the figure
moves by a few hundred instructions between runs (hash randomisation).

    .venv/bin/python benchmarks/instr_validate.py [--records 5000] [--root CHECKOUT]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _work(root: str, records: int, validate: bool) -> None:
    sys.path.insert(0, str(HERE))
    import bench_validate  # its import puts this checkout first on sys.path

    sys.path.insert(0, root)
    for name in [m for m in sys.modules if m.startswith("libchild")]:
        del sys.modules[name]
    import random

    from libchild.rules import validate as check

    for record in bench_validate.make_records(20_000, seed=3):
        check(record, on=bench_validate.ON)
    names = bench_validate.DistinctNames(random.Random(11))
    batch = bench_validate.make_records(records, names=names)
    if validate:
        for record in batch:
            check(record, on=bench_validate.ON)


def _instructions(root: Path, records: int, validate: bool) -> int:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
               "--cachegrind-out-file=/dev/null", sys.executable, __file__, "--work",
               "--root", str(root), "--records", str(records)] + (["--validate"] if validate
                                                                  else [])
    text = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    found = re.search(r"I\s+refs:\s+([\d,]+)", text)
    assert found is not None, text
    return int(found[1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--root", type=Path, default=HERE.parent)
    parser.add_argument("--work", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--validate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work:
        _work(str(args.root.resolve()), args.records, args.validate)
        return
    without = _instructions(args.root, args.records, False)
    with_validate = _instructions(args.root, args.records, True)
    print(f"{args.root}: {(with_validate - without) / args.records:,.0f} instructions a "
          f"record ({args.records:,} records, names all distinct)")


if __name__ == "__main__":
    main()
