"""From every partition's scan to one plan: duplicates, periods and the fit sample.

The driver holds about 40 bytes per document here (hashes, day, priority),
never text: 120 MB at 3 M documents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..trend.periods import check_freq, choose_freq, to_period
from .passes import NO_DATE, Plan, Scan


def first_occurrence(keys: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """True at the first row of every key (optionally only counting rows in ``among``).

    Examples
    --------
    >>> first_occurrence(np.array([5, 3, 5, 3, 7], dtype=np.uint64)).tolist()
    [True, True, False, False, True]
    """
    rows = np.arange(len(keys)) if among is None else np.flatnonzero(among)
    _, first = np.unique(keys[rows], return_index=True)
    mask = np.zeros(len(keys), bool)
    mask[rows[first]] = True
    return mask


def occurrence_rank(keys: np.ndarray) -> np.ndarray:
    """1 for the first row of each key, 2 for the second, ... (in row order).

    Examples
    --------
    >>> occurrence_rank(np.array([4, 4, 2, 4], dtype=np.uint64)).tolist()
    [1, 2, 1, 3]
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]] if len(keys) else np.zeros(0, bool)
    index = np.arange(len(keys))
    rank = np.empty(len(keys), np.int64)
    rank[order] = index - np.maximum.accumulate(np.where(starts, index, 0)) + 1
    return rank


def stratified(strata: np.ndarray, priority: np.ndarray, size: int) -> np.ndarray:
    """A sample of about ``size`` rows, each stratum in proportion to its size.

    Within a stratum the rows of lowest priority (a seeded hash of the id)
    are taken, so the sample does not depend on row order.
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
    cat = {k: np.concatenate([getattr(s, k) for s in scans]) for k in
           ("id_text", "doc_id", "title", "has_title", "days", "priority", "has_id")}
    n_read = len(cat["id_text"])
    # made-up ids (FILE:ROW) never collide; only real ids can repeat
    # The order of trendkit.load's deduplicate(): same id and text, then clashing ids
    # renamed id#2 (ranked before any title is dropped), then same title.
    keep = first_occurrence(cat["id_text"], among=cat["has_id"]) | ~cat["has_id"]
    notes = []
    if (dropped := n_read - int(keep.sum())):
        notes.append(f"dropped {dropped:,} duplicate document(s) with the same id")
    rank = np.ones(n_read, np.int64)
    real = keep & cat["has_id"]
    rank[real] = occurrence_rank(cat["doc_id"][real])
    clashing = np.isin(cat["doc_id"][real], cat["doc_id"][real][rank[real] > 1])
    if clashing.any():
        notes.append(f"{int(clashing.sum()):,} document(s) share an id but differ in text; "
                     "later ones renamed id#2, id#3, ...")
    titled = keep & cat["has_title"]
    same_title = titled & ~first_occurrence(cat["title"], among=titled)
    if same_title.any():
        notes.append(f"dropped {int(same_title.sum()):,} duplicate document(s) with the same title")
        keep &= ~same_title
    dated = keep & (cat["days"] != NO_DATE)
    dates = pd.to_datetime(cat["days"][dated], unit="D")
    if len(dates):
        freq = check_freq(freq, pd.Series(dates)) if freq else choose_freq(pd.Series(dates))
        strata = np.full(n_read, -1, np.int64)
        strata[dated] = to_period(pd.Series(dates), freq).array.asi8
    else:
        freq, strata = None, np.zeros(n_read, np.int64)
    kept_rows = np.flatnonzero(keep)
    sample = np.zeros(n_read, bool)
    sample[kept_rows[stratified(strata[kept_rows], cat["priority"][kept_rows], fit_sample)]] = True
    plans, start, first_row = [], 0, {}
    for s, path in zip(scans, paths or [None] * len(scans)):
        rows = slice(start, start + len(s.id_text))
        start += len(s.id_text)
        # made-up ids number rows across the whole file, as trendkit.load does
        before = first_row.get(path, 0)
        first_row[path] = before + s.n_rows
        plans.append(Plan(keep[rows], rank[rows], sample[rows], before))
    return plans, freq, int(keep.sum()), notes
