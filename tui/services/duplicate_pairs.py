"""Duplicate candidate pairs of a register, computed where their memory can be given back.

``libchild.find_duplicates`` over a whole commune peaks near 1 GB at 300,000 children;
a session must stay under 150 MB, and CPython keeps most of a peak once the objects are
gone. Above :data:`IN_PROCESS_LIMIT` children the pairing therefore runs in a child
process (``python -m tui.services.duplicate_pairs DB [VILLAGE_ID ...]``) that reads the
register itself and writes one line per pair on its standard output (ids, score and
reason codes: no personal data); its memory goes back to the system when it exits.
Smaller registers are paired in the session process, which is quicker than starting an
interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable

import attrs
import peewee

import libchild
from tui.store import children as child_store

__all__ = ["IN_PROCESS_LIMIT", "MIN_SCORE", "Pair", "line_of", "pairs", "pairs_in_child_process",
           "parse_line"]

#: Pairs scoring below this are not proposed. On a 300,000-child demo register the
#: matcher returns about 264,000 pairs, nine in ten of them brothers and sisters
#: (names one letter apart, the same parents, two different valid ID numbers: score
#: 0.25-0.35); 28,000 pairs remain at 0.5 and above, the real duplicates first.
MIN_SCORE = 0.5

#: Up to this many children the pairs are computed in the session process (well under
#: a second and a few MB); above, in a child process.
IN_PROCESS_LIMIT = 20_000


@attrs.frozen
class Pair:
    """Two children that may be the same (``left_id`` < ``right_id``)."""

    left_id: int
    right_id: int
    score: float
    reasons: tuple[str, ...]


def pairs(db: peewee.Database, villages: Iterable[int] | None) -> list[Pair]:
    """The pairs scoring at least :data:`MIN_SCORE` among the living children (of
    ``villages`` when given), best first, computed in this process."""
    scope = None if villages is None else frozenset(villages)
    records = list(child_store.living_records(db, child_store.MATCH_COLUMNS,
                                              villages=scope))
    ids = [r.pop("id") for r in records]
    found = []
    for pair in libchild.find_duplicates(records):
        if pair.score < MIN_SCORE:
            continue
        left, right = sorted((ids[pair.left], ids[pair.right]))
        found.append(Pair(left, right, float(pair.score), tuple(pair.reasons)))
    found.sort(key=lambda p: (-p.score, p.left_id, p.right_id))
    return found


def pairs_in_child_process(path: str, villages: Iterable[int] | None) -> list[Pair]:
    """:func:`pairs` of the register file ``path``, computed by a child process."""
    args = [sys.executable, "-m", "tui.services.duplicate_pairs", str(path)]
    if villages is not None:
        args += ["--villages", *(str(v) for v in sorted(villages))]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return [parse_line(line) for line in done.stdout.splitlines() if line]


def line_of(pair: Pair) -> str:
    """One pair as a line of text: ids, score and reason codes, tab-separated."""
    return f"{pair.left_id}\t{pair.right_id}\t{pair.score!r}\t{','.join(pair.reasons)}"


def parse_line(line: str) -> Pair:
    """The pair of a :func:`line_of` line (ValueError if it is not one)."""
    left, right, score, reasons = line.split("\t")
    return Pair(int(left), int(right), float(score),
                tuple(reasons.split(",")) if reasons else ())


def main(argv: list[str]) -> int:
    """The child process: print the pairs of the register ``argv[0]``."""
    from tui.store.database import open_db

    path, villages = argv[0], None
    if len(argv) > 1 and argv[1] == "--villages":
        villages = [int(v) for v in argv[2:]]
    db = open_db(path, migrate=False)
    try:
        found = pairs(db, villages)
    finally:
        db.close()
    sys.stdout.write("".join(line_of(p) + "\n" for p in found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
