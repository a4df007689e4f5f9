"""Two corpora compared on one set of themes (``trendkit compare``).

Which themes does corpus A publish more than corpus B? Each theme's log-odds ratio
between the two, with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' words": the prior is the pooled theme mix, so small themes are not
flagged by chance), gives a z-score; q-values control the false discovery rate
across themes (Benjamini–Hochberg). Where both corpora are dated, a binomial GLM of
each theme's share on time, corpus and their interaction (quasi-binomial: periods
may vary more than sampling alone, never less) tests whether the two trends differ.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from .counts import merge_counts
from .stats import benjamini_hochberg, wilson_interval
from .verdict import MIN_DOCS

COMPARE_COLUMNS = ["topic_id", "topic_label", "n_a", "n_b", "share_a", "share_b", "share_a_low",
                   "share_a_high", "share_b_low", "share_b_high", "log_odds", "z", "q_value",
                   "trend_q_value", "over_represented_in"]


def log_odds_z(counts_a, counts_b, prior_size: float | None = None) -> tuple[np.ndarray, ...]:
    """Log-odds ratio of each category between two count vectors, and its z-score.

    The prior is ``prior_size`` pseudo-documents (default: the number of categories)
    spread as the pooled mix.

    Examples
    --------
    >>> delta, z = log_odds_z([50, 50, 100], [50, 50, 100])
    >>> np.round(z, 6).tolist()
    [0.0, 0.0, 0.0]
    >>> bool(log_odds_z([90, 10], [50, 50])[1][0] > 3)
    True
    """
    a, b = np.asarray(counts_a, float), np.asarray(counts_b, float)
    prior_size = prior_size or len(a)
    alpha = prior_size * (a + b) / max((a + b).sum(), 1e-12)
    n_a, n_b, a0 = a.sum(), b.sum(), alpha.sum()
    delta = (np.log((a + alpha) / (n_a + a0 - a - alpha))
             - np.log((b + alpha) / (n_b + a0 - b - alpha)))
    variance = 1 / (a + alpha) + 1 / (b + alpha)
    return delta, delta / np.sqrt(variance)


def trend_difference_p(frame: pd.DataFrame) -> float:
    """p-value that a theme's share trends differently in A and B.

    ``frame``: one row per (period, corpus) with ``t`` (period index), ``in_b`` (0/1),
    ``k`` (the theme's documents) and ``n`` (all documents). NaN (untested) unless each
    corpus has ``MIN_DOCS`` of the theme's documents over at least three periods.
    """
    import statsmodels.api as sm

    frame = frame[frame["n"] > 0]
    per_corpus = frame.groupby("in_b")["k"].sum()
    # a trend needs documents in both corpora (as a verdict needs MIN_DOCS)
    if (len(per_corpus) < 2 or per_corpus.min() < MIN_DOCS
            or frame.groupby("in_b")["t"].nunique().min() < 3):
        return np.nan
    t = (frame["t"] - frame["t"].mean()) / max(frame["t"].std(), 1e-12)
    X = np.column_stack([np.ones(len(frame)), t, frame["in_b"], t * frame["in_b"]])
    y = np.column_stack([frame["k"], frame["n"] - frame["k"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.GLM(y, X, family=sm.families.Binomial()).fit()
        except (ValueError, np.linalg.LinAlgError):
            return np.nan
    # Quasi-binomial by hand: with (successes, failures) rows statsmodels' scale="X2"
    # divides the Pearson chi-square without the trials' weights (a dispersion of 0.001,
    # p-values of 1e-100 on random halves). Never below binomial noise; t on the
    # residual degrees of freedom, as the dispersion is estimated from them.
    dispersion = max(1.0, float(fit.pearson_chi2) / max(fit.df_resid, 1))
    z = fit.params[3] / (fit.bse[3] * np.sqrt(dispersion))
    p = float(2 * stats.t.sf(abs(z), df=max(fit.df_resid, 1)))
    return p if np.isfinite(p) else np.nan


def two_corpora(facet_counts: pd.DataFrame, a_value: str) -> pd.DataFrame:
    """Facet counts with every value but ``a_value`` folded into one: corpus B (named
    after the other value when there is one, else "rest").

    Examples
    --------
    >>> counts = pd.DataFrame({"date": pd.NaT, "topic_id": 0, "facet_value": list("abc"),
    ...                        "n": [1, 2, 3]})
    >>> two_corpora(counts, "a")[["facet_value", "n"]].values.tolist()
    [['a', 1], ['rest', 5]]
    """
    values = facet_counts["facet_value"].astype(str)
    others = sorted(set(values) - {str(a_value)})
    b_name = others[0] if len(others) == 1 else "rest"
    folded = facet_counts.assign(facet_value=np.where(values == str(a_value), str(a_value),
                                                      b_name))
    return merge_counts([folded])


def compare_table(facet_counts: pd.DataFrame, topics: pd.DataFrame, a_value: str,
                  freq: str | None, names: tuple[str, str] | None = None,
                  alpha: float = 0.05) -> pd.DataFrame:
    """``compare.csv``: every broad theme in corpus A (facet value ``a_value``) against B
    (every other value), from a run's facet counts.

    ``names`` label the two corpora in ``over_represented_in`` (default: ``a_value``
    and the other value, or "rest" when there are several).
    """
    from .periods import period_labels

    facet_counts = two_corpora(facet_counts, a_value)
    values = facet_counts["facet_value"].astype(str)
    b_name = next((v for v in values.unique() if v != str(a_value)), "rest")
    names = names or (str(a_value), b_name)
    frame = facet_counts.assign(in_b=(values != str(a_value)).astype(int))
    broad = topics[topics["parent_id"].isna()] if "parent_id" in topics else topics
    ids = broad["topic_id"].to_numpy()
    by = frame.groupby(["topic_id", "in_b"])["n"].sum().unstack(fill_value=0).reindex(
        index=ids, columns=[0, 1], fill_value=0)
    a, b = by[0].to_numpy(float), by[1].to_numpy(float)
    delta, z = log_odds_z(a, b)
    table = pd.DataFrame({"topic_id": ids, "topic_label": broad["topic_label"].to_numpy(),
                          "n_a": a.astype(int), "n_b": b.astype(int),
                          "share_a": a / max(a.sum(), 1), "share_b": b / max(b.sum(), 1),
                          "log_odds": delta, "z": z})
    table["share_a_low"], table["share_a_high"] = wilson_interval(a, np.full(len(a), a.sum()))
    table["share_b_low"], table["share_b_high"] = wilson_interval(b, np.full(len(b), b.sum()))
    table["q_value"] = benjamini_hochberg(2 * stats.norm.sf(np.abs(z)))
    table["trend_q_value"] = np.nan
    dated = frame.dropna(subset=["date"])
    if freq and len(dated):
        dated = dated.assign(period=period_labels(dated["date"], freq))
        order = {p: i for i, p in enumerate(sorted(dated["period"].unique()))}
        totals = dated.groupby(["period", "in_b"])["n"].sum()
        p_values = []
        for topic in ids:
            k = dated[dated["topic_id"] == topic].groupby(["period", "in_b"])["n"].sum()
            part = pd.DataFrame({"n": totals, "k": k.reindex(totals.index, fill_value=0)})
            part = part.reset_index().assign(t=lambda f: f["period"].map(order))
            p_values.append(trend_difference_p(part))
        p_values = np.asarray(p_values, float)
        tested = ~np.isnan(p_values)
        if tested.any():
            table.loc[tested, "trend_q_value"] = benjamini_hochberg(p_values[tested])
    table["over_represented_in"] = np.where(table["q_value"] >= alpha, "",
                                            np.where(table["z"] > 0, names[0], names[1]))
    return table.reindex(columns=COMPARE_COLUMNS).sort_values("z", ascending=False,
                                                              kind="stable").reset_index(drop=True)
