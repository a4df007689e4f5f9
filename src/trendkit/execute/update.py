"""Monthly updates: new documents into a finished run's themes, and new themes when they form.

``trendkit assign`` embeds new documents with the run's own fitted model.
Those close to a theme join it (nearest centroid, as always); those far from
every theme — below a similarity threshold calibrated on the fitted
documents — wait in a novelty pool that persists across updates. When the
pool holds a coherent group of at least the minimum theme size, it becomes a
new theme with a new id (see :mod:`trendkit.cluster.novelty`). Old ids, labels and
documents never change; the run records when each new theme was born.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..cluster import auto_min_topic_size, nearest_centroid
from ..cluster.novelty import coherence_floor, novelty_threshold, separation, update_assignments
from ..label import name_topics, topic_rows
from ..sampling import sample_rows
from ..text import document_texts
from .passes import sub_themes_of

CALIBRATION_SAMPLE = 20_000
REFERENCE = 3_000  # fitted rows kept to tell "dense among the new, sparse among the old"


def calibrate(docs: pd.DataFrame, embedder, centroids, ids, params: dict
              ) -> tuple[dict, np.ndarray]:
    """Novelty settings from the fitted documents (``run.json``'s ``novelty``) and a sample
    of their rows (the model's ``novelty_reference``)."""
    # per-document backends are slow: a sample suffices
    rows = sample_rows(np.flatnonzero(docs["topic_id"].to_numpy() >= 0), CALIBRATION_SAMPLE,
                       params.get("seed", 0))
    vectors = embedder.transform(document_texts(docs["title"].iloc[rows], docs["text"].iloc[rows]))
    labels = docs["topic_id"].to_numpy()[rows]
    settings = {"threshold": novelty_threshold(vectors, labels, centroids, ids),
                "quantile": 0.02, "coherence": coherence_floor(vectors, labels, centroids, ids),
                "coherence_factor": 0.9, "separation": separation(vectors, labels, centroids, ids),
                "min_size": int(params.get("min_topic_size") or auto_min_topic_size(len(docs))),
                "next_id": int(np.max(ids)) + 1, "born": {}}
    reference = np.asarray(vectors, dtype=np.float32)[
        np.sort(sample_rows(len(rows), REFERENCE, params.get("seed", 0)))]
    return settings, reference


class Extension(NamedTuple):
    """A run extended by new documents (see :func:`extend`)."""

    documents: pd.DataFrame  # the run's documents (as held) and the new ones, with themes
    topics: pd.DataFrame  # the run's theme rows, new themes appended
    model_arrays: dict  # centroids (new themes' appended) and the novelty pool
    novelty: dict  # novelty settings and the themes born so far (run.json)
    notes: list
    fresh: pd.DataFrame  # the new documents with their themes
    moved: dict  # doc_id -> new theme of earlier pooled documents that joined a new theme


def extend(saved, fresh: pd.DataFrame, embedder, *, new_themes: bool = True) -> Extension:
    """The run ``saved`` extended by the documents ``fresh`` (see the module)."""
    arrays = dict(saved.model_arrays)
    topics = saved.topics
    ids = np.asarray(arrays.get("topic_ids", np.sort(topics.loc[topics["topic_id"] >= 0,
                                                                  "topic_id"].to_numpy())))
    centroids = arrays["centroids"]
    docs = saved.documents.drop(columns=["period"], errors="ignore")
    novelty = dict(saved.meta.get("novelty") or {})
    if new_themes and not novelty:
        novelty, arrays["novelty_reference"] = calibrate(docs, embedder, centroids, ids,
                                                         saved.meta.get("params", {}))
    # a new theme's id follows every id in use, sub-themes' included
    novelty["next_id"] = max(int(novelty.get("next_id", 0)), int(topics["topic_id"].max()) + 1)
    if fresh.empty:  # every document was in the run already: nothing to embed
        return Extension(docs, topics, arrays, novelty, [], fresh.assign(topic_id=[]), {})
    fresh_texts = document_texts(fresh["title"], fresh["text"])
    vectors = embedder.transform(fresh_texts)
    if not new_themes:
        labels = nearest_centroid(vectors, centroids, ids)
        fresh = fresh.assign(topic_id=labels, subtopic_id=sub_themes_of(vectors, labels, arrays))
        combined = _combine(docs, fresh, topics)
        return Extension(combined, topics, arrays, novelty, [], combined.iloc[len(docs):], {})
    stored = dict(zip([str(i) for i in arrays.get("novelty_pending_ids", [])],
                      arrays.get("novelty_pending_vectors", [])))
    is_pending = docs["doc_id"].astype(str).isin(stored).to_numpy()
    pending_vectors = np.array([stored[i] for i in docs["doc_id"].astype(str)[is_pending]],
                               dtype=np.float32).reshape(-1, vectors.shape[1])
    pool_texts = document_texts(docs["title"][is_pending], docs["text"][is_pending])
    up = update_assignments(np.vstack([pending_vectors, vectors]),
                            pool_texts + fresh_texts,
                            centroids, ids, threshold=novelty["threshold"],
                            coherence=novelty["coherence"], min_size=novelty["min_size"],
                            next_id=novelty["next_id"], namer=name_topics,
                            # runs calibrated before the reference existed: far-only novelty
                            reference=arrays.get("novelty_reference"),
                            apart=novelty.get("separation"),
                            young=[int(i) for i in novelty.get("born", {})])
    n_pending = int(is_pending.sum())
    before = docs.loc[is_pending, "topic_id"].to_numpy()
    docs.loc[is_pending, "topic_id"] = up.labels[:n_pending]
    moved = {d: int(t) for d, t, b in zip(docs.loc[is_pending, "doc_id"].astype(str),
                                          up.labels[:n_pending], before) if t != b}
    if "subtopic_id" in docs:  # a founding document is its new theme at both levels
        docs.loc[docs["doc_id"].astype(str).isin(moved), "subtopic_id"] = \
            docs.loc[docs["doc_id"].astype(str).isin(moved), "topic_id"]
    fresh_topics = up.labels[n_pending:]
    fresh = fresh.assign(topic_id=fresh_topics,
                         subtopic_id=sub_themes_of(vectors, fresh_topics, arrays))
    combined = _combine(docs, fresh, topics, up.table)
    if up.new_ids:
        born = pd.to_datetime(fresh["date"], errors="coerce").min()
        pool = pd.concat([docs[is_pending], fresh], ignore_index=True)
        new = topic_rows(up.labels, pool["title"], pool_texts + fresh_texts, up.table,
                         vectors=np.vstack([pending_vectors, vectors]))
        topics = pd.concat([topics, new[new["topic_id"].isin(up.new_ids)]], ignore_index=True)
        novelty["next_id"] = int(max(up.new_ids)) + 1
        novelty["born"] = {**novelty.get("born", {}), **{
            str(i): {"first_date": None if pd.isna(born) else f"{born:%Y-%m-%d}",
                     "n_docs": int((combined["topic_id"] == i).sum())} for i in up.new_ids}}
    pool_rows = np.vstack([pending_vectors, vectors])[up.pending]
    pool_ids = np.concatenate([docs["doc_id"].astype(str)[is_pending].to_numpy(),
                               fresh["doc_id"].astype(str).to_numpy()])[up.pending]
    arrays.update(centroids=up.centroids, topic_ids=up.ids,
                  novelty_pending_ids=pool_ids.astype(str),
                  novelty_pending_vectors=pool_rows.astype(np.float32))
    notes = [f"new theme {i} ({row.topic_name}) formed from {row.n_docs:,} new documents: far "
             "from every theme, or in a region that filled up after the fit"
             for i, row in zip(up.new_ids, up.table.itertuples())]
    if len(pool_ids):
        notes.append(f"{len(pool_ids):,} document(s) are novel (far from every theme, or where "
                     "new documents crowd) but form no theme yet; they sit in their nearest "
                     "theme and are reconsidered next update")
    elif not up.new_ids:
        notes.append(f"novelty: none of the {len(fresh):,} new document(s) is far from every "
                     f"theme (cosine below {novelty['threshold']:.2f} to all); no new theme")
    return Extension(combined, topics, arrays, novelty, notes, combined.iloc[len(docs):], moved)


def _combine(docs, fresh, topics, table=None) -> pd.DataFrame:
    names = topics.set_index("topic_id")["topic_label"]
    if table is not None and len(table):
        names = pd.concat([names, table.set_index("topic_id")["topic_label"]])
    combined = pd.concat([docs, fresh.reindex(columns=docs.columns)], ignore_index=True)
    combined["topic_label"] = names.reindex(combined["topic_id"]).to_numpy()
    return combined
