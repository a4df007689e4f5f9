"""Calendar periods: choosing a frequency, labelling dates, flagging partial ends."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import TrendkitError
from ..load.dates import date_precision

# pandas period codes; weeks start on Monday (ISO). Listed from finest to coarsest.
FREQ_CODES = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
_RANK = {name: rank for rank, name in enumerate(FREQ_CODES)}


def resolve_freq(freq: str | None, dates: pd.Series | None = None) -> str | None:
    """The period length of a run: the one place it is validated and chosen.

    A requested ``freq`` is checked by name and, given ``dates``, must not be finer
    than what they carry (a year-only export cannot have monthly periods). Without
    a request, it is chosen from the dates' span and precision, coarser while fewer
    than half its periods hold a document; ``None`` when no date is known. Options
    are checked with ``dates=None`` before any work.

    Examples
    --------
    >>> resolve_freq(None, pd.Series(pd.date_range("2024-01-03", "2025-06-30", freq="5D")))
    'month'
    >>> resolve_freq(None, pd.Series(pd.date_range("2024-01-01", "2024-01-20")))
    'day'
    >>> resolve_freq(None, pd.Series(pd.to_datetime([f"{y}-01-01" for y in range(2019, 2025)])))
    'year'
    >>> resolve_freq("quarter"), resolve_freq(None, pd.Series([pd.NaT]))
    ('quarter', None)
    >>> resolve_freq(None, pd.Series(pd.to_datetime([f"{y}-05-21" for y in range(2021, 2025)])))
    'year'
    """
    if freq is not None and freq not in FREQ_CODES:
        raise TrendkitError(f"unknown --freq {freq!r}; choose one of {', '.join(FREQ_CODES)}")
    if dates is None:
        return freq
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    if dates.empty:
        return None
    precision = date_precision(dates)
    if freq is not None:
        if _RANK[freq] < _RANK[precision]:
            raise TrendkitError(
                f"--freq {freq} is finer than the dates, which carry only a {precision}; "
                f"use --freq {precision} or coarser")
        return freq
    return _filled_from(dates, max(_by_span(dates), precision, key=_RANK.get))


def finest_freq(dates: pd.Series) -> str:
    """The finest period the dates both carry and fill (what a finer ``--freq`` could be).

    Examples
    --------
    >>> finest_freq(pd.Series(pd.to_datetime(["2021-05-20", "2022-05-21", "2023-05-19"])))
    'year'
    """
    dates = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    return _filled_from(dates, date_precision(dates))


# Least share of the periods between the first and the last date that hold a document.
MIN_FILLED = 0.5


def _filled_from(dates: pd.Series, freq: str) -> str:
    """``freq``, or coarser while fewer than :data:`MIN_FILLED` of its periods hold a date.

    Dates bunched in a few months of each year (an annual conference's proceedings dated
    by its meeting) leave most months empty: a share of 0 there is no measurement.
    """
    names = list(FREQ_CODES)
    while freq != "year":
        periods = dates.dt.to_period(FREQ_CODES[freq])
        if periods.nunique() >= MIN_FILLED * len(full_range(periods, freq)):
            break
        freq = names[_RANK[freq] + 1]
    return freq


def _by_span(dates: pd.Series) -> str:
    """A period length that gives a readable number of points for the span."""
    span = (dates.max() - dates.min()).days
    if span <= 45:
        freq = "day"
    elif span <= 300:
        freq = "week"
    elif span <= 6 * 366:
        freq = "month"
    elif span <= 16 * 366:
        freq = "quarter"
    else:
        freq = "year"
    return freq


def to_period(dates: pd.Series, freq: str) -> pd.Series:
    """Each date's calendar period (``pandas.Period``; missing dates stay NaT)."""
    return pd.to_datetime(dates).dt.to_period(FREQ_CODES[resolve_freq(freq)])


def period_labels(dates: pd.Series, freq: str) -> np.ndarray:
    """Each date's period label (:func:`period_label`; ``""`` where the date is missing).

    Examples
    --------
    >>> period_labels(pd.Series(["2024-03-05", None]), "month").tolist()
    ['2024-03', '']
    """
    periods = to_period(pd.to_datetime(dates, errors="coerce"), freq)
    return periods.map(lambda p: period_label(p, freq) if not pd.isna(p) else "").to_numpy(object)


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


def next_labels(last: str, freq: str, horizon: int) -> list[str]:
    """The labels of the ``horizon`` periods after the period labelled ``last``.

    Examples
    --------
    >>> next_labels("2024-11", "month", 3)
    ['2024-12', '2025-01', '2025-02']
    >>> next_labels("2024-03-04", "week", 1)
    ['2024-03-11']
    """
    period = pd.Period(last, FREQ_CODES[resolve_freq(freq)])
    return [period_label(period + k, freq) for k in range(1, horizon + 1)]


def full_range(periods: pd.Series, freq: str) -> pd.PeriodIndex:
    """Every period from the first to the last, so empty ones become zeros."""
    periods = periods.dropna()
    if periods.empty:
        return pd.PeriodIndex([], freq=FREQ_CODES[freq])
    return pd.period_range(periods.min(), periods.max(), freq=FREQ_CODES[freq])


def partial_flags(index: pd.PeriodIndex, dates: pd.Series) -> pd.Series:
    """True for a first or last period the data only partly covers.

    A corpus starting on 18 March makes March look small; a trend test that
    counted it would see a fake rise. Days are never partial. Coverage is judged at
    the finest period the dates fill (:func:`finest_freq`): a yearly conference dated
    by its May meeting covers its first year as fully as any other.

    Examples
    --------
    >>> idx = pd.period_range("2024-01", "2024-03", freq="M")
    >>> dates = pd.Series(pd.date_range("2024-01-18", "2024-03-31"))
    >>> partial_flags(idx, dates).tolist()
    [True, False, False]
    >>> years = pd.period_range("2021", "2023", freq="Y")
    >>> partial_flags(years, pd.Series(pd.to_datetime(["2021-05-20", "2023-05-21"]))).tolist()
    [False, False, False]
    """
    flags = pd.Series(False, index=index)
    dates = pd.to_datetime(dates).dropna()
    if len(index) == 0 or dates.empty or index.freqstr == "D":
        return flags
    precision = finest_freq(dates)
    if precision != "day":
        # Dates known (or filled) to the month, year...: compare whole units, no slack.
        code = FREQ_CODES[precision]
        first_seen, last_seen = dates.min().to_period(code), dates.max().to_period(code)
        flags.iloc[0] = first_seen > index[0].start_time.to_period(code)
        flags.iloc[-1] = last_seen < index[-1].end_time.to_period(code)
        return flags
    first, last = index[0], index[-1]
    # A week of slack for months and longer: listings skip weekends and holidays.
    slack = pd.Timedelta(days=0 if index.freqstr.startswith("W") else 6)
    if dates.min() > first.start_time + slack:
        flags.iloc[0] = True
    if dates.max() < last.end_time.normalize() - slack:
        flags.iloc[-1] = True
    return flags


PER_YEAR = {"day": 365, "week": 52, "month": 12, "quarter": 4, "year": 1}
NOW_YEARS = 6  # spans longer than this get a verdict about their recent years


def now_window(freq: str | None, n_periods: int) -> int | None:
    """Periods a verdict about *now* covers: all of a span up to six years; beyond, the last
    third of it and at least six years (the last 8 of 24 yearly periods).

    Examples
    --------
    >>> now_window("month", 24), now_window("year", 24), now_window("year", 32)
    (None, 8, 11)
    """
    if freq is None:
        return None
    years = n_periods / PER_YEAR[freq]
    if years <= NOW_YEARS:
        return None
    return int(np.ceil(max(NOW_YEARS, years / 3) * PER_YEAR[freq]))
