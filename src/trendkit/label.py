"""Stage 4 — label: readable names for themes from class-based TF-IDF.

c-TF-IDF (as in BERTopic) treats all documents of a theme as one document and
weights terms by how specific they are to it. Names are built from 1–3-word
keyphrases with English and scientific-boilerplate stop words removed, with
overlapping phrases collapsed so the terms shown are diverse, and labels made
unique across themes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .text import term_vectorizer

# c-TF-IDF needs word statistics, not every document: beyond this many per
# theme a seeded sample gives the same top terms, much faster on 75k docs.
MAX_DOCS_PER_TOPIC = 250


def class_tfidf(texts: list[str], labels: np.ndarray, *, ngram_range=(1, 3),
                random_state: int = 0) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray]:
    """Class-based TF-IDF matrix (themes × terms).

    Returns
    -------
    topic_ids, matrix, vocabulary

    Examples
    --------
    >>> ids, m, vocab = class_tfidf(["expert routing", "expert routing gates", "job shop"],
    ...                             np.array([0, 0, 1]), ngram_range=(1, 1))
    >>> vocab[m[1].toarray().argmax()]
    'job'
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(random_state)
    keep = []
    for topic in np.unique(labels):
        members = np.flatnonzero(labels == topic)
        if len(members) > MAX_DOCS_PER_TOPIC:
            members = np.sort(rng.choice(members, MAX_DOCS_PER_TOPIC, replace=False))
        keep.append(members)
    keep = np.concatenate(keep)
    n_docs = len(keep)
    vectorizer = term_vectorizer(ngram_range=ngram_range, min_df=2 if n_docs >= 100 else 1)
    try:
        counts = vectorizer.fit_transform([texts[i] for i in keep])
    except ValueError:  # nothing but stop words
        ids = np.unique(labels)
        return ids, sparse.csr_matrix((len(ids), 1)), np.array(["(no terms)"])
    vocab = vectorizer.get_feature_names_out()
    # A phrase seen in one document only is an accident of wording, not a keyphrase.
    doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
    is_phrase = np.char.count(vocab.astype(str), " ") > 0
    counts = counts @ sparse.diags((~(is_phrase & (doc_freq < 2))).astype(float))
    ids, matrix = ctfidf_from_counts(counts, labels[keep])
    return ids, matrix, vocab


def ctfidf_from_counts(counts: sparse.spmatrix, labels: np.ndarray
                       ) -> tuple[np.ndarray, sparse.csr_matrix]:
    """c-TF-IDF from a document × term count matrix (rows aligned with ``labels``).

    Split out so callers that slice one count matrix many ways (per period)
    tokenise the corpus once.
    """
    n_docs = counts.shape[0]
    ids, inverse = np.unique(labels, return_inverse=True)
    membership = sparse.csr_matrix((np.ones(n_docs), (inverse, np.arange(n_docs))),
                                   shape=(len(ids), n_docs))
    tf = membership @ counts
    tf = sparse.csr_matrix(tf, dtype=np.float64)
    term_freq = np.asarray(tf.sum(axis=0)).ravel()
    avg_words = tf.sum() / len(ids)
    idf = np.log(1 + avg_words / np.maximum(term_freq, 1))
    row_sums = np.asarray(tf.sum(axis=1)).ravel()
    tf = sparse.diags(1 / np.maximum(row_sums, 1)) @ tf
    return ids, sparse.csr_matrix(tf @ sparse.diags(idf))


def _stems(term: str) -> set[str]:
    # Five-letter prefixes: "expert"/"experts", "schedule"/"scheduling" collide.
    return {w[:5] for w in term.split()}


def diverse_terms(scored: list[tuple[str, float]], k: int = 10) -> list[str]:
    """Pick ``k`` terms that do not repeat each other's words.

    A phrase that extends one chosen term replaces it when it scores at least
    half as high ("serving" → "llm serving"); any other term sharing a word
    (or a word stem) with a chosen term is skipped.

    Examples
    --------
    >>> diverse_terms([("serving", 1.0), ("llm serving", 0.8), ("llm", 0.7), ("cache", 0.5)], 3)
    ['llm serving', 'cache']
    """
    chosen: list[tuple[str, float]] = []
    for term, score in scored:
        stems = _stems(term)
        overlapping = [i for i, (c, _) in enumerate(chosen) if stems & _stems(c)]
        if not overlapping:
            chosen.append((term, score))
        elif all(_stems(chosen[i][0]) < stems for i in overlapping):
            # The phrase extends chosen words ("job", "shop" -> "job shop").
            best = max(chosen[i][1] for i in overlapping)
            if score >= 0.5 * best:
                first = overlapping[0]
                chosen[first] = (term, best)
                chosen = [c for i, c in enumerate(chosen) if i == first or i not in overlapping]
        if len(chosen) >= k:
            break
    return [c for c, _ in chosen]


def name_topics(texts: list[str], labels: np.ndarray, *, n_terms: int = 10, n_label_terms: int = 3,
                random_state: int = 0) -> pd.DataFrame:
    """Keyphrases and a short unique label for every theme.

    Returns
    -------
    pandas.DataFrame
        ``topic_id, topic_label, top_terms`` (terms joined by ``"; "``).

    Examples
    --------
    >>> texts = ["expert routing in sparse experts", "sparse experts routing tokens",
    ...          "job shop scheduling makespan", "flexible job shop makespan"]
    >>> name_topics(texts, np.array([0, 0, 1, 1]))["topic_label"].tolist()
    ['sparse experts · routing · tokens', 'job shop · makespan · flexible']
    """
    ids, matrix, vocab = class_tfidf(list(texts), np.asarray(labels), random_state=random_state)
    n_words = np.array([t.count(" ") + 1 for t in vocab])
    rows, seen = [], set()
    for row, topic in enumerate(ids):
        scores = matrix[row].toarray().ravel()
        # Best score first; on ties the shorter term, so phrases must earn their place.
        top = np.lexsort((n_words, -scores))[:80]
        scored = [(str(vocab[j]), float(scores[j])) for j in top if scores[j] > 0]
        terms = diverse_terms(scored, n_terms)
        label = " · ".join(terms[:n_label_terms]) or f"theme {topic}"
        extra = n_label_terms
        while label in seen and extra < len(terms):  # unique labels, readable first
            label = " · ".join(terms[:n_label_terms - 1] + [terms[extra]])
            extra += 1
        if label in seen:
            label = f"{label} ({topic})"
        seen.add(label)
        rows.append({"topic_id": int(topic), "topic_label": label, "top_terms": "; ".join(terms)})
    frame = pd.DataFrame(rows, columns=["topic_id", "topic_label", "top_terms"])
    return frame
