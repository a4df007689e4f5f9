"""Plot functions: DataFrame in, matplotlib Axes out, no file I/O.

Each registers itself as a report figure (:mod:`trendkit.report.registry`); the
theme panels live in :mod:`trendkit.report.panels`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..sampling import sample_rows
from .registry import figure
from .style import (
    OTHER_COLOUR,
    PALETTE,
    _axes,
    _partial_positions,
    _shade_partial,
    _short,
    _tick_positions,
    _top_topics,
    series,
)


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def dated(result) -> bool:
    """The figure needs periods."""
    return result.has_dates


@figure("share_over_time", "Theme share over time", position=20, cost=3, when=dated,
        draw=lambda r: plot_share_over_time(r.theme_trends))
def plot_share_over_time(trends: pd.DataFrame, ax=None):
    """Stacked share of each theme per period (top themes, the rest as "other").

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2024-01", "2024-01", "2024-02", "2024-02"],
    ...     "topic_id": [0, 1, 0, 1], "topic_label": ["a", "b", "a", "b"],
    ...     "n_docs": [3, 1, 2, 2], "share": [.75, .25, .5, .5]})
    >>> plot_share_over_time(t).get_ylabel()
    'share of documents in period'
    """
    ax = _axes(ax)
    periods = trends["period"].drop_duplicates().tolist()
    order = series(trends)
    wide = trends.pivot_table(index="period", columns="topic_id", values="share",
                              aggfunc="sum", sort=False).reindex(periods).fillna(0)
    labels = trends.drop_duplicates("topic_id").set_index("topic_id")["topic_label"]
    values = [wide[t].to_numpy() for t in order.shown]
    names = [_short(f"{t}: {labels[t]}") for t in order.shown]
    colours = [order.colour(t) for t in order.shown]
    if order.rest:
        values.append(wide[order.rest].sum(axis=1).to_numpy())
        names.append(order.other)
        colours.append(OTHER_COLOUR)
    x = np.arange(len(periods))
    ax.stackplot(x, np.vstack(values), labels=names, colors=colours, alpha=0.9, linewidth=0.3,
                 edgecolor="white")
    ticks = _tick_positions(len(periods))
    ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right")
    ax.set_xlim(0, max(len(periods) - 1, 1))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(_percent())
    _shade_partial(ax, _partial_positions(trends))
    ax.set_ylabel("share of documents in period")
    ax.set_title("Theme share over time")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


@figure("theme_sizes", "Theme sizes", position=60, cost=4,
        draw=lambda r: plot_theme_sizes(r.themes))
def plot_theme_sizes(topics: pd.DataFrame, ax=None, max_themes: int = 30):
    """Horizontal bars of documents per theme, largest on top."""
    shown = topics.sort_values("n_docs", ascending=False, kind="stable").head(max_themes)
    ax = _axes(ax, size=(9, 0.32 * len(shown) + 1.2))
    y = np.arange(len(shown))[::-1]
    ax.barh(y, shown["n_docs"], color=PALETTE[0])
    ax.set_yticks(y, [_short(f"{i}: {label}", 50) for i, label in
                      zip(shown["topic_id"], shown["topic_label"])], fontsize=8)
    for yi, n in zip(y, shown["n_docs"]):
        ax.text(n, yi, f" {n:,}", va="center", fontsize=7)
    ax.set_xlabel("documents")
    ax.set_title("Theme sizes")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@figure("coverage", "Coverage: documents per period", position=10, cost=2,
        when=lambda r: r.has_dates and not r.coverage.empty,
        draw=lambda r: plot_coverage(r.coverage))
def plot_coverage(coverage: pd.DataFrame, ax=None):
    """Documents per period, partial periods hatched, collection changes marked.

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["2024-01", "2024-02", "2024-03"], "n_docs": [10, 30, 31],
    ...                   "partial": [False, False, True], "change": [False, True, False],
    ...                   "detail": ["", "source: b.csv starts", ""]})
    >>> plot_coverage(c).get_ylabel()
    'documents'
    """
    ax = _axes(ax, size=(10, 3.2))
    periods = coverage["period"].tolist()
    x = np.arange(len(periods))
    partial = coverage["partial"].astype(bool).to_numpy()
    ax.bar(x[~partial], coverage["n_docs"].to_numpy()[~partial], color=PALETTE[1])
    ax.bar(x[partial], coverage["n_docs"].to_numpy()[partial], color="white", hatch="///",
           edgecolor="#999999", label="partial period")
    for i in np.flatnonzero(coverage["change"].astype(bool).to_numpy()):
        ax.axvline(i - 0.5, color="#CC3311", lw=1.5)
        ax.text(i - 0.4, 0.97, _short(f"{periods[i]}: {coverage['detail'].iloc[i]}", 60),
                transform=ax.get_xaxis_transform(), fontsize=7, color="#CC3311", va="top",
                rotation=90)
    ticks = _tick_positions(len(periods))
    ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel("documents")
    ax.set_title("Coverage: documents per period (red: the collection changed)")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@figure("heatmap", "Theme × period heatmap", position=50, cost=8, when=dated,
        draw=lambda r: plot_heatmap(r.theme_trends))
def plot_heatmap(trends: pd.DataFrame, ax=None, max_themes: int = 30):
    """Theme × period heatmap of shares."""
    top = _top_topics(trends, max_themes)
    periods = trends["period"].drop_duplicates().tolist()
    wide = (trends[trends["topic_id"].isin(top)]
            .pivot_table(index="topic_id", columns="period", values="share", sort=False)
            .reindex(index=top, columns=periods))
    labels = trends.drop_duplicates("topic_id").set_index("topic_id")["topic_label"]
    ax = _axes(ax, size=(11, 0.3 * len(top) + 1.8))
    image = ax.imshow(wide.to_numpy(), aspect="auto", cmap="viridis", interpolation="nearest")
    ax.set_yticks(np.arange(len(top)), [_short(f"{t}: {labels[t]}", 44) for t in top], fontsize=7)
    ticks = _tick_positions(len(periods))
    ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right", fontsize=7)
    ax.figure.colorbar(image, ax=ax, label="share", shrink=0.8)
    ax.set_title("Theme share by period")
    return ax


@figure("slopes", "Emerging and declining themes", position=40, cost=6,
        when=lambda r: r.has_dates and r.summary["slope"].notna().any(),
        draw=lambda r: plot_slopes(r.theme_summary))
def plot_slopes(summary: pd.DataFrame, ax=None, max_themes: int = 30):
    """Theil–Sen slope of each theme's share with its interval, coloured by status."""
    shown = summary.dropna(subset=["slope"]).copy()
    shown = shown.reindex(shown["slope"].abs().sort_values(ascending=False).index).head(max_themes)
    shown = shown.sort_values("slope")
    ax = _axes(ax, size=(9, 0.3 * len(shown) + 1.5))
    colours = {"emerging": "#117733", "revived": "#44AA99", "new": "#332288",
               "peaked": "#AA4499", "declining": "#CC6677"}
    y = np.arange(len(shown))
    for yi, (_, row) in zip(y, shown.iterrows()):
        colour = colours.get(row["status"], "#888888")
        ax.plot([row["slope_low"], row["slope_high"]], [yi, yi], color=colour, lw=2, alpha=0.6)
        ax.plot(row["slope"], yi, "o", color=colour)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [_short(f"{t}: {label}", 56) for t, label in
                      zip(shown["topic_id"], shown["topic_label"])], fontsize=7)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", color=c, label=name) for name, c in
               [*colours.items(), ("stable / other", "#888888")]]
    ax.legend(handles=handles, fontsize=7, loc="lower right", frameon=False)
    ax.set_xlabel("change in share per period (Theil–Sen, 95 % interval)")
    ax.set_title("Emerging and declining themes")
    return ax


@figure("document_map", "Document map", position=70, cost=1, svg=False,
        when=lambda r: r.coords is not None and len(r.coords) == len(r.documents),
        draw=lambda r: plot_document_map(r.coords, r.documents["topic_id"].to_numpy(),
                                         r.themes))
def plot_document_map(coords: np.ndarray, labels: np.ndarray, topics: pd.DataFrame, ax=None,
                      max_points: int = 20000, random_state: int = 0):
    """2-D map of documents coloured by theme, with labelled centroids."""
    ax = _axes(ax, size=(9, 7))
    index = sample_rows(len(labels), max_points, random_state)
    order = series(topics)  # the interactive map's colours too
    top = order.shown
    colours = [order.colour(labels[i]) for i in index]
    size = 4 if len(index) > 5000 else 12
    ax.scatter(coords[index, 0], coords[index, 1], c=colours, s=size, alpha=0.6, linewidths=0)
    names = topics.set_index("topic_id")["topic_label"]
    for topic in top:
        members = labels == topic
        if np.isfinite(coords[members]).any():
            cx, cy = np.nanmedian(coords[members], axis=0)
            ax.annotate(_short(f"{topic}: {names[topic]}", 30), (cx, cy), fontsize=7,
                        ha="center",
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", alpha=0.8, lw=0))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("Document map (2-D projection, coloured by theme)")
    return ax


