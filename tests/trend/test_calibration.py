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


u = np.linspace(0, 1, 48)
LONG = {  # 48 months: the verdict must be about now, and the path must be told
    "peaked": (np.where(u < 0.6, 0.04 + 0.12 * u / 0.6, 0.16 - 0.10 * (u - 0.6) / 0.4),
               {"peaked"}),
    "revived": (np.where(u < 0.5, 0.14 - 0.10 * u / 0.5, 0.04 + 0.10 * (u - 0.5) / 0.5),
                {"revived"}),
    "late rise": (np.where(u < 0.66, 0.05, 0.05 + 0.08 * (u - 0.66) / 0.34), {"emerging"}),
    "late fall": (np.where(u < 0.66, 0.12, 0.12 - 0.08 * (u - 0.66) / 0.34), {"declining"}),
}


@pytest.mark.parametrize("shape", LONG)
def test_long_series_verdicts_are_about_now(shape):
    shares, right = LONG[shape]
    found = [status(shares, seed) for seed in range(40)]
    recall = np.mean([s in right for s in found])
    assert recall >= 0.9, (shape, pd.Series(found).value_counts().to_dict())


def test_false_alarms_on_long_flat_series_stay_under_5_percent():
    rng = np.random.default_rng(48)
    found = [status(np.full(48, rng.uniform(0.02, 0.3)), seed) for seed in range(400)]
    assert np.mean([s in MOVERS for s in found]) <= 0.05, pd.Series(found).value_counts()


def test_a_revived_theme_is_told_with_its_whole_path():
    shares = LONG["revived"][0]
    summary = trend_summary(volume(shares, np.random.default_rng(1))).set_index("topic_label")
    row = summary.loc["theme"]
    assert row["status"] == "revived" and row["reason"].startswith("rose from")
    assert "after falling from" in row["reason"]
    assert row["share_end"] > row["share_start"]  # the verdict is about the rise since
    assert row["share_trough"] < 0.06 < 0.12 < row["share_peak"]
    assert row["trough_period"] > row["peak_period"]  # the peak came first, at the start
