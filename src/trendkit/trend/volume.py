"""Theme volume per period: counts, shares of the period total, Wilson bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .periods import full_range, partial_flags, period_label, resolve_freq, to_period
from .stats import wilson_interval

VOLUME_COLUMNS = ["period", "topic_id", "topic_label", "n_docs", "period_total", "share",
                  "share_low", "share_high", "partial"]


def topic_volume(docs: pd.DataFrame, freq: str | None = None, *, topic_col: str = "topic_id",
                 label_col: str = "topic_label", date_col: str = "date",
                 normalize_by: str | None = None, home_share: float = 0.05,
                 weight_col: str | None = None) -> pd.DataFrame:
    """Tidy per-period volume and share of every theme.

    Every (period, theme) pair from the first dated period to the last is
    present, empty ones with 0. Documents without a date are left out of the
    table and counted in ``attrs["n_undated"]``.

    Parameters
    ----------
    docs : pandas.DataFrame
        One row per document with a theme id, label and date.
    freq : {"day", "week", "month", "quarter", "year"}, optional
        Chosen from the date span when omitted (see ``attrs["freq"]``).
    normalize_by : str, optional
        A category/source column. Each theme's share is then taken within the
        categories it lives in (those holding ≥ ``home_share`` of its
        documents), so a category that starts or stops being collected does
        not move the share of themes outside it; ``period_total`` is then that
        theme's own denominator.
    weight_col : str, optional
        Rows are counts, not documents: each row stands for this many
        documents (the streaming driver's aggregated ``(date, theme, group)``
        counts give the same table as the documents themselves). When the rows also
        carry ``w`` and ``w2`` (sums of document weights and of their squares, see
        :func:`~trendkit.trend.counts.count_documents`), shares are weighted: ``share``
        is the theme's part of the period's weight, and ``n_effective`` the period's
        effective sample size (Kish: ``(sum w)^2 / sum w^2``), which the Wilson band
        and the trend tests use in place of the document count.

    Returns
    -------
    pandas.DataFrame
        ``period, topic_id, topic_label, n_docs, period_total, share,
        share_low, share_high, partial``.

    Examples
    --------
    >>> docs = pd.DataFrame({"topic_id": [0, 0, 1], "topic_label": ["a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-05", "2024-03-02", "2024-03-09"])})
    >>> table = topic_volume(docs, "month")[["period", "topic_id", "n_docs", "share"]]
    >>> for row in table.values.tolist():
    ...     print(row)
    ['2024-01', 0, 1, 1.0]
    ['2024-01', 1, 0, 0.0]
    ['2024-02', 0, 0, 0.0]
    ['2024-02', 1, 0, 0.0]
    ['2024-03', 0, 1, 0.5]
    ['2024-03', 1, 1, 0.5]
    """
    dates = pd.to_datetime(docs[date_col])
    freq = resolve_freq(freq) if freq else resolve_freq(None, dates)
    topics = (docs[[topic_col, label_col]].drop_duplicates(topic_col)
              .sort_values(topic_col, key=_sort_key).reset_index(drop=True))
    dated = docs[dates.notna()]
    periods = to_period(dates[dates.notna()], freq)
    index = full_range(periods, freq)
    weights = dated[weight_col].to_numpy() if weight_col else None
    counts = (_crosstab(periods.values, dated[topic_col].values, weights)
              .reindex(index=index, columns=topics[topic_col], fill_value=0))
    partial = partial_flags(index, dates)
    n_periods, n_topics = len(index), len(topics)
    n_docs = counts.to_numpy().ravel()
    if normalize_by is None:
        period_total = np.repeat(counts.sum(axis=1).to_numpy(), n_topics)
    else:
        period_total = _home_totals(dated, periods, index, topics[topic_col], topic_col,
                                    normalize_by, home_share, weights).ravel()
    if weight_col and "w" in dated:
        share, n_effective = _weighted(dated, periods, index, topics[topic_col], topic_col,
                                       normalize_by, home_share)
        low, high = wilson_interval(share * n_effective, n_effective)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(period_total > 0, n_docs / np.maximum(period_total, 1), 0.0)
        low, high = wilson_interval(n_docs, period_total)
    table = pd.DataFrame({
        "period": np.repeat([period_label(p, freq) for p in index], n_topics).astype(object),
        "topic_id": np.tile(topics[topic_col].to_numpy(), n_periods),
        "topic_label": np.tile(topics[label_col].to_numpy(), n_periods).astype(object),
        "n_docs": n_docs.astype(int),
        "period_total": period_total.astype(int),
        "share": share, "share_low": low, "share_high": high,
        "partial": np.repeat(partial.to_numpy(), n_topics),
    }, columns=VOLUME_COLUMNS)
    if weight_col and "w" in dated:
        table["n_effective"] = n_effective
        table["weighted"] = True
    undated = (docs.loc[dates.isna(), weight_col].sum() if weight_col
               else dates.isna().sum())
    table.attrs.update(freq=freq, n_undated=int(undated))
    return table


def _crosstab(rows, columns, weights=None, dtype=np.int64) -> pd.DataFrame:
    """Counts of (row, column) pairs; with ``weights``, sums of them."""
    if weights is None:
        return pd.crosstab(rows, columns)
    return pd.crosstab(rows, columns, values=weights, aggfunc="sum").fillna(0).astype(dtype)


def _weighted(dated, periods, index, topic_ids, topic_col, normalize_by, home_share):
    """Weighted share and the denominator's effective sample size, per period x theme."""
    w, w2 = dated["w"].to_numpy(float), dated["w2"].to_numpy(float)
    by_topic = _crosstab(periods.values, dated[topic_col].values, w, float).reindex(
        index=index, columns=topic_ids, fill_value=0.0).to_numpy()
    if normalize_by is None:
        total = np.repeat(by_topic.sum(axis=1, keepdims=True), len(topic_ids), axis=1)
        squares = pd.Series(w2).groupby(periods.values).sum().reindex(index, fill_value=0.0)
        total2 = np.repeat(squares.to_numpy()[:, None], len(topic_ids), axis=1)
    else:
        total = _home_totals(dated, periods, index, topic_ids, topic_col, normalize_by,
                             home_share, w, float)
        total2 = _home_totals(dated, periods, index, topic_ids, topic_col, normalize_by,
                              home_share, w2, float, homes_by=w)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, by_topic / np.where(total > 0, total, 1), 0.0)
        n_effective = np.where(total2 > 0, total ** 2 / np.where(total2 > 0, total2, 1), 0.0)
    return share.ravel(), n_effective.ravel()


def _home_totals(dated, periods, index, topic_ids, topic_col, column, home_share,
                 weights=None, dtype=np.int64, homes_by=None) -> np.ndarray:
    """Per period × theme: documents in the categories the theme lives in (the sums of
    ``weights``; the homes chosen by ``homes_by`` if given, else by ``weights``)."""
    from ..errors import TrendkitError

    if column not in dated.columns:
        raise TrendkitError(f"--normalize-by {column!r} not found; columns are: "
                            f"{', '.join(map(str, dated.columns))}")
    groups = dated[column].astype(str).to_numpy()
    per_group = _crosstab(periods.values, groups, weights, dtype).reindex(index, fill_value=0)
    homes = _crosstab(dated[topic_col].to_numpy(), groups,
                      weights if homes_by is None else homes_by, dtype)
    homes = homes.div(homes.sum(axis=1), axis=0)
    totals = np.zeros((len(index), len(topic_ids)))
    for j, topic in enumerate(topic_ids):
        share = homes.loc[topic] if topic in homes.index else pd.Series(dtype=float)
        home = share[share >= min(home_share, share.max())].index if len(share) else []
        totals[:, j] = per_group[list(home)].sum(axis=1).to_numpy() if len(home) else 0
    return totals


def _sort_key(column: pd.Series) -> pd.Series:
    if column.dtype == object:
        return pd.to_numeric(column, errors="coerce").fillna(np.inf)
    return column
