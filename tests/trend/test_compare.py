"""trendkit.trend.compare: two corpora on one set of themes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trendkit.trend.compare import COMPARE_COLUMNS, compare_table, log_odds_z

TOPICS = pd.DataFrame({"topic_id": range(20), "topic_label": [f"t{i}" for i in range(20)],
                       "parent_id": np.nan})


def corpus_counts(seed: int, shift: float = 0.0, n: int = 3000) -> pd.DataFrame:
    """Two corpora drawn from one theme mix (theme 0 ``shift`` more common in A), 12 months."""
    rng = np.random.default_rng(seed)
    mix = rng.dirichlet(np.full(20, 2.0))
    rows = []
    for value, extra in (("A", shift), ("B", 0.0)):
        p = mix.copy()
        p[0] += extra
        p /= p.sum()
        months = rng.integers(0, 12, n)
        topics = rng.choice(20, size=n, p=p)
        frame = pd.DataFrame({"topic_id": topics, "facet_value": value,
                              "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(months * 31,
                                                                                     unit="D")})
        rows.append(frame.groupby(["date", "topic_id", "facet_value"]).size().rename("n")
                    .reset_index())
    return pd.concat(rows, ignore_index=True)


def test_random_halves_flag_few_themes():
    flagged = [int((compare_table(corpus_counts(seed), TOPICS, "A", "month")["q_value"]
                    < 0.05).sum()) for seed in range(20)]
    assert np.sum(flagged) / (20 * 20) <= 0.05


def test_random_halves_seldom_differ_in_trend():
    # Regression: statsmodels' scale="X2" on (successes, failures) rows gave a dispersion of
    # 0.001, and 17 of 22 themes "trended differently" between random halves of one corpus.
    q = [compare_table(corpus_counts(seed), TOPICS, "A", "month")["trend_q_value"]
         for seed in range(20)]
    assert (pd.concat(q) < 0.05).mean() <= 0.05


def test_a_theme_rising_in_one_corpus_only_differs_in_trend():
    rng = np.random.default_rng(5)
    rows = []
    for value in ("A", "B"):
        for month in range(12):
            share = 0.02 + 0.015 * month if value == "A" else 0.08  # A: 2 % -> 18.5 %
            n = 250
            k = rng.binomial(n, share)
            date = pd.Timestamp("2024-01-01") + pd.DateOffset(months=month)
            rows += [(date, 0, value, k), (date, 1, value, n - k)]
    counts = pd.DataFrame(rows, columns=["date", "topic_id", "facet_value", "n"])
    table = compare_table(counts, TOPICS[TOPICS["topic_id"] < 2], "A", "month")
    assert table.set_index("topic_id").loc[0, "trend_q_value"] < 0.01


def test_an_over_represented_theme_is_flagged_for_its_corpus():
    table = compare_table(corpus_counts(3, shift=0.08), TOPICS, "A", "month")
    top = table.iloc[0]
    assert top["topic_id"] == 0 and top["over_represented_in"] == "A" and top["q_value"] < 0.01
    assert list(table.columns) == COMPARE_COLUMNS
    assert table["trend_q_value"].notna().any()


def test_log_odds_is_antisymmetric():
    d1, z1 = log_odds_z([30, 70, 5], [50, 50, 9])
    d2, z2 = log_odds_z([50, 50, 9], [30, 70, 5])
    assert np.allclose(z1, -z2) and np.allclose(d1, -d2)
