"""Stage 5 — trend: volume and share over time, tested trends, bursts."""

from .burst import find_bursts, kleinberg_states
from .periods import FREQ_CODES, choose_freq
from .stats import benjamini_hochberg, mann_kendall, theil_sen, wilson_interval
from .summary import STATUSES, change_points, trend_summary
from .tables import empty_tables, trend_tables, with_periods
from .terms import period_terms
from .volume import topic_volume

__all__ = ["topic_volume", "trend_summary", "choose_freq", "mann_kendall", "theil_sen",
           "benjamini_hochberg", "wilson_interval", "kleinberg_states", "find_bursts",
           "change_points", "period_terms", "STATUSES", "FREQ_CODES", "trend_tables",
           "empty_tables", "with_periods"]
