"""The three passes over a partition, as plain functions a Dask worker can run.

1. :func:`scan` — per document only duplicate keys, a date and a sampling priority
   (a few bytes each): enough for the driver to drop duplicates and draw the
   period-stratified fit sample without holding any text.
2. :func:`collect` — the fit sample's rows.
3. :func:`assign` — embed with the fitted model, nearest theme, then the partition's
   ``documents.csv`` rows and its share of the run's aggregates (counts per day and
   theme, the terms sample: :mod:`trendkit.trend.counts`), which merge exactly.

Every stage function is the in-memory run's own (reading, cleaning, duplicate keys,
nearest centroid, counting); every decision depends on the document alone (its
hash-based priority, its vector), so any partitioning gives the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import pandas as pd

from ..cluster import children_of, nearest_centroid
from ..load.dedupe import DedupeKeys, dedupe_keys, renamed_ids
from ..load.options import LoadOptions
from ..load.partitions import Partition, read_partition
from ..load.schema import clean_rows, fill_empty_text
from ..sampling import stable_hash
from ..text import document_texts
from ..trend.counts import bottom_k, count_documents, count_facets, merge_counts, terms_sample
from .documents_csv import document_rows
from .plan import NO_DATE, Plan, Scan


def frames(item, options: LoadOptions, chunk_rows: int, first_row: int = 0,
           counter: list | None = None):
    """Canonical frames of a file partition, or an in-memory frame as it is."""
    if isinstance(item, pd.DataFrame):
        if counter is not None:
            counter.append(len(item))
        yield item.reset_index(drop=True)
    else:
        yield from read_partition(item, options, chunk_rows, first_row, counter)


def scan(item: Partition | pd.DataFrame, options: LoadOptions, seed: int,
         chunk_rows: int) -> Scan:
    """Duplicate keys, dates and priorities of every document in a partition."""
    parts, counter = [], []
    for frame in frames(item, options, chunk_rows, counter=counter):
        keys = dedupe_keys(frame)
        days = pd.to_datetime(frame["date"], errors="coerce").to_numpy("datetime64[D]")
        days = np.where(np.isnat(days), NO_DATE, days.astype(np.int64))
        # a made-up id depends on where the row is: sample by content instead
        identity = frame["doc_id"].where(keys.has_id, frame["title"] + "\x00" + frame["text"])
        parts.append(Scan(keys, days.astype(np.int64), stable_hash(identity, seed + 1)))
    if not parts:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in ("doc_id", "title", "text",
                                                                "source")})
        parts = [Scan(dedupe_keys(frame), np.zeros(0, np.int64), np.zeros(0, np.uint64))]
    return Scan(DedupeKeys.concat([p.keys for p in parts]),
                np.concatenate([p.days for p in parts]),
                np.concatenate([p.priority for p in parts]), sum(counter))


def _kept_rows(item, options, plan: Plan, chunk_rows: int, which: np.ndarray):
    """Frames of a partition restricted to ``which`` rows, duplicate ids renamed ``id#2``."""
    offset = 0
    for frame in frames(item, options, chunk_rows, plan.first_row):
        rows = slice(offset, offset + len(frame))
        offset += len(frame)
        mask = which[rows]
        if not mask.any():
            continue
        frame = frame[mask].reset_index(drop=True)
        if not isinstance(item, pd.DataFrame):  # files are read uncleaned (see read_partition)
            frame = fill_empty_text(clean_rows(frame), drop=False)
        frame["doc_id"] = renamed_ids(frame["doc_id"].astype(str), plan.rank[rows][mask])
        yield frame


def collect(item, options: LoadOptions, plan: Plan, chunk_rows: int) -> pd.DataFrame | None:
    """The fit-sample documents of one partition."""
    found = list(_kept_rows(item, options, plan, chunk_rows, plan.sample & plan.keep))
    return pd.concat(found, ignore_index=True) if found else None


def sub_themes_of(vectors, topic, arrays: dict) -> np.ndarray:
    """Sub-themes of assigned documents from a run's saved model arrays (none before 0.6)."""
    if "sub_ids" not in arrays:
        return np.asarray(topic).copy()
    return children_of(vectors, topic, arrays["sub_centroids"], arrays["sub_ids"],
                       arrays["sub_parents"])


@dataclass
class Fitted:
    """What workers need to assign documents: plain arrays and a few settings."""

    embedding: str
    seed: int
    arrays: dict
    labels: dict
    freq: str | None
    group_col: str | None
    max_docs: int = 30
    facet: str | None = None  # --facet: counted per value too
    weight_col: str | None = None  # --weight: counts carry weight sums
    known: dict = field(default_factory=dict, repr=False)
    known_sub: dict = field(default_factory=dict, repr=False)
    embedder: object = field(default=None, repr=False)

    def subthemes(self, vectors, topic) -> np.ndarray:
        """Each document's sub-theme, within its theme (its theme where it has none)."""
        return sub_themes_of(vectors, topic, self.arrays)

    def embedder_(self):
        if self.embedder is None:  # built once per worker process
            from ..embed.choose import get_embedder

            self.embedder = get_embedder(self.embedding, self.seed).set_state(self.arrays)
        return self.embedder


@dataclass
class Assigned:
    """One partition's output: CSV rows, counts and a bounded text sample."""

    csv: str
    counts: pd.DataFrame
    terms_sample: pd.DataFrame
    topic_ids: np.ndarray
    subtopic_ids: np.ndarray
    facet_counts: pd.DataFrame | None = None


def assign_chunks(item, options: LoadOptions, plan: Plan, fitted: Fitted,
                  chunk_rows: int) -> Iterator[Assigned]:
    """Themes of a partition's kept documents, one :class:`Assigned` per chunk read."""
    for frame in _kept_rows(item, options, plan, chunk_rows, plan.keep):
        vectors = fitted.embedder_().transform(document_texts(frame["title"], frame["text"]))
        topic = nearest_centroid(vectors, fitted.arrays["centroids"], fitted.arrays["topic_ids"])
        # the fit sample keeps the theme it was clustered into, as in memory
        fitted_topic = frame["doc_id"].map(fitted.known)
        topic = np.where(fitted_topic.notna(), fitted_topic.fillna(-1), topic).astype(int)
        sub = fitted.subthemes(vectors, topic)
        fitted_sub = frame["doc_id"].map(fitted.known_sub)
        sub = np.where(fitted_sub.notna(), fitted_sub.fillna(-1), sub).astype(int)
        frame = frame.assign(topic_id=topic, topic_label=[fitted.labels[t] for t in topic],
                             subtopic_id=sub)
        # freq was chosen from the whole input: one chunk's dates cannot re-check it
        yield Assigned(document_rows(frame, fitted.freq),
                       count_documents(frame, fitted.group_col, fitted.weight_col),
                       terms_sample(frame, fitted.freq, fitted.max_docs, fitted.seed), topic, sub,
                       count_facets(frame, fitted.facet, fitted.weight_col)
                       if fitted.facet else None)


def assign(item, options: LoadOptions, plan: Plan, fitted: Fitted, chunk_rows: int) -> Assigned:
    """:func:`assign_chunks` of a whole partition as one result (what a Dask task returns)."""
    parts = list(assign_chunks(item, options, plan, fitted, chunk_rows))
    if not parts:
        return Assigned("", pd.DataFrame(), pd.DataFrame(), np.zeros(0, int), np.zeros(0, int))
    return Assigned("".join(p.csv for p in parts), merge_counts([p.counts for p in parts]),
                    bottom_k(pd.concat([p.terms_sample for p in parts]), fitted.max_docs),
                    np.concatenate([p.topic_ids for p in parts]),
                    np.concatenate([p.subtopic_ids for p in parts]),
                    merge_counts([p.facet_counts for p in parts]) if fitted.facet else None)
