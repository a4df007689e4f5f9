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
# 15.03.2024, 3/15/2024, 15-03-24 (+ an optional time): day and month in an order to infer.
_NUMERIC_DATE = r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})\b"
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


def numeric_order(values: pd.Series) -> tuple[str | None, bool, int]:
    """Day-first or month-first for ``dd/mm/yyyy``-style values, decided from the values.

    Returns ``(order, ambiguous, n)``: ``order`` is ``"dmy"``, ``"mdy"`` or ``None``
    (no such values); ``ambiguous`` is True when no value has a field above 12,
    so the order was guessed from the separator (dots are day-first, as in
    Europe; slashes and dashes month-first, as in the US); ``n`` counts the
    values of that shape.

    Examples
    --------
    >>> numeric_order(pd.Series(["03/04/2024", "15/03/2024"]))
    ('dmy', False, 2)
    >>> numeric_order(pd.Series(["03/04/2024", "04/05/2024"]))
    ('mdy', True, 2)
    >>> numeric_order(pd.Series(["2024-03-04"]))
    (None, False, 0)
    """
    parts = pd.Series(values).astype(str).str.extract(_NUMERIC_DATE)
    parts = parts.dropna()
    if parts.empty:
        return None, False, 0
    first, second = parts[0].astype(int), parts[2].astype(int)
    if (first > 12).any() and not (second > 12).any():
        return "dmy", False, len(parts)
    if (second > 12).any() and not (first > 12).any():
        return "mdy", False, len(parts)
    separator = parts[1].mode().iloc[0]
    return ("dmy" if separator == "." else "mdy"), True, len(parts)


def _numeric_dates(values: pd.Series, order: str) -> pd.Series:
    parts = values.astype(str).str.extract(_NUMERIC_DATE)
    day, month = (parts[0], parts[2]) if order == "dmy" else (parts[2], parts[0])
    year = parts[3].where(parts[3].str.len() == 4, "20" + parts[3])
    return pd.to_datetime(year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2),
                          format="%Y-%m-%d", errors="coerce")


def parse_dates(values: pd.Series, *, date_format: str | None = None,
                notes: list[str] | None = None, where: str = "") -> pd.Series:
    """Parse a column of mixed date formats into naive UTC timestamps.

    Handles ISO dates and timestamps, ``2024-03``, ``March 2024``, bare years,
    Unix epochs (seconds or milliseconds), RFC 2822, and ``15.03.2024`` /
    ``03/15/2024`` with the day/month order inferred from the column (any
    field above 12 decides; an undecidable column gets a guess and a note).
    ``date_format`` (strftime syntax) overrides all guessing. Anything
    unparseable or outside 1900–2100 becomes ``NaT``; callers count and report those.

    Parameters
    ----------
    values : pandas.Series
    date_format : str, optional
        e.g. ``"%d/%m/%Y"``.
    notes : list of str, optional
        Receives the day/month decision for the column.
    where : str
        Names the column in notes.

    Returns
    -------
    pandas.Series of dtype ``datetime64[ns]``

    Examples
    --------
    >>> parse_dates(pd.Series(["2024-03-05", "March 2024", "2021", "garbage"])
    ...             ).dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-05', '2024-03-01', '2021-01-01', nan]
    >>> parse_dates(pd.Series(["05.01.2023", "15.03.2024"])).dt.strftime("%Y-%m-%d").tolist()
    ['2023-01-05', '2024-03-15']
    """
    values = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(values):  # already dates (Parquet, Arrow JSON)
        stamps = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz else values
        return _in_window(pd.Series(_ns(stamps)))
    if date_format is not None:
        parsed = pd.to_datetime(values.astype(object).where(values.notna(), None),
                                format=date_format, errors="coerce", utc=True)
        return _in_window(pd.Series(_ns(parsed.dt.tz_localize(None))))
    parsed = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    is_text = values.map(lambda v: isinstance(v, str)).to_numpy()
    if is_text.any():
        text = values[is_text]
        order, ambiguous, n_numeric = numeric_order(text)
        if order is not None:
            numeric = _numeric_dates(text, order)
            parsed[is_text] = _ns(numeric)
            if notes is not None:
                reading = "day-first (dd/mm/yyyy)" if order == "dmy" else "month-first (mm/dd/yyyy)"
                notes.append(f"{where}: {n_numeric:,} dates read {reading}" + (
                    "; no day above 12 decides, so this is a guess: pass --date-format to "
                    "override" if ambiguous else ", decided by days above 12"))
        # Fast path: a clean ISO text column (the common case, e.g. 75k arXiv rows).
        todo = is_text & np.isnat(parsed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fast = pd.to_datetime(values[todo], errors="coerce", format="ISO8601", utc=True)
                parsed[todo] = _ns(fast.dt.tz_localize(None))
            except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
                pass  # mixed junk: everything goes through the slow path below
            todo = is_text & np.isnat(parsed)
            if todo.any():  # RFC 2822, e.g. arXiv snapshot versions: "Mon, 2 Apr 2007 ... GMT"
                fast = pd.to_datetime(values[todo], errors="coerce", utc=True,
                                      format="%a, %d %b %Y %H:%M:%S %Z")
                parsed[todo] = _ns(fast.dt.tz_localize(None))
    # Slow path, value by value, for whatever the fast paths could not read.
    for i in np.flatnonzero(np.isnat(parsed) & values.notna().to_numpy()):
        try:
            stamp = _parse_one(values.iloc[i])
            if stamp is not None and not pd.isna(stamp):
                stamp = pd.Timestamp(stamp)
                if EARLIEST.year <= stamp.year <= LATEST.year:  # numpy wraps what is outside
                    parsed[i] = np.datetime64(stamp.tz_localize(None) if stamp.tzinfo else stamp,
                                              "ns")
        except (ValueError, TypeError, OverflowError, OSError, pd.errors.OutOfBoundsDatetime):
            continue
    return _in_window(pd.Series(parsed, index=values.index))


def _ns(stamps: pd.Series) -> np.ndarray:
    """Nanosecond datetimes, years outside 1900–2100 as NaT *before* the cast (numpy wraps
    out-of-range values silently: 1500-01-01 would become 2084)."""
    values = np.asarray(stamps.to_numpy(), dtype="datetime64[s]")
    years = values.astype("datetime64[Y]").astype(np.int64) + 1970
    values = np.where((years >= 1900) & (years <= 2100), values, np.datetime64("NaT"))
    return values.astype("datetime64[ns]")


def _in_window(result: pd.Series) -> pd.Series:
    result = result.astype("datetime64[ns]")
    result[(result < EARLIEST) | (result > LATEST)] = pd.NaT
    return result


def date_precision(dates: pd.Series) -> str:
    """The finest calendar unit the dates really carry: ``"day"``, ``"month"`` or ``"year"``.

    Exports from Scopus, Web of Science or Zotero often give a year alone,
    read as 1 January; a monthly analysis of those would pile every paper into
    January. When at least a fifth of the dates (and at least 5, or all of
    fewer than 5) fall on 1 January (real daily dates: 0.3 %) they carry only
    a year; when as many fall on the 1st of a month (daily: 3 %), only a month.

    Examples
    --------
    >>> years = ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]
    >>> date_precision(pd.Series(pd.to_datetime(years + ["2023-06-14"])))
    'year'
    >>> date_precision(pd.Series(pd.to_datetime([y.replace("-01-", "-05-") for y in years])))
    'month'
    >>> date_precision(pd.Series(pd.to_datetime(["2021-01-01"])))  # a one-row export
    'year'
    """
    dates = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    first_of_month = dates.dt.day == 1
    new_year = first_of_month & (dates.dt.month == 1)
    # A tiny export whose every date is a 1 January is year-only too (two daily dates
    # both landing there: 1 in 100,000), not "day" for want of five examples.
    enough = min(5, len(dates))
    for unit, hits in (("year", new_year), ("month", first_of_month)):
        if len(dates) and hits.sum() >= enough and hits.mean() >= 0.2:
            return unit
    return "day"


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


def find_date_column(raw: pd.DataFrame, exclude, where: str, notes: list[str],
                     share: float = 0.9, sample: int = 500) -> str | None:
    """The column to read dates from when none has a date's name, or None.

    A column whose non-empty values parse as dates for at least ``share`` of the rows
    (measured on a seeded sample) is used, with a note naming it; columns of plain
    numbers are never taken (counts and ids parse as years or epochs). Without one, a
    note lists the columns where some values parse and suggests ``--date-col``.

    Examples
    --------
    >>> raw = pd.DataFrame({"abstract": ["a", "b"], "submitted_on": ["2024-03-05", "2024-04-01"]})
    >>> notes = []
    >>> find_date_column(raw, {"abstract"}, "x.csv", notes), notes[0][:42]
    ('submitted_on', 'x.csv: no date column by name; read dates ')
    """
    found = {}
    for column in raw.columns:
        if column in exclude:
            continue
        values = raw[column]
        if not pd.api.types.is_datetime64_any_dtype(values):
            values = values.astype(object).where(values.notna(), None).dropna().astype(str)
            values = values[values.str.strip() != ""]
            if values.empty or values.str.fullmatch(r"\s*[-+]?\d+(\.\d+)?\s*").all():
                continue  # numbers: citations, ids, epochs are no evidence of dates
        values = values.dropna()
        if values.empty:
            continue
        picked = values.sample(min(sample, len(values)), random_state=0)
        parsed = parse_dates(picked.reset_index(drop=True), notes=[]).notna().mean()
        found[column] = float(parsed) * len(values) / len(raw)
    if not found:
        return None
    best = max(found, key=found.get)
    if found[best] >= share:
        notes.append(f"{where}: no date column by name; read dates from {best!r} "
                     f"({100 * found[best]:.0f} % of rows parse as dates; --date-col overrides)")
        return best
    partly = [f"{c!r} ({100 * s:.0f} %)" for c, s in sorted(found.items(), key=lambda kv: -kv[1])
              if s > 0]
    if partly:
        notes.append(f"{where}: no date column by name, and none parses as dates for "
                     f"{100 * share:.0f} % of rows: {', '.join(partly[:4])}; name one with "
                     "--date-col")
    return None
