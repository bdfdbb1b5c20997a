"""Fit the duplicate model on labelled synthetic registers and write its coefficients.

For each training set (``TRAINING_SEEDS`` of ``tests/fixtures/duplicate_sets.py``:
three realistic and three small-pool registers of 20,000 children, each with 500
planted duplicates, 300 twin pairs, 300 look-alike sibling pairs and 300 namesakes),
the candidate pairs of ``libchild.duplicates.blocking`` are labelled (planted
duplicate or not) and counted per cell of relations; an L2-regularised logistic
regression (``libchild.duplicates.fit.fit_logistic``) is fitted on the counts and
written to ``libchild/duplicates/weights.py``. Then the model is checked on the
evaluation sets (other seeds): precision and recall at several thresholds and a
reliability table (predicted probability against the share of true duplicates).

    .venv/bin/python benchmarks/fit_duplicates.py            # fit, write, report
    .venv/bin/python benchmarks/fit_duplicates.py --check    # exit 1 if weights differ
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.duplicate_sets import EVALUATION_SEEDS, TRAINING_SEEDS, generate  # noqa: E402

from libchild.duplicates import prepare_all  # noqa: E402
from libchild.duplicates.blocking import candidate_pairs  # noqa: E402
from libchild.duplicates.compare import Relations, cell, relations_of_cell  # noqa: E402
from libchild.duplicates.fit import fit_logistic  # noqa: E402
from libchild.duplicates.model import CELL_REASONS, FEATURES, score  # noqa: E402

WEIGHTS_FILE = ROOT / "libchild" / "duplicates" / "weights.py"
WINDOW = 31
L2 = 1.0


def labelled_cells(pools: str, seed: int, n: int = 20_000) -> list[tuple[int, bool]]:
    """The cell and label of every candidate pair of one labelled set."""
    data = generate(n, duplicates=n // 40, twins=n * 3 // 200, pools=pools, seed=seed)
    truth = set(data.duplicates)
    recs = prepare_all(data.records)
    out = []
    for i, j in candidate_pairs(recs, WINDOW):
        c = cell(recs[i], recs[j], WINDOW)
        if c >= 0 and CELL_REASONS[c]:  # only pairs that can be proposed
            out.append((c, (i, j) in truth))
    return out


def count(cells: list[tuple[int, bool]], into: dict[Relations, list[int]]) -> None:
    for c, label in cells:
        entry = into[relations_of_cell(c)]
        entry[0] += label
        entry[1] += 1


def render(weights: dict[str, float]) -> str:
    lines = [
        '"""Coefficients of the duplicate model (data; written by benchmarks/fit_duplicates.py).',
        "",
        "Fitted on the candidate pairs of the labelled synthetic registers of",
        "tests/fixtures/duplicate_sets.py, seeds " + ", ".join(
            f"{pools} {seeds}" for pools, seeds in TRAINING_SEEDS.items()),
        f"(20,000 children each), L2 penalty {L2}. Do not edit by hand: refit.",
        '"""',
        "",
        "#: Logistic coefficients by feature name (libchild.duplicates.model.FEATURES).",
        "WEIGHTS: dict[str, float] = {",
    ]
    lines += [f'    "{name}": {weights[name]!r},' for name in FEATURES]
    lines.append("}")
    return "\n".join(lines) + "\n"


def report(weights: dict[str, float]) -> None:
    print("\nEvaluation sets (never used for fitting):")
    for pools, seed in EVALUATION_SEEDS.items():
        cells = labelled_cells(pools, seed)
        scored = [(score(weights, relations_of_cell(c)), label) for c, label in cells]
        positives = sum(label for _, label in cells)
        print(f"  {pools} (seed {seed}): {len(cells):,} candidate pairs, {positives} true")
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            hits = [(p, label) for p, label in scored if p >= threshold]
            tp = sum(label for _, label in hits)
            precision = tp / len(hits) if hits else 1.0
            print(f"    threshold {threshold}: proposed {len(hits):5d}, precision "
                  f"{precision:.3f}, recall {tp / 500:.3f}")
        bins: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        for p, label in scored:
            b = min(9, int(p * 10))
            bins[b][0] += 1
            bins[b][1] += label
            bins[b][2] += p
        print("    reliability: predicted bin -> pairs, mean predicted, observed share")
        for b in sorted(bins):
            n, pos, total = bins[b]
            print(f"      {b / 10:.1f}-{(b + 1) / 10:.1f}: {n:6d}  {total / n:.3f}  {pos / n:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="refit and compare with the stored weights; write nothing")
    args = parser.parse_args()
    counts: dict[Relations, list[int]] = defaultdict(lambda: [0, 0])
    for pools, seeds in TRAINING_SEEDS.items():
        for seed in seeds:
            count(labelled_cells(pools, seed), counts)
    total = sum(v[1] for v in counts.values())
    positives = sum(v[0] for v in counts.values())
    print(f"training pairs: {total:,} ({positives:,} duplicates) in {len(counts)} cells")
    weights = fit_logistic({k: (v[0], v[1]) for k, v in counts.items()}, l2=L2)
    for name in FEATURES:
        print(f"  {name:22s} {weights[name]:+8.3f}")
    text = render(weights)
    if args.check:
        same = WEIGHTS_FILE.read_text(encoding="utf-8") == text
        print("stored weights match the fit" if same else "stored weights DIFFER from the fit")
        return 0 if same else 1
    WEIGHTS_FILE.write_text(text, encoding="utf-8")
    print(f"written {WEIGHTS_FILE.relative_to(ROOT)}")
    report(weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
