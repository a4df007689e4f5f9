"""``TrendResult``: every table a run produces, plus what it was run with."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DOCUMENT_COLUMNS = ["doc_id", "title", "date", "period", "topic_id", "topic_label"]
TOPIC_COLUMNS = ["topic_id", "topic_label", "n_docs", "share", "top_terms",
                 "representative_titles", "mixed"]


@dataclass
class TrendResult:
    """The tidy tables of one analysis (one DataFrame per concept).

    Attributes
    ----------
    documents : DataFrame
        ``doc_id, title, date, period, topic_id, topic_label`` (+ ``text`` in memory).
    topics : DataFrame
        ``topic_id, topic_label, n_docs, share, top_terms, representative_titles, mixed``
        (``mixed``: far-spread or incoherent, probably not one real theme).
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
        Fitted arrays saved with a run (theme centroids, LSA vocabulary/idf/
        components), used to assign new documents to the same themes.
    quality : DataFrame
        ``scope, topic_id, topic_label, metric, value`` from ``trendkit evaluate``.
    coverage : DataFrame
        ``period, n_docs, partial, change, detail``: documents per period and
        where the collection itself changed.
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

    @property
    def has_dates(self) -> bool:
        return not self.trends.empty

    @property
    def n_themes(self) -> int:
        """Themes, not counting the ``-1`` outlier bin kept by ``keep_outliers``."""
        return int((self.topics["topic_id"] >= 0).sum())

    def report(self):
        """The :class:`~trendkit.report.TrendReport` of this result."""
        from .report import TrendReport

        return TrendReport(self)

    def to_bertopic(self, *, embedding_model=None):
        """A BERTopic model with exactly these themes, labels and assignments.

        See :func:`trendkit.bertopic_bridge.to_bertopic`; BERTopic's plots and
        tools then work on trendkit's themes (offline by default: the run's own LSA or
        distilled space, else LSA fitted on the documents).
        """
        from .bertopic_bridge import to_bertopic

        return to_bertopic(self, embedding_model=embedding_model)

    def _repr_html_(self) -> str:
        return self.report()._repr_html_()
