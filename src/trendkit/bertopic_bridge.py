"""BERTopic in and out: a fitted BERTopic model as a :class:`TrendResult`, and back.

``from_bertopic`` keeps BERTopic's topics and assignments and adds trendkit's
trend half (periods, tested trends, report); ``to_bertopic`` hands trendkit's
themes to BERTopic's "manual BERTopic" recipe (no dimensionality reduction,
no clustering: the topics are given as ``y``) so that BERTopic's plots and
tools work on exactly trendkit's assignments. Both run offline.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from bertopic import BERTopic
from bertopic import __version__ as bertopic_version
from bertopic.backend import BaseEmbedder
from bertopic.backend._utils import select_backend  # BERTopic's own model lookup
from bertopic.cluster import BaseCluster
from bertopic.dimensionality import BaseDimensionalityReduction

from .embed.base import Embedder
from .embed.choose import backend_name, get_embedder
from .embed.lsa import LSAEmbedder
from .errors import TrendkitError
from .execute import retrend
from .label import topic_rows
from .load.corpus import load_frame
from .model import OUTLIER_LABEL
from .result import TrendResult
from .text import document_texts, term_vectorizer
from .trend.options import TrendOptions

__all__ = ["from_bertopic", "to_bertopic", "LSABackend"]

_ROW = "_bertopic_row"  # position in the caller's list, carried through load_frame


class LSABackend(BaseEmbedder):
    """A BERTopic embedding backend over a run's fitted trendkit embedder (its
    :class:`LSAEmbedder`, or the distilled embedder of a ``--embedding distilled`` run).

    Needs no weights, so nothing is ever downloaded; ``BERTopic.transform`` on
    new documents places them in the same space.
    """

    def __init__(self, lsa: Embedder):
        super().__init__()
        self.lsa = lsa

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        return self.lsa.transform(list(documents))


def _words(topic_model, topic: int) -> list[str]:
    # get_topic returns False for unknown ids and pads short topics with ("", ~0).
    return [w for w, _ in (topic_model.get_topic(topic) or []) if w]


def _topic_table(topic_model, docs: pd.DataFrame, ids: list[int]) -> pd.DataFrame:
    custom = getattr(topic_model, "custom_labels_", None)
    # set_topic_labels stores custom labels in the order of sorted(set(topics_)).
    custom = dict(zip(ids, custom)) if custom is not None and len(custom) == len(ids) else {}
    names, seen = [], set()
    for t in ids:
        words = _words(topic_model, t)
        label = (OUTLIER_LABEL if t == -1 else
                 str(custom.get(t) or " · ".join(words[:3]) or f"topic {t}"))
        if label in seen:  # labels name themes in tables and figures: keep them unique
            label = f"{label} ({t})"
        seen.add(label)
        names.append({"topic_id": t, "topic_label": label, "top_terms": "; ".join(words[:10])})
    # BERTopic's own topics, taken as they are (mixed: False); representative titles as
    # every trendkit run has them: closest to the theme's centre (here in TF-IDF space).
    return topic_rows(docs["topic_id"], docs["title"],
                      document_texts(docs["title"], docs["text"]), pd.DataFrame(names))


def _column(values, name: str, n: int) -> list:
    values = list(values)
    if len(values) != n:
        raise TrendkitError(f"{name} has {len(values)} entries for {n} documents")
    return values


def from_bertopic(topic_model, docs: Sequence[str], timestamps: Sequence | None = None, *,
                  titles: Sequence[str] | None = None, ids: Sequence | None = None,
                  freq: str | None = None) -> TrendResult:
    """A fitted BERTopic model and its documents as a :class:`TrendResult`.

    Parameters
    ----------
    topic_model : bertopic.BERTopic
        Fitted on ``docs`` (``topic_model.topics_`` has one entry per document).
    docs : sequence of str
        The documents it was fitted on, in the same order; used as the abstracts.
    timestamps : sequence, optional
        One date per document (anything :func:`trendkit.load_frame` parses).
        Without dates the trend tables are empty and every status is
        ``insufficient-data``.
    titles, ids : sequence, optional
        Document titles and ids (``bertopic:1`` ... when omitted).
    freq : {"day", "week", "month", "quarter", "year"}, optional
        Period length; chosen from the date span when omitted.

    Returns
    -------
    TrendResult
        Topic ids are BERTopic's, outliers kept as theme ``-1`` "(outliers)";
        labels are the model's custom labels when set, else its top three
        words joined by " · ".

    Examples
    --------
    >>> import numpy as np
    >>> from bertopic import BERTopic
    >>> from bertopic.cluster import BaseCluster
    >>> from bertopic.dimensionality import BaseDimensionalityReduction
    >>> docs = ["sparse experts route tokens"] * 4 + ["job shop scheduling makespan"] * 4
    >>> model = BERTopic(embedding_model=BaseEmbedder(), hdbscan_model=BaseCluster(),
    ...                  umap_model=BaseDimensionalityReduction())
    >>> _ = model.fit_transform(docs, np.eye(8), y=[0] * 4 + [1] * 4)
    >>> result = from_bertopic(model, docs)
    >>> result.topics["n_docs"].tolist(), result.summary["status"].unique().tolist()
    ([4, 4], ['insufficient-data'])
    """
    topics = getattr(topic_model, "topics_", None)
    if topics is None:
        raise TrendkitError("the BERTopic model is not fitted (it has no topics_)")
    docs = list(docs)
    n = len(docs)
    topics = np.asarray(_column(topics, "topic_model.topics_", n), dtype=int)
    raw = pd.DataFrame({"abstract": [str(d) for d in docs], _ROW: range(n)})
    for arg, name, values in (("titles", "title", titles), ("ids", "doc_id", ids),
                              ("timestamps", "date", timestamps)):
        if values is not None:
            raw[name] = _column(values, arg, n)
    # dedupe=False: BERTopic assigned every row, duplicates included.
    frame = load_frame(raw, name="bertopic", text_col="abstract",
                       title_col="title" if titles is not None else None,
                       id_col="doc_id" if ids is not None else None,
                       date_col="date" if timestamps is not None else None, dedupe=False)
    notes = list(frame.attrs.get("notes", []))
    rows = frame.pop(_ROW).to_numpy()  # load_frame drops documents without any words
    frame = frame.assign(topic_id=topics[rows], subtopic_id=topics[rows])
    present = sorted(set(topics.tolist()))
    table = _topic_table(topic_model, frame, present)
    labels = table.set_index("topic_id")["topic_label"]
    frame["topic_label"] = labels.reindex(frame["topic_id"]).to_numpy()
    n_out = int((topics == -1).sum())
    notes.append(f"BERTopic left {n_out:,} of {n:,} documents ({100 * n_out / max(n, 1):.1f} %) "
                 f"as outliers; they are kept as theme -1 {OUTLIER_LABEL!r}, not reassigned")
    # outlier_share stays None: the report reads it as "outliers reassigned", and
    # BERTopic's outliers are kept, not reassigned; the note above says how many.
    meta = {"freq": freq, "outlier_share": None, "notes": notes,
            "params": {"source": "bertopic", "bertopic_version": bertopic_version,
                       "n_topics": sum(t >= 0 for t in present), "keep_outliers": True,
                       "embedding_model": type(topic_model.embedding_model).__name__}}
    # retrend is the trend half every workflow shares (with_periods + trend_tables,
    # coverage notes, timings); undated documents get empty tables, insufficient-data.
    return retrend(TrendResult(frame, table, *[pd.DataFrame()] * 3, meta), TrendOptions(freq))


def _embedder_for(result: TrendResult, texts: list[str]):
    arrays, params = result.model_arrays, result.meta.get("params", {})
    name = str(params.get("embedding", ""))
    backend = backend_name(name)
    if backend in ("distilled", "distilled-table"):  # the run's table (or an error) and terms
        distilled = get_embedder(name, params.get("seed", 0)).set_state(arrays)
        return distilled, distilled.transform(texts)
    lsa_run = backend == "lsa"  # "lsa:1" is LSA too
    if lsa_run and {"vocabulary", "idf", "components"} <= set(arrays):
        # The run's own LSA space: BERTopic.transform then agrees with `trendkit assign`.
        lsa = LSAEmbedder(random_state=params.get("seed", 0)).set_state(arrays)
        return lsa, lsa.transform(texts)
    lsa = LSAEmbedder(random_state=params.get("seed", 0))
    return lsa, lsa.fit_transform(texts)


def to_bertopic(result: TrendResult, *, embedding_model=None) -> BERTopic:
    """A fitted BERTopic model holding exactly a result's themes and assignments.

    Built with BERTopic's "manual BERTopic" recipe: ``BaseDimensionalityReduction``
    and ``BaseCluster`` skip UMAP and HDBSCAN, and ``fit_transform(docs, y=topic_ids)``
    takes trendkit's themes as given. BERTopic then computes c-TF-IDF
    representations (with trendkit's stop words and token pattern), representative
    documents and topic vectors; ``set_topic_labels`` adds trendkit's labels,
    shown as ``CustomName`` by ``get_topic_info()``.

    Parameters
    ----------
    result : TrendResult
        With document texts (any result from ``analyze``/``read_run``). Theme ids
        must be ``0..k-1`` (plus ``-1``), as trendkit makes them.
    embedding_model : optional
        Anything BERTopic accepts (a sentence-transformers model, a model name,
        a BERTopic backend); it embeds the documents and later new ones in
        ``transform``. A model *name* may make sentence-transformers download it.
        ``None`` (default) uses :class:`LSABackend`: the run's own fitted LSA when
        it was an LSA run, the distilled table for a distilled run, otherwise LSA
        fitted on these documents. No weights,
        never a download (BERTopic's own default, all-MiniLM-L6-v2, is never loaded).

    Returns
    -------
    bertopic.BERTopic
        ``model.topics_ == result.documents["topic_id"]``, same ids, same counts.

    Examples
    --------
    >>> from trendkit.execute import analyze_labelled
    >>> from trendkit.demo import make_demo_corpus
    >>> result = analyze_labelled(load_frame(make_demo_corpus(n_docs=120)), "true_theme")
    >>> model = to_bertopic(result)
    >>> model.topics_ == result.documents["topic_id"].tolist()
    True
    """
    docs = result.documents
    if "text" not in docs.columns:
        raise TrendkitError("the result has no document texts; read it with read_run or analyze")
    texts = document_texts(docs["title"].fillna("").astype(str).tolist(),
                           docs["text"].fillna("").astype(str).tolist())
    y = docs["topic_id"].astype(int).to_numpy()
    ids = sorted(set(y.tolist()))
    if [t for t in ids if t >= 0] != list(range(len(ids) - (-1 in ids))):
        # BERTopic maps custom labels and transform() predictions by position.
        raise TrendkitError(f"BERTopic needs theme ids 0..k-1 (and -1); the documents have {ids}")
    if embedding_model is None:
        lsa, embeddings = _embedder_for(result, texts)
        backend = LSABackend(lsa)
    else:
        backend = select_backend(embedding_model)
        embeddings = np.asarray(backend.embed_documents(texts))
    # nr_topics >= the number of topics reduces nothing, but it skips BERTopic's
    # renumbering of topics by size (ties and re-counted results would otherwise
    # get new ids); it is reset below so the model looks like a plain manual one.
    model = BERTopic(embedding_model=backend, umap_model=BaseDimensionalityReduction(),
                     hdbscan_model=BaseCluster(), nr_topics=len(ids),
                     vectorizer_model=term_vectorizer(ngram_range=(1, 2)),
                     calculate_probabilities=False)
    model.fit_transform(texts, embeddings, y=y)
    model.nr_topics = None
    if list(model.topics_) != y.tolist():
        raise TrendkitError(f"BERTopic {bertopic_version} renumbered the themes")
    # The no-renumbering path rebuilds topic vectors from keywords; use document
    # means, as BERTopic does by default (transform() compares documents to these).
    model.topic_embeddings_ = np.array([embeddings[y == t].mean(axis=0) for t in ids])
    labels = dict(zip(result.topics["topic_id"].astype(int), result.topics["topic_label"]))
    model.set_topic_labels({t: str(labels[t]) for t in ids if t in labels})
    return model
