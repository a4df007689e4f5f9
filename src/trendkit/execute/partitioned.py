"""The partitioned executor: fit on a sample, stream everything else through the model.

``scan → plan → collect the fit sample → fit → assign + aggregate``. The fit is the
in-memory executor's own (:func:`~trendkit.execute.memory.fit_themes`) on a
period-stratified sample (``fit_sample`` documents, default 50,000); every other
document passes through in partitions, leaving behind its ``documents.csv`` row
(written as it comes) and its share of the run's aggregates (counts per day and
theme, a bounded terms sample), which merge exactly. The trend stage reads those
aggregates, as for an in-memory run, so peak memory does not grow with the number
of documents, and the run folder keeps them: ``trendkit report --freq``,
``--curate`` and ``trendkit assign`` work on a streamed run as on any run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..cache import CacheLike
from ..embed.registry import DEFAULT as DEFAULT_EMBEDDING
from ..errors import TrendkitError, check_interrupted
from ..load.inputs import expand_inputs
from ..load.options import LoadOptions
from ..load.partitions import BLOCK_BYTES, CHUNK_ROWS, plan_partitions, raw_bytes
from ..result import DOCUMENT_COLUMNS, TrendResult
from ..timing import Progress, StageTimer
from ..trend.counts import MAX_DOCS, bottom_k, merge_counts
from ..trend.coverage import coverage_column
from ..trend.options import TrendOptions
from ..trend.tables import with_periods
from .engines import SingleProcess, open_engine
from .memory import fit_themes, trended
from .passes import Fitted, assign, assign_chunks, collect, scan
from .plan import plan_documents

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
                   theme_threshold: float = 0.3, trend: TrendOptions = TrendOptions(),
                   seed: int = 0, cache: CacheLike = None,
                   progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                   max_docs: int = MAX_DOCS) -> TrendResult:
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
    trend : TrendOptions
        The trend stage's settings (period length, ``normalize_by``, ``recent``).
    embedding, min_topic_size, n_topics, keep_outliers, themes, theme_threshold, seed, \
cache, progress
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
            scans, fit_sample, trend.freq, [getattr(item, "path", None) for item in items])
        trend = trend.with_freq(freq)
        del scans
        if n_docs == 0:
            raise TrendkitError("no documents left after --filter/--since/--until")
        with timer.stage("sample", f"Reading a fit sample of {min(fit_sample, n_docs):,}"):
            found = [f for f in runner.map(_collect_task, zip(items, plans), options, chunk_rows)
                     if f is not None]
        sample = pd.concat(found, ignore_index=True)
        sample.attrs["notes"] = []
        fit = fit_themes(sample, timer, embedding=embedding, min_topic_size=min_topic_size,
                         n_topics=n_topics, keep_outliers=keep_outliers, themes=themes,
                         theme_threshold=theme_threshold, seed=seed, cache=cache,
                         progress=progress)
        group = coverage_column(sample, trend.normalize_by)
        fitted = runner.share(Fitted(
            fit.embedding, seed, fit.model_arrays,
            fit.topics.set_index("topic_id")["topic_label"].to_dict(), freq, group, max_docs,
            facet=trend.facet, weight_col=trend.weight_col,
            known=dict(zip(fit.documents["doc_id"], fit.documents["topic_id"])),
            known_sub=dict(zip(fit.documents["doc_id"], fit.documents["subtopic_id"]))))
        counts, samples, kept, kept_sub, facets = [], [], [], [], []
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
                    if out.facet_counts is not None:
                        facets.append(out.facet_counts)
                    if keep_documents:
                        kept.append(out.topic_ids)
                        kept_sub.append(out.subtopic_ids)
                    if len(counts) >= 16:  # merge as we go: memory stays flat
                        counts = [merge_counts(counts)]
                        samples = [bottom_k(pd.concat(samples), max_docs)]
                        facets = [merge_counts(facets)] if facets else []
        except OSError as exc:  # disk full, permissions
            raise TrendkitError(f"{documents_csv}: cannot write ({exc.strerror or exc})") from exc
        finally:
            if handle:
                handle.close()
    counts, terms = merge_counts(counts), bottom_k(pd.concat(samples), max_docs)
    docs, coords = fit.documents, fit.coords
    meta = {**fit.meta, "n_documents": n_docs,
            "params": {**fit.meta["params"], "fit_sample": fit_sample, "engine": engine,
                       "n_partitions": len(items)}}
    notes = [*notes, *fit.notes,
             f"streamed: themes were fitted on a period-stratified sample of "
             f"{len(fit.documents):,} of {n_docs:,} documents; every other document joined "
             "its nearest theme"]
    if keep_documents:
        docs, coords = _all_documents(items, plans, kept, kept_sub, fit, freq)
    else:
        meta["streamed"] = True
        docs, _ = with_periods(docs, freq)
    return trended(docs, fit.topics, counts, terms, trend, group_col=group, timer=timer,
                   notes=notes, meta=meta, coords=coords, model_arrays=fit.model_arrays,
                   facet_counts=merge_counts(facets) if trend.facet else None)


def _all_documents(items, plans, kept, kept_sub, fit, freq):
    """Every kept document of in-memory partitions, with its theme (``keep_documents``)."""
    labels = fit.topics.set_index("topic_id")["topic_label"]
    frames = [item[plan.keep].reset_index(drop=True) for item, plan in zip(items, plans)]
    docs = pd.concat(frames, ignore_index=True)
    topic = np.concatenate(kept)
    docs = docs.assign(topic_id=topic, topic_label=labels.reindex(topic).to_numpy(),
                       subtopic_id=np.concatenate(kept_sub))
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
