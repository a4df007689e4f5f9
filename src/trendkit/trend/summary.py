"""Per-theme trend verdicts: tested slopes, FDR control, bursts, change points."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .burst import Burst, find_bursts
from .stats import benjamini_hochberg, mann_kendall, theil_sen

SUMMARY_COLUMNS = ["topic_id", "topic_label", "n_docs", "slope", "slope_low", "slope_high",
                   "p_value", "q_value", "status", "bursting", "burst_periods", "change_points",
                   "first_period", "last_period", "relative_change"]
STATUSES = ("emerging", "declining", "stable", "new", "insufficient-data")
MIN_PERIODS = 6
MIN_DOCS = 10


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


def trend_summary(volume: pd.DataFrame, *, alpha: float = 0.05, new_window: int | None = None,
                  autocorrelation: bool = False, min_change: float = 0.2) -> pd.DataFrame:
    """Classify each theme as emerging, declining, stable, new or insufficient-data.

    Tests each theme's share series over complete periods (partial first and
    last periods are left out) with Mann–Kendall; the slope is Theil–Sen in
    share per period; q-values control the false discovery rate across themes
    (Benjamini–Hochberg). A theme is emerging or declining when its q-value
    is below ``alpha`` *and* its relative change reaches ``min_change``. A theme absent until the last ``new_window`` periods
    is ``new``. Bursts use Kleinberg's automaton on counts vs period totals.

    Parameters
    ----------
    volume : pandas.DataFrame
        Output of :func:`~trendkit.trend.volume.topic_volume`.
    alpha : float, default 0.05
        FDR level for calling a trend.
    new_window : int, optional
        Default: 15 % of the periods, at least 2.
    autocorrelation : bool, default False
        Use the Hamed–Rao autocorrelation-corrected Mann–Kendall variance.
    min_change : float, default 0.2
        A trend must also be material: over the tested periods the Theil–Sen
        line must move the share by at least this fraction of the theme's mean
        share (``relative_change``). Large corpora make tiny drifts
        "significant"; this keeps them ``stable``.

    Examples
    --------
    >>> from trendkit.trend.volume import topic_volume
    >>> months = pd.date_range("2022-01-01", periods=24, freq="MS")
    >>> # 20 documents a month; theme "up" gets 1 more every 3 months, "rest" the others.
    >>> labels = [["up"] * (1 + m // 3) + ["rest"] * (19 - m // 3) for m in range(24)]
    >>> docs = pd.DataFrame({"date": months.repeat(20), "topic_label": sum(labels, [])})
    >>> docs["topic_id"] = (docs["topic_label"] == "up").astype(int)
    >>> trend_summary(topic_volume(docs, "month")).set_index("topic_label")["status"].to_dict()
    {'rest': 'declining', 'up': 'emerging'}
    """
    if volume.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    periods = volume["period"].drop_duplicates().tolist()
    complete = ~volume.drop_duplicates("period")["partial"].to_numpy()
    n_complete = int(complete.sum())
    window = new_window or max(2, int(round(0.15 * n_complete)))
    rows = []
    for (topic_id, label), group in volume.groupby(["topic_id", "topic_label"], sort=False):
        counts = group["n_docs"].to_numpy()
        totals = group["period_total"].to_numpy()
        shares = group["share"].to_numpy()[complete]
        present = np.flatnonzero(counts > 0)
        row = {"topic_id": topic_id, "topic_label": label, "n_docs": int(counts.sum()),
               "first_period": periods[present[0]] if len(present) else None,
               "last_period": periods[present[-1]] if len(present) else None}
        mk = mann_kendall(shares, autocorrelation=autocorrelation)
        ts = theil_sen(shares)
        # Bursts are judged against the theme's own rate since it first appeared:
        # a theme born late is not "bursting" for its whole life.
        # Partial first/last periods are left out: one day of July is no burst.
        since = present[0] if len(present) else 0
        usable = np.flatnonzero(complete & (np.arange(len(counts)) >= since))
        bursts = [Burst(usable[b.start], usable[b.end], b.level, b.weight)
                  for b in find_bursts(counts[usable], totals[usable])] if len(usable) else []
        cps = change_points(shares) if n_complete >= MIN_PERIODS else []
        complete_periods = [p for p, c in zip(periods, complete) if c]
        mean_share = float(shares.mean()) if len(shares) else 0.0
        relative = ts.slope * max(len(shares) - 1, 0) / mean_share if mean_share > 0 else 0.0
        row.update(slope=ts.slope, slope_low=ts.low, slope_high=ts.high, p_value=mk.p_value,
                   relative_change=relative,
                   mk_s=mk.s, bursting=bool(bursts),
                   burst_periods=";".join(periods[b.start] if b.start == b.end else
                                             f"{periods[b.start]}..{periods[b.end]}" for b in bursts),
                   change_points=";".join(complete_periods[i] for i in cps))
        complete_counts = counts[complete]
        nonzero = np.flatnonzero(complete_counts > 0)
        if n_complete < MIN_PERIODS or row["n_docs"] < MIN_DOCS:
            row["status"] = "insufficient-data"
        elif len(nonzero) and nonzero[0] >= n_complete - window:
            row["status"] = "new"
        else:
            row["status"] = None  # decided after FDR control across themes
        rows.append(row)
    table = pd.DataFrame(rows)
    testable = table["status"].isna()
    table["q_value"] = np.nan
    if testable.any():
        table.loc[testable, "q_value"] = benjamini_hochberg(table.loc[testable, "p_value"])
    significant = (testable & (table["q_value"] < alpha)
                   & (table["relative_change"].abs() >= min_change))
    table.loc[significant & (table["mk_s"] > 0), "status"] = "emerging"
    table.loc[significant & (table["mk_s"] < 0), "status"] = "declining"
    table.loc[table["status"].isna(), "status"] = "stable"
    return table[SUMMARY_COLUMNS].reset_index(drop=True)
