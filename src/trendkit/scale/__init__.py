"""Corpora larger than memory: fit on a sample, stream the rest, optionally on Dask.

=================  ==========================================================
module             what it holds
=================  ==========================================================
``partitions``     inputs (files, globs, Parquet folders) cut into partitions
``passes``         scan / collect / assign: per-partition functions
``sample``         duplicates, periods and the period-stratified fit sample
``engines``        single process or a Dask cluster, results in order
``driver``         the passes end to end, into a :class:`~trendkit.TrendResult`
=================  ==========================================================
"""

from .driver import FIT_SAMPLE, stream_analyze, stream_files, stream_frame
from .engines import ENGINES, check_engine

__all__ = ["FIT_SAMPLE", "stream_analyze", "stream_files", "stream_frame", "ENGINES",
           "check_engine"]
