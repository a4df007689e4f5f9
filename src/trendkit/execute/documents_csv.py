"""A streamed run's ``documents.csv``: written as documents are assigned, rewritten in chunks.

A streamed run never holds all its documents, so its ``documents.csv`` is the record
of every document's theme: written row by row, and rewritten chunk by chunk when the
run is re-binned, curated or extended. Rows look exactly as an in-memory run writes
them (same columns, date format and quoting).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..result import DOCUMENT_COLUMNS
from ..trend.periods import period_labels


def document_rows(frame: pd.DataFrame, freq: str | None) -> str:
    """``documents.csv`` rows (no header) of assigned documents, as every run writes them."""
    frame = frame.assign(period=(period_labels(frame["date"], freq) if freq
                                 else np.full(len(frame), "", dtype=object)))
    rows = frame[DOCUMENT_COLUMNS].copy()
    rows["date"] = pd.to_datetime(rows["date"], errors="coerce").dt.strftime("%Y-%m-%d")
    return rows.to_csv(index=False, header=False, lineterminator="\n")


def rewrite_documents(source: Path, target: Path, freq: str | None, *, mapping: dict,
                      labels: dict, excluded=(), moved: dict | None = None,
                      chunk_rows: int = 200_000) -> int:
    """A streamed run's ``documents.csv`` with new periods and themes, read in chunks.

    ``mapping`` merges theme ids, ``excluded`` ids leave, ``moved`` gives documents a
    new theme by id (pooled documents that founded a theme), ``labels`` names every
    theme. Rows are written as every run writes them. Returns the rows written.
    """
    moved = {str(k): v for k, v in (moved or {}).items()}
    written = 0
    with open(target, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(DOCUMENT_COLUMNS) + "\n")
        for chunk in pd.read_csv(source, dtype=str, keep_default_na=False,
                                 chunksize=chunk_rows):
            topic = chunk["topic_id"].astype(int)
            if moved:
                topic = chunk["doc_id"].map(moved).fillna(topic).astype(int)
            topic = topic.replace(mapping)
            sub = chunk.get("subtopic_id", chunk["topic_id"]).astype(int)
            if moved:  # a pooled document that founded a theme is that theme at both levels
                sub = chunk["doc_id"].map(moved).fillna(sub).astype(int)
            sub = sub.replace(mapping)
            chunk = chunk.assign(topic_id=topic, subtopic_id=sub)[~topic.isin(list(excluded))]
            chunk["topic_label"] = chunk["topic_id"].map(labels)
            chunk["period"] = period_labels(chunk["date"], freq) if freq else ""
            chunk[DOCUMENT_COLUMNS].to_csv(out, index=False, header=False, lineterminator="\n")
            written += len(chunk)
    return written
