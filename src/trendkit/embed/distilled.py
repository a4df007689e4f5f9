"""MiniLM distilled into a table of term vectors: transformer-like themes at TF-IDF speed.

trendkit ships a table (``distilled-minilm.npz`` beside this module) with one vector per
word and bigram of a vocabulary learned from arXiv abstracts. It was fitted by ridge
regression from the TF-IDF rows of abstracts to their all-MiniLM-L6-v2 embeddings, and
lives in the top principal components of MiniLM's space (``bench/distill.py`` rebuilds it
and records how). A document's vector is its TF-IDF row, with the table's idf, times the
table: one sparse product, no model to run, nothing fitted on the corpus, so each text's
vector depends on that text alone (caches work per text, new documents land in the same
space). It is the tokenlearn idea (static vectors trained to reproduce a transformer's
sentence embeddings) with trendkit's own tokeniser.

Words the table lacks add nothing, so a corpus far from its vocabulary embeds poorly;
:func:`coverage` measures the share of a corpus's word occurrences the table knows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import TrendkitError
from ..sampling import sample_rows
from .base import Embedder, PretrainedEmbedder, Progress, unit_rows
from .lsa import _weighted
from .registry import backend

TABLE = Path(__file__).with_name("distilled-minilm.npz")
# Below this share of known words a corpus is far from the table's arXiv vocabulary (CS
# abstracts: 93-94 %; two sentences on medicine and garbage collection: 75 %).
LOW_COVERAGE = 0.8


@functools.lru_cache(maxsize=2)
def load_table(path: str | Path = TABLE) -> dict:
    """The table's arrays: ``terms``, ``idf``, ``vectors`` (float32), ``offset``, ``version``.

    Examples
    --------
    >>> table = load_table()
    >>> table["vectors"].shape == (len(table["terms"]), len(table["offset"]))
    True
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError) as exc:
        raise TrendkitError(f"cannot read the distilled term table {path}: {exc}") from None
    missing = {"terms", "idf", "vectors", "scale", "offset", "version"} - set(arrays)
    if missing:
        raise TrendkitError(f"{path} is not a distilled term table (missing "
                            f"{', '.join(sorted(missing))})")
    # Stored as int8 with one scale per term: a quarter of float32's size.
    arrays["vectors"] = arrays["vectors"].astype(np.float32) * arrays["scale"][:, None]
    arrays["terms"] = arrays["terms"].astype(str)
    arrays["version"] = str(arrays["version"])
    return arrays


def coverage(texts: Sequence[str], path: str | Path = TABLE, sample: int = 5000,
             words: frozenset[str] | None = None) -> float:
    """Share of the word occurrences in ``texts`` (stop words aside) that the table knows
    (or that are in ``words``, any other vocabulary).

    Past ``sample`` texts it is measured on a seeded sample of that many: a share needs no
    more, and a warm re-run of a large corpus, its vectors cached, need not tokenise it all.

    Examples
    --------
    >>> round(coverage(["experts route tokens", "zzqx vvbn"]), 2)
    0.6
    """
    texts = list(texts)
    rows = sample_rows(len(texts), sample) if len(texts) > sample else None  # None: all, cheaper
    try:
        from ..tokens import count_terms  # lazily: the CLI lists backends without pandas

        vocabulary, counts = count_terms(texts, rows=rows)
    except ValueError:  # no word at all but stop words: the table knows none of them
        return 0.0
    totals = np.asarray(counts.sum(axis=0)).ravel()
    words = words if words is not None else _words(str(path))  # a set: np.isin compares
    # strings pairwise, minutes at 3k docs
    known = np.fromiter((term in words for term in vocabulary.tolist()), bool, len(vocabulary))
    return float(totals[known].sum()) / max(float(totals.sum()), 1.0)


# A corpus of at least this many documents also checks the table against MiniLM itself
# (:func:`fidelity`): the check costs 3-10 s (MiniLM on the probe, once a model export),
# a third of a run of a few thousand documents and a few per cent of one this size.
PROBE_FROM = 10_000
PROBE = 200  # documents in the probe
# Below this rank correlation the table does not reproduce MiniLM on the corpus. On six
# 200-document probes each: arXiv 0.88-0.90, AAAI 0.83-0.86, the venues set 0.83-0.85;
# ICRA/IROS robotics 0.65-0.69 (whose k-means themes at k = 30 carried 3-5 of 16 keyword
# concepts under the table, 7-8 under MiniLM), medical abstracts 0.41-0.45. The bound
# sits midway between robotics and the computer-science sets.
FAITHFUL = 0.76


def fidelity(texts: Sequence[str], path: str | Path = TABLE, probe: int = PROBE,
             random_state: int = 0) -> float:
    """How faithfully the table reproduces MiniLM on ``texts``: the rank (Spearman)
    correlation between the cosines of every pair of a seeded probe of ``probe`` documents,
    as the table and as the int8 MiniLM embed them (both centred on the probe's mean).
    ``random_state`` draws the probe (``auto`` uses 0).

    Coverage (:func:`coverage`) says whether the table knows a corpus's words; this says
    whether it knows what they mean *here*: on ICRA/IROS abstracts the table knows 91 % of
    the words yet groups papers along a few broad axes MiniLM does not.

    Examples
    --------
    >>> texts = ["Sparse mixture-of-experts routing", "Routing tokens to experts",
    ...          "Job-shop scheduling with dispatching rules", "Dispatching rules for shops"]
    >>> round(fidelity(texts), 1) > 0.5
    True
    """
    from scipy.stats import spearmanr

    from .onnx import OnnxMiniLMEmbedder  # lazily: the import loads ONNX Runtime

    texts = list(texts)
    picked = [texts[i] for i in sample_rows(len(texts), probe, random_state)]
    if len(picked) < 3:
        return 1.0  # nothing to compare
    pair = np.triu_indices(len(picked), 1)
    cosines = []
    for rows in (DistilledEmbedder(path).transform(picked), OnnxMiniLMEmbedder().transform(picked)):
        rows = unit_rows(np.asarray(rows, dtype=np.float64))
        rows = unit_rows(rows - rows.mean(axis=0))
        cosines.append((rows @ rows.T)[pair])
    return float(spearmanr(*cosines).statistic)


def coverage_note(share: float) -> str:
    """How a run's notes word a low :func:`coverage` (one wording for every caller).

    Examples
    --------
    >>> coverage_note(0.42).split(" knows ")[1]
    "only 42 % of these documents' words"
    """
    return (f"the distilled term table (learned from arXiv abstracts) knows only "
            f"{100 * share:.0f} % of these documents' words")


@functools.lru_cache(maxsize=2)
def _words(path: str) -> frozenset[str]:
    """The table's single words (coverage counts words; bigrams are pairs of them)."""
    return frozenset(term for term in load_table(path)["terms"].tolist() if " " not in term)


@dataclass
class DistilledEmbedder(PretrainedEmbedder):
    """Documents as TF-IDF-weighted sums of the shipped MiniLM-distilled term vectors.

    Parameters
    ----------
    path : str or Path, optional
        A table in the shipped format (default: the one installed with trendkit).

    Examples
    --------
    >>> rows = DistilledEmbedder().transform(["Sparse mixture-of-experts routing",
    ...     "Routing tokens to experts", "Job-shop scheduling with dispatching rules"])
    >>> rows.shape[0], bool(rows[0] @ rows[1] > rows[0] @ rows[2])
    (3, True)
    """

    path: str | Path = TABLE
    match_centred = True  # rows share the table's mean: declared themes match about the corpus's

    @property
    def key(self) -> str:
        return f"distilled-{load_table(self.path)['version']}"

    def notes(self, texts: Sequence[str]) -> list[str]:
        """A warning for the run's notes when the table knows too few of the corpus's words."""
        share = coverage(texts, self.path)
        if share >= LOW_COVERAGE:
            return []
        return [f"{coverage_note(share)}; --embedding lsa learns the corpus's own vocabulary"]

    def state(self) -> dict[str, np.ndarray]:
        """The table's version, so a saved run is never extended in another table's space."""
        return {"distilled_version": np.array(load_table(self.path)["version"])}

    def set_state(self, arrays) -> "DistilledEmbedder":
        saved = arrays.get("distilled_version")  # absent from runs of other backends
        version = load_table(self.path)["version"]
        if saved is not None and str(np.asarray(saved)) != version:
            raise TrendkitError(f"this run was embedded with distilled table {saved}, but the "
                                f"installed table is {version}: run `trendkit run` again")
        return self

    def fit_transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Rows for a corpus; a corpus without one word the table knows is an error."""
        return self._rows(list(texts), progress, corpus=True)

    def transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._rows(list(texts), progress)

    def _rows(self, texts: list[str], progress: Progress | None, corpus: bool = False):
        table = load_table(self.path)
        if not texts:
            return np.zeros((0, len(table["offset"])), dtype=np.float32)
        # count_terms reuses the corpus's cached tokens: the labeller reads them next.
        from ..tokens import count_terms

        _, counts = count_terms(texts, ngram_range=(1, 2), vocabulary=table["terms"])
        if corpus and counts.nnz == 0:  # every row would be the table's mean: one theme
            raise TrendkitError("none of the documents' words is in the distilled term table "
                                "(only stop words, or another language or field); try "
                                "--embedding lsa")
        vectors = _weighted(counts, table["idf"]) @ table["vectors"] + table["offset"]
        if progress:
            progress(len(texts), len(texts))
        return unit_rows(np.asarray(vectors)).astype(np.float32)


# "distilled-table:PATH" reads another table in the same format (bench/distill.py builds one).
@backend("distilled-table", help="the shipped table alone, each text on its own",
         argument="PATH")
def _table(argument: str, random_state: int) -> Embedder:
    return DistilledEmbedder(*([argument] if argument else []))
