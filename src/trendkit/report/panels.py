"""Small multiples: each theme's share with its interval, bursts and partial periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import figure
from .style import (
    PALETTE,
    _partial_positions,
    _pyplot,
    _shade_partial,
    _short,
    _tick_positions,
    panel_topics,
)


@figure("theme_panels", "Share per theme with intervals and bursts", position=30, cost=9,
        when=lambda r: r.has_dates, draw=lambda r: plot_theme_panels(r.theme_trends,
                                                                    r.theme_summary))
def plot_theme_panels(trends: pd.DataFrame, summary: pd.DataFrame | None = None, fig=None,
                      max_themes: int = 12):
    """Small multiples: each theme's share with its 95 % Wilson band, bursts shaded,
    partial periods hatched; every mover gets a panel (see :func:`panel_topics`)."""
    top = panel_topics(trends, summary, max_themes)
    cols = 3
    rows = int(np.ceil(len(top) / cols)) or 1
    grid, suptitle_at = {}, {}
    if fig is None:
        # Fixed margins instead of constrained layout: every panel holds the same things
        # (a title of at most two 8-pt lines, period ticks at 45°), and solving the layout
        # of 12 panels took ~1 s, a tenth of a small corpus's whole run. Inches; 0.95
        # between rows holds the ticks and the next row's titles.
        height, grid = _fixed_grid(rows, cols, width=11, panel_height=1.35, left=0.55,
                                   right=0.15, top=0.85, bottom=0.7, row_gap=0.95, col_gap=0.5)
        fig = _pyplot().figure(figsize=(11, height))
        suptitle_at = {"y": 1 - 0.12 / height, "va": "top"}  # a caller's layout engine places it
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True, gridspec_kw=grid)
    periods = trends["period"].drop_duplicates().tolist()
    partial = _partial_positions(trends)
    x = np.arange(len(periods))
    bursts = {}
    if summary is not None and "burst_periods" in summary:
        bursts = dict(zip(summary["topic_id"], summary["burst_periods"].fillna("")))
        status = dict(zip(summary["topic_id"], summary["status"]))
    for ax, topic in zip(axes.ravel(), top):
        rows_t = trends[trends["topic_id"] == topic]
        for span in str(bursts.get(topic, "") or "").split(";"):
            if span:
                a, _, b = span.partition("..")
                b = b or a
                if a in periods and b in periods:
                    ax.axvspan(periods.index(a) - 0.5, periods.index(b) + 0.5, color="#DDCC77",
                               alpha=0.45, lw=0)
        ax.fill_between(x, rows_t["share_low"], rows_t["share_high"], color=PALETTE[1],
                        alpha=0.5, lw=0)
        ax.plot(x, rows_t["share"], color=PALETTE[0], lw=1.4)
        _shade_partial(ax, partial, label=False)
        title = _short(f"{topic}: {rows_t['topic_label'].iloc[0]}", 44)
        if summary is not None:
            title += f"\n[{status.get(topic, '')}]"
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_ylim(bottom=0)
    for ax in axes.ravel()[len(top):]:
        ax.set_visible(False)
    ticks = _tick_positions(len(periods), 6)
    for ax in axes.ravel()[:len(top)]:  # every visible panel, not only the last row
        ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right", fontsize=7)
        ax.tick_params(labelbottom=True)
    fig.suptitle("Share per theme (band: 95 % Wilson interval; yellow: bursts; hatched: "
                 "partial periods)", fontsize=10, **suptitle_at)
    return fig


def _fixed_grid(rows, cols, *, width, panel_height, left, right, top, bottom, row_gap,
                col_gap):
    """Figure height and GridSpec keywords for panels, margins and gaps in inches."""
    height = top + bottom + rows * panel_height + (rows - 1) * row_gap
    panel_width = (width - left - right - (cols - 1) * col_gap) / cols
    return height, {"left": left / width, "right": 1 - right / width,
                    "top": 1 - top / height, "bottom": bottom / height,
                    "hspace": row_gap / panel_height, "wspace": col_gap / panel_width}
