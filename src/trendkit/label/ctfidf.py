"""Class-based TF-IDF (as in BERTopic): all documents of a theme read as one document.

Terms are weighted by how specific they are to a theme; used by theme names and by
the per-period terms of the trend stage.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ..sampling import sample_rows
from ..tokens import count_terms

# c-TF-IDF needs word statistics, not every document: beyond this many per
# theme a seeded sample gives the same top terms, much faster on 75k docs.
MAX_DOCS_PER_TOPIC = 250


def class_tfidf(texts: list[str], labels: np.ndarray, *, ngram_range=(1, 3),
                random_state: int = 0, return_counts: bool = False) -> tuple:
    """Class-based TF-IDF matrix (themes × terms).

    Returns
    -------
    topic_ids, matrix, vocabulary
        and, with ``return_counts``, the counts (documents × terms) and labels used.

    Examples
    --------
    >>> ids, m, vocab = class_tfidf(["expert routing", "expert routing gates", "job shop"],
    ...                             np.array([0, 0, 1]), ngram_range=(1, 1))
    >>> vocab[m[1].toarray().argmax()]
    'job'
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(random_state)
    groups = [np.flatnonzero(labels == topic) for topic in np.unique(labels)]
    keep = np.concatenate([sample_rows(g, MAX_DOCS_PER_TOPIC, rng) for g in groups])
    try:
        vocab, counts = count_terms(texts, rows=keep, ngram_range=ngram_range,
                                    min_df=2 if len(keep) >= 100 else 1)
    except ValueError:  # nothing but stop words
        empty = (np.unique(labels), sparse.csr_matrix((len(groups), 1)), np.array(["(no terms)"]))
        return empty + (None, labels[keep]) if return_counts else empty
    # A phrase seen in one document only is an accident of wording, not a keyphrase.
    doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
    is_phrase = np.char.count(vocab.astype(str), " ") > 0
    counts = sparse.csr_matrix(counts @ sparse.diags((~(is_phrase & (doc_freq < 2))).astype(float)))
    ids, matrix = ctfidf_from_counts(counts, labels[keep])
    return (ids, matrix, vocab, counts, labels[keep]) if return_counts else (ids, matrix, vocab)


def ctfidf_from_counts(counts: sparse.spmatrix, labels: np.ndarray
                       ) -> tuple[np.ndarray, sparse.csr_matrix]:
    """c-TF-IDF from a document × term count matrix (rows aligned with ``labels``).

    Split out so callers that slice one count matrix many ways (per period)
    tokenise the corpus once.
    """
    ids, inverse = np.unique(labels, return_inverse=True)
    membership = sparse.csr_matrix((np.ones(len(inverse)), (inverse, np.arange(len(inverse)))))
    tf = sparse.csr_matrix(membership @ counts, dtype=np.float64)
    idf = np.log(1 + (tf.sum() / len(ids)) / np.maximum(tf.sum(axis=0).A1, 1))
    tf = sparse.diags(1 / np.maximum(tf.sum(axis=1).A1, 1)) @ tf
    return ids, sparse.csr_matrix(tf @ sparse.diags(idf))
