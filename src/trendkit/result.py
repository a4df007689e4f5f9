"""``TrendResult``: every table a run produces, plus what it was run with.

A plain data type at the bottom of the package: it imports nothing of trendkit, so
every stage and executor can hand one on. The report is
:class:`trendkit.TrendReport` (``TrendReport(result)``); BERTopic interop is
:func:`trendkit.to_bertopic` / :func:`trendkit.from_bertopic`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DOCUMENT_COLUMNS = ["doc_id", "title", "date", "period", "topic_id", "topic_label",
                    "subtopic_id"]
LINEAGE_COLUMNS = ["from_topic", "to_topic", "period", "shared_terms", "strength",
                   "parent_id", "from_label", "to_label"]
# The first six are the published contract (readers index them by position): later
# columns are appended after them.
TOPIC_COLUMNS = ["topic_id", "topic_label", "n_docs", "share", "top_terms",
                 "representative_titles", "topic_name", "mixed", "parent_id", "outlier_share"]


@dataclass
class TrendResult:
    """The tidy tables of one analysis (one DataFrame per concept).

    Attributes
    ----------
    documents : DataFrame
        ``doc_id, title, date, period, topic_id, topic_label`` (+ ``text`` in memory).
        A streamed run holds its fit sample here (``complete`` is False).
    topics : DataFrame
        ``topic_id, topic_label, n_docs, share, top_terms, representative_titles, mixed``
        (see :mod:`trendkit.label.rows` for what each column means).
    trends : DataFrame
        Long table: one row per period and theme, empty periods as 0.
    summary : DataFrame
        One row per theme with slope, p/q-values, status, bursts, change points.
    period_terms : DataFrame
        Top terms of each theme in each period, from that period's documents only.
    meta : dict
        Parameters, notes (warnings), frequency, timings, versions, inputs.
    coords : ndarray, optional
        2-D document map coordinates.
    model_arrays : dict
        Fitted arrays saved with a run (theme centroids, the embedder's state),
        used to assign new documents to the same themes.
    quality : DataFrame
        ``scope, topic_id, topic_label, metric, value`` from ``trendkit evaluate``.
    coverage : DataFrame
        ``period, n_docs, partial, change, detail``: documents per period and
        where the collection itself changed.
    counts : DataFrame
        ``date, topic_id[, group], n``: every document counted per day and theme
        (what the trend tables are computed from; see :mod:`trendkit.trend.counts`).
    terms_sample : DataFrame
        The documents the period terms are computed from (kept by streamed runs).
    lineage : DataFrame
        ``from_topic, to_topic, period, shared_terms, strength, ...``: sub-themes of one
        theme that follow each other in time (see :mod:`trendkit.trend.lineage`).
    facet_counts : DataFrame, optional
        ``date, topic_id, facet_value, n``: documents per day, theme and facet value
        (``--facet``; what ``facets`` and ``compare`` are computed from).
    facets, facet_trends : DataFrame
        Each theme's share per period within each facet value, and its verdict there
        (see :mod:`trendkit.trend.facets`).
    forecast : DataFrame
        ``topic_id, topic_label, period, share, low80, high80, low95, high95``: the next
        ``--horizon`` periods (see :mod:`trendkit.trend.forecast`).
    compare : DataFrame
        Two corpora compared theme by theme (``trendkit compare``; see
        :mod:`trendkit.trend.compare`).
    """

    documents: pd.DataFrame
    topics: pd.DataFrame
    trends: pd.DataFrame
    summary: pd.DataFrame
    period_terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: dict = field(default_factory=dict)
    coords: np.ndarray | None = None
    model_arrays: dict = field(default_factory=dict)
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    terms_sample: pd.DataFrame = field(default_factory=pd.DataFrame)
    lineage: pd.DataFrame = field(default_factory=pd.DataFrame)
    facet_counts: pd.DataFrame | None = None
    facets: pd.DataFrame = field(default_factory=pd.DataFrame)
    facet_trends: pd.DataFrame = field(default_factory=pd.DataFrame)
    forecast: pd.DataFrame = field(default_factory=pd.DataFrame)
    compare: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def has_dates(self) -> bool:
        return not self.trends.empty

    @property
    def themes(self) -> pd.DataFrame:
        """The theme rows of ``topics`` (not sub-themes, not the kept outlier bin)."""
        broad = self.topics["parent_id"].isna() if "parent_id" in self.topics else True
        return self.topics[broad & (self.topics["topic_id"] >= 0)]

    @property
    def subthemes(self) -> pd.DataFrame:
        """The sub-theme rows of ``topics`` (``parent_id`` names their theme)."""
        if "parent_id" not in self.topics:
            return self.topics.iloc[:0]
        return self.topics[self.topics["parent_id"].notna()]

    @property
    def theme_trends(self) -> pd.DataFrame:
        """``trends`` of the themes alone: the rows stacked shares add up to 100 % from."""
        return _themes_only(self.trends)

    @property
    def theme_summary(self) -> pd.DataFrame:
        """``summary`` of the themes alone (sub-themes' verdicts are the other rows)."""
        return _themes_only(self.summary)

    @property
    def n_themes(self) -> int:
        """Themes, not counting sub-themes or the ``-1`` outlier bin (``keep_outliers``)."""
        return len(self.themes)

    @property
    def complete(self) -> bool:
        """Whether ``documents`` holds every document (False for a streamed run)."""
        return not self.meta.get("streamed")

    def _repr_html_(self) -> str:
        # In a notebook: the verdicts at a glance (the full report: trendkit.TrendReport).
        n_docs = self.meta.get("n_documents", len(self.documents))
        freq = self.meta.get("freq")
        periods = f", {html.escape(str(freq))} periods" if freq else ""
        head = (f"<p><b>trendkit result</b>: {n_docs:,} documents, {self.n_themes} themes"
                f"{periods}</p>")
        columns = [c for c in ("topic_id", "topic_label", "n_docs", "status", "share_start",
                               "share_end", "q_value") if c in self.summary]
        return head + self.summary[columns].to_html(index=False, float_format="{:.3g}".format)


def _themes_only(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["parent_id"].isna()] if "parent_id" in frame else frame
