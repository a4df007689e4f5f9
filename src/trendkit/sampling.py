"""Seeded subsamples, drawn one way everywhere.

Several stages look at a sample rather than every document (the clusterer's fit sample,
label and quality statistics, coverage of the distilled table, the document map, novelty
calibration). They all draw it with :func:`sample_rows`, so one seed gives one sample
and the rows keep their order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def sample_rows(rows, size: int, random_state=0) -> np.ndarray:
    """At most ``size`` of ``rows``, drawn without replacement, in their original order.

    Parameters
    ----------
    rows : int or array of int
        Row numbers to draw from; an int ``n`` means ``0 .. n-1``.
    size : int
        The most rows to keep; with no more rows than that, all come back (no draw).
    random_state : int or numpy.random.Generator, default 0
        A seed, or a generator to draw from (several samples from one stream).

    Examples
    --------
    >>> sample_rows(10, 4, random_state=0).tolist()
    [2, 4, 5, 7]
    >>> sample_rows([3, 7], 5).tolist()  # fewer rows than asked: all of them
    [3, 7]
    """
    rows = np.arange(rows) if isinstance(rows, (int, np.integer)) else np.asarray(rows)
    if len(rows) <= size:
        return rows
    rng = (random_state if isinstance(random_state, np.random.Generator)
           else np.random.default_rng(random_state))
    return np.sort(rng.choice(rows, size, replace=False))


def stable_hash(values: "pd.Series", seed: int = 0) -> np.ndarray:
    """A 64-bit hash of each value, the same on every machine and in every process.

    pandas' SipHash with a key made from ``seed`` (Python's own ``hash()`` is salted
    per process). Duplicate detection and every seeded "sample by content" use it, so
    a document's fate depends on the document alone, not on where it was read.

    Examples
    --------
    >>> import pandas as pd
    >>> a = stable_hash(pd.Series(["moe", "gnn"]))
    >>> bool(a[0] == stable_hash(pd.Series(["moe"]))[0]), a.dtype.name
    (True, 'uint64')
    """
    import pandas as pd

    key = f"trendkit{seed % 10**8:08d}"
    return pd.util.hash_pandas_object(values.astype(str), index=False,
                                      hash_key=key).to_numpy(np.uint64)
