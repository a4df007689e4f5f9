"""Per-theme trend verdicts: what each theme is doing now, the path it took, and bursts.

Each theme's share of every complete period (partial first/last periods left out) is
examined as :mod:`trendkit.trend.verdict` describes: a trend over the window, a turn,
and steps; q-values control the false discovery rate across themes
(Benjamini–Hochberg), and a change must be material.

Statuses: ``new`` (negligible before its change point, or first seen in the last 15 %
of periods), ``emerging``, ``declining``, ``faded`` (falls to negligible), ``peaked``
(rose to a peak, falling now), ``revived`` (fell, rising again now), ``stable``,
``insufficient-data`` (with the reason). Whatever the status, ``peak_period`` /
``share_peak`` and ``trough_period`` / ``share_trough`` give the highest and lowest
level (three-period mean) of the whole history, and ``turn_period`` the turn, if any.
With ``recent=N`` only the last ``N`` complete periods are tested (the history
columns still cover all). ``burst_periods`` lists Kleinberg bursts that beat chance
(:func:`~trendkit.trend.burst.significant_bursts`, at ``alpha`` per theme);
``check_coverage`` marks a mover whose change, ``burst_check_coverage`` a theme with a
burst that begins or ends, within one period of a change in what was collected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .burst import Burst, significant_bursts
from .shape import turning_point
from .stats import benjamini_hochberg
from .verdict import (  # noqa: F401  (re-exported: the summary's constants)
    MIN_DOCS,
    MIN_PERIODS,
    change_points,
    evidence,
    smoothed,
    status_of,
    turned,
    with_path,
    within_levels,
)

SUMMARY_COLUMNS = ["topic_id", "topic_label", "n_docs", "slope", "slope_low", "slope_high",
                   "p_value", "q_value", "status", "bursting", "burst_periods", "change_points",
                   "first_period", "last_period", "relative_change", "reason", "share_start",
                   "share_end", "start_period", "end_period", "change_period", "check_coverage",
                   "peak_period", "share_peak", "trough_period", "share_trough", "turn_period",
                   "burst_check_coverage"]
STATUSES = ("new", "emerging", "declining", "faded", "peaked", "revived", "stable",
            "insufficient-data")
MOVERS = ("new", "emerging", "declining", "faded", "peaked", "revived")


def trend_summary(volume: pd.DataFrame, *, alpha: float = 0.05, new_window: int | None = None,
                  min_change: float = 0.2, coverage_periods: list[str] | None = None,
                  recent: int | None = None, now: int | None = None) -> pd.DataFrame:
    """One row per theme: status and the evidence for it.

    Parameters
    ----------
    volume : pandas.DataFrame
        Output of :func:`~trendkit.trend.volume.topic_volume`.
    alpha : float, default 0.05
        FDR level for calling a change; also each theme's level for a burst
        (:func:`~trendkit.trend.burst.significant_bursts`).
    new_window : int, optional
        A theme first seen in the last ``new_window`` complete periods is ``new``
        (default: 15 % of them, at least 2).
    min_change : float, default 0.2
        Materiality: the change must move the share by at least this fraction
        of the theme's mean share (``relative_change``).
    coverage_periods : list of str, optional
        Periods where the collection itself changed; a theme whose change
        point falls within one period of them gets ``check_coverage``.
    recent : int, optional
        Test only the last ``recent`` complete periods (``--recent``): the verdict is
        about them; the peak and trough columns still describe the whole history.
    now : int, optional
        On long spans, the periods a verdict about *now* covers at least (see
        :func:`~trendkit.trend.periods.now_window`); each theme's window reaches back to
        its own turn (:func:`now_start`), or over the whole span where it never turned.

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
    n_window = min(recent or len(tested), len(tested))
    window = new_window or max(2, int(round(0.15 * n_window)))
    rows = [_theme_row(topic_id, label, group, periods, complete, tested, window, recent, now,
                       alpha)
            for (topic_id, label), group in volume.groupby(["topic_id", "topic_label"],
                                                            sort=False)]
    table = pd.DataFrame(rows)
    testable = table["status"].isna()
    table["q_value"] = np.nan
    # one family of tests per level: themes among themes, sub-themes among sub-themes
    level = (volume.drop_duplicates("topic_id").set_index("topic_id")["parent_id"].notna()
             if "parent_id" in volume else pd.Series(False, index=table["topic_id"]))
    sub = table["topic_id"].map(level).fillna(False).astype(bool)
    for family in (testable & ~sub, testable & sub):
        if family.any():
            table.loc[family, "q_value"] = benjamini_hochberg(table.loc[family, "p_value"])
    for i in np.flatnonzero(testable.to_numpy()):
        row = table.loc[i].to_dict()
        significant = row["q_value"] < alpha
        row["turned"] = significant and turned(row["turn"], *row["counts_totals"], row["mean"],
                                               alpha, min_change)
        status = status_of(row, significant, alpha, min_change)
        if len(row["window"]) < len(row["history_periods"]):  # about now: the path says how
            status = with_path(status, row["level"], *row["history_counts"])
        table.loc[i, "status"] = status
        _describe(table, i, row, status)
    moved = table["status"].isin(MOVERS)
    # by period label: each theme's window (and its observed periods) may differ
    position = {p: k for k, p in enumerate(tested)}
    marks = [position[p] for p in coverage_periods or [] if p in position]

    def near(period) -> bool:  # within one period of a change in what was collected
        return period in position and any(abs(position[period] - c) <= 1 for c in marks)

    table["check_coverage"] = moved & table["change_period"].map(near)
    # a burst that begins or ends where the collection changed may be that change
    table["burst_check_coverage"] = table["burst_edges"].map(lambda edges: any(map(near, edges)))
    return table.reindex(columns=SUMMARY_COLUMNS).reset_index(drop=True)


def _describe(table: pd.DataFrame, i: int, row: dict, status: str) -> None:
    """The change a status is about: its period, the shares either side, the reason."""
    window, shares = row["window"], row["shares"]
    turn = row["turn"]
    if turn is not None:
        table.loc[i, "turn_period"] = window[turn.index]
    if status in ("peaked", "revived") and row["turned"]:  # about the leg since the turn
        start, end = within_levels(turn.fitted[[turn.index, -1]], shares)
        table.loc[i, ["cp_index", "change_period", "start_period", "share_start", "share_end",
                      "relative_change"]] = [turn.index, window[turn.index], window[turn.index],
                                             start, end, (end - start) / row["mean"]]
        table.loc[i, "reason"] = path_sentence(smoothed(shares), window, status, turn.index)
        return
    if status in ("peaked", "revived"):  # now falling (rising) after a rise (fall) before
        table.loc[i, "reason"] = path_sentence(row["level"], row["history_periods"], status)
        return
    # A new or faded theme's change is its birth or end, whatever step was largest:
    # its change period and the shares either side are that point's.
    cp = {"new": row["born_index"], "faded": row["gone_index"]}.get(status)
    if cp is not None and not pd.isna(cp):
        cp = int(cp)
        table.loc[i, ["cp_index", "change_period", "share_start", "share_end"]] = [
            cp, window[cp], float(shares[:cp].mean()), float(shares[cp:].mean())]
    since, first = table.loc[i, "change_period"], row["first_period"]
    if status == "new" and row["first_seen_late"]:
        table.loc[i, "reason"] = f"first seen in {first}"
    elif status == "new":
        table.loc[i, "reason"] = f"negligible before {since}"
        if first < since:  # period labels of one frequency sort as their dates do
            table.loc[i, "reason"] += f" (first seen in {first})"
    elif status == "faded":
        table.loc[i, "reason"] = f"negligible from {since}"


def path_sentence(level: np.ndarray, periods: list, status: str, turn: int | None = None) -> str:
    """The whole path of a peaked or revived theme, in words (levels: three-period means).

    ``turn`` (the broken line's vertex) says where to look for the peak or trough: the
    highest (lowest) level within a few periods of it, not a stray high at the start.

    Examples
    --------
    >>> level = np.array([0.18, 0.10, 0.005, 0.03, 0.08, 0.129])
    >>> path_sentence(level, ["1992", "1997", "2003", "2008", "2013", "2018"], "revived")
    'rose from 0.5 % (2003) to 12.9 % (2018), after falling from 18.0 % (1992)'
    """
    revived = status == "revived"
    pick = np.argmin if revived else np.argmax
    low, high = 0, len(level) - 1
    if turn is not None:
        reach = max(2, len(level) // 8)
        low, high = max(0, turn - reach), min(len(level) - 1, turn + reach)
    turn = low + int(pick(level[low:high + 1]))
    before = int((np.argmax if revived else np.argmin)(level[:turn + 1]))

    def at(k):
        return f"{100 * level[k]:.1f} % ({periods[k]})"

    now, earlier = ("rose", "falling") if revived else ("fell", "rising")
    return f"{now} from {at(turn)} to {at(len(level) - 1)}, after {earlier} from {at(before)}"


TURN_P = 0.05  # a turn this clear ends the stretch a verdict about now reaches back over


def now_start(shares: np.ndarray, sizes: np.ndarray, now: int) -> int:
    """First period of a verdict about now: where the history last turned, or the start
    of the last ``now`` periods if it turned later; the whole span if it never turned
    (a theme rising for 20 years is rising now, and all 20 years are the evidence).

    Examples
    --------
    >>> t = np.arange(24)
    >>> v = np.where(t < 10, 0.20 - 0.015 * t, 0.05 + 0.01 * (t - 10))  # fell, then rose
    >>> rising = 0.05 + 0.005 * t + np.tile([0.004, -0.004], 12)  # one trend all along
    >>> now_start(v, np.full(24, 200), 8), now_start(rising, np.full(24, 200), 8)
    (10, 0)
    """
    turn = turning_point(shares, sizes)
    if turn is None or turn.p_value >= TURN_P:
        return 0
    return min(turn.index, len(shares) - now)


def _theme_row(topic_id, label, group, periods, complete, tested, window, recent,
               now=None, alpha: float = 0.05) -> dict:
    raw = group["n_docs"].to_numpy()
    observed = group["period_total"].to_numpy() > 0
    if not observed[complete].all():
        # A period with no documents in the theme's denominator (a facet value, or the
        # --normalize-by categories, not collected then) says nothing about its share:
        # it is left out, not read as a share of 0.
        complete = complete & observed
        tested = [p for p, c in zip(periods, complete) if c]
    # With --normalize-by the share counts only the theme's documents in its home
    # categories (n_home), and so must the tests.
    counts = group["n_home"].to_numpy() if "n_home" in group else raw
    totals = group["period_total"].to_numpy()
    if "n_effective" in group:  # weighted shares: the tests see effective counts (Kish)
        totals = group["n_effective"].to_numpy(float)
        counts = group["share"].to_numpy(float) * totals
    history = group["share"].to_numpy()[complete]
    present = np.flatnonzero(raw > 0)
    row = {"topic_id": topic_id, "topic_label": label, "n_docs": int(raw.sum()),
           "first_period": periods[present[0]] if len(present) else None,
           "last_period": periods[present[-1]] if len(present) else None,
           "status": None, "reason": "", "cp_index": None, "change_period": None,
           "born_index": None, "gone_index": None, "turned": False, "turn": None}
    if len(history):  # the whole path, whatever window the verdict is about
        level = smoothed(history)
        peak, trough = int(np.argmax(level)), int(np.argmin(level))
        row.update(level=level, history_periods=tested,
                   history_counts=(counts[complete], totals[complete]),
                   peak_period=tested[peak], share_peak=float(level[peak]),
                   trough_period=tested[trough], share_trough=float(level[trough]))
    # Bursts are judged against the theme's own rate since it first appeared (a theme
    # born late is not "bursting" for its whole life); partial periods are left out. A
    # burst is tested per theme, at alpha, against flat series of the same totals.
    since = present[0] if len(present) else 0
    usable = np.flatnonzero(complete & (np.arange(len(counts)) >= since))
    bursts = [Burst(usable[b.start], usable[b.end], b.level, b.weight, b.p_value)
              for b in significant_bursts(counts[usable], totals[usable], alpha=alpha)
              ] if len(usable) else []
    row.update(bursting=bool(bursts), burst_periods=";".join(
        periods[b.start] if b.start == b.end else f"{periods[b.start]}..{periods[b.end]}"
        for b in bursts), burst_edges=[periods[i] for b in bursts for i in (b.start, b.end)])
    window_periods = tested[-recent:] if recent else tested
    if now and not recent and len(history) > now:
        window_periods = tested[now_start(history, totals[complete], now):]
    keep = slice(len(tested) - len(window_periods), None)
    counts, totals = counts[complete][keep], totals[complete][keep]
    shares = history[keep]
    n, n_docs = len(shares), int(raw[complete][keep].sum())
    if n < MIN_PERIODS or n_docs < MIN_DOCS:
        row.update(status="insufficient-data", slope=np.nan, slope_low=np.nan, slope_high=np.nan,
                   p_value=np.nan, mk_s=0.0, relative_change=np.nan, share_start=np.nan,
                   share_end=np.nan, start_period=window_periods[0] if n else None,
                   end_period=window_periods[-1] if n else None, change_points="",
                   first_seen_late=False,
                   reason=(f"too few periods: {n} < {MIN_PERIODS}" if n < MIN_PERIODS
                           else f"too few documents: {n_docs} < {MIN_DOCS}"))
        return row
    found = evidence(counts, totals, shares)
    cps = found.pop("cps")
    row.update(found)
    if found["cp_index"] is not None:
        row["change_period"] = window_periods[found["cp_index"]]
    row["shares"] = shares  # for the levels either side of a birth or end
    row["window"] = window_periods
    row["counts_totals"] = (counts, totals)
    nonzero = np.flatnonzero(counts > 0)
    row.update(start_period=window_periods[0], end_period=window_periods[-1],
               change_points=";".join(window_periods[i] for i in cps),
               first_seen_late=bool(len(nonzero) and nonzero[0] >= n - window))
    return row
