"""Theme centres: the mean row of each theme and the nearest one to a document.

The one definition of assignment: outlier reassignment, the clusterer's fit
sample, ``TopicModel.predict``, declared themes, novelty and ``trendkit
assign`` all go through :func:`nearest_centroid`.
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

OUTLIER = -1  # HDBSCAN's label for a document in no dense region


def centroids(X: np.ndarray, labels: np.ndarray, ids) -> np.ndarray:
    """Unit-length mean row of ``X`` for each theme id in ``ids`` (in that order).

    Examples
    --------
    >>> X = np.array([[1.0, 0], [1, 0.2], [0, 1]])
    >>> centroids(X, np.array([0, 0, 1]), [1, 0]).round(2).tolist()
    [[0.0, 1.0], [1.0, 0.1]]
    """
    return normalize(np.vstack([X[labels == i].mean(axis=0) for i in ids]))


def nearest_centroid(X: np.ndarray, centroids: np.ndarray, ids=None, *, chunk: int = 20000,
                     return_similarity: bool = False):
    """Theme id of the closest centroid (cosine) for each row of ``X``.

    ``ids`` names the centroids' rows (default ``0..k-1``). Rows are compared in
    chunks, so memory stays bounded for 100k+ documents. The one definition of
    assignment: outlier reassignment, sampling, ``predict``, declared themes,
    novelty and ``trendkit assign`` all go through it. With ``return_similarity``
    also the cosine similarity to that centroid.

    Examples
    --------
    >>> C = np.array([[1.0, 0], [0, 1]])
    >>> nearest_centroid(np.array([[0.9, 0.1], [0.2, 0.8]]), C, ids=[7, 3]).tolist()
    [7, 3]
    """
    X, centroids = np.asarray(X, dtype=np.float32), np.asarray(centroids, dtype=np.float32)
    ids = np.arange(len(centroids)) if ids is None else np.asarray(ids)
    out, best = np.empty(len(X), dtype=ids.dtype if len(ids) else int), np.empty(len(X), np.float32)
    for start in range(0, len(X), chunk):
        sims = X[start:start + chunk] @ centroids.T
        pick = np.argmax(sims, axis=1)
        out[start:start + chunk] = ids[pick]
        best[start:start + chunk] = sims[np.arange(len(pick)), pick]
    return (out, best) if return_similarity else out
