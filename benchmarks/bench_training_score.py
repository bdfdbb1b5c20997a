"""Benchmark: scoring one trainee's 50 children (issue 12, Numbers: at most 1 s).

The scenario is the shipped "Danh sách thôn lộn xộn" repeated five times (new book
numbers and ID serials, checked by the loader like any scenario file): 30 books, 50
children of the answer key, 35 lessons. The trainee's register is a hard case for the
scorer: every book's children typed in reverse order (so most pairs come from the name
and birth-date fallback, not from book and order), one child in ten with a name typed
without diacritics, one in ten with a wrong birth date, one child skipped, the duplicate
entered twice in every copy, and keystroke measures for every child.

Each run is a fresh interpreter (``--child``): loading the scenario is not timed, the
first ``score_trainee`` call is (cold caches, as for the first trainee of a session);
then the same call is repeated in that process (warm). Medians of ``--runs``.

    .venv/bin/python benchmarks/bench_training_score.py --runs 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script run from a checkout

COPIES = 5


def big_scenario():
    """The messy village list repeated ``COPIES`` times (50 children), loaded and checked."""
    from tui.training.loader import find_scenario, load_data

    data = tomllib.loads(find_scenario("05-danh-sach-thon-lon-xon").read_text("utf-8"))
    pages, lessons = [], []
    for copy in range(COPIES):
        def book(number: str, copy: int = copy) -> str:
            return f"{number}-{copy}"

        for page in data["pages"]:
            page = json.loads(json.dumps(page))
            page["book_number"] = book(page["book_number"])
            for child in page["children"]:
                if child.get("personal_id"):
                    child["personal_id"] = child["personal_id"][:-1] + str(copy)
                if "duplicate_of" in child:
                    child["duplicate_of"]["book_number"] = book(
                        child["duplicate_of"]["book_number"])
            pages.append(page)
        for lesson in data["lessons"]:
            lessons.append({**lesson, "id": f"{lesson['id']}-{copy}",
                            "book_number": book(lesson["book_number"])})
    head = dict(data["scenario"], id="ban-lon")
    return load_data({"scenario": head, "pages": pages, "lessons": lessons}, "ban-lon")


def trainee(scenario):
    """The hard-case register and keystroke measures described above."""
    import attrs

    from tui.training.answer_key import entered_from_key
    from tui.training.keystrokes import KeystrokeMeasure
    from tui.training.records import EnteredChild

    records = entered_from_key(scenario.key, scenario.reference_date, "Học viên")
    sizes: dict[int, int] = {}
    for child in records.children:
        sizes[child.household_id] = sizes.get(child.household_id, 0) + 1
    children = []
    for n, child in enumerate(records.children):
        values = child.values
        if n % 10 == 3:
            values = attrs.evolve(values, full_name=values.full_name.replace("ị", "i")
                                  .replace("à", "a").replace("ò", "o"))
        if n % 10 == 7:
            values = attrs.evolve(values, birth_date=values.birth_date[:-1] + "9")
        if n == 25:
            continue  # skipped
        order = sizes[child.household_id] + 1 - child.order  # reverse order in the book
        children.append(attrs.evolve(child, values=values, order=order))
    duplicates = [c for c in records.children if c.values.full_name == "Quàng Thị Thanh Thảo"]
    for n, original in enumerate(duplicates):
        children.append(EnteredChild(1000 + n, original.household_id + 5, 2, attrs.evolve(
            original.values, full_name="Quàng Thi Thanh Thao", personal_id=None)))
    start = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    measures = [KeystrokeMeasure(c.record_id, c.order, start, 40.0 + c.record_id % 20,
                                 60 + c.record_id % 30, c.record_id % 5) for c in children]
    return attrs.evolve(records, children=tuple(children)), measures


def child_run(repeats: int) -> dict[str, object]:
    """One fresh process: cold first score, then warm repeats."""
    from tui.training.scoring import score_trainee

    scenario = big_scenario()
    records, measures = trainee(scenario)
    t0, c0 = time.perf_counter(), time.process_time()
    result = score_trainee(scenario, records, measures)
    cold = (time.perf_counter() - t0, time.process_time() - c0)
    warm = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        score_trainee(scenario, records, measures)
        warm.append(time.perf_counter() - t0)
    return {
        "cold_wall": cold[0], "cold_cpu": cold[1], "warm_wall": statistics.median(warm),
        "children": len(scenario.key.children), "entered": len(records.children),
        "accuracy": result.accuracy, "missed": len(result.missed), "extra": len(result.extra),
        "by_name": sum(1 for c in result.children if c.match == "name_birth"),
        "lessons": f"{result.lessons_caught}/{len(result.lessons)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_run(args.repeats)))
        return
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, __file__, "--child", "--repeats",
                               str(args.repeats)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        runs.append(json.loads(done.stdout))
    first = runs[0]
    print(f"children in the key: {first['children']}; records entered: {first['entered']}; "
          f"accuracy {first['accuracy']:.4f}; missed {first['missed']}; extra {first['extra']}; "
          f"paired by name and birth {first['by_name']}; lessons caught {first['lessons']}")
    for key, label in (("cold_wall", "cold, wall"), ("cold_cpu", "cold, CPU"),
                       ("warm_wall", "warm, wall")):
        values = [r[key] * 1000 for r in runs]
        print(f"{label:<11} median {statistics.median(values):7.1f} ms  "
              f"min {min(values):7.1f}  max {max(values):7.1f}  (runs: {len(values)})")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
