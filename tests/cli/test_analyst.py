"""The analysts' next questions from the command line: --facet, --weight, --horizon and
``trendkit compare``, in memory and streamed, and their bad-input errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_main


@pytest.fixture(scope="module")
def venue_csv(tmp_path_factory, demo_corpus):
    """The demo corpus with a venue (mixture-of-experts papers mostly at one venue), a
    list-valued tags column and unit weights."""
    rng = np.random.default_rng(0)
    moe = demo_corpus["true_theme"] == "mixture-of-experts"
    venue = np.where(rng.random(len(demo_corpus)) < np.where(moe, 0.9, 0.4), "icml", "acl")
    corpus = demo_corpus.assign(venue=venue, ones=1, tags=np.where(moe, "moe; llm", "llm"))
    path = tmp_path_factory.mktemp("venue") / "venues.csv"
    corpus.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def faceted(tmp_path_factory, venue_csv):
    out = tmp_path_factory.mktemp("runs") / "faceted"
    code = run_main(["run", venue_csv, "--out", out, "--facet", "venue", "--horizon", "2",
                     "--quiet", "--no-cache"], _NoCapture())[0]
    assert code == 0
    return out


class _NoCapture:
    def readouterr(self):
        return type("Captured", (), {"out": "", "err": ""})()


def test_facet_tables_figure_and_section(faceted):
    facets = pd.read_csv(faceted / "facets.csv")
    assert set(facets["facet_value"]) == {"icml", "acl"}
    assert np.allclose(facets.groupby(["facet_value", "period"])["share"].sum(), 1.0)
    trends = pd.read_csv(faceted / "facet_trends.csv")
    assert {"status", "q_value"} <= set(trends.columns)
    assert (faceted / "figures" / "facets.png").exists()
    html = (faceted / "report.html").read_text()
    assert 'id="facets"' in html and "By venue" in html


def test_forecast_table_and_figure(faceted):
    forecast = pd.read_csv(faceted / "forecast.csv")
    assert forecast.groupby("topic_id").size().eq(2).all()
    assert (forecast["low95"] <= forecast["share"]).all()
    assert (faceted / "figures" / "forecast.png").exists()


def test_report_recomputes_facets_at_another_period_length(faceted, tmp_path, capsys):
    code, _, _ = run_main(["report", faceted, "--out", tmp_path / "q", "--freq", "quarter",
                           "--quiet"], capsys)
    assert code == 0
    assert pd.read_csv(tmp_path / "q" / "facets.csv")["period"].str.contains("Q").all()


def test_unit_weights_give_the_unweighted_tables_byte_for_byte(venue_csv, tmp_path, capsys):
    base = ["trends", venue_csv, "--topic-col", "true_theme", "--quiet"]
    assert run_main([*base, "--out", tmp_path / "plain"], capsys)[0] == 0
    assert run_main([*base, "--out", tmp_path / "w", "--weight", "ones"], capsys)[0] == 0
    for name in ("trends.csv", "trend_summary.csv"):
        plain = pd.read_csv(tmp_path / "plain" / name, dtype=str, keep_default_na=False)
        weighted = pd.read_csv(tmp_path / "w" / name, dtype=str, keep_default_na=False)
        assert weighted.drop(columns=["n_effective", "weighted"], errors="ignore").equals(plain)
    assert pd.read_csv(tmp_path / "w" / "trends.csv")["weighted"].all()


def test_streamed_run_counts_every_document_in_its_facet_values(venue_csv, tmp_path, capsys):
    out = tmp_path / "streamed"
    code = run_main(["run", venue_csv, "--out", out, "--fit-sample", "600", "--facet", "tags",
                     "--quiet", "--no-cache"], capsys)[0]
    assert code == 0
    facets = pd.read_csv(out / "facets.csv")
    corpus = pd.read_csv(venue_csv)
    per_value = facets.groupby("facet_value")["n_docs"].sum()
    assert per_value["llm"] == len(corpus)  # every document carries "llm"
    assert per_value["moe"] == (corpus["true_theme"] == "mixture-of-experts").sum()


def test_compare_two_files(venue_csv, tmp_path, capsys):
    corpus = pd.read_csv(venue_csv)
    corpus[corpus["venue"] == "icml"].to_csv(tmp_path / "icml.csv", index=False)
    corpus[corpus["venue"] == "acl"].to_csv(tmp_path / "acl.csv", index=False)
    code, out, err = run_main(["compare", tmp_path / "icml.csv", tmp_path / "acl.csv", "--out",
                             tmp_path / "cmp"], capsys)
    assert code == 0 and "differ between the corpora" in out + err
    table = pd.read_csv(tmp_path / "cmp" / "compare.csv", keep_default_na=False)
    moe = table[table["topic_label"].str.contains("expert", case=False)].iloc[0]
    assert moe["over_represented_in"] == "icml.csv"
    assert (tmp_path / "cmp" / "figures" / "compare.png").exists()


@pytest.mark.parametrize("extra, message", [
    (["--facet", "country"], "--facet 'country': no such column"),
    (["--horizon", "0"], "Invalid value for '--horizon'"),
    (["--weight", "year"], "--weight 'year': no such column"),
])
def test_bad_options_are_one_line_and_exit_2(venue_csv, tmp_path, capsys, extra, message):
    code, out, err = run_main(["run", venue_csv, "--out", tmp_path / "x", *extra, "--quiet"],
                              capsys)
    assert code == 2
    text = (out + err).strip()
    assert message in text and len(text.splitlines()) == 1 and "Traceback" not in text
    assert not (tmp_path / "x").exists()


def test_negative_weight_and_single_document_value_exit_2(venue_csv, tmp_path, capsys):
    corpus = pd.read_csv(venue_csv)
    corpus.loc[3, "ones"] = -1
    corpus.loc[5, "venue"] = "ICML"
    bad = tmp_path / "bad.csv"
    corpus.to_csv(bad, index=False)
    base = ["trends", bad, "--topic-col", "true_theme", "--quiet", "--out"]
    for extra, message in ((["--weight", "ones"], "negative value"),
                           (["--facet", "venue"], "single document ('ICML')")):
        code, _, err = run_main([*base, tmp_path / "a", *extra], capsys)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1
        assert not (tmp_path / "a").exists()
    code, _, err = run_main(["compare", bad, "--group", "venue", "--out", tmp_path / "c"],
                            capsys)
    assert code == 2 and "COLUMN=VALUE" in err
