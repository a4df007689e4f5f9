"""Date parsing edge cases (stage 1)."""

from __future__ import annotations

import pandas as pd

from trendkit.load import parse_dates


def test_dates_outside_1900_2100_are_missing_not_wrapped_into_range():
    # numpy wraps an out-of-range nanosecond cast silently: 1500-01-01 became 2084 (regression)
    values = pd.Series(["1500-01-01", "Mon, 2 Apr 1507 19:18:42 GMT", "3000-06-01", "2024-03-05"])
    assert parse_dates(values).isna().tolist() == [True, True, True, False]
    arrow_like = pd.Series(pd.to_datetime(["1500-01-01", "2024-03-05"]).as_unit("s"))
    assert parse_dates(arrow_like).isna().tolist() == [True, False]


def test_rfc_2822_dates_take_the_fast_path():
    out = parse_dates(pd.Series(["Mon, 2 Apr 2007 19:18:42 GMT", "Tue, 14 Nov 2023 08:01:02 GMT"]))
    assert out.dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2007-04-02 19:18", "2023-11-14 08:01"]
