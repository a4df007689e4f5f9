"""MiniLM on a sample, a learned map for the rest: MiniLM-grade themes, cheaply.

A seeded sample of the corpus is embedded by the int8 MiniLM; a ridge regression from
the corpus's TF-IDF rows to those MiniLM vectors then places every other document in
MiniLM space. Sampled documents keep their true vectors. On three labelled sets of a few
thousand documents (BENCHMARKS.md, "Theme quality by embedding backend") themes from
these vectors reach 0.90-1.02 of the NMI of MiniLM on every document, for the cost of
embedding ``sample_size`` documents; the map weakens as the corpus outgrows the sample.
Mapped rows are shrunk towards the sample's mean, so density clustering may see one
crowded centre: ``cluster`` splits such a catch-all theme.

The ridge is solved in its dual form (``m`` sampled rows, not 10^5 TF-IDF columns), so
the fitted state is small: the vocabulary and idf, the sample's sparse TF-IDF rows and
an ``m x 384`` coefficient matrix. ``transform`` maps new texts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from scipy import sparse

from ..errors import TrendkitError
from ..sampling import sample_rows
from .base import Embedder, EmbedderBase, Progress, pack_terms, unit_rows, unpack_terms
from .lsa import fit_tfidf, tfidf_rows, tfidf_vectorizer
from .registry import backend


@dataclass
class MappedMiniLMEmbedder(EmbedderBase):
    """int8 MiniLM on ``sample_size`` documents, a TF-IDF → MiniLM ridge map for the others.

    Parameters
    ----------
    sample_size : int, default 1000
        Documents embedded by the transformer (all of them when the corpus is smaller).
    alpha : float, default 0.3
        Ridge penalty of the map.
    random_state : int, default 0
        Seeds the sample.
    teacher : Embedder, optional
        What embeds the sample; default :class:`~trendkit.embed.onnx.OnnxMiniLMEmbedder`.

    Examples
    --------
    >>> class Toy:  # a stand-in teacher: 2-d vectors from two keywords
    ...     def transform(self, texts, progress=None):
    ...         return np.array([[t.count("expert"), t.count("shop")] for t in texts], float)
    >>> texts = ["expert routing", "expert tokens", "job shop", "shop floor", "expert shop"]
    >>> model = MappedMiniLMEmbedder(sample_size=4, teacher=Toy())
    >>> model.fit_transform(texts).shape
    (5, 2)
    >>> bool(model.transform(["expert routing tokens"])[0, 0] > 0.7)
    True
    """

    sample_size: int = 1000
    alpha: float = 0.3
    random_state: int = 0
    teacher: object = field(default=None, repr=False, compare=False)
    corpus_fitted = True
    vocabulary_: np.ndarray | None = field(default=None, init=False, repr=False)
    idf_: np.ndarray | None = field(default=None, init=False, repr=False)
    support_: sparse.csr_matrix | None = field(default=None, init=False, repr=False)
    dual_coef_: np.ndarray | None = field(default=None, init=False, repr=False)
    offset_: np.ndarray | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        if self.sample_size < 2 or self.alpha <= 0:
            raise TrendkitError(f"minilm-map needs sample_size >= 2 and alpha > 0, got "
                                f"sample_size={self.sample_size}, alpha={self.alpha}")

    @property
    def key(self) -> str:
        return f"minilm-map-{self.sample_size}-{self.alpha:g}-{self.random_state}"

    def _teacher(self):
        if self.teacher is None:
            from .onnx import OnnxMiniLMEmbedder

            self.teacher = OnnxMiniLMEmbedder()
        return self.teacher

    def fit_transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed a seeded sample with the teacher, fit the map, return every text's row."""
        texts = list(texts)
        self.vocabulary_, self.idf_, tfidf = fit_tfidf(texts)
        self._vectorizer = None  # transform builds a counting one over the vocabulary
        n = len(texts)
        index = sample_rows(n, self.sample_size, self.random_state)
        target = np.asarray(self._teacher().transform([texts[i] for i in index], progress),
                            dtype=np.float64)
        support = tfidf[index].astype(np.float64).tocsr()
        offset = target.mean(axis=0)
        # Dual ridge: coefficients over the m sampled rows, (K + alpha I) A = Y - mean.
        gram = (support @ support.T).toarray()
        gram[np.diag_indices_from(gram)] += self.alpha
        self.dual_coef_ = np.linalg.solve(gram, target - offset).astype(np.float32)
        self.support_ = support.astype(np.float32)
        self.offset_ = offset.astype(np.float32)
        vectors = self._map(tfidf)
        vectors[index] = unit_rows(target).astype(np.float32)  # the sample keeps its true rows
        return vectors

    def _map(self, tfidf, chunk: int = 20000) -> np.ndarray:
        out = np.empty((tfidf.shape[0], self.dual_coef_.shape[1]), dtype=np.float32)
        for start in range(0, tfidf.shape[0], chunk):  # bounded memory on large corpora
            kernel = (tfidf[start:start + chunk] @ self.support_.T).toarray()
            out[start:start + chunk] = kernel @ self.dual_coef_ + self.offset_
        return unit_rows(out).astype(np.float32)

    def transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Rows for new texts through the fitted map (the teacher is not called)."""
        if self.dual_coef_ is None:
            raise TrendkitError("the minilm-map model is not fitted")
        if getattr(self, "_vectorizer", None) is None:  # built once: the vocabulary dict is large
            self._vectorizer = tfidf_vectorizer(self.vocabulary_)
        return self._map(tfidf_rows(self._vectorizer, self.idf_, list(texts)))

    def state(self) -> dict[str, np.ndarray]:
        """Fitted arrays for ``np.savez`` (the sparse sample as its three CSR arrays)."""
        s = self.support_
        return {"vocabulary": pack_terms(self.vocabulary_), "idf": self.idf_,
                "dual_coef": self.dual_coef_, "offset": self.offset_,
                "support_data": s.data, "support_indices": s.indices,
                "support_indptr": s.indptr, "support_shape": np.array(s.shape)}

    def set_state(self, arrays) -> "MappedMiniLMEmbedder":
        self._vectorizer = None
        self.vocabulary_ = unpack_terms(arrays["vocabulary"])
        self.idf_ = np.asarray(arrays["idf"])
        self.dual_coef_ = np.asarray(arrays["dual_coef"])
        self.offset_ = np.asarray(arrays["offset"])
        self.support_ = sparse.csr_matrix(
            (arrays["support_data"], arrays["support_indices"], arrays["support_indptr"]),
            shape=tuple(np.asarray(arrays["support_shape"]).tolist()))
        return self


def _count(argument: str) -> int:
    if not argument.isdigit():
        raise TrendkitError(f"minilm-map:N needs a whole number of documents, got {argument!r}")
    return int(argument)


@backend("minilm-map", help="MiniLM on N=1000 sampled documents, mapped to the rest",
         argument="N", exact=False)
def _mapped(argument: str, random_state: int) -> Embedder:
    return MappedMiniLMEmbedder(**({"sample_size": _count(argument)} if argument else {}),
                                random_state=random_state)
