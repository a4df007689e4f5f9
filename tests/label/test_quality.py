import numpy as np
import pandas as pd
import pytest

from trendkit.label.quality import npmi_coherence, theme_quality, topic_diversity


def test_npmi_against_a_hand_computed_example():
    # docs: {a b}, {a b}, {a}, {c}: P(a)=3/4, P(b)=1/2, P(a,b)=1/2
    # NPMI = log(0.5 / (0.75 * 0.5)) / -log(0.5) = log(4/3) / log 2
    texts = ["alpha beta", "alpha beta", "alpha", "gamma"]
    score = npmi_coherence(texts, [["alpha", "beta"]])[0]
    assert score == pytest.approx(np.log(4 / 3) / np.log(2))
    assert npmi_coherence(texts, [["alpha", "gamma"]]) == [-1.0]  # never together
    assert np.isnan(npmi_coherence(texts, [["delta", "alpha"]])[0])  # one term absent: no pair


def test_npmi_matches_phrases():
    texts = ["job shop scheduling", "job shop makespan", "expert routing"]
    assert npmi_coherence(texts, [["job shop", "makespan"]])[0] > 0


def test_diversity():
    assert topic_diversity([["a b", "c"], ["d", "e"]]) == 1.0
    assert topic_diversity([["a", "b"], ["a", "b"]]) == 0.5


def test_theme_quality_table(demo_result, demo_corpus):
    docs = demo_result.documents.assign(true=demo_corpus["true_theme"].values)
    table = theme_quality(docs, demo_result.topics, label_col="true")
    overall = table[table["scope"] == "overall"].set_index("metric")["value"]
    assert overall["nmi"] > 0.9 and overall["homogeneity"] > 0.9
    assert 0 < overall["topic_diversity"] <= 1
    per_theme = table[table["scope"] == "theme"]
    assert len(per_theme) == len(demo_result.topics)
    assert per_theme["value"].between(-1, 1).all() and per_theme["value"].mean() > 0


def test_evaluate_command_adds_quality_to_the_run(runner, tmp_path, demo_csv):
    import shutil

    from trendkit.cli import app

    run_dir = tmp_path / "run"
    assert runner.invoke(app, ["run", str(demo_csv), "--out", str(run_dir), "-q"]).exit_code == 0
    result = runner.invoke(app, ["evaluate", str(run_dir), "--label-col", "true_theme"])
    assert result.exit_code == 0, result.output
    quality = pd.read_csv(run_dir / "quality.csv")
    assert {"npmi", "nmi", "ari", "homogeneity", "completeness", "topic_diversity",
            "npmi_mean"} <= set(quality["metric"])
    assert 'id="quality"' in (run_dir / "report.html").read_text()
    shutil.rmtree(run_dir)
