"""One function per CLI command: read inputs or a run folder, analyse, write a run folder.

==============  =========================  ==========================================
function        command                    what it does
==============  =========================  ==========================================
``run``         ``trendkit run``           load → :func:`~trendkit.pipeline.analyze`
``run_labelled`` ``trendkit trends``       load → :func:`~trendkit.pipeline.analyze_labelled`
``rerender``    ``trendkit report``        saved run → new periods, figures, report
``assign``      ``trendkit assign``        saved run + new documents → extended run
``evaluate``    ``trendkit evaluate``      saved run → ``quality.csv`` + report
==============  =========================  ==========================================

Every workflow checks its options and output folder before any work
(:func:`_prepare`) and writes through :func:`~trendkit.runs.save_run`, which
is atomic: a failed or interrupted command leaves earlier results intact.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .cache import CacheLike
from .curate import read_curation
from .embed import DEFAULT_EMBEDDING, check_embedding, get_embedder
from .errors import TrendkitError
from .load import LoadOptions, as_paths, load
from .load.filters import check_date
from .pipeline import Progress, StageTimer, analyze, analyze_labelled, retrend
from .result import TrendResult
from .runs import check_output_dir, read_run, save_run
from .trend.periods import check_freq
from .update import extend


def _prepare(out: Path | None, force: bool, freq: str | None = None,
             embedding: str | None = None, columns: LoadOptions | None = None) -> None:
    """Reject bad options and an occupied output folder before loading anything."""
    if freq:
        check_freq(freq)
    if columns is not None:
        check_date(columns.since, "--since")
        check_date(columns.until, "--until")
    if embedding:
        check_embedding(embedding)
    if out is not None:
        check_output_dir(out, force)


def _load_timed(inputs, columns: LoadOptions | None, cache: CacheLike, timer: StageTimer,
                freq: str | None = None) -> pd.DataFrame:
    paths = as_paths(inputs)
    with timer.stage("load", f"Loading {len(paths)} input(s)"):
        docs = load(paths, columns, cache=cache)
    if freq and docs["date"].notna().any():
        check_freq(freq, docs["date"])  # before minutes of embedding, not after
    return docs


STREAM_BYTES = 2**30  # inputs larger than this (gzip counted ×4) stream by default


def _should_stream(paths: list[Path], fit_sample: int | None, engine: str,
                   columns: LoadOptions | None) -> bool:
    """Asked for, or large inputs in a format that can be cut into partitions."""
    from .scale.partitions import streamable

    if engine != "single" or fit_sample is not None:
        return True
    size = sum(p.stat().st_size * (4 if p.name.lower().endswith(".gz") else 1) for p in paths)
    forced = columns.format if columns else None
    return size > STREAM_BYTES and all(streamable(p, forced) for p in paths)


def _not_streamed(saved: TrendResult, run_dir, command: str) -> None:
    if saved.meta.get("streamed"):
        raise TrendkitError(f"{run_dir}: a streamed run keeps only its fit sample and aggregate "
                            f"counts, so `trendkit {command}` cannot redo it; run `trendkit run` "
                            "again with the new options")


def _report(result: TrendResult):
    from .report import TrendReport

    return TrendReport(result)


def run(inputs, out, *, columns: LoadOptions | None = None, embedding: str = DEFAULT_EMBEDDING,
        min_topic_size: int | None = None, n_topics: int | None = None,
        keep_outliers: bool = False, themes: dict[str, list[str]] | None = None,
        theme_threshold: float = 0.3, freq: str | None = None, normalize_by: str | None = None,
        seed: int = 0,
        cache: CacheLike = None, use_cache: bool = True, force: bool = False,
        excel: bool = False, progress: Progress | None = None,
        embed_progress: Callable[[int, int], None] | None = None,
        fit_sample: int | None = None, engine: str = "single",
        scheduler: str | None = None) -> TrendResult:
    """Load files, discover themes, test trends and write a run folder (``trendkit run``).

    Parameters are those of :func:`trendkit.load` (as ``columns``) and
    :func:`trendkit.analyze`; ``force`` replaces an existing run folder;
    ``excel`` adds ``trends.xlsx``. Inputs may be globs or Parquet folders.

    Large JSON Lines/CSV/Parquet inputs (over 1 GB, gzip counted ×4), ``fit_sample`` or
    ``engine="dask"`` stream instead of loading everything: themes are
    fitted on a period-stratified sample of ``fit_sample`` documents (default
    50,000) and every document is then assigned in partitions, on this
    process or a Dask cluster (``scheduler`` address, default a LocalCluster);
    see :mod:`trendkit.scale`.
    """
    from .scale import FIT_SAMPLE, check_engine, stream_files
    from .scale.partitions import expand_inputs

    _prepare(out, force, freq, embedding, columns)
    check_engine(engine)
    if fit_sample is not None and fit_sample < 100:
        raise TrendkitError(f"--fit-sample {fit_sample}: use at least 100 documents")
    paths = expand_inputs(inputs)
    cache = cache if use_cache else False
    if _should_stream(paths, fit_sample, engine, columns):
        out = Path(out)
        csv = out.parent / f".{out.name}.documents-{os.getpid()}.csv"
        try:
            result = stream_files(paths, columns, documents_csv=csv,
                                  fit_sample=fit_sample or FIT_SAMPLE, engine=engine,
                                  scheduler=scheduler, embedding=embedding,
                                  min_topic_size=min_topic_size, n_topics=n_topics,
                                  keep_outliers=keep_outliers, themes=themes,
                                  theme_threshold=theme_threshold, freq=freq,
                                  normalize_by=normalize_by, seed=seed, cache=cache,
                                  progress=progress)
            if progress:
                progress("Writing report")
            save_run(result, out, _report(result), force=force, inputs=paths, excel=excel,
                     documents_file=csv)
        finally:
            csv.unlink(missing_ok=True)
        return result
    inputs = paths
    timer = StageTimer(progress)
    docs = _load_timed(inputs, columns, cache, timer, freq)
    result = analyze(docs, embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
                     keep_outliers=keep_outliers, themes=themes, theme_threshold=theme_threshold,
                     freq=freq, normalize_by=normalize_by, seed=seed, cache=cache,
                     progress=progress,
                     embed_progress=embed_progress)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    if progress:
        progress("Writing report")
    save_run(result, out, _report(result), force=force, inputs=as_paths(inputs), excel=excel)
    return result


def run_labelled(inputs, out, topic_col: str, *, columns: LoadOptions | None = None,
                 freq: str | None = None, normalize_by: str | None = None, force: bool = False,
                 excel: bool = False, progress: Progress | None = None) -> TrendResult:
    """Trend report for documents with a given label column (``trendkit trends``)."""
    _prepare(out, force, freq, columns=columns)
    timer = StageTimer(progress)
    docs = _load_timed(inputs, columns, False, timer, freq)
    result = analyze_labelled(docs, topic_col, freq=freq, normalize_by=normalize_by,
                              progress=progress)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    save_run(result, out, _report(result), force=force, inputs=as_paths(inputs), excel=excel)
    return result


def rerender(run_dir, out=None, *, freq: str | None = None, normalize_by: str | None = None,
             curate=None, force: bool = False, excel: bool = False,
             progress: Progress | None = None) -> TrendResult:
    """Recompute trends, figures and report from a finished run (``trendkit report``).

    Nothing is re-embedded or re-clustered: documents and themes come from the
    run folder's saved artifacts. ``out`` defaults to ``run_dir`` itself, which
    is then replaced atomically. ``curate`` (a TOML file, see
    :mod:`trendkit.curate`) renames, merges and excludes themes; the file is
    copied into the run and recorded in ``run.json``.
    """
    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir
    in_place = out.resolve() == run_dir.resolve()
    _prepare(None if in_place else out, force, freq)
    curation = read_curation(curate) if curate is not None else None
    timer = StageTimer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir, model_keys=("map_coords",))
    _not_streamed(saved, run_dir, "report")
    result = retrend(saved, freq, progress, normalize_by, curation)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    extra = {"curation.toml": Path(curate).read_bytes()} if curate is not None else None
    # Documents and model are unchanged: link the saved artifacts instead of rewriting them.
    save_run(result, out, _report(result), force=force or in_place,
             artifacts_from=run_dir / "artifacts", excel=excel, extra_files=extra)
    return result


def assign(run_dir, inputs, out, *, columns: LoadOptions | None = None, freq: str | None = None,
           new_themes: bool = True, force: bool = False, excel: bool = False,
           progress: Progress | None = None) -> TrendResult:
    """Put new abstracts into a finished run's themes and extend its trend tables.

    Documents whose id is already in the run keep their theme; new ones are
    embedded with the run's own fitted model (for LSA: its vocabulary, idf
    and SVD basis) and join the nearest theme, unless they are far from
    every theme: with ``new_themes`` (default) those wait in a novelty pool
    and become a new theme once a coherent group of the minimum theme size
    has formed (see :mod:`trendkit.update`). Old ids and labels never change.
    """
    _prepare(out, force, freq)
    timer = StageTimer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir)
    _not_streamed(saved, run_dir, "assign")
    new = _load_timed(inputs, columns, False, timer)
    arrays = saved.model_arrays
    if "centroids" not in arrays:
        raise TrendkitError(f"{run_dir}: this run has no saved theme model (was it made by "
                            "`trendkit trends`?); assign needs a `trendkit run` folder")
    old_ids = set(saved.documents["doc_id"].astype(str))
    fresh = new[~new["doc_id"].astype(str).isin(old_ids)].reset_index(drop=True)
    combined, topics = saved.documents.drop(columns=["period"], errors="ignore"), saved.topics
    novelty, found = saved.meta.get("novelty"), []
    with timer.stage("assign", f"Assigning {len(fresh):,} new documents"):
        if len(fresh):
            params = saved.meta.get("params", {})
            # a run.json without the field predates the record: LSA was the default then
            embedder = get_embedder(params.get("embedding", "lsa"), params.get("seed", 0))
            combined, topics, arrays, novelty, found = extend(
                saved, fresh, embedder.set_state(arrays), new_themes=new_themes)
    coords = None
    if saved.coords is not None:
        coords = np.vstack([saved.coords, np.full((len(fresh), 2), np.nan)])
        arrays = {**arrays, "map_coords": coords}
    notes = [*saved.meta.get("notes", []), *new.attrs.get("notes", []), *found,
             f"assigned {len(fresh):,} new document(s) to the themes of {run_dir}; "
             f"{len(new) - len(fresh):,} already in the run kept their theme"]
    base = TrendResult(combined, topics, pd.DataFrame(), pd.DataFrame(),
                       meta={**saved.meta, "notes": notes, "novelty": novelty}, coords=coords,
                       model_arrays=arrays)
    result = retrend(base, freq, progress)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    save_run(result, out, _report(result), force=force, inputs=as_paths(inputs), excel=excel)
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

    run_dir = Path(run_dir)
    timer = StageTimer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir, model_keys=("map_coords",))
    _not_streamed(saved, run_dir, "evaluate")
    if label_col is not None and label_col not in saved.documents.columns:
        raise TrendkitError(f"--label-col {label_col!r} not found in the run's documents; "
                            f"columns are: {', '.join(map(str, saved.documents.columns))}")
    with timer.stage("quality", "Scoring themes"):
        saved.quality = theme_quality(saved.documents, saved.topics, label_col=label_col)
    result = retrend(saved, None, progress)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    save_run(result, run_dir, _report(result), force=True, artifacts_from=run_dir / "artifacts")
    return result
