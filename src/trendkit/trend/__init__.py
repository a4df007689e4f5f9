"""Stage 5 — trend: volume and share over time, tested trends, bursts.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``periods``        the period length (:func:`resolve_freq`, its one owner), labels
``counts``         what the stage reads: counts per day and theme, a terms sample
``volume``         counts and shares per period with Wilson intervals
``stats``          Mann–Kendall, Theil–Sen, weighted regression, BH, Wilson
``burst``          Kleinberg bursts, tested against chance
``summary``        the verdict per theme, change points
``coverage``       the collection-change guard
``terms``          each theme's terms per period
``tables``         all of the above from one run's aggregates
``facets``         trends within each value of a column (``--facet``)
``compare``        two corpora on one set of themes (``trendkit compare``)
``forecast``       next periods' shares with prediction intervals
=================  ==============================================================

Names are imported on first use, so the command line can read :class:`TrendOptions`
without loading pandas.
"""

from .._lazy import lazy_exports

_EXPORTS = {
    "topic_volume": "volume", "trend_summary": "summary", "resolve_freq": "periods",
    "mann_kendall": "stats", "theil_sen": "stats", "benjamini_hochberg": "stats",
    "wilson_interval": "stats", "kleinberg_states": "burst", "find_bursts": "burst",
    "significant_bursts": "burst",
    "change_points": "summary", "period_terms": "terms", "STATUSES": "summary",
    "FREQ_CODES": "periods", "trend_tables": "tables", "empty_tables": "tables",
    "with_periods": "tables", "count_documents": "counts", "merge_counts": "counts",
    "terms_sample": "counts", "TrendOptions": "options",
}

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
