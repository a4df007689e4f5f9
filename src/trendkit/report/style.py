"""What every figure shares: colours, short labels, period ticks, partial-period hatching.

Colours are Paul Tol's colour-blind-safe "muted" scheme; beyond nine themes the
smallest are grouped as "other" so a figure stays readable on A4.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import NamedTuple

import numpy as np
import pandas as pd

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


class Series(NamedTuple):
    """Which themes a chart draws as their own series, in which order and colour.

    The static and the interactive charts both take it from :func:`series`, so a theme has
    one place in the stack, one legend entry and one colour in every view.
    """

    shown: list  # theme ids with their own series, largest first (stacked from the bottom)
    rest: list  # theme ids drawn together as one "other" series, last

    @property
    def other(self) -> str:
        """The "other" series' name, counting the themes it holds."""
        return f"other ({len(self.rest)} themes)"

    def colour(self, topic) -> str:
        return PALETTE[self.shown.index(topic)] if topic in self.shown else OTHER_COLOUR


def series(trends: pd.DataFrame, k: int = MAX_SERIES) -> Series:
    """The largest ``k`` themes by documents, the rest as "other".

    Examples
    --------
    >>> t = pd.DataFrame({"topic_id": [0, 1, 2], "n_docs": [5, 9, 1]})
    >>> s = series(t, k=2)
    >>> s.shown, s.rest, s.other
    ([1, 0], [2], 'other (1 themes)')
    """
    order = _top_topics(trends, len(trends))
    return Series(order[:k], order[k:])


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


def panel_topics(trends: pd.DataFrame, summary: pd.DataFrame | None = None,
                 max_themes: int = 12) -> list:
    """Every mover (new, emerging, revived, peaked, declining, faded) first, then the largest
    themes up to
    ``max_themes``: a theme the report calls a trend always gets its panel."""
    movers = []
    if summary is not None and "status" in summary:
        order = {"new": 0, "emerging": 1, "revived": 2, "peaked": 3, "declining": 4,
                 "faded": 5}
        moving = summary[summary["status"].isin(order)]
        moving = moving.assign(rank=moving["status"].map(order)).sort_values(
            ["rank", "n_docs"], ascending=[True, False], kind="stable")
        movers = moving["topic_id"].tolist()
    rest = [t for t in _top_topics(trends, len(trends)) if t not in movers]
    return movers + rest[:max(0, max_themes - len(movers))]


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
