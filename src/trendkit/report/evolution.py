"""The thematic-evolution map: sub-themes per era, and which took over from which.

One row per sub-theme that is part of a lineage (:mod:`trendkit.trend.lineage`), grouped
by theme: a bar over its era (where its share stands at 30 % of its peak or more), a dot
at its peak, and an arrow from each predecessor to its successor at the period the
successor took the lead. Static here; :func:`evolution_spec` is the interactive twin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..trend.lineage import eras
from .registry import figure
from .style import PALETTE, _axes, _short, _tick_positions


def evolution_rows(result) -> pd.DataFrame:
    """The figure's rows: ``topic_id, label, parent_id, start, peak, end, row`` (x as indices)."""
    links = result.lineage
    ids = sorted(set(links["from_topic"]) | set(links["to_topic"]))
    found = eras(result.trends, ids)
    periods = (result.trends.loc[~result.trends["partial"].astype(bool), "period"]
               .drop_duplicates().sort_values().tolist())
    where = {p: i for i, p in enumerate(periods)}
    topics = result.topics.set_index("topic_id")
    found["label"] = [_short(f"{t}: {topics.loc[t, 'topic_label']}", 44) for t in found["topic_id"]]
    found["parent_id"] = [int(topics.loc[t, "parent_id"]) for t in found["topic_id"]]
    for column in ("start", "peak", "end"):
        found[column + "_x"] = found[column].map(where)
    found = found.sort_values(["parent_id", "peak_x", "topic_id"], kind="stable")
    found["row"] = np.arange(len(found)) + found["parent_id"].rank(method="dense").to_numpy() - 1
    found.attrs["periods"] = periods
    return found.reset_index(drop=True)


@figure("evolution", "Thematic evolution: sub-themes that took over from each other",
        position=45, cost=5, when=lambda r: r.has_dates and not r.lineage.empty,
        draw=lambda r: plot_evolution(r))
def plot_evolution(result, ax=None):
    """Each lineage sub-theme's share over time as a ridge (scaled to its own peak),
    grouped by theme, with arrows from predecessor to successor where it took the lead."""
    rows = evolution_rows(result)
    periods = rows.attrs["periods"]
    trends = result.trends[~result.trends["partial"].astype(bool)]
    wide = trends[trends["topic_id"].isin(rows["topic_id"])].pivot_table(
        index="period", columns="topic_id", values="share", sort=True).reindex(periods)
    level = wide.rolling(3, center=True, min_periods=1).mean().fillna(0)
    groups = rows["parent_id"].nunique()
    ax = _axes(ax, size=(11, 0.5 * (rows["row"].max() + 1) + 0.45 * groups + 1.4))
    colours = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(rows["parent_id"].unique())}
    names = result.topics.set_index("topic_id")["topic_label"]
    x = np.arange(len(periods))
    y = {}
    for row in rows.itertuples():
        base = -row.row - 0.45 * (rows["parent_id"].rank(method="dense")[row.Index] - 1)
        y[row.topic_id] = base
        values = level[row.topic_id].to_numpy()
        ridge = base + 0.85 * values / max(values.max(), 1e-12)
        colour = colours[row.parent_id]
        ax.fill_between(x, base, ridge, color=colour, alpha=0.45, lw=0)
        ax.plot(x, ridge, color=colour, lw=1)
        ax.plot(row.peak_x, ridge[row.peak_x], "o", color=colour, ms=4)
        ax.text(len(periods) - 0.4, base + 0.3, row.label, va="center", fontsize=7)
    for parent, first in rows.groupby("parent_id")["topic_id"].first().items():
        ax.text(-0.5, y[first] + 1.02, _short(f"theme {parent}: {names.get(parent, '')}", 60),
                fontsize=8, fontweight="bold", va="bottom")
    x_of = {p: i for i, p in enumerate(periods)}
    for link in result.lineage.itertuples():
        if link.from_topic in y and link.to_topic in y:
            at = x_of.get(str(link.period), 0)
            ax.annotate("", xy=(at, y[link.to_topic] + 0.45), xytext=(at, y[link.from_topic]),
                        arrowprops=dict(arrowstyle="->", color="#333333", lw=1.2))
    ticks = _tick_positions(len(periods))
    ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right", fontsize=7)
    ax.set_xlim(-0.8, len(periods) + 0.45 * len(periods))  # room for the labels
    ax.set_ylim(min(y.values()) - 0.3, max(y.values()) + 1.5)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_title("Thematic evolution: each sub-theme's share (scaled to its own peak, dot); "
                 "arrow: the successor takes the lead", fontsize=10)
    return ax


def evolution_spec(result, schema: str) -> dict:
    """The same map as a Vega-Lite spec (bars, peaks and takeover links)."""
    rows = evolution_rows(result)
    periods = rows.attrs["periods"]
    labels = dict(zip(rows["topic_id"], rows["label"]))
    links = [{"period": str(x.period), "from": labels[x.from_topic], "to": labels[x.to_topic],
              "shared": x.shared_terms, "strength": x.strength}
             for x in result.lineage.itertuples()
             if x.from_topic in labels and x.to_topic in labels]
    x = {"type": "ordinal", "sort": periods, "scale": {"domain": periods}, "title": None,
         "axis": {"labelOverlap": "greedy", "labelAngle": -45}}
    y = {"field": "label", "type": "nominal", "sort": rows["label"].tolist(), "title": None,
         "axis": {"labelLimit": 320}}
    theme = {"field": "theme", "type": "nominal", "title": "theme"}
    bars = rows.assign(theme=rows["parent_id"].astype(str))[
        ["label", "theme", "start", "peak", "end", "share_peak"]].to_dict("records")
    return {"$schema": schema, "width": "container", "height": 22 * len(rows) + 40,
            "layer": [
                {"data": {"values": bars}, "mark": {"type": "bar", "opacity": 0.5},
                 "encoding": {"x": {**x, "field": "start"}, "x2": {"field": "end"}, "y": y,
                              "color": theme,
                              "tooltip": [{"field": "label"}, {"field": "start"},
                                          {"field": "peak"}, {"field": "end"},
                                          {"field": "share_peak", "format": ".1%"}]}},
                {"data": {"values": bars}, "mark": {"type": "point", "filled": True},
                 "encoding": {"x": {**x, "field": "peak"}, "y": y, "color": theme}},
                {"data": {"values": links}, "mark": {"type": "rule", "strokeWidth": 2},
                 "encoding": {"x": {**x, "field": "period"},
                              "y": {**y, "field": "from"}, "y2": {"field": "to"},
                              "tooltip": [{"field": "from"}, {"field": "to"},
                                          {"field": "period"}, {"field": "shared"},
                                          {"field": "strength", "format": ".2f"}]}}]}
