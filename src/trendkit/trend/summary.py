"""Per-theme trend verdicts: tested change, lifecycle status, bursts, change points.

Each theme's share of every complete period (partial first/last periods left
out) is tested with Mann–Kendall; q-values control the false discovery rate
across themes (Benjamini–Hochberg). A significant change must also be
*material*: its size, relative to the theme's mean share, must reach
``min_change``. Size is measured two ways and the larger counts:

- the Theil–Sen line's change over the tested periods (gradual trends);
- the level shift at the strongest change point (PELT): mean share after
  minus mean share before (steps, and themes that appear or vanish, whose
  Theil–Sen slope is 0 because most values are 0).

Statuses: ``new`` (negligible before its change point, or first seen in the
last 15 % of periods), ``emerging``, ``declining``, ``faded`` (falls to
negligible), ``stable``, ``insufficient-data`` (with the reason).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .burst import Burst, find_bursts
from .stats import benjamini_hochberg, mann_kendall, theil_sen, weighted_trend_p

SUMMARY_COLUMNS = ["topic_id", "topic_label", "n_docs", "slope", "slope_low", "slope_high",
                   "p_value", "q_value", "status", "bursting", "burst_periods", "change_points",
                   "first_period", "last_period", "relative_change", "reason", "share_start",
                   "share_end", "start_period", "end_period", "change_period", "check_coverage"]
STATUSES = ("new", "emerging", "declining", "faded", "stable", "insufficient-data")
MOVERS = ("new", "emerging", "declining", "faded")
MIN_PERIODS = 6
MIN_DOCS = 10
NEGLIGIBLE = 0.1  # a level below this fraction of the other side's level is "absent"
MIN_ABSENT = 0.2  # ... for at least this fraction of the tested periods


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


def _verdict(row: dict, significant: bool, min_change: float) -> str:
    """Lifecycle status of one testable theme."""
    if row["first_seen_late"]:
        return "new"
    if not (significant and abs(row["relative_change"]) >= min_change):
        return "stable"
    # Lifecycle from the observed levels either side of a change point (_birth_and_end),
    # never from an extrapolated line: a theme rising from 4 % is emerging, not new.
    if row["mk_s"] > 0:
        return "emerging" if pd.isna(row["born_index"]) else "new"
    return "declining" if pd.isna(row["gone_index"]) else "faded"


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


def trend_summary(volume: pd.DataFrame, *, alpha: float = 0.05, new_window: int | None = None,
                  autocorrelation: bool = False, min_change: float = 0.2,
                  coverage_periods: list[str] | None = None) -> pd.DataFrame:
    """One row per theme: status and the evidence for it.

    Parameters
    ----------
    volume : pandas.DataFrame
        Output of :func:`~trendkit.trend.volume.topic_volume`.
    alpha : float, default 0.05
        FDR level for calling a change.
    new_window : int, optional
        A theme first seen in the last ``new_window`` complete periods is ``new``
        (default: 15 % of them, at least 2).
    autocorrelation : bool, default False
        Use the Hamed–Rao autocorrelation-corrected Mann–Kendall variance.
    min_change : float, default 0.2
        Materiality: the change must move the share by at least this fraction
        of the theme's mean share (``relative_change``).
    coverage_periods : list of str, optional
        Periods where the collection itself changed; a theme whose change
        point falls within one period of them gets ``check_coverage``.

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
    tested = [p for p, c in zip(periods, complete) if c]
    n_complete = len(tested)
    window = new_window or max(2, int(round(0.15 * n_complete)))
    coverage_index = [tested.index(p) for p in coverage_periods or [] if p in tested]
    rows = [_theme_row(topic_id, label, group, periods, complete, tested, window)
            for (topic_id, label), group in volume.groupby(["topic_id", "topic_label"],
                                                            sort=False)]
    table = pd.DataFrame(rows)
    testable = table["status"].isna()
    table["q_value"] = np.nan
    if testable.any():
        table.loc[testable, "q_value"] = benjamini_hochberg(table.loc[testable, "p_value"])
    for i in np.flatnonzero(testable.to_numpy()):
        row = table.loc[i]
        status = _verdict(row, row["q_value"] < alpha, min_change)
        table.loc[i, "status"] = status
        # A new or faded theme's change is its birth or end, whatever step was largest:
        # its change period and the shares either side are that point's.
        cp = {"new": row["born_index"], "faded": row["gone_index"]}.get(status)
        if cp is not None and not pd.isna(cp):
            cp, shares = int(cp), row["shares"]
            table.loc[i, ["cp_index", "change_period", "share_start", "share_end"]] = [
                cp, tested[cp], float(shares[:cp].mean()), float(shares[cp:].mean())]
        since, first = table.loc[i, "change_period"], row["first_period"]
        if status == "new" and row["first_seen_late"]:
            table.loc[i, "reason"] = f"first seen in {first}"
        elif status == "new":
            table.loc[i, "reason"] = f"negligible before {since}"
            if first < since:  # period labels of one frequency sort as their dates do
                table.loc[i, "reason"] += f" (first seen in {first})"
        elif status == "faded":
            table.loc[i, "reason"] = f"negligible from {since}"
    moved = table["status"].isin(MOVERS)
    table["check_coverage"] = moved & table["cp_index"].map(
        lambda cp: cp is not None and not pd.isna(cp)
        and any(abs(int(cp) - c) <= 1 for c in coverage_index))
    return table[SUMMARY_COLUMNS].reset_index(drop=True)


def _theme_row(topic_id, label, group, periods, complete, tested, window) -> dict:
    counts = group["n_docs"].to_numpy()
    totals = group["period_total"].to_numpy()
    shares = group["share"].to_numpy()[complete]
    present = np.flatnonzero(counts > 0)
    row = {"topic_id": topic_id, "topic_label": label, "n_docs": int(counts.sum()),
           "first_period": periods[present[0]] if len(present) else None,
           "last_period": periods[present[-1]] if len(present) else None,
           "status": None, "reason": "", "cp_index": None, "change_period": None,
           "born_index": None, "gone_index": None}
    # Bursts are judged against the theme's own rate since it first appeared (a theme
    # born late is not "bursting" for its whole life); partial periods are left out.
    since = present[0] if len(present) else 0
    usable = np.flatnonzero(complete & (np.arange(len(counts)) >= since))
    bursts = [Burst(usable[b.start], usable[b.end], b.level, b.weight)
              for b in find_bursts(counts[usable], totals[usable])] if len(usable) else []
    row.update(bursting=bool(bursts), burst_periods=";".join(
        periods[b.start] if b.start == b.end else f"{periods[b.start]}..{periods[b.end]}"
        for b in bursts))
    n = len(shares)
    if n < MIN_PERIODS or row["n_docs"] < MIN_DOCS:
        row.update(status="insufficient-data", slope=np.nan, slope_low=np.nan, slope_high=np.nan,
                   p_value=np.nan, mk_s=0.0, relative_change=np.nan, share_start=np.nan,
                   share_end=np.nan, start_period=tested[0] if n else None,
                   end_period=tested[-1] if n else None, change_points="", first_seen_late=False,
                   reason=(f"too few periods: {n} < {MIN_PERIODS}" if n < MIN_PERIODS
                           else f"too few documents: {row['n_docs']} < {MIN_DOCS}"))
        return row
    mk = mann_kendall(shares)
    ts = theil_sen(shares)
    # Two views of a change: the rank test (robust to odd periods, weak for a late step)
    # and the size-weighted regression (knows small periods are noisy); either may call it,
    # at half the level each (Bonferroni), so the false-alarm rate stays at alpha.
    p_value = min(1.0, 2 * min(mk.p_value,
                               weighted_trend_p(counts[complete], totals[complete])))
    cps = change_points(shares)
    mean = max(float(shares.mean()), 1e-12)
    # Gradual: the Theil–Sen line's ends (clipped at 0); step: the levels either side.
    x = np.arange(n)
    line = np.clip(np.median(shares - ts.slope * x) + ts.slope * x[[0, -1]], 0, None)
    cp, before, after = _level_shift(shares, cps)
    row["born_index"], row["gone_index"] = _birth_and_end(shares, cps)
    row["shares"] = shares  # for the levels either side of a birth or end
    start, end = float(line[0]), float(line[1])
    if cp is not None:
        row.update(cp_index=cp, change_period=tested[cp])
        if abs(after - before) > abs(end - start):
            start, end = before, after
    nonzero = np.flatnonzero(counts[complete] > 0)
    row.update(slope=ts.slope, slope_low=ts.low, slope_high=ts.high, p_value=p_value,
               mk_s=mk.s, relative_change=(end - start) / mean, share_start=start,
               share_end=end, start_period=tested[0], end_period=tested[-1],
               change_points=";".join(tested[i] for i in cps),
               first_seen_late=bool(len(nonzero) and nonzero[0] >= n - window))
    return row
