"""UMAP + HDBSCAN, the density half of stage 3 (the BERTopic recipe), made cheap to start.

:func:`cosine_knn` hands UMAP exact neighbours (no pynndescent JIT), and
:func:`keep_umap_compiled` lets numba keep UMAP's kernels on disk, so a small corpus does
not pay seconds of compilation in every process. :mod:`trendkit.cluster` decides when
this path runs and what happens to its outliers.
"""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager

import numpy as np

from .centroids import OUTLIER


def auto_min_topic_size(n_docs: int) -> int:
    """HDBSCAN's ``min_cluster_size`` for a corpus of ``n_docs``.

    Examples
    --------
    >>> [auto_min_topic_size(n) for n in (57, 2_000, 20_000, 75_000)]
    [4, 22, 71, 137]
    """
    return max(3, int(round(math.sqrt(n_docs) / 2)))


def cosine_knn(X: np.ndarray, k: int, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours by cosine distance (rows of ``X`` unit length).

    A chunked matrix product: for the ≤12k documents UMAP is fitted on this is
    faster than building an approximate index, and it spares UMAP's per-process
    JIT compilation of pynndescent (~25 s on 2 cores).

    Examples
    --------
    >>> from sklearn.preprocessing import normalize
    >>> X = normalize(np.array([[1, 0], [0.9, 0.1], [0, 1.0]]))
    >>> cosine_knn(X, 2)[0].tolist()
    [[0, 1], [1, 0], [2, 1]]
    """
    n = X.shape[0]
    k = min(k, n)
    indices = np.empty((n, k), dtype=np.int64)
    distances = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, chunk):
        sims = X[start:start + chunk] @ X.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = np.inf  # each point is its own nearest neighbour
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        part_sims = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -part_sims), axis=1)
        indices[start:start + chunk] = np.take_along_axis(part, order, axis=1)
        chosen = np.take_along_axis(part_sims, order, axis=1)
        distances[start:start + chunk] = np.where(np.isinf(chosen), 0.0,
                                                  np.clip(1 - chosen, 0, 2))
    return indices, distances


def keep_umap_compiled() -> None:
    """Let numba keep UMAP's compiled kernels on disk, which umap-learn does not ask for.

    Without it every process JIT-compiles them again: ~8 s on 2 cores, most of a small
    corpus's run. With it only the first run after installing pays; numba stores the
    kernels beside umap's own ``__pycache__`` (or its user cache when that is read-only)
    and recompiles by itself when umap-learn changes.
    """
    import umap.layouts
    import umap.umap_
    import umap.utils
    from numba.core.caching import NullCache
    from numba.core.registry import CPUDispatcher

    for module in (umap.umap_, umap.layouts, umap.utils):
        for kernel in list(vars(module).values()):
            if isinstance(kernel, CPUDispatcher) and isinstance(kernel._cache, NullCache):
                try:
                    kernel.enable_caching()
                except Exception:  # noqa: BLE001 - an uncachable kernel just compiles as before
                    continue


def sample_min_size(min_topic_size, n_fit: int, n_total: int) -> int:
    """HDBSCAN's ``min_cluster_size`` on ``n_fit`` of ``n_total`` documents.

    The theme size threshold scaled to the sample, so sampling does not shrink themes.

    Examples
    --------
    >>> sample_min_size(100, 12_000, 24_000), sample_min_size(None, 2_000, 2_000)
    (50, 22)
    """
    size = min_topic_size or auto_min_topic_size(n_total)
    return max(2, int(round(size * n_fit / n_total)))


@contextmanager


def _no_tqdm_monitor():
    # UMAP's epoch loop wraps a disabled tqdm bar, which still starts tqdm's monitor thread
    # and never stops it; that second thread would rule out drawing the report's figures
    # in a forked process (trendkit.report.render.can_fork).
    from tqdm import tqdm

    interval, tqdm.monitor_interval = tqdm.monitor_interval, 0
    try:
        yield
    finally:
        tqdm.monitor_interval = interval


def umap_hdbscan(X, n_total, min_topic_size, n_components, n_neighbors, random_state):
    """UMAP (on exact cosine neighbours) then HDBSCAN; labels and the UMAP coordinates."""
    import hdbscan
    import umap

    keep_umap_compiled()
    n = X.shape[0]
    n_neighbors = min(n_neighbors, n - 1)
    knn_indices, knn_distances = cosine_knn(X, n_neighbors)
    reducer = umap.UMAP(n_neighbors=n_neighbors, n_components=min(n_components, n - 2),
                        min_dist=0.0, metric="cosine", random_state=random_state,
                        n_epochs=200, precomputed_knn=(knn_indices, knn_distances, None))
    with warnings.catch_warnings(), _no_tqdm_monitor():
        warnings.simplefilter("ignore", UserWarning)  # "n_jobs overridden by random_state"
        reduced = reducer.fit_transform(X).astype(np.float32)
    size = sample_min_size(min_topic_size, n, n_total)
    labels = hdbscan.HDBSCAN(min_cluster_size=size, metric="euclidean",
                             cluster_selection_method="eom",
                             core_dist_n_jobs=1).fit_predict(reduced)
    if len(set(labels) - {OUTLIER}) < min(5, n // 200):
        # "excess of mass" sometimes keeps only the 2-3 biggest blobs (seen with
        # MiniLM on arXiv); the leaves of the same tree are the finer themes.
        labels = hdbscan.HDBSCAN(min_cluster_size=size, cluster_selection_method="leaf",
                                 core_dist_n_jobs=1).fit_predict(reduced)
    return labels, reduced
