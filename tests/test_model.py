"""TopicModel: declared themes and the estimator contract."""

import numpy as np
import pytest

import trendkit
from trendkit import TopicModel, TrendkitError
from trendkit.load import read_themes


def test_estimator_contract_init_only_stores_params():
    model = TopicModel(n_topics=5, random_state=3)
    assert model.get_params()["n_topics"] == 5
    assert not hasattr(model, "labels_")


def test_declared_themes_take_their_documents(demo_corpus):
    themes = {"moe": ["mixture of experts", "expert routing", "sparse experts"],
              "job shop": ["job shop scheduling", "makespan", "dispatching rules"]}
    model = TopicModel(themes=themes, cache=False).fit(demo_corpus["abstract"],
                                                           titles=demo_corpus["title"])
    labels = model.topics_.set_index("topic_id")["topic_label"]
    assert labels[0] == "moe" and labels[1] == "job shop"
    truth = demo_corpus["true_theme"].to_numpy()
    moe = model.labels_ == 0
    assert (truth[moe] == "mixture-of-experts").mean() > 0.95
    assert moe.sum() / (truth == "mixture-of-experts").sum() > 0.8
    assert (truth[model.labels_ == 1] == "job-shop scheduling").mean() > 0.95
    # the rest was clustered freely, every document assigned
    assert (model.labels_ >= 0).all() and model.labels_.max() >= 4
    assert 0 < model.declared_share_ < 0.5


def test_themes_toml(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[moe-serving]\nphrases = ["mixture of experts", "expert parallelism"]\n')
    assert read_themes(path) == ({"moe-serving": ["mixture of experts", "expert parallelism"]}, None)
    path.write_text("[broken]\nphrases = []\n")
    with pytest.raises(TrendkitError, match="needs phrases"):
        read_themes(path)
    path.write_text("not = [toml")
    with pytest.raises(TrendkitError, match="not a valid themes TOML"):
        read_themes(path)


def test_cli_themes_option(runner, tmp_path, demo_csv):
    import pandas as pd

    from trendkit.cli import app

    themes = tmp_path / "themes.toml"
    themes.write_text('["LLM serving"]\nphrases = ["LLM serving", "KV cache", "request scheduling"]\n')
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(demo_csv), "--out", str(out), "--themes", str(themes), "-q"])
    assert result.exit_code == 0, result.output
    topics = pd.read_csv(out / "topics.csv")
    assert topics.loc[topics["topic_id"] == 0, "topic_label"].item() == "LLM serving"
    summary = pd.read_csv(out / "trend_summary.csv").set_index("topic_label")
    assert summary.loc["LLM serving", "status"] == "emerging"
