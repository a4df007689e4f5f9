"""Trends for documents that already carry a theme: the trend half alone, in memory."""

from __future__ import annotations

import pandas as pd

from ..errors import TrendkitError
from ..label import topic_rows
from ..result import TrendResult
from ..text import document_texts
from ..timing import Progress, StageTimer
from ..trend.coverage import coverage_column
from ..trend.options import TrendOptions
from ..trend.tables import with_periods
from .memory import aggregates, trended


def analyze_labelled(docs: pd.DataFrame, topic_col: str, *, freq: str | None = None,
                     normalize_by: str | None = None, recent: int | None = None,
                     trend: TrendOptions | None = None,
                     progress: Progress | None = None) -> TrendResult:
    """Trend tables for documents that already carry a theme (no clustering).

    Themes are numbered largest first (ties by name); their representative titles
    are those closest to each theme's centre in TF-IDF space. ``trend`` (all trend
    options as one object) overrides ``freq``, ``normalize_by`` and ``recent``.

    Examples
    --------
    >>> from trendkit import make_demo_corpus, load_frame
    >>> result = analyze_labelled(load_frame(make_demo_corpus(n_docs=300)), "true_theme")
    >>> sorted(result.topics["topic_label"])[:2]
    ['LLM serving & scheduling', 'diffusion image generation']
    """
    if topic_col not in docs.columns:
        raise TrendkitError(f"--topic-col {topic_col!r} not found; columns are: "
                            f"{', '.join(map(str, docs.columns))}")
    timer = StageTimer(progress)
    given = docs[topic_col].astype(object).where(docs[topic_col].notna(), "(none)").astype(str)
    sizes = given.value_counts(sort=False)
    order = sorted(sizes.index, key=lambda k: (-sizes[k], k))  # largest first, then by name
    ids = {label: i for i, label in enumerate(order)}
    # given labels have one level: each theme is its own finest level
    docs = docs.assign(topic_id=given.map(ids).astype(int), topic_label=given)
    docs["subtopic_id"] = docs["topic_id"]
    names = pd.DataFrame({"topic_id": range(len(order)), "topic_label": order})
    # mixed: False, given labels are the user's themes by definition
    topics = topic_rows(docs["topic_id"], docs["title"],
                        document_texts(docs["title"], docs["text"]), names)
    trend = trend or TrendOptions(freq, normalize_by, recent)
    docs, freq = with_periods(docs, trend.freq)
    trend = trend.with_freq(freq)
    group = coverage_column(docs, trend.normalize_by)
    counts, sample, facets = aggregates(docs, freq, group, trend=trend)
    return trended(docs, topics, counts, sample, trend, group_col=group, timer=timer,
                   notes=list(docs.attrs.get("notes", [])), facet_counts=facets,
                   meta={"outlier_share": None, "params": {"topic_col": topic_col}})

