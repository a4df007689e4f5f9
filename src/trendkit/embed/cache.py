"""Embedding cache: whole-corpus entries for corpus-fitted backends, per-text for the rest.

Corpus-fitted backends (LSA) are cached per whole corpus, vectors *and*
fitted state, so a cache hit can still place new documents in the same space.
Per-document backends (transformers, static) are cached per text, so adding
documents to a corpus only embeds the new ones.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..cache import Cache, atomic_write, content_key
from .base import Embedder, Progress


class EmbeddingCache:
    """Wraps any :class:`~trendkit.embed.base.Embedder` from outside.

    Examples
    --------
    >>> import tempfile
    >>> from trendkit.embed import LSAEmbedder
    >>> cache = EmbeddingCache(Cache(tempfile.mkdtemp()))
    >>> cache.fit_transform(LSAEmbedder(n_components=2),
    ...                     ["expert routing", "routing tokens", "job shop"]).shape
    (3, 2)
    """

    def __init__(self, cache: Cache):
        self.cache = cache
        self.hits = 0

    def fit_transform(self, embedder: Embedder, texts: Sequence[str],
                      progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        if embedder.corpus_fitted:
            return self._corpus(embedder, texts, progress)
        return self._per_text(embedder, texts, progress)

    def _corpus(self, embedder, texts, progress) -> np.ndarray:
        path = self.cache.path(embedder.key, "corpus-" + content_key(*texts), ".npz")
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as saved:
                    embedder.set_state(saved)
                    self.hits = len(texts)
                    return saved["vectors"]
            except (OSError, ValueError, KeyError):
                pass  # damaged entry: embed afresh
        vectors = embedder.fit_transform(texts, progress)
        atomic_write(path, lambda f: np.savez(f, vectors=vectors, **embedder.state()))
        return vectors

    def _per_text(self, embedder, texts, progress) -> np.ndarray:
        folder = self.cache.directory / embedder.key
        known: dict[str, np.ndarray] = {}
        for chunk in sorted(folder.glob("chunk-*.npz")) if folder.exists() else []:
            try:
                with np.load(chunk, allow_pickle=False) as data:
                    known.update(zip(data["hashes"].tolist(), data["vectors"]))
            except (OSError, ValueError, KeyError):
                continue
        hashes = [content_key(t) for t in texts]
        todo = sorted({h: i for i, h in enumerate(hashes) if h not in known}.values())
        self.hits = len(texts) - len(todo)
        if todo:
            fresh = embedder.fit_transform([texts[i] for i in todo], progress)
            new_hashes = np.array([hashes[i] for i in todo])
            known.update(zip(new_hashes.tolist(), fresh))
            name = f"chunk-{content_key(*new_hashes.tolist(), length=16)}.npz"
            atomic_write(folder / name, lambda f: np.savez(f, hashes=new_hashes, vectors=fresh))
        return np.vstack([known[h] for h in hashes]).astype(np.float32)
