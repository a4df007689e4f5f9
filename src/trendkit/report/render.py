"""Which figures a run gets, drawn to PNG (and SVG) bytes on both cores where safe.

Drawing is the largest single stage of a small run: seven figures take ~5.5 s to draw and
encode on one core for 3,000 abstracts (BENCHMARKS.md, "A small corpus from cold"), and
matplotlib holds the GIL while it draws, so threads do not help. On Linux a forked
worker process draws half of them: it inherits the data (and figures already drawn)
without pickling, takes figures from a shared counter, heaviest first, and sends back
only the encoded bytes. Forking is used only from a process with a single Python thread
(a CLI run or a script; not a Jupyter kernel, whose threads could hold locks the child
would wait on forever) drawing with a file backend (Agg), and whatever a worker that
fails, dies or hangs has not sent back is drawn in the parent: the result is the same
bytes either way (tested).
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import sys
import threading
import warnings
from typing import Callable, Collection, NamedTuple

from .registry import registered
from .style import _pyplot, frozen_layout

Maker = Callable[[], object]  # draws one figure (an Axes or a Figure) when called
WAIT = 120  # seconds to wait on the other process before drawing its share here


class Rendered(NamedTuple):
    """One figure's encoded bytes: PNG, and SVG where it was asked for (else ``None``)."""

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
    with frozen_layout(fig, solve=True):
        fig.savefig(buffer, format="png", dpi=100)
    png = buffer.getvalue()
    if not svg:
        return Rendered(png, None)
    buffer = io.BytesIO()
    with frozen_layout(fig, solve=False), \
            matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "trendkit"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return Rendered(png, buffer.getvalue())


def figure_makers(result) -> dict[str, Maker]:
    """A function drawing each figure a :class:`~trendkit.result.TrendResult` supports.

    By name, slowest first (each figure's registered ``cost``): two processes take
    figures from the front of this order (:func:`render_all`), so the slowest starts first.

    Examples
    --------
    >>> from trendkit import analyze, make_demo_corpus, load_frame
    >>> result = analyze(load_frame(make_demo_corpus(n_docs=300)), cache=False)
    >>> list(figure_makers(result))[:2]
    ['theme_panels', 'heatmap']
    """
    found = [f for f in registered().values() if f.when(result)]
    return {f.name: (lambda f=f: f.draw(result))
            for f in sorted(found, key=lambda f: -f.cost)}


# Backends that draw into memory only: a forked child must not open windows over the
# parent's display connection.
_FILE_BACKENDS = {"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"}


def can_fork() -> bool:
    """Whether a forked worker is safe here.

    Linux, two or more cores, a backend that draws into memory (the CLI's Agg), and no
    Python thread but this one. The OS threads a process also has (BLAS's idle pool) are
    copied as dead threads the child never waits on: it only draws and exits.
    """
    import matplotlib

    return (sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1
            and str(matplotlib.rcParams["backend"]).lower() in _FILE_BACKENDS)


def render_all(makers: dict[str, Maker], svg: Collection[str] = (), close: bool = True,
               workers: int | None = None) -> dict[str, Rendered]:
    """Draw every figure to PNG, and to SVG those named in ``svg``; results in makers' order.

    Two processes take figures in ``makers``' order, so put the slowest first. ``close``
    closes each figure once encoded (for makers that draw anew). ``workers``: 1 draws
    everything here; 2 also forks a worker (where the platform can fork); ``None`` does
    so where :func:`can_fork` finds it safe. Whatever the worker has not sent back, after
    it fails, dies or stops answering for ``WAIT`` seconds, is drawn here.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> makers = {"axes": lambda: plt.subplots()[1], "figure": lambda: plt.subplots()[0]}
    >>> out = render_all(makers, svg=["figure"], workers=1)
    >>> [(name, r.png[:4] == b"\\x89PNG", r.svg is not None) for name, r in out.items()]
    [('axes', True, False), ('figure', True, True)]
    """
    names, svg = list(makers), frozenset(svg)
    if workers is None:
        workers = 2 if can_fork() else 1
    if workers < 2 or len(names) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {name: _draw(makers[name], name in svg, close) for name in names}
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)  # the next figure to take, shared by both processes
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(makers, names, svg, close, counter, send),
                             daemon=True)
    done = {}
    try:
        gc.freeze()  # the child's garbage collector then leaves the parent's pages shared
        with warnings.catch_warnings():  # Python 3.12+: "multi-threaded, use of fork()":
            warnings.simplefilter("ignore", DeprecationWarning)  # see can_fork
            worker.start()
        send.close()
        done = _take(makers, names, svg, close, counter)
        if receive.poll(WAIT):
            done.update(receive.recv())
    except (EOFError, OSError):  # the worker died: what it took is drawn below
        pass
    finally:
        gc.unfreeze()
        receive.close()
        if worker.is_alive():
            worker.terminate()
        if worker.pid is not None:
            worker.join()
    return {name: done[name] if name in done else _draw(makers[name], name in svg, close)
            for name in names}


def as_figure(drawn):
    """The Figure a plot function's result lives in (they return an Axes or a Figure)."""
    return drawn if hasattr(drawn, "savefig") else drawn.figure


def _draw(make: Maker, svg: bool, close: bool) -> Rendered:
    fig = as_figure(make())
    try:
        return render(fig, svg)
    finally:
        if close:
            _pyplot().close(fig)


def _take(makers, names, svg, close, counter) -> dict[str, Rendered]:
    """Draw figures from the shared counter until none is left (or the other side hangs)."""
    done = {}
    while True:
        lock = counter.get_lock()
        if not lock.acquire(timeout=WAIT):  # the other process died holding it
            return done
        try:
            i = counter.value
            counter.value += 1
        finally:
            lock.release()
        if i >= len(names):
            return done
        done[names[i]] = _draw(makers[names[i]], names[i] in svg, close)


def _worker(makers, names, svg, close, counter, send) -> None:
    try:
        send.send(_take(makers, names, svg, close, counter))
    except BaseException:  # noqa: BLE001 - whatever failed, the parent draws it again
        pass
    finally:
        send.close()
