"""Duplicate matching: quality, comparisons, time and memory, old and new and recordlinkage.

Sets (all synthetic):

* ``realistic``: the labelled register of ``tests/fixtures/duplicate_sets.py``
  (evaluation seed): 20,000 children in Kinh, Thái and HMông communes, 500 planted
  duplicates, 300 twin pairs, 300 look-alike sibling pairs, 300 namesakes;
* ``small``: the same with names from small pools (14 family x 9 middle x 15 given);
* ``small300k``: small pools, 300,000 children (7,500 duplicates, 4,500 twin pairs);
* ``demo``: the app's demo register, ``tui.demo.generate(300000, seed=1)`` (one
  commune of Sơn La, 300 planted duplicates; other pairs are not labelled).

Engines: ``new`` (``libchild.find_duplicates`` at its review threshold), ``old`` (the
first version, read from git at ``--old-commit``, at the app's threshold 0.5) and
``recordlinkage`` (the recordlinkage package: the same blocking keys as far as it has
them, a sorted neighbourhood on folded name + birth date, its comparisons and its
logistic classifier trained on a training seed of the same kind; it must be installed
in the venv by hand, it is not a dependency).

Each measurement runs in a fresh child process: data generation is not timed; the
time is the wall time of matching (recordlinkage: indexing, comparing and classifying);
"base RSS" is the child's resident memory just before matching (the data) and "peak
RSS" its peak resident memory from then on (VmHWM, reset before matching), so the
peak minus the base is what matching costs. Comparisons are the candidate pairs
scored. Figures are medians over ``--runs`` runs, runs of engines interleaved.

    .venv/bin/python benchmarks/bench_duplicates.py --sets realistic,small --runs 3
    .venv/bin/python benchmarks/bench_duplicates.py --sets small300k,demo --engines new
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import types
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OLD_COMMIT = "ebdab3e"  # the last commit with the first find_duplicates
DEMO_ON = date(2026, 11, 23)


# -- data ----------------------------------------------------------------------------------

def load_set(name: str) -> tuple[list[dict[str, Any]], Any]:
    """Records of a set and its labels (None for the demo: only planted duplicates)."""
    if name == "demo":
        from tui.demo import generate as demo

        data = demo(300_000, seed=1, on=DEMO_ON)
        keep = ("personal_id", "full_name", "birth_date", "sex", "caregiver_id",
                "father_name", "mother_name", "caregiver_name", "village", "commune_code")
        records = [{k: c.get(k) for k in keep} for c in data.children]
        return records, types.SimpleNamespace(duplicates=data.duplicates, kinds={},
                                              twins=[], siblings=[], namesakes=[])
    from fixtures.duplicate_sets import EVALUATION_SEEDS, generate

    if name == "realistic":
        data = generate(20_000, duplicates=500, twins=300, pools="realistic",
                        seed=EVALUATION_SEEDS["realistic"])
    elif name == "small":
        data = generate(20_000, duplicates=500, twins=300, pools="small",
                        seed=EVALUATION_SEEDS["small"])
    elif name == "small300k":
        data = generate(300_000, duplicates=7_500, twins=4_500, pools="small",
                        seed=EVALUATION_SEEDS["small"])
    else:
        raise SystemExit(f"unknown set {name}")
    return data.records, data


def training_set(name: str) -> tuple[list[dict[str, Any]], Any]:
    from fixtures.duplicate_sets import TRAINING_SEEDS, generate

    pools = "realistic" if name in ("realistic", "demo") else "small"
    data = generate(20_000, duplicates=500, twins=300, pools=pools,
                    seed=TRAINING_SEEDS[pools][0])
    return data.records, data


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start the peak-RSS count afresh (Linux: clear_refs 5 resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


def peak_mb() -> float:
    """Peak RSS since :func:`reset_peak` (VmHWM), else of the whole process."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- engines -------------------------------------------------------------------------------

def run_new(records: list[dict[str, Any]]) -> tuple[float, float, set[tuple[int, int]], int]:
    from libchild.duplicates import REVIEW_THRESHOLD, find_duplicates, prepare_all
    from libchild.duplicates.blocking import candidate_pairs

    start, cpu = time.perf_counter(), time.process_time()
    pairs = find_duplicates(records, min_score=REVIEW_THRESHOLD)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = {(p.left, p.right) for p in pairs}
    comparisons = sum(1 for _ in candidate_pairs(prepare_all(records), 31))
    return wall, cpu, found, comparisons


def old_module(commit: str) -> types.ModuleType:
    source = subprocess.run(["git", "show", f"{commit}:libchild/duplicates.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("libchild_duplicates_old")
    exec(compile(source, f"{commit}:libchild/duplicates.py", "exec"), module.__dict__)
    return module


def run_old(records: list[dict[str, Any]], commit: str
            ) -> tuple[float, float, set[tuple[int, int]], int]:
    old = old_module(commit)
    start, cpu = time.perf_counter(), time.process_time()
    pairs = old.find_duplicates(records)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = {(p.left, p.right) for p in pairs if p.score >= 0.5}
    del pairs
    folds: dict[str, str] = {}
    exacts: dict[str, str] = {}
    prepared = [old._prepare(r, folds, exacts) for r in records]
    comparisons = len(old._candidates(prepared, 31))
    return wall, cpu, found, comparisons


def _frame(records: list[dict[str, Any]]) -> Any:
    import pandas as pd

    from libchild.dates import parse_date
    from libchild.text.fold import fold

    def text(value: Any) -> str | None:
        return fold(value) if isinstance(value, str) and value.strip() else None

    rows = []
    for r in records:
        try:
            birth = parse_date(r["birth_date"]).isoformat() if r.get("birth_date") else None
        except ValueError:
            birth = None
        name = text(r.get("full_name"))
        rows.append({
            "name": name, "birth": birth, "sex": r.get("sex") or None,
            "pid": r.get("personal_id") or None, "cid": r.get("caregiver_id") or None,
            "mother": text(r.get("mother_name")), "father": text(r.get("father_name")),
            "key": f"{name or ''} {birth or ''}",
        })
    frame = pd.DataFrame(rows)
    frame["birth"] = pd.to_datetime(frame["birth"])
    return frame


def _rl_features(frame: Any) -> tuple[Any, Any]:
    import recordlinkage

    indexer = recordlinkage.Index()
    indexer.block("pid")
    indexer.block("cid")
    indexer.block(["father", "mother"])
    indexer.sortedneighbourhood("key", window=9)
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("name", "name", method="jarowinkler", threshold=0.85, label="name")
    compare.date("birth", "birth", label="birth")  # 1 same, 0.5 day/month swapped
    compare.exact("sex", "sex", label="sex")
    compare.exact("pid", "pid", label="pid")
    compare.exact("cid", "cid", label="cid")
    compare.string("mother", "mother", method="jarowinkler", threshold=0.85, label="mother")
    compare.string("father", "father", method="jarowinkler", threshold=0.85, label="father")
    return candidates, compare.compute(candidates, frame)


def train_recordlinkage(set_name: str) -> Any:
    """recordlinkage's logistic classifier fitted on a training seed of the same kind."""
    import pandas as pd
    import recordlinkage

    train_records, train = training_set(set_name)
    _, train_features = _rl_features(_frame(train_records))
    truth = pd.MultiIndex.from_tuples([(max(a, b), min(a, b)) for a, b in train.duplicates])
    classifier = recordlinkage.LogisticRegressionClassifier()
    classifier.fit(train_features, truth.intersection(train_features.index))
    return classifier


def run_recordlinkage(records: list[dict[str, Any]], classifier: Any
                      ) -> tuple[float, float, set[tuple[int, int]], int]:
    start, cpu = time.perf_counter(), time.process_time()
    frame = _frame(records)
    candidates, features = _rl_features(frame)
    matches = classifier.predict(features)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = {(min(a, b), max(a, b)) for a, b in matches}
    return wall, cpu, found, len(candidates)


# -- one measurement (child process) -------------------------------------------------------

def worker(set_name: str, engine: str, commit: str) -> dict[str, Any]:
    records, labels = load_set(set_name)
    classifier = train_recordlinkage(set_name) if engine == "recordlinkage" else None
    base = rss_mb()
    reset_peak()
    if engine == "new":
        wall, cpu, found, comparisons = run_new(records)
    elif engine == "old":
        wall, cpu, found, comparisons = run_old(records, commit)
    else:
        wall, cpu, found, comparisons = run_recordlinkage(records, classifier)
    peak = peak_mb()
    truth = {(min(a, b), max(a, b)) for a, b in labels.duplicates}
    hits = found & truth
    out: dict[str, Any] = {
        "set": set_name, "engine": engine, "records": len(records), "wall": wall, "cpu": cpu,
        "comparisons": comparisons, "proposed": len(found), "base_rss": base,
        "peak_rss": peak, "recall": len(hits) / max(1, len(truth)),
    }
    if labels.kinds:
        out["precision"] = len(hits) / max(1, len(found))
        by_kind: Counter[str] = Counter()
        for pair, kind in labels.kinds.items():
            by_kind[kind] += (min(pair), max(pair)) in found
        totals = Counter(labels.kinds.values())
        out["recall_by_kind"] = {k: f"{by_kind[k]}/{totals[k]}" for k in sorted(totals)}
        for what in ("twins", "siblings", "namesakes"):
            pairs = {(min(a, b), max(a, b)) for a, b in getattr(labels, what)}
            out[f"{what}_proposed"] = f"{len(pairs & found)}/{len(pairs)}"
    return out


# -- driver --------------------------------------------------------------------------------

def main() -> None:
    """Run the measurements and print a table (medians) and the details."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="realistic,small,small300k,demo")
    parser.add_argument("--engines", default="new,old,recordlinkage")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old-commit", default=OLD_COMMIT)
    parser.add_argument("--worker", nargs=2, metavar=("SET", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, args.old_commit)))
        return
    print(f"load average before: {os.getloadavg()}")
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    sets, engines = args.sets.split(","), args.engines.split(",")
    for _ in range(args.runs):
        for set_name in sets:
            for engine in engines:
                proc = subprocess.run(
                    [sys.executable, __file__, "--worker", set_name, engine,
                     "--old-commit", args.old_commit],
                    cwd=ROOT, capture_output=True, text=True,
                )
                if proc.returncode:
                    print(f"{set_name}/{engine} failed:\n{proc.stderr[-2000:]}")
                    continue
                result = json.loads(proc.stdout.strip().splitlines()[-1])
                results.setdefault((set_name, engine), []).append(result)
                print(f"  {set_name}/{engine}: {result['wall']:.2f} s", flush=True)
    print(f"load average after: {os.getloadavg()}")
    print()
    print("| set | engine | comparisons | wall s (median; runs) | CPU s | peak RSS MB "
          "(base) | proposed | precision | recall |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (set_name, engine), runs in results.items():
        first = runs[0]
        walls = [r["wall"] for r in runs]
        precision = f"{first['precision']:.3f}" if "precision" in first else "n/a"
        print(f"| {set_name} | {engine} | {first['comparisons']:,} | "
              f"{statistics.median(walls):.2f} ({', '.join(f'{w:.2f}' for w in walls)}) | "
              f"{statistics.median(r['cpu'] for r in runs):.2f} | "
              f"{statistics.median(r['peak_rss'] for r in runs):.0f} "
              f"({statistics.median(r['base_rss'] for r in runs):.0f}) | "
              f"{first['proposed']:,} | {precision} | {first['recall']:.3f} |")
    print()
    for (set_name, engine), runs in results.items():
        extra = {k: v for k, v in runs[0].items() if k.endswith(("by_kind", "_proposed"))}
        if extra:
            print(f"{set_name}/{engine}: {extra}")


if __name__ == "__main__":
    main()
