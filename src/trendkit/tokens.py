"""Counting terms fast: the term vectorizer's matrix without its per-n-gram Python work.

scikit-learn's ``CountVectorizer`` joins every n-gram into a string and looks it up in a
dict, one Python step per n-gram; on abstracts that is most of LSA's time (22 s of
TF-IDF for 20,000 abstracts on 2 cores) and of every other stage that counts terms.
:func:`count_terms` tokenises each text once with the same pattern, lowercasing and stop
words (:mod:`trendkit.text`), then numbers words, bigrams and trigrams with pandas'
hash-based ``factorize`` on integer codes and builds strings only for the terms kept. The
vocabulary and counts equal ``term_vectorizer(...).fit_transform`` (tested), except which
terms survive a ``max_features`` cut among equal frequencies (alphabetical order here).
With a fixed ``vocabulary`` it counts only those terms, as the vectorizer's ``transform``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import OrderedDict
from numbers import Integral
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from .text import STOP_WORDS, TOKEN_PATTERN

_TOKEN = re.compile(TOKEN_PATTERN)
# The last two lists of texts tokenised, by content: LSA and the coherence scores read the
# same documents (the labeller's sample comes between), and tokenising is most of what
# counting costs (0.45 s per pass over 3,000 abstracts on 2 cores, linear in their length).
# A list whose texts all belong to a cached one (a sample of the corpus, as the coherence
# scores and the period terms read) takes those texts' tokens from it.
_RECENT: OrderedDict = OrderedDict()  # key -> (codes, doc_of, words, {digest: doc}, n_docs)


def _digests(texts: Sequence[str]) -> list[bytes]:
    return [hashlib.blake2b(str(text).encode("utf-8", "surrogatepass"), digest_size=16).digest()
            for text in texts]


def _key(digests: list[bytes]) -> tuple[int, str]:
    # fixed-length digests, so no two lists of texts give the same stream
    return len(digests), hashlib.blake2b(b"".join(digests), digest_size=16).hexdigest()


def _cached(digests: list[bytes]):
    """The tokens of these texts from a cached list holding them all; None if none does."""
    key = _key(digests)
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key][:3]
    for codes, doc_of, words, where, n_docs in reversed(_RECENT.values()):
        try:
            source = np.fromiter((where[d] for d in digests), dtype=np.int64, count=len(digests))
        except KeyError:
            continue
        bounds = np.searchsorted(doc_of, np.arange(n_docs + 1))
        first, lengths = bounds[source], bounds[source + 1] - bounds[source]
        # token positions of each chosen document, in the order the texts come
        offsets = np.cumsum(lengths) - lengths
        picked = np.repeat(first - offsets, lengths) + np.arange(int(lengths.sum()))
        mine_codes = codes[picked]
        mine_docs = np.repeat(np.arange(len(digests), dtype=np.int32), lengths)
        mine_codes.flags.writeable = mine_docs.flags.writeable = False
        return mine_codes, mine_docs, words
    return None


def _tokens(texts: Sequence[str], digests: list[bytes] | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word codes in reading order (stop words dropped), each code's document, the words."""
    digests = _digests(texts) if digests is None else digests
    found = _cached(digests)
    return found if found is not None else _keep(texts, digests)


def _keep(texts: Sequence[str], digests: list[bytes]):
    """Tokenise texts no cached list holds, and keep their tokens among the recent ones."""
    while len(_RECENT) >= 2:  # the oldest arrays go before new ones are built
        _RECENT.popitem(last=False)
    tokens = _tokenise(texts)
    # documents by content: a duplicate text is read from its last copy, the same tokens
    _RECENT[_key(digests)] = (*tokens, {d: i for i, d in enumerate(digests)}, len(digests))
    return tokens


def _tokenise(texts: Sequence[str], chunk: int = 5000):
    # In chunks, so only one chunk's token strings are alive at a time (all of them at
    # once cost ~0.7 GB more peak memory on 75k abstracts); words get global ids in order
    # of first appearance through one dict of distinct words.
    ids: dict[str, int] = {}
    code_parts, doc_parts = [], []
    texts = list(texts)
    for start in range(0, len(texts), chunk):
        per_doc = [_TOKEN.findall(str(text).lower()) for text in texts[start:start + chunk]]
        lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
        local, distinct = pd.factorize(pd.Series(list(itertools.chain.from_iterable(per_doc)),
                                                 dtype=object))
        glob = np.fromiter((ids.setdefault(w, len(ids)) for w in distinct), dtype=np.int64,
                           count=len(distinct))
        code_parts.append(glob[local])
        doc_parts.append(np.repeat(np.arange(start, start + len(per_doc), dtype=np.int32),
                                   lengths))
    words = np.array(list(ids), dtype=object)
    codes = np.concatenate(code_parts) if code_parts else np.zeros(0, np.int64)
    doc_of = np.concatenate(doc_parts) if doc_parts else np.zeros(0, np.int32)
    keep = ~pd.Index(words).isin(STOP_WORDS)[codes] if len(codes) else np.ones(0, bool)
    codes, doc_of = codes[keep], doc_of[keep]
    codes.flags.writeable = doc_of.flags.writeable = False  # shared by later calls
    return codes, doc_of, words


def _grams(codes: np.ndarray, doc_of: np.ndarray, n_words: int, longest: int):
    """For n = 1..longest: the positions where an n-gram starts, its id there, and the
    ids' keys (n = 1: word codes; n > 1: ``id of the (n-1)-gram × n_words + next word``)."""
    gram = codes  # gram[i]: id of the n-gram starting at word i, -1 where there is none
    for n in range(1, longest + 1):
        if n == 1:
            starts, keys = np.arange(len(codes)), None
        else:  # an n-gram is an (n-1)-gram and the next word, all in one document
            starts = np.flatnonzero(doc_of[:len(codes) - n + 1] == doc_of[n - 1:])
            ids, keys = pd.factorize(gram[starts] * n_words + codes[starts + n - 1])
            gram = np.full(len(codes), -1, dtype=np.int64)
            gram[starts] = ids
        yield n, starts, gram[starts], keys


def count_terms(texts: Sequence[str], *, ngram_range: tuple[int, int] = (1, 1),
                min_df: float = 1, max_df: float = 1.0, max_features: int | None = None,
                vocabulary: Sequence[str] | None = None,
                rows: Sequence[int] | None = None) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Vocabulary (alphabetical) and document × term counts, as trendkit's term vectorizer.

    ``min_df``/``max_df`` are document counts (int) or shares (float) as in scikit-learn;
    ``max_features`` keeps the most frequent terms. Raises ``ValueError`` when no term is
    left, as scikit-learn does. With ``vocabulary`` only those terms are counted, in that
    order (``term_vectorizer(vocabulary=...).transform``). With ``rows`` only those
    documents of ``texts`` are counted, in that order, as ``[texts[i] for i in rows]``
    would be, but from the whole list's tokens if they are cached (LSA made them, or a
    cached list holds all its texts) or the rows are at least half of it; a smaller sample
    of an uncached list is tokenised alone (or read from a cached list that holds it).

    Examples
    --------
    >>> vocab, counts = count_terms(["Sparse experts route tokens", "experts route"],
    ...                             ngram_range=(1, 2), min_df=2)
    >>> vocab.tolist(), counts.toarray().tolist()
    (['experts', 'experts route', 'route'], [[1, 1, 1], [1, 1, 1]])
    >>> count_terms(["experts route tokens"], ngram_range=(1, 2),
    ...             vocabulary=["route tokens", "job"])[1].toarray().tolist()
    [[1, 0]]
    >>> count_terms(["job shop", "experts route", "shop floor"], rows=[2, 0])[1].toarray().tolist()
    [[1, 0, 1], [0, 1, 1]]
    """
    digests, n_docs, tokens = None, len(texts), None
    if rows is not None:
        rows = np.asarray(rows) if len(rows) else np.zeros(0, np.int64)
        if rows.dtype.kind not in "iu" or len(np.unique(rows)) != len(rows) or (
                len(rows) and not 0 <= rows.min() <= rows.max() < n_docs):
            raise ValueError(f"rows must be distinct integers from 0 to {n_docs - 1}")
        digests = _digests(texts)
        tokens = _cached(digests)
        if tokens is None and 2 * len(rows) < n_docs:  # cheaper: tokenise the sample
            texts, digests = [texts[i] for i in rows], [digests[i] for i in rows]
            rows, n_docs = None, len(rows)
    if tokens is None:  # with rows still set, no cached list holds the texts: no second look
        tokens = _tokens(texts, digests) if rows is None else _keep(texts, digests)
    codes, doc_of, words = tokens
    if rows is not None:  # renumber the chosen documents 0..k-1, drop the others' tokens
        position = np.full(n_docs, -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        new_doc = position[doc_of]
        kept = new_doc >= 0
        codes, doc_of, n_docs = codes[kept], new_doc[kept], len(rows)
    n_words = max(len(words), 1)
    lo, hi = ngram_range
    if vocabulary is not None:
        return _count_vocabulary(list(vocabulary), codes, doc_of, words, ngram_range, n_docs)
    keys, docs, first, sizes = [], [], [], []
    offset = 0
    for n, starts, gram, _ in _grams(codes, doc_of, n_words, hi):
        if n >= lo and len(starts):
            # Longer grams' ids are dense already (0..m-1); word codes skip the stop words.
            ids = pd.factorize(gram)[0] if n == 1 else gram
            m = int(ids.max()) + 1
            where = np.empty(m, dtype=np.int64)
            where[ids] = starts  # any occurrence spells its gram: no sort to find the first
            keys.append(ids + offset)
            docs.append(doc_of[starts])
            first.append(where)  # one occurrence of each, to spell it
            sizes.append(np.full(m, n))
            offset += m
    if offset == 0:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    counts = sparse.csr_matrix(
        (np.ones(sum(len(k) for k in keys), dtype=np.int64),
         (np.concatenate(docs), np.concatenate(keys))), shape=(n_docs, offset))
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=offset)
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    kept = np.flatnonzero((df >= low) & (df <= high))
    if len(kept) == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    starts, lengths = np.concatenate(first)[kept], np.concatenate(sizes)[kept]
    names = np.array([" ".join(words[codes[s:s + k]]) for s, k in zip(starts, lengths)],
                     dtype=object)
    order = np.argsort(names, kind="stable")
    kept, names = kept[order], names[order]
    if max_features is not None and len(kept) > max_features:
        totals = np.asarray(counts[:, kept].sum(axis=0)).ravel()
        top = np.sort(np.argsort(-totals, kind="stable")[:max_features])
        kept, names = kept[top], names[top]
    return names, counts[:, kept].tocsr()  # object array of str, as scikit-learn gives


def _count_vocabulary(vocabulary, codes, doc_of, words, ngram_range, n_docs):
    """Counts of the given terms only: each term's words are followed down the n-gram ids."""
    lo, hi = ngram_range
    n_words = max(len(words), 1)
    # Python str, not np.str_: split is ~10x faster (125,000 terms: 0.05 s, not 0.5 s).
    split = [term.split() for term in np.asarray(vocabulary, dtype=str).tolist()]
    lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    # word_code[i, k]: the corpus's code for term i's k-th word (-1: unknown, or past its end);
    # arrays, not per-term lists: a 125,000-term vocabulary costs no Python loop per n.
    word_code = np.full((len(split), max(hi, int(lengths.max(initial=0)), 1)), -1, np.int64)
    position = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    word_code[np.repeat(np.arange(len(split)), lengths), position] = pd.Index(words).get_indexer(
        list(itertools.chain.from_iterable(split)))
    term_id = word_code[:, 0].copy()
    rows, cols = [], []
    for n, starts, gram, keys in _grams(codes, doc_of, n_words, hi):
        if n > 1:  # a term's n-gram id: its (n-1)-gram id and its n-th word, looked up in keys
            wanted = word_code[:, n - 1]
            known = (lengths >= n) & (term_id >= 0) & (wanted >= 0)
            term_id = np.where(known, pd.Index(keys).get_indexer(term_id * n_words + wanted), -1)
        exact = np.flatnonzero((lengths == n) & (term_id >= 0))
        if lo <= n and len(exact):
            column = pd.Series(exact, index=term_id[exact])
            hit = np.isin(gram, column.index)
            rows.append(doc_of[starts[hit]])
            cols.append(column.reindex(gram[hit]).to_numpy())
    data = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    matrix = sparse.csr_matrix((np.ones(len(data), dtype=np.int64),
                                (data, np.concatenate(cols) if cols else data)),
                               shape=(n_docs, len(vocabulary)))
    matrix.sum_duplicates()
    return np.asarray(vocabulary, dtype=object), matrix
