"""BERTopic in and out: from_bertopic / to_bertopic on the demo corpus, offline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from sklearn.cluster import HDBSCAN
from sklearn.decomposition import PCA

import trendkit
from trendkit.bertopic_bridge import LSABackend, from_bertopic, to_bertopic
from trendkit.embed import embed_texts
from trendkit.errors import TrendkitError
from trendkit.result import TrendResult
from trendkit.text import document_texts


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    # 600 documents keep BERTopic and analyze fast; at that size seed 0's "LLM serving"
    # rise is not significant even with the true labels (q ≈ 0.19), seed 1's is.
    return trendkit.make_demo_corpus(n_docs=600, seed=1)


@pytest.fixture(scope="module")
def texts(corpus) -> list[str]:
    return document_texts(corpus["title"], corpus["abstract"])


@pytest.fixture(scope="module")
def bertopic_model(texts) -> BERTopic:
    # Precomputed LSA embeddings: BERTopic never loads (or downloads) its default model.
    vectors = embed_texts(texts, "lsa", cache=False)
    model = BERTopic(embedding_model=None, umap_model=PCA(n_components=5, random_state=0),
                     hdbscan_model=HDBSCAN(min_cluster_size=15, copy=True),
                     calculate_probabilities=False)
    model.fit_transform(texts, vectors)
    return model


@pytest.fixture(scope="module")
def imported(bertopic_model, texts, corpus) -> TrendResult:
    return from_bertopic(bertopic_model, texts, corpus["date"], titles=corpus["title"],
                         ids=corpus["doc_id"])


@pytest.fixture(scope="module")
def analysed(corpus) -> TrendResult:
    return trendkit.analyze(trendkit.load_frame(corpus), cache=False, document_map=False)


@pytest.fixture(scope="module")
def exported(analysed) -> BERTopic:
    return to_bertopic(analysed)


def _majority_topic(result: TrendResult, corpus: pd.DataFrame, theme: str) -> int:
    members = result.documents.loc[corpus["true_theme"].to_numpy() == theme, "topic_id"]
    return int(members.mode()[0])


def test_from_bertopic_keeps_bertopic_topics_and_assignments(imported, bertopic_model, corpus):
    docs, topics = imported.documents, imported.topics
    assert docs["topic_id"].tolist() == list(bertopic_model.topics_)
    assert docs["doc_id"].tolist() == corpus["doc_id"].tolist()
    assert sorted(topics["topic_id"]) == sorted(set(bertopic_model.topics_))
    assert topics["n_docs"].sum() == len(corpus) == 600
    assert np.isclose(topics["share"].sum(), 1.0)
    sizes = pd.Series(bertopic_model.topics_).value_counts()
    assert (topics.set_index("topic_id")["n_docs"] == sizes.reindex(topics["topic_id"])).all()
    for row in topics[topics["topic_id"] >= 0].itertuples():
        words = [w for w, _ in bertopic_model.get_topic(row.topic_id)]
        assert row.topic_label == " · ".join(words[:3])
        assert row.top_terms == "; ".join(words[:10])
        assert row.representative_titles.count(" | ") == 2
    # BERTopic's outliers stay theme -1, named as trendkit names its outlier bin.
    n_out = int((np.asarray(bertopic_model.topics_) == -1).sum())
    assert n_out > 0 and topics["topic_id"].iloc[-1] == -1
    assert topics["topic_label"].iloc[-1] == "(outliers)"
    assert any(f"left {n_out:,} of 600 documents" in note for note in imported.meta["notes"])
    assert imported.meta["params"]["source"] == "bertopic"
    assert imported.meta["freq"] == "month" and set(docs["period"]) >= {"2023-01", "2025-06"}


def test_from_bertopic_detects_the_planted_trends(imported, corpus):
    summary = imported.summary.set_index("topic_id")
    assert set(summary.index) == set(imported.topics["topic_id"])
    assert summary["status"].notna().all()
    assert summary.loc[_majority_topic(imported, corpus, "LLM serving & scheduling"),
                       "status"] == "emerging"
    assert summary.loc[_majority_topic(imported, corpus, "learning-rate schedules"),
                       "status"] == "declining"
    assert summary.loc[-1, "status"] == "insufficient-data"  # 1–3 outliers: nothing to test


def test_from_bertopic_result_renders_a_report(imported, corpus):
    html = trendkit.TrendReport(imported).render_html()
    assert "Emerging" in html and "Declining" in html
    llm = _majority_topic(imported, corpus, "LLM serving & scheduling")
    assert imported.topics.set_index("topic_id").loc[llm, "topic_label"] in html


def test_from_bertopic_without_dates_has_empty_trend_tables(bertopic_model, texts):
    result = from_bertopic(bertopic_model, texts)
    assert result.trends.empty and not result.has_dates and result.meta["freq"] is None
    assert set(result.summary["status"]) == {"insufficient-data"}
    assert result.documents["doc_id"].iloc[0] == "bertopic:1"
    assert "insufficient" in trendkit.TrendReport(result).render_html(include_images=False)


def test_from_bertopic_checks_its_inputs(bertopic_model, texts):
    with pytest.raises(TrendkitError, match="600 entries for 10 documents"):
        from_bertopic(bertopic_model, texts[:10])
    with pytest.raises(TrendkitError, match="timestamps"):
        from_bertopic(bertopic_model, texts, ["2024-01-01"])
    with pytest.raises(TrendkitError, match="not fitted"):
        from_bertopic(BERTopic(), texts)


def test_to_bertopic_round_trips_trendkit_themes(analysed, exported):
    docs, topics = analysed.documents, analysed.topics
    assert list(exported.topics_) == docs["topic_id"].tolist()
    info = exported.get_topic_info()
    assert info["Topic"].tolist() == sorted(topics["topic_id"])
    counts = topics.set_index("topic_id")["n_docs"]
    assert info["Count"].tolist() == counts.reindex(info["Topic"]).tolist()
    labels = topics.set_index("topic_id")["topic_label"]
    assert info["CustomName"].tolist() == labels.reindex(info["Topic"]).tolist()
    # Representations come from trendkit's vectorizer: its stop words are gone.
    words = {w for t in info["Topic"] for w, _ in exported.get_topic(t)}
    assert not words & {"we", "the", "and", "propose", "results"}
    assert exported.topic_embeddings_.shape[0] == len(info)


def test_to_bertopic_model_is_offline_and_assigns_new_documents(analysed, exported):
    # The run's own LSA space: transform() needs no model weights and agrees with trendkit.
    assert isinstance(exported.embedding_model, LSABackend)
    docs = analysed.documents.head(60)
    predicted, _ = exported.transform(document_texts(docs["title"], docs["text"]))
    assert np.mean(np.asarray(predicted) == docs["topic_id"].to_numpy()) >= 0.9


def test_to_bertopic_reuses_the_runs_space_for_lsa_with_a_power(corpus):
    """Regression: a run made with ``lsa:1`` was refitted (at the default power) on export."""
    result = trendkit.analyze(trendkit.load_frame(corpus), embedding="lsa:1", cache=False,
                              document_map=False)
    backend = to_bertopic(result).embedding_model
    assert np.array_equal(backend.lsa.components_, result.model_arrays["components"])


def test_to_bertopic_embeds_a_distilled_run_with_the_table(corpus):
    """A distilled run's BERTopic model places documents in the run's space, not LSA's."""
    from trendkit.embed import CorpusTerms, DistilledEmbedder

    result = trendkit.analyze(trendkit.load_frame(corpus), embedding="distilled", cache=False,
                              document_map=False)
    model = to_bertopic(result)
    embedder = model.embedding_model.lsa
    assert isinstance(embedder, CorpusTerms) and isinstance(embedder.base, DistilledEmbedder)
    assert np.array_equal(embedder.term_vectors_, result.model_arrays["terms_vectors"])
    docs = result.documents.head(60)
    predicted, _ = model.transform(document_texts(docs["title"], docs["text"]))
    assert np.mean(np.asarray(predicted) == docs["topic_id"].to_numpy()) >= 0.9


def test_back_and_forth_keeps_assignments_and_labels(analysed, exported):
    docs = analysed.documents
    back = from_bertopic(exported, docs["text"], docs["date"], titles=docs["title"],
                         ids=docs["doc_id"])
    assert back.documents["topic_id"].tolist() == docs["topic_id"].tolist()
    assert back.topics["topic_label"].tolist() == analysed.topics["topic_label"].tolist()
    assert back.topics["n_docs"].tolist() == analysed.topics["n_docs"].tolist()


def test_to_bertopic_keeps_ids_bertopic_would_renumber(analysed, monkeypatch):
    import bertopic._bertopic as core

    def no_default_model(model, *args, **kwargs):  # BERTopic's default would download
        assert isinstance(model, BaseEmbedder), model
        return model

    monkeypatch.setattr(core, "select_backend", no_default_model)
    # Reverse the ids (theme 0 is now the smallest, which plain manual BERTopic
    # renumbers by size) and make ten documents outliers (-1).
    k = analysed.n_themes
    ids = (k - 1 - analysed.documents["topic_id"]).where(lambda s: s.index >= 10, -1)
    docs = analysed.documents.assign(topic_id=ids)
    topics = pd.concat([analysed.topics.assign(topic_id=k - 1 - analysed.topics["topic_id"]),
                        pd.DataFrame({"topic_id": [-1], "topic_label": ["(outliers)"]})])
    flipped = TrendResult(docs, topics, analysed.trends, analysed.summary, meta=analysed.meta,
                          model_arrays=analysed.model_arrays)
    model = to_bertopic(flipped)
    assert list(model.topics_) == docs["topic_id"].tolist()
    info = model.get_topic_info().set_index("Topic")
    assert info["Count"].to_dict() == docs["topic_id"].value_counts().to_dict()
    assert info.loc[0, "Count"] == info.loc[info.index >= 0, "Count"].min()
    assert info["CustomName"].to_dict() == topics.set_index("topic_id")["topic_label"].to_dict()


def test_to_bertopic_needs_contiguous_ids_and_texts(analysed):
    docs = analysed.documents.head(40).assign(topic_id=[0] * 20 + [2] * 20)
    gappy = TrendResult(docs, analysed.topics, analysed.trends, analysed.summary)
    with pytest.raises(TrendkitError, match="0..k-1"):
        to_bertopic(gappy)
    no_text = TrendResult(analysed.documents.drop(columns="text"), analysed.topics,
                          analysed.trends, analysed.summary)
    with pytest.raises(TrendkitError, match="texts"):
        to_bertopic(no_text)
