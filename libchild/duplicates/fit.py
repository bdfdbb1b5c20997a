"""Fitting the duplicate model: L2-regularised logistic regression on labelled pairs.

The relations of a pair take few values, so labelled pairs are first counted per
distinct feature vector and Newton's method (iteratively reweighted least squares)
runs on the counts: a few milliseconds for hundreds of thousands of pairs, standard
library only. ``benchmarks/fit_duplicates.py`` feeds it the candidate pairs of the
labelled synthetic registers and writes :mod:`libchild.duplicates.weights`; a
register with reviewed decisions (same child / different children) could refit on
its own pairs the same way.

>>> from libchild.duplicates.compare import Relations
>>> same = Relations("exact", "same", "same", "same", "none")
>>> other = Relations("other", "far", "conflict", "same", "different")
>>> weights = fit_logistic({same: (90, 100), other: (1, 1000)})
>>> from libchild.duplicates.model import probability
>>> 0.8 < probability(weights, same) < 0.95 and probability(weights, other) < 0.01
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from libchild.duplicates.compare import Relations
from libchild.duplicates.model import FEATURES, design

__all__ = ["fit_logistic"]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` by Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [[*row[:], vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        p = a[col][col]
        if abs(p) < 1e-12:
            continue
        for r in range(col + 1, n):
            f = a[r][col] / p
            if f:
                row, top = a[r], a[col]
                for c in range(col, n + 1):
                    row[c] -= f * top[c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        p = a[r][r]
        s = a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))
        x[r] = s / p if abs(p) >= 1e-12 else 0.0
    return x


def fit_logistic(
    counts: Mapping[Relations, tuple[int, int]],
    *,
    l2: float = 1.0,
    iterations: int = 100,
) -> dict[str, float]:
    """Return the coefficients (by feature name) fitted on labelled pair counts.

    ``counts`` maps the relations of a pair to ``(duplicates, pairs)``: how many of
    the pairs with those relations are the same child. ``l2`` is the ridge penalty on
    every coefficient but the intercept (it keeps rare combinations from extreme
    values). Features never seen in the data get 0.
    """
    rows: dict[tuple[int, ...], list[int]] = defaultdict(lambda: [0, 0])
    for rel, (positive, total) in counts.items():
        if total <= 0:
            continue
        row = rows[tuple(int(v) for v in design(rel))]
        row[0] += positive
        row[1] += total
    k = len(FEATURES)
    seen = [any(x[j] for x in rows) for j in range(k)]
    w = [0.0] * k
    for _ in range(iterations):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, (positive, total) in rows.items():
            z = sum(w[j] for j in range(k) if x[j])
            p = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
            residual = positive - total * p
            weight = total * p * (1.0 - p)
            on = [j for j in range(k) if x[j]]
            for j in on:
                grad[j] += residual
                row = hess[j]
                for m in on:
                    row[m] += weight
        for j in range(k):
            penalty = l2 if j else 1e-6
            grad[j] -= penalty * w[j]
            hess[j][j] += penalty
            if not seen[j]:
                hess[j] = [0.0] * k
                hess[j][j] = 1.0
                grad[j] = -w[j]
        step = _solve(hess, grad)
        w = [wj + sj for wj, sj in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return {name: round(value, 4) for name, value in zip(FEATURES, w, strict=True)}
