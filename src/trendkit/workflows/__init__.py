"""One function per CLI command: read inputs or a run folder, analyse, write a run folder.

==============  =========================  ==========================================
function        command                    what it does
==============  =========================  ==========================================
``run``         ``trendkit run``           load → :func:`~trendkit.execute.analyze`
``run_labelled`` ``trendkit trends``       load → :func:`~trendkit.execute.analyze_labelled`
``rerender``    ``trendkit report``        saved run → new periods, curation, report
``assign``      ``trendkit assign``        saved run + new documents → extended run
``evaluate``    ``trendkit evaluate``      saved run → ``quality.csv`` + report
==============  =========================  ==========================================

Every workflow checks its options and output folder before any work
(:func:`_prepare`), expands its inputs with :func:`~trendkit.load.inputs.expand_inputs`
and writes through :func:`~trendkit.runs.save_run`, which is atomic: a failed or
interrupted command leaves earlier results intact. A streamed run (its documents
are not all in memory) is re-rendered and extended from its saved aggregates, its
``documents.csv`` rewritten in chunks (:mod:`trendkit.execute.documents_csv`).
"""

from .fresh import compare, run, run_labelled
from .saved import assign, evaluate, rerender

__all__ = ["assign", "compare", "evaluate", "rerender", "run", "run_labelled"]
