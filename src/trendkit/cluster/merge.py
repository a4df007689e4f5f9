"""Shaping the density result into themes: merge to a ceiling, split a catch-all, renumber.

Every step works on theme centroids (average linkage on cosine distance), so
it is cheap whatever the corpus size. Small corpora, too small for density,
get Ward clustering with the number of themes chosen by silhouette.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import silhouette_score

from . import density
from .centroids import OUTLIER, centroids, nearest_centroid

# A theme holding this share of the corpus is a catch-all, not a theme: MiniLM-like vectors
# (and minilm-map's, whose mapped rows crowd the centre) sometimes leave one with 30-55 %.
BROAD_SHARE = 1 / 3


def split_broad(X, labels, ids, size, n_components, n_neighbors, random_state):
    """Cluster a catch-all theme's own documents again; keep the parts density finds there.

    Seen from the whole corpus the bin is one dense region; on its own, UMAP spreads it and
    HDBSCAN finds its sub-themes if any. Its outliers go to the nearest part.
    """
    labels = labels.copy()
    if len(ids) < 2:  # asked for one theme (max_topics=1), or nothing to measure parts by
        return labels, ids
    # UMAP + HDBSCAN find "parts" even in one round blob (cosine distance 0.01 between
    # them); a part must stand at least half as far from its siblings as the two closest
    # themes of the first pass stand from each other. Real bins' parts did (arXiv under
    # minilm-map: 0.06-0.11 against 0.06; AAAI under MiniLM: 0.16-0.18 against 0.29).
    closest = closest_pair(X, labels, ids)
    for topic in ids:
        members = np.flatnonzero(labels == topic)
        if len(members) < max(BROAD_SHARE * len(labels), 4 * size):
            continue
        parts, _ = density.umap_hdbscan(X[members], len(members), size, n_components, n_neighbors,
                                 random_state)
        found = np.array(sorted(set(parts) - {OUTLIER}))
        if len(found) < 2:
            continue
        lost = parts == OUTLIER
        parts[lost] = nearest_centroid(X[members[lost]], centroids(X[members], parts, found),
                                       found)
        parts = join_close(X[members], parts, found, closest)
        found = np.array(sorted(set(parts)))
        if len(found) < 2:
            continue
        new_ids = {p: topic if i == 0 else labels.max() + i for i, p in enumerate(found)}
        labels[members] = [new_ids[p] for p in parts]
    return labels, np.array(sorted(set(labels) - {OUTLIER}))


def closest_pair(X, labels, ids) -> float:
    """Cosine similarity of the two most similar theme centroids (two or more themes)."""
    means = centroids(X, labels, ids)
    return float((means @ means.T - 2 * np.eye(len(ids))).max())  # the diagonal never wins


def join_close(X, parts, found, closest: float, factor: float = 0.5) -> np.ndarray:
    """Merge parts closer than ``factor`` × the distance ``1 - closest`` (average linkage,
    cosine)."""
    groups = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=max(factor * (1 - closest), 1e-9)
                                     ).fit_predict(centroids(X, parts, found))
    first = {g: found[groups == g][0] for g in set(groups.tolist())}  # a group keeps one id
    mapping = dict(zip(found.tolist(), (first[g] for g in groups.tolist())))
    return np.array([mapping[p] for p in parts.tolist()])


def ward_by_silhouette(X: np.ndarray, n_topics=None, max_topics=None) -> np.ndarray:
    n = X.shape[0]
    if n_topics:
        return AgglomerativeClustering(n_clusters=min(n_topics, n), linkage="ward").fit_predict(X)
    if n < 4:  # silhouette needs 2 <= k <= n - 1: too few documents to split
        return np.zeros(n, dtype=int)
    low = max(2, min(5, n // 10))
    high = max(low, min(max_topics or auto_max_topics(n), n // 4))
    best, best_score = None, -np.inf
    for k in range(low, min(high, n - 1) + 1):
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(X, labels, metric="cosine")
        if score > best_score + 1e-9:
            best, best_score = labels, score
    return best if best is not None else np.zeros(n, dtype=int)


def merge_to(X, labels, ids, target):
    """Average-linkage merging of theme centroids down to ``target`` themes."""
    if len(ids) <= target:
        return labels, ids
    groups = AgglomerativeClustering(n_clusters=target, metric="cosine", linkage="average"
                                     ).fit_predict(centroids(X, labels, ids))
    mapping = dict(zip(ids.tolist(), groups.tolist()))
    mapping[OUTLIER] = OUTLIER
    return np.array([mapping[v] for v in labels]), np.array(sorted(set(groups)))


MIN_THEME_DOCS = 2  # a theme of one paper is a paper, not a theme


def absorb_small(X, labels, ids, least: int = MIN_THEME_DOCS):
    """Themes of fewer than ``least`` documents joined to the theme nearest them.

    Ward on a small corpus (and a merge ceiling) can leave a paper alone; a reader wants
    it in the theme it is closest to, named with the rest, not a "theme" of one.

    Examples
    --------
    >>> X = np.array([[1.0, 0], [0.9, 0.1], [0, 1.0], [0.1, 0.9], [0.6, 0.4]])
    >>> absorb_small(X, np.array([0, 0, 1, 1, 2]), np.array([0, 1, 2]))[0].tolist()
    [0, 0, 1, 1, 0]
    """
    labels = labels.copy()
    sizes = {t: int((labels == t).sum()) for t in ids}
    small = [t for t in ids if sizes[t] < least]
    kept = np.array([t for t in ids if sizes[t] >= least])
    if not small or not len(kept):
        return labels, ids
    rows = np.flatnonzero(np.isin(labels, small))
    labels[rows] = nearest_centroid(X[rows], centroids(X, labels, kept), kept)
    return labels, kept


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    ids, counts = np.unique(labels[labels != OUTLIER], return_counts=True)
    order = ids[np.lexsort((ids, -counts))]  # largest first, ties by old id
    mapping = {old: new for new, old in enumerate(order.tolist())}
    mapping[OUTLIER] = OUTLIER
    return np.array([mapping[v] for v in labels], dtype=int)


def auto_max_topics(n_docs: int) -> int:
    """Ceiling on the number of themes: readable in one report.

    Examples
    --------
    >>> [auto_max_topics(n) for n in (57, 2_000, 20_000, 75_000)]
    [12, 20, 29, 30]
    """
    return int(min(30, max(12, round(2.6 * math.log10(n_docs) ** 1.6 + 2))))
