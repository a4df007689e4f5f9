"""The out-of-core driver: fit on a sample, stream everything else through the model.

``scan → plan → collect the fit sample → fit → assign + aggregate``. Only the
fit sample (``fit_sample`` documents, default 50,000) is ever held as text;
the other documents pass through in partitions, leaving behind their
``documents.csv`` rows (written as they come), ``(day, theme, group)``
counts and at most ``max_docs`` texts per period and theme for the period
terms. Trend tables, figures and report are computed from those aggregates,
so peak memory does not grow with the number of documents.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..cache import CacheLike
from ..embed import DEFAULT_EMBEDDING
from ..errors import TrendkitError, check_interrupted
from ..load.options import LoadOptions
from ..pipeline import Progress, StageTimer, analyze
from ..result import DOCUMENT_COLUMNS, TOPIC_COLUMNS, TrendResult
from ..trend import trend_tables, with_periods
from ..trend.coverage import coverage_column, coverage_notes
from .engines import SingleProcess, open_engine
from .partitions import BLOCK_BYTES, CHUNK_ROWS, expand_inputs, plan_partitions, raw_bytes
from .passes import Fitted, assign, assign_chunks, bottom_k, collect, merge_counts, scan
from .sample import plan_documents

FIT_SAMPLE = 50_000


def _collect_task(pair, options, chunk_rows):
    return collect(pair[0], options, pair[1], chunk_rows)


def _assign_task(pair, options, fitted, chunk_rows):
    return assign(pair[0], options, pair[1], fitted, chunk_rows)


def _assigned(runner, items, plans, options, fitted, chunk_rows):
    """Assigned outputs in input order: per chunk in this process (a gzip file is one
    partition: its rows must not pile up), per partition from Dask workers."""
    if isinstance(runner, SingleProcess):
        for item, plan in zip(items, plans):
            for out in assign_chunks(item, options, plan, fitted, chunk_rows):
                check_interrupted()
                yield out
    else:
        yield from runner.map(_assign_task, zip(items, plans), options, fitted, chunk_rows)


def stream_analyze(items, *, options: LoadOptions | None = None, fit_sample: int = FIT_SAMPLE,
                   engine: str = "single", scheduler: str | None = None,
                   n_workers: int | None = None, documents_csv: Path | None = None,
                   keep_documents: bool = False, embedding: str = DEFAULT_EMBEDDING,
                   min_topic_size: int | None = None, n_topics: int | None = None,
                   keep_outliers: bool = False, themes: dict | None = None,
                   theme_threshold: float = 0.3, freq: str | None = None,
                   normalize_by: str | None = None, seed: int = 0, cache: CacheLike = None,
                   progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                   max_docs: int = 30) -> TrendResult:
    """Analyse partitions (files cut by :func:`plan_partitions`, or DataFrames) out of core.

    Parameters
    ----------
    items : iterable of Partition or DataFrame
        File partitions (see :func:`stream_files`) or canonical frames.
    options : LoadOptions, optional
        How files are read (columns, ``--filter``, ``--since``/``--until``).
    fit_sample : int, default 50,000
        Size of the period-stratified sample the themes are fitted on.
    engine : {"single", "dask"}
        Where the per-partition passes run; ``scheduler`` is a Dask address
        (default: a LocalCluster of ``n_workers``, one per core).
    documents_csv : path, optional
        Receives every document's ``documents.csv`` row as it is assigned.
    keep_documents : bool, default False
        Also return every document in ``result.documents`` (the in-memory
        API); otherwise that is the fit sample and ``result.meta["n_documents"]``
        the full count.
    embedding, min_topic_size, n_topics, keep_outliers, themes, theme_threshold, freq, \
normalize_by, seed, cache, progress
        As for :func:`trendkit.analyze`.
    chunk_rows : int
        Rows per chunk read; memory depends on it, not on the input's size.
    max_docs : int, default 30
        Texts kept per period and theme for the period terms.

    Returns
    -------
    TrendResult
        With ``meta["streamed"]`` (files) and ``meta["n_documents"]``.
    """
    options = options or LoadOptions()
    items = [i for i in items if not isinstance(i, pd.DataFrame) or len(i)]
    if not items:
        raise TrendkitError("no documents to analyse")
    timer = StageTimer(progress)
    with open_engine(engine, scheduler, n_workers) as runner:
        with timer.stage("scan", f"Scanning {len(items)} partition(s) ({engine} engine)"):
            scans = list(runner.map(scan, items, options, seed, chunk_rows))
        plans, freq, n_docs, notes = plan_documents(
            scans, fit_sample, freq, [getattr(item, "path", None) for item in items])
        del scans
        if n_docs == 0:
            raise TrendkitError("no documents left after --filter/--since/--until")
        with timer.stage("sample", f"Reading a fit sample of {min(fit_sample, n_docs):,}"):
            found = [f for f in runner.map(_collect_task, zip(items, plans), options, chunk_rows)
                     if f is not None]
        sample = pd.concat(found, ignore_index=True)
        sample.attrs["notes"] = []
        fit = analyze(sample, embedding=embedding, min_topic_size=min_topic_size,
                      n_topics=n_topics, keep_outliers=keep_outliers, themes=themes,
                      theme_threshold=theme_threshold, freq=freq, normalize_by=normalize_by,
                      seed=seed, cache=cache, progress=progress)
        arrays = {k: v for k, v in fit.model_arrays.items() if k != "map_coords"}
        embedding = fit.meta["params"]["embedding"]  # "auto" chose on the sample; keep its pick
        fitted = runner.share(Fitted(
            embedding, seed, arrays, fit.topics.set_index("topic_id")["topic_label"].to_dict(),
            freq, coverage_column(sample, normalize_by), max_docs,
            known=dict(zip(fit.documents["doc_id"], fit.documents["topic_id"]))))
        counts, samples, kept = [], [], []
        handle = open(documents_csv, "w", encoding="utf-8", newline="") if documents_csv else None
        try:
            if handle:
                handle.write(",".join(DOCUMENT_COLUMNS) + "\n")
            with timer.stage("assign", f"Assigning {n_docs:,} documents"):
                for out in _assigned(runner, items, plans, options, fitted, chunk_rows):
                    if handle:
                        handle.write(out.csv)
                    counts.append(out.counts)
                    samples.append(out.terms_sample)
                    if keep_documents:
                        kept.append(out.topic_ids)
                    if len(counts) >= 16:  # merge as we go: memory stays flat
                        counts = [merge_counts(counts)]
                        samples = [bottom_k(pd.concat(samples), max_docs)]
        except OSError as exc:  # disk full, permissions
            raise TrendkitError(f"{documents_csv}: cannot write ({exc.strerror or exc})") from exc
        finally:
            if handle:
                handle.close()
    return _result(fit, items, plans, kept, merge_counts(counts),
                   bottom_k(pd.concat(samples), max_docs), n_docs, freq, normalize_by, notes,
                   timer, keep_documents, dict(fit_sample=fit_sample, engine=engine,
                                               n_partitions=len(items)))


def _result(fit, items, plans, kept, counts, terms_sample, n_docs, freq, normalize_by, notes,
            timer, keep_documents, params) -> TrendResult:
    labels = fit.topics.set_index("topic_id")["topic_label"]
    if len(counts):
        counts["topic_label"] = labels.reindex(counts["topic_id"]).to_numpy()
    topics = fit.topics.copy()
    sizes = counts.groupby("topic_id")["n"].sum() if len(counts) else pd.Series(dtype=int)
    topics["n_docs"] = topics["topic_id"].map(sizes).fillna(0).astype(int)
    topics["share"] = topics["n_docs"] / max(n_docs, 1)
    with timer.stage("trend", "Testing trends"):
        trends, summary, terms, coverage = trend_tables(
            terms_sample, topics, freq, normalize_by=normalize_by,
            counts=counts if freq else None)
    fit_notes = [n for n in fit.meta.get("notes", []) if not n.startswith("coverage:")]
    notes = [*notes, *fit_notes, *coverage_notes(coverage),
             f"streamed: themes were fitted on a period-stratified sample of "
             f"{len(fit.documents):,} of {n_docs:,} documents; every other document joined "
             "its nearest theme"]
    docs, coords = fit.documents, fit.coords
    if keep_documents:
        docs, coords = _all_documents(items, plans, kept, labels, freq, fit)
    meta = {**fit.meta, "notes": notes, "freq": freq, "n_documents": n_docs,
            "timings": {**timer.timings, **{f"fit_{k}": v for k, v in
                                            fit.meta["timings"].items()}},
            "params": {**fit.meta["params"], **params}}
    if not keep_documents:
        meta["streamed"] = True
        dates = counts["date"].dropna() if len(counts) else pd.Series(dtype="datetime64[ns]")
        meta["date_span"] = (f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}"
                             if len(dates) else "no dates")
    return TrendResult(docs, topics[TOPIC_COLUMNS], trends, summary, terms, meta, coords=coords,
                       model_arrays=fit.model_arrays, coverage=coverage)


def _all_documents(items, plans, kept, labels, freq, fit):
    """Every kept document of in-memory partitions, with its theme (``keep_documents``)."""
    frames = [item[plan.keep].reset_index(drop=True) for item, plan in zip(items, plans)]
    docs = pd.concat(frames, ignore_index=True)
    topic = np.concatenate(kept)
    docs = docs.assign(topic_id=topic, topic_label=labels.reindex(topic).to_numpy())
    docs, _ = with_periods(docs, freq)
    coords = None
    if fit.coords is not None:  # the map shows the fit sample; other documents have no place
        where = pd.Series(np.arange(len(fit.documents)), index=fit.documents["doc_id"])
        rows = where.reindex(docs["doc_id"]).to_numpy()
        coords = np.full((len(docs), 2), np.nan)
        found = ~np.isnan(rows)
        coords[found] = fit.coords[rows[found].astype(int)]
    return docs, coords


def stream_frame(docs: pd.DataFrame, fit_sample: int | None = None, chunk_rows: int = CHUNK_ROWS,
                 **kwargs) -> TrendResult:
    """:func:`stream_analyze` on an in-memory frame (``trendkit.analyze(..., engine="dask")``)."""
    chunks = [docs.iloc[i:i + chunk_rows] for i in range(0, len(docs), chunk_rows)]
    return stream_analyze(chunks, fit_sample=fit_sample or FIT_SAMPLE, keep_documents=True,
                          chunk_rows=chunk_rows, **kwargs)


def stream_files(inputs, options: LoadOptions | None = None, *, block_bytes: int = BLOCK_BYTES,
                 **kwargs) -> TrendResult:
    """:func:`stream_analyze` on files, globs or Parquet folders; records the read rate."""
    files = expand_inputs(inputs)
    parts = plan_partitions(files, options, block_bytes)
    result = stream_analyze(parts, options=options, **kwargs)
    seconds = result.meta["timings"].get("scan", 0) or 1e-9
    result.meta["read_mb_per_s"] = round(raw_bytes(files) / 2**20 / seconds, 1)
    return result
