"""Which backend a name means: aliases, arguments, and ``"auto"`` (the one owner).

``"auto"`` is the default: the distilled table where it knows a corpus's words and, in a
corpus of :data:`~trendkit.embed.distilled.PROBE_FROM` documents or more, reproduces
MiniLM on a probe of them (:func:`~trendkit.embed.distilled.fidelity`); ``minilm-map``
where it does not reproduce MiniLM, or does not know the words (another field: medicine,
biology) while MiniLM reads them as words of its own (the int8 MiniLM on every document
up to :data:`INT8_ALL`, on a sample of that size beyond, the rest mapped through term
vectors learned from it); and the corpus's own LSA where neither knows them (another
language, invented words).
:func:`resolve_embedding` is the one place that choice is made; a run calls it once and
records the backend it chose in ``run.json``, so ``trendkit assign`` embeds new documents
with the same one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import TrendkitError
from .base import Embedder
from .distilled import (
    FAITHFUL,
    LOW_COVERAGE,
    PROBE,
    PROBE_FROM,
    coverage,
    coverage_note,
    fidelity,
)
from .model2vec import local_folder
from .registry import BACKENDS, DEFAULT, backend, registered

# Runs made before run.json recorded the backend used LSA (the default then).
LEGACY_EMBEDDING = "lsa"


@backend(DEFAULT, help="the distilled table where it knows the corpus's words, else "
         "minilm-map where MiniLM reads them, else lsa; the run says which and what it costs")
def _auto(argument: str, random_state: int) -> Embedder:
    raise TrendkitError("--embedding auto is chosen per corpus: pass the texts through "
                        "trendkit.embed.resolve_embedding (or trendkit.embed.embed_texts) first")


def backend_name(name: str) -> str:
    """The backend a CLI name picks, aliases resolved and any ``:argument`` dropped.

    Examples
    --------
    >>> [backend_name(n) for n in ("tfidf:2", "LSA", "minilm-map:500", "minilm-onnx")]
    ['lsa', 'lsa', 'minilm-map', 'minilm-int8']
    """
    aliases = {alias: b.name for b in registered().values() for alias in b.aliases}
    head = name.partition(":")[0]
    return aliases.get(name.lower(), aliases.get(head.lower(), head.lower()))


def resolve_embedding(name: str, texts: Sequence[str]) -> tuple[str, list[str]]:
    """The backend ``name`` means for these texts, and a note when ``"auto"`` fell back.

    Only ``"auto"`` depends on the texts: the distilled table when it knows at least
    :data:`~trendkit.embed.distilled.LOW_COVERAGE` of their words and (from
    :data:`~trendkit.embed.distilled.PROBE_FROM` documents) its cosines rank pairs of them
    as MiniLM's do (:data:`~trendkit.embed.distilled.FAITHFUL`); else ``minilm-map``
    (its sample as large as the corpus up to :data:`INT8_ALL`) when the table knows the
    words, or when MiniLM's own vocabulary holds :data:`MINILM_READS` of them as whole
    words (a field the arXiv-distilled table does not know, such as medicine); else LSA,
    fitted on the corpus's own vocabulary.
    Every other name comes back as it is.

    Examples
    --------
    >>> resolve_embedding("auto", ["Sparse experts route tokens", "Job-shop scheduling"])
    ('distilled', [])
    >>> resolve_embedding("auto", ["zzqx vvbn wqpt", "vvbn zzqx kkrt"])[0]
    'lsa'
    >>> resolve_embedding("minilm", [])
    ('minilm', [])
    """
    if not isinstance(name, str) or backend_name(name) != DEFAULT:  # a name, or an Embedder
        return name, []
    check_embedding(name)
    share = coverage(texts)
    if share >= LOW_COVERAGE:
        if len(texts) < PROBE_FROM:
            return "distilled", []
        faithful = fidelity(texts)
        if faithful >= FAITHFUL:
            return "distilled", []
        return _mapped(texts, f"the distilled term table knows {100 * share:.0f} % of these "
                       f"documents' words but reproduces MiniLM's similarities poorly here "
                       f"(rank correlation {faithful:.2f} on {PROBE} of them; computer-science "
                       f"abstracts: 0.83-0.90)", "--embedding distilled is faster")
    read = coverage(texts, words=_minilm_words())
    if read >= MINILM_READS:
        return _mapped(texts, f"{coverage_note(share)}, while MiniLM reads {100 * read:.0f} % "
                       "of them", "--embedding lsa is much faster but weaker here")
    return "lsa", [f"--embedding auto chose lsa: {coverage_note(share)}, and MiniLM reads "
                   f"only {100 * read:.0f} % of them as words"]


def _mapped(texts: Sequence[str], why: str, instead: str) -> tuple[str, list[str]]:
    """``minilm-map`` with its sample as large as the corpus up to :data:`INT8_ALL`, and the
    note that says why and what it costs."""
    sample = min(max(len(texts), 1000), INT8_ALL)
    mapped = ("every document" if sample >= len(texts)
              else f"{sample:,} of {len(texts):,} documents, the rest mapped")
    return f"minilm-map:{sample}", [
        f"--embedding auto chose minilm-map:{sample}: {why}; the int8 MiniLM embeds {mapped} "
        f"(about 25 ms a document on 2 cores, plus a one-off model export on a new machine); "
        f"{instead}"]


MINILM_READS = 0.5  # medical abstracts: 70 %; invented words or another script: ~0 %
# Up to this many documents all get true int8 MiniLM rows: on medical abstracts a 1,000
# sample mapped to the rest scored NMI 0.33, every row embedded 0.40 (BENCHMARKS.md); the
# map's dual ridge holds a sample x sample matrix (5,000: 200 MB).
INT8_ALL = 5000


def _minilm_words() -> frozenset[str]:
    """MiniLM's whole-word tokens (its vocabulary without word pieces)."""
    from .sentence_transformers import minilm_path

    with open(Path(minilm_path()) / "vocab.txt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if not line.startswith(("##", "[")))


def check_embedding(name: str) -> None:
    """Raise :class:`~trendkit.errors.TrendkitError` for a name no backend answers to.

    Examples
    --------
    >>> check_embedding("auto"), check_embedding("lsa:2")
    (None, None)
    """
    if backend_name(name) != DEFAULT:
        get_embedder(name)
    elif ":" in name:
        raise TrendkitError(f"--embedding auto takes no argument, got {name!r}")


def get_embedder(name: str = "lsa", random_state: int = 0) -> Embedder:
    """Build an embedding backend from its CLI name (see :data:`BACKENDS`).

    Examples
    --------
    >>> get_embedder("lsa").key
    'lsa-100-p1.5-0'
    >>> get_embedder("tf-idf", random_state=3).key
    'lsa-100-p1.5-3'
    >>> get_embedder("lsa:1").key  # plain LSA (U Σ)
    'lsa-100-0'
    """
    head, argument = backend_name(name), name.partition(":")[2]
    found = registered().get(head)
    if found is not None and (argument or not found.required):
        if argument and not found.argument:
            raise TrendkitError(f"--embedding {head} takes no argument, got {name!r}")
        return found.make(argument, random_state)
    if Path(name).is_dir():
        return local_folder(name)
    spellings = ", ".join(b.spelling for b in BACKENDS.values())
    raise TrendkitError(f"unknown --embedding {name!r}; use {spellings} or a local model folder")
