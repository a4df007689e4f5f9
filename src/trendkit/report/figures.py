"""Plot functions: DataFrame in, matplotlib Axes out, no file I/O.

Colours are Paul Tol's colour-blind-safe "muted" scheme; beyond nine themes
the smallest are grouped as "other" so a figure stays readable on A4.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd

from ..sampling import sample_rows

PALETTE = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
           "#882255", "#AA4499"]
OTHER_COLOUR = "#BBBBBB"
MAX_SERIES = len(PALETTE)


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _pyplot():
    # Imported on first drawing, not at `import trendkit`: pyplot is slow to import and
    # picks a GUI backend; the CLI and servers only ever write files.
    import matplotlib.pyplot as plt

    return plt


def _axes(ax, size=(10, 5)):
    if ax is None:
        _, ax = _pyplot().subplots(figsize=size, layout="constrained")
    return ax


def _top_topics(trends: pd.DataFrame, k: int = MAX_SERIES) -> list:
    sizes = trends.groupby("topic_id", sort=False)["n_docs"].sum().sort_values(
        ascending=False, kind="stable")
    return sizes.index[:k].tolist()


def _tick_positions(n: int, max_ticks: int = 12) -> np.ndarray:
    return np.arange(0, n, max(1, int(np.ceil(n / max_ticks))))


def _partial_positions(trends: pd.DataFrame) -> list[int]:
    if "partial" not in trends:
        return []
    flags = trends.drop_duplicates("period")["partial"].astype(bool).to_numpy()
    return np.flatnonzero(flags).tolist()


def _shade_partial(ax, positions: list[int], label: bool = True) -> None:
    """Hatch first/last periods the data only partly covers: their shares are not comparable."""
    for i in positions:
        ax.axvspan(i - 0.5, i + 0.5, facecolor="white", alpha=0.55, hatch="///",
                   edgecolor="#999999", lw=0, zorder=3)
        if label:
            ax.text(i, 0.98, "partial", transform=ax.get_xaxis_transform(), ha="center",
                    va="top", fontsize=6, color="#555555", zorder=4)


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
    top = _top_topics(trends)
    wide = trends.pivot_table(index="period", columns="topic_id", values="share",
                              aggfunc="sum", sort=False).reindex(periods).fillna(0)
    labels = trends.drop_duplicates("topic_id").set_index("topic_id")["topic_label"]
    series = [wide[t].to_numpy() for t in top]
    names = [_short(f"{t}: {labels[t]}") for t in top]
    colours = PALETTE[: len(top)]
    rest = [c for c in wide.columns if c not in top]
    if rest:
        series.append(wide[rest].sum(axis=1).to_numpy())
        names.append(f"other ({len(rest)} themes)")
        colours = colours + [OTHER_COLOUR]
    x = np.arange(len(periods))
    ax.stackplot(x, np.vstack(series), labels=names, colors=colours, alpha=0.9, linewidth=0.3,
                 edgecolor="white")
    ticks = _tick_positions(len(periods))
    ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right")
    ax.set_xlim(0, max(len(periods) - 1, 1))
    ax.set_ylim(0, 1)
    _shade_partial(ax, _partial_positions(trends))
    ax.set_ylabel("share of documents in period")
    ax.set_title("Theme share over time")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


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


def panel_topics(trends: pd.DataFrame, summary: pd.DataFrame | None = None,
                 max_themes: int = 12) -> list:
    """Every mover (new, emerging, declining, faded) first, then the largest themes up to
    ``max_themes``: a theme the report calls a trend always gets its panel."""
    movers = []
    if summary is not None and "status" in summary:
        order = {"new": 0, "emerging": 1, "declining": 2, "faded": 3}
        moving = summary[summary["status"].isin(order)]
        moving = moving.assign(rank=moving["status"].map(order)).sort_values(
            ["rank", "n_docs"], ascending=[True, False], kind="stable")
        movers = moving["topic_id"].tolist()
    rest = [t for t in _top_topics(trends, len(trends)) if t not in movers]
    return movers + rest[:max(0, max_themes - len(movers))]


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


def plot_slopes(summary: pd.DataFrame, ax=None, max_themes: int = 30):
    """Theil–Sen slope of each theme's share with its interval, coloured by status."""
    shown = summary.dropna(subset=["slope"]).copy()
    shown = shown.reindex(shown["slope"].abs().sort_values(ascending=False).index).head(max_themes)
    shown = shown.sort_values("slope")
    ax = _axes(ax, size=(9, 0.3 * len(shown) + 1.5))
    colours = {"emerging": "#117733", "declining": "#CC6677", "new": "#332288"}
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


def plot_document_map(coords: np.ndarray, labels: np.ndarray, topics: pd.DataFrame, ax=None,
                      max_points: int = 20000, random_state: int = 0):
    """2-D map of documents coloured by theme, with labelled centroids."""
    ax = _axes(ax, size=(9, 7))
    index = sample_rows(len(labels), max_points, random_state)
    top = topics.sort_values("n_docs", ascending=False)["topic_id"].head(MAX_SERIES).tolist()
    colour_of = {t: PALETTE[i] for i, t in enumerate(top)}
    colours = [colour_of.get(labels[i], OTHER_COLOUR) for i in index]
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


@contextmanager
def frozen_layout(fig, solve: bool):
    """Draw ``fig`` with its layout as solved (once more first if ``solve``), not re-solved.

    With a layout engine set, matplotlib's savefig draws twice and solves the constrained
    layout in both draws; frozen, a PNG or SVG costs one draw. The engine comes back after.
    """
    engine = fig.get_layout_engine()
    if engine is not None:
        if solve:
            fig.draw_without_rendering()
        fig.set_layout_engine(None)
    try:
        yield fig
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
