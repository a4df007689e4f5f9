"""Date parsing for messy exports, and publication months read off arXiv ids."""

from __future__ import annotations

import re
import warnings
from email.utils import parsedate_to_datetime

import numpy as np
import pandas as pd

# Dates outside this window are almost always parse accidents (epochs read as
# years, "0001-01-01" placeholders); they become missing and are counted.
EARLIEST = pd.Timestamp("1900-01-01")
LATEST = pd.Timestamp("2100-12-31")

_NEW_ARXIV_ID = re.compile(r"(?:arxiv[:/]|abs/|^)(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?", re.I)
_OLD_ARXIV_ID = re.compile(r"[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(?:v\d+)?", re.I)
_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})[-/](\d{1,2})\s*$")


def _parse_one(value: object) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if 1000 <= number <= 2999 and number == int(number):
            return pd.Timestamp(year=int(number), month=1, day=1)
        if number > 1e11:  # epoch milliseconds
            number /= 1000.0
        return pd.Timestamp(number, unit="s")
    text = str(value).strip()
    if not text:
        return None
    if text.lstrip("-").isdigit() and len(text) >= 9:
        return _parse_one(int(text))
    if (m := _YEAR_ONLY.match(text)) is not None:
        return pd.Timestamp(year=int(m.group(1)), month=1, day=1)
    if (m := _YEAR_MONTH.match(text)) is not None:
        return pd.Timestamp(year=int(m.group(1)), month=int(m.group(2)), day=1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        try:
            stamp = pd.Timestamp(parsedate_to_datetime(text))  # RFC 2822
        except (ValueError, TypeError, IndexError):
            return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of mixed date formats into naive UTC timestamps.

    Handles ISO dates and timestamps, ``2024-03``, ``March 2024``, bare years,
    Unix epochs (seconds or milliseconds) and RFC 2822. Anything unparseable or
    outside 1900–2100 becomes ``NaT``; callers count and report those.

    Parameters
    ----------
    values : pandas.Series

    Returns
    -------
    pandas.Series of dtype ``datetime64[ns]``

    Examples
    --------
    >>> parse_dates(pd.Series(["2024-03-05", "March 2024", "2021", "garbage"])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-05', '2024-03-01', '2021-01-01', nan]
    """
    values = pd.Series(values).reset_index(drop=True)
    parsed = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    # Fast path: a clean ISO text column (the common case, e.g. 75k arXiv rows).
    is_text = values.map(lambda v: isinstance(v, str)).to_numpy()
    if is_text.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fast = pd.to_datetime(values[is_text], errors="coerce", format="ISO8601", utc=True)
                parsed[is_text] = fast.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
            except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
                pass  # mixed junk: everything goes through the slow path below
    # Slow path, value by value, for whatever the fast path could not read.
    todo = np.flatnonzero(np.isnat(parsed) & values.notna().to_numpy())
    for i in todo:
        try:
            stamp = _parse_one(values.iloc[i])
            if stamp is not None and not pd.isna(stamp):
                parsed[i] = np.datetime64(pd.Timestamp(stamp).tz_localize(None)
                                          if pd.Timestamp(stamp).tzinfo else pd.Timestamp(stamp), "ns")
        except (ValueError, TypeError, OverflowError, OSError, pd.errors.OutOfBoundsDatetime):
            continue
    result = pd.Series(parsed, index=values.index)
    out_of_range = (result < EARLIEST) | (result > LATEST)
    result[out_of_range] = pd.NaT
    return result


def date_from_arxiv_id(arxiv_id: object) -> pd.Timestamp | None:
    """The month an arXiv id was issued (``2403.02310`` → March 2024).

    Examples
    --------
    >>> date_from_arxiv_id("2403.02310v2")
    Timestamp('2024-03-01 00:00:00')
    >>> date_from_arxiv_id("cs/0701001")
    Timestamp('2007-01-01 00:00:00')
    >>> date_from_arxiv_id("not an id") is None
    True
    """
    if arxiv_id is None:
        return None
    text = str(arxiv_id).strip()
    match = _NEW_ARXIV_ID.search(text) or _OLD_ARXIV_ID.search(text)
    if match is None:
        return None
    yy, mm = int(match.group(1)), int(match.group(2))
    if not 1 <= mm <= 12:
        return None
    year = 1900 + yy if yy >= 91 else 2000 + yy  # arXiv started in 1991
    return pd.Timestamp(year=year, month=mm, day=1)
