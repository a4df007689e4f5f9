"""The trend tables of a run, from its counts and its terms sample.

One entry point for every executor and workflow (fresh analysis, streamed run,
re-render, assign, evaluate), including the no-dates case: valid, empty trend
tables and an honest ``insufficient-data`` status for every theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .compare import compare_table, two_corpora
from .coverage import COVERAGE_COLUMNS, coverage_table
from .facets import facet_tables
from .forecast import forecast_shares
from .options import TrendOptions
from .periods import now_window, period_labels, resolve_freq
from .summary import SUMMARY_COLUMNS, trend_summary
from .terms import PERIOD_TERM_COLUMNS, period_terms
from .volume import VOLUME_COLUMNS, topic_volume


def with_periods(docs: pd.DataFrame, freq: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """Add a ``period`` label column; ``freq`` is resolved from the dates (see
    :func:`~trendkit.trend.periods.resolve_freq`).

    Returns the documents and the frequency used (``None`` when no date parsed).

    Examples
    --------
    >>> docs = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-03-02"])})
    >>> out, freq = with_periods(docs, "month")
    >>> out["period"].tolist(), freq
    (['2024-01', '2024-03'], 'month')
    """
    freq = resolve_freq(freq, docs["date"])
    if freq is None:
        return docs.assign(period=""), None
    return docs.assign(period=period_labels(docs["date"], freq)), freq


def empty_tables(topics: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Trend tables for undated documents: headers only, every status ``insufficient-data``."""
    summary = topics[["topic_id", "topic_label", "n_docs"]].assign(
        status="insufficient-data", reason="no dates").reindex(columns=SUMMARY_COLUMNS)
    summary["bursting"] = False
    summary["check_coverage"] = summary["burst_check_coverage"] = False
    summary["parent_id"] = topics["parent_id"].to_numpy() if "parent_id" in topics else np.nan
    return (pd.DataFrame(columns=[*VOLUME_COLUMNS, "parent_id"]), summary,
            pd.DataFrame(columns=PERIOD_TERM_COLUMNS), pd.DataFrame(columns=COVERAGE_COLUMNS))


def verdict_window(trends: pd.DataFrame, options: TrendOptions) -> dict:
    """Which recent periods the verdicts are about: the user's ``recent`` (exactly those),
    or on long spans ``now`` (at least those; see :func:`~trendkit.trend.summary.now_start`)."""
    if options.recent:
        return {"recent": options.recent}
    n_complete = int((~trends.drop_duplicates("period")["partial"].astype(bool)).sum())
    return {"now": now_window(options.freq, n_complete)}


def analyst_tables(trends: pd.DataFrame, facet_counts: pd.DataFrame | None,
                   topics: pd.DataFrame, options: TrendOptions,
                   coverage_periods: list | None = None) -> dict:
    """The tables an analysis adds on request: ``facets`` and ``facet_trends``
    (``options.facet``), ``forecast`` (``options.horizon``) and ``compare``
    (``options.compare``), as :class:`~trendkit.result.TrendResult` fields;
    ``coverage_periods``: where the collection changed (the facet verdicts flag it)."""
    out = {}
    if options.compare and facet_counts is not None:  # each corpus's trends: A and B
        out["compare"] = compare_table(facet_counts, topics, options.compare, options.freq)
        facet_counts = two_corpora(facet_counts, options.compare)
    if options.facet and facet_counts is not None and options.freq:
        out["facets"], out["facet_trends"] = facet_tables(
            facet_counts, topics, options, verdict_window(trends, options),
            coverage_periods=coverage_periods)
    if options.horizon and options.freq:
        out["forecast"] = forecast_shares(trends, options.horizon, options.freq)
    if options.weight:  # every table says whether it is weighted (compare counts documents)
        out = {name: table.assign(weighted=name != "compare") for name, table in out.items()}
    return out


def trend_tables(counts: pd.DataFrame, sample: pd.DataFrame, topics: pd.DataFrame,
                 options: TrendOptions, *, alpha: float = 0.05,
                 group_col: str | None = None) -> tuple[pd.DataFrame, ...]:
    """``(trends, summary, period_terms, coverage)`` from a run's aggregates.

    Parameters
    ----------
    counts : DataFrame
        ``date, topic_id[, group_col], n`` (:func:`~trendkit.trend.counts.count_documents`).
    sample : DataFrame
        The terms sample (:func:`~trendkit.trend.counts.terms_sample`), periods of ``freq``.
    topics : DataFrame
        ``topic_id, topic_label`` of every theme (themes with no dated document included).
    options : TrendOptions
        The period length (resolved), ``normalize_by`` (which must be ``group_col``: see
        :func:`~trendkit.trend.volume.topic_volume`) and ``recent``.
    group_col : str, optional
        The category or source column whose mix the coverage guard watches.
    """
    freq = options.freq
    if freq is None:
        return empty_tables(topics)
    labels = topics.set_index("topic_id")["topic_label"]
    parents = (topics.dropna(subset=["parent_id"]).set_index("topic_id")["parent_id"]
               if "parent_id" in topics else pd.Series(dtype=float))
    frame = counts.assign(topic_label=labels.reindex(counts["topic_id"]).to_numpy())
    trends = topic_volume(frame, freq, normalize_by=options.normalize_by, weight_col="n")
    if len(parents) and "subtopic_id" in counts:
        # sub-themes: shares of the same period totals, so they add up to their theme's
        finer = counts.assign(topic_id=counts["subtopic_id"],
                              topic_label=labels.reindex(counts["subtopic_id"]).to_numpy())
        finer = topic_volume(finer, freq, normalize_by=options.normalize_by, weight_col="n")
        trends = pd.concat([trends, finer[finer["topic_id"].isin(parents.index)]],
                           ignore_index=True)
    trends["parent_id"] = trends["topic_id"].map(parents)
    # the published columns first, in their order; what options add (n_home with
    # --normalize-by, n_effective and weighted with --weight) after them
    trends = trends[[*VOLUME_COLUMNS, "parent_id",
                     *[c for c in trends if c not in {*VOLUME_COLUMNS, "parent_id"}]]]
    coverage = coverage_table(frame, freq, weight_col="n", group_col=group_col)
    summary = trend_summary(trends, alpha=alpha, **verdict_window(trends, options),
                            coverage_periods=coverage.loc[coverage["change"], "period"].tolist())
    summary["parent_id"] = summary["topic_id"].map(parents)
    if "weighted" in trends:
        summary["weighted"] = True
    broad = trends[trends["parent_id"].isna()]
    sizes = broad.set_index(["period", "topic_id"])["n_docs"]
    sample = sample.assign(topic_label=labels.reindex(sample["topic_id"]).to_numpy())
    return trends, summary, period_terms(sample, sizes=sizes), coverage
