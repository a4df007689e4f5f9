"""The report's interactive charts as Vega-Lite specs: share over time, theme panels, map.

Every chart accounts for all documents: themes past the palette go into one
"other (N themes)" series with its own colour and legend entry, in the order and
colours of the static figures (:func:`~trendkit.report.style.series`), and a
drop-down lists every theme, so any theme can be picked, however small.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..sampling import sample_rows
from .evolution import evolution_spec
from .style import OTHER_COLOUR, PALETTE, Series, panel_topics, series

MAX_MAP_POINTS = 4000
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # a name, never fetched
ALL = "(all themes)"


def _names(result) -> dict:
    labels = result.topics.set_index("topic_id")["topic_label"].map(str).to_dict()
    return {t: f"{t}: {label}" for t, label in labels.items()}


def _colours(order: Series, names: dict) -> dict:
    """One colour per shown theme, grey for "other": the static figures' colours."""
    domain = [names.get(t, str(t)) for t in order.shown] + ([order.other] if order.rest else [])
    colours = [order.colour(t) for t in order.shown] + ([OTHER_COLOUR] if order.rest else [])
    return {"domain": domain, "range": colours}


def _picker(names: dict, order: list) -> dict:
    """A drop-down of every theme (by size), bound to the parameter ``focus``."""
    return {"name": "focus", "value": ALL,
            "bind": {"input": "select", "name": "Theme: ",
                     "options": [ALL, *[names.get(t, str(t)) for t in order]]}}


def chart_specs(result) -> dict[str, dict]:
    """Vega-Lite specs by element id: share over time, theme panels, document map."""
    specs, names = {}, _names(result)
    if result.has_dates:
        specs["chart-share"] = _share_spec(result.theme_trends, names)
        specs["chart-panels"] = _panels_spec(result, names)
        if not result.lineage.empty:
            specs["chart-evolution"] = evolution_spec(result, SCHEMA)
    if result.coords is not None and len(result.coords) == len(result.documents):
        specs["chart-map"] = _map_spec(result, names)
    return specs


def _share_spec(trends: pd.DataFrame, names: dict) -> dict:
    order = series(trends)
    rank = {t: i for i, t in enumerate(order.shown)}
    rows = trends.assign(
        theme=[names.get(t, str(t)) for t in trends["topic_id"]],
        series=[names.get(t, str(t)) if t in rank else order.other for t in trends["topic_id"]],
        rank=[rank.get(t, len(rank)) for t in trends["topic_id"]])
    values = rows[["period", "theme", "series", "rank", "share", "n_docs", "partial"]]
    x = {"field": "period", "type": "ordinal", "sort": None, "title": None,
         "axis": {"labelOverlap": "greedy", "labelAngle": -45}}
    stacked = {
        "transform": [{"aggregate": [{"op": "sum", "field": "share", "as": "share"},
                                     {"op": "sum", "field": "n_docs", "as": "n_docs"},
                                     {"op": "min", "field": "rank", "as": "rank"}],
                       "groupby": ["period", "series", "partial"]}],
        "params": [{"name": "pick", "select": {"type": "point", "fields": ["series"]},
                    "bind": "legend"}],
        "mark": {"type": "area", "line": True},
        "encoding": {
            "x": x,
            "y": {"field": "share", "type": "quantitative", "stack": True,
                  "scale": {"domain": [0, 1]}, "axis": {"format": "%"},
                  "title": "share of documents in period"},
            "color": {"field": "series", "type": "nominal", "scale": _colours(order, names),
                      "sort": {"field": "rank"}, "title": None,
                      "legend": {"orient": "right", "labelLimit": 260}},
            # the largest theme at the bottom, "other" on top: as the static figure stacks
            "order": {"field": "rank", "type": "quantitative", "sort": "ascending"},
            "opacity": {"condition": {"param": "pick", "value": 0.9}, "value": 0.0},
            "tooltip": [{"field": "series", "title": "theme"}, {"field": "period"},
                        {"field": "share", "format": ".1%"}, {"field": "n_docs"},
                        {"field": "partial"}]}}
    picked = {
        "transform": [{"filter": "datum.theme === focus"}],
        "mark": {"type": "line", "point": True, "color": "#000000", "strokeDash": [4, 2]},
        "encoding": {"x": x, "y": {"field": "share", "type": "quantitative"},
                     "tooltip": [{"field": "theme"}, {"field": "period"},
                                 {"field": "share", "format": ".1%"}, {"field": "n_docs"}]}}
    return {"$schema": SCHEMA, "width": "container", "height": 320,
            "data": {"values": values.to_dict("records")},
            "params": [_picker(names, order.shown + order.rest)],
            "layer": [stacked, picked]}


def _panels_spec(result, names: dict) -> dict:
    trends, summary = result.theme_trends, result.theme_summary
    panel_ids = panel_topics(trends, summary)
    status = summary.set_index("topic_id")["status"].to_dict()
    # the verdict first: a long theme name may be cut, its verdict never
    titles = {t: f"[{status.get(t, '')}] {names.get(t, t)}" for t in panel_ids}
    panels = trends[trends["topic_id"].isin(panel_ids)].copy()
    panels["theme"] = panels["topic_id"].map(titles)
    x = {"field": "period", "type": "ordinal", "sort": None, "title": None,
         "axis": {"labelOverlap": "greedy", "labelAngle": -45, "labelFontSize": 9}}
    return {
        "$schema": SCHEMA, "data": {"values": panels[
            ["period", "theme", "share", "share_low", "share_high", "n_docs",
             "partial"]].to_dict("records")},
        "facet": {"field": "theme", "type": "nominal", "title": None,
                  "sort": [titles[t] for t in panel_ids],
                  "header": {"labelLimit": 270, "labelFontSize": 11}},
        "columns": 3,
        # every panel its own axes: period labels sit under their own panel
        "resolve": {"scale": {"y": "independent"}, "axis": {"x": "independent"}},
        "spec": {"width": 250, "height": 110, "layer": [
            {"mark": {"type": "area", "opacity": 0.35, "color": PALETTE[1]},
             "encoding": {"x": x,
                          "y": {"field": "share_low", "type": "quantitative", "title": None},
                          "y2": {"field": "share_high"}}},
            {"mark": {"type": "line", "point": True, "color": PALETTE[0]},
             "encoding": {"x": x,
                          "y": {"field": "share", "type": "quantitative",
                                "axis": {"format": "%"}},
                          "opacity": {"condition": {"test": "datum.partial", "value": 0.35},
                                      "value": 1},
                          "tooltip": [{"field": "period"},
                                      {"field": "share", "format": ".1%"},
                                      {"field": "n_docs"}, {"field": "partial"}]}}]}}


def _map_spec(result, names: dict) -> dict:
    coords = np.asarray(result.coords, dtype=float)
    docs = result.documents
    index = sample_rows(np.flatnonzero(np.isfinite(coords).all(axis=1)), MAX_MAP_POINTS)
    order = series(result.themes)
    topic = docs["topic_id"].to_numpy()[index]
    points = pd.DataFrame({
        "x": coords[index, 0].round(3), "y": coords[index, 1].round(3),
        "theme": [names.get(t, str(t)) for t in topic],
        "series": [names.get(t, str(t)) if t in order.shown else order.other for t in topic],
        "title": docs["title"].astype(str).str.slice(0, 90).to_numpy()[index]})
    shown = "(focus === '{all}' || datum.theme === focus)".format(all=ALL)
    return {"$schema": SCHEMA, "width": "container", "height": 460,
            "data": {"values": points.to_dict("records")},
            "params": [{"name": "zoom", "select": "interval", "bind": "scales"},
                       {"name": "pick", "select": {"type": "point", "fields": ["series"]},
                        "bind": "legend"},
                       _picker(names, order.shown + order.rest)],
            "mark": {"type": "circle", "size": 14},
            "encoding": {"x": {"field": "x", "type": "quantitative", "axis": None},
                         "y": {"field": "y", "type": "quantitative", "axis": None},
                         "color": {"field": "series", "type": "nominal", "title": None,
                                   "scale": _colours(order, names),
                                   "legend": {"labelLimit": 260}},
                         "opacity": {"condition": {"test": {"and": [{"param": "pick"}, shown]},
                                                   "value": 0.7}, "value": 0.03},
                         "tooltip": [{"field": "title"}, {"field": "theme"}]}}
