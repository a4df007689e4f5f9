"""Topic rows: the one builder of ``topics.csv``, each column with one meaning.

=========================  ================================================================
column                     meaning
=========================  ================================================================
``topic_id``               the theme's id (0 = largest at fit time; -1 the kept outlier bin)
``topic_label``            its keywords: three terms specific to it (kept for continuity)
``topic_name``             its name: one short phrase (:mod:`trendkit.label.phrases`)
``n_docs``, ``share``      its documents, and their share of all documents
``top_terms``              its keyphrases, best first, ``"; "``-joined
``representative_titles``  the titles (or first words) of the three documents closest to
                           the theme's centre, in the run's vector space (TF-IDF space where
                           the run has no vectors: given labels, BERTopic's themes);
                           a merged theme lists its parts' first, largest part first
``mixed``                  far-spread or incoherent: probably a bin, not one theme
=========================  ================================================================

Every path that makes themes (fitting, given labels, themes born in ``assign``, BERTopic
in, curation) builds its rows here, and every path that recounts them (re-render,
streamed runs) calls :func:`recount`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..result import TOPIC_COLUMNS

OUTLIER = -1


def _tfidf_rows(texts: list[str]):
    from sklearn.preprocessing import normalize

    from ..tokens import count_terms

    try:
        _, counts = count_terms(texts, ngram_range=(1, 1), min_df=1)
    except ValueError:  # only stop words: every document is as central as any
        return None
    return normalize(counts.astype(np.float64))


def representatives(labels, titles, texts, ids, vectors=None, k: int = 3) -> list[str]:
    """For each id in ``ids``: the ``k`` documents closest to the theme's centre, joined.

    ``vectors`` are the documents' rows in the run's space; without them TF-IDF rows of
    ``texts`` are used.

    Examples
    --------
    >>> reps = representatives([0, 0, 0, 1], ["A", "B", "C", "D"],
    ...     ["expert routing", "expert routing gates", "job shop", "job shop"], [0, 1], k=2)
    >>> reps
    ['B | A', 'D']
    """
    labels = np.asarray(labels)
    titles = [str(t) for t in titles]
    texts = [str(t) for t in texts]
    rows = vectors if vectors is not None else _tfidf_rows(texts)
    found = []
    for topic in ids:
        members = np.flatnonzero(labels == topic)
        if rows is None or len(members) == 0:
            closest = members[:k]
        else:
            X = rows[members]
            centre = np.asarray(X.mean(axis=0)).ravel()
            similarity = np.asarray(X @ centre).ravel()
            closest = members[np.argsort(-similarity, kind="stable")[:k]]
        found.append(" | ".join((titles[i] or texts[i][:80]).replace("|", "/")
                                for i in closest))
    return found


def topic_rows(labels, titles, texts, names: pd.DataFrame, *, vectors=None,
               mixed=None) -> pd.DataFrame:
    """``topics.csv`` rows for documents labelled ``labels`` (the kept outlier bin last).

    Parameters
    ----------
    labels : array of int
        Theme id of each document.
    titles, texts : sequences of str
    names : DataFrame
        ``topic_id, topic_label[, top_terms]`` of every theme.
    vectors : array, optional
        The documents' rows in the run's space (see :func:`representatives`).
    mixed : dict of int to bool, optional
        Themes flagged mixed (see :func:`~trendkit.label.quality.mixed_flags`).

    Examples
    --------
    >>> names = pd.DataFrame({"topic_id": [0, 1], "topic_label": ["moe", "jss"]})
    >>> rows = topic_rows([0, 0, 1], ["A", "B", "C"], ["experts", "experts", "shops"], names)
    >>> rows[["topic_id", "n_docs", "share", "representative_titles"]].values.tolist()
    [[0, 2, 0.6666666666666666, 'A | B'], [1, 1, 0.3333333333333333, 'C']]
    """
    labels = np.asarray(labels)
    ids, counts = np.unique(labels, return_counts=True)
    table = pd.DataFrame({"topic_id": ids.astype(int), "n_docs": counts.astype(int)})
    table["share"] = table["n_docs"] / max(len(labels), 1)
    table["representative_titles"] = representatives(labels, titles, texts, ids, vectors)
    names = names.reindex(columns=["topic_id", "topic_label", "topic_name", "top_terms"])
    table = table.merge(names, on="topic_id", how="left")
    table["top_terms"] = table["top_terms"].fillna("").astype(str)
    table["topic_label"] = table["topic_label"].fillna(table["topic_id"].map("theme {}".format))
    table["topic_name"] = table["topic_name"].fillna(table["topic_label"])
    table["mixed"] = table["topic_id"].map(mixed or {}).fillna(False).astype(bool)
    return table.reindex(columns=TOPIC_COLUMNS).sort_values(
        "topic_id", key=lambda s: s.where(s != OUTLIER, 10**9)).reset_index(drop=True)


def recount(topics: pd.DataFrame, sizes: pd.Series, total: int) -> pd.DataFrame:
    """Topic rows with ``n_docs`` from ``sizes`` (documents per id) and shares of ``total``.

    Examples
    --------
    >>> topics = pd.DataFrame({"topic_id": [0, 1], "n_docs": [5, 5], "share": [.5, .5]})
    >>> recount(topics, pd.Series({0: 3}), 4)[["n_docs", "share"]].values.tolist()
    [[3.0, 0.75], [0.0, 0.0]]
    """
    n_docs = topics["topic_id"].map(sizes).fillna(0).astype(int)
    return topics.assign(n_docs=n_docs, share=n_docs / max(total, 1))


def merged_rows(group: pd.DataFrame, label: str, n_docs: int, named: bool = True) -> dict:
    """One row for themes merged into one (curation): their terms and examples, joined.

    ``label`` is the user's name for it when ``named``; otherwise the largest part keeps
    its own name."""
    group = group.sort_values("n_docs", ascending=False, kind="stable")
    own = group["topic_name"].iloc[0] if "topic_name" in group else label
    weights = group["n_docs"].clip(lower=0).to_numpy(float)
    outliers = group.get("outlier_share", pd.Series(0.0, index=group.index)).fillna(0)
    return {"topic_id": int(group["topic_id"].min()), "topic_label": label,
            "topic_name": label if named or pd.isna(own) else own, "n_docs": n_docs,
            "top_terms": _joined(group["top_terms"], "; ", 10),
            "representative_titles": _joined(group["representative_titles"], " | ", 3),
            "mixed": bool(group["mixed"].astype(bool).any()) if "mixed" in group else False,
            "parent_id": group["parent_id"].iloc[0] if "parent_id" in group else np.nan,
            "outlier_share": float(np.average(outliers, weights=weights))
            if weights.sum() > 0 else 0.0}


def _joined(values: pd.Series, sep: str, limit: int) -> str:
    items = [v.strip() for text in values.fillna("") for v in str(text).split(sep.strip())]
    return sep.join(list(dict.fromkeys(i for i in items if i))[:limit])
