"""Trend statistics: Mann–Kendall, Theil–Sen, Benjamini–Hochberg, Wilson.

Small, dependency-light implementations checked in the tests against values
computed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class MannKendall:
    s: float
    var_s: float
    z: float
    p_value: float


def mann_kendall(values, *, autocorrelation: bool = False) -> MannKendall:
    """Mann–Kendall trend test with the tie correction of Var(S).

    Parameters
    ----------
    values : array-like
        The series in time order.
    autocorrelation : bool, default False
        Apply Hamed & Rao's (1998) variance correction for serially
        correlated series (significant lags of the detrended ranks).

    Examples
    --------
    >>> r = mann_kendall([1, 2, 3, 4, 5])
    >>> r.s, r.var_s
    (10.0, 16.666666666666668)
    >>> mann_kendall([1, 2, 2, 3]).var_s   # (4*3*13 - 2*1*9) / 18
    7.666666666666667
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        return MannKendall(0.0, 0.0, 0.0, 1.0)
    diffs = np.sign(x[None, :] - x[:, None])
    s = float(np.triu(diffs, k=1).sum())
    _, tie_counts = np.unique(x, return_counts=True)
    ties = tie_counts[tie_counts > 1]
    var_s = (n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18.0
    if autocorrelation and var_s > 0:
        var_s *= _hamed_rao_factor(x)
    if var_s <= 0:
        return MannKendall(s, 0.0, 0.0, 1.0)
    z = (s - np.sign(s)) / np.sqrt(var_s)  # continuity correction
    p = 2 * stats.norm.sf(abs(z))
    return MannKendall(s, float(var_s), float(z), float(min(1.0, p)))


def _hamed_rao_factor(x: np.ndarray) -> float:
    n = len(x)
    slope = theil_sen(x).slope
    ranks = stats.rankdata(x - slope * np.arange(n))
    ranks = ranks - ranks.mean()
    denom = np.sum(ranks ** 2)
    if denom == 0:
        return 1.0
    bound = 1.96 / np.sqrt(n)
    total = 0.0
    for lag in range(1, n - 1):
        rho = np.sum(ranks[:-lag] * ranks[lag:]) / denom
        if abs(rho) > bound:
            total += (n - lag) * (n - lag - 1) * (n - lag - 2) * rho
    return max(1.0, 1 + 2 / (n * (n - 1) * (n - 2)) * total)


def weighted_trend_p(counts, totals) -> float:
    """Two-sided p-value of a linear trend in shares, weighting periods by their size.

    Weighted least squares of ``counts / totals`` on the period index with
    weights ``totals`` (binomial variance is inversely proportional to the
    period's size); Student t on ``k - 2`` degrees of freedom. The noise
    variance comes from successive differences of the detrended shares,
    ``E[(y_t - y_{t-1} - b)²] = σ² (1/n_t + 1/n_{t-1})``, not from the line's
    residuals: a step or a theme
    that fades is a real change, and a straight line's misfit to it must not
    count as noise. Unlike Mann–Kendall it knows that a share out of 60
    documents is noisier than one out of 140.

    Examples
    --------
    >>> round(weighted_trend_p([1, 2, 3, 4, 5, 6, 7, 8], [20] * 8), 4)
    0.0
    >>> weighted_trend_p([3, 3, 3, 3], [10, 10, 10, 10])
    1.0
    """
    c = np.asarray(counts, dtype=float)
    n = np.asarray(totals, dtype=float)
    keep = n > 0
    c, n = c[keep], n[keep]
    k = len(c)
    if k < 3:
        return 1.0
    y, t = c / n, np.flatnonzero(keep).astype(float)
    t_mean = np.sum(n * t) / n.sum()
    sxx = np.sum(n * (t - t_mean) ** 2)
    slope = np.sum(n * (t - t_mean) * (y - np.sum(n * y) / n.sum())) / sxx
    steps = np.diff(y) - slope * np.diff(t)  # differences of the detrended series
    sigma2 = np.mean(steps ** 2 / (1 / n[1:] + 1 / n[:-1]))
    if sigma2 <= 0:
        return 0.0 if slope != 0 else 1.0
    z = slope / np.sqrt(sigma2 / sxx)
    return float(2 * stats.t.sf(abs(z), df=k - 2))


@dataclass(frozen=True)
class TheilSen:
    slope: float
    low: float
    high: float


def theil_sen(values, confidence: float = 0.95) -> TheilSen:
    """Median of pairwise slopes per period, with a confidence interval.

    Examples
    --------
    >>> theil_sen([1.0, 2.0, 3.0, 10.0]).slope   # median of 1, 1, 1, 3, 4, 7
    2.0
    """
    y = np.asarray(values, dtype=float)
    if len(y) < 2:
        return TheilSen(0.0, 0.0, 0.0)
    slope, _, low, high = stats.theilslopes(y, np.arange(len(y)), alpha=confidence)
    return TheilSen(float(slope), float(low), float(high))


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini–Hochberg q-values (step-up, monotone, capped at 1).

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def wilson_interval(successes, totals, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions; ``(0, 0)`` where the total is 0.

    Examples
    --------
    >>> low, high = wilson_interval([5], [10])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.2366, 0.7634)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, k / n, 0.0)
        denom = 1 + z ** 2 / n
        centre = (p + z ** 2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0, 1), 0.0)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), 0.0)
    # Floating point can put the bound a hair inside the estimate at 0 or 1.
    return np.minimum(low, p), np.maximum(high, p)
