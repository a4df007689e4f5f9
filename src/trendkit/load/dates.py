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
    # Fast path: a clean ISO column (the common case, e.g. 75k arXiv rows).
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fast = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
        fast = fast.dt.tz_localize(None)
        slow_mask = fast.isna() & values.notna() & (values.astype(str).str.strip() != "")
    else:
        fast = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        slow_mask = values.notna()
    parsed = fast.astype("datetime64[ns]")
    if slow_mask.any():
        slow = []
        for value in values[slow_mask]:
            try:
                slow.append(_parse_one(value))
            except (ValueError, TypeError, OverflowError, OSError):
                slow.append(None)
        parsed.loc[slow_mask] = pd.to_datetime(pd.Series(slow, dtype=object), errors="coerce").values
    out_of_range = (parsed < EARLIEST) | (parsed > LATEST)
    parsed[out_of_range] = pd.NaT
    return parsed


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
