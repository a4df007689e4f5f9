"""trendkit: named themes and tested trends in research abstracts, offline.

The pipeline, one stage package each: :mod:`~trendkit.load` → :mod:`~trendkit.embed`
→ :mod:`~trendkit.cluster` → :mod:`~trendkit.label` → :mod:`~trendkit.trend`
→ :mod:`~trendkit.report`. :mod:`~trendkit.execute` runs the stages, in memory or per
partition; :mod:`~trendkit.workflows` adds reading inputs and writing run folders
(one function per CLI command).

Glossary: identifiers say *topic* (``topic_id``, ``TopicModel``), user-facing
text says *theme*; ``themes=`` means *declared* themes (seed phrases).

Names are imported on first use, so ``import trendkit`` (and ``trendkit --help``)
stays fast and never loads matplotlib, UMAP, HDBSCAN or PyTorch.

Examples
--------
>>> import trendkit
>>> docs = trendkit.load_frame(trendkit.make_demo_corpus(n_docs=300))
>>> result = trendkit.analyze(docs, cache=False, document_map=False)
>>> sorted(result.summary.columns)[:4]
['burst_check_coverage', 'burst_periods', 'bursting', 'change_period']
"""


from ._lazy import lazy_exports
from ._version import __version__
from .errors import TrendkitError

# public name -> module that defines it
_EXPORTS = {
    "load_corpus": "load.corpus", "load_frame": "load.corpus", "LoadOptions": "load.options",
    "read_themes": "load.themes", "embed_texts": "embed.api", "ThemeClusterer": "cluster",
    "name_topics": "label", "TopicModel": "model", "topic_volume": "trend",
    "trend_summary": "trend", "period_terms": "trend", "analyze": "execute",
    "analyze_labelled": "execute", "retrend": "execute", "run": "workflows",
    "run_labelled": "workflows", "compare": "workflows", "save_run": "runs", "read_run": "runs",
    "TrendReport": "report", "TrendResult": "result", "TrendOptions": "trend.options",
    "make_demo_corpus": "demo",
    "demo_truth": "demo", "from_bertopic": "bertopic_bridge", "to_bertopic": "bertopic_bridge",
}

__all__ = ["__version__", "TrendkitError", *_EXPORTS]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
