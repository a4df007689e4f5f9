"""The evidence about one theme's share series, and the status it supports.

Each theme's share of the tested periods is examined three ways:

- **a trend over the window**: Mann–Kendall (ranks: robust to odd periods, weak for a
  late step) and a regression weighted by each period's documents (knows small periods
  are noisy); either may call it, at half the weight each;
- **a turn**: the best broken line (one slope, then another) against one straight line
  (:func:`trendkit.trend.shape.turning_point`), so a theme that rose and now falls, or
  fell and now rises, is told by what it does *now*;
- **steps**: change points in the level (PELT), where a theme is born or ends.

The window trend gets three quarters of the level, the turn a quarter (weighted
Bonferroni: the theme's p-value is the smaller of ``p_window / 0.75`` and ``p_turn /
0.25``), and Benjamini–Hochberg across themes controls the false discovery rate. A
significant change must also be *material*: at least ``min_change`` of the theme's
mean share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .shape import Turn, step_fits_better, turning_point
from .stats import mann_kendall, theil_sen, weighted_trend_p

MIN_PERIODS = 6
MIN_DOCS = 10
NEGLIGIBLE = 0.1  # a level below this fraction of the other side's level is "absent"
MIN_ABSENT = 0.2  # ... for at least this fraction of the tested periods
W_TURN = 0.25  # the turn test's share of the level (weighted Bonferroni)
MIN_TURN = 12  # fewest tested periods with a turn test (shorter windows: the trend alone)


def change_points(series: np.ndarray, min_size: int = 3) -> list[int]:
    """Indices where the level of a share series shifts (PELT, L2 cost).

    The penalty is BIC-like, ``2 ln(n) σ²``, with σ estimated robustly from
    first differences so the verdict does not depend on the series' scale.

    Examples
    --------
    >>> change_points(np.array([0.1] * 8 + [0.4] * 8) + np.tile([0.01, -0.01], 8))
    [8]
    """
    import ruptures

    n = len(series)
    if n < 2 * min_size:
        return []
    sigma = np.median(np.abs(np.diff(series))) / 0.6745 / np.sqrt(2)
    sigma = max(sigma, 1e-3 * max(float(np.std(series)), 1e-9))
    algo = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(series.reshape(-1, 1))
    return [int(b) for b in algo.predict(pen=2 * np.log(n) * sigma ** 2 * 4) if b < n]


def _level_shift(shares: np.ndarray, cps: list[int]) -> tuple[int | None, float, float]:
    """The change point with the largest jump in mean level, and the means either side."""
    best, before, after = None, 0.0, 0.0
    for cp in cps:
        a, b = float(shares[:cp].mean()), float(shares[cp:].mean())
        if best is None or abs(b - a) > abs(after - before):
            best, before, after = cp, a, b
    return best, before, after


def _birth_and_end(shares: np.ndarray, cps: list[int]) -> tuple[int | None, int | None]:
    """The first change point before which the theme was absent, and after which it is.

    Any change point counts, not only the largest jump: a theme born mid-series that
    bursts later is new, though the burst is the bigger step (regression: demo seeds 1, 2).
    """
    # Absence must be seen for a while (a fifth of the periods): two quiet months at the
    # start of a series are no evidence that a theme did not exist.
    n = len(shares)
    born = [cp for cp in cps if cp >= MIN_ABSENT * n
            and shares[:cp].mean() <= NEGLIGIBLE * shares[cp:].mean()]
    gone = [cp for cp in cps if n - cp >= MIN_ABSENT * n
            and shares[cp:].mean() <= NEGLIGIBLE * shares[:cp].mean()]
    return (born[0] if born else None), (gone[0] if gone else None)


def smoothed(shares: np.ndarray) -> np.ndarray:
    """A centred three-period mean: peaks and troughs of the level, not of one noisy period.

    Examples
    --------
    >>> smoothed(np.array([0.0, 0.3, 0.0, 0.3])).round(2).tolist()
    [0.15, 0.1, 0.2, 0.15]
    """
    return pd.Series(shares).rolling(3, center=True, min_periods=1).mean().to_numpy()


def within_levels(values, shares: np.ndarray) -> np.ndarray:
    """Fitted shares kept within the levels the series went through (:func:`smoothed`).

    A straight line through a fall that slowed ends below anything observed, at 0 once
    clipped: "2.8 % → 0.0 %" of a theme still at 0.3 % (regression: robotics' visual
    servoing, 0.1-0.5 % in its last years). The end a sentence tells is a level the
    theme reached.

    Examples
    --------
    >>> shares = np.array([0.030, 0.020, 0.010, 0.006, 0.004, 0.004])
    >>> within_levels([0.028, -0.002], shares).round(4).tolist()
    [0.025, 0.004]
    """
    level = smoothed(np.asarray(shares, dtype=float))
    return np.clip(np.asarray(values, dtype=float), level.min(), level.max())


def evidence(counts: np.ndarray, totals: np.ndarray, shares: np.ndarray) -> dict:
    """Tests and sizes of change for the tested periods of one theme."""
    n = len(shares)
    mk, ts = mann_kendall(shares), theil_sen(shares)
    p_window = min(1.0, 2 * min(mk.p_value, weighted_trend_p(counts, totals)))
    # a turn needs room: with fewer than MIN_TURN periods the level is not split for it
    turn = turning_point(shares, totals) if n >= MIN_TURN else None
    p_value = (min(1.0, p_window / (1 - W_TURN), turn.p_value / W_TURN) if turn is not None
               else p_window)
    cps = change_points(shares)
    mean = max(float(shares.mean()), 1e-12)
    # Gradual: the Theil–Sen line's ends; step: the levels either side.
    x = np.arange(n)
    fitted = np.median(shares - ts.slope * x) + ts.slope * x
    line = within_levels(fitted[[0, -1]], shares)
    cp, before, after = _level_shift(shares, cps)
    start, end = float(line[0]), float(line[1])
    # A step is told by the levels either side when they fit the periods better than the
    # line does: a fall that went on after its biggest step is no step (it read 2.5 % now,
    # the mean of its tail, while at 0.5 %).
    if cp is not None and (np.square(shares[:cp] - before).sum() + np.square(
            shares[cp:] - after).sum() < np.square(shares - fitted).sum()):
        start, end = before, after
    born, gone = _birth_and_end(shares, cps)
    return {"slope": ts.slope, "slope_low": ts.low, "slope_high": ts.high,
            "p_value": p_value, "mk_s": mk.s, "relative_change": (end - start) / mean,
            "share_start": start, "share_end": end, "cp_index": cp, "cps": cps,
            "born_index": born, "gone_index": gone, "turn": turn, "mean": mean}


LEG_ALPHA = 0.02  # the earlier leg of a turn is tested at alpha x this (see turned)


def turned(turn: Turn | None, counts, totals, mean: float, alpha: float,
           min_change: float) -> bool:
    """Whether a series rose then fell (or fell then rose), each leg real and material.

    Each leg must move the fitted share by ``min_change`` of the mean share and be a
    trend of its own (the weighted regression on its periods, at ``alpha``; the earlier
    leg at ``alpha x LEG_ALPHA``: the knot was chosen to fit, which tilts a flat stretch
    towards a trend, and that leg is a claim about the path, not about now): a flat
    stretch before a late rise is no fall, however the noise tilts it. And the broken
    line must fit better than one jump in level: a step is not a turn.
    """
    if turn is None or np.sign(turn.slope_before) == np.sign(turn.slope_after):
        return False
    if step_fits_better(counts / np.maximum(totals, 1), totals, turn):
        return False  # a jump in level (a step, a birth, an end), not a turn
    k, n = turn.index, len(counts)
    legs = ((0, k, alpha * LEG_ALPHA), (k, n - 1, alpha))
    for a, b, level in legs:
        if abs(turn.fitted[b] - turn.fitted[a]) < min_change * mean:
            return False
        if weighted_trend_p(counts[a:b + 1], totals[a:b + 1]) >= level:
            return False
    return True


def status_of(row: dict, significant: bool, alpha: float, min_change: float) -> str:
    """Lifecycle status of one testable theme: what it is doing now, and how it got here."""
    if row["first_seen_late"]:
        return "new"
    if not significant:
        return "stable"
    if row["turned"]:
        return "peaked" if row["turn"].slope_before > 0 else "revived"
    if abs(row["relative_change"]) < min_change:
        return "stable"
    # Lifecycle from the observed levels either side of a change point (_birth_and_end),
    # never from an extrapolated line: a theme rising from 4 % is emerging, not new.
    if row["mk_s"] > 0:
        return "emerging" if pd.isna(row["born_index"]) else "new"
    return "declining" if pd.isna(row["gone_index"]) else "faded"


RISE = 1.5  # a path "rose" (or "fell") before now when its level moved by half at least
Z_PATH = 4.0  # ... and by more than noise: the range of ~30 noisy levels reaches z ~ 3


def _moved(counts, totals, i: int, j: int) -> bool:
    """Whether the shares of the three periods around ``i`` and ``j`` differ beyond noise
    (two-proportion z; ``counts is None``: no counts, trust the levels)."""
    if counts is None:
        return True
    a, n = counts[max(0, i - 1):i + 2].sum(), totals[max(0, i - 1):i + 2].sum()
    b, m = counts[max(0, j - 1):j + 2].sum(), totals[max(0, j - 1):j + 2].sum()
    pooled = (a + b) / max(n + m, 1)
    se = np.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / max(n, 1) + 1 / max(m, 1)))
    return abs(a / max(n, 1) - b / max(m, 1)) / se >= Z_PATH


def with_path(status: str, level: np.ndarray, counts=None, totals=None) -> str:
    """A verdict about the recent periods, told with the whole history's shape.

    Falling now after rising to a peak (at least ×1.5 from the lowest level before it,
    the peak not at the very start) is *peaked*; rising now after a fall (to a trough at
    most 2/3 of the highest level before it, not at the start, that high at least half
    of today's level: a theme coming back, not one rising from a trickle) is *revived*.
    With the periods' ``counts`` and ``totals``, that earlier move must also exceed noise
    (:data:`Z_PATH`): a flat history of small periods has peaks and troughs of its own.

    Examples
    --------
    >>> with_path("declining", np.array([0.02, 0.05, 0.09, 0.08, 0.06]))
    'peaked'
    >>> with_path("emerging", np.array([0.10, 0.05, 0.03, 0.05, 0.08]))
    'revived'
    >>> with_path("declining", np.array([0.09, 0.08, 0.07, 0.06, 0.05]))
    'declining'
    >>> flat = np.array([0.10, 0.08, 0.13, 0.12, 0.07])  # 100 documents a period
    >>> with_path("declining", smoothed(flat), (flat * 100).round(), np.full(5, 100.0))
    'declining'
    """
    if level is None or len(level) < 3:
        return status
    if status == "declining":
        peak = int(np.argmax(level))
        low = int(np.argmin(level[:peak + 1]))
        if (peak >= 2 and level[peak] >= RISE * max(float(level[low]), 1e-12)
                and _moved(counts, totals, low, peak)):
            return "peaked"
    if status == "emerging":
        trough = int(np.argmin(level))
        high = int(np.argmax(level[:trough + 1]))
        before = float(level[high])
        if (trough >= 2 and before >= RISE * max(level[trough], 1e-12)
                and before >= 0.5 * level[-1] and _moved(counts, totals, high, trough)):
            return "revived"
    return status
