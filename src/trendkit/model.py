"""The ``TopicModel`` estimator: embed → cluster → label in one object.

It follows scikit-learn's contract (``__init__`` stores parameters, ``fit``
sets the trailing-underscore attributes) and returns plain DataFrames, so it
drops into a notebook next to pandas.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.preprocessing import normalize

from .cluster import OUTLIER, ThemeClusterer
from .embed import EmbeddingCache, default_cache_dir, document_texts, embed, fit_embedder
from .label import name_topics

OUTLIER_LABEL = "(outliers)"


class TopicModel(BaseEstimator):
    """Discover named themes in a collection of abstracts.

    Parameters
    ----------
    embedding : str, default "lsa"
        Backend name, see :func:`trendkit.embed.get_embedder`.
    min_topic_size, n_topics, max_topics, keep_outliers
        Passed to :class:`~trendkit.cluster.ThemeClusterer`.
    use_cache : bool, default True
        Reuse embeddings from the on-disk cache.
    random_state : int, default 0

    Attributes
    ----------
    embeddings_ : ndarray (n_docs, dim)
    labels_ : ndarray (n_docs,)
        Theme id per document (0 = largest; -1 only with ``keep_outliers``).
    topics_ : pandas.DataFrame
        ``topic_id, topic_label, n_docs, share, top_terms, representative_titles``.
    clusterer_ : ThemeClusterer
        Fitted on the documents not taken by a declared theme.
    centroids_ : ndarray (n_themes, dim)
        Unit-length mean embedding of each theme, in theme-id order.
    outlier_share_ : float
        Share of all documents HDBSCAN called outliers (before reassignment).
    declared_share_ : float
        Share of documents given a declared theme.

    Examples
    --------
    >>> from trendkit.demo import make_demo_corpus
    >>> corpus = make_demo_corpus(n_docs=400, seed=0)
    >>> model = TopicModel(use_cache=False).fit(corpus["abstract"], titles=corpus["title"])
    >>> len(model.labels_) == len(corpus), int(model.topics_["n_docs"].sum()) == len(corpus)
    (True, True)
    """

    def __init__(self, embedding="lsa", min_topic_size=None, n_topics=None, max_topics=None,
                 keep_outliers=False, themes=None, theme_threshold=0.3, use_cache=True,
                 random_state=0):
        self.embedding = embedding
        self.min_topic_size = min_topic_size
        self.n_topics = n_topics
        self.max_topics = max_topics
        self.keep_outliers = keep_outliers
        self.themes = themes
        self.theme_threshold = theme_threshold
        self.use_cache = use_cache
        self.random_state = random_state

    def fit(self, texts, y=None, *, titles=None, embeddings=None, embedder=None, progress=None):
        """Fit on texts (abstracts); ``titles`` improve labels and examples.

        ``embeddings`` (and the fitted ``embedder`` that made them, needed for
        declared ``themes``) skip the embedding step.
        """
        texts = [str(t) for t in texts]
        titles = [str(t) for t in titles] if titles is not None else [""] * len(texts)
        documents = document_texts(titles, texts)
        if embeddings is None or (self.themes and embedder is None):
            embedder, embeddings = fit_embedder(documents, self.embedding,
                                                random_state=self.random_state,
                                                use_cache=self.use_cache, progress=progress)
        self.embeddings_ = np.asarray(embeddings, dtype=np.float32)
        declared = self._declared(embedder) if self.themes else np.full(len(texts), OUTLIER)
        free = declared == OUTLIER
        n_declared = len(self.themes or {})
        self.clusterer_ = self._fit_clusterer(self.embeddings_[free])
        labels = declared.copy()
        # Free themes are numbered after the declared ones (which keep the file's order).
        labels[free] = np.where(self.clusterer_.labels_ == OUTLIER, OUTLIER,
                                self.clusterer_.labels_ + n_declared)
        self.labels_ = labels
        self.declared_share_ = float(np.mean(~free))
        self.outlier_share_ = self.clusterer_.outlier_share_ * float(np.mean(free))
        ids = np.array(sorted(set(labels) - {OUTLIER}))
        self.centroids_ = normalize(np.vstack([self.embeddings_[labels == i].mean(axis=0)
                                               for i in ids]))
        self.topics_ = self._describe(documents, titles)
        return self

    def _declared(self, embedder) -> np.ndarray:
        """Theme index of each document close enough to a declared theme, else -1."""
        seeds = []
        for phrases in self.themes.values():
            vectors = (embedder.transform(phrases) if hasattr(embedder, "transform")
                       else embedder.embed(phrases))
            seeds.append(normalize(np.asarray(vectors).mean(axis=0, keepdims=True))[0])
        similarity = self.embeddings_ @ np.vstack(seeds).T
        best = similarity.argmax(axis=1)
        close = similarity[np.arange(len(best)), best] >= self.theme_threshold
        return np.where(close, best, OUTLIER)

    def _fit_clusterer(self, X: np.ndarray) -> ThemeClusterer:
        """Fit the clusterer, or restore it from the cache for identical input."""
        clusterer = ThemeClusterer(
            min_topic_size=self.min_topic_size, n_topics=self.n_topics,
            max_topics=self.max_topics, keep_outliers=self.keep_outliers,
            random_state=self.random_state)
        if not self.use_cache:
            return clusterer.fit(X)
        key = hashlib.sha256(X.tobytes() + repr(sorted(clusterer.get_params().items())).encode())
        path = default_cache_dir() / "clusters" / f"{key.hexdigest()[:32]}.npz"
        if path.exists():
            with np.load(path, allow_pickle=False) as saved:
                return clusterer.set_fitted(saved)
        clusterer.fit(X)
        EmbeddingCache._save(path, lambda f: np.savez(f, **clusterer.fitted_arrays()))
        return clusterer

    def fit_predict(self, texts, y=None, **kwargs):
        return self.fit(texts, **kwargs).labels_

    def predict(self, texts=None, *, titles=None, embeddings=None):
        """Put new documents into the fitted themes (nearest centroid).

        New texts must be embedded by a per-document backend, or passed as
        ``embeddings`` in the fitted space; LSA is refitted per corpus, so
        for LSA use :func:`trendkit.assign` with the saved run instead.
        """
        if embeddings is None:
            titles = titles if titles is not None else [""] * len(texts)
            documents = document_texts(titles, texts)
            embeddings = embed(documents, self.embedding, random_state=self.random_state,
                               use_cache=self.use_cache)
        return self.clusterer_.predict(embeddings)

    def _describe(self, documents: list[str], titles: list[str]) -> pd.DataFrame:
        names = name_topics(documents, self.labels_, random_state=self.random_state)
        names.loc[names["topic_id"] == OUTLIER, "topic_label"] = OUTLIER_LABEL
        for index, name in enumerate(self.themes or {}):
            names.loc[names["topic_id"] == index, "topic_label"] = name
        ids, counts = np.unique(self.labels_, return_counts=True)
        sizes = pd.DataFrame({"topic_id": ids, "n_docs": counts})
        sizes["share"] = sizes["n_docs"] / len(self.labels_)
        sizes["representative_titles"] = [self._representatives(i, titles, documents)
                                          for i in ids]
        table = sizes.merge(names, on="topic_id")
        return table[["topic_id", "topic_label", "n_docs", "share", "top_terms",
                      "representative_titles"]].sort_values(
            "topic_id", key=lambda s: s.where(s != OUTLIER, 10**9)).reset_index(drop=True)

    def _representatives(self, topic: int, titles: list[str], documents: list[str], k: int = 3) -> str:
        members = np.flatnonzero(self.labels_ == topic)
        vectors = self.embeddings_[members]
        centre = vectors.mean(axis=0)
        closest = members[np.argsort(-(vectors @ centre), kind="stable")[:k]]
        return " | ".join((titles[i] or documents[i][:80]).replace("|", "/") for i in closest)


def read_themes(path) -> tuple[dict[str, list[str]], float | None]:
    r"""Declared themes from a TOML file: ``[name] phrases = [...]``.

    An optional top-level ``threshold = 0.35`` sets the similarity cut-off.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "themes.toml"
    >>> _ = p.write_text('threshold = 0.35\n[moe-serving]\nphrases = ["mixture of experts"]\n')
    >>> read_themes(p)
    ({'moe-serving': ['mixture of experts']}, 0.35)
    """
    from pathlib import Path

    from .errors import TrendkitError

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TrendkitError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TrendkitError(f"{path}: not a valid themes TOML file ({exc})") from exc
    threshold = data.pop("threshold", None)
    themes = {}
    for name, table in data.items():
        phrases = table.get("phrases") if isinstance(table, dict) else None
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise TrendkitError(f"{path}: theme [{name}] needs phrases = [\"...\", ...]")
        themes[str(name)] = [p.strip() for p in phrases]
    if not themes:
        raise TrendkitError(f"{path}: declares no themes")
    if threshold is not None and not isinstance(threshold, (int, float)):
        raise TrendkitError(f"{path}: threshold must be a number")
    return themes, threshold
