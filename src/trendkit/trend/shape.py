"""The shape of a share series: did it turn, where, and is the turn more than noise?

A theme's share over a long window may rise and then fall (it *peaked*) or fall and
rise again (it *revived*); one line through the whole window then says "stable" or,
worse, tells the older half of the story. :func:`turning_point` fits the share with a
continuous broken line (a hinge: one slope before a period, another after), weighted by
each period's documents, at every admissible period, and tests the best hinge against
the single line. The test statistic is the largest F over the candidate periods; its
null distribution (no turn, any straight line, Gaussian noise of variance proportional
to 1/documents) does not depend on the line or the noise level, so it is simulated once
per set of period sizes with a fixed seed (999 draws), which keeps runs reproducible.
This is the sup-F (Davies) test of segmented regression, calibrated by simulation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

N_DRAWS = 999


class Turn(NamedTuple):
    """The best hinge of a series and how sure it is."""

    index: int  # period of the turn (0-based, among the tested periods)
    slope_before: float  # share per period before the turn
    slope_after: float  # share per period after it
    fitted: np.ndarray  # the hinge's fitted shares
    p_value: float  # the sup-F test of a turn against one straight line


def min_segment(n: int) -> int:
    """Fewest periods on each side of a turn: 3, or an eighth of the series.

    Examples
    --------
    >>> [min_segment(n) for n in (12, 24, 48)]
    [3, 3, 6]
    """
    return max(3, n // 8)


def _bases(n: int, weights: np.ndarray, low: int):
    """Orthonormal bases of the weighted line (n, 2) and of every hinge (K, n, 3)."""
    t = np.arange(n, dtype=float)
    root = np.sqrt(weights)[:, None]
    line = np.linalg.qr(root * np.column_stack([np.ones(n), t]))[0]
    knots = np.arange(low, n - low)
    hinges = np.stack([np.linalg.qr(root * np.column_stack(
        [np.ones(n), t, np.clip(t - k, 0, None)]))[0] for k in knots])
    return line, hinges, knots


def _sup_f(y: np.ndarray, line, hinges) -> tuple[np.ndarray, np.ndarray]:
    """sup over hinges of F (one extra parameter) for each column of ``y``; best hinge."""
    total = (y ** 2).sum(axis=0)
    sse_line = total - ((line.T @ y) ** 2).sum(axis=0)
    sse_hinge = total[None, :] - (np.einsum("kni,ns->kis", hinges, y) ** 2).sum(axis=1)
    n = y.shape[0]
    f = (sse_line[None, :] - sse_hinge) / np.maximum(sse_hinge / (n - 3), 1e-300)
    return f.max(axis=0), f.argmax(axis=0)


@lru_cache(maxsize=64)
def _null(weights: tuple, low: int) -> np.ndarray:
    """Sorted sup-F statistics of straight lines plus noise, for these period sizes."""
    w = np.asarray(weights)
    line, hinges, _ = _bases(len(w), w, low)
    noise = np.random.default_rng(0).standard_normal((len(w), N_DRAWS))
    return np.sort(_sup_f(noise, line, hinges)[0])  # whitened: unit variance per period


def turning_point(shares, sizes) -> Turn | None:
    """The best hinge of ``shares`` (weighted by ``sizes``) and its p-value; None if the
    series is too short to have a turn with :func:`min_segment` periods on each side.

    Examples
    --------
    >>> t = np.arange(24)
    >>> peak = np.where(t < 12, 0.05 + 0.01 * t, 0.17 - 0.01 * (t - 12))
    >>> turn = turning_point(peak + np.tile([0.003, -0.003], 12), np.full(24, 100))
    >>> turn.index, turn.slope_before > 0 > turn.slope_after, turn.p_value < 0.01
    (12, True, True)
    """
    shares = np.asarray(shares, dtype=float)
    sizes = np.asarray(sizes, dtype=float)
    n, low = len(shares), min_segment(len(shares))
    if n - 2 * low < 1 or (sizes <= 0).any():
        return None
    # relative weights only: the F statistic does not see their scale; rounded to cache
    weights = tuple(np.round(sizes / sizes.mean(), 3))
    w = np.asarray(weights)
    line, hinges, knots = _bases(n, w, low)
    f, best = _sup_f((np.sqrt(w) * shares)[:, None], line, hinges)
    null = _null(weights, low)
    p = (1 + N_DRAWS - np.searchsorted(null, f[0], side="left")) / (N_DRAWS + 1)
    k = int(knots[best[0]])
    t = np.arange(n, dtype=float)
    design = np.column_stack([np.ones(n), t, np.clip(t - k, 0, None)])
    coef = np.linalg.lstsq(np.sqrt(w)[:, None] * design, np.sqrt(w) * shares, rcond=None)[0]
    return Turn(k, float(coef[1]), float(coef[1] + coef[2]), design @ coef, float(p))


STEP_MARGIN = 1.1


def step_fits_better(shares, sizes, turn: Turn) -> bool:
    """Whether one jump in level explains the series better than the turn does.

    A step (4 % for a year, then 10 %) leaves a broken line looking like a ramp with a
    tilted flat after it; the turn is only a turn where two levels fit clearly worse than
    it (by ``STEP_MARGIN``: the hinge's knot was chosen to fit the noise too).

    Examples
    --------
    >>> step = np.r_[np.full(12, 0.04), np.full(12, 0.10)] + np.tile([0.002, -0.002], 12)
    >>> step_fits_better(step, np.full(24, 100), turning_point(step, np.full(24, 100)))
    True
    """
    y, w = np.asarray(shares, dtype=float), np.asarray(sizes, dtype=float)
    hinge = float((w * (y - turn.fitted) ** 2).sum())
    low = min_segment(len(y))
    best = np.inf
    for k in range(low, len(y) - low + 1):
        parts = (slice(0, k), slice(k, None))
        sse = sum(float((w[p] * (y[p] - np.average(y[p], weights=w[p])) ** 2).sum())
                  for p in parts)
        best = min(best, sse)
    return best <= STEP_MARGIN * hinge
