"""From every partition's scan to one plan: duplicates, periods and the fit sample.

The driver holds about 40 bytes per document here (hashes, day, priority), never
text: 120 MB at 3 M documents. Duplicates are decided by the loader's own rule
(:func:`trendkit.load.dedupe.plan_dedupe`), the period length by the trend stage's
(:func:`trendkit.trend.periods.resolve_freq`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..load.dedupe import DedupeKeys, plan_dedupe
from ..trend.periods import resolve_freq, to_period

NO_DATE = np.iinfo(np.int64).min


@dataclass
class Scan:
    """Per document of one partition: duplicate keys, day number and sampling priority."""

    keys: DedupeKeys
    days: np.ndarray
    priority: np.ndarray
    n_rows: int = 0


@dataclass
class Plan:
    """What the driver decided for one partition's documents (in their order)."""

    keep: np.ndarray
    rank: np.ndarray
    sample: np.ndarray
    first_row: int = 0


def stratified(strata: np.ndarray, priority: np.ndarray, size: int) -> np.ndarray:
    """A sample of about ``size`` rows, each stratum in proportion to its size.

    Within a stratum the rows of lowest priority (a seeded hash of the id)
    are taken, so the sample does not depend on row order.

    Examples
    --------
    >>> stratified(np.array([0, 0, 0, 1]), np.array([3, 1, 2, 0], dtype=np.uint64), 2).tolist()
    [False, True, True, True]
    """
    n = len(strata)
    if n <= size:
        return np.ones(n, bool)
    codes, inverse, sizes = np.unique(strata, return_inverse=True, return_counts=True)
    quota = np.minimum(sizes, np.ceil(size * sizes / n)).astype(np.int64)
    order = np.lexsort((priority, inverse))
    ordered = inverse[order]
    starts = np.searchsorted(ordered, np.arange(len(codes)))
    rank = np.arange(n) - starts[ordered]
    chosen = np.zeros(n, bool)
    chosen[order[rank < quota[ordered]]] = True
    return chosen


def plan_documents(scans: list[Scan], fit_sample: int, freq: str | None = None,
                   paths: list | None = None):
    """``(plans, freq, n_kept, notes)``: per partition what to keep and what to fit on."""
    keys = DedupeKeys.concat([s.keys for s in scans])
    days = np.concatenate([s.days for s in scans])
    priority = np.concatenate([s.priority for s in scans])
    n_read = len(days)
    keep, rank, notes = plan_dedupe(keys)
    dated = keep & (days != NO_DATE)
    dates = pd.Series(pd.to_datetime(days[dated], unit="D"))
    freq = resolve_freq(freq, dates)
    strata = np.zeros(n_read, np.int64)
    if freq is not None:
        strata = np.full(n_read, -1, np.int64)
        strata[dated] = to_period(dates, freq).array.asi8
    kept_rows = np.flatnonzero(keep)
    sample = np.zeros(n_read, bool)
    sample[kept_rows[stratified(strata[kept_rows], priority[kept_rows], fit_sample)]] = True
    plans, start, first_row = [], 0, {}
    for s, path in zip(scans, paths or [None] * len(scans)):
        rows = slice(start, start + len(s.days))
        start += len(s.days)
        # made-up ids number rows across the whole file, as trendkit.load_corpus does
        before = first_row.get(path, 0)
        first_row[path] = before + s.n_rows
        plans.append(Plan(keep[rows], rank[rows], sample[rows], before))
    return plans, freq, int(keep.sum()), notes
