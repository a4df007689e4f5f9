"""One function per CLI command: read inputs or a run folder, analyse, write a run folder.

==============  =========================  ==========================================
function        command                    what it does
==============  =========================  ==========================================
``run``         ``trendkit run``           load → :func:`~trendkit.execute.analyze`
``run_labelled`` ``trendkit trends``       load → :func:`~trendkit.execute.analyze_labelled`
``rerender``    ``trendkit report``        saved run → new periods, curation, report
``assign``      ``trendkit assign``        saved run + new documents → extended run
``evaluate``    ``trendkit evaluate``      saved run → ``quality.csv`` + report
==============  =========================  ==========================================

Every workflow checks its options and output folder before any work
(:func:`_prepare`), expands its inputs with :func:`~trendkit.load.inputs.expand_inputs`
and writes through :func:`~trendkit.runs.save_run`, which is atomic: a failed or
interrupted command leaves earlier results intact. A streamed run (its documents
are not all in memory) is re-rendered and extended from its saved aggregates, its
``documents.csv`` rewritten in chunks (:mod:`trendkit.execute.documents_csv`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .cache import CacheLike
from .embed.choose import LEGACY_EMBEDDING, check_embedding, get_embedder
from .embed.registry import DEFAULT as DEFAULT_EMBEDDING
from .errors import TrendkitError
from .execute import analyze_labelled, retrend, streamed, streaming
from .execute.documents_csv import document_rows
from .execute.memory import analyze_in_memory
from .execute.partitioned import FIT_SAMPLE, stream_files
from .execute.update import extend
from .label.curate import read_curation
from .label.quality import theme_quality
from .load.corpus import load_corpus
from .load.filters import check_date
from .load.inputs import expand_inputs
from .load.options import LoadOptions
from .result import TrendResult
from .runs import check_output_dir, read_run, save_run
from .timing import Progress, StageTimer
from .trend.facets import check_facet
from .trend.options import TrendOptions
from .trend.periods import resolve_freq

# What re-rendering needs of a run's model: the map, and sub-themes' centres (for lineage);
# not the embedder's large arrays.
SMALL_ARRAYS = ("map_coords", "sub_centroids", "sub_ids", "sub_parents")


def _prepare(out: Path | None, force: bool, freq: str | None = None,
             embedding: str | None = None, columns: LoadOptions | None = None) -> None:
    """Reject bad options and an occupied output folder before loading anything."""
    resolve_freq(freq)
    if columns is not None:
        check_date(columns.since, "--since")
        check_date(columns.until, "--until")
    if embedding:
        check_embedding(embedding)
    if out is not None:
        check_output_dir(out, force)


def _weighting(columns: LoadOptions | None, trend: TrendOptions
               ) -> tuple[LoadOptions | None, TrendOptions]:
    """One ``--weight``: the loader reads the column, the trend stage weights by it."""
    weight = (columns.weight if columns is not None else None) or trend.weight
    if weight is None:
        return columns, trend
    return replace(columns or LoadOptions(), weight=weight), replace(trend, weight=weight)


def _load_timed(paths: list[Path], columns: LoadOptions | None, cache: CacheLike,
                timer: StageTimer, freq: str | None = None) -> pd.DataFrame:
    with timer.stage("load", f"Loading {len(paths)} input(s)"):
        docs = load_corpus(paths, columns, cache=cache)
    resolve_freq(freq, docs["date"])  # a --freq finer than the dates fails before embedding
    return docs


def _report(result: TrendResult):
    from .report import TrendReport

    return TrendReport(result)


@contextmanager
def _scratch(out: Path, name: str):
    """A temporary file beside ``out`` (same file system: it is moved into the run)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.{name}-{os.getpid()}"
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def run(inputs, out, *, columns: LoadOptions | None = None, embedding: str = DEFAULT_EMBEDDING,
        min_topic_size: int | None = None, n_topics: int | None = None,
        keep_outliers: bool = False, themes: dict[str, list[str]] | None = None,
        theme_threshold: float = 0.3, freq: str | None = None, normalize_by: str | None = None,
        trend: TrendOptions | None = None,
        seed: int = 0, cache: CacheLike = None, use_cache: bool = True, force: bool = False,
        excel: bool = False, progress: Progress | None = None,
        embed_progress: Callable[[int, int], None] | None = None,
        fit_sample: int | None = None, engine: str = "single",
        scheduler: str | None = None) -> TrendResult:
    """Load files, discover themes, test trends and write a run folder (``trendkit run``).

    Parameters are those of :func:`trendkit.load_corpus` (as ``columns``) and
    :func:`trendkit.analyze`; ``trend`` gathers the trend stage's settings (``freq`` and
    ``normalize_by`` given here win over it); ``force`` replaces an existing run folder;
    ``excel`` adds ``trends.xlsx``. Inputs may be globs or Parquet folders.

    Large JSON Lines/CSV/Parquet inputs (over 1 GB, gzip counted ×4), ``fit_sample`` or
    ``engine="dask"`` stream instead of loading everything (see
    :func:`trendkit.execute.streaming`): themes are fitted on a period-stratified sample
    of ``fit_sample`` documents (default 50,000) and every document is then assigned in
    partitions, on this process or a Dask cluster (``scheduler`` address, default a
    LocalCluster).
    """
    trend = (trend or TrendOptions()).updated(freq=freq, normalize_by=normalize_by)
    columns, trend = _weighting(columns, trend)
    _prepare(out, force, trend.freq, embedding, columns)
    paths = expand_inputs(inputs)
    cache = cache if use_cache else False
    options = dict(embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
                   keep_outliers=keep_outliers, themes=themes, theme_threshold=theme_threshold,
                   trend=trend, seed=seed, cache=cache, progress=progress)
    if streaming(fit_sample=fit_sample, engine=engine, paths=paths,
                 forced_format=columns.format if columns else None):
        with _scratch(out, "documents") as csv:
            result = stream_files(paths, columns, documents_csv=csv,
                                  fit_sample=fit_sample or FIT_SAMPLE, engine=engine,
                                  scheduler=scheduler, **options)
            if progress:
                progress("Writing report")
            save_run(result, out, _report(result), force=force, inputs=paths, excel=excel,
                     documents_file=csv)
        return result
    timer = StageTimer(progress)
    docs = _load_timed(paths, columns, cache, timer, trend.freq)
    check_facet(docs, trend.facet)  # before minutes of embedding
    result = analyze_in_memory(docs, embed_progress=embed_progress, **options)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    if progress:
        progress("Writing report")
    save_run(result, out, _report(result), force=force, inputs=paths, excel=excel)
    return result


def compare(inputs, out, *, group: str | None = None, trend: TrendOptions | None = None,
            **run_options) -> TrendResult:
    """Two corpora on one set of themes (``trendkit compare``): ``compare.csv``, a figure and
    a report section besides a whole run folder (see :mod:`trendkit.trend.compare`).

    Either two ``inputs`` (corpus A, corpus B) or ``group="COLUMN=VALUE"``: the documents
    whose ``COLUMN`` is ``VALUE`` against all the others. The themes are fitted on both
    together; each corpus's trends are also tested on its own (``facets.csv``).
    """
    paths = expand_inputs(inputs)
    trend = trend or TrendOptions()
    if group is not None:
        column, sep, value = group.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise TrendkitError(f"--group {group!r}: write COLUMN=VALUE, e.g. venue=icra")
        trend = replace(trend, facet=column.strip(), compare=value.strip(), facet_top=None)
    else:
        if len(paths) != 2:
            raise TrendkitError(f"compare needs two inputs (corpus A, corpus B) or one input "
                                f"with --group COLUMN=VALUE; got {len(paths)}")
        if paths[0].name == paths[1].name:
            raise TrendkitError(f"compare: both inputs are named {paths[0].name}; rename one "
                                "(the file name tells the corpora apart)")
        # each document's `source` is its file's name: the facet that splits the corpora
        trend = replace(trend, facet="source", compare=paths[0].name, facet_top=None)
    return run(paths, out, trend=trend, **run_options)


def run_labelled(inputs, out, topic_col: str, *, columns: LoadOptions | None = None,
                 freq: str | None = None, normalize_by: str | None = None,
                 recent: int | None = None, trend: TrendOptions | None = None,
                 force: bool = False, excel: bool = False,
                 progress: Progress | None = None) -> TrendResult:
    """Trend report for documents with a given label column (``trendkit trends``)."""
    trend = (trend or TrendOptions()).updated(freq=freq, normalize_by=normalize_by,
                                              recent=recent)
    columns, trend = _weighting(columns, trend)
    _prepare(out, force, trend.freq, columns=columns)
    paths = expand_inputs(inputs)
    timer = StageTimer(progress)
    docs = _load_timed(paths, columns, False, timer, trend.freq)
    check_facet(docs, trend.facet)
    result = analyze_labelled(docs, topic_col, trend=trend, progress=progress)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    save_run(result, out, _report(result), force=force, inputs=paths, excel=excel)
    return result


def _history(result: TrendResult, command: str, source: Path, **details) -> None:
    """Record in run.json what was done to a finished run (inputs and hashes are kept)."""
    entry = {"command": command, "from": str(source),
             "at": pd.Timestamp.now("UTC").isoformat(timespec="seconds"),
             **{k: v for k, v in details.items() if v is not None}}
    result.meta["history"] = [*result.meta.get("history", []), entry]


def rerender(run_dir, out=None, *, freq: str | None = None, normalize_by: str | None = None,
             recent: int | None = None, trend: TrendOptions | None = None,
             curate=None, force: bool = False, excel: bool = False,
             progress: Progress | None = None) -> TrendResult:
    """Recompute trends, figures and report from a finished run (``trendkit report``).

    Nothing is re-embedded or re-clustered: documents (or, for a streamed run, its
    saved counts and terms sample) and themes come from the run folder. ``out``
    defaults to ``run_dir`` itself, which is then replaced atomically. ``curate`` (a
    TOML file, see :mod:`trendkit.label.curate`) renames, merges and excludes themes;
    the file is copied into the run and recorded in ``run.json``.
    """
    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir
    in_place = out.resolve() == run_dir.resolve()
    _prepare(None if in_place else out, force, freq)
    curation = read_curation(curate) if curate is not None else None
    timer = StageTimer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir, model_keys=SMALL_ARRAYS)
    trend = (trend or TrendOptions()).updated(freq=freq, normalize_by=normalize_by,
                                              recent=recent)
    result = retrend(saved, trend, progress, curation)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    _history(result, "report", run_dir, freq=freq, normalize_by=normalize_by, recent=recent,
             curate=str(curate) if curate is not None else None)
    extra = {"curation.toml": Path(curate).read_bytes()} if curate is not None else None
    with _scratch(out, "documents") as csv:
        if not saved.complete:
            streamed.rewritten_documents(saved, result, run_dir, csv)
        # Documents and model are unchanged: link the saved artifacts, not rewrite them.
        save_run(result, out, _report(result), force=force or in_place,
                 artifacts_from=run_dir / "artifacts", excel=excel, extra_files=extra,
                 documents_file=None if saved.complete else csv)
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
    has formed (see :mod:`trendkit.execute.update`). Old ids and labels never change.
    """
    _prepare(out, force, freq)
    run_dir = Path(run_dir)
    paths = expand_inputs(inputs)
    timer = StageTimer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir)
    params = saved.meta.get("params", {})
    columns = columns or LoadOptions()
    if params.get("weight") and columns.weight is None:  # weighted as the run was
        columns = replace(columns, weight=params["weight"],
                          weight_missing=params.get("weight_missing") or "error")
    new = _load_timed(paths, columns, False, timer)
    arrays = saved.model_arrays
    if "centroids" not in arrays:
        raise TrendkitError(f"{run_dir}: this run has no saved theme model (was it made by "
                            "`trendkit trends`?); assign needs a `trendkit run` folder")
    known = streamed.known_ids(saved, run_dir)
    fresh = new[~new["doc_id"].astype(str).isin(known)].reset_index(drop=True)
    params = saved.meta.get("params", {})
    with timer.stage("assign", f"Assigning {len(fresh):,} new documents"):
        embedder = get_embedder(params.get("embedding", LEGACY_EMBEDDING), params.get("seed", 0))
        ext = extend(saved, fresh, embedder.set_state(arrays), new_themes=new_themes)
    arrays = ext.model_arrays
    coords = None
    if saved.coords is not None:
        coords = np.vstack([saved.coords, np.full((len(fresh), 2), np.nan)])
        arrays = {**arrays, "map_coords": coords}
    # this command's notes first: they are what the CLI prints
    notes = [f"assigned {len(fresh):,} new document(s) to the themes of {run_dir}; "
             f"{len(new) - len(fresh):,} already in the run kept their theme",
             *ext.notes, *new.attrs.get("notes", []), *saved.meta.get("notes", [])]
    base = TrendResult(ext.documents, ext.topics, pd.DataFrame(), pd.DataFrame(),
                       meta={**saved.meta, "notes": notes, "novelty": ext.novelty},
                       coords=coords, model_arrays=arrays)
    if not saved.complete:
        saved_trend = TrendOptions(**{k: params.get(k) for k in TrendOptions().as_dict()})
        base.counts, base.terms_sample, base.facet_counts = streamed.extended_aggregates(
            saved, ext, saved.meta.get("freq"), saved_trend)
        base.meta["n_documents"] = int(base.counts["n"].sum())
    result = retrend(base, TrendOptions(freq), progress)
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    _history(result, "assign", run_dir, documents=len(fresh))
    with _scratch(Path(out), "documents") as csv:
        if not saved.complete:
            streamed.rewritten_documents(saved, result, run_dir, csv, moved=ext.moved)
            with open(csv, "a", encoding="utf-8", newline="") as handle:
                added = result.documents["doc_id"].astype(str).isin(fresh["doc_id"].astype(str))
                handle.write(document_rows(result.documents[added], result.meta.get("freq")))
        save_run(result, out, _report(result), force=force, inputs=paths, excel=excel,
                 documents_file=None if saved.complete else csv)
    return result


def evaluate(run_dir, *, label_col: str | None = None,
             progress: Progress | None = None) -> TrendResult:
    """Score a finished run's themes and add ``quality.csv`` to it (``trendkit evaluate``).

    NPMI coherence of each theme's top-10 terms on the corpus, topic diversity
    and, with ``label_col`` (a column of the input, e.g. ``primary_category``),
    NMI / ARI / homogeneity / completeness against those labels. The run's
    report is re-rendered with the quality table. A streamed run is scored on the
    documents it holds (its fit sample), which the table's notes say.
    """
    run_dir = Path(run_dir)
    timer = StageTimer(progress)
    with timer.stage("read", f"Reading {run_dir}"):
        saved = read_run(run_dir, model_keys=SMALL_ARRAYS)
    if label_col is not None and label_col not in saved.documents.columns:
        raise TrendkitError(f"--label-col {label_col!r} not found in the run's documents; "
                            f"columns are: {', '.join(map(str, saved.documents.columns))}")
    with timer.stage("quality", "Scoring themes"):
        saved.quality = theme_quality(saved.documents, saved.topics, label_col=label_col)
    result = retrend(saved, None, progress)
    if not saved.complete:
        result.meta["notes"].append(f"evaluate: scored on the {len(saved.documents):,} "
                                    "documents this streamed run holds (its fit sample)")
    result.meta["timings"] = {**timer.timings, **result.meta["timings"]}
    _history(result, "evaluate", run_dir, label_col=label_col)
    with _scratch(run_dir, "documents") as csv:
        if not saved.complete:
            streamed.rewritten_documents(saved, result, run_dir, csv)
        save_run(result, run_dir, _report(result), force=True,
                 artifacts_from=run_dir / "artifacts",
                 documents_file=None if saved.complete else csv)
    return result
