"""The whole job: load → embed → cluster → label → trend → report, and saving a run.

``analyze`` and ``analyze_labelled`` work on DataFrames (notebooks);
``run`` / ``run_labelled`` add loading and write a run folder (the CLI).
A run folder is written to a temporary sibling and moved into place at the
end, so an interrupted or failed run never leaves half a report and never
clobbers an earlier run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .embed import document_texts, fit_embedder
from .errors import TrendkitError
from .load import load
from .model import TopicModel
from .result import TOPIC_COLUMNS, TrendResult
from .runs import check_output_dir, save_run
from .trend import period_terms, topic_volume, trend_summary
from .trend.periods import check_freq, period_label, to_period
from .trend.summary import SUMMARY_COLUMNS
from .trend.volume import VOLUME_COLUMNS

Progress = Callable[[str], None]
CONTRACT_FILES = ("documents.csv", "topics.csv", "trends.csv", "trend_summary.csv",
                  "period_terms.csv", "report.html", "summary.md", "run.json")


class _Timer:
    def __init__(self, progress: Progress | None):
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str, message: str):
        if self.progress:
            self.progress(message)
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


def _with_periods(docs: pd.DataFrame, freq: str | None) -> tuple[pd.DataFrame, str | None]:
    dates = pd.to_datetime(docs["date"], errors="coerce")
    if dates.notna().sum() == 0:
        return docs.assign(period=""), None
    from .trend import choose_freq

    freq = check_freq(freq) if freq else choose_freq(dates)
    periods = to_period(dates, freq)
    labels = periods.map(lambda p: period_label(p, freq) if not pd.isna(p) else "")
    return docs.assign(period=labels.astype(object)), freq


def _trend_tables(docs: pd.DataFrame, topics: pd.DataFrame, freq: str | None, timer: _Timer,
                  alpha: float = 0.05):
    with timer.stage("trend", "Testing trends"):
        if freq is None:  # no dates: valid, empty trend tables and an honest status
            trends = pd.DataFrame(columns=VOLUME_COLUMNS)
            summary = topics[["topic_id", "topic_label", "n_docs"]].assign(
                status="insufficient-data", bursting=False).reindex(columns=SUMMARY_COLUMNS)
            summary["bursting"] = False
            terms = pd.DataFrame(columns=["period", "topic_id", "topic_label", "n_docs", "terms"])
        else:
            trends = topic_volume(docs, freq)
            summary = trend_summary(trends, alpha=alpha)
            terms = period_terms(docs)
    return trends, summary, terms


def _map_coords(model: TopicModel) -> np.ndarray:
    """2-D document-map coordinates without another UMAP run.

    The clustering already placed the fitted documents in a few UMAP
    dimensions; their first two principal components make the map (documents
    outside the fitted sample are left out, as NaN). Small corpora, clustered
    without UMAP, are projected from their embeddings directly.
    """
    from sklearn.decomposition import PCA

    n = len(model.labels_)
    coords = np.full((n, 2), np.nan)
    clusterer = model.clusterer_
    source = clusterer.reduced_ if clusterer.reduced_ is not None else model.embeddings_[
        clusterer.fit_index_]
    if len(source) >= 3 and source.shape[1] >= 2:
        coords[clusterer.fit_index_] = PCA(n_components=2, random_state=0).fit_transform(source)
    return coords


def analyze(docs: pd.DataFrame, *, embedding: str = "lsa", min_topic_size: int | None = None,
            n_topics: int | None = None, keep_outliers: bool = False, freq: str | None = None,
            seed: int = 0, use_cache: bool = True, document_map: bool = True,
            themes: dict[str, list[str]] | None = None, theme_threshold: float = 0.3,
            progress: Progress | None = None,
            embed_progress: Callable[[int, int], None] | None = None) -> TrendResult:
    """Discover themes in a canonical DataFrame and analyse their trends.

    Parameters
    ----------
    docs : pandas.DataFrame
        From :func:`trendkit.load` / :func:`trendkit.load_frame`.
    embedding, min_topic_size, n_topics, keep_outliers, seed
        See :class:`trendkit.TopicModel`.
    freq : {"day", "week", "month", "quarter", "year"}, optional
        Chosen from the date span when omitted.

    Returns
    -------
    TrendResult

    Examples
    --------
    >>> from trendkit import make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), use_cache=False, document_map=False)
    >>> len(result.documents), bool(result.documents["topic_id"].ge(0).all())
    (300, True)
    """
    timer = _Timer(progress)
    docs = docs.reset_index(drop=True)
    with timer.stage("embed", f"Embedding {len(docs):,} documents ({embedding})"):
        texts = document_texts(docs["title"], docs["text"])
        embedder, vectors = fit_embedder(texts, embedding, random_state=seed, use_cache=use_cache,
                                         progress=embed_progress)
    with timer.stage("cluster_label", "Clustering and naming themes"):
        model = TopicModel(embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
                           keep_outliers=keep_outliers, themes=themes,
                           theme_threshold=theme_threshold, use_cache=use_cache, random_state=seed)
        model.fit(docs["text"], titles=docs["title"], embeddings=vectors, embedder=embedder)
    labels = model.topics_.set_index("topic_id")["topic_label"]
    docs = docs.assign(topic_id=model.labels_, topic_label=labels.reindex(model.labels_).to_numpy())
    docs, freq = _with_periods(docs, freq)
    trends, summary, terms = _trend_tables(docs, model.topics_, freq, timer)
    coords = _map_coords(model) if document_map else None
    meta = {"freq": freq, "outlier_share": model.outlier_share_,
            "n_raw_topics": int(model.clusterer_.n_raw_topics_), "timings": timer.timings,
            "notes": list(docs.attrs.get("notes", [])),
            "params": {"embedding": embedding, "min_topic_size": min_topic_size,
                       "n_topics": n_topics, "keep_outliers": keep_outliers, "freq": freq,
                       "seed": seed, "themes": themes, "theme_threshold": theme_threshold}}
    if themes:
        meta["notes"].append(f"{100 * model.declared_share_:.1f} % of documents matched a declared "
                             f"theme (cosine ≥ {theme_threshold}); the rest were clustered freely")
    model_arrays = {"centroids": model.centroids_}
    if hasattr(embedder, "state"):
        model_arrays.update(embedder.state())
    if coords is not None:
        model_arrays["map_coords"] = coords
    return TrendResult(docs, model.topics_[TOPIC_COLUMNS], trends, summary, terms, meta, coords,
                       model_arrays)


def analyze_labelled(docs: pd.DataFrame, topic_col: str, *, freq: str | None = None,
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
    timer = _Timer(progress)
    given = docs[topic_col].astype(object).where(docs[topic_col].notna(), "(none)").astype(str)
    sizes = given.value_counts(sort=False)
    order = sorted(sizes.index, key=lambda k: (-sizes[k], k))  # largest first, then by name
    ids = {label: i for i, label in enumerate(order)}
    docs = docs.assign(topic_id=given.map(ids).astype(int), topic_label=given)
    topics = pd.DataFrame({"topic_id": range(len(order)), "topic_label": order,
                           "n_docs": [int(sizes[k]) for k in order]})
    topics["share"] = topics["n_docs"] / len(docs)
    topics["top_terms"] = ""
    topics["representative_titles"] = [
        " | ".join(docs.loc[given == k, "title"].head(3).astype(str)) for k in order]
    docs, freq = _with_periods(docs, freq)
    trends, summary, terms = _trend_tables(docs, topics, freq, timer)
    meta = {"freq": freq, "outlier_share": None, "timings": timer.timings,
            "notes": list(docs.attrs.get("notes", [])),
            "params": {"topic_col": topic_col, "freq": freq}}
    return TrendResult(docs, topics[TOPIC_COLUMNS], trends, summary, terms, meta)


def run(inputs, out, *, text_col=None, title_col=None, date_col=None, id_col=None, format=None,
        force: bool = False, progress: Progress | None = None, **options) -> TrendResult:
    """Load files, analyse them and write a run folder (what ``trendkit run`` does).

    ``options`` are passed to :func:`analyze`.
    """
    inputs = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    check_output_dir(out, force)
    _check_options(options)
    start = time.perf_counter()
    if progress:
        progress(f"Loading {len(inputs)} input(s)")
    docs = _load_cached(inputs, dict(text_col=text_col, title_col=title_col, date_col=date_col,
                                     id_col=id_col, format=format),
                        use_cache=options.get("use_cache", True))
    load_seconds = round(time.perf_counter() - start, 3)
    result = analyze(docs, progress=progress, **options)
    result.meta["timings"] = {"load": load_seconds, **result.meta["timings"]}
    _save_timed(result, out, force, inputs, progress)
    return result


def run_labelled(inputs, out, topic_col: str, *, date_col=None, text_col=None, title_col=None,
                 id_col=None, format=None, freq=None, force: bool = False,
                 progress: Progress | None = None) -> TrendResult:
    """Trend report for documents with a given label column (``trendkit trends``)."""
    inputs = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
    check_output_dir(out, force)
    _check_options({"freq": freq})
    start = time.perf_counter()
    docs = load(inputs, text_col=text_col, title_col=title_col, date_col=date_col, id_col=id_col,
                format=format)
    load_seconds = round(time.perf_counter() - start, 3)
    result = analyze_labelled(docs, topic_col, freq=freq, progress=progress)
    result.meta["timings"] = {"load": load_seconds, **result.meta["timings"]}
    _save_timed(result, out, force, inputs, progress)
    return result


def _load_cached(inputs: list[Path], options: dict, use_cache: bool = True) -> pd.DataFrame:
    """:func:`trendkit.load`, reusing the canonical frame of byte-identical inputs.

    Keyed by the inputs' SHA-256, the loader options and trendkit's version;
    stored as Parquet plus a JSON list of the loader's notes (never pickles).
    A frame Parquet cannot hold is simply not cached.
    """
    import json

    from . import __version__
    from .embed import default_cache_dir
    from .runs import sha256_file

    if not use_cache or not all(p.is_file() for p in inputs):
        return load(inputs, **options)
    key = hashlib.sha256(json.dumps([__version__, sorted(options.items()),
                                     [sha256_file(p) for p in inputs]]).encode()).hexdigest()[:32]
    folder = default_cache_dir() / "loaded"
    frame_path, notes_path = folder / f"{key}.parquet", folder / f"{key}.json"
    if frame_path.exists() and notes_path.exists():
        try:
            docs = pd.read_parquet(frame_path)
            docs.attrs["notes"] = json.loads(notes_path.read_text())
            return docs
        except (OSError, ValueError):
            pass  # damaged cache entry: load afresh
    docs = load(inputs, **options)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = frame_path.with_name(frame_path.name + f".tmp{os.getpid()}")
        docs.to_parquet(tmp, index=False)
        notes_path.write_text(json.dumps(docs.attrs.get("notes", [])))
        os.replace(tmp, frame_path)
    except Exception:  # unwritable cache or a column Parquet cannot store: no caching
        pass
    return docs


def _check_options(options: dict) -> None:
    """Reject bad option values before loading or embedding anything."""
    from .embed import get_embedder

    if options.get("freq"):
        check_freq(options["freq"])
    if options.get("embedding"):
        get_embedder(options["embedding"])


def _save_timed(result, out, force, inputs, progress) -> None:
    if progress:
        progress("Writing report")
    start = time.perf_counter()
    # run.json is written inside save_run; time the report with a provisional value.
    result.meta["timings"]["report"] = None
    save_run(result, out, force=force, inputs=inputs)
    result.meta["timings"]["report"] = round(time.perf_counter() - start, 3)
    run_json = Path(out) / "run.json"
    info = json.loads(run_json.read_text())
    info["timings_seconds"] = result.meta["timings"]
    run_json.write_text(json.dumps(info, indent=2, default=str) + "\n")


def _retrend(result: TrendResult, freq: str | None, timer: _Timer) -> TrendResult:
    """Recompute periods, trend tables and per-period terms for a result's documents."""
    docs, freq = _with_periods(result.documents.drop(columns=["period"], errors="ignore"), freq)
    topics = _recount(result.topics, docs)
    trends, summary, terms = _trend_tables(docs, topics, freq, timer)
    meta = {**result.meta, "freq": freq, "timings": timer.timings,
            "params": {**result.meta.get("params", {}), "freq": freq}}
    return TrendResult(docs, topics, trends, summary, terms, meta, result.coords,
                       result.model_arrays, result.quality)


def _recount(topics: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    counts = docs["topic_id"].value_counts()
    topics = topics.copy()
    topics["n_docs"] = topics["topic_id"].map(counts).fillna(0).astype(int)
    topics["share"] = topics["n_docs"] / max(len(docs), 1)
    return topics


def report(run_dir, out=None, *, freq: str | None = None, force: bool = False,
           progress: Progress | None = None) -> TrendResult:
    """Recompute trends, figures and report from a finished run (``trendkit report``).

    Nothing is re-embedded or re-clustered: documents and themes come from the
    run folder's saved artifacts. ``out`` defaults to ``run_dir`` itself, which
    is then replaced atomically.
    """
    from .runs import read_run

    _check_options({"freq": freq})
    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir
    in_place = out.resolve() == run_dir.resolve()
    if not in_place:
        check_output_dir(out, force)
    timer = _Timer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir, model_keys=("map_coords",))
    result = _retrend(saved, freq or saved.meta.get("freq"), timer)
    # Documents and model are unchanged: link the saved artifacts instead of rewriting them.
    save_run(result, out, force=True if in_place else force,
             artifacts_from=run_dir / "artifacts")
    return result


def assign(run_dir, inputs, out, *, text_col=None, title_col=None, date_col=None, id_col=None,
           format=None, freq: str | None = None, force: bool = False,
           progress: Progress | None = None) -> TrendResult:
    """Put new abstracts into a finished run's themes and extend its trend tables.

    Documents whose id is already in the run keep their theme; new ones are
    embedded with the run's own fitted model (for LSA: its vocabulary, idf
    and SVD basis) and go to the nearest theme centroid. The themes
    themselves do not change: that is the monthly-update workflow.
    """
    from .embed import get_embedder
    from .runs import read_run

    _check_options({"freq": freq})
    check_output_dir(out, force)
    timer = _Timer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir)
        inputs = [Path(p) for p in ([inputs] if isinstance(inputs, (str, Path)) else inputs)]
        new = load(inputs, text_col=text_col, title_col=title_col, date_col=date_col,
                   id_col=id_col, format=format)
    old_ids = set(saved.documents["doc_id"].astype(str))
    fresh = new[~new["doc_id"].astype(str).isin(old_ids)].reset_index(drop=True)
    arrays = saved.model_arrays
    if "centroids" not in arrays:
        raise TrendkitError(f"{run_dir}: this run has no saved theme model (was it made by "
                            "`trendkit trends`?); assign needs a `trendkit run` folder")
    with timer.stage("assign", f"Assigning {len(fresh):,} new documents"):
        if len(fresh):
            params = saved.meta.get("params", {})
            embedder = get_embedder(params.get("embedding", "lsa"), params.get("seed", 0))
            texts = document_texts(fresh["title"], fresh["text"])
            if hasattr(embedder, "set_state"):
                vectors = embedder.set_state(arrays).transform(texts)
            else:
                vectors = embedder.embed(texts)
            centroids = arrays["centroids"]
            # Theme ids are the rows of the saved centroids, in id order.
            ids = saved.topics.loc[saved.topics["topic_id"] >= 0, "topic_id"].sort_values().to_numpy()
            labels = ids[np.argmax(vectors @ centroids.T, axis=1)]
            names = saved.topics.set_index("topic_id")["topic_label"]
            fresh = fresh.assign(topic_id=labels, topic_label=names.reindex(labels).to_numpy())
    keep = [c for c in saved.documents.columns if c != "period"]
    combined = pd.concat([saved.documents[keep], fresh.reindex(columns=keep)], ignore_index=True)
    coords = None
    if saved.coords is not None:
        coords = np.vstack([saved.coords, np.full((len(fresh), 2), np.nan)])
    arrays = {**arrays, **({"map_coords": coords} if coords is not None else {})}
    base = TrendResult(combined, saved.topics, pd.DataFrame(), pd.DataFrame(),
                       meta={**saved.meta, "notes": [*saved.meta.get("notes", []),
                                                      *new.attrs.get("notes", []),
                             f"assigned {len(fresh):,} new document(s) to the themes of {run_dir}; "
                             f"{len(new) - len(fresh):,} already in the run kept their theme"]},
                       coords=coords, model_arrays=arrays)
    result = _retrend(base, freq or saved.meta.get("freq"), timer)
    save_run(result, out, force=force, inputs=inputs)
    return result


def evaluate(run_dir, *, label_col: str | None = None,
             progress: Progress | None = None) -> TrendResult:
    """Score a finished run's themes and add ``quality.csv`` to it (``trendkit evaluate``).

    NPMI coherence of each theme's top-10 terms on the corpus, topic diversity
    and, with ``label_col`` (a column of the input, e.g. ``primary_category``),
    NMI / ARI / homogeneity / completeness against those labels. The run's
    report is re-rendered with the quality table.
    """
    from .quality import theme_quality
    from .runs import read_run

    timer = _Timer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir, model_keys=("map_coords",))
    if label_col is not None and label_col not in saved.documents.columns:
        raise TrendkitError(f"--label-col {label_col!r} not found in the run's documents; "
                            f"columns are: {', '.join(map(str, saved.documents.columns))}")
    with timer.stage("quality", "Scoring themes"):
        saved.quality = theme_quality(saved.documents, saved.topics, label_col=label_col)
    result = _retrend(saved, saved.meta.get("freq"), timer)
    # Documents and model are unchanged: link the saved artifacts instead of rewriting them.
    save_run(result, run_dir, force=True, artifacts_from=Path(run_dir) / "artifacts")
    return result
