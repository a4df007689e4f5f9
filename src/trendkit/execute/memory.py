"""The in-memory executor: every stage on one DataFrame, no file I/O.

:func:`fit_themes` is the learned half (embed → cluster → label), which the
partitioned executor also runs, on its fit sample; :func:`trended` is the shared
tail every analysis ends with (aggregates → trend tables → a
:class:`~trendkit.result.TrendResult`).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from ..cache import CacheLike
from ..embed.api import embed_texts
from ..embed.choose import resolve_embedding
from ..embed.registry import DEFAULT as DEFAULT_EMBEDDING
from ..label import recount
from ..model import TopicModel
from ..result import TOPIC_COLUMNS, TrendResult
from ..text import document_texts
from ..timing import Progress, StageTimer
from ..trend.counts import count_documents, count_facets, terms_sample
from ..trend.coverage import coverage_column, coverage_notes
from ..trend.lineage import lineage
from ..trend.options import TrendOptions
from ..trend.periods import resolve_freq
from ..trend.tables import analyst_tables, trend_tables, with_periods


class Fit(NamedTuple):
    """What fitting themes gives: documents with their theme, theme rows and the model."""

    documents: pd.DataFrame
    topics: pd.DataFrame
    embedding: str
    notes: list
    meta: dict
    coords: np.ndarray | None
    model_arrays: dict


def fit_themes(docs: pd.DataFrame, timer: StageTimer, *, embedding: str = DEFAULT_EMBEDDING,
               min_topic_size=None, n_topics=None, keep_outliers: bool = False, themes=None,
               theme_threshold: float = 0.3, seed: int = 0, cache: CacheLike = None,
               document_map: bool = True, progress: Progress | None = None,
               embed_progress: Callable[[int, int], None] | None = None) -> Fit:
    """Embed, cluster and name the themes of canonical documents (see :class:`TopicModel`)."""
    docs = docs.reset_index(drop=True)
    requested = embedding
    with timer.stage("embed", f"Embedding {len(docs):,} documents ({embedding})"):
        texts = document_texts(docs["title"], docs["text"])
        # "auto" becomes a backend here, once, so run.json records the one assign must use
        embedding, notes = resolve_embedding(embedding, texts)
        if progress and isinstance(embedding, str) and embedding != requested:
            progress(f"--embedding {requested} chose {embedding}")
        embedder, vectors = embed_texts(texts, embedding, random_state=seed, cache=cache,
                                        progress=embed_progress, return_embedder=True)
    with timer.stage("cluster_label", "Clustering and naming themes"):
        model = TopicModel(embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
                           keep_outliers=keep_outliers, themes=themes,
                           theme_threshold=theme_threshold, cache=cache, random_state=seed)
        model.fit(docs["text"], titles=docs["title"], dates=docs["date"], embeddings=vectors,
                  embedder=embedder)
    labels = model.topics_.set_index("topic_id")["topic_label"]
    docs = docs.assign(topic_id=model.labels_, topic_label=labels.reindex(model.labels_).to_numpy(),
                       subtopic_id=model.sub_labels_)
    notes = [*docs.attrs.get("notes", []), *notes]
    if embedding == requested:  # "auto" measured the table's coverage already to choose
        notes += embedder.notes(texts)
    if model.resolution_note():
        notes.append(model.resolution_note())
    if themes:
        notes.append(f"{100 * model.declared_share_:.1f} % of documents matched a declared "
                     f"theme (cosine ≥ {theme_threshold}); the rest were clustered freely")
    coords = model.document_map() if document_map else None
    arrays = {"centroids": model.centroids_, "topic_ids": model.topic_ids_,
              "sub_centroids": model.sub_centroids_, "sub_ids": model.sub_ids_,
              "sub_parents": model.sub_parents_, **embedder.state()}
    if coords is not None:
        arrays["map_coords"] = coords
    meta = {"outlier_share": model.outlier_share_,
            "n_raw_topics": int(model.clusterer_.n_raw_topics_),
            "params": {"embedding": embedding, "min_topic_size": min_topic_size,
                       "n_topics": n_topics, "keep_outliers": keep_outliers,
                       "seed": seed, "themes": themes, "theme_threshold": theme_threshold}}
    return Fit(docs, model.topics_[TOPIC_COLUMNS], embedding, notes, meta, coords, arrays)


def aggregates(docs: pd.DataFrame, freq: str | None, group_col: str | None,
               seed: int = 0, trend: TrendOptions = TrendOptions()
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """``(counts, terms sample, facet counts)`` of documents held in memory (one
    partition's worth); facet counts only with ``trend.facet``."""
    facets = count_facets(docs, trend.facet, trend.weight_col) if trend.facet else None
    return (count_documents(docs, group_col, trend.weight_col),
            terms_sample(docs, freq, seed=seed), facets)


def trended(docs, topics, counts, sample, options: TrendOptions, *, group_col,
            timer: StageTimer, notes: list[str], meta: dict, facet_counts=None,
            **fields) -> TrendResult:
    """Trend tables + coverage warnings into a TrendResult (the shared tail of every analysis).

    Theme sizes are recounted from ``counts``, which hold every document whichever
    executor made them.
    """
    with timer.stage("trend", "Testing trends"):
        sizes = counts.groupby("topic_id")["n"].sum()
        if "subtopic_id" in counts:  # sub-themes' sizes (a theme not split is its own)
            finer = counts.groupby("subtopic_id")["n"].sum()
            sizes = pd.concat([sizes, finer[~finer.index.isin(sizes.index)]])
        topics = recount(topics, sizes, int(counts["n"].sum()))
        trends, summary, terms, coverage = trend_tables(counts, sample, topics, options,
                                                        group_col=group_col)
        extra = analyst_tables(trends, facet_counts, topics, options,
                               coverage.loc[coverage["change"], "period"].tolist())
    notes = [n for n in notes if not n.startswith("coverage:")]
    notes += coverage_notes(coverage, normalized=options.normalize_by is not None)
    dates = counts["date"].dropna() if "date" in counts else pd.Series(dtype="datetime64[ns]")
    meta = {**meta, "freq": options.freq, "timings": timer.timings, "notes": notes,
            "n_documents": int(counts["n"].sum()),
            "date_span": (f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}" if len(dates)
                          else "no dates")}
    meta["params"] = {**meta.get("params", {}), **options.as_dict(), "coverage_col": group_col}
    arrays = fields.get("model_arrays") or {}
    centroids = dict(zip(np.asarray(arrays.get("sub_ids", [])).tolist(),
                         np.asarray(arrays.get("sub_centroids", np.zeros((0, 0))))))
    evolution = lineage(counts, topics, trends, options.freq, centroids)
    return TrendResult(docs, topics[TOPIC_COLUMNS], trends, summary, terms, meta,
                       coverage=coverage, counts=counts, terms_sample=sample, lineage=evolution,
                       facet_counts=facet_counts, **extra, **fields)


def analyze_in_memory(docs: pd.DataFrame, trend: TrendOptions = TrendOptions(), *,
                      seed: int = 0, progress: Progress | None = None, **fit) -> TrendResult:
    """Discover themes in a canonical DataFrame and test their trends, all in memory.

    ``fit`` holds :func:`fit_themes`' options; see :func:`trendkit.analyze`.
    """
    timer = StageTimer(progress)
    # a bad --freq fails here, before minutes of embedding
    trend = trend.with_freq(resolve_freq(trend.freq, docs["date"]))
    found = fit_themes(docs, timer, seed=seed, progress=progress, **fit)
    docs, freq = with_periods(found.documents, trend.freq)
    trend = trend.with_freq(freq)
    group = coverage_column(docs, trend.normalize_by)
    counts, sample, facets = aggregates(docs, freq, group, seed, trend)
    return trended(docs, found.topics, counts, sample, trend, group_col=group, timer=timer,
                   notes=found.notes, meta=found.meta, coords=found.coords,
                   model_arrays=found.model_arrays, facet_counts=facets)
