"""trendkit.trend.facets: trends within each value of a column (``--facet``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trendkit.errors import TrendkitError
from trendkit.trend.counts import count_facets, facet_values
from trendkit.trend.facets import facet_sentences, facet_tables, fold_values
from trendkit.trend.options import TrendOptions

TOPICS = pd.DataFrame({"topic_id": [0, 1, 2], "topic_label": ["rising", "steady", "rest"],
                       "parent_id": np.nan})


def planted(seed: int, months: int = 24, per_month: int = 150) -> pd.DataFrame:
    """Theme 0 rises 5 → 15 % at icra and stays at 10 % at iros; theme 1 flat at 30 % in both."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(months):
        for venue in ("icra", "iros"):
            rising = 0.05 + 0.10 * m / (months - 1) if venue == "icra" else 0.10
            topic = rng.choice(3, size=per_month, p=[rising, 0.30, 0.70 - rising])
            when = pd.Timestamp("2021-01-01") + pd.DateOffset(months=m)
            rows.append(pd.DataFrame({"topic_id": topic, "venue": venue, "date": when}))
    return pd.concat(rows, ignore_index=True)


def verdicts(seed: int) -> pd.DataFrame:
    facets, trends = facet_tables(count_facets(planted(seed), "venue"), TOPICS,
                                  TrendOptions(freq="month", facet="venue"))
    return trends.set_index(["topic_id", "facet_value"])["status"]


@pytest.fixture(scope="module")
def forty():
    return [verdicts(seed) for seed in range(40)]


def test_rising_only_where_it_rises(forty):
    right = [v[(0, "icra")] == "emerging" and v[(0, "iros")] == "stable" for v in forty]
    assert np.mean(right) >= 0.95


def test_flat_series_rarely_alarm(forty):
    flat = [v[key] for v in forty for key in [(0, "iros"), (1, "icra"), (1, "iros")]]
    assert np.mean([s != "stable" for s in flat]) <= 0.05


def test_shares_sum_to_one_within_each_value_and_period():
    facets, _ = facet_tables(count_facets(planted(0), "venue"), TOPICS,
                             TrendOptions(freq="month", facet="venue"))
    sums = facets.groupby(["facet_value", "period"])["share"].sum()
    assert np.allclose(sums, 1.0)
    assert list(facets.columns[:10]) == ["facet", "facet_value", "period", "topic_id",
                                         "topic_label", "n_docs", "period_total", "share",
                                         "share_low", "share_high"]


def test_list_valued_cells_count_once_in_each_value():
    docs = pd.DataFrame({"topic_id": [0, 0, 1], "date": pd.Timestamp("2024-01-01"),
                         "categories": ["['cs.CV', 'cs.AI']", "cs.CV", ["cs.AI", "cs.AI"]]})
    counts = count_facets(docs, "categories").groupby("facet_value")["n"].sum()
    assert counts.to_dict() == {"cs.AI": 2, "cs.CV": 2}
    assert facet_values(pd.Series(["a|b", ""])).tolist() == ["a", "b", "(missing)"]


def test_top_values_keep_the_largest_and_fold_the_rest():
    counts = pd.DataFrame({"date": pd.Timestamp("2024-01-01"), "topic_id": 0,
                           "facet_value": ["a", "b", "c", "d"], "n": [9, 5, 1, 1]})
    folded = fold_values(counts, 2).groupby("facet_value")["n"].sum().to_dict()
    assert folded == {"a": 9, "b": 5, "other": 2}


def test_a_value_with_one_document_is_a_clear_error():
    docs = planted(0)
    docs.loc[0, "venue"] = "ICRA"  # a typo: one document
    with pytest.raises(TrendkitError, match="single document.*--facet-top"):
        facet_tables(count_facets(docs, "venue"), TOPICS,
                     TrendOptions(freq="month", facet="venue"))
    facets, _ = facet_tables(count_facets(docs, "venue"), TOPICS,
                             TrendOptions(freq="month", facet="venue", facet_top=2))
    assert set(facets["facet_value"]) == {"icra", "iros", "other"}


def test_unknown_facet_column_is_a_clear_error():
    with pytest.raises(TrendkitError, match="--facet 'country': no such column"):
        count_facets(planted(0), "country")


def test_sentences_say_where_a_theme_moves():
    said = facet_sentences(pd.DataFrame({"topic_id": [0, 0], "facet_value": ["iros", "icra"],
                                         "status": ["stable", "emerging"],
                                         "q_value": [0.8, 0.0012]}))
    assert said[0] == "emerging at icra (q = 0.0012), stable at iros"


def test_a_value_no_longer_collected_is_not_called_faded():
    # Regression: arXiv stopped collecting a category for the last months; its empty
    # periods read as shares of 0 and every theme there was "faded".
    docs = planted(1)
    stopped = (docs["venue"] == "iros") & (docs["date"] >= pd.Timestamp("2022-07-01"))
    facets, trends = facet_tables(count_facets(docs[~stopped], "venue"), TOPICS,
                                  TrendOptions(freq="month", facet="venue"))
    status = trends.set_index(["topic_id", "facet_value"])["status"]
    assert status[(1, "iros")] == "stable" and status[(0, "iros")] == "stable"
    assert status[(0, "icra")] == "emerging"
    gone = facets[(facets["facet_value"] == "iros") & (facets["period"] >= "2022-07")]
    assert (gone["period_total"] == 0).all() and len(gone) == 6 * 3


def test_a_facet_verdict_at_a_collection_change_says_check_coverage():
    docs = planted(2)
    # "iros" documents of theme 1 stop at month 13: a change in what was collected
    cut = (docs["venue"] == "iros") & (docs["topic_id"] == 1) & (
        docs["date"] >= pd.Timestamp("2022-01-01"))
    _, trends = facet_tables(count_facets(docs[~cut], "venue"), TOPICS,
                             TrendOptions(freq="month", facet="venue"),
                             coverage_periods=["2022-01"])
    row = trends.set_index(["topic_id", "facet_value"]).loc[(1, "iros")]
    assert row["status"] in ("faded", "declining") and bool(row["check_coverage"])
    assert not trends.loc[trends["status"] == "stable", "check_coverage"].any()
    assert "check coverage" in facet_sentences(trends)[1]
