"""The report's figures, each declared once where it is drawn.

Every plot function registers itself with :func:`figure`, saying which result it
needs, how it is drawn from a :class:`~trendkit.result.TrendResult`, its title and
its place in the report. The report, the figure files and their drawing order all
read :func:`registered`, so adding a figure is one decorated function in a plot
module (and its tests)::

    @figure("bursts", "Bursts per theme", position=35, cost=1,
            when=lambda r: r.has_dates, draw=lambda r: plot_bursts(r.summary))
    def plot_bursts(summary, ax=None): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Figure:
    """One report figure.

    Attributes
    ----------
    name : str
        File name (``figures/NAME.png``) and anchor in the report.
    title : str
        Its heading in the report.
    draw : callable
        ``draw(result)`` -> an Axes or Figure.
    when : callable
        ``when(result)`` -> whether the result supports it (dates, a map, ...).
    position : int
        Place in the report, smallest first.
    cost : int
        Relative drawing time; the slowest are drawn first (two processes share them).
    svg : bool
        Also written as SVG (not for thousands of points).
    """

    name: str
    title: str
    draw: Callable
    when: Callable
    position: int
    cost: int
    svg: bool = True


FIGURES: dict[str, Figure] = {}


def figure(name: str, title: str, *, draw: Callable, when: Callable = lambda r: True,
           position: int, cost: int, svg: bool = True):
    """Register the decorated plot function as the report figure ``name``."""
    def register(plot: Callable) -> Callable:
        FIGURES[name] = Figure(name, title, draw, when, position, cost, svg)
        return plot
    return register


def registered() -> dict[str, Figure]:
    """Every figure, in report order (``trendkit.report`` imports the plot modules, which
    register them; this module imports none)."""
    return dict(sorted(FIGURES.items(), key=lambda item: item[1].position))
