"""What the trend stage reads: documents counted per day and theme, and a sample of texts.

Both executors reduce their documents to the same two tables, which merge across
partitions exactly:

- **counts**: ``date`` (the day), ``topic_id``, the coverage/normalisation column
  if any, and ``n`` documents. Any period length can be computed from them later,
  so a run can be re-binned (``trendkit report --freq``) without its documents.
- **terms sample**: at most ``k`` documents per (period, theme), those of lowest
  priority (a seeded hash of title and text). The bottom-k of a union is the
  bottom-k of the parts' bottom-ks, so merging partitions, merging themes or
  coarsening periods gives exactly the sample the whole corpus would give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..sampling import stable_hash
from .periods import period_labels

SAMPLE_COLUMNS = ["priority", "period", "topic_id", "doc_id", "date", "title", "text"]
MAX_DOCS = 30  # texts kept per period and theme for the period terms


def count_documents(docs: pd.DataFrame, group_col: str | None = None) -> pd.DataFrame:
    """Documents per (day, theme[, sub-theme][, group]) as ``date, topic_id[, subtopic_id]
    [, group], n``.

    Examples
    --------
    >>> docs = pd.DataFrame({"topic_id": [0, 0, 1], "date": pd.to_datetime(
    ...     ["2024-01-05 10:00", "2024-01-05 18:30", None])})
    >>> count_documents(docs).astype(str).values.tolist()
    [['2024-01-05', '0', '2'], [nan, '1', '1']]
    """
    keys = [pd.to_datetime(docs["date"], errors="coerce").dt.floor("D").rename("date"),
            docs["topic_id"].rename("topic_id")]
    if "subtopic_id" in docs:
        keys.append(docs["subtopic_id"].rename("subtopic_id"))
    if group_col:
        keys.append(docs[group_col].astype(str).rename(group_col))
    return docs.groupby(keys, dropna=False, sort=True).size().rename("n").reset_index()


def group_of(counts: pd.DataFrame) -> str | None:
    """The category column a counts table was counted by, if any.

    Examples
    --------
    >>> group_of(pd.DataFrame(columns=["date", "topic_id", "subtopic_id", "venue", "n"]))
    'venue'
    """
    extra = [c for c in counts.columns if c not in ("date", "topic_id", "subtopic_id", "n")]
    return extra[0] if extra else None


def merge_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum count tables over their keys (``date, topic_id[, group]``)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["date", "topic_id", "n"])
    frame = pd.concat(parts, ignore_index=True)
    keys = [c for c in frame.columns if c != "n"]
    return frame.groupby(keys, dropna=False, sort=True)["n"].sum().reset_index()


def bottom_k(frame: pd.DataFrame, k: int = MAX_DOCS) -> pd.DataFrame:
    """The ``k`` lowest-priority rows of each (period, theme): a seeded sample that merges."""
    if frame.empty:
        return frame
    frame = frame.sort_values(["period", "topic_id", "priority", "doc_id"], kind="stable")
    return frame.groupby(["period", "topic_id"], sort=False).head(k).reset_index(drop=True)


def terms_sample(docs: pd.DataFrame, freq: str | None, k: int = MAX_DOCS,
                 seed: int = 0) -> pd.DataFrame:
    """The bottom-``k`` documents of every (period, theme), for the period terms."""
    if not freq or docs.empty:
        return pd.DataFrame(columns=SAMPLE_COLUMNS)
    title = docs["title"].fillna("").astype(str)
    text = docs["text"].fillna("").astype(str)
    frame = pd.DataFrame({"priority": stable_hash(title + "\x00" + text, seed + 2),
                          "period": period_labels(docs["date"], freq),
                          "topic_id": docs["topic_id"].to_numpy(),
                          "doc_id": docs["doc_id"].astype(str).to_numpy(),
                          "date": pd.to_datetime(docs["date"], errors="coerce").to_numpy(),
                          "title": title.to_numpy(), "text": text.to_numpy()})
    return bottom_k(frame[frame["period"] != ""], k)


def rebin_sample(sample: pd.DataFrame, freq: str, k: int = MAX_DOCS) -> pd.DataFrame:
    """A saved sample for another period length: exact when the new periods are coarser."""
    if sample.empty:
        return sample
    return bottom_k(sample.assign(period=period_labels(sample["date"], freq)), k)


def relabel(frame: pd.DataFrame, mapping: dict, excluded=()) -> pd.DataFrame:
    """Counts or sample with theme ids merged (``mapping``) and ``excluded`` ids dropped.

    A sub-theme column follows: a theme that has no sub-themes is its own sub-theme.
    """
    frame = frame[~frame["topic_id"].isin(list(excluded))]
    frame = frame.assign(topic_id=frame["topic_id"].replace(mapping).astype(np.int64))
    if "subtopic_id" in frame:
        frame = frame.assign(subtopic_id=frame["subtopic_id"].replace(mapping).astype(np.int64))
    return frame
