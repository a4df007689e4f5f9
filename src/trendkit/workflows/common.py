"""What every workflow shares: option checks before any work, timed loading, scratch
files beside the output, the report, and the run's history in ``run.json``."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..cache import CacheLike
from ..embed.choose import check_embedding
from ..load.corpus import load_corpus
from ..load.filters import check_date
from ..load.options import LoadOptions
from ..result import TrendResult
from ..runs import check_output_dir
from ..timing import StageTimer
from ..trend.options import TrendOptions
from ..trend.periods import resolve_freq

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
    from ..report import TrendReport

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


def _history(result: TrendResult, command: str, source: Path, **details) -> None:
    """Record in run.json what was done to a finished run (inputs and hashes are kept)."""
    entry = {"command": command, "from": str(source),
             "at": pd.Timestamp.now("UTC").isoformat(timespec="seconds"),
             **{k: v for k, v in details.items() if v is not None}}
    result.meta["history"] = [*result.meta.get("history", []), entry]


