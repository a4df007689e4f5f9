"""Which figures a run gets, drawn to PNG (and SVG) bytes on both cores where safe.

Drawing is the largest single stage of a small run: seven figures take ~5.5 s to draw and
encode on one core for 3,000 abstracts (BENCHMARKS.md, "A small corpus from cold"), and
matplotlib holds the GIL while it draws, so threads do not help. On Linux a forked
worker process draws half of them: it inherits the data (and figures already drawn)
without pickling, takes figures from a shared counter, heaviest first, and sends back
only the encoded bytes. Forking is used only from a process with a single Python thread
(a CLI run or a script; not a Jupyter kernel, whose threads could hold locks the child
would wait on forever), and a worker that fails or dies is made up for in the parent:
the result is the same bytes either way (tested).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import threading
from typing import Callable, NamedTuple

from . import figures

Maker = Callable[[], object]  # draws one figure (an Axes or a Figure) when called


class Rendered(NamedTuple):
    png: bytes
    svg: bytes | None


def render(fig, svg: bool = False) -> Rendered:
    """One figure's PNG (100 dpi) and, if ``svg``, its SVG with text kept as text.

    The layout is solved once for the PNG and reused by the SVG (solving it again took a
    third of the SVG's time and moved nothing over 1 %).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(layout="constrained")
    >>> out = render(fig, svg=True)
    >>> out.png[:4] == b"\\x89PNG" and b"<svg" in out.svg
    True
    >>> plt.close(fig)
    """
    import matplotlib

    buffer = io.BytesIO()
    with figures.frozen_layout(fig, solve=True):
        fig.savefig(buffer, format="png", dpi=100)
    png = buffer.getvalue()
    if not svg:
        return Rendered(png, None)
    buffer = io.BytesIO()
    with figures.frozen_layout(fig, solve=False), \
            matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "trendkit"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return Rendered(png, buffer.getvalue())


def figure_makers(result) -> dict[str, Maker]:
    """A function drawing each figure a :class:`~trendkit.result.TrendResult` supports.

    By name, slowest first: two processes take figures from the front of this order
    (:func:`render_all`), so the slowest starts first.

    Examples
    --------
    >>> from trendkit import analyze, make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False)
    >>> list(figure_makers(result))[:2]
    ['theme_panels', 'heatmap']
    """
    r = result
    makers = {}
    if r.has_dates:
        makers["theme_panels"] = lambda: figures.plot_theme_panels(r.trends, r.summary)
        makers["heatmap"] = lambda: figures.plot_heatmap(r.trends)
        if r.summary["slope"].notna().any():
            makers["slopes"] = lambda: figures.plot_slopes(r.summary)
    makers["theme_sizes"] = lambda: figures.plot_theme_sizes(r.topics)
    if r.has_dates:
        makers["share_over_time"] = lambda: figures.plot_share_over_time(r.trends)
        if not r.coverage.empty:
            makers["coverage"] = lambda: figures.plot_coverage(r.coverage)
    if r.coords is not None and len(r.coords) == len(r.documents):
        makers["document_map"] = lambda: figures.plot_document_map(
            r.coords, r.documents["topic_id"].to_numpy(), r.topics)
    return makers


def can_fork() -> bool:
    """Whether a forked worker is safe here: Linux, two or more cores, one Python thread."""
    return (sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


def render_all(makers: dict[str, Maker], svg: bool = False, close: bool = True,
               workers: int | None = None) -> dict[str, Rendered]:
    """Draw and encode every figure; ``makers`` are in order, heaviest first.

    ``close`` closes each figure once encoded (those a maker draws anew). ``workers``:
    1 draws everything here; 2 also uses a forked process (where the platform can fork);
    ``None`` does so where :func:`can_fork` finds it safe.
    """
    names = list(makers)
    if workers is None:
        workers = 2 if can_fork() else 1
    if workers < 2 or len(names) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {name: _draw(makers[name], svg, close) for name in names}
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)  # the next figure to take, shared by both processes
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(makers, names, svg, close, counter, send),
                             daemon=True)
    worker.start()
    send.close()
    try:
        done = _take(makers, names, svg, close, counter)
        try:
            done.update(receive.recv())
        except (EOFError, OSError):  # the worker died: draw what it took here
            pass
    finally:
        receive.close()
        worker.join(timeout=60)
        if worker.is_alive():
            worker.terminate()
    return {name: done[name] if name in done else _draw(makers[name], svg, close)
            for name in names}


def _draw(make: Maker, svg: bool, close: bool) -> Rendered:
    drawn = make()
    fig = drawn if hasattr(drawn, "savefig") else drawn.figure
    try:
        return render(fig, svg)
    finally:
        if close:
            figures._pyplot().close(fig)


def _take(makers, names, svg, close, counter) -> dict[str, Rendered]:
    done = {}
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value += 1
        if i >= len(names):
            return done
        done[names[i]] = _draw(makers[names[i]], svg, close)


def _worker(makers, names, svg, close, counter, send) -> None:
    try:
        send.send(_take(makers, names, svg, close, counter))
    except BaseException:  # noqa: BLE001 - whatever failed, the parent draws it again
        pass
    finally:
        send.close()
