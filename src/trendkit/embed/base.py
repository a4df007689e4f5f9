"""The embedder interface every backend implements, declared once.

An embedder turns document texts into L2-normalised rows. Two kinds exist:
*corpus-fitted* ones (LSA learns its vocabulary and basis from the corpus, so
``fit_transform`` must see the whole corpus and ``transform`` places new texts
in that space) and *per-document* ones (transformers, static embeddings: each
text's vector depends on that text alone, so caches can work per text).
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

Progress = Callable[[int, int], None]


@runtime_checkable
class Embedder(Protocol):
    """What trendkit needs from an embedding backend.

    Attributes
    ----------
    key : str
        Names the model and its settings in cache entries and ``run.json``.
    corpus_fitted : bool
        True when vectors depend on the whole corpus (LSA), False when each
        text is embedded on its own.
    match_centred : bool
        Declared themes are matched about the corpus's mean (rows that all share one
        direction, as the distilled table's do, make raw cosines meaningless).

    :class:`EmbedderBase` gives every optional member its default.
    """

    key: str
    corpus_fitted: bool
    match_centred: bool

    def notes(self, texts: Sequence[str]) -> list[str]:
        """What a run should say about these texts in this space (e.g. unknown words)."""

    def fit_transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Fit on ``texts`` where the backend learns from the corpus; return their rows."""

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for new texts in the fitted space."""

    def state(self) -> dict[str, np.ndarray]:
        """Fitted arrays to save with a run (empty for pretrained backends)."""

    def set_state(self, arrays) -> "Embedder":
        """Restore what :meth:`state` returned."""


class EmbedderBase:
    """The defaults of :class:`Embedder`'s optional members: nothing to say, raw cosines."""

    match_centred = False

    def notes(self, texts: Sequence[str]) -> list[str]:
        return []


class PretrainedEmbedder(EmbedderBase):
    """Shared behaviour of per-document backends: nothing to fit, nothing to save."""

    corpus_fitted = False

    def fit_transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self.transform(texts, progress)

    def state(self) -> dict[str, np.ndarray]:
        return {}

    def set_state(self, arrays) -> "PretrainedEmbedder":
        return self


def unit_rows(X) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as scikit-learn's ``normalize``.

    Examples
    --------
    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    X = np.asarray(X)
    norms = np.sqrt(np.einsum("ij,ij->i", X, X))[:, None]
    return X / np.where(norms == 0, 1, norms)


def pack_terms(terms) -> np.ndarray:
    """A vocabulary as UTF-8 bytes, one term per line, to save with ``np.savez``.

    numpy stores strings as fixed-width UTF-32: 200k terms padded to the longest bigram
    took 36 MB of a run's ``model.npz``; as bytes they take about 3 MB. Terms are tokens,
    so none contains a newline.

    Examples
    --------
    >>> packed = pack_terms(["moe", "mixture experts"])
    >>> packed.dtype.name, unpack_terms(packed).tolist()
    ('uint8', ['moe', 'mixture experts'])
    """
    return np.frombuffer("\n".join(map(str, terms)).encode("utf-8"), dtype=np.uint8)


def unpack_terms(array) -> np.ndarray:
    """The vocabulary :func:`pack_terms` packed (or a unicode array, as runs before 0.5 saved it).

    Examples
    --------
    >>> unpack_terms(np.array(["moe", "routing"])).tolist(), unpack_terms(pack_terms([])).size
    (['moe', 'routing'], 0)
    """
    array = np.asarray(array)
    if array.dtype != np.uint8:
        return array.astype(str)
    text = array.tobytes().decode("utf-8")
    return np.array(text.split("\n") if text else [], dtype=str)
