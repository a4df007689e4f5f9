"""Novelty: let ``trendkit assign`` notice themes born after the fit.

A document is *novel* when less similar to every centroid than almost all fitted
documents are to their own (:func:`novelty_threshold`), or when its nearest neighbours
are improbably often new documents (:func:`new_in_time`); a group of novel documents
becomes a theme when big, tight and either far from every existing theme or in a region
that filled up after the fit (:func:`new_themes`, :func:`rise`).
Old ids and centroids never change; new themes get fresh ids and appended centroids.
The pool persists across updates: novel documents in no theme yet keep their nearest
theme provisionally (``pending``) and are passed again, ahead of the next batch, to
:func:`update_assignments`, so a theme arriving a few papers a month is found once
enough have accumulated, its first papers included.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import linkage, to_tree
from scipy.spatial.distance import pdist
from sklearn.preprocessing import normalize

from .centroids import OUTLIER, nearest_centroid
from .centroids import centroids as mean_rows
from .clusterer import theme_clusters
from .recent import new_in_time, rise, rise_p_value

MAX_LINKAGE = 5000  # average linkage holds an n x n matrix; bigger pools use HDBSCAN
TABLE_COLUMNS = ["topic_id", "n_docs", "centroid_row", "mean_similarity", "nearest_existing",
                 "topic_label", "topic_name", "top_terms"]


def _unit(rows, dim: int) -> np.ndarray:
    X = np.asarray(rows, dtype=np.float32).reshape(-1, dim)  # (0, dim) for an empty batch
    return normalize(X) if len(X) else X


def _own_similarity(vectors, labels, centroids, ids) -> np.ndarray:
    """Cosine similarity of each fitted document to its own theme centroid (outliers left out)."""
    ids, labels = np.asarray(ids), np.asarray(labels)
    keep = np.isin(labels, ids)  # -1 has no centroid of its own
    order = np.argsort(ids)  # centroid rows follow ``ids``, which need not be sorted
    rows = order[np.searchsorted(ids[order], labels[keep])]
    C = np.asarray(centroids, dtype=np.float32)
    return (_unit(vectors, C.shape[1])[keep] * C[rows]).sum(axis=1)


def novelty_threshold(vectors, labels, centroids, ids, quantile: float = 0.02) -> float:
    """Similarity to the own centroid below which only ``quantile`` of fitted documents fall.

    "Novel": further from every theme than 98 % of the documents it was made from.
    LSA's basis fits its own documents' noise, so new documents of old themes
    score higher than fitted ones: it errs towards fewer false alarms.

    Examples
    --------
    >>> X = np.array([[1.0, 0], [0.8, 0.6], [0, 1]])
    >>> round(novelty_threshold(X, [0, 0, 1], [[1.0, 0], [0, 1]], [0, 1], quantile=0.0), 3)
    0.8
    """
    return float(np.quantile(_own_similarity(vectors, labels, centroids, ids), quantile))


def coherence_floor(vectors, labels, centroids, ids, factor: float = 0.9) -> float:
    """Mean similarity to its centroid a new theme needs: ``factor`` x the fitted median.

    A new theme should be about as tight as a typical fitted one; 10 % slack
    for it being seen through an embedding not fitted on it.

    Examples
    --------
    >>> coherence_floor(np.eye(2), [0, 1], np.eye(2), [0, 1])
    0.9
    """
    return factor * float(np.median(_own_similarity(vectors, labels, centroids, ids)))


def split_novel(vectors, centroids, ids, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-centroid id of every row, and which rows are novel (best similarity < threshold).

    Examples
    --------
    >>> ids, novel = split_novel([[1.0, 0.1], [0.1, 0.1]], [[1.0, 0], [0, 1]], [4, 9], 0.75)
    >>> ids.tolist(), novel.tolist()
    ([4, 4], [False, True])
    """
    C = np.asarray(centroids, dtype=np.float32)
    labels, best = nearest_centroid(_unit(vectors, C.shape[1]), C, ids, return_similarity=True)
    return labels, best < threshold


def _groups(X: np.ndarray, coherence: float, min_size: int, random_state: int) -> list:
    """The pool's groups: :class:`scipy.cluster.hierarchy.ClusterNode` s, whose children
    are the two halves average linkage merged (see :func:`_halves`), or, beyond 5,000
    documents, HDBSCAN's groups as arrays of rows."""
    if len(X) > MAX_LINKAGE:
        labels = theme_clusters(X, min_topic_size=min_size, keep_outliers=True,
                                random_state=random_state).labels
        return [np.flatnonzero(labels == g) for g in np.unique(labels[labels != OUTLIER])]
    # For unit rows |mean|^2 is the mean pairwise similarity: members at `coherence` from their
    # centroid have pairs at ~coherence^2, so merging stops where the coherence test would fail.
    distances = np.nan_to_num(np.clip(pdist(X, "cosine"), 0, 2), nan=1.0)
    cut, found, stack = 1 - coherence ** 2, [], [to_tree(linkage(distances, "average"))]
    while stack:  # the highest nodes at or under the cut, left to right
        node = stack.pop()
        if node.dist <= cut:
            found.append(node)
        else:
            stack += [node.right, node.left]
    return found


def _rows(group) -> np.ndarray:
    return np.sort(group if isinstance(group, np.ndarray) else group.pre_order())


def _halves(group) -> list:
    return [] if isinstance(group, np.ndarray) or group.is_leaf() else [group.left, group.right]


def separation(vectors, labels, centroids, ids) -> float:
    """How far apart fitted themes stand: the median margin of a fitted document's own
    centroid over the next closest one (cosine).

    Examples
    --------
    >>> separation(np.eye(2), [0, 1], np.eye(2), [0, 1])
    1.0
    """
    C = np.asarray(centroids, dtype=np.float32)
    X = _unit(vectors, C.shape[1])
    sims = X @ C.T
    own = _own_similarity(X, labels, C, ids)
    keep = np.isin(np.asarray(labels), np.asarray(ids))
    second = np.sort(sims[keep], axis=1)[:, -2] if C.shape[0] > 1 else np.zeros(keep.sum())
    return float(np.median(own - second)) if keep.any() else 0.0


def new_themes(pool_vectors, pool_texts, *, min_size: int, next_id: int, threshold: float,
               coherence: float, centroids, random_state: int = 0, namer=None,
               apart: float | None = None, batch=None, reference=None,
               rise_at: float = 10.0, young_rows=None):
    """Group the novelty pool into new themes; ``(labels, table)``, -1 for no theme.

    Average linkage on cosine distance (HDBSCAN beyond 5,000 documents) groups the
    pool. A group is a theme only if, once members below ``threshold`` from its
    centroid are dropped (the rule for old themes), it has ``min_size`` members,
    their mean similarity to the centroid is >= ``coherence``, and the centroid is
    below ``threshold`` to every existing one (else it is an old theme's fringe) or, with
    ``apart`` (see :func:`separation`), its members stand at least that much closer to
    the new centroid than to their nearest existing one: as distinct from the old themes
    as the old themes are from each other; or, with ``batch`` (every row of this update)
    and ``reference`` (a sample of the fitted rows), it is *new in time*: its region is at
    least ``rise_at`` times denser among the batch than among the fitted documents
    (:func:`rise`) and its nearest theme is not one born since the fit (``young_rows``,
    a mask of ``centroids``' rows: that is the same area growing). A group new in time
    needs only ``min_size / 2`` members: an area the fit never saw arrives small. With
    ``batch``, a group that fails is searched: its two halves (as average linkage merged
    them) are tried in turn, down to that size, for a new area can share its group with
    an old theme's new papers; a half is a theme only by being new in time, its rise
    significantly above ``rise_at`` (:func:`rise_p_value`, p < 0.01: the search tries many
    groups), and two halves of one group that both are make one theme.
    Ids start at ``next_id``, largest first; ``namer`` (``(texts, labels) -> topic_id,
    topic_label, top_terms``, e.g. :func:`trendkit.label.name_topics`) names them.
    Documents labelled -1 are in no coherent group: the caller puts them in their nearest
    theme, provisionally (:func:`update_assignments` does). ``table``: ``topic_id,
    n_docs, centroid_row`` (its row once appended to ``centroids``), ``mean_similarity``,
    ``nearest_existing`` (best similarity to an existing centroid), ``topic_label, top_terms``.

    Examples
    --------
    >>> pool = np.array([[0.1, 1, 0], [0, 1, 0.1], [0.1, 1, 0.1], [0, 0.1, 1]])
    >>> texts = ["expert routing", "sparse experts", "expert routing gates", "job shop"]
    >>> labels, table = new_themes(pool, texts, min_size=3, next_id=7, threshold=0.8,
    ...                            coherence=0.9, centroids=[[1.0, 0, 0]])
    >>> labels.tolist(), table[["topic_id", "n_docs", "centroid_row"]].values.tolist()
    ([7, 7, 7, -1], [[7, 3, 1]])
    """
    existing = np.asarray(centroids, dtype=np.float32)  # the run's themes, old and born since
    X = _unit(pool_vectors, existing.shape[1])
    groups = _groups(X, coherence, min_size, random_state) if len(X) >= max(min_size, 2) else []
    in_time = batch is not None and reference is not None

    def described(members) -> dict:
        centre = normalize(X[members].mean(axis=0, keepdims=True))[0]
        return {"members": members, "centre": centre, "n_docs": len(members),
                "mean_similarity": round(float((X[members] @ centre).mean()), 4),
                "nearest_existing": round(float(np.max(existing @ centre, initial=-1.0)), 4)}

    found, stack = [], [(g, None) for g in groups[::-1]]
    while stack:
        group, parent = stack.pop()  # parent: the group this one is a half of, if any
        members = _rows(group)
        members = members[X[members] @ normalize(X[members].mean(0, keepdims=True))[0] >= threshold]
        if len(members) < max(2, min_size // 2):
            continue
        theme = described(members)
        centre, tight = theme["centre"], theme["mean_similarity"]
        margin = tight - float((X[members] @ existing.T).max(axis=1).mean()) \
            if len(existing) else 1.0
        distinct = parent is None and len(members) >= min_size and (  # a half: in time only
            theme["nearest_existing"] < threshold or (apart is not None and margin >= apart))
        if not distinct and in_time:
            grown = young_rows is not None and len(existing) and bool(
                np.asarray(young_rows)[int(np.argmax(existing @ centre))])
            distinct = not grown and rise(centre, X[members], batch, reference) >= rise_at and (
                parent is None
                or rise_p_value(centre, X[members], batch, reference, rise_at) < 0.01)
        if tight >= coherence and distinct:
            found.append({**theme, "parent": parent})
        elif in_time:  # a new area can share its group with old themes' new papers
            stack += [(h, group.id) for h in _halves(group)[::-1]]
    halves = Counter(f["parent"] for f in found if f["parent"] is not None)
    both = {p for p, n in halves.items() if n == 2}  # one area the search had cut in two
    found = [f for f in found if f["parent"] not in both] + [
        described(np.sort(np.concatenate([f["members"] for f in found if f["parent"] == p])))
        for p in sorted(both)]
    for theme in found:
        theme.pop("centre"), theme.pop("parent", None)
    found.sort(key=lambda f: -f["n_docs"])  # largest first, like the fitted themes
    labels = np.full(len(X), OUTLIER)
    for k, theme in enumerate(found):
        labels[theme.pop("members")] = theme["topic_id"] = next_id + k
        theme["centroid_row"] = len(existing) + k
    table = pd.DataFrame(found, columns=TABLE_COLUMNS[:5])
    if found and namer is not None:  # named against the rest of the pool (the label stage's
        # namer, passed in: clustering comes before labelling); provisional until re-labelled
        table = table.merge(namer([str(t) for t in pool_texts], labels,
                                  random_state=random_state), on="topic_id", how="left")
    return labels, table.reindex(columns=TABLE_COLUMNS)


class NoveltyUpdate(NamedTuple):
    """What :func:`update_assignments` decided for a batch."""

    labels: np.ndarray  # final theme id per input row
    pending: np.ndarray  # novel rows in no theme yet: carry them into the next update
    centroids: np.ndarray  # input centroids, new themes' rows appended
    ids: np.ndarray  # theme id of each centroid row (input ids, then new ids)
    new_ids: list  # themes born in this update
    table: pd.DataFrame  # :func:`new_themes`' table


def update_assignments(vectors, texts, centroids, ids, *, threshold: float, coherence: float,
                       min_size: int, next_id: int, random_state: int = 0,
                       namer=None, reference=None, apart: float | None = None,
                       young=()) -> NoveltyUpdate:
    """Assign a batch to the existing themes, founding new themes from its novel documents.

    Pass the previous update's ``pending`` rows first, then the new documents (vectors
    in the run's space, texts for naming). Rows not novel get their nearest theme; novel
    ones join a theme born here or stay ``pending`` with their nearest theme as provisional
    id. Old ids and centroid rows never change; ``next_id`` must exceed every id ever used.
    With ``reference`` (a sample of the fitted documents' rows) and ``apart`` (see
    :func:`separation`), a row is also novel when it is in a group of mostly new documents
    that a refit would find (:func:`new_in_time`): new in time, not only far, unless its
    nearest theme is one of ``young`` (born in an earlier update: that region has a theme).

    Examples
    --------
    >>> rows = np.array([[1.0, 0.1], [0.1, 1], [0, 1], [0.1, 0.9]])
    >>> texts = ["gnn", "moe", "moe gates", "moe routing"]
    >>> up = update_assignments(rows, texts, [[1.0, 0]], [0], threshold=0.8, coherence=0.9,
    ...                         min_size=3, next_id=1)
    >>> up.labels.tolist(), up.pending.tolist(), up.ids.tolist(), up.new_ids
    ([0, 1, 1, 1], [False, False, False, False], [0, 1], [1])
    """
    ids = np.asarray(ids)
    if len(ids) and next_id <= ids.max():
        raise ValueError(f"next_id={next_id} would reuse an existing theme id (max {ids.max()})")
    C = np.asarray(centroids, dtype=np.float32)
    X = _unit(vectors, C.shape[1])
    labels, novel = split_novel(X, C, ids, threshold)
    in_time = reference is not None and apart is not None
    R = _unit(reference, C.shape[1]) if in_time else None
    if in_time:
        novel |= new_in_time(X, R) & ~(np.isin(labels, list(young)) & ~novel)
    pool = np.flatnonzero(novel)
    pool_labels, table = new_themes(X[pool], [texts[i] for i in pool], min_size=min_size,
                                    next_id=next_id, threshold=threshold, coherence=coherence,
                                    centroids=C, random_state=random_state, namer=namer,
                                    apart=apart if in_time else None,
                                    batch=X if in_time else None, reference=R,
                                    young_rows=np.isin(ids, list(young)))
    new_ids = [int(i) for i in table["topic_id"]]
    if new_ids:
        C = np.vstack([C, mean_rows(X[pool], pool_labels, new_ids)])
        ids = np.concatenate([ids, np.asarray(new_ids, dtype=ids.dtype)])
        # the batch's other rows take their nearest theme among old and new alike, as a
        # refit would place them (fitted documents keep theirs)
        rest = ~novel
        labels[rest] = nearest_centroid(X[rest], C, ids)
    themed = pool_labels != OUTLIER
    labels[pool] = np.where(themed, pool_labels, nearest_centroid(X[pool], C, ids))
    pending = novel & ~np.isin(np.arange(len(novel)), pool[themed])  # themed: done waiting
    return NoveltyUpdate(labels, pending, C, ids, new_ids, table)
