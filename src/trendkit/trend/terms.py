"""Per-period theme terms, computed from each period's documents only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..label import class_tfidf, diverse_terms


def period_terms(docs: pd.DataFrame, *, n_terms: int = 6, min_docs: int = 5,
                 max_themes: int = 12, max_docs: int = 60, text_col: str = "text") -> pd.DataFrame:
    """Top terms of each theme in each period.

    Term weights are computed within one period at a time (themes of that
    period against each other), so a word popular in 2026 cannot leak into a
    2024 description — the flaw of topics-over-time tables that reuse global
    term weights.

    Parameters
    ----------
    docs : pandas.DataFrame
        ``period, topic_id, topic_label`` and ``text_col``.
    min_docs : int, default 5
        Theme-periods with fewer documents are skipped.
    max_themes : int, default 12
        Largest themes only, to keep the table readable.
    max_docs : int, default 60
        At most this many documents (a seeded sample) per theme and period.

    Returns
    -------
    pandas.DataFrame
        ``period, topic_id, topic_label, n_docs, terms``.

    Examples
    --------
    >>> docs = pd.DataFrame({"period": ["2024"] * 4 + ["2025"] * 4, "topic_id": [0, 0, 1, 1] * 2,
    ...     "topic_label": ["moe", "moe", "jss", "jss"] * 2,
    ...     "text": ["expert routing", "expert gating", "job shop", "shop floor",
    ...              "expert offloading", "offloading experts", "job shop", "shop makespan"]})
    >>> period_terms(docs, min_docs=2).query("topic_id == 0")["terms"].tolist()
    ['expert; gating; routing', 'offloading; expert']
    """
    columns = ["period", "topic_id", "topic_label", "n_docs", "terms"]
    dated = docs[docs["period"].notna() & (docs["period"].astype(str) != "")]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    largest = dated["topic_id"].value_counts().index[:max_themes]
    labels = dated.drop_duplicates("topic_id").set_index("topic_id")["topic_label"]
    # Term weights need word statistics, not every document: a seeded sample per
    # theme and period keeps this fast on 75k abstracts.
    dated = dated[dated["topic_id"].isin(largest)]
    dated = (dated.sample(frac=1.0, random_state=0).groupby(["period", "topic_id"])
             .head(max_docs).sort_index())
    rows = []
    for period, group in dated.groupby("period", sort=True):
        texts = group[text_col].astype(str).tolist()
        ids, matrix, vocab = class_tfidf(texts, group["topic_id"].to_numpy(), ngram_range=(1, 2))
        sizes = docs.loc[docs["period"] == period, "topic_id"].value_counts()
        for row, topic in enumerate(ids):
            if topic not in largest or sizes[topic] < min_docs:
                continue
            scores = matrix[row].toarray().ravel()
            top = np.argsort(-scores, kind="stable")[:40]
            terms = diverse_terms([(str(vocab[j]), float(scores[j])) for j in top if scores[j] > 0],
                                  n_terms)
            rows.append({"period": period, "topic_id": topic, "topic_label": labels[topic],
                         "n_docs": int(sizes[topic]), "terms": "; ".join(terms)})
    return pd.DataFrame(rows, columns=columns)
