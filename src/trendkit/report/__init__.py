"""Stage 6 — report: figures, a self-contained HTML report and a Markdown summary.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``registry``       the figure registry: every figure declared once
``style``          colours, labels, ticks every figure shares
``figures``        the plot functions; ``panels``: the theme small multiples;
                   ``evolution``: the thematic-evolution map; ``analyst``: facets,
                   forecasts and two corpora compared
``render``         figures to PNG/SVG, on two cores where safe
``interactive``    Vega-Lite charts and document lists, offline and CSP-safe
``sentences``      verdicts in words
``html``           the HTML page; ``markdown``: the Markdown summary
``trend_report``   :class:`TrendReport`, which ties them together
=================  ==============================================================
"""

from .analyst import plot_compare, plot_facets, plot_forecast
from .evolution import plot_evolution
from .figures import (
    plot_coverage,
    plot_document_map,
    plot_heatmap,
    plot_share_over_time,
    plot_slopes,
    plot_theme_sizes,
)
from .panels import plot_theme_panels
from .trend_report import TrendReport

__all__ = ["TrendReport", "plot_share_over_time", "plot_theme_sizes", "plot_theme_panels",
           "plot_heatmap", "plot_slopes", "plot_document_map", "plot_coverage", "plot_evolution",
           "plot_facets", "plot_forecast", "plot_compare"]
