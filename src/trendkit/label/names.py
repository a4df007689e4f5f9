"""Theme names: readable for themes from class-based TF-IDF.

c-TF-IDF (as in BERTopic) treats all documents of a theme as one document and weights
terms by how specific they are to it. Names are 1–3-word keyphrases, stop words removed;
variants ("llms"/"llm", "rl"/"reinforcement learning") count as one term, terms most
themes use are down-weighted, and no word repeats across labels while there are others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .ctfidf import class_tfidf, ctfidf_from_counts
from .phrases import theme_name
from .terms import _word_sets, acronym_map, diverse_terms, term_key

# A term used by over this share of themes (or of documents) names none of them.
GENERIC_SHARE, GENERIC_PENALTY = 0.5, 0.3
MAX_NAMING_TEXTS = 500  # a theme's documents read for how they write its name


def _concepts(vocab: np.ndarray, counts: sparse.csr_matrix, labels: np.ndarray):
    # Variants ("llms", "llm") and acronym pairs ("rl") are summed: they count as one term.
    acronyms = acronym_map(vocab, counts)
    expand = {term_key(a): term_key(p) for a, p in acronyms.items()}
    names, concept = np.unique([" ".join(expand.get(w, w) for w in term_key(t).split())
                                for t in vocab], return_inverse=True)
    merged = sparse.csr_matrix(counts @ sparse.csr_matrix(
        (np.ones(len(vocab)), (np.arange(len(vocab)), concept)), shape=(len(vocab), len(names))))
    # Class frequency: the share of themes where ≥ 5 % of documents use a concept. Used
    # by most themes (or documents) it names none; nor do phrases of such words only.
    ids, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    presence = sparse.csr_matrix(merged > 0, dtype=np.float64)
    share = sparse.csr_matrix((1 / sizes[inverse], (inverse, np.arange(len(labels))))) @ presence
    class_freq = np.asarray((share >= 0.05).sum(axis=0)).ravel() / len(ids)
    generic = (class_freq > GENERIC_SHARE) | (presence.sum(axis=0).A1 > GENERIC_SHARE * len(labels))
    words = set(names[generic & (np.char.count(names, " ") == 0)])
    generic |= np.array([all(w in words for w in n.split()) for n in names])
    return names, concept, merged, np.where(generic, GENERIC_PENALTY, 1.0), acronyms


def name_topics(texts: list[str], labels: np.ndarray, *, n_terms: int = 10, n_label_terms: int = 3,
                random_state: int = 0, outlier: int = -1, parents: dict | None = None,
                parent_names: dict | None = None) -> pd.DataFrame:
    """Keyphrases and a short label for every theme, no word shared between labels.

    Variants and acronyms count as one term (:func:`term_key`, :func:`acronym_map`),
    shown in the theme's best-scoring form; terms most themes use are scaled
    by ``GENERIC_PENALTY``; a word wanted by several labels goes to the theme
    where it scores highest. The ``outlier`` theme neither claims nor loses words.

    With ``parents`` (sub-theme id -> theme id) the themes are sub-themes: how much a
    name is a sub-theme's own is measured among its siblings, and with ``parent_names``
    (theme id -> name) a sub-theme's name says nothing a theme's name or another
    sub-theme's says, and something its own theme's name does not. Rows that are no
    sub-theme (themes not split, ``outlier``) keep their keyword label as their name.

    Returns
    -------
    pandas.DataFrame
        ``topic_id, topic_label, topic_name, top_terms`` (terms joined by ``"; "``;
        ``topic_name``: one short phrase, see :mod:`trendkit.label.phrases`).

    Examples
    --------
    >>> texts = ["expert routing in sparse experts", "sparse experts routing tokens",
    ...          "job shop scheduling makespan", "flexible job shop makespan"]
    >>> names = name_topics(texts, np.array([0, 0, 1, 1]))
    >>> names["topic_label"].tolist()
    ['sparse experts · routing · tokens', 'job shop · makespan · flexible']
    >>> names["topic_name"].tolist()
    ['sparse experts routing', 'job shop scheduling']
    """
    ids, _, vocab, counts, kept = class_tfidf(list(texts), labels, random_state=random_state,
                                              return_counts=True)
    pools, uses, owns, acronyms = {}, {}, {}, {}
    texts, kept_labels = [str(t) for t in texts], np.asarray(labels)
    if counts is not None:
        vocab = vocab.astype(str)
        names, concept, merged, weight, acronyms = _concepts(vocab, counts, kept)
        forms, matrix = ctfidf_from_counts(counts, kept)[1], ctfidf_from_counts(merged, kept)[1]
        members = np.split(np.argsort(concept, kind="stable"), np.cumsum(np.bincount(concept))[:-1])
        index = {t: j for j, t in enumerate(vocab)}
        n_words = np.char.count(names, " ")
        # documents using each form, among the theme's siblings (all themes at the top); on
        # the documents c-TF-IDF read (at most 250 a theme), so big themes count as others do
        group = np.array([parents.get(k, k) if parents else 0 for k in kept])
        used_by = {g: np.asarray((counts[group == g] > 0).sum(axis=0)).ravel()
                   for g in np.unique(group)}
        for row in range(len(ids)):
            mine = kept == ids[row]
            scores, shown = matrix[row].toarray().ravel() * weight, forms[row].toarray().ravel()
            # Best first, on ties the shorter, so phrases must earn their place; each shown
            # in its best-scoring form in this theme (on ties, the phrase).
            top = [c for c in np.lexsort((n_words, -scores))[:150] if scores[c] > 0]
            scored = dict((vocab[max(members[c], key=lambda j: (shown[j], vocab[j].count(" ")))],
                           float(scores[c])) for c in top)
            terms = diverse_terms(list(scored.items()), max(n_terms, 30), acronyms=acronyms)
            pools[row] = list(zip(terms, map(scored.get, terms),
                                  _word_sets(terms, acronyms, shown=True)))
            uses[row], owns[row] = _use(counts, mine, index, terms, used_by[group[mine][0]])
    # Best score first across themes: a word goes to the label whose term holding it scores
    # highest; others take their next term, or with none left their own (repeats beat no name).
    # With parents, the rows that are no sub-theme (a theme not split) are left unnamed:
    # their names would be dropped, yet would have blocked words and names for the others.
    named = {row for row in pools if ids[row] != outlier and (not parents or ids[row] in parents)}
    claimed, picked = {}, {row: [] for row in named}
    for _, row, pos, term, words in sorted((-s, r, i, t, w) for r in picked
                                           for i, (t, s, w) in enumerate(pools[r])):
        if len(picked[row]) < n_label_terms and all(claimed.get(w, row) == row for w in words):
            picked[row].append((pos, term))
            claimed.update(dict.fromkeys(words, row))
    parent_names = parent_names or {}
    texts_of: dict = {}  # each theme's documents, in corpus order (one pass, not one per theme)
    for text, topic in zip(texts, kept_labels):
        texts_of.setdefault(topic, []).append(text)
    rows, seen, taken = [], set(), {str(t).lower() for t in parent_names.values()}
    for row, topic in enumerate(ids):
        pool = [t for t, _, _ in pools.get(row, [])]
        label = " · ".join([t for _, t in sorted(picked.get(row, []))] or pool[:n_label_terms]
                           ) or f"theme {topic}"
        label = f"{label} ({topic})" if label in seen else label  # a theme with nothing its own
        seen.update([label] if row in named else [])
        name = label
        if pool and row in named:
            name = theme_name([(t, sc) for t, sc, _ in pools[row]], uses.get(row, {}),
                              acronyms, taken, texts_of.get(topic, [])[:MAX_NAMING_TEXTS],
                              own=owns.get(row, {}),
                              within=parent_names.get((parents or {}).get(topic)),
                              others={t for t, _, words in pools[row]
                                      if any(claimed.get(w, row) != row for w in words)})
        rows.append({"topic_id": int(topic), "topic_label": label, "topic_name": name,
                     "top_terms": "; ".join(pool[:n_terms])})
    return pd.DataFrame(rows, columns=["topic_id", "topic_label", "topic_name", "top_terms"])


def _use(counts: sparse.csr_matrix, members: np.ndarray, index: dict, terms,
         used_by: np.ndarray) -> tuple[dict, dict]:
    """Share of a theme's documents that use each of ``terms``, and share of the documents
    using each term that are the theme's (how much the term is the theme's own)."""
    columns = [index[t] for t in terms if t in index]
    if not members.any() or not columns:
        return {}, {}
    inside = np.asarray((counts[members][:, columns] > 0).sum(axis=0)).ravel()
    known = [t for t in terms if t in index]
    return (dict(zip(known, (inside / members.sum()).tolist())),
            dict(zip(known, (inside / np.maximum(used_by[columns], 1)).tolist())))
