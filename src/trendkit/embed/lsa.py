"""LSA: TF-IDF on words and bigrams, then truncated SVD, fitted on the corpus itself.

Needs no weights and embeds 75k abstracts in seconds on a laptop CPU. The
fitted state is three arrays (vocabulary, idf, SVD basis), saved with a run so
``trendkit assign`` places new documents in the same space without pickles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from scipy import sparse

from ..errors import TrendkitError
from .base import Embedder, EmbedderBase, Progress, pack_terms, unit_rows, unpack_terms
from .registry import backend

_OPTIONS = dict(ngram_range=(1, 2), dtype=np.float32)


def fit_tfidf(texts: Sequence[str], min_df: int = 2):
    """Fit trendkit's TF-IDF (words and bigrams, sublinear tf) on ``texts``.

    Returns the vocabulary, the idf weights (float32) and the rows: the same as
    scikit-learn's ``TfidfVectorizer`` with these options (smooth idf, l2 rows), counted
    by :func:`~trendkit.tokens.count_terms`. Document-frequency pruning drops one-off
    words (in fewer than ``min_df`` documents) and near-universal ones; on a small or
    homogeneous corpus it can remove every word, so it is relaxed then.
    """
    n = len(texts)
    for low, high in ((min_df, 0.5), (1, 1.0)) if n >= 50 else ((1, 1.0),):
        try:
            from ..tokens import count_terms  # lazily: the CLI lists backends without pandas

            vocabulary, counts = count_terms(texts, ngram_range=_OPTIONS["ngram_range"],
                                             min_df=low, max_df=high,
                                             max_features=200_000)
        except ValueError:
            continue
        df = np.bincount(counts.indices, minlength=len(vocabulary))
        idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
        return vocabulary.astype(str), idf, _weighted(counts, idf)
    raise TrendkitError("documents contain no usable words after removing stop words; "
                        "is the abstract column the one read? (name it with --text-col)")


def tfidf_vectorizer(vocabulary: np.ndarray):
    """A counting vectorizer over a fitted vocabulary (build once: its dict is large)."""
    from ..text import term_vectorizer

    return term_vectorizer(vocabulary=vocabulary.tolist(), **_OPTIONS)


def tfidf_rows(vectorizer, idf: np.ndarray, texts: Sequence[str]):
    """TF-IDF rows of new texts, exactly as :func:`fit_tfidf` made the corpus's rows."""
    return _weighted(vectorizer.transform(texts), idf)


def _weighted(counts, idf: np.ndarray):
    counts = counts.astype(np.float32)
    counts.data = 1 + np.log(counts.data)  # sublinear tf
    from sklearn.preprocessing import normalize  # sparse rows

    return normalize(counts @ sparse.diags(idf)).astype(np.float32).tocsr()


@dataclass
class LSAEmbedder(EmbedderBase):
    """TF-IDF + truncated SVD ("latent semantic analysis"), fitted per corpus.

    Parameters
    ----------
    n_components : int, default 100
        SVD dimensions.
    power : float, default 1.5
        Each dimension is weighted by its singular value to this power (1 is plain LSA,
        ``U Σ``). The weak directions of a TF-IDF SVD carry much of the word-choice noise;
        weighting them down lets the strong topics decide which documents are neighbours.
        Against plain LSA (BENCHMARKS.md, "quality-lsa"), 1.5 raised NMI on arXiv (0.277 →
        0.294; 0.239 → 0.263 at 20,000 abstracts) and the venues set, and lowered it by
        0.005 on AAAI, inside the seed spread. 2 raised it more on arXiv and the venues
        set but split the demo corpus's 7 planted themes into 12, with wrong trend
        statuses for the parts; 4 collapses corpora into one theme.
    random_state : int, default 0
        Seeds the randomized SVD.

    Examples
    --------
    >>> vectors = LSAEmbedder(n_components=2).fit_transform(["experts route tokens",
    ...     "tokens routed to experts", "job shop scheduling", "shop floor scheduling"])
    >>> vectors.shape
    (4, 2)
    """

    n_components: int = 100
    power: float = 1.5
    random_state: int = 0
    key_prefix: str = "lsa"
    corpus_fitted = True
    vocabulary_: np.ndarray | None = field(default=None, init=False, repr=False)
    idf_: np.ndarray | None = field(default=None, init=False, repr=False)
    # SVD directions, each scaled by (σ / σ_max) ** (power - 1): ``tfidf @ components_.T``
    # gives the weighted vectors for fitted and new texts alike (and a saved model keeps
    # the weighting it was fitted with).
    components_: np.ndarray | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        # Below 1, the ~1e-14 singular values of a rank-deficient corpus would be scaled up
        # by as much as 1e14; from 4 on, whole corpora fall into one cone (one theme).
        if not 1 <= self.power <= 3:
            raise TrendkitError("lsa:P needs a singular-value power between 1 and 3, "
                                f"got {self.power!r}")

    @property
    def key(self) -> str:
        power = "" if self.power == 1 else f"-p{self.power:g}"
        return f"{self.key_prefix}-{self.n_components}{power}-{self.random_state}"

    def fit_transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Fit TF-IDF + SVD on ``texts`` and return their vectors."""
        self.vocabulary_, self.idf_, tfidf = fit_tfidf(texts)
        self._vectorizer = None
        k = max(1, min(self.n_components, tfidf.shape[0] - 1, tfidf.shape[1] - 1))
        if k < 2:
            self.components_ = None
            vectors = tfidf.toarray()
        else:
            from sklearn.decomposition import TruncatedSVD

            svd = TruncatedSVD(n_components=k, random_state=self.random_state,
                               algorithm="randomized", n_iter=5)
            # A corpus of near-identical texts has no variance left to explain; scikit-learn's
            # explained_variance_ratio_ (unused here) then divides by zero and warns on stderr.
            with np.errstate(divide="ignore", invalid="ignore"):
                svd.fit(tfidf)
                ratio = svd.singular_values_ / max(svd.singular_values_.max(), 1e-12)
            scale = ratio ** (self.power - 1)  # power >= 1: no direction is scaled up
            self.components_ = (svd.components_ * np.reshape(scale, (-1, 1))).astype(np.float32)
            vectors = tfidf @ self.components_.T
        if progress:
            progress(len(texts), len(texts))
        return unit_rows(vectors).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for new texts in the fitted space (same as TfidfVectorizer + SVD).

        Examples
        --------
        >>> lsa = LSAEmbedder(n_components=2)
        >>> fitted = lsa.fit_transform(["experts route tokens", "tokens routed to experts",
        ...                             "job shop scheduling", "shop floor scheduling"])
        >>> bool(np.allclose(lsa.transform(["job shop scheduling"]), fitted[2], atol=1e-5))
        True
        """
        if self.vocabulary_ is None:
            raise TrendkitError("the LSA model is not fitted")
        if getattr(self, "_vectorizer", None) is None:  # built once: the vocabulary dict is large
            self._vectorizer = tfidf_vectorizer(self.vocabulary_)
        tfidf = tfidf_rows(self._vectorizer, self.idf_, texts)
        vectors = tfidf @ self.components_.T if self.components_ is not None else tfidf.toarray()
        return unit_rows(np.asarray(vectors)).astype(np.float32)

    def state(self) -> dict[str, np.ndarray]:
        """Fitted arrays, for ``np.savez`` (the vocabulary as UTF-8 bytes: no pickling)."""
        return {"vocabulary": pack_terms(self.vocabulary_), "idf": self.idf_,
                "components": self.components_ if self.components_ is not None
                else np.empty((0, 0), np.float32)}

    def set_state(self, arrays) -> "LSAEmbedder":
        self._vectorizer = None
        self.vocabulary_ = unpack_terms(arrays["vocabulary"])
        self.idf_ = np.asarray(arrays["idf"])
        components = np.asarray(arrays["components"])
        self.components_ = components if components.size else None
        return self


def _power(argument: str) -> float:
    try:
        return float(argument)  # LSAEmbedder checks the range
    except ValueError:
        raise TrendkitError(f"lsa:P needs a singular-value power (a number from 1 to 3), "
                            f"got {argument!r}") from None


@backend("lsa", help="TF-IDF + SVD fitted on the corpus; P weights SVD dimensions, 1.5",
         argument="P", aliases=("tfidf", "tf-idf"))
def _lsa(argument: str, random_state: int) -> Embedder:
    return LSAEmbedder(**({"power": _power(argument)} if argument else {}),
                       random_state=random_state)
