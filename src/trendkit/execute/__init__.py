"""One pipeline, two executors: the stages run in memory, or per partition.

==================  ================================================================
module              what it holds
==================  ================================================================
``choose``          stream or not: the one place an executor is chosen
``memory``          the in-memory executor: :func:`fit_themes` (embed → cluster →
                    label) and the shared trend tail, :func:`trended`
``partitioned``     the partitioned executor: scan, plan, fit on a sample, assign and
                    aggregate every partition (``passes``, ``plan``), in this process
                    or on Dask (``engines``)
``labelled``        the trend half for documents that carry their theme
``retrend``         the trend half again: new periods, new documents, a curation
``update``          new documents into a finished run's themes, and new themes
==================  ================================================================

Both executors call the same stage functions and reduce documents to the same
aggregates (:mod:`trendkit.trend.counts`), so their tables agree wherever the fit
sample covers the input.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ..cache import CacheLike
from ..embed.registry import DEFAULT as DEFAULT_EMBEDDING
from ..load.weights import with_weights
from ..result import TrendResult
from ..timing import Progress
from ..trend.options import TrendOptions
from .choose import streaming
from .labelled import analyze_labelled
from .memory import analyze_in_memory
from .partitioned import stream_frame
from .retrend import retrend

__all__ = ["analyze", "analyze_labelled", "retrend", "streaming"]


def analyze(docs: pd.DataFrame, *, embedding: str = DEFAULT_EMBEDDING,
            min_topic_size: int | None = None, n_topics: int | None = None,
            keep_outliers: bool = False, freq: str | None = None,
            normalize_by: str | None = None, recent: int | None = None,
            trend: TrendOptions | None = None, seed: int = 0,
            cache: CacheLike = None,
            use_cache: bool = True, document_map: bool = True,
            themes: dict[str, list[str]] | None = None,
            theme_threshold: float = 0.3, progress: Progress | None = None,
            embed_progress: Callable[[int, int], None] | None = None,
            engine: str = "single", fit_sample: int | None = None,
            scheduler: str | None = None) -> TrendResult:
    """Discover themes in a canonical DataFrame and analyse their trends.

    Parameters
    ----------
    docs : pandas.DataFrame
        From :func:`trendkit.load_corpus` / :func:`trendkit.load_frame`.
    embedding, min_topic_size, n_topics, keep_outliers, themes, theme_threshold
        See :class:`trendkit.TopicModel`.
    freq : {"day", "week", "month", "quarter", "year"}, optional
        Chosen from the date span when omitted.
    normalize_by : str, optional
        Category/source column: shares within the categories each theme lives
        in, so changes in what was collected do not pass for trends.
    recent : int, optional
        Test only the last ``recent`` complete periods: the verdict is about them.
    trend : TrendOptions, optional
        Every trend setting as one object (``freq``, ``normalize_by`` and ``recent`` given
        here win over it): facets, weights, forecasts (see
        :class:`~trendkit.trend.options.TrendOptions`). A ``weight`` column is read from
        ``docs`` as ``--weight`` reads it (:func:`~trendkit.load.weights.with_weights`).
    seed : int, default 0
    cache : None, path, Cache or False
        Embedding and cluster cache (default location when None); ``use_cache=False``
        is the same as ``cache=False``.
    document_map : bool, default True
        Compute 2-D map coordinates for the document-map figure.
    engine : {"single", "dask"}; fit_sample : int, optional; scheduler : str, optional
        Partitioned: fit on a period-stratified sample (default 50,000) and assign
        every document in partitions, here or on Dask (see
        :mod:`trendkit.execute.partitioned`).

    Returns
    -------
    TrendResult

    Examples
    --------
    >>> from trendkit import make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False, document_map=False)
    >>> len(result.documents), bool(result.documents["topic_id"].ge(0).all())
    (300, True)
    >>> asked = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False,
    ...                 document_map=False, trend=TrendOptions(horizon=2))
    >>> bool(asked.forecast.groupby("topic_id").size().eq(2).all())
    True
    """
    cache = cache if use_cache else False
    fit = dict(embedding=embedding, min_topic_size=min_topic_size, n_topics=n_topics,
               keep_outliers=keep_outliers, themes=themes, theme_threshold=theme_threshold,
               cache=cache)
    trend = (trend or TrendOptions()).updated(freq=freq, normalize_by=normalize_by,
                                              recent=recent)
    if trend.weight and "weight" not in docs:
        docs = with_weights(docs, trend.weight)
    if streaming(fit_sample=fit_sample, engine=engine):
        return stream_frame(docs, fit_sample=fit_sample, engine=engine, scheduler=scheduler,
                            trend=trend, seed=seed, progress=progress, **fit)
    return analyze_in_memory(docs, trend, seed=seed, progress=progress,
                             document_map=document_map,
                             embed_progress=embed_progress, **fit)
