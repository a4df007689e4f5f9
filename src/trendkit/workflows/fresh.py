"""Workflows that start from input files: ``run``, ``compare`` and ``run_labelled``."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..cache import CacheLike
from ..embed.registry import DEFAULT as DEFAULT_EMBEDDING
from ..errors import TrendkitError
from ..execute import analyze_labelled, streaming
from ..execute.memory import analyze_in_memory
from ..execute.partitioned import FIT_SAMPLE, stream_files
from ..load.inputs import expand_inputs
from ..load.options import LoadOptions
from ..result import TrendResult
from ..runs import save_run
from ..timing import Progress, StageTimer
from ..trend.counts import check_facet
from ..trend.options import TrendOptions
from .common import _load_timed, _prepare, _report, _scratch, _weighting


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


