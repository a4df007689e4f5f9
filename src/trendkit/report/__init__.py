"""Stage 6 — report: figures, a self-contained HTML report and a Markdown summary."""

from .figures import (
                      plot_coverage,
                      plot_document_map,
                      plot_heatmap,
                      plot_share_over_time,
                      plot_slopes,
                      plot_theme_panels,
                      plot_theme_sizes,
)
from .html import TrendReport

__all__ = ["TrendReport", "plot_share_over_time", "plot_theme_sizes", "plot_theme_panels",
           "plot_heatmap", "plot_slopes", "plot_document_map", "plot_coverage"]
