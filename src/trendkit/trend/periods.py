"""Calendar periods: choosing a frequency, labelling dates, flagging partial ends."""

from __future__ import annotations

import pandas as pd

from ..errors import TrendkitError

# pandas period codes; weeks start on Monday (ISO).
FREQ_CODES = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def choose_freq(dates: pd.Series) -> str:
    """A period length that gives a readable number of points for the span.

    Examples
    --------
    >>> choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2025-06-30"])))
    'month'
    >>> choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-01-20"])))
    'day'
    """
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return "month"
    span = (dates.max() - dates.min()).days
    if span <= 45:
        return "day"
    if span <= 300:
        return "week"
    if span <= 6 * 366:
        return "month"
    if span <= 16 * 366:
        return "quarter"
    return "year"


def check_freq(freq: str) -> str:
    if freq not in FREQ_CODES:
        raise TrendkitError(f"unknown --freq {freq!r}; choose one of {', '.join(FREQ_CODES)}")
    return freq


def to_period(dates: pd.Series, freq: str) -> pd.Series:
    """Each date's calendar period (``pandas.Period``; missing dates stay NaT)."""
    return pd.to_datetime(dates).dt.to_period(FREQ_CODES[check_freq(freq)])


def period_label(period: pd.Period, freq: str) -> str:
    """Sortable text for a period: ``2024-03-05``, ``2024-03``, ``2024Q1``, ``2024``.

    Weeks are named by their Monday.

    Examples
    --------
    >>> period_label(pd.Period("2024-03", "M"), "month")
    '2024-03'
    >>> period_label(pd.Period("2024-03-06", "W-SUN"), "week")
    '2024-03-04'
    """
    if freq in ("day", "week"):
        return period.start_time.strftime("%Y-%m-%d")
    return str(period)


def full_range(periods: pd.Series, freq: str) -> pd.PeriodIndex:
    """Every period from the first to the last, so empty ones become zeros."""
    periods = periods.dropna()
    if periods.empty:
        return pd.PeriodIndex([], freq=FREQ_CODES[freq])
    return pd.period_range(periods.min(), periods.max(), freq=FREQ_CODES[freq])


def partial_flags(index: pd.PeriodIndex, dates: pd.Series) -> pd.Series:
    """True for a first or last period the data only partly covers.

    A corpus starting on 18 March makes March look small; a trend test that
    counted it would see a fake rise. Days are never partial.

    Examples
    --------
    >>> idx = pd.period_range("2024-01", "2024-03", freq="M")
    >>> partial_flags(idx, pd.Series(pd.to_datetime(["2024-01-18", "2024-03-31"]))).tolist()
    [True, False, False]
    """
    flags = pd.Series(False, index=index)
    dates = pd.to_datetime(dates).dropna()
    if len(index) == 0 or dates.empty or index.freqstr == "D":
        return flags
    first, last = index[0], index[-1]
    # A week of slack for months and longer: listings skip weekends and holidays.
    slack = pd.Timedelta(days=0 if index.freqstr.startswith("W") else 6)
    if dates.min() > first.start_time + slack:
        flags.iloc[0] = True
    if dates.max() < last.end_time.normalize() - slack:
        flags.iloc[-1] = True
    return flags
