"""The analysis: DataFrames in, :class:`~trendkit.result.TrendResult` out, no file I/O.

``analyze`` discovers themes (embed → cluster → label) and tests their trends;
``analyze_labelled`` does the trend half for documents that already carry a
theme; ``retrend`` recomputes the trend half of an existing result (new
frequency, new documents, quality added). Reading inputs and writing run
folders is :mod:`trendkit.workflows`' job.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from .cache import CacheLike
from .curate import Curation, apply_curation
from .embed import DEFAULT_EMBEDDING, embed, resolve_embedding
from .errors import TrendkitError
from .model import TopicModel
from .result import TOPIC_COLUMNS, TrendResult
from .text import document_texts
from .timing import Progress, StageTimer
from .trend import trend_tables, with_periods
from .trend.coverage import coverage_notes


def _trended(docs, topics, freq, normalize_by, timer: StageTimer, notes: list[str], **fields):
    """Trend tables + coverage warnings into a TrendResult (the shared tail of every analysis)."""
    with timer.stage("trend", "Testing trends"):
        trends, summary, terms, coverage = trend_tables(docs, topics, freq,
                                                        normalize_by=normalize_by)
    notes = [n for n in notes if not n.startswith("coverage:")] + coverage_notes(coverage)
    meta = fields.pop("meta")
    meta.update(freq=freq, timings=timer.timings, notes=notes)
    meta["params"] = {**meta.get("params", {}), "freq": freq, "normalize_by": normalize_by}
    return TrendResult(docs, topics, trends, summary, terms, meta, coverage=coverage, **fields)


def analyze(docs: pd.DataFrame, *, embedding: str = DEFAULT_EMBEDDING,
            min_topic_size: int | None = None, n_topics: int | None = None,
            keep_outliers: bool = False, freq: str | None = None,
            normalize_by: str | None = None, seed: int = 0, cache: CacheLike = None,
            use_cache: bool = True, document_map: bool = True,
            themes: dict[str, list[str]] | None = None,
            theme_threshold: float = 0.3, progress: Progress | None = None,
            embed_progress: Callable[[int, int], None] | None = None,
            engine: str = "single", fit_sample: int | None = None,
            scheduler: str | None = None) -> TrendResult:
    """Discover themes in a canonical DataFrame and analyse their trends.

    Parameters
    ----------
    docs : pandas.DataFrame
        From :func:`trendkit.load` / :func:`trendkit.load_frame`.
    embedding, min_topic_size, n_topics, keep_outliers, themes, theme_threshold
        See :class:`trendkit.TopicModel`.
    freq : {"day", "week", "month", "quarter", "year"}, optional
        Chosen from the date span when omitted.
    normalize_by : str, optional
        Category/source column: shares within the categories each theme lives
        in, so changes in what was collected do not pass for trends.
    seed : int, default 0
    cache : None, path, Cache or False
        Embedding and cluster cache (default location when None); ``use_cache=False``
        is the same as ``cache=False``.
    document_map : bool, default True
        Compute 2-D map coordinates for the document-map figure.
    engine : {"single", "dask"}; fit_sample : int, optional; scheduler : str, optional
        Out of core: fit on a period-stratified sample (default 50,000) and assign
        every document in partitions, here or on Dask (see :mod:`trendkit.scale`).

    Returns
    -------
    TrendResult

    Examples
    --------
    >>> from trendkit import make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False, document_map=False)
    >>> len(result.documents), bool(result.documents["topic_id"].ge(0).all())
    (300, True)
    """
    cache = cache if use_cache else False
    if engine != "single" or fit_sample is not None:
        from .scale import stream_frame  # imported here: trendkit.scale builds on analyze()
        return stream_frame(docs, fit_sample=fit_sample, engine=engine, scheduler=scheduler,
                            embedding=embedding, min_topic_size=min_topic_size,
                            n_topics=n_topics, keep_outliers=keep_outliers, themes=themes,
                            theme_threshold=theme_threshold, freq=freq,
                            normalize_by=normalize_by, seed=seed, cache=cache, progress=progress)
    timer = StageTimer(progress)
    docs = docs.reset_index(drop=True)
    requested = embedding
    with timer.stage("embed", f"Embedding {len(docs):,} documents ({embedding})"):
        texts = document_texts(docs["title"], docs["text"])
        # "auto" becomes a backend here, so run.json records the one assign must use again
        embedding, chosen_notes = resolve_embedding(embedding, texts)
        if progress and isinstance(embedding, str) and embedding != requested:
            progress(f"--embedding {requested} chose {embedding}")
        embedder, vectors = embed(texts, embedding,
                                  random_state=seed, cache=cache, progress=embed_progress,
                                  return_embedder=True)
    with timer.stage("cluster_label", "Clustering and naming themes"):
        model = TopicModel(embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
                           keep_outliers=keep_outliers, themes=themes,
                           theme_threshold=theme_threshold, cache=cache, random_state=seed)
        model.fit(docs["text"], titles=docs["title"], embeddings=vectors, embedder=embedder)
    labels = model.topics_.set_index("topic_id")["topic_label"]
    docs = docs.assign(topic_id=model.labels_, topic_label=labels.reindex(model.labels_).to_numpy())
    notes = [*docs.attrs.get("notes", []), *chosen_notes]
    # e.g. the distilled table's vocabulary coverage; "auto" measured it already to choose
    if hasattr(embedder, "notes") and embedding == requested:
        notes += embedder.notes(texts)
    docs, freq = with_periods(docs, freq)
    coords = model.document_map() if document_map else None
    if themes:
        notes.append(f"{100 * model.declared_share_:.1f} % of documents matched a declared "
                     f"theme (cosine ≥ {theme_threshold}); the rest were clustered freely")
    meta = {"outlier_share": model.outlier_share_,
            "n_raw_topics": int(model.clusterer_.n_raw_topics_),
            "params": {"embedding": embedding, "min_topic_size": min_topic_size,
                       "n_topics": n_topics, "keep_outliers": keep_outliers,
                       "seed": seed, "themes": themes, "theme_threshold": theme_threshold}}
    model_arrays = {"centroids": model.centroids_, "topic_ids": model.topic_ids_,
                    **embedder.state()}
    if coords is not None:
        model_arrays["map_coords"] = coords
    return _trended(docs, model.topics_[TOPIC_COLUMNS], freq, normalize_by, timer, notes,
                    meta=meta, coords=coords, model_arrays=model_arrays)


def analyze_labelled(docs: pd.DataFrame, topic_col: str, *, freq: str | None = None,
                     normalize_by: str | None = None,
                     progress: Progress | None = None) -> TrendResult:
    """Trend tables for documents that already carry a theme (no clustering).

    Examples
    --------
    >>> from trendkit import make_demo_corpus, load_frame
    >>> result = analyze_labelled(load_frame(make_demo_corpus(n_docs=300)), "true_theme")
    >>> sorted(result.topics["topic_label"])[:2]
    ['LLM serving & scheduling', 'diffusion image generation']
    """
    if topic_col not in docs.columns:
        raise TrendkitError(f"--topic-col {topic_col!r} not found; columns are: "
                            f"{', '.join(map(str, docs.columns))}")
    timer = StageTimer(progress)
    given = docs[topic_col].astype(object).where(docs[topic_col].notna(), "(none)").astype(str)
    sizes = given.value_counts(sort=False)
    order = sorted(sizes.index, key=lambda k: (-sizes[k], k))  # largest first, then by name
    ids = {label: i for i, label in enumerate(order)}
    docs = docs.assign(topic_id=given.map(ids).astype(int), topic_label=given)
    topics = pd.DataFrame({"topic_id": range(len(order)), "topic_label": order,
                           "n_docs": [int(sizes[k]) for k in order]})
    topics["share"] = topics["n_docs"] / len(docs)
    topics["top_terms"] = ""
    topics["mixed"] = False  # given labels are the user's themes, by definition
    topics["representative_titles"] = [
        " | ".join(docs.loc[given == k, "title"].head(3).astype(str)) for k in order]
    notes = list(docs.attrs.get("notes", []))
    docs, freq = with_periods(docs, freq)
    meta = {"outlier_share": None, "params": {"topic_col": topic_col}}
    return _trended(docs, topics[TOPIC_COLUMNS], freq, normalize_by, timer, notes, meta=meta)


def retrend(result: TrendResult, freq: str | None = None,
            progress: Progress | None = None, normalize_by: str | None = None,
            curation: Curation | None = None) -> TrendResult:
    """Recount themes and recompute periods and trend tables for a result's documents.

    Used after the documents changed (``assign``) or to change the period
    length (``trendkit report --freq``); nothing is re-embedded. ``freq``,
    ``normalize_by`` and the curation default to those the result was made
    with; a curation (see :mod:`trendkit.curate`) renames, merges and excludes
    themes before the trend tables are computed.
    """
    timer = StageTimer(progress)
    meta = dict(result.meta)
    params = meta.get("params", {})
    freq = freq or meta.get("freq")
    normalize_by = normalize_by or params.get("normalize_by")
    docs, freq = with_periods(result.documents.drop(columns=["period"], errors="ignore"), freq)
    topics = result.topics.copy()
    counts = docs["topic_id"].value_counts()
    topics["n_docs"] = topics["topic_id"].map(counts).fillna(0).astype(int)
    topics["share"] = topics["n_docs"] / max(len(docs), 1)
    notes = [n for n in meta.get("notes", []) if not n.startswith("curation:")]
    if curation is None and meta.get("curation"):
        curation = Curation.from_dict(meta["curation"])
    if curation is not None:
        docs, topics, curation_notes = apply_curation(docs, topics, curation)
        notes += curation_notes
        meta["curation"] = curation.to_dict()
    coords = result.coords
    if coords is not None and len(coords) != len(docs):  # excluded documents leave the map
        coords = None
    return _trended(docs, topics, freq, normalize_by, timer, notes, meta=meta, coords=coords,
                    model_arrays=result.model_arrays, quality=result.quality)
