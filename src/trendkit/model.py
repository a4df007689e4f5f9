"""The ``TopicModel`` estimator: embed → cluster → label in one object.

It follows scikit-learn's contract (``__init__`` stores parameters, ``fit``
sets the trailing-underscore attributes) and returns plain DataFrames, so it
drops into a notebook next to pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from .cache import as_cache, atomic_write
from .cluster import OUTLIER, ThemeClusterer, centroids, nearest_centroid
from .embed.api import embed_texts
from .embed.choose import resolve_embedding
from .embed.registry import DEFAULT as DEFAULT_EMBEDDING
from .errors import TrendkitError
from .label import mixed_flags, name_topics, topic_rows
from .result import TOPIC_COLUMNS
from .text import common_word_share, document_texts

OUTLIER_LABEL = "(outliers)"
# Above this share of word occurrences from words in most documents, the corpus is one theme.
HOMOGENEOUS_TEXT = 0.8


class TopicModel(BaseEstimator):
    """Discover named themes in a collection of abstracts.

    Parameters
    ----------
    embedding : str, default "auto"
        Backend name, see :func:`trendkit.embed.get_embedder`; ``"auto"`` picks the
        distilled table or LSA for the fitted texts (:func:`trendkit.embed.resolve_embedding`).
    min_topic_size, n_topics, max_topics, keep_outliers
        Passed to :class:`~trendkit.cluster.ThemeClusterer`.
    themes : dict of str to list of str, optional
        Declared themes: name -> seed phrases. Documents whose cosine similarity
        to a theme's phrases reaches ``theme_threshold`` get it; the rest are
        clustered freely and numbered after the declared ones.
    theme_threshold : float, default 0.3
    cache : None, path, Cache or False
        Where embeddings and cluster fits are reused (see :mod:`trendkit.cache`).
    use_cache : bool, default True
        ``False`` is the same as ``cache=False`` (kept for older code).
    random_state : int, default 0

    Attributes
    ----------
    embedding_ : str or Embedder
        The backend (what ``"auto"`` chose for the fitted texts); :meth:`predict` embeds
        new texts with it. Given ``embeddings`` at fit time, the caller picks the space.
    embeddings_ : ndarray (n_docs, dim)
    labels_ : ndarray (n_docs,)
        Theme id per document (0 = largest; -1 only with ``keep_outliers``).
    topics_ : pandas.DataFrame
        ``topic_id, topic_label, n_docs, share, top_terms, representative_titles``.
    clusterer_ : ThemeClusterer
        Fitted on the documents not taken by a declared theme.
    fit_rows_ : ndarray
        Rows (of the fitted documents) the clusterer's density model saw.
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
    >>> model = TopicModel(cache=False).fit(corpus["abstract"], titles=corpus["title"])
    >>> len(model.labels_) == len(corpus), int(model.topics_["n_docs"].sum()) == len(corpus)
    (True, True)
    """

    def __init__(self, embedding=DEFAULT_EMBEDDING, min_topic_size=None, n_topics=None,
                 max_topics=None, keep_outliers=False, themes=None, theme_threshold=0.3,
                 max_subtopics=None, cache=None, use_cache=True, random_state=0):
        self.embedding = embedding
        self.min_topic_size = min_topic_size
        self.n_topics = n_topics
        self.max_topics = max_topics
        self.keep_outliers = keep_outliers
        self.themes = themes
        self.theme_threshold = theme_threshold
        self.max_subtopics = max_subtopics
        self.cache = cache
        self.use_cache = use_cache
        self.random_state = random_state

    def _cache(self):
        return as_cache(self.cache if self.use_cache else False)

    def fit(self, texts, y=None, *, titles=None, dates=None, embeddings=None, embedder=None,
            progress=None):
        """Fit on texts (abstracts); ``titles`` improve labels and examples.

        ``embeddings`` (and the fitted ``embedder`` that made them, needed for
        declared ``themes``) skip the embedding step. ``dates`` let the number of
        sub-themes grow with the time span (see :func:`auto_max_subtopics`).
        """
        texts = [str(t) for t in texts]
        titles = [str(t) for t in titles] if titles is not None else [""] * len(texts)
        documents = document_texts(titles, texts)
        # "auto" picks a backend for these documents; predict embeds new ones with the same
        backend = resolve_embedding(self.embedding, documents)[0]
        if embeddings is None or (self.themes and embedder is None):
            embedder, embeddings = embed_texts(documents, backend, random_state=self.random_state,
                                         cache=self._cache(), progress=progress,
                                         return_embedder=True)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        declared = (self._declared(embedder, embeddings) if self.themes
                    else np.full(len(texts), OUTLIER))
        free = np.flatnonzero(declared == OUTLIER)
        if len(free) == 0:
            raise TrendkitError(f"every document matched a declared theme (cosine >= "
                                f"{self.theme_threshold}); raise --theme-threshold so the "
                                f"others can be clustered")
        # Free documents that all share their words are one theme: a split would cut noise.
        homogeneous = common_word_share([documents[i] for i in free]) >= HOMOGENEOUS_TEXT
        per_parent = (self.max_subtopics if self.max_subtopics is not None
                      else auto_max_subtopics(dates))
        years = (None if dates is None else
                 _fractional_years(pd.Series(pd.to_datetime(pd.Series(dates),
                                                            errors="coerce")).iloc[free]))
        clusterer = self._fit_clusterer(embeddings[free], 1 if homogeneous else self.n_topics,
                                        0 if homogeneous else per_parent, years)
        labels, subs = declared.copy(), declared.copy()
        # Free themes are numbered after the declared ones (which keep the file's order).
        n_declared = len(self.themes or {})

        def shifted(found):
            return np.where(found == OUTLIER, OUTLIER, found + n_declared)

        labels[free], subs[free] = shifted(clusterer.labels_), shifted(clusterer.sub_labels_)
        ids = np.array(sorted(set(labels.tolist()) - {OUTLIER}))
        outliers = np.zeros(len(texts), bool)
        outliers[free] = clusterer.outliers_
        self.embedding_ = backend  # set with the rest: a failed fit leaves nothing fitted
        self.embeddings_ = embeddings
        self.labels_ = labels
        self.clusterer_ = clusterer
        self.fit_rows_ = free[clusterer.fit_index_]
        self.topic_ids_ = ids
        self.centroids_ = centroids(embeddings, labels, ids)
        self.declared_share_ = 1 - len(free) / max(len(texts), 1)
        self.outlier_share_ = clusterer.outlier_share_ * len(free) / max(len(texts), 1)
        self.outliers_ = outliers
        self.sub_labels_ = subs
        self.sub_ids_ = clusterer.sub_ids_ + n_declared
        self.sub_parents_ = clusterer.sub_parents_ + n_declared
        self.sub_centroids_ = clusterer.sub_centroids_
        self.topics_ = self._describe(documents, titles)
        return self

    def resolution_note(self) -> str | None:
        """What ``n_topics`` gave when it is not what was asked for, in one line."""
        asked, made = self.n_topics, int((self.topic_ids_ >= 0).sum())
        if not asked or asked == made:
            return None
        found = int(self.clusterer_.n_found_)
        return (f"--n-topics {asked}: made {made} themes; the finest grouping of these "
                f"{len(self.labels_):,} documents that density finds has {found}, and "
                "themes are not cut below it")

    def _declared(self, embedder, embeddings: np.ndarray) -> np.ndarray:
        """Theme index of each document close enough to a declared theme, else -1."""
        seeds = np.vstack([normalize(embedder.transform(phrases).mean(axis=0, keepdims=True))
                           for phrases in self.themes.values()])
        if embedder.match_centred:
            # The distilled table's rows share one mean direction (two unrelated abstracts:
            # cosine ~0.4). Measured from the corpus's mean, theme_threshold means what it
            # means for LSA (demo corpus at 0.3: MoE 99 % pure, 99 % found).
            mean = embeddings.mean(axis=0)
            embeddings, seeds = normalize(embeddings - mean), normalize(seeds - mean)
        best, similarity = nearest_centroid(embeddings, seeds, return_similarity=True)
        return np.where(similarity >= self.theme_threshold, best, OUTLIER)

    def _fit_clusterer(self, X: np.ndarray, n_topics: int | None, max_subtopics: int,
                       times: np.ndarray | None = None) -> ThemeClusterer:
        """Fit the clusterer, or restore it from the cache for identical input."""
        clusterer = ThemeClusterer(
            min_topic_size=self.min_topic_size, n_topics=n_topics,
            max_topics=self.max_topics, keep_outliers=self.keep_outliers,
            max_subtopics=max_subtopics, random_state=self.random_state)
        cache = self._cache()
        if cache is None:
            return clusterer.fit(X, times=times)
        params = repr(sorted(clusterer.get_params().items()))
        when = b"" if times is None else np.asarray(times, np.float64).tobytes()
        path = cache.path("clusters", cache.key(X.tobytes(), when, params), ".npz")
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as saved:
                    return clusterer.set_fitted(saved)
            except (OSError, ValueError, KeyError):
                pass  # damaged entry: fit afresh
        clusterer.fit(X, times=times)
        atomic_write(path, lambda f: np.savez(f, **clusterer.fitted_arrays()))
        return clusterer

    def fit_predict(self, texts, y=None, **kwargs):
        return self.fit(texts, **kwargs).labels_

    def predict(self, texts=None, *, titles=None, embeddings=None):
        """Put new documents into the fitted themes (nearest centroid), declared ones included.

        New texts are embedded with ``embedding_`` (what ``"auto"`` chose at fit time),
        which must be a per-document backend, or passed as ``embeddings`` in the fitted
        space; LSA (``"auto"``'s choice for a corpus the distilled table knows little of)
        is refitted per corpus, so for LSA use ``trendkit.workflows.assign`` with a saved
        run instead.
        """
        check_is_fitted(self)
        if embeddings is None:
            titles = titles if titles is not None else [""] * len(texts)
            embeddings = embed_texts(document_texts(titles, texts), self.embedding_,
                               random_state=self.random_state, cache=self._cache())
        return nearest_centroid(normalize(np.asarray(embeddings, dtype=np.float32)),
                                self.centroids_, self.topic_ids_)

    def document_map(self) -> np.ndarray:
        """2-D coordinates per fitted document without another UMAP run (NaN where unmapped).

        The clustering already placed the documents it was fitted on in a few
        UMAP dimensions; their first two principal components make the map.
        Small corpora, clustered without UMAP, are projected from their
        embeddings directly. Declared-theme documents and those outside the
        clustering sample are left out.
        """
        from sklearn.decomposition import PCA

        check_is_fitted(self)
        coords = np.full((len(self.labels_), 2), np.nan)
        reduced = self.clusterer_.reduced_
        source = reduced if reduced is not None else self.embeddings_[self.fit_rows_]
        if len(source) >= 3 and source.shape[1] >= 2:
            # Near-identical documents leave no variance: scikit-learn's unused explained-
            # variance ratio would divide by zero and warn under the CLI's output.
            with np.errstate(divide="ignore", invalid="ignore"):
                coords[self.fit_rows_] = PCA(n_components=2, random_state=0).fit_transform(source)
        return coords

    def _describe(self, documents: list[str], titles: list[str]) -> pd.DataFrame:
        """Theme rows, then sub-theme rows (``parent_id`` set), each named and flagged."""
        tables, theme_names = [], {}
        for labels, parents in ((self.labels_, {}),
                                (self.sub_labels_, dict(zip(self.sub_ids_, self.sub_parents_)))):
            if labels is self.sub_labels_ and not parents:
                break
            # a sub-theme is named among its siblings, and never as its theme is
            names = name_topics(documents, labels, random_state=self.random_state,
                                parents=parents or None, parent_names=theme_names)
            names.loc[names["topic_id"] == OUTLIER, ["topic_label", "topic_name"]] = OUTLIER_LABEL
            if not parents:  # declared themes are named by the user
                for index, name in enumerate(self.themes or {}):
                    names.loc[names["topic_id"] == index, ["topic_label", "topic_name"]] = name
            theme_names = dict(zip(names["topic_id"], names["topic_name"]))
            flags = mixed_flags(self.embeddings_, labels, names["topic_id"], documents,
                                names["top_terms"], random_state=self.random_state)
            rows = topic_rows(labels, titles, documents, names, vectors=self.embeddings_,
                              mixed=dict(zip(names["topic_id"], flags)))
            rows["outlier_share"] = [float(self.outliers_[labels == t].mean())
                                     if (labels == t).any() else 0.0 for t in rows["topic_id"]]
            if parents:  # sub-themes only: a theme not split is its own finest level
                rows = rows[rows["topic_id"].isin(parents)]
                rows = rows.assign(parent_id=rows["topic_id"].map(parents))
            tables.append(rows)
        return pd.concat(tables, ignore_index=True).reindex(columns=TOPIC_COLUMNS)


def auto_max_subtopics(dates) -> int:
    """Most sub-themes per theme: more for a longer span (a field's eras), 3 to 6.

    Examples
    --------
    >>> [auto_max_subtopics(pd.Series(pd.to_datetime([a, b]))) for a, b in
    ...  [("2025-01-01", "2026-06-30"), ("2000-01-01", "2023-12-31")]]
    [3, 6]
    >>> auto_max_subtopics(None)
    3
    """
    dates = pd.to_datetime(pd.Series(dates), errors="coerce").dropna() if dates is not None \
        else pd.Series(dtype="datetime64[ns]")
    years = (dates.max() - dates.min()).days / 365.25 if len(dates) else 0.0
    return int(np.clip(2 + round(years / 6), 3, 6))


def _fractional_years(dates: pd.Series) -> np.ndarray | None:
    """Dates as years with a fraction (missing: the mean); None when none is known."""
    if dates.notna().sum() == 0:
        return None
    years = (dates.dt.year + (dates.dt.dayofyear - 1) / 366).astype(float)
    return years.fillna(years.mean()).to_numpy()
