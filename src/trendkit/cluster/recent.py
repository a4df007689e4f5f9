"""New in time: regions of the embedding that filled up after a fit.

A novelty rule based on distance alone misses an area that arrives inside an old
theme's cloud (gaussian splatting inside 3-D vision): far from nothing, yet absent
before. These two tests compare an update's documents (the batch) with a random sample
of the fitted ones (the reference), as :mod:`trendkit.cluster.novelty` uses them.
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize


def new_in_time(X: np.ndarray, reference: np.ndarray, k: int = 20,
                p_value: float = 1e-3) -> np.ndarray:
    """Rows of ``X`` (the batch) whose neighbourhood is made of new documents.

    Each row's ``k`` nearest neighbours are taken among the batch and ``reference`` (a
    random sample of the fitted documents) together. Were the batch like the fit, the
    count of batch rows among them would be binomial at the batch's overall share; a
    row is a candidate when that count is improbable (``p < p_value``): it sits in a
    region that filled up after the fit, whether or not it is far from every centroid.
    :func:`new_themes` then asks whether the candidates form a group.
    """
    from scipy.stats import binom

    X = normalize(np.asarray(X, dtype=np.float32)) if len(X) else np.zeros((0, 1), np.float32)
    R = normalize(np.asarray(reference, dtype=np.float32)) if len(reference) else X[:0]
    k = min(k, len(X) + len(R) - 1)
    if len(X) < 3 or len(R) < k:
        return np.zeros(len(X), bool)
    J = np.vstack([R, X])
    batch_count = np.empty(len(X), dtype=np.int64)
    for start in range(0, len(X), 2048):  # chunks: a batch x (batch + reference) matrix
        sims = X[start:start + 2048] @ J.T
        rows = np.arange(sims.shape[0])
        sims[rows, len(R) + start + rows] = -np.inf  # not its own neighbour
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        batch_count[start:start + 2048] = (nearest >= len(R)).sum(axis=1)
    rate = len(X) / (len(J) - 1)
    return binom.sf(batch_count - 1, k, rate) < p_value


def rise(centre: np.ndarray, members: np.ndarray, batch: np.ndarray,
         reference: np.ndarray) -> float:
    """How many times denser a group's region is among the batch than among the fitted
    documents: within the group's median similarity of its centre, the odds of a batch
    document over the batch's overall odds (0.5 added to both counts).

    Examples
    --------
    >>> batch = np.array([[1.0, 0], [1, 0], [1, 0], [0, 1]])
    >>> reference = np.array([[0, 1.0], [0, 1], [0.1, 1], [1, 0]])
    >>> round(rise(np.array([1.0, 0]), batch[:3], batch, reference), 2)
    2.33
    """
    inside_new, inside_old = _ball(centre, members, batch, reference)
    return (inside_new + 0.5) / (inside_old + 0.5) / (len(batch) / max(len(reference), 1))


def rise_p_value(centre: np.ndarray, members: np.ndarray, batch: np.ndarray,
                 reference: np.ndarray, at: float) -> float:
    """How likely a ball as full of new documents as :func:`rise`'s, were the region
    only ``at`` times denser among the batch: a binomial test on the documents inside.

    Examples
    --------
    >>> batch = np.array([[1.0, 0]] * 30 + [[0, 1.0]] * 70)  # 30 new in an empty region
    >>> reference = np.array([[0, 1.0]] * 300)
    >>> rise_p_value(np.array([1.0, 0]), batch[:30], batch, reference, at=5) < 1e-3
    True
    """
    from scipy.stats import binom

    inside_new, inside_old = _ball(centre, members, batch, reference)
    odds = at * len(batch) / max(len(reference), 1)
    return float(binom.sf(inside_new - 1, inside_new + inside_old, odds / (1 + odds)))


def _ball(centre, members, batch, reference) -> tuple[int, int]:
    """Batch and reference rows within the members' median similarity of ``centre``."""
    radius = float(np.median(members @ centre))
    return int((batch @ centre >= radius).sum()), int((reference @ centre >= radius).sum())
