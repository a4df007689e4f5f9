"""Run folders: writing them atomically, reading them back from safe formats.

A run folder holds the output contract (CSV tables, figures, report,
``run.json``) plus ``artifacts/`` — the documents with their text as Parquet
and the fitted model as ``.npz`` arrays and JSON — so that ``trendkit report``
and ``trendkit assign`` can work from a finished run without re-embedding or
re-clustering, and without ever unpickling a file.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from importlib import metadata
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ._version import __version__
from .cache import sha256_file
from .errors import TrendkitError, check_interrupted
from .result import DOCUMENT_COLUMNS, LINEAGE_COLUMNS, TOPIC_COLUMNS, TrendResult

ARTIFACT_COLUMNS = ["doc_id", "title", "text", "date", "source", "topic_id", "topic_label"]
CONTRACT_FILES = ("documents.csv", "topics.csv", "trends.csv", "trend_summary.csv",
                  "period_terms.csv", "report.html", "summary.md", "run.json")


def _versions() -> dict[str, str]:
    names = ["numpy", "pandas", "scikit-learn", "scipy", "umap-learn", "hdbscan", "matplotlib",
             "ruptures", "typer", "bertopic"]
    found = {"python": platform.python_version(), "trendkit": __version__}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def check_output_dir(out: str | Path, force: bool = False) -> Path:
    """Fail early, before any work, if ``out`` holds an earlier run and no ``force``."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise TrendkitError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise TrendkitError(f"{out}: already holds files (an earlier run?); "
                            "choose another --out or pass --force to replace it")
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrendkitError(f"{out}: cannot create output folder ({exc.strerror})") from exc
    if not os.access(parent, os.W_OK):
        raise TrendkitError(f"{parent}: output location is not writable")
    return out


def _csv(frame: pd.DataFrame, path: Path) -> None:
    # Fixed float format and line ending: same input and seed give identical bytes.
    frame.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")


def save_run(result: TrendResult, out: str | Path, report, *, force: bool = False,
             inputs: Iterable[Path] = (), artifacts_from: Path | None = None,
             excel: bool = False, extra_files: dict[str, bytes] | None = None,
             documents_file: Path | None = None) -> Path:
    """Write the run folder: CSV contract, figures, report, ``run.json``, artifacts.

    Parameters
    ----------
    result : TrendResult
    out : path
    report : TrendReport
        The report to write (anything with ``save_figures``, ``to_file`` and ``close``:
        run folders sit below the report stage); the time spent drawing and writing it
        is recorded as the ``report`` stage.
    force : bool, default False
        Replace an existing run at ``out`` (only once the new one is complete).
    inputs : paths
        Input files, recorded in ``run.json`` with their SHA-256 (default: those
        ``result.meta["inputs"]`` already records, for a re-rendered run).
    artifacts_from : path, optional
        Link an existing run's unchanged ``artifacts/`` instead of writing them
        again (``trendkit report``, ``trendkit evaluate``).
    excel : bool, default False
        Also write ``trends.xlsx``, one sheet per table, for spreadsheet users.
    extra_files : dict of str to bytes, optional
        Further files to place in the run (e.g. the curation file it applied).
    documents_file : path, optional
        A ``documents.csv`` already written (a streamed run writes it as
        documents are assigned); moved into the run instead of writing
        ``result.documents``, which then holds only the fit sample.

    Everything is written into a temporary sibling folder first and renamed
    into place at the end; ``run.json`` is written once, last, inside it.
    """
    out = check_output_dir(out, force)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        start = time.perf_counter()
        docs = result.documents.copy()
        if "subtopic_id" not in docs:  # one level (runs before 0.6, BERTopic's themes)
            docs["subtopic_id"] = docs["topic_id"]
        docs["date"] = pd.to_datetime(docs["date"], errors="coerce").dt.strftime("%Y-%m-%d")
        if documents_file is not None:
            shutil.move(str(documents_file), tmp / "documents.csv")
        else:
            _csv(docs[DOCUMENT_COLUMNS], tmp / "documents.csv")
        _csv(result.topics[TOPIC_COLUMNS], tmp / "topics.csv")
        _csv(result.trends, tmp / "trends.csv")
        _csv(result.summary, tmp / "trend_summary.csv")
        _csv(result.period_terms, tmp / "period_terms.csv")
        if not result.quality.empty:
            _csv(result.quality, tmp / "quality.csv")
        if not result.coverage.empty:
            _csv(result.coverage, tmp / "coverage.csv")
        if result.has_dates:
            _csv(result.lineage.reindex(columns=LINEAGE_COLUMNS), tmp / "lineage.csv")
        for name in ("facets", "facet_trends", "forecast", "compare"):  # asked for: written
            if getattr(result, name) is not None and len(getattr(result, name).columns):
                _csv(getattr(result, name), tmp / f"{name}.csv")
        if excel:
            _excel(result, docs if documents_file is None else docs.iloc[:0], tmp / "trends.xlsx")
        for name, content in (extra_files or {}).items():
            (tmp / name).write_bytes(content)
        report.save_figures(tmp / "figures")
        report.to_file(tmp / "report.html")
        report.to_file(tmp / "summary.md")
        report.close()
        if artifacts_from is not None:
            _link_artifacts(Path(artifacts_from), tmp / "artifacts")
        else:
            _write_artifacts(result, tmp / "artifacts")
        timings = {**result.meta.get("timings", {}),
                   "report": round(time.perf_counter() - start, 3)}
        check_interrupted()  # never move a run into place after Ctrl-C
        (tmp / "run.json").write_text(json.dumps(_run_info(result, inputs, timings), indent=2,
                                                 default=str) + "\n")
        if out.exists():
            backup = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, backup)
            os.replace(tmp, out)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except OSError as exc:  # disk full, permissions, read-only file system
        shutil.rmtree(tmp, ignore_errors=True)
        raise TrendkitError(f"{out}: cannot write the run folder ({exc.strerror or exc})") from exc
    except BaseException:  # includes KeyboardInterrupt: never leave a half-written run
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _excel(result: TrendResult, docs: pd.DataFrame, path: Path) -> None:
    tables = {"trend_summary": result.summary, "trends": result.trends, "topics": result.topics,
              "period_terms": result.period_terms, "coverage": result.coverage,
              "documents": docs[DOCUMENT_COLUMNS], "quality": result.quality}
    try:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, table in tables.items():
                if not table.empty or name not in ("quality", "coverage"):
                    table.to_excel(writer, sheet_name=name, index=False)
    except ImportError as exc:
        raise TrendkitError("writing trends.xlsx needs: pip install openpyxl") from exc


def _run_info(result: TrendResult, inputs: Iterable[Path], timings: dict) -> dict:
    return {
        "trendkit": __version__, "created": pd.Timestamp.now("UTC").isoformat(),
        "parameters": result.meta.get("params", {}), "freq": result.meta.get("freq"),
        "n_documents": result.meta.get("n_documents", len(result.documents)),
        "n_themes": result.n_themes, "streamed": bool(result.meta.get("streamed")),
        "read_mb_per_s": result.meta.get("read_mb_per_s"),
        "outlier_share_before_reassignment": result.meta.get("outlier_share"),
        "inputs": ([{"path": str(p), "sha256": sha256_file(Path(p)),
                     "bytes": Path(p).stat().st_size} for p in inputs]
                   or result.meta.get("inputs", [])),
        "history": result.meta.get("history", []),
        "timings_seconds": timings, "notes": result.meta.get("notes", []),
        "curation": result.meta.get("curation"), "novelty": result.meta.get("novelty"),
        "versions": _versions(),
    }


def _link_artifacts(source: Path, folder: Path) -> None:
    """Reuse unchanged artifact files: hard links where possible, copies otherwise."""
    folder.mkdir()
    for path in source.iterdir():
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)


def _write_artifacts(result: TrendResult, folder: Path) -> None:
    folder.mkdir()
    docs = result.documents
    # The canonical columns first, then pass-through ones (e.g. primary_category,
    # for `trendkit evaluate --label-col`); nested values are stored as text.
    extra = [c for c in docs.columns if c not in ARTIFACT_COLUMNS + ["text_raw", "period",
                                                                      "date_source"]]
    frame = docs[[c for c in ARTIFACT_COLUMNS if c in docs.columns] + extra].copy()
    for column in extra:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v if v is None or isinstance(v, str)
                                              else str(v))
    frame["doc_id"] = frame["doc_id"].astype(str)
    frame.to_parquet(folder / "documents.parquet", index=False)
    # The aggregates the trend stage reads: every run keeps its counts; a streamed run,
    # which holds only its fit sample as documents, its terms sample too.
    result.counts.to_parquet(folder / "counts.parquet", index=False)
    if not result.complete:
        result.terms_sample.to_parquet(folder / "terms_sample.parquet", index=False)
    if result.facet_counts is not None:
        result.facet_counts.to_parquet(folder / "facet_counts.parquet", index=False)
    if result.model_arrays:
        np.savez(folder / "model.npz", **{k: np.asarray(v) for k, v in result.model_arrays.items()
                                          if v is not None})


def read_run(run_dir: str | Path, model_keys: Iterable[str] | None = None) -> TrendResult:
    """Read a finished run folder back (tables, documents, model arrays; no pickles).

    ``model_keys`` limits which saved model arrays are read (all by default):
    re-rendering a report needs none of the large LSA matrices.

    Examples
    --------
    >>> import tempfile, trendkit
    >>> out = Path(tempfile.mkdtemp()) / "run"
    >>> result = trendkit.analyze(trendkit.load_frame(trendkit.make_demo_corpus(n_docs=300)),
    ...                           cache=False)
    >>> _ = save_run(result, out, trendkit.TrendReport(result))
    >>> len(read_run(out).documents)
    300
    """
    run_dir = Path(run_dir)
    needed = [run_dir / "run.json", run_dir / "topics.csv",
              run_dir / "artifacts" / "documents.parquet"]
    missing = [p.relative_to(run_dir).as_posix() for p in needed if not p.exists()]
    if not run_dir.is_dir() or missing:
        raise TrendkitError(f"{run_dir}: not a trendkit run folder (missing "
                            f"{', '.join(missing) or 'folder'})")
    try:
        info = json.loads((run_dir / "run.json").read_text())
        docs = pd.read_parquet(run_dir / "artifacts" / "documents.parquet")
        topics = pd.read_csv(run_dir / "topics.csv", keep_default_na=False,
                             dtype={"top_terms": str, "representative_titles": str})
        arrays = {}
        if (run_dir / "artifacts" / "model.npz").exists():
            with np.load(run_dir / "artifacts" / "model.npz", allow_pickle=False) as saved:
                keys = saved.files if model_keys is None else [k for k in saved.files
                                                                if k in set(model_keys)]
                arrays = {k: saved[k] for k in keys}
    except (OSError, ValueError) as exc:
        raise TrendkitError(f"{run_dir}: run folder is damaged ({exc})") from exc
    docs["date"] = pd.to_datetime(docs["date"], errors="coerce")
    meta = {"freq": info.get("freq"), "params": info.get("parameters", {}),
            "outlier_share": info.get("outlier_share_before_reassignment"),
            "notes": info.get("notes", []), "timings": {}, "curation": info.get("curation"),
            "novelty": info.get("novelty"), "streamed": bool(info.get("streamed")),
            "n_documents": info.get("n_documents"), "inputs": info.get("inputs", []),
            "history": info.get("history", [])}
    aggregates = {name: _parquet(run_dir / "artifacts" / f"{name}.parquet")
                  for name in ("counts", "terms_sample", "facet_counts")}
    if aggregates["facet_counts"].empty:  # no --facet when it ran
        aggregates["facet_counts"] = None
    coords = arrays.get("map_coords")
    quality = (pd.read_csv(run_dir / "quality.csv") if (run_dir / "quality.csv").exists()
               else pd.DataFrame())
    # runs made before the `mixed` flag existed: no theme was flagged
    topics["mixed"] = topics["mixed"].astype(str).eq("True") if "mixed" in topics else False
    # sub-themes name their theme (an empty cell: a theme); runs before 0.6 had none
    for column in ("parent_id", "outlier_share"):
        topics[column] = pd.to_numeric(topics.get(column, np.nan), errors="coerce")
    # runs before theme names: the keyword label names the theme
    name = topics["topic_name"] if "topic_name" in topics else pd.Series("", index=topics.index)
    topics["topic_name"] = name.where(name.astype(str) != "", topics["topic_label"])
    return TrendResult(docs, topics.reindex(columns=TOPIC_COLUMNS), pd.DataFrame(), pd.DataFrame(),
                       meta=meta, coords=coords, model_arrays=arrays, quality=quality,
                       **aggregates)


def _parquet(path: Path) -> pd.DataFrame:
    if not path.exists():  # runs made before 0.6 kept no aggregates
        return pd.DataFrame()
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise TrendkitError(f"{path.parent.parent}: run folder is damaged ({exc})") from exc

