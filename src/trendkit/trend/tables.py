"""The trend tables of a run, from documents that carry a theme and a period.

One entry point for every workflow (fresh analysis, re-render, assign,
evaluate), including the no-dates case: valid, empty trend tables and an
honest ``insufficient-data`` status for every theme.
"""

from __future__ import annotations

import pandas as pd

from .coverage import COVERAGE_COLUMNS, coverage_column, coverage_table
from .periods import check_freq, choose_freq, period_labels
from .summary import SUMMARY_COLUMNS, trend_summary
from .terms import PERIOD_TERM_COLUMNS, period_terms
from .volume import VOLUME_COLUMNS, topic_volume


def with_periods(docs: pd.DataFrame, freq: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """Add a ``period`` label column; ``freq`` is chosen from the dates when omitted.

    Returns the documents and the frequency used (``None`` when no date parsed).

    Examples
    --------
    >>> docs = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-03-02"])})
    >>> out, freq = with_periods(docs, "month")
    >>> out["period"].tolist(), freq
    (['2024-01', '2024-03'], 'month')
    """
    dates = pd.to_datetime(docs["date"], errors="coerce")
    if dates.notna().sum() == 0:
        return docs.assign(period=""), None
    freq = check_freq(freq, dates) if freq else choose_freq(dates)
    return docs.assign(period=period_labels(dates, freq)), freq


def empty_tables(topics: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Trend tables for undated documents: headers only, every status ``insufficient-data``."""
    summary = topics[["topic_id", "topic_label", "n_docs"]].assign(
        status="insufficient-data", reason="no dates").reindex(columns=SUMMARY_COLUMNS)
    summary["bursting"] = False
    summary["check_coverage"] = False
    return (pd.DataFrame(columns=VOLUME_COLUMNS), summary,
            pd.DataFrame(columns=PERIOD_TERM_COLUMNS), pd.DataFrame(columns=COVERAGE_COLUMNS))


def trend_tables(docs: pd.DataFrame, topics: pd.DataFrame, freq: str | None, *,
                 alpha: float = 0.05, normalize_by: str | None = None,
                 coverage_col: str | None = None,
                 counts: pd.DataFrame | None = None) -> tuple[pd.DataFrame, ...]:
    """``(trends, summary, period_terms, coverage)`` for documents with a ``period`` column.

    ``normalize_by`` takes each theme's share within its own categories (see
    :func:`~trendkit.trend.volume.topic_volume`); the coverage guard watches
    ``coverage_col`` (default: ``normalize_by``, else a category or source
    column found in ``docs``).

    ``counts`` (streaming runs): ``date, topic_id, topic_label, n`` (+ the
    group column) rows standing for ``n`` documents each; volumes and coverage
    come from them, and ``docs`` is then a bounded sample per theme and period
    used only for the period terms.
    """
    if freq is None:
        return empty_tables(topics)
    weight = None
    frame = docs
    if counts is not None:
        frame, weight = counts, "n"
    trends = topic_volume(frame, freq, normalize_by=normalize_by, weight_col=weight)
    coverage = coverage_table(frame, freq, weight_col=weight,
                              group_col=coverage_column(frame, coverage_col or normalize_by))
    summary = trend_summary(trends, alpha=alpha,
                            coverage_periods=coverage.loc[coverage["change"], "period"].tolist())
    sizes = (trends.set_index(["period", "topic_id"])["n_docs"] if counts is not None else None)
    return trends, summary, period_terms(docs, sizes=sizes), coverage
