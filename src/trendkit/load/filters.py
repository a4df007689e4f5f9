"""Row filters applied at load time: ``--filter COL=PATTERN[,PATTERN]``, ``--since``, ``--until``.

Column filters run on each file's raw table right after it is read, before
cleaning and canonicalising, so the work and memory that follow scale with
what is kept. Patterns are shell globs (``cs.*``), matched case-insensitively
against the whole value and, for list-like values such as arXiv's
``categories = "cs.CL cs.LG"``, against each item.
"""

from __future__ import annotations

import fnmatch
import re

import numpy as np
import pandas as pd

from ..errors import TrendkitError

_ITEM_SEPARATORS = re.compile(r"[\s,;|]+")


def parse_filter(spec: str) -> tuple[str, tuple[str, ...]]:
    """``"primary_category=cs.CL,cs.AI"`` → ``("primary_category", ("cs.CL", "cs.AI"))``.

    Examples
    --------
    >>> parse_filter("categories=cs.*")
    ('categories', ('cs.*',))
    """
    column, sep, patterns = spec.partition("=")
    items = tuple(p.strip() for p in patterns.split(",") if p.strip())
    if not sep or not column.strip() or not items:
        raise TrendkitError(f"--filter {spec!r}: expected COLUMN=PATTERN[,PATTERN...], "
                            "e.g. primary_category=cs.CL,cs.AI")
    return column.strip(), items


def _items(value) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    text = str(value)
    return [text, *_ITEM_SEPARATORS.split(text.strip())]


def matches(values: pd.Series, patterns: tuple[str, ...]) -> pd.Series:
    """True where the value, or any item of a list-like value, matches any pattern.

    Examples
    --------
    >>> matches(pd.Series(["cs.CL cs.LG", "math.CO", None]), ("cs.LG",)).tolist()
    [True, False, False]
    """
    lowered = [p.lower() for p in patterns]
    return values.map(lambda v: any(fnmatch.fnmatchcase(item.lower(), p)
                                    for item in _items(v) for p in lowered)).astype(bool)


def filter_columns(raw: pd.DataFrame, filters, where: str, notes: list[str]) -> pd.DataFrame:
    """Keep the rows of one raw table that pass every ``(column, patterns)`` filter."""
    for column, patterns in filters:
        if column not in raw.columns:
            raise TrendkitError(f"{where}: --filter column {column!r} not found; columns are: "
                                f"{', '.join(map(str, raw.columns))}")
        keep = matches(raw[column], patterns)
        notes.append(f"{where}: --filter {column}={','.join(patterns)} kept {int(keep.sum()):,} "
                     f"of {len(raw):,} rows")
        raw = raw[keep.to_numpy()]
    return raw


def filter_dates(frame: pd.DataFrame, since, until, notes: list[str]) -> pd.DataFrame:
    """Keep documents dated within ``[since, until]`` (undated ones cannot qualify)."""
    if since is None and until is None:
        return frame
    keep = frame["date"].notna()
    if since is not None:
        keep &= frame["date"] >= pd.Timestamp(since)
    if until is not None:
        # an --until day is included whole
        keep &= frame["date"] < pd.Timestamp(until) + pd.Timedelta(days=1)
    window = f"{since or '…'} to {until or '…'}"
    notes.append(f"dates {window}: kept {int(keep.sum()):,} of {len(frame):,} documents "
                 f"({int(frame['date'].isna().sum()):,} undated dropped)")
    return frame[keep.to_numpy()]


def check_date(value: str | None, option: str):
    """An ISO-like date for ``--since``/``--until``, or a one-line error."""
    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise TrendkitError(f"{option} {value!r}: not a date (use YYYY-MM-DD)") from exc
