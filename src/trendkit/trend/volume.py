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
        theme's own denominator, and the column ``n_home`` the theme's documents in
        those categories (the share's numerator; ``n_docs`` still counts them all).
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
    homes = home = None
    if normalize_by is None:
        n_counted = n_docs
        period_total = np.repeat(counts.sum(axis=1).to_numpy(), n_topics)
    else:
        # Numerator and denominator cover the same categories: the theme's documents
        # in its home categories over all documents there (a theme's stray documents in
        # a category outside its home would otherwise push the share above 1).
        home = _home_map(dated, topic_col, normalize_by, home_share, weights)
        homes = _in_home(dated, topic_col, normalize_by, home)
        n_counted = (_crosstab(periods.values[homes], dated[topic_col].values[homes],
                               None if weights is None else weights[homes])
                     .reindex(index=index, columns=topics[topic_col], fill_value=0)
                     .to_numpy().ravel())
        period_total = _home_totals(dated, periods, index, topics[topic_col], normalize_by,
                                    home, weights).ravel()
    if weight_col and "w" in dated:
        share, n_effective = _weighted(dated, periods, index, topics[topic_col], topic_col,
                                       normalize_by, homes, home)
        low, high = wilson_interval(share * n_effective, n_effective)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(period_total > 0, n_counted / np.maximum(period_total, 1), 0.0)
        low, high = wilson_interval(n_counted, period_total)
    table = pd.DataFrame({
        "period": np.repeat([period_label(p, freq) for p in index], n_topics).astype(object),
        "topic_id": np.tile(topics[topic_col].to_numpy(), n_periods),
        "topic_label": np.tile(topics[label_col].to_numpy(), n_periods).astype(object),
        "n_docs": n_docs.astype(int),
        "period_total": period_total.astype(int),
        "share": share, "share_low": low, "share_high": high,
        "partial": np.repeat(partial.to_numpy(), n_topics),
    }, columns=VOLUME_COLUMNS)
    if homes is not None:  # what the share and the tests count: documents at home
        table["n_home"] = n_counted.astype(int)
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


def _weighted(dated, periods, index, topic_ids, topic_col, normalize_by, homes, home):
    """Weighted share and the denominator's effective sample size, per period x theme
    (with ``homes``, the row mask of ``home``, both within each theme's home categories)."""
    w, w2 = dated["w"].to_numpy(float), dated["w2"].to_numpy(float)
    keep = np.ones(len(dated), bool) if homes is None else homes
    by_topic = _crosstab(periods.values[keep], dated[topic_col].values[keep], w[keep],
                         float).reindex(index=index, columns=topic_ids, fill_value=0.0).to_numpy()
    if normalize_by is None:
        total = np.repeat(by_topic.sum(axis=1, keepdims=True), len(topic_ids), axis=1)
        squares = pd.Series(w2).groupby(periods.values).sum().reindex(index, fill_value=0.0)
        total2 = np.repeat(squares.to_numpy()[:, None], len(topic_ids), axis=1)
    else:
        total = _home_totals(dated, periods, index, topic_ids, normalize_by, home, w, float)
        total2 = _home_totals(dated, periods, index, topic_ids, normalize_by, home, w2, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, by_topic / np.where(total > 0, total, 1), 0.0)
        n_effective = np.where(total2 > 0, total ** 2 / np.where(total2 > 0, total2, 1), 0.0)
    return share.ravel(), n_effective.ravel()


def _home_map(dated, topic_col, column, home_share, weights=None) -> dict:
    """Each theme's home categories: those holding >= ``home_share`` of its documents
    (of its weight, with ``weights``), or its largest one if none does."""
    from ..errors import TrendkitError

    if column not in dated.columns:
        raise TrendkitError(f"--normalize-by {column!r} not found; columns are: "
                            f"{', '.join(map(str, dated.columns))}")
    groups = dated[column].astype(str).to_numpy()
    homes = _crosstab(dated[topic_col].to_numpy(), groups, weights, float)
    homes = homes.div(homes.sum(axis=1), axis=0)
    return {topic: set(row[row >= min(home_share, row.max())].index)
            for topic, row in homes.iterrows()}


def _in_home(dated, topic_col, column, home: dict) -> np.ndarray:
    """Row mask: the document's category is one of its theme's homes (:func:`_home_map`)."""
    pairs = zip(dated[topic_col].to_numpy(), dated[column].astype(str).to_numpy())
    return np.fromiter((group in home.get(topic, ()) for topic, group in pairs), bool,
                       count=len(dated))


def _home_totals(dated, periods, index, topic_ids, column, home: dict,
                 weights=None, dtype=np.int64) -> np.ndarray:
    """Per period x theme: documents (sums of ``weights``) in the theme's home
    categories (:func:`_home_map`)."""
    groups = dated[column].astype(str).to_numpy()
    per_group = _crosstab(periods.values, groups, weights, dtype).reindex(index, fill_value=0)
    totals = np.zeros((len(index), len(topic_ids)))
    for j, topic in enumerate(topic_ids):
        if home.get(topic):
            totals[:, j] = per_group[sorted(home[topic])].sum(axis=1).to_numpy()
    return totals


def _sort_key(column: pd.Series) -> pd.Series:
    if column.dtype == object:
        return pd.to_numeric(column, errors="coerce").fillna(np.inf)
    return column
