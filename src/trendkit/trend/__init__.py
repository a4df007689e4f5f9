"""Stage 5 — trend: volume and share over time, tested trends, bursts.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``periods``        the period length (:func:`resolve_freq`, its one owner), labels
``counts``         what the stage reads: counts per day and theme, a terms sample
``volume``         counts and shares per period with Wilson intervals
``stats``          Mann–Kendall, Theil–Sen, weighted regression, BH, Wilson
``burst``          Kleinberg bursts
``summary``        the verdict per theme, change points
``coverage``       the collection-change guard
``terms``          each theme's terms per period
``tables``         all of the above from one run's aggregates
=================  ==============================================================
"""

from .burst import find_bursts, kleinberg_states
from .counts import count_documents, merge_counts, terms_sample
from .periods import FREQ_CODES, resolve_freq
from .stats import benjamini_hochberg, mann_kendall, theil_sen, wilson_interval
from .summary import STATUSES, change_points, trend_summary
from .tables import empty_tables, trend_tables, with_periods
from .terms import period_terms
from .volume import topic_volume

__all__ = ["topic_volume", "trend_summary", "resolve_freq", "mann_kendall", "theil_sen",
           "benjamini_hochberg", "wilson_interval", "kleinberg_states", "find_bursts",
           "change_points", "period_terms", "STATUSES", "FREQ_CODES", "trend_tables",
           "empty_tables", "with_periods", "count_documents", "merge_counts", "terms_sample"]
