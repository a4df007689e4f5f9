"""Coverage guard: a change in what was collected is flagged, and --normalize-by keeps it
from passing for a trend."""

import json

import numpy as np
import pandas as pd
import pytest

from trendkit import workflows
from trendkit.trend import topic_volume, trend_summary
from trendkit.trend.coverage import coverage_table


def collection_change_corpus(seed=0) -> pd.DataFrame:
    """Three steady themes in category 'old' (~100 docs a month for 24 months); from month 12
    a newly collected category 'new' adds ~200 docs a month of a fourth theme."""
    rng = np.random.default_rng(seed)
    rows = []
    for month in range(24):
        start = pd.Timestamp("2023-01-01") + pd.DateOffset(months=month)
        n_old = int(rng.integers(90, 111))
        themes = rng.choice(["alpha", "beta", "gamma"], size=n_old, p=[0.5, 0.3, 0.2])
        rows += [{"category": "old", "theme": t} | {"day": start + pd.Timedelta(days=int(d))}
                 for t, d in zip(themes, rng.integers(0, 28, n_old))]
        if month >= 12:
            n_new = int(rng.integers(190, 211))
            rows += [{"category": "new", "theme": "delta",
                      "day": start + pd.Timedelta(days=int(d))} for d in rng.integers(0, 28, n_new)]
    frame = pd.DataFrame(rows)
    frame["abstract"] = "Abstract about " + frame["theme"] + " number " + frame.index.astype(str)
    frame["id"] = "doc" + frame.index.astype(str)
    frame["date"] = frame.pop("day").dt.strftime("%Y-%m-%d")
    return frame


@pytest.fixture(scope="module")
def corpus_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("coverage") / "corpus.csv"
    collection_change_corpus().to_csv(path, index=False)
    return path


def test_collection_change_is_flagged_by_name_in_summary_and_run_json(corpus_csv, tmp_path):
    out = tmp_path / "raw"
    result = workflows.run_labelled([corpus_csv], out, "theme", freq="month")
    coverage = pd.read_csv(out / "coverage.csv")
    flagged = coverage.loc[coverage["change"], "period"].tolist()
    assert flagged == ["2024-01"]
    assert "category: new starts" in coverage.loc[coverage["change"], "detail"].item()
    assert "2024-01" in (out / "summary.md").read_text().split("Coverage warning")[1][:80]
    notes = json.loads((out / "run.json").read_text())["notes"]
    assert any(n.startswith("coverage:") and "2024-01" in n for n in notes)
    summary = result.summary.set_index("topic_label")
    # without normalisation the old themes' shares fall to a third: flagged, not trusted
    assert summary.loc["alpha", "status"] in ("declining", "faded")
    assert summary.loc["alpha", "check_coverage"]


def test_normalize_by_keeps_pre_existing_themes_stable(corpus_csv, tmp_path):
    result = workflows.run_labelled([corpus_csv], tmp_path / "norm", "theme", freq="month",
                                    normalize_by="category")
    status = result.summary.set_index("topic_label")["status"]
    assert status[["alpha", "beta", "gamma"]].tolist() == ["stable"] * 3
    assert status["delta"] in ("new", "stable")
    # trends.csv keeps its published columns first; the home count comes after them
    trends = pd.read_csv(tmp_path / "norm" / "trends.csv")
    assert list(trends.columns) == ["period", "topic_id", "topic_label", "n_docs", "period_total",
                                    "share", "share_low", "share_high", "partial", "parent_id",
                                    "n_home"]


def test_a_collection_from_nothing_is_told_without_a_factor():
    # regression: a gap of empty months printed "documents per period ×21000000000.0 (0 → 21)"
    months = [m for m in pd.date_range("2022-01-01", periods=24, freq="MS")
              if not 8 <= (m.year - 2022) * 12 + m.month - 1 < 16]
    frame = pd.DataFrame({"date": [m + pd.Timedelta(days=d) for m in months for d in range(20)]})
    detail = " ".join(coverage_table(frame, "month")["detail"])
    assert "(20 → 0)" in detail and "(0 → 20)" in detail
    assert "×" not in detail


def test_a_small_corpus_halving_by_chance_is_no_collection_change():
    # regression: 30 papers over a year "changed" from 4 to 2 documents a month
    per_month = [4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2]
    frame = pd.DataFrame({"date": [pd.Timestamp(2024, m + 1, d + 1)
                                   for m, n in enumerate(per_month) for d in range(n)]})
    assert not coverage_table(frame, "month")["change"].any()


def test_volume_tripling_is_flagged_without_a_category_column():
    frame = collection_change_corpus()
    coverage = coverage_table(frame, "month")
    assert coverage.loc[coverage["change"], "period"].tolist() == ["2024-01"]
    detail = coverage.loc[coverage["change"], "detail"].item()
    assert "documents per period ×2.9 (102 → 298)" in detail


def test_steady_collection_is_not_flagged(demo_corpus):
    coverage = coverage_table(demo_corpus, "month", group_col=None)
    assert not coverage["change"].any()


def test_normalized_share_never_exceeds_one_with_stray_documents():
    # Regression: theme 0 lives in "cs.LG" (40 a month); 1 of its documents a month sits
    # in "stat.ML", which holds < 5 % of it. The old numerator counted that one while the
    # denominator did not, and a month where cs.LG was barely collected read 2 / 1.
    rows = []
    for month, n_lg in zip(pd.date_range("2025-01-01", periods=6, freq="MS"),
                           [60, 60, 60, 60, 1, 60]):
        day = month + pd.Timedelta(days=3)
        rows += [{"topic_id": 0, "topic_label": "a", "date": day, "cat": "cs.LG"}] * (
            40 if n_lg > 1 else 1)
        rows += [{"topic_id": 0, "topic_label": "a", "date": day, "cat": "stat.ML"}]
        rows += [{"topic_id": 1, "topic_label": "b", "date": day, "cat": "cs.LG"}] * (n_lg - 1)
        rows += [{"topic_id": 1, "topic_label": "b", "date": day, "cat": "stat.ML"}] * 40
    docs = pd.DataFrame(rows)
    table = topic_volume(docs, "month", normalize_by="cat")
    assert table["share"].between(0, 1).all()
    theme = table[table["topic_id"] == 0]
    assert (theme["n_home"] <= theme["period_total"]).all()
    assert (theme["n_docs"] - theme["n_home"]).tolist() == [1] * 6  # strays still counted
    assert theme["share"].iloc[0] == pytest.approx(40 / 99)


def test_a_burst_next_to_a_collection_change_says_check_coverage():
    spike = [9, 7, 8, 10, 9, 9, 9, 7, 5, 30, 8, 7, 8, 11, 9, 7, 8, 7, 9, 7, 7, 11, 6, 9]
    months = pd.date_range("2022-01-01", periods=24, freq="MS") + pd.Timedelta(days=3)
    docs = pd.DataFrame({"date": np.repeat(months, 100), "topic_id": np.concatenate(
        [[0] * n + [1] * (100 - n) for n in spike])})
    docs["topic_label"] = docs["topic_id"].map({0: "theme", 1: "rest"})
    volume = topic_volume(docs, "month")
    for changed, flagged in ((["2022-11"], True), (["2023-06"], False), (None, False)):
        row = trend_summary(volume, coverage_periods=changed).set_index("topic_label").loc["theme"]
        assert row["burst_periods"] == "2022-10"  # the burst itself does not depend on it
        assert bool(row["burst_check_coverage"]) is flagged
        assert not row["check_coverage"]  # a stable theme: no mover's change to check
