"""Coverage guard: when the collection itself changes, trends can be artefacts.

Two signals, per complete period:

- **volume**: documents per period shift abruptly (PELT on log counts) by at
  least ``ratio`` (×2 by default) between the segments either side, beyond what
  Poisson noise of one steady rate would do (:data:`NOISE_P`);
- **composition**: a category that holds a real part of the corpus starts or
  stops being present (e.g. arXiv ``primary_category`` cs.IT collected from
  2026-01 on, cross-lists dropped after 2025-08).

The result is one tidy row per period; the trend summary marks themes whose
change point falls next to a flagged period (``check_coverage``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .periods import full_range, partial_flags, period_label, to_period

COVERAGE_COLUMNS = ["period", "n_docs", "partial", "change", "detail"]
GROUP_CANDIDATES = ("primary_category", "category", "venue", "journal", "source")


def coverage_column(docs: pd.DataFrame, preferred: str | None = None) -> str | None:
    """The column describing what was collected (a category or source), if any.

    Examples
    --------
    >>> coverage_column(pd.DataFrame({"source": ["a.csv", "b.csv"], "venue": ["x", "y"]}))
    'venue'
    """
    if preferred:
        return preferred
    for name in GROUP_CANDIDATES:
        if name in docs.columns and docs[name].astype(str).nunique() > 1:
            return name
    return None


def _volume_changes(counts: np.ndarray, ratio: float) -> dict[int, str]:
    from .verdict import change_points

    if len(counts) < 6 or (counts <= 0).all():
        return {}
    logs = np.log(np.maximum(counts, 1))
    cps = change_points(logs)
    edges = [0, *cps, len(counts)]
    found = {}
    for k, cp in enumerate(cps):
        before = counts[edges[k]:cp].mean()
        after = counts[cp:edges[k + 2]].mean()
        factor = after / max(before, 1e-9)
        if (factor >= ratio or factor <= 1 / ratio) and _beyond_noise(
                counts[edges[k]:cp], counts[cp:edges[k + 2]]):
            # From or to nothing a factor says nothing (it printed ×21000000000.0)
            times = f"×{factor:.1f} " if min(before, after) > 0 else ""
            found[cp] = f"documents per period {times}({before:,.0f} → {after:,.0f})"
    return found


NOISE_P = 0.001  # a volume change must be this improbable for one steady rate


def _beyond_noise(before: np.ndarray, after: np.ndarray) -> bool:
    """Whether two runs of period counts differ beyond Poisson noise for one rate.

    A corpus of 30 papers "changed" from 4 to 2 a month: twice as many, and noise.
    Given their total, the later run's count is binomial under one steady rate.

    Examples
    --------
    >>> _beyond_noise(np.array([4, 4, 4]), np.array([2, 2, 2, 2, 2, 2, 2, 2]))
    False
    >>> _beyond_noise(np.array([100, 104, 98]), np.array([300, 290, 310]))
    True
    """
    from scipy.stats import binomtest

    a, b = int(round(before.sum())), int(round(after.sum()))
    if a + b == 0:
        return False
    return bool(binomtest(b, a + b, len(after) / (len(before) + len(after))).pvalue < NOISE_P)


def _composition_changes(table: pd.DataFrame, min_share: float) -> dict[int, str]:
    """Categories holding ≥ ``min_share`` of documents that start or stop being collected."""
    found: dict[int, list[str]] = {}
    n = len(table)
    for category in table.columns[table.sum() >= min_share * table.to_numpy().sum()]:
        x = table[category].to_numpy()
        present = x > 0.05 * x[x > 0].mean()
        if present.all() or not present.any():
            continue
        first, last = np.flatnonzero(present)[[0, -1]]
        if first >= 2 and present[first:].mean() > 0.8 and n - first >= 2:
            found.setdefault(first, []).append(f"{category} starts")
        if last <= n - 3 and present[:last + 1].mean() > 0.8 and last + 1 >= 2:
            found.setdefault(last + 1, []).append(f"{category} stops")
    return {k: ", ".join(v) for k, v in found.items()}


def coverage_table(docs: pd.DataFrame, freq: str, *, group_col: str | None = None,
                   ratio: float = 2.0, min_share: float = 0.005,
                   weight_col: str | None = None) -> pd.DataFrame:
    """Documents per period and where the collection changed.

    Parameters
    ----------
    docs : pandas.DataFrame
        Dated documents (``date`` column, plus ``group_col`` if given).
    freq : str
    group_col : str, optional
        Category or source column whose mix is watched.
    weight_col : str, optional
        Each row stands for this many documents (aggregated counts).

    Returns
    -------
    pandas.DataFrame
        ``period, n_docs, partial, change, detail``.
    """
    dates = pd.to_datetime(docs["date"], errors="coerce")
    dated = docs[dates.notna()]
    periods = to_period(dates[dates.notna()], freq)
    index = full_range(periods, freq)
    partial = partial_flags(index, dates)
    weights = (dated[weight_col].to_numpy() if weight_col
               else np.ones(len(dated), dtype=np.int64))
    counts = pd.Series(weights).groupby(periods.values).sum().reindex(index, fill_value=0)
    table = pd.DataFrame({"period": [period_label(p, freq) for p in index],
                          "n_docs": counts.to_numpy().astype(int),
                          "partial": partial.to_numpy(), "change": False, "detail": ""})
    complete = np.flatnonzero(~table["partial"].to_numpy())
    if len(complete) == 0:
        return table
    details: dict[int, list[str]] = {}
    for i, text in _volume_changes(table["n_docs"].to_numpy()[complete], ratio).items():
        details.setdefault(complete[i], []).append(text)
    if group_col is not None and group_col in dated.columns:
        groups = dated[group_col].astype(str).values
        mix = (pd.crosstab(periods.values, groups, values=weights, aggfunc="sum").fillna(0)
               if weight_col else pd.crosstab(periods.values, groups))
        mix = mix.reindex(index, fill_value=0).iloc[complete]
        for i, text in _composition_changes(mix, min_share).items():
            details.setdefault(complete[i], []).append(f"{group_col}: {text}")
    for row, texts in details.items():
        table.loc[row, "change"] = True
        table.loc[row, "detail"] = "; ".join(texts)
    return table


def coverage_notes(coverage: pd.DataFrame, normalized: bool = False) -> list[str]:
    """One warning per period where the collection changed.

    With ``normalized`` (the run took shares within categories) the warning says so
    instead of pointing at ``--normalize-by``.

    Examples
    --------
    >>> table = pd.DataFrame({"period": ["2025-09"], "change": [True], "detail": ["x starts"]})
    >>> coverage_notes(table, normalized=True)[0].endswith("(shares taken within categories)")
    True
    """
    remedy = ("shares taken within categories" if normalized else "see --normalize-by")
    return [f"coverage: the collection changed in {row.period} ({row.detail}); trends across "
            f"it may reflect what was collected, not the field ({remedy})"
            for row in coverage[coverage["change"]].itertuples()]
