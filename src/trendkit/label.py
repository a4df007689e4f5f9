"""Stage 4 — label: readable names for themes from class-based TF-IDF.

c-TF-IDF (as in BERTopic) treats all documents of a theme as one document and weights
terms by how specific they are to it. Names are 1–3-word keyphrases, stop words removed;
variants ("llms"/"llm", "rl"/"reinforcement learning") count as one term, terms most
themes use are down-weighted, and no word repeats across labels while there are others.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from .sampling import sample_rows
from .tokens import count_terms

# c-TF-IDF needs word statistics, not every document: beyond this many per
# theme a seeded sample gives the same top terms, much faster on 75k docs.
MAX_DOCS_PER_TOPIC = 250
# A term used by over this share of themes (or of documents) names none of them.
GENERIC_SHARE, GENERIC_PENALTY = 0.5, 0.3
# One plural ending, then one inflection, is dropped: "loss", "focus", "basis"
# and _NOT_PLURAL keep their "s"; stems keep 3+ letters ("thing", "need", "embed").
_NOT_PLURAL = frozenset("bias gas atlas canvas alias lens news series species chaos".split())
_PLURALS = tuple((re.compile(p), stem) for p, stem in (
    (r"(..)ies$", r"\1y"), (r"(ss|x|ch|sh)es$", r"\1"), (r"(^..?i|[^sui])s$", r"\1")))
_INFLECTIONS = tuple((re.compile(p), stem) for p, stem in (
    (r"(...)ied$", r"\1y"), (r"(...)ing$", r"\1"), (r"(...[^e])ed$", r"\1"),
    (r"(ion|ur)al$", r"\1")))  # "emotional", "structural" too
_SAME_ENDING = re.compile(r"(..)([^aeious])\2$")
_SILENT_E = re.compile(r"(...)e$")
# Letters an acronym may hold for a dropped stop word, never first: "moe" = mixture
# (of) experts; "m" (model) only last, perhaps with an "l" (large): "mllm" =
# multimodal (large) language (model). Not "a" (and): "case" would be "cs".
_SKIPPABLE = frozenset("oftiwl")


@lru_cache(maxsize=None)
def _word_key(word: str) -> str:
    w = word.lower()
    if len(w) <= 3 or w in _NOT_PLURAL:
        return w
    for rules in (_PLURALS, _INFLECTIONS):
        for pattern, stem in rules:
            w, hit = pattern.subn(stem, w)
            if hit:
                break
    # Forms end alike, silent "e" or doubled consonant: "schedul(e|ing)", "map(ping)".
    return _SAME_ENDING.sub(r"\1\2", _SILENT_E.sub(r"\1", w))


def term_key(term: str) -> str:
    """A key that singular/plural and simple inflections of a term share.

    A small rule-based stemmer, word by word: plural ``-s/-es/-ies``, ``-ing``, ``-ed``,
    a final silent ``e`` and a doubled final consonant go; "loss" stays. Never shown.

    Examples
    --------
    >>> [term_key(t) for t in ["llms", "edits", "edited", "editing", "policies", "loss"]]
    ['llm', 'edit', 'edit', 'edit', 'policy', 'loss']
    >>> term_key("Image Editing") == term_key("images edited")
    True
    """
    return " ".join(_word_key(w) for w in term.split())


def acronym_map(vocab, counts: sparse.spmatrix | None = None) -> dict[str, str]:
    """``{acronym: phrase}``: the acronyms in ``vocab`` and the phrases they abbreviate.

    A token of 2–6 letters matches a 2–4-word phrase whose initials (or its
    hyphenated parts') it spells, a letter perhaps standing for a dropped stop
    word ("moe" ↔ "mixture experts"). With ``counts`` (documents × ``vocab``)
    the phrase seen most with the acronym must share documents with it far
    beyond chance, or there is no pair; without, ambiguous acronyms are left out.

    Examples
    --------
    >>> acronym_map(["rl", "reinforcement learning", "policy", "moe", "mixture experts"])
    {'rl': 'reinforcement learning', 'moe': 'mixture experts'}
    >>> acronym_map(["llms", "large language models", "llm", "icl", "in-context learning"])
    {'llms': 'large language models', 'llm': 'large language models', 'icl': 'in-context learning'}
    """
    vocab = [str(t) for t in vocab]
    by_initials = {}
    for j, term in enumerate(vocab):
        words = term.split()
        if 2 <= len(words) <= 4 and all(w[0].isalpha() for w in words):
            parts = term.replace("-", " ").split()
            for initials in {"".join(w[0] for w in words), "".join(w[0] for w in parts)}:
                by_initials.setdefault(initials, []).append(j)

    @lru_cache(maxsize=None)  # a phrase's word keys ("video" ≠ "video depth estimation"),
    def keyed(j: int) -> frozenset:  # for the few phrases an acronym's initials fit
        return frozenset(_word_key(w) for w in vocab[j].replace("-", " ").split())

    pairs = {}
    for i, token in enumerate(vocab):
        if " " in token or not token.isalpha():  # most of the vocabulary: skip it first
            continue
        acr = _word_key(token)  # "llms" abbreviates like "llm"; "setting" is no acronym
        if acr != re.sub(r"(?<=\w\w)s$", "", token):
            continue
        skip = [k for k in range(1, len(acr) - 1) if acr[k] in _SKIPPABLE]
        spellings = {acr} | {acr[:k] + acr[k + 1:] for k in skip}
        if acr[-1] == "m" and len(acr) > 2:
            spellings |= {acr[:-1]} | {acr[:k] + acr[k + 1:-1] for k in skip if acr[k] == "l"}
        fits = sorted({j for s in spellings for j in by_initials.get(s, []) if acr not in keyed(j)})
        if 2 <= len(acr) <= 6 and fits and (counts is not None or len(fits) == 1):
            pairs[i] = fits
    if counts is None or not pairs:
        return {vocab[i]: vocab[fits[0]] for i, fits in pairs.items()}
    presence = sparse.csc_matrix(counts > 0, dtype=np.float64)
    doc_freq, phrases = presence.sum(axis=0).A1, sorted({j for f in pairs.values() for j in f})
    column = {j: c for c, j in enumerate(phrases)}
    together = sparse.csr_matrix(presence[:, list(pairs)].T @ presence[:, phrases])
    found = {}
    for row, (i, fits) in enumerate(pairs.items()):
        # Authors define an acronym next to its phrase; a word that merely shares
        # initials with a phrase meets it about as often as chance has it.
        shared = together[row].toarray().ravel()[[column[j] for j in fits]]
        j, both = fits[int(np.argmax(shared))], shared.max()
        lift = both * presence.shape[0] / max(doc_freq[i] * doc_freq[j], 1)
        if both >= max(3, 0.3 * doc_freq[j]) and lift >= 10:
            found[vocab[i]] = vocab[j]
    return found


def _word_sets(terms, acronyms: dict[str, str], *, shown: bool = False) -> list[frozenset]:
    # Keyed words, hyphenated parts apart ("multi-agent" holds "agent"). In a theme an
    # acronym stands for its phrase's words ("rl" holds "learn"); across labels only shown
    # words count, plus a mark for what acronyms mean: "icl" keeps "learning" from no one.
    expand = {term_key(a): term_key(p.replace("-", " ")) for a, p in acronyms.items()}
    keys = [term_key(t.replace("-", " ")) for t in terms]
    if not shown:
        return [frozenset(x for w in k.split() for x in expand.get(w, w).split()) for k in keys]
    return [frozenset(k.split()) | {"=" + p for a, p in expand.items()
                                    if a in k.split() or f" {p} " in f" {k} "} for k in keys]


def diverse_terms(scored: list[tuple[str, float]], k: int = 10, *,
                  acronyms: dict[str, str] | None = None) -> list[str]:
    """Pick ``k`` terms that do not repeat each other's words.

    Words compare by :func:`term_key`, acronyms by their phrase's words
    (``acronyms``; found among the terms when None). A phrase extending chosen
    terms replaces them if it scores at least half as high ("serving" → "llm
    serving"), the same term in other words on a tie if it is the phrase ("rl"
    → "reinforcement learning"); other terms sharing a word are skipped.

    Examples
    --------
    >>> diverse_terms([("serving", 1.0), ("llm serving", 0.8), ("llm", 0.7), ("cache", 0.5)], 3)
    ['llm serving', 'cache']
    >>> diverse_terms([("llms", 1.0), ("llm", 0.9), ("rl", 0.8), ("reinforcement learning", 0.8)])
    ['llms', 'reinforcement learning']
    """
    acronyms = acronym_map([t for t, _ in scored]) if acronyms is None else acronyms
    chosen: list[tuple[str, float, frozenset]] = []
    for (term, score), words in zip(scored, _word_sets([t for t, _ in scored], acronyms)):
        overlapping = [i for i, c in enumerate(chosen) if words & c[2]]
        if not overlapping:
            chosen.append((term, score, words))
        elif all(chosen[i][2] < words for i in overlapping):
            # The phrase extends chosen words ("job", "shop" -> "job shop").
            best = max(chosen[i][1] for i in overlapping)
            if score >= 0.5 * best:
                first = overlapping[0]
                chosen[first] = (term, best, words)
                chosen = [c for i, c in enumerate(chosen) if i == first or i not in overlapping]
        elif len(overlapping) == 1 and chosen[overlapping[0]][2] == words:
            old = chosen[overlapping[0]]  # the same term in other words: on a tie, the phrase
            if score >= old[1] and term.count(" ") > old[0].count(" "):
                chosen[overlapping[0]] = (term, score, words)
        if len(chosen) >= k:
            break
    return [c[0] for c in chosen]


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
                random_state: int = 0, outlier: int = -1) -> pd.DataFrame:
    """Keyphrases and a short label for every theme, no word shared between labels.

    Variants and acronyms count as one term (:func:`term_key`, :func:`acronym_map`),
    shown in the theme's best-scoring form; terms most themes use are scaled
    by ``GENERIC_PENALTY``; a word wanted by several labels goes to the theme
    where it scores highest. The ``outlier`` theme neither claims nor loses words.

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
    ids, _, vocab, counts, kept = class_tfidf(list(texts), labels, random_state=random_state,
                                              return_counts=True)
    pools = {}
    if counts is not None:
        vocab = vocab.astype(str)
        names, concept, merged, weight, acronyms = _concepts(vocab, counts, kept)
        forms, matrix = ctfidf_from_counts(counts, kept)[1], ctfidf_from_counts(merged, kept)[1]
        members = np.split(np.argsort(concept, kind="stable"), np.cumsum(np.bincount(concept))[:-1])
        n_words = np.char.count(names, " ")
        for row in range(len(ids)):
            scores, shown = matrix[row].toarray().ravel() * weight, forms[row].toarray().ravel()
            # Best first, on ties the shorter, so phrases must earn their place; each shown
            # in its best-scoring form in this theme (on ties, the phrase).
            top = [c for c in np.lexsort((n_words, -scores))[:150] if scores[c] > 0]
            scored = dict((vocab[max(members[c], key=lambda j: (shown[j], vocab[j].count(" ")))],
                           float(scores[c])) for c in top)
            terms = diverse_terms(list(scored.items()), max(n_terms, 30), acronyms=acronyms)
            pools[row] = list(zip(terms, map(scored.get, terms),
                                  _word_sets(terms, acronyms, shown=True)))
    # Best score first across themes: a word goes to the label whose term holding it scores
    # highest; others take their next term, or with none left their own (repeats beat no name).
    claimed, picked = {}, {row: [] for row in pools if ids[row] != outlier}
    for _, row, pos, term, words in sorted((-s, r, i, t, w) for r in picked
                                           for i, (t, s, w) in enumerate(pools[r])):
        if len(picked[row]) < n_label_terms and all(claimed.get(w, row) == row for w in words):
            picked[row].append((pos, term))
            claimed.update(dict.fromkeys(words, row))
    rows, seen = [], set()
    for row, topic in enumerate(ids):
        pool = [t for t, _, _ in pools.get(row, [])]
        label = " · ".join([t for _, t in sorted(picked.get(row, []))] or pool[:n_label_terms]
                           ) or f"theme {topic}"
        label = f"{label} ({topic})" if label in seen else label  # a theme with nothing its own
        seen.add(label)
        rows.append({"topic_id": int(topic), "topic_label": label,
                     "top_terms": "; ".join(pool[:n_terms])})
    return pd.DataFrame(rows, columns=["topic_id", "topic_label", "top_terms"])
