"""trendkit: named themes and tested trends in research abstracts, offline.

The pipeline, one stage per module: :mod:`~trendkit.load` → :mod:`~trendkit.embed`
→ :mod:`~trendkit.cluster` → :mod:`~trendkit.label` → :mod:`~trendkit.trend`
→ :mod:`~trendkit.report`; :mod:`~trendkit.pipeline` runs them all.

Examples
--------
>>> import trendkit
>>> docs = trendkit.load_frame(trendkit.make_demo_corpus(n_docs=300))
>>> result = trendkit.analyze(docs, use_cache=False, document_map=False)
>>> sorted(result.summary.columns)[:3]
['burst_periods', 'bursting', 'change_points']
"""

__version__ = "0.1.0"

from .cluster import ThemeClusterer  # noqa: E402
from .demo import demo_truth, make_demo_corpus  # noqa: E402
from .embed import embed  # noqa: E402
from .errors import TrendkitError  # noqa: E402
from .label import name_topics  # noqa: E402
from .load import load, load_frame  # noqa: E402
from .model import TopicModel  # noqa: E402
from .pipeline import analyze, analyze_labelled, run, run_labelled, save_run  # noqa: E402
from .report import TrendReport  # noqa: E402
from .result import TrendResult  # noqa: E402
from .trend import period_terms, topic_volume, trend_summary  # noqa: E402

__all__ = ["load", "load_frame", "embed", "ThemeClusterer", "name_topics", "TopicModel",
           "topic_volume", "trend_summary", "period_terms", "analyze", "analyze_labelled", "run",
           "run_labelled", "save_run", "TrendReport", "TrendResult", "TrendkitError",
           "make_demo_corpus", "demo_truth"]
