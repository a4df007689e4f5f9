"""Stage 2 — embed: documents to vectors, offline, through an optional on-disk cache.

Every backend declares itself in :mod:`~trendkit.embed.registry` (``trendkit run -h``
lists them) and implements :class:`~trendkit.embed.base.Embedder`:

- ``"auto"`` (default): ``"distilled"`` where its table knows the corpus's words, else
  ``"lsa"``; chosen once per corpus by :func:`resolve_embedding`, recorded in run.json.
- ``"distilled"``: TF-IDF rows times a shipped table of term vectors distilled from
  all-MiniLM-L6-v2, joined by vectors learned for the corpus's own words and bigrams
  (:class:`~trendkit.embed.corpus_terms.CorpusTerms`). ``"distilled-table"``: the table alone.
- ``"lsa"``: TF-IDF on words and bigrams, then truncated SVD, fitted on the corpus.
- ``"minilm"``, ``"minilm-int8"``, ``"minilm-map"``: the packaged MiniLM transformer, its
  int8 ONNX export, or that export on a sample mapped to the rest.
- ``"model2vec:PATH"`` / ``"st:PATH"`` / a folder: a local model.

Names are imported on first use, so the command line reads the registry without
loading scikit-learn or a model library.
"""


from .._lazy import lazy_exports

# Every backend module registers its backends on import (light: numpy and scipy only).
from . import (  # noqa: F401
    choose,
    corpus_terms,
    distilled,
    lsa,
    mapped,
    model2vec,
    onnx,
    sentence_transformers,
)

_EXPORTS = {
    "embed_texts": "api", "Embedder": "base", "EmbedderBase": "base",
    "PretrainedEmbedder": "base", "EmbeddingCache": "cache", "CorpusTerms": "corpus_terms",
    "DistilledEmbedder": "distilled", "LSAEmbedder": "lsa", "MappedMiniLMEmbedder": "mapped",
    "Model2VecEmbedder": "model2vec", "OnnxMiniLMEmbedder": "onnx",
    "SentenceTransformerEmbedder": "sentence_transformers", "minilm_path": "sentence_transformers",
    "backend_name": "choose", "get_embedder": "choose", "resolve_embedding": "choose",
    "check_embedding": "choose", "LEGACY_EMBEDDING": "choose", "BACKENDS": "registry",
    "DEFAULT_EMBEDDING": "registry", "backends_help": "registry", "registered": "registry",
}

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, {"DEFAULT_EMBEDDING": "DEFAULT"})
