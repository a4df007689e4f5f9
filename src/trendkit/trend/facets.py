"""Trends within each value of a facet (``--facet venue``): is a theme rising at ICRA but
not at IROS?

From the facet counts (:func:`~trendkit.trend.counts.count_facets`: a document with
several values counts once in each) every facet value gets its own share table — each
theme's share of that value's documents per period, with Wilson bands — and its own
trend verdicts, computed as for the whole corpus (:func:`~trendkit.trend.summary.trend_summary`)
with one Benjamini–Hochberg correction across every (theme, facet value) pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import TrendkitError
from .counts import merge_counts
from .summary import MOVERS, trend_summary
from .volume import topic_volume

OTHER = "other"
FACET_COLUMNS = ["facet", "facet_value", "period", "topic_id", "topic_label", "n_docs",
                 "period_total", "share", "share_low", "share_high", "partial"]
FACET_TREND_COLUMNS = ["facet", "facet_value", "topic_id", "topic_label", "n_docs", "status",
                       "p_value", "q_value", "share_start", "share_end", "start_period",
                       "end_period", "reason", "check_coverage"]


def fold_values(facet_counts: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """Facet counts with all but the ``top`` largest values (by documents) as "other".

    Examples
    --------
    >>> counts = pd.DataFrame({"date": pd.NaT, "topic_id": 0, "facet_value": list("aabc"),
    ...                        "n": [5, 1, 3, 2]})
    >>> fold_values(counts, 2)[["facet_value", "n"]].values.tolist()
    [['a', 6], ['b', 3], ['other', 2]]
    """
    if not top:
        return facet_counts
    sizes = facet_counts.groupby("facet_value")["n"].sum().sort_values(ascending=False,
                                                                      kind="stable")
    if len(sizes) <= top:
        return facet_counts
    kept = set(sizes.index[:top])
    folded = facet_counts.assign(facet_value=facet_counts["facet_value"].where(
        facet_counts["facet_value"].isin(kept), OTHER))
    return merge_counts([folded])


def check_values(facet_counts: pd.DataFrame, facet: str) -> None:
    """A clear error for a facet value too small to trend (one document)."""
    sizes = facet_counts.groupby("facet_value")["n"].sum()
    tiny = sizes[(sizes < 2) & (sizes.index != OTHER)]  # "other" is ours, not a typo
    if len(tiny):
        shown = ", ".join(repr(v) for v in tiny.index[:3])
        raise TrendkitError(f"--facet {facet}: {len(tiny):,} value(s) have a single document "
                            f"({shown}{' …' if len(tiny) > 3 else ''}); pass --facet-top K to "
                            "keep the K largest values and fold the rest into 'other'")


def facet_tables(facet_counts: pd.DataFrame, topics: pd.DataFrame, options,
                 window: dict | None = None, alpha: float = 0.05,
                 coverage_periods: list | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(facets, facet_trends)`` for the broad themes within each facet value.

    ``options`` is the run's :class:`~trendkit.trend.options.TrendOptions` (``facet``,
    ``facet_top``, ``freq``); ``window`` the periods the verdicts are about, as for the
    whole corpus (``recent`` or ``now``, see :func:`~trendkit.trend.tables.verdict_window`);
    ``coverage_periods`` the periods where the collection changed: a verdict whose change
    falls next to one gets ``check_coverage``, as for the whole corpus.
    """
    counts = fold_values(facet_counts, options.facet_top)
    check_values(counts, options.facet)
    broad = topics[topics["parent_id"].isna()] if "parent_id" in topics else topics
    labels = broad.set_index("topic_id")["topic_label"]
    tables = []
    span = [counts["date"].dropna().min(), counts["date"].dropna().max()]
    for value, part in counts.groupby("facet_value", sort=True):
        # every theme in every value and every period of the run, absent ones at 0:
        # shares sum to 1 per value and period, and every value has the same periods
        zeros = pd.DataFrame({"date": np.repeat(span, len(labels)),
                              "topic_id": np.tile(labels.index, 2), "n": 0})
        frame = pd.concat([part, zeros])
        frame = frame.assign(topic_label=labels.reindex(frame["topic_id"]).to_numpy())
        if "w" in part:
            frame[["w", "w2"]] = frame[["w", "w2"]].fillna(0.0)
        volume = topic_volume(frame, options.freq, weight_col="n")
        tables.append(volume.assign(facet=options.facet, facet_value=value))
    facets = pd.concat(tables, ignore_index=True)
    # one family of tests across every (theme, value): a composite id per pair
    pairs = facets[["facet_value", "topic_id"]].drop_duplicates().reset_index(drop=True)
    key = pd.Series(np.arange(len(pairs)),
                    index=pd.MultiIndex.from_frame(pairs)).rename("pair")
    joined = facets.join(key, on=["facet_value", "topic_id"])
    summary = trend_summary(joined.drop(columns=["topic_id"]).rename(columns={"pair": "topic_id"})
                            .drop(columns=["facet", "facet_value"]), alpha=alpha,
                            coverage_periods=coverage_periods, **(window or {}))
    summary = summary.join(pairs, on="topic_id", rsuffix="_real")
    summary = summary.assign(topic_id=summary["topic_id_real"], facet=options.facet)
    extra = [c for c in ("n_effective", "weighted") if c in facets]
    return (facets.reindex(columns=FACET_COLUMNS + extra),
            summary.reindex(columns=FACET_TREND_COLUMNS).sort_values(
                ["topic_id", "facet_value"], kind="stable").reset_index(drop=True))


def facet_sentences(facet_trends: pd.DataFrame) -> pd.Series:
    """Per theme, what it does in each facet value: "emerging at icra (q = 0.003), stable
    at iros".

    Examples
    --------
    >>> table = pd.DataFrame({"topic_id": [0, 0], "facet_value": ["icra", "iros"],
    ...                       "status": ["emerging", "stable"], "q_value": [0.003, 0.6]})
    >>> facet_sentences(table)[0]
    'emerging at icra (q = 0.003), stable at iros'
    """
    def one(group: pd.DataFrame) -> str:
        parts = []
        for row in group.itertuples():
            q = f" (q = {row.q_value:.2g})" if row.status in MOVERS else ""
            flag = getattr(row, "check_coverage", False)
            if pd.notna(flag) and bool(flag):
                q += " [check coverage: the collection changed then]"
            parts.append(f"{row.status} at {row.facet_value}{q}")
        return ", ".join(parts)
    if facet_trends.empty:
        return pd.Series(dtype=object)
    # movers first: what differs between values is the news
    order = facet_trends.assign(mover=~facet_trends["status"].isin(MOVERS)).sort_values(
        ["topic_id", "mover", "facet_value"], kind="stable")
    shown = [c for c in ("facet_value", "status", "q_value", "check_coverage") if c in order]
    return order.groupby("topic_id", sort=False)[shown].apply(one)
