"""Duplicates: one rule, for a frame in memory and for partitions read one at a time.

The rule, in this order: rows with the same id and text are one document (the
first is kept); rows that share an id but not their text are different documents
(later ones renamed ``id#2``, ``id#3``, …); rows with the same normalised title are
one document. Ids trendkit made up from row numbers (``FILE:ROW``) are no identity.

Both executors decide from the same per-row keys (:func:`dedupe_keys`, a few bytes a
row): the in-memory loader on one frame (:func:`deduplicate`), the streaming driver
on the keys of every partition concatenated, never holding text (:func:`plan_dedupe`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..sampling import stable_hash
from .clean import clean_column


def normalised_titles(titles: pd.Series) -> pd.Series:
    """Titles as duplicates are compared: lower case, runs of other characters one space.

    Examples
    --------
    >>> normalised_titles(pd.Series(["Mixture-of-Experts!", ""])).tolist()
    ['mixture of experts', '']
    """
    return titles.str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


@dataclass
class DedupeKeys:
    """Per row: hashes of (id, text), of the id and of the title, and two flags."""

    id_text: np.ndarray
    doc_id: np.ndarray
    title: np.ndarray
    has_title: np.ndarray
    has_id: np.ndarray

    @classmethod
    def concat(cls, parts: list["DedupeKeys"]) -> "DedupeKeys":
        return cls(*(np.concatenate([getattr(p, k) for p in parts]) for k in
                     ("id_text", "doc_id", "title", "has_title", "has_id")))


def dedupe_keys(frame: pd.DataFrame) -> DedupeKeys:
    """The keys :func:`plan_dedupe` compares, for canonical rows (cleaned or not).

    Texts are compared as read (``text_raw``; the title where it is empty), titles
    once cleaned, so cleaning a frame before or after makes no difference.
    """
    text = frame["text_raw"] if "text_raw" in frame else frame["text"]
    text = text.astype(str).where(text.astype(str).str.strip() != "", frame["title"].astype(str))
    titles = normalised_titles(clean_column(frame["title"]))
    ids = frame["doc_id"].astype(str)
    source = frame["source"].astype(str) if "source" in frame else pd.Series("", index=ids.index)
    made_up = ids.str.fullmatch(r".+:\d+") & (ids.str.rsplit(":", n=1).str[0] == source)
    return DedupeKeys(stable_hash(ids + "\x00" + text), stable_hash(ids), stable_hash(titles),
                      (titles != "").to_numpy(), ~made_up.to_numpy(bool))


def first_occurrence(keys: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """True at the first row of every key (optionally only counting rows in ``among``).

    Examples
    --------
    >>> first_occurrence(np.array([5, 3, 5, 3, 7], dtype=np.uint64)).tolist()
    [True, True, False, False, True]
    """
    rows = np.arange(len(keys)) if among is None else np.flatnonzero(among)
    _, first = np.unique(keys[rows], return_index=True)
    mask = np.zeros(len(keys), bool)
    mask[rows[first]] = True
    return mask


def occurrence_rank(keys: np.ndarray) -> np.ndarray:
    """1 for the first row of each key, 2 for the second, ... (in row order).

    Examples
    --------
    >>> occurrence_rank(np.array([4, 4, 2, 4], dtype=np.uint64)).tolist()
    [1, 2, 1, 3]
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]] if len(keys) else np.zeros(0, bool)
    index = np.arange(len(keys))
    rank = np.empty(len(keys), np.int64)
    rank[order] = index - np.maximum.accumulate(np.where(starts, index, 0)) + 1
    return rank


def plan_dedupe(keys: DedupeKeys) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``(keep, rank, notes)``: which rows to keep and each kept row's rank among its id.

    Examples
    --------
    >>> frame = pd.DataFrame({"doc_id": ["x", "x", "x", "y"], "title": ["A", "B", "A", "C"],
    ...                       "text": ["t1", "t2", "t1", "t3"], "source": "f.csv"})
    >>> keep, rank, notes = plan_dedupe(dedupe_keys(frame))
    >>> keep.tolist(), rank[keep].tolist(), len(notes)
    ([True, True, False, True], [1, 2, 1], 2)
    """
    n = len(keys.id_text)
    keep = first_occurrence(keys.id_text, among=keys.has_id) | ~keys.has_id
    notes = []
    if (dropped := n - int(keep.sum())):
        notes.append(f"dropped {dropped:,} duplicate document(s) with the same id")
    rank = np.ones(n, np.int64)
    real = keep & keys.has_id
    rank[real] = occurrence_rank(keys.doc_id[real])
    clashing = np.isin(keys.doc_id[real], keys.doc_id[real][rank[real] > 1])
    if clashing.any():
        notes.append(f"{int(clashing.sum()):,} document(s) share an id but differ in text; "
                     "later ones renamed id#2, id#3, ...")
    titled = keep & keys.has_title
    same_title = titled & ~first_occurrence(keys.title, among=titled)
    if same_title.any():
        notes.append(f"dropped {int(same_title.sum()):,} duplicate document(s) with the same title")
        keep &= ~same_title
    return keep, rank, notes


def renamed_ids(ids: pd.Series, rank: np.ndarray) -> pd.Series:
    """``id#2``, ``id#3`` … for the later of several documents sharing an id."""
    rank = np.asarray(rank)
    return ids.where(rank <= 1, ids + "#" + pd.Series(rank, index=ids.index).astype(str))


def deduplicate(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """The frame without duplicates (see the module's rule); what was done goes to ``notes``."""
    keep, rank, found = plan_dedupe(dedupe_keys(frame))
    notes += found
    frame = frame.assign(doc_id=renamed_ids(frame["doc_id"].astype(str), rank))
    return frame[keep].reset_index(drop=True)
