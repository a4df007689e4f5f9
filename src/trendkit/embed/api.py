"""Embedding texts with a named backend, through the on-disk cache."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..cache import CacheLike, as_cache
from .base import Embedder, Progress
from .cache import EmbeddingCache
from .choose import get_embedder, resolve_embedding
from .registry import DEFAULT


def embed_texts(texts: Sequence[str], embedding: str | Embedder = DEFAULT, *,
                random_state: int = 0, cache: CacheLike = None,
                progress: Progress | None = None, return_embedder: bool = False):
    """Embed texts with a named backend, through the on-disk cache.

    Parameters
    ----------
    texts : sequence of str
    embedding : str or Embedder
        A backend name (see :func:`~trendkit.embed.get_embedder`; ``"auto"`` is resolved
        for these texts by :func:`~trendkit.embed.resolve_embedding`) or a backend object.
    cache : None, path, Cache or False
        Default location, a folder, a :class:`~trendkit.cache.Cache`, or no cache.
    return_embedder : bool, default False
        Also return the (fitted) backend, to place new documents in the same space.

    Examples
    --------
    >>> embed_texts(["experts route tokens", "job shop scheduling", "shop scheduling"],
    ...             cache=False).shape[0]
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
