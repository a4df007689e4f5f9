"""minilm-map: a teacher on a seeded sample, a TF-IDF ridge map for the rest.

The teacher here is a tiny local stand-in (a word-topic lookup), so the tests need no
transformer; tests/test_embed_onnx.py covers the real int8 teacher."""

import numpy as np
import pytest

from trendkit import TrendkitError
from trendkit.embed import MappedMiniLMEmbedder, get_embedder

TOPICS = {"experts": 0, "routing": 0, "sparse": 0, "shop": 1, "scheduling": 1, "makespan": 1,
          "warmup": 2, "learning": 2, "decay": 2}
FILLER = ["model", "method", "results", "study", "approach", "data", "paper", "analysis"]


class TopicTeacher:
    """Three-dimensional 'embeddings': how many words of each topic a text holds, plus noise
    from its length, so the map has something to learn and something to ignore."""

    calls = 0

    def transform(self, texts, progress=None):
        TopicTeacher.calls += len(texts)
        rows = np.zeros((len(texts), 4))
        for i, text in enumerate(texts):
            for word in text.split():
                if word in TOPICS:
                    rows[i, TOPICS[word]] += 1
            rows[i, 3] = 0.1 * len(text.split())
        return rows


def corpus(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    words = [[w for w, t in TOPICS.items() if t == k] for k in range(3)]
    return [" ".join(rng.choice(words[i % 3], 3).tolist() + rng.choice(FILLER, 4).tolist())
            for i in range(n)]


def test_sampled_rows_are_the_teachers_and_the_rest_are_mapped_to_their_topic():
    texts = corpus(120)
    model = MappedMiniLMEmbedder(sample_size=30, random_state=0, teacher=TopicTeacher())
    TopicTeacher.calls = 0
    rows = model.fit_transform(texts)
    assert rows.shape == (120, 4) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-5)
    assert TopicTeacher.calls == 30  # only the sample meets the teacher
    teacher = TopicTeacher().transform(texts)
    teacher /= np.linalg.norm(teacher, axis=1, keepdims=True)
    sampled = np.isclose((rows * teacher).sum(axis=1), 1, atol=1e-5)
    assert sampled.sum() >= 30
    # Unsampled texts land nearest their own topic's axis (never seen by the teacher).
    topic = np.arange(120) % 3
    assert (rows[~sampled, :3].argmax(axis=1) == topic[~sampled]).mean() == 1.0


def test_transform_maps_new_texts_and_state_round_trips():
    texts = corpus(90)
    model = MappedMiniLMEmbedder(sample_size=20, teacher=TopicTeacher())
    fitted = model.fit_transform(texts)
    new = ["sparse experts routing model data", "shop scheduling makespan study paper"]
    mapped = model.transform(new)
    assert mapped[0, 0] > 0.8 and mapped[1, 1] > 0.8
    restored = get_embedder("minilm-map:20").set_state(
        {k: np.asarray(v) for k, v in model.state().items()})
    assert np.allclose(restored.transform(new), mapped, atol=1e-5)
    # Unsampled documents get exactly the map's row, so assign agrees with the fit.
    unsampled = [i for i in range(90) if not np.allclose(
        fitted[i], TopicTeacher().transform([texts[i]])[0] /
        np.linalg.norm(TopicTeacher().transform([texts[i]])[0]), atol=1e-5)]
    assert unsampled and np.allclose(model.transform([texts[i] for i in unsampled]),
                                     fitted[unsampled], atol=1e-5)


def test_small_corpus_is_all_teacher_and_seed_changes_the_sample():
    texts = corpus(15)
    rows = MappedMiniLMEmbedder(sample_size=50, teacher=TopicTeacher()).fit_transform(texts)
    teacher = TopicTeacher().transform(texts)
    assert np.allclose(rows, teacher / np.linalg.norm(teacher, axis=1, keepdims=True), atol=1e-5)
    a = MappedMiniLMEmbedder(sample_size=10, random_state=1, teacher=TopicTeacher())
    b = MappedMiniLMEmbedder(sample_size=10, random_state=1, teacher=TopicTeacher())
    c = MappedMiniLMEmbedder(sample_size=10, random_state=2, teacher=TopicTeacher())
    texts = corpus(60)
    assert np.array_equal(a.fit_transform(texts), b.fit_transform(texts))
    assert not np.array_equal(a.fit_transform(texts), c.fit_transform(texts))
    assert a.key == "minilm-map-10-0.3-1" and a.corpus_fitted


@pytest.mark.parametrize("name", ["minilm-map:abc", "minilm-map:1"])
def test_bad_sample_sizes_are_one_line_errors(name):
    with pytest.raises(TrendkitError, match="minilm-map"):
        get_embedder(name)


def test_unfitted_transform_is_a_clear_error():
    with pytest.raises(TrendkitError, match="not fitted"):
        MappedMiniLMEmbedder().transform(["text"])


def test_run_and_assign_with_the_real_int8_teacher(runner, tmp_path, demo_corpus):
    """The CLI path end to end: the fitted map is saved with the run and places new
    documents for ``assign`` without the transformer; seen documents keep their theme."""
    import pandas as pd

    from trendkit.cli import app

    dates = pd.to_datetime(demo_corpus["date"])
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    demo_corpus[dates < "2025-05-01"].head(400).to_csv(first, index=False)
    demo_corpus[dates >= "2025-05-01"].head(100).to_csv(later, index=False)
    run_dir, updated = tmp_path / "run", tmp_path / "updated"
    result = runner.invoke(app, ["run", str(first), "--out", str(run_dir), "-q",
                                 "--embedding", "minilm-map:120"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["assign", str(run_dir), str(later), "--out", str(updated), "-q"])
    assert result.exit_code == 0, result.output
    before = pd.read_csv(run_dir / "documents.csv")
    after = pd.read_csv(updated / "documents.csv")
    assert len(after) == 500
    same = before.merge(after, on="doc_id")
    assert (same["topic_id_x"] == same["topic_id_y"]).all()
    truth = demo_corpus.set_index("doc_id")["true_theme"]
    for frame in (before, after[~after["doc_id"].isin(before["doc_id"])]):
        table = pd.crosstab(frame["topic_id"], truth.reindex(frame["doc_id"]).to_numpy())
        assert table.max(axis=1).sum() / len(frame) > 0.85  # themes follow the planted truth
