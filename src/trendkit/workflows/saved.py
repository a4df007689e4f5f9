"""Workflows that start from a finished run folder: ``rerender``, ``assign``, ``evaluate``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..embed.choose import LEGACY_EMBEDDING, get_embedder
from ..errors import TrendkitError
from ..execute import retrend, streamed
from ..execute.documents_csv import document_rows
from ..execute.update import extend
from ..label.curate import read_curation
from ..label.quality import theme_quality
from ..load.inputs import expand_inputs
from ..load.options import LoadOptions
from ..result import TrendResult
from ..runs import read_run, save_run
from ..timing import Progress, StageTimer
from ..trend.options import TrendOptions
from .common import SMALL_ARRAYS, _history, _load_timed, _prepare, _report, _scratch


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
