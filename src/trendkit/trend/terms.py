"""Per-period theme terms, computed from each period's documents only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..label import ctfidf_from_counts, diverse_terms
from ..text import document_texts
from ..tokens import count_terms

PERIOD_TERM_COLUMNS = ["period", "topic_id", "topic_label", "n_docs", "terms"]


def period_terms(docs: pd.DataFrame, *, n_terms: int = 6, min_docs: int = 5,
                 max_themes: int = 12, max_docs: int = 30, text_col: str = "text",
                 sizes: pd.Series | None = None) -> pd.DataFrame:
    """Top terms of each theme in each period.

    Term weights are computed within one period at a time (themes of that
    period against each other), so a word popular in 2026 cannot leak into a
    2024 description — the flaw of topics-over-time tables that reuse global
    term weights.

    Parameters
    ----------
    docs : pandas.DataFrame
        ``period, topic_id, topic_label``, ``text_col`` and, if present, ``title``
        (title and text are read together, as the embedding and the theme labels read
        them; the tokens of the whole list are then reused, not made again).
    min_docs : int, default 5
        Theme-periods with fewer documents are skipped.
    max_themes : int, default 12
        Largest themes only, to keep the table readable.
    max_docs : int, default 30
        At most this many documents (a seeded sample) per theme and period.
    sizes : pandas.Series, optional
        Documents per ``(period, topic_id)`` when ``docs`` is itself only a
        sample of them (the streaming driver keeps ``max_docs`` per pair).

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
    ['expert gating; routing', 'expert offloading']
    """
    columns = PERIOD_TERM_COLUMNS
    docs = docs.assign(_row=np.arange(len(docs)))  # positions, whatever the index holds
    dated = docs[docs["period"].notna() & (docs["period"].astype(str) != "")]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    all_sizes = sizes if sizes is not None else docs.groupby(["period", "topic_id"]).size()
    largest = (all_sizes.groupby(level="topic_id").sum().sort_values(ascending=False, kind="stable")
               .index[:max_themes] if sizes is not None
               else dated["topic_id"].value_counts().index[:max_themes])
    labels = dated.drop_duplicates("topic_id").set_index("topic_id")["topic_label"]
    text = docs[text_col].fillna("").astype(str)
    texts = document_texts(docs["title"].fillna("").astype(str), text) if "title" in docs \
        else text.tolist()
    # Term weights need word statistics, not every document: a seeded sample per theme and
    # period (count_terms reads it from the corpus's tokens if LSA left them cached).
    dated = dated[dated["topic_id"].isin(largest)]
    dated = (dated.sample(frac=1.0, random_state=0).groupby(["period", "topic_id"])
             .head(max_docs).sort_index())
    # Tokenise once; term weights are still computed within each period only.
    try:
        vocab, counts = count_terms(texts, rows=dated["_row"].to_numpy(), ngram_range=(1, 2),
                                    min_df=2 if len(dated) >= 100 else 1)
    except ValueError:  # too few documents or only stop words
        return pd.DataFrame(columns=columns)
    periods = dated["period"].to_numpy()
    topic_ids = dated["topic_id"].to_numpy()
    rows = []
    for period in sorted(set(periods)):
        in_period = np.flatnonzero(periods == period)
        ids, matrix = ctfidf_from_counts(counts[in_period], topic_ids[in_period])
        for row, topic in enumerate(ids):
            n_docs = int(all_sizes.get((period, topic), 0))
            if n_docs < min_docs:
                continue
            scores = matrix[row].toarray().ravel()
            top = np.argsort(-scores, kind="stable")[:40]
            terms = diverse_terms([(str(vocab[j]), float(scores[j])) for j in top if scores[j] > 0],
                                  n_terms)
            rows.append({"period": period, "topic_id": topic, "topic_label": labels[topic],
                         "n_docs": n_docs, "terms": "; ".join(terms)})
    return pd.DataFrame(rows, columns=columns)
