"""Stage 3 — cluster: embeddings to theme ids, every document assigned.

:class:`ThemeClusterer` follows the scikit-learn estimator contract. It runs
UMAP + HDBSCAN (the BERTopic recipe) with defaults that adapt to corpus size,
then makes the result usable:

- large corpora are fitted on a seeded sample and the rest assigned to the
  nearest theme centroid (fast, and assignment is what users need anyway);
- HDBSCAN's outliers are reassigned to their nearest theme (the share that
  were outliers is kept in ``outlier_share_``) unless ``keep_outliers``;
- too many themes are merged hierarchically (average linkage on centroid
  cosine distance) down to ``n_topics`` or the automatic ceiling; too few for
  ``n_topics`` are split from density's finer leaves;
- a catch-all theme (over a third of the documents) is clustered again on its
  own and split into the parts density finds there that stand apart like themes,
  within the same ceiling (parts past it are merged back by the same linkage);
- very small corpora (< ``small_corpus``) use Ward clustering, the number of
  themes chosen by silhouette; a corpus in one tight cone is one theme.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted, validate_data

from ..sampling import sample_rows
from . import density
from .centroids import OUTLIER, centroids, nearest_centroid
from .levels import children_of, split_to, sub_themes
from .merge import (
    absorb_small,
    auto_max_topics,
    merge_to,
    renumber_by_size,
    split_broad,
    ward_by_silhouette,
)

HOMOGENEOUS = 0.9  # every document this close to the mean direction: one theme, a split cuts noise


class Clusters(NamedTuple):
    """What :func:`theme_clusters` found (the fitted state of :class:`ThemeClusterer`)."""

    labels: np.ndarray  # theme id per row, 0 = largest
    centroids: np.ndarray  # unit-length mean row per theme, in id order
    fit_index: np.ndarray  # rows the density model was fitted on
    reduced: np.ndarray | None  # UMAP coordinates of those rows (None without UMAP)
    n_raw_topics: int  # themes before merging
    outlier_share: float  # share of fitted rows HDBSCAN called outliers
    outliers: np.ndarray  # per row: HDBSCAN called it an outlier (False outside the sample)
    sub_labels: np.ndarray  # sub-theme id per row (the theme's own id where it has none)
    sub_ids: np.ndarray  # sub-theme ids, in id order
    sub_parents: np.ndarray  # the theme of each sub-theme
    sub_centroids: np.ndarray  # unit-length mean row per sub-theme
    n_found: int  # with n_topics above what density finds: the most groups it found


def theme_clusters(X, *, min_topic_size=None, n_topics=None, max_topics=None,
                   keep_outliers=False, n_components=5, n_neighbors=15, sample_size=12000,
                   small_corpus=300, max_subtopics=4, random_state=0, times=None) -> Clusters:
    """Cluster rows into themes: sample → (Ward | UMAP + HDBSCAN) → reassign → merge or split
    → extend; then sub-themes inside each theme (:mod:`trendkit.cluster.levels`).

    Parameters are those of :class:`ThemeClusterer`; ``times`` (a number per row, e.g.
    fractional years) lets sub-themes follow eras.
    """
    X = normalize(np.asarray(X, dtype=np.float32))
    n = X.shape[0]
    if n < 2:
        labels = np.zeros(n, dtype=int)
        return Clusters(labels, X.copy(), np.arange(n), None, n, 0.0, np.zeros(n, bool),
                        labels, np.zeros(0, int), np.zeros(0, int), X[:0].copy(), n)
    fit_index = sample_rows(n, sample_size, random_state)
    fit_vectors = X[fit_index]
    reduced = None
    if (fit_vectors @ normalize(fit_vectors.mean(axis=0, keepdims=True))[0]).min() >= HOMOGENEOUS:
        raw = np.zeros(len(fit_index), dtype=int)  # one tight cone of documents: one theme
    elif len(fit_index) < small_corpus:
        raw = ward_by_silhouette(fit_vectors, n_topics, max_topics)
    else:
        raw, reduced = density.umap_hdbscan(fit_vectors, n, min_topic_size, n_components,
                                            n_neighbors, random_state)
        if len(set(raw) - {OUTLIER}) < 2:  # density found nothing useful
            raw = ward_by_silhouette(fit_vectors, n_topics, max_topics)

    labels = raw.copy()
    ids = np.array(sorted(set(raw) - {OUTLIER}))
    if len(ids) == 0:  # no structure at all: one theme
        labels[:] = 0
        ids = np.array([0])
    if not keep_outliers and (labels == OUTLIER).any():
        outliers = labels == OUTLIER
        labels[outliers] = nearest_centroid(fit_vectors[outliers],
                                            centroids(fit_vectors, labels, ids), ids)
    ceiling = n_topics or max_topics or auto_max_topics(n)
    size = density.sample_min_size(min_topic_size, len(fit_index), n)
    found = len(ids)
    if n_topics and reduced is not None and len(ids) < n_topics:  # finer than density's pick
        labels, ids, found = split_to(fit_vectors, reduced, n_topics, size)
    labels, ids = merge_to(fit_vectors, labels, ids, ceiling)
    if reduced is not None and not n_topics:  # the parts of a catch-all bin, still capped
        labels, ids = merge_to(fit_vectors, *split_broad(
            fit_vectors, labels, ids, size, n_components, n_neighbors, random_state), ceiling)
    if not n_topics:  # no theme of one paper, unless the user asked for that many themes
        labels, ids = absorb_small(fit_vectors, labels, ids)

    full = np.empty(n, dtype=int)
    full[fit_index] = labels
    rest = np.setdiff1d(np.arange(n), fit_index)
    if len(rest):  # documents outside the sample go to the nearest theme
        full[rest] = nearest_centroid(X[rest], centroids(fit_vectors, labels, ids), ids)
    full = renumber_by_size(full)
    real = np.array(sorted(set(full) - {OUTLIER}))
    outliers = np.zeros(n, bool)
    outliers[fit_index] = raw == OUTLIER
    subs = sub_themes(fit_vectors, full[fit_index], reduced, max(5, size // 2), max_subtopics,
                      first_id=int(real.max()) + 1 if len(real) else 0,
                      times=None if times is None else np.asarray(times, float)[fit_index])
    sub_ids = np.array(sorted(subs.parents), dtype=int)
    sub_parents = np.array([subs.parents[i] for i in sub_ids], dtype=int)
    sub_centroids = (centroids(fit_vectors, subs.labels, sub_ids) if len(sub_ids)
                     else X[:0].copy())
    sub_full = full.copy()
    sub_full[fit_index] = subs.labels
    if len(rest):  # the rest join the nearest sub-theme of their theme
        sub_full[rest] = children_of(X[rest], full[rest], sub_centroids, sub_ids, sub_parents)
    return Clusters(full, centroids(X, full, real), fit_index, reduced,
                    len(set(raw) - {OUTLIER}), float(np.mean(raw == OUTLIER)), outliers,
                    sub_full, sub_ids, sub_parents, sub_centroids, found)


class ThemeClusterer(ClusterMixin, BaseEstimator):
    """Cluster document embeddings into themes without dropping documents.

    Parameters
    ----------
    min_topic_size : int, optional
        HDBSCAN ``min_cluster_size``; default :func:`auto_min_topic_size`.
    n_topics : int, optional
        Exactly this many themes: merged down by average linkage, or, when density
        finds fewer, split from its finer leaves (:func:`~trendkit.cluster.levels.split_to`;
        ``n_found_`` tells when even the finest leaves give fewer).
    max_topics : int, optional
        Automatic ceiling when ``n_topics`` is not set; default :func:`auto_max_topics`.
    keep_outliers : bool, default False
        Keep HDBSCAN outliers as theme ``-1`` instead of reassigning them.
    n_components : int, default 5
        UMAP output dimensions.
    n_neighbors : int, default 15
    sample_size : int, default 12000
        Fit on at most this many documents; the rest go to the nearest centroid.
    small_corpus : int, default 300
        Below this many documents use Ward + silhouette instead of HDBSCAN.
    max_subtopics : int, default 4
        Most sub-themes per theme (density's leaves inside it; 0 or 1: none).
    random_state : int, default 0

    Attributes
    ----------
    labels_ : ndarray of shape (n_docs,)
        Theme id per document, 0 = largest theme (-1 only with ``keep_outliers``).
    centroids_ : ndarray of shape (n_topics_, n_features)
        Unit-length mean embedding per theme, in theme-id order.
    topic_ids_ : ndarray
        The theme ids present in ``labels_`` (with -1 when outliers are kept).
    n_topics_ : int
    outlier_share_ : float
        Share of the fitted documents HDBSCAN called outliers before reassignment.
    n_raw_topics_ : int
        Themes found before merging.
    fit_index_ : ndarray
        Rows the model was fitted on (all, or the seeded sample).
    reduced_ : ndarray or None
        UMAP coordinates of the fitted rows (None for the small-corpus path).
    outliers_ : ndarray of bool
        Rows HDBSCAN called outliers before they were reassigned.
    sub_labels_ : ndarray
        Sub-theme id per row; a theme's own id where it has no sub-themes.
    sub_ids_, sub_parents_ : ndarray
        Sub-theme ids and the theme of each.
    sub_centroids_ : ndarray
        Unit-length mean embedding per sub-theme.
    n_found_ : int
        Groups density found at the finest level tried (fewer than ``n_topics`` when it
        cannot make that many).

    Examples
    --------
    >>> X = np.vstack([np.random.default_rng(0).normal(c, 0.05, (30, 8)) for c in np.eye(8)[:6]])
    >>> model = ThemeClusterer(random_state=0).fit(X)
    >>> model.n_topics_, len(model.labels_)
    (6, 180)
    """

    FITTED = ("labels_", "centroids_", "n_topics_", "outlier_share_", "n_raw_topics_",
              "fit_index_", "reduced_", "topic_ids_", "n_features_in_", "outliers_",
              "sub_labels_", "sub_ids_", "sub_parents_", "sub_centroids_", "n_found_")

    def __init__(self, min_topic_size=None, n_topics=None, max_topics=None, keep_outliers=False,
                 n_components=5, n_neighbors=15, sample_size=12000, small_corpus=300,
                 max_subtopics=4, random_state=0):
        self.min_topic_size = min_topic_size
        self.n_topics = n_topics
        self.max_topics = max_topics
        self.keep_outliers = keep_outliers
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.sample_size = sample_size
        self.small_corpus = small_corpus
        self.max_subtopics = max_subtopics
        self.random_state = random_state

    def fit(self, X, y=None, times=None):
        """Cluster the rows of ``X`` (embeddings); every fitted attribute is set here.

        ``times`` (a number per row, e.g. fractional years) lets sub-themes follow eras.
        """
        X = validate_data(self, X, dtype=[np.float32, np.float64])  # sets n_features_in_
        found = theme_clusters(X, **self.get_params(), times=times)
        self.labels_ = found.labels
        self.centroids_ = found.centroids
        self.topic_ids_ = np.array(sorted(set(found.labels.tolist())), dtype=int)
        self.n_topics_ = len(found.centroids)
        self.outlier_share_ = found.outlier_share
        self.n_raw_topics_ = found.n_raw_topics
        self.fit_index_ = found.fit_index
        self.reduced_ = found.reduced
        self.outliers_ = found.outliers
        self.sub_labels_ = found.sub_labels
        self.sub_ids_ = found.sub_ids
        self.sub_parents_ = found.sub_parents
        self.sub_centroids_ = found.sub_centroids
        self.n_found_ = found.n_found
        return self

    def fitted_arrays(self) -> dict[str, np.ndarray]:
        """Fitted state as plain arrays, to save with ``np.savez`` (no pickling)."""
        check_is_fitted(self)
        return {name: np.asarray(getattr(self, name) if getattr(self, name) is not None
                                 else np.empty((0, 0), np.float32)) for name in self.FITTED}

    def set_fitted(self, arrays) -> "ThemeClusterer":
        """Restore the state saved by :meth:`fitted_arrays`."""
        for name in self.FITTED:
            value = np.asarray(arrays[name])
            setattr(self, name, value.item() if value.ndim == 0 else value)
        if self.reduced_ is not None and self.reduced_.size == 0:
            self.reduced_ = None
        return self

    def predict(self, X):
        """Nearest theme centroid (cosine) for new embeddings."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float32, np.float64], reset=False)
        real = self.topic_ids_[self.topic_ids_ != OUTLIER]
        return nearest_centroid(normalize(X.astype(np.float32)), self.centroids_, real)
