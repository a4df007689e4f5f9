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


def test_auto_records_its_choice_and_predict_embeds_with_it(demo_corpus, monkeypatch):
    import sys

    head = demo_corpus.head(300)
    model = TopicModel(cache=False).fit(head["abstract"], titles=head["title"])
    assert model.get_params()["embedding"] == "auto" and model.embedding_ == "distilled"

    def no_second_choice(texts, *args, **kwargs):
        raise AssertionError("predict chose a backend again instead of using embedding_")

    # resolve_embedding, the one place "auto" is decided, measures the table's coverage
    monkeypatch.setattr(sys.modules["trendkit.embed.choose"], "coverage", no_second_choice)
    # new documents land in the fitted space: a fitted document keeps its theme
    assert (model.predict(head["abstract"].head(20), titles=head["title"].head(20))
            == model.labels_[:20]).mean() > 0.8


def test_a_failed_fit_leaves_the_model_unfitted():
    from sklearn.exceptions import NotFittedError

    model = TopicModel(themes={"all": ["the"]}, theme_threshold=-1.0, cache=False)
    with pytest.raises(TrendkitError, match="every document matched"):
        model.fit(["experts route tokens", "job shop scheduling"])
    with pytest.raises(NotFittedError):
        model.predict(["experts"])


# Purity floor per backend: the distilled table matches about the corpus mean (job shop
# 94.7 % pure on this corpus, MoE 99 %); LSA matched both above 95 %.
@pytest.mark.parametrize("embedding, pure", [("distilled", 0.93), ("lsa", 0.95)])
def test_declared_themes_take_their_documents(demo_corpus, embedding, pure):
    themes = {"moe": ["mixture of experts", "expert routing", "sparse experts"],
              "job shop": ["job shop scheduling", "makespan", "dispatching rules"]}
    model = TopicModel(embedding=embedding, themes=themes, cache=False).fit(
        demo_corpus["abstract"], titles=demo_corpus["title"])
    labels = model.topics_.set_index("topic_id")["topic_label"]
    assert labels[0] == "moe" and labels[1] == "job shop"
    truth = demo_corpus["true_theme"].to_numpy()
    moe = model.labels_ == 0
    assert (truth[moe] == "mixture-of-experts").mean() > pure
    assert moe.sum() / (truth == "mixture-of-experts").sum() > 0.8
    assert (truth[model.labels_ == 1] == "job-shop scheduling").mean() > pure
    # the rest was clustered freely, every document assigned
    assert (model.labels_ >= 0).all() and model.labels_.max() >= 4
    assert 0 < model.declared_share_ < 0.5


def test_themes_toml(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[moe-serving]\nphrases = ["mixture of experts", "expert parallelism"]\n')
    assert read_themes(path) == (
        {"moe-serving": ["mixture of experts", "expert parallelism"]}, None)
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
    themes.write_text('["LLM serving"]\n'
                      'phrases = ["LLM serving", "KV cache", "request scheduling"]\n')
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(demo_csv), "--out", str(out),
                                 "--themes", str(themes), "-q"])
    assert result.exit_code == 0, result.output
    topics = pd.read_csv(out / "topics.csv")
    assert topics.loc[topics["topic_id"] == 0, "topic_label"].item() == "LLM serving"
    summary = pd.read_csv(out / "trend_summary.csv").set_index("topic_label")
    assert summary.loc["LLM serving", "status"] == "emerging"


DECLARED = {"moe": ["mixture of experts", "expert routing", "sparse experts"],
            "job shop": ["job shop scheduling", "makespan", "dispatching rules"]}


@pytest.fixture(scope="module")
def declared_model(demo_corpus):
    return TopicModel(themes=DECLARED, cache=False).fit(demo_corpus["abstract"],
                                                       titles=demo_corpus["title"])


def test_predict_knows_declared_theme_ids(declared_model):
    """B1: predict used the clusterer's ids without the declared-theme offset."""
    model = declared_model
    predicted = model.predict(embeddings=model.embeddings_)
    assert {0, 1} <= set(predicted.tolist())  # declared themes can be predicted
    assert set(predicted.tolist()) <= set(model.topics_["topic_id"])
    assert (predicted == model.labels_).mean() > 0.9


def test_document_map_places_each_free_document_at_its_own_row(declared_model):
    """B2: map coordinates were written at the clusterer's row numbers, not the documents'."""
    model = declared_model
    coords = model.document_map()
    mapped = np.isfinite(coords[:, 0])
    free = model.labels_ >= len(DECLARED)
    assert np.array_equal(mapped, free)  # declared documents unmapped, every free one mapped
    # documents of the same free theme sit together on the map
    spread = [np.nanstd(coords[model.labels_ == t], axis=0).mean()
              for t in np.unique(model.labels_[free])]
    assert np.median(spread) < np.nanstd(coords[free], axis=0).mean()


def test_predict_before_fit_is_an_error():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TopicModel().predict(embeddings=np.eye(3))


def test_homogeneous_corpus_is_one_theme_named_from_its_words():
    """Every word in most documents: document-frequency pruning used to empty the vocabulary."""
    import pandas as pd

    words = ["graph", "neural", "networks", "learn", "node", "embeddings", "message", "passing"]
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.permutation(words)) + " " + " ".join(rng.choice(words, 3))
             for _ in range(60)]
    result = trendkit.analyze(trendkit.load_frame(pd.DataFrame({"abstract": texts})),
                              cache=False, document_map=False)
    assert result.n_themes == 1
    label_words = set(result.topics["topic_label"].iloc[0].replace("·", " ").split())
    assert label_words and label_words <= set(words)


def test_document_map_of_near_identical_documents_warns_nothing():
    # Regression: a 3-row CSV printed PCA's divide-by-zero RuntimeWarning under the CLI.
    import warnings

    import pandas as pd

    frame = pd.DataFrame({"title": [f"Title {i}" for i in range(3)], "abstract": [
        f"Sparse experts route tokens in paper {i} about scheduling." for i in range(3)]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = trendkit.analyze(trendkit.load_frame(frame), cache=False)
    assert result.coords.shape == (3, 2) and np.isfinite(result.coords).all()
