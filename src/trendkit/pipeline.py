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
import platform
import shutil
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from . import __version__
from .errors import TrendkitError
from .load import load
from .model import TopicModel
from .result import DOCUMENT_COLUMNS, TOPIC_COLUMNS, TrendResult
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
            progress: Progress | None = None) -> TrendResult:
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
        from .embed import embed

        texts = [f"{a}. {b}" if a else b for a, b in zip(docs["title"], docs["text"])]
        vectors = embed(texts, embedding, random_state=seed, use_cache=use_cache)
    with timer.stage("cluster_label", "Clustering and naming themes"):
        model = TopicModel(embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
                           keep_outliers=keep_outliers, use_cache=use_cache, random_state=seed)
        model.fit(docs["text"], titles=docs["title"], embeddings=vectors)
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
                       "seed": seed}}
    return TrendResult(docs, model.topics_[TOPIC_COLUMNS], trends, summary, terms, meta, coords)


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


# -- writing a run folder ------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def save_run(result: TrendResult, out: str | Path, *, force: bool = False,
             inputs: Iterable[Path] = ()) -> Path:
    """Write the run folder: CSV contract, figures, report, ``run.json``.

    Everything is written into a temporary sibling folder first and renamed
    into place at the end; an earlier run at ``out`` is replaced only with
    ``force`` and only once the new one is complete.
    """
    out = check_output_dir(out, force)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        docs = result.documents.copy()
        docs["date"] = pd.to_datetime(docs["date"], errors="coerce").dt.strftime("%Y-%m-%d")
        _csv(docs[DOCUMENT_COLUMNS], tmp / "documents.csv")
        _csv(result.topics[TOPIC_COLUMNS], tmp / "topics.csv")
        _csv(result.trends, tmp / "trends.csv")
        _csv(result.summary, tmp / "trend_summary.csv")
        _csv(result.period_terms, tmp / "period_terms.csv")
        report = result.report()
        report.save_figures(tmp / "figures")
        report.to_file(tmp / "report.html")
        report.to_file(tmp / "summary.md")
        report.close()
        run_info = {
            "trendkit": __version__, "created": pd.Timestamp.now("UTC").isoformat(),
            "parameters": result.meta.get("params", {}), "freq": result.meta.get("freq"),
            "n_documents": len(result.documents), "n_themes": int((result.topics["topic_id"] >= 0).sum()),
            "outlier_share_before_reassignment": result.meta.get("outlier_share"),
            "inputs": [{"path": str(p), "sha256": _sha256(Path(p)), "bytes": Path(p).stat().st_size}
                       for p in inputs],
            "timings_seconds": result.meta.get("timings", {}),
            "notes": result.meta.get("notes", []), "versions": _versions(),
        }
        (tmp / "run.json").write_text(json.dumps(run_info, indent=2, default=str) + "\n")
        if out.exists():
            backup = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, backup)
            os.replace(tmp, out)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:  # includes KeyboardInterrupt: never leave a half-written run
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


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
    docs = load(inputs, text_col=text_col, title_col=title_col, date_col=date_col, id_col=id_col,
                format=format)
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
