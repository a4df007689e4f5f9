"""The report's answers to the questions asked next: by facet, two corpora, forecasts.

Three figures (facet panels, forecast continuations, the comparison's diverging bars)
and the sections the HTML and Markdown renderers show for them: each a title, one
paragraph and a table, built here once (:func:`sections`) and escaped by the renderer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..trend.facets import facet_sentences
from ..trend.summary import MOVERS
from .registry import figure
from .style import PALETTE, _axes, _pyplot, _short, _tick_positions


def _facet_topics(result, k: int = 9) -> list:
    """Themes whose verdict differs between facet values first, then the largest."""
    table = result.facet_trends
    differs = table.groupby("topic_id")["status"].nunique() > 1
    sizes = result.themes.set_index("topic_id")["n_docs"]
    order = sorted(sizes.index, key=lambda t: (not differs.get(t, False), -sizes[t]))
    return order[:k]


def _small_multiples(n: int, panel_height: float, sharex: bool = False) -> tuple:
    """A figure of ``n`` panels three to a row (the unused ones hidden), and those panels."""
    rows = int(np.ceil(n / 3)) or 1
    fig = _pyplot().figure(figsize=(11, 1.2 + panel_height * rows), layout="constrained")
    axes = fig.subplots(rows, 3, squeeze=False, sharex=sharex).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _period_axis(ax, periods: list) -> None:
    ticks = _tick_positions(len(periods), 6)
    ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right", fontsize=7)
    ax.tick_params(labelsize=7)


@figure("facets", "Share per theme within each facet value", position=32, cost=6,
        when=lambda r: r.has_dates and not r.facets.empty, draw=lambda r: plot_facets(r))
def plot_facets(result, max_themes: int = 9):
    """Small multiples: each theme's share over time, one line per facet value."""
    facets = result.facets
    if "partial" in facets:  # as on every other share figure: complete periods only
        facets = facets[~facets["partial"].astype(bool)]
    values = facets.groupby("facet_value")["n_docs"].sum().sort_values(ascending=False)
    values = list(values.index[:len(PALETTE)])
    status = result.facet_trends.set_index(["topic_id", "facet_value"])["status"]
    top = _facet_topics(result, max_themes)
    fig, axes = _small_multiples(len(top), 2.3, sharex=True)
    periods = sorted(facets["period"].unique())
    x = np.arange(len(periods))
    for ax, topic in zip(axes, top):
        part = facets[facets["topic_id"] == topic]
        for colour, value in zip(PALETTE, values):
            rows = part[part["facet_value"] == value].set_index("period")
            # a period the value has no documents in has no share: a gap, not a 0
            line = rows["share"].where(rows["period_total"] > 0)
            verdict = status.get((topic, value), "")
            ax.plot(x, line.reindex(periods).to_numpy(), color=colour, lw=1.3,
                    label=f"{_short(str(value), 18)} [{verdict}]")
        ax.set_title(_short(f"{topic}: {part['topic_label'].iloc[0]}", 44), fontsize=8)
        ax.legend(fontsize=6, frameon=False, loc="upper left")
        ax.set_ylim(bottom=0)
        _period_axis(ax, periods)
    fig.suptitle(f"Share per theme within each {facets['facet'].iloc[0]} [verdict there]",
                 fontsize=10)
    return fig


@figure("forecast", "Forecast: the next periods' share", position=34, cost=5,
        when=lambda r: not r.forecast.empty and r.forecast["share"].notna().any(),
        draw=lambda r: plot_forecast(r))
def plot_forecast(result, max_themes: int = 9):
    """Each theme's share, then its forecast dashed with 80 % and 95 % bands."""
    trends = result.theme_trends
    trends = trends[~trends["partial"].astype(bool)]
    forecast = result.forecast.dropna(subset=["share"])
    sizes = result.themes.set_index("topic_id")["n_docs"]
    top = [t for t in sizes.sort_values(ascending=False).index
           if t in set(forecast["topic_id"])][:max_themes]
    fig, axes = _small_multiples(len(top), 2.2)
    periods = sorted(trends["period"].unique()) + sorted(forecast["period"].unique())
    for ax, topic in zip(axes, top):
        past = trends[trends["topic_id"] == topic].sort_values("period")
        ahead = forecast[forecast["topic_id"] == topic].sort_values("period")
        xp = [periods.index(p) for p in past["period"]]
        xf = [xp[-1]] + [periods.index(p) for p in ahead["period"]]
        last = past["share"].iloc[-1]
        ax.plot(xp, past["share"], color=PALETTE[0], lw=1.3)
        for low, high, alpha in (("low95", "high95", 0.2), ("low80", "high80", 0.35)):
            ax.fill_between(xf, [last, *ahead[low]], [last, *ahead[high]], color=PALETTE[1],
                            alpha=alpha, lw=0)
        ax.plot(xf, [last, *ahead["share"]], color=PALETTE[0], lw=1.3, ls="--")
        ax.set_title(_short(f"{topic}: {past['topic_label'].iloc[0]}", 44), fontsize=8)
        ax.set_ylim(bottom=0)
        _period_axis(ax, periods)
    fig.suptitle("Share per theme and its forecast (dashed; bands: 80 % and 95 % prediction "
                 "intervals)", fontsize=10)
    return fig


@figure("compare", "Two corpora compared: which themes each over-represents", position=36,
        cost=3, when=lambda r: not r.compare.empty, draw=lambda r: plot_compare(r.compare))
def plot_compare(compare: pd.DataFrame, ax=None, max_themes: int = 30, alpha: float = 0.05):
    """Diverging bars of each theme's log-odds z-score (A right, B left); bars of themes
    not significant at q < ``alpha`` are pale."""
    table = compare.reindex(compare["z"].abs().sort_values(ascending=False).index)
    table = table.head(max_themes).sort_values("z")
    ax = _axes(ax, size=(10, 0.3 * len(table) + 1.5))
    colours = [(PALETTE[3] if z > 0 else PALETTE[6]) if q < alpha else "#CCCCCC"
               for z, q in zip(table["z"], table["q_value"])]
    ax.barh([_short(f"{t}: {lab}", 44) for t, lab in zip(table["topic_id"], table["topic_label"])],
            table["z"], color=colours)
    ax.axvline(0, color="#444", lw=0.8)
    sides = [s for s in compare["over_represented_in"].unique() if s]
    ax.set_xlabel("log-odds z-score (informative Dirichlet prior); right: more in A, left: "
                  "more in B" + (f" ({' / '.join(sides)})" if sides else ""))
    ax.tick_params(labelsize=8)
    return ax


class Section(NamedTuple):
    """A report section: anchor, heading, one paragraph, and a table to show."""

    anchor: str
    title: str
    text: str
    table: pd.DataFrame
    columns: list


def sections(result) -> list[Section]:
    """The sections for the tables the run was asked for (none by default)."""
    out = []
    if not result.facet_trends.empty:
        facet = result.facet_trends["facet"].iloc[0]
        told = facet_sentences(result.facet_trends).rename("by_facet").reset_index()
        table = result.themes[["topic_id", "topic_label", "n_docs"]].merge(told, on="topic_id")
        moving = result.facet_trends[result.facet_trends["status"].isin(MOVERS)]
        out.append(Section(
            "facets", f"By {facet}",
            f"Each theme's trend tested within each {facet} value (shares of that value's "
            "documents; one Benjamini–Hochberg correction across every theme and value): "
            f"{moving['topic_id'].nunique()} theme(s) move in at least one value. "
            "facets.csv and facet_trends.csv hold the numbers.", table,
            ["topic_id", "topic_label", "n_docs", "by_facet"]))
    if not result.compare.empty:
        flagged = result.compare[result.compare["over_represented_in"] != ""]
        out.append(Section(
            "compare", "Two corpora compared",
            "Themes each corpus publishes more than the other: log-odds ratio with an "
            "informative Dirichlet prior (z), q-values across themes; trend_q_value tests "
            f"whether the theme's trend differs between them. {len(flagged)} of "
            f"{len(result.compare)} themes differ at q < 0.05.", result.compare,
            ["topic_id", "topic_label", "n_a", "n_b", "share_a", "share_b", "z", "q_value",
             "trend_q_value", "over_represented_in"]))
    if not result.forecast.empty:
        last = result.forecast.groupby("topic_id").tail(1)
        out.append(Section(
            "forecast", "Forecast",
            "Each theme's share in the coming periods: a local-linear-trend state-space model "
            "on the logit share (statsmodels), with 80 % and 95 % prediction intervals; how "
            "well such intervals covered held-out periods is in BENCHMARKS.md "
            "(bench/forecast.py). The last forecast period per theme:", last,
            ["topic_id", "topic_label", "period", "share", "low80", "high80", "low95",
             "high95"]))
    return out
