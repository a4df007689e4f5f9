"""trendkit.trend.forecast: next periods' shares with prediction intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trendkit.trend.forecast import FORECAST_COLUMNS, forecast_series, forecast_shares


def test_intervals_nest_and_hold_the_point_forecast():
    rng = np.random.default_rng(1)
    sizes = np.full(30, 300)
    shares = rng.binomial(sizes, np.linspace(0.05, 0.12, 30)) / sizes
    out = forecast_series(shares, sizes, 4)
    assert (out["low95"] <= out["low80"]).all() and (out["low80"] <= out["share"]).all()
    assert (out["share"] <= out["high80"]).all() and (out["high80"] <= out["high95"]).all()
    assert ((out[["low95", "high95"]] > 0) & (out[["low95", "high95"]] < 1)).all().all()
    # intervals widen with the horizon: the future is less certain further out
    assert (np.diff(out["high95"] - out["low95"]) > 0).all()


def test_flat_series_interval_covers_the_true_share_in_most_seeds():
    covered = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        sizes = np.full(25, 200)
        shares = rng.binomial(sizes, 0.1) / sizes
        out = forecast_series(shares[:24], sizes[:24], 1)
        covered.append(out["low80"].iloc[0] <= shares[24] <= out["high80"].iloc[0])
    assert 0.65 <= np.mean(covered) <= 0.97


def test_short_series_get_no_forecast():
    out = forecast_series([0.1, 0.2, 0.1], [10, 10, 10], 2)
    assert out["share"].isna().all()


def test_table_per_theme_after_the_last_complete_period():
    periods = [f"2024-{m:02d}" for m in range(1, 13)]
    trends = pd.DataFrame({"period": np.repeat(periods, 2), "topic_id": [0, 1] * 12,
                           "topic_label": ["a", "b"] * 12, "n_docs": 50, "period_total": 100,
                           "share": 0.5, "partial": [False] * 22 + [True] * 2,
                           "parent_id": np.nan})
    out = forecast_shares(trends, 2, "month")
    assert list(out.columns) == FORECAST_COLUMNS
    assert out["period"].tolist() == ["2024-12", "2025-01"] * 2  # after 2024-11, the last whole
    assert np.allclose(out["share"], 0.5, atol=0.02)
