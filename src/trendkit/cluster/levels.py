"""Finer than the themes: a number of themes asked for, and sub-themes under each theme.

Both come from the same place: the leaves of HDBSCAN's cluster tree on the UMAP
coordinates the themes were found in. Where density's own selection ("excess of
mass") keeps one big cluster, its leaves are the finer groups inside it.

- :func:`split_to` serves ``--n-topics N`` above the natural count: leaves, found with
  smaller and smaller minimum sizes until there are at least N, merged down to exactly N
  by the same average linkage that merges themes.
- :func:`sub_themes` finds, inside each theme, the leaves that are its sub-themes (a
  GANs sub-theme in a deep-learning theme, analog VLSI in a hardware theme), at most
  ``per_parent`` of them; a theme whose documents form one group has none.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .centroids import OUTLIER, centroids, nearest_centroid
from .merge import closest_pair, join_close, merge_to


def _leaves(reduced: np.ndarray, size: int) -> np.ndarray:
    """Leaf clusters of HDBSCAN's tree (outliers -1)."""
    import hdbscan

    if len(reduced) < 2 * size:
        return np.full(len(reduced), OUTLIER)
    return hdbscan.HDBSCAN(min_cluster_size=max(2, size), cluster_selection_method="leaf",
                           core_dist_n_jobs=1).fit_predict(reduced)


def _absorb_outliers(X: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Outliers to their nearest group's centroid; ``(labels, ids)``."""
    ids = np.array(sorted(set(labels.tolist()) - {OUTLIER}))
    lost = labels == OUTLIER
    if lost.any() and len(ids):
        labels = labels.copy()
        labels[lost] = nearest_centroid(X[lost], centroids(X, labels, ids), ids)
    return labels, ids


def split_to(X: np.ndarray, reduced: np.ndarray, target: int,
             size: int) -> tuple[np.ndarray, np.ndarray, int]:
    """``target`` groups of the rows of ``X`` from density's leaves (``(labels, ids, found)``).

    Smaller leaves are tried (``size``, halved down to 3) until there are at least
    ``target``; ``found`` is how many the finest try gave, when that is fewer.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(c, 0.05, (40, 6)) for c in np.eye(6)])
    >>> labels, ids, found = split_to(X, X, 6, 20)
    >>> len(ids), found >= 6
    (6, True)
    """
    best_labels, best_ids = None, np.array([], dtype=int)
    while True:
        labels, ids = _absorb_outliers(X, _leaves(reduced, size))
        if len(ids) > len(best_ids):
            best_labels, best_ids = labels, ids
        if len(best_ids) >= target or size <= 3:
            break
        size = max(3, size // 2)
    if best_labels is None:
        return np.zeros(len(X), int), np.array([0]), 1
    found = len(best_ids)
    labels, ids = merge_to(X, best_labels, best_ids, target)
    return labels, ids, found


# Weight of time beside the UMAP coordinates when sub-themes are found (1: one standard
# deviation of dates counts as much as an average spread of a UMAP coordinate). On the
# robotics corpus 1 and 2 found era-separated groups of 4 themes (user interfaces 2010 vs
# 2018, swarms 2013 vs 2021, SLAM 2011 vs 2017...), 0.5 only 2 of them.
TIME_WEIGHT = 1.5


class SubThemes(NamedTuple):
    """Sub-themes of every theme (see :func:`sub_themes`)."""

    labels: np.ndarray  # sub-theme id per fitted row; the theme's own id where it has none
    parents: dict  # sub-theme id -> theme id (only for themes split into sub-themes)


def sub_themes(X: np.ndarray, labels: np.ndarray, reduced: np.ndarray | None, size: int,
               per_parent: int, first_id: int, times: np.ndarray | None = None) -> SubThemes:
    """Split each theme into the density leaves inside it (at most ``per_parent``).

    Leaves are found on the theme's own UMAP coordinates with minimum size ``size``;
    outliers join the nearest leaf. Leaves closer to each other than a quarter of the
    distance between the two closest themes are one sub-theme (density cuts any blob
    into leaves: on the demo corpus, whose themes have no inner structure, leaves sat
    at cosine distance 0.02–0.04 with themes 0.84 apart; on AAAI-2022, 0.18–0.44 with
    themes 0.35 apart); more than ``per_parent`` are merged by average linkage.
    Sub-theme ids start at ``first_id``, theme by theme, largest first.

    With ``times`` (a number per row, e.g. fractional years) the leaves are found on
    the UMAP coordinates and time together (:data:`TIME_WEIGHT`), so a theme whose
    documents fall into textually distinct groups from different eras is split by era:
    the groups of a lineage (:mod:`trendkit.trend.lineage`). Groups apart in time only,
    not in text, are joined again by the distance rule above.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(c, 0.05, (40, 6)) for c in np.eye(6)])
    >>> subs = sub_themes(X, np.repeat([0, 0, 0, 1, 1, 1], 40), X, 20, 4, first_id=2)
    >>> sorted(subs.parents.items())
    [(2, 0), (3, 0), (4, 0), (5, 1), (6, 1), (7, 1)]
    """
    out = labels.copy()
    parents: dict = {}
    if reduced is None or per_parent < 2:
        return SubThemes(out, parents)
    themes = np.array(sorted(set(labels.tolist()) - {OUTLIER}))
    if len(themes) < 2:  # nothing to measure "apart" by
        return SubThemes(out, parents)
    closest = closest_pair(X, labels, themes)
    next_id = first_id
    features = reduced
    if times is not None and np.nanstd(times) > 0:
        spread = float(reduced.std(axis=0).mean())
        scaled = (times - np.nanmean(times)) / np.nanstd(times)
        features = np.column_stack([reduced, TIME_WEIGHT * spread * np.nan_to_num(scaled)])
    for parent in themes:
        members = np.flatnonzero(labels == parent)
        leaves, ids = _absorb_outliers(X[members], _leaves(features[members], size))
        if len(ids) < 2:
            continue
        leaves = join_close(X[members], leaves, ids, closest, factor=0.25)
        ids = np.array(sorted(set(leaves.tolist())))
        if len(ids) < 2:
            continue
        leaves, ids = merge_to(X[members], leaves, ids, per_parent)
        sizes = {i: int((leaves == i).sum()) for i in ids}
        for leaf in sorted(ids, key=lambda i: (-sizes[i], i)):
            out[members[leaves == leaf]] = next_id
            parents[next_id] = int(parent)
            next_id += 1
    return SubThemes(out, parents)


def children_of(X: np.ndarray, parents_of_rows: np.ndarray, sub_centroids: np.ndarray,
                sub_ids: np.ndarray, sub_parents: np.ndarray) -> np.ndarray:
    """Each row's nearest sub-theme *within its theme*; the theme itself where it has none.

    Examples
    --------
    >>> C = np.array([[1.0, 0], [0, 1], [0.6, 0.8]])
    >>> children_of(np.array([[0.1, 1.0], [0.0, 1.0]]), np.array([0, 5]), C,
    ...             np.array([10, 11, 12]), np.array([0, 0, 1])).tolist()
    [11, 5]
    """
    out = np.asarray(parents_of_rows).copy()
    if len(sub_ids) == 0:
        return out
    sims = np.asarray(X, dtype=np.float32) @ np.asarray(sub_centroids, dtype=np.float32).T
    allowed = np.asarray(parents_of_rows)[:, None] == np.asarray(sub_parents)[None, :]
    sims = np.where(allowed, sims, -np.inf)
    has = allowed.any(axis=1)
    out[has] = np.asarray(sub_ids)[np.argmax(sims[has], axis=1)]
    return out
