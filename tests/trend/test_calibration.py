"""Calibration of the trend verdicts on simulated share series: false alarms on flat series,
recall on the shapes users meet (rise, fall, step, a theme born mid-series, one that fades)."""

import numpy as np
import pandas as pd
import pytest

from trendkit.trend import trend_summary
from trendkit.trend.stats import wilson_interval
from trendkit.trend.summary import MOVERS

N_MONTHS = 24


def volume(shares: np.ndarray, rng: np.random.Generator, low=60, high=140) -> pd.DataFrame:
    """A volume table of one theme (binomial counts of ``shares``) and the rest."""
    totals = rng.integers(low, high + 1, size=len(shares))
    counts = rng.binomial(totals, np.clip(shares, 0, 1))
    periods = pd.period_range("2024-01", periods=len(shares), freq="M").astype(str)
    rows = []
    for topic, n in ((0, counts), (1, totals - counts)):
        low_b, high_b = wilson_interval(n, totals)
        rows.append(pd.DataFrame({
            "period": periods, "topic_id": topic, "topic_label": ["theme", "rest"][topic],
            "n_docs": n, "period_total": totals, "share": n / totals, "share_low": low_b,
            "share_high": high_b, "partial": False}))
    return pd.concat(rows).sort_values(["period", "topic_id"], kind="stable")


def status(shares, seed) -> str:
    summary = trend_summary(volume(shares, np.random.default_rng(seed)))
    return summary.set_index("topic_label").loc["theme", "status"]


def test_false_alarms_on_1000_flat_series_stay_under_5_percent():
    rng = np.random.default_rng(2026)
    alarms = 0
    for seed in range(1000):
        p = rng.uniform(0.02, 0.3)
        alarms += status(np.full(N_MONTHS, p), seed) in MOVERS
    assert alarms / 1000 <= 0.05, alarms


t = np.linspace(0, 1, N_MONTHS)
SHAPES = {  # shape -> (share series, statuses that count as right)
    "rise": (0.06 + 0.10 * t, {"emerging"}),
    "fall": (0.16 - 0.10 * t, {"declining"}),
    "step": (np.where(np.arange(N_MONTHS) < 12, 0.04, 0.10), {"emerging"}),
    "late": (np.where(np.arange(N_MONTHS) < 17, 0.0, 0.10), {"new", "emerging"}),
    "faded": (np.where(np.arange(N_MONTHS) < 17, 0.10, 0.0), {"faded"}),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_recall_per_planted_shape(shape):
    shares, right = SHAPES[shape]
    found = [status(shares, seed) for seed in range(40)]
    recall = np.mean([s in right for s in found])
    assert recall >= 0.95, (shape, pd.Series(found).value_counts().to_dict())


def test_late_theme_is_new_and_says_since_when():
    shares = np.where(np.arange(N_MONTHS) < 17, 0.0, 0.10)
    summary = trend_summary(volume(shares, np.random.default_rng(0))).set_index("topic_label")
    row = summary.loc["theme"]
    assert row["status"] == "new" and row["reason"] == "negligible before 2025-06"
    assert row["share_start"] < 0.01 and 0.08 < row["share_end"] < 0.12
    assert row["start_period"] == "2024-01" and row["end_period"] == "2025-12"


def test_insufficient_data_says_why():
    short = trend_summary(volume(np.full(4, 0.1), np.random.default_rng(0)))
    assert set(short["reason"]) == {"too few periods: 4 < 6"}
    rare = trend_summary(volume(np.full(N_MONTHS, 0.002), np.random.default_rng(0), 100, 101))
    row = rare.set_index("topic_label").loc["theme"]
    assert row["status"] == "insufficient-data" and row["reason"].startswith("too few documents")
