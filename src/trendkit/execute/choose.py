"""Stream or not: the one place an executor is chosen for a run.

The in-memory executor holds every document; the partitioned one fits on a sample
and streams the rest (:mod:`trendkit.execute.partitioned`). A run streams when the
user asks for it (``--fit-sample`` or ``--engine dask``) or when its inputs are large
(:data:`STREAM_BYTES`, gzip counted ×4) and every one can be cut into partitions.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import TrendkitError
from .engines import check_engine

STREAM_BYTES = 2**30
MIN_FIT_SAMPLE = 100


def streaming(*, fit_sample: int | None = None, engine: str = "single",
              paths: list[Path] | None = None, forced_format: str | None = None) -> bool:
    """Whether a run streams; bad ``fit_sample`` or ``engine`` values are one-line errors.

    Examples
    --------
    >>> streaming(), streaming(fit_sample=5000), streaming(engine="dask")
    (False, True, True)
    """
    check_engine(engine)
    if fit_sample is not None and fit_sample < MIN_FIT_SAMPLE:
        raise TrendkitError(f"--fit-sample {fit_sample}: use at least {MIN_FIT_SAMPLE} documents")
    if engine != "single" or fit_sample is not None:
        return True
    if not paths:
        return False
    from ..load.partitions import streamable

    size = sum(p.stat().st_size * (4 if p.name.lower().endswith(".gz") else 1) for p in paths)
    return size > STREAM_BYTES and all(streamable(p, forced_format) for p in paths)
