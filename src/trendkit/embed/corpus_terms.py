"""The corpus's own words and bigrams, added to a pretrained embedding.

A pretrained embedding knows the words it was trained on and how they relate in general;
it does not know this corpus's jargon (a venue's acronyms, a method's name coined last
year) or that two terms travel together *here*. :class:`CorpusTerms` learns that from the
corpus in one pass, with no labels and no model run:

1. each of the corpus's terms (trendkit's TF-IDF vocabulary: words and bigrams in at least
   two documents) gets a vector, the TF-IDF-weighted mean of the centred vectors of the
   documents that use it;
2. each document becomes its own centred vector (unit length) plus the TF-IDF-weighted
   mean of its terms' vectors (unit length, times the share of the document's words that
   are in the vocabulary).

Step 2 pulls together documents that share this corpus's terms, whatever the pretrained
model thought of those terms. The share matters for documents embedded later
(``trendkit assign``): a paper on a theme born after the fit has its new words outside the
vocabulary, and its familiar words alone would drag it towards old themes and scatter the
new theme (on the demo corpus, mixture-of-experts was born as two themes, 101 + 36 papers,
without the share and as one of 137 with it). On top of the distilled MiniLM table it
raised NMI on every labelled set (BENCHMARKS.md, "quality-corpus-terms"); centring removes
the direction every table row shares, so cosines between documents mean what they mean
for LSA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..errors import TrendkitError
from .base import Embedder, EmbedderBase, Progress, pack_terms, unit_rows, unpack_terms
from .distilled import DistilledEmbedder
from .lsa import fit_tfidf, tfidf_rows, tfidf_vectorizer
from .registry import backend

# Keys of the fitted arrays in a run's model file, beside the base embedder's own.
_STATE = ("terms_vocabulary", "terms_idf", "terms_vectors", "terms_mean")


@dataclass
class CorpusTerms(EmbedderBase):
    """A pretrained embedder's rows, joined by vectors learned for the corpus's own terms.

    Parameters
    ----------
    base : Embedder
        A per-document embedder (the distilled table, MiniLM, ...).
    weight : float, default 1.0
        Weight of the terms' part against the document's own (both unit length): equal
        say. 0.5 and 2 were tried once during development (before the known-word share
        existed; a scratch check, not a benchmark): both scored lower on AAAI and the
        venues set, and 2 higher on arXiv.
    min_documents : int, default 300
        A smaller corpus keeps the base's rows: the Ward clustering that small corpora get
        picks its number of themes by silhouette, and on centred rows it picked the fewest
        (5) for the 57-paper page, merging the mixture-of-experts papers into the
        LLM-serving theme in 41 of 48 leave-one-out copies of the page (the table alone:
        kept apart in 47). On random samples of 100-800 documents of the labelled sets the
        terms raised AMI in 10 of 12 cells and lowered it by 0.02-0.035 in two
        (BENCHMARKS.md, "Small corpora"), so 300, where clustering switches to UMAP +
        HDBSCAN, is a floor for that page's sake, not a measured optimum.

    Attributes
    ----------
    vocabulary_, idf_ : ndarray
        The corpus's TF-IDF vocabulary and idf weights.
    term_vectors_ : ndarray of shape (n_terms, dim)
        Unit vectors of the corpus's terms in the base's space, centred (float32 holding
        half-precision values: that is how a run saves them).
    mean_ : ndarray of shape (dim,)
        The mean of the corpus's base rows (the direction removed before combining).

    Examples
    --------
    >>> from trendkit.embed import DistilledEmbedder
    >>> texts = ["Sparse mixture-of-experts routing", "Routing tokens to sparse experts",
    ...          "Job-shop scheduling with dispatching rules", "Dispatching rules for job shops"]
    >>> model = CorpusTerms(DistilledEmbedder(), min_documents=2)
    >>> rows = model.fit_transform(texts)
    >>> bool(rows[0] @ rows[1] > rows[0] @ rows[2]), CorpusTerms(DistilledEmbedder()).key
    (True, 'distilled-22500x128-d9cd956d+terms')
    >>> bool(np.allclose(model.transform(texts[:1]), rows[:1], atol=1e-5))
    True
    """

    base: Embedder
    weight: float = 1.0
    min_documents: int = 300
    corpus_fitted = True
    vocabulary_: np.ndarray | None = field(default=None, init=False, repr=False)
    idf_: np.ndarray | None = field(default=None, init=False, repr=False)
    term_vectors_: np.ndarray | None = field(default=None, init=False, repr=False)
    mean_: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def match_centred(self) -> bool:
        # Declared themes are matched about the corpus mean when the base's rows share one
        # direction (the distilled table's); this step's own rows are centred already.
        return self.base.match_centred

    @property
    def key(self) -> str:
        weight = "" if self.weight == 1 else f"{self.weight:g}"
        floor = "" if self.min_documents == 300 else f"-min{self.min_documents}"
        return f"{self.base.key}+terms{weight}{floor}"

    def notes(self, texts: Sequence[str]) -> list[str]:
        return self.base.notes(texts)

    def fit_transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Learn the corpus's term vectors from ``texts`` and return the texts' rows."""
        texts = list(texts)
        rows = self.base.fit_transform(texts, progress)
        self._vectorizer, self._base_only = None, len(texts) < self.min_documents
        if self._base_only:
            self.vocabulary_ = self.idf_ = self.term_vectors_ = self.mean_ = None
            return rows
        vocabulary, idf, tfidf = fit_tfidf(texts)
        mean = rows.mean(axis=0)
        self.vocabulary_, self.idf_, self.mean_ = vocabulary, idf, mean.astype(np.float32)
        # Kept at half precision (and used that way here, so a saved run's `assign` places
        # the same documents exactly where the fit did): 200k terms x 128 were 102 MB of a
        # run's model.npz as float32; cosines move by about 1e-3.
        vectors = unit_rows(np.asarray(tfidf.T @ (rows - mean)))
        self.term_vectors_ = vectors.astype(np.float16).astype(np.float32)
        return self._combine(texts, rows, tfidf)

    def transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Rows for new texts: their base rows joined by the fitted terms they contain."""
        texts = list(texts)
        rows = self.base.transform(texts)  # the Embedder protocol's transform takes texts only
        if progress:
            progress(len(texts), len(texts))
        if self.term_vectors_ is None:
            if getattr(self, "_base_only", False):  # a small corpus, or a run saved before
                return rows                           # this step existed: the base's space
            raise TrendkitError("the corpus terms are not fitted: call fit_transform first")
        if getattr(self, "_vectorizer", None) is None:  # built once: the vocabulary is large
            self._vectorizer = tfidf_vectorizer(self.vocabulary_)
        return self._combine(texts, rows, tfidf_rows(self._vectorizer, self.idf_, texts))

    def _combine(self, texts: list[str], rows: np.ndarray, tfidf) -> np.ndarray:
        own = unit_rows(rows - self.mean_)
        terms = unit_rows(np.asarray(tfidf @ self.term_vectors_))
        share = self._known_share(texts)[:, None]
        combined = unit_rows(own + self.weight * share * terms)
        # A row equal to the corpus mean with no corpus term (a corpus of one text) would
        # be all zeros; its base row keeps it a usable direction.
        empty = ~combined.any(axis=1)
        combined[empty] = rows[empty]
        return combined.astype(np.float32)

    def _known_share(self, texts: list[str]) -> np.ndarray:
        """Share of each text's word occurrences (stop words aside) in the vocabulary."""
        try:  # count_terms reuses the corpus's cached tokens
            from ..tokens import count_terms

            words, counts = count_terms(texts)
        except ValueError:  # only stop words
            return np.zeros(len(texts))
        known = np.isin(words.astype(str), self.vocabulary_)
        total = np.asarray(counts.sum(axis=1)).ravel()
        return np.asarray(counts[:, known].sum(axis=1)).ravel() / np.maximum(total, 1)

    def state(self) -> dict[str, np.ndarray]:
        """The base's arrays and the fitted terms (strings as unicode: no pickling)."""
        if getattr(self, "_base_only", False):
            return self.base.state()
        if self.term_vectors_ is None:
            raise TrendkitError("the corpus terms are not fitted")
        return {**self.base.state(), "terms_vocabulary": pack_terms(self.vocabulary_),
                "terms_idf": self.idf_, "terms_vectors": self.term_vectors_.astype(np.float16),
                "terms_mean": self.mean_}

    def set_state(self, arrays) -> "CorpusTerms":
        """Restore :meth:`state`; without the terms' arrays (a small corpus, an older run) keep
        the base's space."""
        self.base.set_state(arrays)
        self._vectorizer = None
        self._base_only = not set(_STATE) <= set(arrays)
        if self._base_only:
            self.vocabulary_ = self.idf_ = self.term_vectors_ = self.mean_ = None
            return self
        self.vocabulary_ = unpack_terms(arrays["terms_vocabulary"])
        self.idf_, self.mean_ = np.asarray(arrays["terms_idf"]), np.asarray(arrays["terms_mean"])
        self.term_vectors_ = np.asarray(arrays["terms_vectors"], dtype=np.float32)
        return self


# "distilled:PATH" reads another table in the same format (bench/distill.py builds one).
@backend("distilled", help="term vectors distilled from MiniLM, shipped with trendkit, joined by "
         "vectors learned for the corpus's own words: MiniLM-like themes at TF-IDF speed",
         argument="PATH")
def _distilled(argument: str, random_state: int) -> Embedder:
    return CorpusTerms(DistilledEmbedder(*([argument] if argument else [])))
