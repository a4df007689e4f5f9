"""Stage 1 — load: any abstract source into one validated DataFrame.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``inputs``         paths, globs and Parquet folders as a list of files
``formats``        the input-format registry and format detection
``readers``        tabular and JSON readers; ``bibliographic``: Atom, BibTeX, pages
``schema``         raw columns onto the canonical schema (ids, text, dates)
``dedupe``         the one de-duplication rule, for frames and for partitions
``corpus``         :func:`load_corpus` and :func:`load_frame`
``partitions``     files cut into partitions for the streaming executor
``dates``, ``clean``, ``filters``, ``presets``, ``themes``, ``fetch``, ``options``
=================  ==============================================================

Names are imported on first use, so the command line can read the format registry
without loading pandas.
"""


from .._lazy import lazy_exports

# The readers register the input formats (light modules: pandas is imported on use).
from . import bibliographic, readers  # noqa: F401

_EXPORTS = {
    "load_corpus": "corpus", "load_frame": "corpus", "LoadOptions": "options",
    "read_themes": "themes", "expand_inputs": "inputs", "clean_text": "clean",
    "parse_dates": "dates", "date_precision": "dates", "date_from_arxiv_id": "dates",
    "parse_filter": "filters", "FORMATS": "formats", "format_names": "formats",
}

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
