"""A streamed run after the fact: its documents.csv rewritten, its aggregates extended.

A streamed run does not hold its documents; what ``trendkit report`` and ``trendkit
assign`` change in it goes through its ``documents.csv`` (rewritten in chunks) and
its saved aggregates (counts, terms sample), so the result equals what the same
command gives on an in-memory run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..label.curate import Curation
from ..result import TrendResult
from ..trend.counts import (
    bottom_k,
    count_documents,
    count_facets,
    group_of,
    merge_counts,
    terms_sample,
)
from ..trend.options import TrendOptions
from .documents_csv import rewrite_documents


def rewritten_documents(saved: TrendResult, result: TrendResult, run_dir: Path,
                        target: Path, moved: dict | None = None) -> None:
    """Rewrite a streamed run's documents.csv for ``result``'s periods and curation."""
    curation = Curation.from_dict(result.meta["curation"]) if result.meta.get("curation") \
        else Curation()
    labels = {**saved.topics.set_index("topic_id")["topic_label"].to_dict(),
              **result.topics.set_index("topic_id")["topic_label"].to_dict()}
    rewrite_documents(run_dir / "documents.csv", target, result.meta.get("freq"),
                      mapping=curation.mapping(), labels=labels, excluded=curation.exclude,
                      moved=moved)


def known_ids(saved: TrendResult, run_dir: Path) -> set[str]:
    """Ids of every document in a run (a streamed run's from its documents.csv)."""
    if saved.complete:
        return set(saved.documents["doc_id"].astype(str))
    found: set[str] = set()
    for chunk in pd.read_csv(run_dir / "documents.csv", usecols=["doc_id"], dtype=str,
                             keep_default_na=False, chunksize=500_000):
        found.update(chunk["doc_id"])
    return found


def extended_aggregates(saved: TrendResult, ext, freq: str | None,
                        trend: TrendOptions = TrendOptions()):
    """A streamed run's counts, terms sample and facet counts with the new (and moved)
    documents in."""
    group = group_of(saved.counts)
    before = saved.documents.set_index(saved.documents["doc_id"].astype(str))["topic_id"]
    moved = ext.documents[ext.documents["doc_id"].astype(str).isin(ext.moved)]
    was = moved.assign(topic_id=moved["doc_id"].astype(str).map(before).astype(int))

    def extended(table, count):
        # pooled documents that founded a theme leave their provisional theme's counts
        values = [c for c in ("n", "w", "w2") if c in table]
        gone = count(was)
        gone[values] = -gone[values]
        merged = merge_counts([table, count(ext.fresh), count(moved), gone])
        return merged[merged["n"] != 0].reset_index(drop=True)

    counts = extended(saved.counts, lambda f: count_documents(f, group, trend.weight_col))
    facets = saved.facet_counts
    if facets is not None and trend.facet:
        facets = extended(facets, lambda f: count_facets(f, trend.facet, trend.weight_col))
    sample = saved.terms_sample.copy()
    if ext.moved and len(sample):
        sample["topic_id"] = sample["doc_id"].map(ext.moved).fillna(sample["topic_id"]).astype(int)
    seed = int(saved.meta.get("params", {}).get("seed", 0) or 0)
    return counts, bottom_k(pd.concat([sample, terms_sample(ext.fresh, freq, seed=seed)],
                                      ignore_index=True)), facets
