"""Theme quality: NPMI coherence, topic diversity, and agreement with given labels.

Computed from a finished run by ``trendkit evaluate``; written to
``quality.csv`` (one tidy table) and shown in the report.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from sklearn import metrics

from ..sampling import sample_rows
from ..text import document_texts
from ..tokens import count_terms

QUALITY_COLUMNS = ["scope", "topic_id", "topic_label", "metric", "value"]


def npmi_coherence(texts: list[str], topics_terms: list[list[str]]) -> list[float]:
    """Mean NPMI over pairs of each theme's terms, from document co-occurrence.

    ``NPMI(a, b) = log(P(a, b) / (P(a) P(b))) / -log P(a, b)``, with
    probabilities estimated as the share of documents containing the term
    (phrases matched as n-grams after the same tokenisation as the labels).
    Pairs that never co-occur score -1; terms absent from the corpus are skipped.

    Examples
    --------
    >>> texts = ["expert routing", "expert routing gates", "job shop", "job shop rules"]
    >>> [round(x, 3) for x in npmi_coherence(texts, [["expert", "routing"], ["expert", "shop"]])]
    [1.0, -1.0]
    """
    vocabulary = sorted({t for terms in topics_terms for t in terms})
    if not vocabulary:
        return [np.nan] * len(topics_terms)
    n_max = max(len(t.split()) for t in vocabulary)
    counts = count_terms(list(texts), ngram_range=(1, max(1, n_max)), vocabulary=vocabulary)[1]
    present = (counts > 0).tocsc().astype(np.float64)
    n = present.shape[0]
    together = (present.T @ present).toarray() / n
    alone = np.diag(together)
    index = {t: i for i, t in enumerate(vocabulary)}
    scores = []
    for terms in topics_terms:
        ids = [index[t] for t in terms if t in index and alone[index[t]] > 0]
        pair_scores = []
        for i, j in itertools.combinations(ids, 2):
            joint = together[i, j]
            if joint <= 0:
                pair_scores.append(-1.0)
            elif joint >= 1:
                pair_scores.append(1.0)
            else:
                pair_scores.append(np.log(joint / (alone[i] * alone[j])) / -np.log(joint))
        scores.append(float(np.mean(pair_scores)) if pair_scores else np.nan)
    return scores


def topic_diversity(topics_terms: list[list[str]]) -> float:
    """Share of unique words among all themes' top terms (1 = no repetition).

    Examples
    --------
    >>> topic_diversity([["expert routing", "gates"], ["job shop", "routing"]])  # 5 of 6 words
    0.8333333333333334
    """
    words = [w for terms in topics_terms for term in terms for w in term.split()]
    return len(set(words)) / len(words) if words else float("nan")


def theme_quality(documents: pd.DataFrame, topics: pd.DataFrame, *,
                  label_col: str | None = None, n_terms: int = 10) -> pd.DataFrame:
    """The tidy quality table of a run: per-theme NPMI plus overall metrics.

    Returns
    -------
    pandas.DataFrame
        ``scope, topic_id, topic_label, metric, value`` — scope ``theme`` rows
        hold each theme's NPMI; scope ``overall`` rows hold mean NPMI, topic
        diversity and, with ``label_col``, NMI, ARI, homogeneity and
        completeness of the theme ids against those labels.
    """
    texts = document_texts(documents["title"].fillna(""), documents["text"].fillna(""))
    terms = [[t.strip() for t in str(s).split(";") if t.strip()][:n_terms]
             for s in topics["top_terms"].fillna("")]
    npmi = npmi_coherence(texts, terms)
    rows = [{"scope": "theme", "topic_id": int(t), "topic_label": label, "metric": "npmi",
             "value": score}
            for t, label, score in zip(topics["topic_id"], topics["topic_label"], npmi)]
    overall = {"npmi_mean": float(np.nanmean(npmi)) if np.isfinite(npmi).any() else np.nan,
               "topic_diversity": topic_diversity(terms)}
    if label_col is not None:
        truth = documents[label_col].astype(str).to_numpy()
        found = documents["topic_id"].to_numpy()
        overall.update(nmi=metrics.normalized_mutual_info_score(truth, found),
                       ari=metrics.adjusted_rand_score(truth, found),
                       homogeneity=metrics.homogeneity_score(truth, found),
                       completeness=metrics.completeness_score(truth, found))
    rows += [{"scope": "overall", "topic_id": None, "topic_label": None, "metric": k,
              "value": float(v)} for k, v in overall.items()]
    return pd.DataFrame(rows, columns=QUALITY_COLUMNS)


def mixed_flags(embeddings, labels, topic_ids, texts, top_terms, *, spread: float = 0.75,
                min_npmi: float = -0.5, sample: int = 5000, random_state: int = 0) -> list[bool]:
    """Themes that look like mixed bins rather than real themes.

    A theme is *mixed* when its documents are far-spread — mean cosine
    similarity to their centroid below ``spread`` × the median over themes —
    or its top terms rarely occur together (NPMI below ``min_npmi`` on a
    seeded sample of ``sample`` documents). Measured on the papers page and
    the AAAI set: real themes sit at 0.4–0.8 cohesion and NPMI above −0.35;
    the page's junk bin at 0.41 cohesion (page median 0.62) and NPMI −0.79.

    Examples
    --------
    >>> tight, spread = np.eye(3)[[0, 0, 0, 0]], np.eye(3)[[0, 1, 2, 1]]
    >>> E = np.vstack([tight, spread, np.eye(3)[[2, 2, 2, 2]]])
    >>> mixed_flags(E, np.repeat([0, 1, 2], 4), [0, 1, 2], ["x y"] * 12, ["x", "y", "x"])
    [False, True, False]
    """
    embeddings, labels = np.asarray(embeddings), np.asarray(labels)
    cohesion = []
    for topic in topic_ids:
        members = embeddings[labels == topic]
        centre = members.mean(axis=0)
        centre = centre / max(float(np.linalg.norm(centre)), 1e-12)
        cohesion.append(float((members @ centre).mean()) if len(members) else 0.0)
    cohesion = np.array(cohesion)
    texts = list(texts)
    texts = [texts[i] for i in sample_rows(len(texts), sample, random_state)]
    terms = [[t.strip() for t in str(s).split(";") if t.strip()][:10] for s in top_terms]
    npmi = np.array(npmi_coherence(texts, terms), dtype=float)
    spread_out = cohesion < spread * np.median(cohesion) if len(cohesion) > 2 else cohesion < 0
    incoherent = np.nan_to_num(npmi, nan=0.0) < min_npmi
    return [bool(flag) for flag in spread_out | incoherent]
