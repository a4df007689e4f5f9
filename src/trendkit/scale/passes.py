"""The three passes over a partition, as plain functions a Dask worker can run.

1. :func:`scan` — per document only hashes, a date and a sampling priority
   (a few bytes each): enough for the driver to drop duplicates and draw
   the period-stratified fit sample without holding any text.
2. :func:`collect` — the fit sample's rows.
3. :func:`assign` — embed with the fitted model, nearest theme, then the
   partition's ``documents.csv`` rows, ``(day, theme, group)`` counts and a
   bounded per-(period, theme) sample of texts for the period terms.

Every decision depends on the document alone (its hash-based priority, its
vector), so any partitioning gives the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import pandas as pd

from ..cluster import nearest_centroid
from ..load.clean import clean_column
from ..load.options import LoadOptions
from ..load.schema import clean_rows, normalised_titles
from ..result import DOCUMENT_COLUMNS
from ..text import document_texts
from ..trend.periods import period_labels
from .partitions import Partition, read_partition

NO_DATE = np.iinfo(np.int64).min


def _hash(values: pd.Series, seed: int = 0) -> np.ndarray:
    # pandas' SipHash with a fixed key: the same on every machine and process
    # (Python's hash() is salted per process).
    key = f"trendkit{seed % 10**8:08d}"
    return pd.util.hash_pandas_object(values.astype(str), index=False,
                                      hash_key=key).to_numpy(np.uint64)


def frames(item, options: LoadOptions, chunk_rows: int, first_row: int = 0,
           counter: list | None = None):
    """Canonical frames of a file partition, or an in-memory frame as it is."""
    if isinstance(item, pd.DataFrame):
        if counter is not None:
            counter.append(len(item))
        yield item.reset_index(drop=True)
    else:
        yield from read_partition(item, options, chunk_rows, first_row, counter)


def _generated_ids(item, ids: pd.Series) -> np.ndarray:
    """Ids trendkit made up from row numbers (the input had none): not identities."""
    if isinstance(item, pd.DataFrame):
        return np.zeros(len(ids), bool)
    return ids.str.fullmatch(re.escape(item.name) + r":\d+").to_numpy(bool)


@dataclass
class Scan:
    """Per document of one partition: hashes, day number and sampling priority."""

    id_text: np.ndarray
    doc_id: np.ndarray
    title: np.ndarray
    has_title: np.ndarray
    days: np.ndarray
    priority: np.ndarray
    has_id: np.ndarray
    n_rows: int = 0


def scan(item: Partition | pd.DataFrame, options: LoadOptions, seed: int,
         chunk_rows: int) -> Scan:
    """Hashes, dates and priorities of every document in a partition."""
    parts, counter = [], []
    for frame in frames(item, options, chunk_rows, counter=counter):
        # cleaned as trendkit.load cleans them (cheap for titles); texts are compared as read
        titles = normalised_titles(clean_column(frame["title"]))
        days = pd.to_datetime(frame["date"], errors="coerce").to_numpy("datetime64[D]")
        days = np.where(np.isnat(days), NO_DATE, days.astype(np.int64))
        has_id = ~_generated_ids(item, frame["doc_id"].astype(str))
        # a made-up id depends on where the row is: sample by content instead
        identity = frame["doc_id"].where(has_id, frame["title"] + "\x00" + frame["text"])
        parts.append(dict(
            id_text=_hash(frame["doc_id"].astype(str) + "\x00" + frame["text"].astype(str)),
            doc_id=_hash(frame["doc_id"]), title=_hash(titles), has_title=(titles != "").to_numpy(),
            days=days.astype(np.int64), priority=_hash(identity, seed + 1), has_id=has_id))
    n_rows = sum(counter)
    if not parts:
        empty = np.zeros(0, np.uint64)
        return Scan(empty, empty, empty, np.zeros(0, bool), np.zeros(0, np.int64), empty,
                    np.zeros(0, bool), n_rows)
    return Scan(**{k: np.concatenate([p[k] for p in parts]) for k in parts[0]}, n_rows=n_rows)


@dataclass
class Plan:
    """What the driver decided for one partition's documents (in their order)."""

    keep: np.ndarray
    rank: np.ndarray
    sample: np.ndarray
    first_row: int = 0


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
            frame = clean_rows(frame)
        empty = frame["text"].str.strip() == ""  # cleaning can empty a text: use the title
        frame.loc[empty, "text"] = frame.loc[empty, "title"]
        rank = plan.rank[rows][mask]
        if (rank > 1).any():
            renamed = frame["doc_id"] + "#" + pd.Series(rank).astype(str)
            frame["doc_id"] = frame["doc_id"].where(rank <= 1, renamed)
        yield frame


def collect(item, options: LoadOptions, plan: Plan, chunk_rows: int) -> pd.DataFrame | None:
    """The fit-sample documents of one partition."""
    found = list(_kept_rows(item, options, plan, chunk_rows, plan.sample & plan.keep))
    return pd.concat(found, ignore_index=True) if found else None


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
    known: dict = field(default_factory=dict, repr=False)
    embedder: object = field(default=None, repr=False)

    def embedder_(self):
        if self.embedder is None:  # built once per worker process
            from ..embed import get_embedder

            self.embedder = get_embedder(self.embedding, self.seed).set_state(self.arrays)
        return self.embedder


@dataclass
class Assigned:
    """One partition's output: CSV rows, counts and a bounded text sample."""

    csv: str
    counts: pd.DataFrame
    terms_sample: pd.DataFrame
    topic_ids: np.ndarray


def assign_chunks(item, options: LoadOptions, plan: Plan, fitted: Fitted,
                  chunk_rows: int) -> Iterator[Assigned]:
    """Themes of a partition's kept documents, one :class:`Assigned` per chunk read."""
    for frame in _kept_rows(item, options, plan, chunk_rows, plan.keep):
        vectors = fitted.embedder_().transform(document_texts(frame["title"], frame["text"]))
        topic = nearest_centroid(vectors, fitted.arrays["centroids"], fitted.arrays["topic_ids"])
        # the fit sample keeps the theme it was clustered into, as in memory
        fitted_topic = frame["doc_id"].map(fitted.known)
        topic = np.where(fitted_topic.notna(), fitted_topic.fillna(-1), topic).astype(int)
        frame = frame.assign(topic_id=topic, topic_label=[fitted.labels[t] for t in topic])
        # freq was chosen from the whole input: one chunk's dates cannot re-check it
        frame["period"] = (period_labels(frame["date"], fitted.freq) if fitted.freq
                           else np.full(len(frame), "", dtype=object))
        rows = frame[DOCUMENT_COLUMNS].copy()
        rows["date"] = pd.to_datetime(rows["date"], errors="coerce").dt.strftime("%Y-%m-%d")
        keys = [pd.to_datetime(frame["date"], errors="coerce").dt.floor("D").rename("date"),
                frame["topic_id"]]
        if fitted.group_col:
            keys.append(frame[fitted.group_col].astype(str).rename(fitted.group_col))
        counts = frame.groupby(keys, dropna=False).size().rename("n").reset_index()
        frame["priority"] = _hash(frame["title"] + "\x00" + frame["text"], fitted.seed + 2)
        sample = bottom_k(frame[["priority", "period", "topic_id", "topic_label", "doc_id",
                                 "text"]], fitted.max_docs)
        yield Assigned(rows.to_csv(index=False, header=False, lineterminator="\n"), counts,
                       sample, topic)


def assign(item, options: LoadOptions, plan: Plan, fitted: Fitted, chunk_rows: int) -> Assigned:
    """:func:`assign_chunks` of a whole partition as one result (what a Dask task returns)."""
    parts = list(assign_chunks(item, options, plan, fitted, chunk_rows))
    if not parts:
        return Assigned("", pd.DataFrame(), pd.DataFrame(), np.zeros(0, int))
    return Assigned("".join(p.csv for p in parts), merge_counts([p.counts for p in parts]),
                    bottom_k(pd.concat([p.terms_sample for p in parts]), fitted.max_docs),
                    np.concatenate([p.topic_ids for p in parts]))


def merge_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum count tables over their keys (``date, topic_id[, group]``)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True)
    keys = [c for c in frame.columns if c != "n"]
    return frame.groupby(keys, dropna=False, sort=True)["n"].sum().reset_index()


def bottom_k(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """The ``k`` lowest-priority rows of each (period, theme): a seeded sample that merges."""
    if frame.empty:
        return frame
    frame = frame.sort_values(["period", "topic_id", "priority", "doc_id"], kind="stable")
    return frame.groupby(["period", "topic_id"], sort=False).head(k).reset_index(drop=True)
