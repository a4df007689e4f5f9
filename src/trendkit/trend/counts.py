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

import re

import numpy as np
import pandas as pd

from ..sampling import stable_hash
from .periods import period_labels

SAMPLE_COLUMNS = ["priority", "period", "topic_id", "doc_id", "date", "title", "text"]
MAX_DOCS = 30  # texts kept per period and theme for the period terms
MISSING = "(missing)"  # the facet value of a document with none


def count_documents(docs: pd.DataFrame, group_col: str | None = None,
                    weight_col: str | None = None) -> pd.DataFrame:
    """Documents per (day, theme[, sub-theme][, group]) as ``date, topic_id[, subtopic_id]
    [, group], n``; with ``weight_col`` (``--weight``), also ``w`` and ``w2``: the sums
    of the weights and of their squares (Kish's effective sample size needs both).

    Examples
    --------
    >>> docs = pd.DataFrame({"topic_id": [0, 0, 1], "date": pd.to_datetime(
    ...     ["2024-01-05 10:00", "2024-01-05 18:30", None])})
    >>> count_documents(docs).astype(str).values.tolist()
    [['2024-01-05', '0', '2'], [nan, '1', '1']]
    """
    keys = [_day(docs), docs["topic_id"].rename("topic_id")]
    if "subtopic_id" in docs:
        keys.append(docs["subtopic_id"].rename("subtopic_id"))
    if group_col:
        keys.append(docs[group_col].astype(str).rename(group_col))
    return _count(docs, keys, weight_col)


def _day(docs: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(docs["date"], errors="coerce").dt.floor("D").rename("date")


def _count(docs: pd.DataFrame, keys: list, weight_col: str | None) -> pd.DataFrame:
    if weight_col is None:
        return docs.groupby(keys, dropna=False, sort=True).size().rename("n").reset_index()
    w = docs[weight_col].astype(float)
    values = pd.DataFrame({"n": 1, "w": w, "w2": w * w}, index=docs.index)
    return values.groupby(keys, dropna=False, sort=True).sum().reset_index()


def facet_values(column: pd.Series) -> pd.Series:
    """Each document's facet values, one row per value (index kept): a list-valued cell
    (a list, ``"['a', 'b']"``, ``"a; b"`` or ``"a|b"``) counts once in each value.

    Examples
    --------
    >>> facet_values(pd.Series(["icra", "['cs.CV', 'cs.AI']", "x; y", None])).tolist()
    ['icra', 'cs.CV', 'cs.AI', 'x', 'y', '(missing)']
    """
    def split(cell) -> list[str]:
        if isinstance(cell, (list, tuple, np.ndarray)):
            parts = [str(v) for v in cell]
        elif cell is None or (isinstance(cell, float) and np.isnan(cell)):
            parts = []
        else:
            text = str(cell).strip()
            if text.startswith("[") and text.endswith("]"):
                text = text[1:-1]
                parts = [p.strip().strip("'\"") for p in text.split(",")]
            else:
                parts = re.split(r"\s*[;|]\s*", text)
        parts = list(dict.fromkeys(p.strip() for p in parts if p.strip()))
        return parts or [MISSING]
    return column.map(split).explode()


def count_facets(docs: pd.DataFrame, facet: str, weight_col: str | None = None) -> pd.DataFrame:
    """Documents per (day, theme, facet value): ``date, topic_id, facet_value, n[, w, w2]``.

    A document with several values counts once in each (see :func:`facet_values`).

    Examples
    --------
    >>> docs = pd.DataFrame({"topic_id": [0, 1], "venue": ["icra", "icra; iros"],
    ...                      "date": pd.to_datetime(["2024-01-05", "2024-01-05"])})
    >>> count_facets(docs, "venue")[["topic_id", "facet_value", "n"]].values.tolist()
    [[0, 'icra', 1], [1, 'icra', 1], [1, 'iros', 1]]
    """
    check_facet(docs, facet)
    values = facet_values(docs[facet])
    exploded = docs.loc[values.index].assign(facet_value=values.to_numpy()).reset_index(
        drop=True)
    keys = [_day(exploded), exploded["topic_id"], exploded["facet_value"]]
    return _count(exploded, keys, weight_col)


def check_facet(docs: pd.DataFrame, facet: str | None) -> None:
    """A clear error, before any work, for a ``--facet`` column the documents lack."""
    if facet is not None and facet not in docs.columns:
        from ..errors import TrendkitError

        raise TrendkitError(f"--facet {facet!r}: no such column; columns are: "
                            f"{', '.join(map(str, docs.columns))}")


def group_of(counts: pd.DataFrame) -> str | None:
    """The category column a counts table was counted by, if any.

    Examples
    --------
    >>> group_of(pd.DataFrame(columns=["date", "topic_id", "subtopic_id", "venue", "n"]))
    'venue'
    """
    extra = [c for c in counts.columns
             if c not in ("date", "topic_id", "subtopic_id", "n", "w", "w2")]
    return extra[0] if extra else None


def merge_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum count tables over their keys (``date, topic_id[, group]``)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["date", "topic_id", "n"])
    frame = pd.concat(parts, ignore_index=True)
    values = [c for c in ("n", "w", "w2") if c in frame]
    keys = [c for c in frame.columns if c not in values]
    return frame.groupby(keys, dropna=False, sort=True)[values].sum().reset_index()


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
