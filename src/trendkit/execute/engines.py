"""Where the per-partition passes run: in this process, or on a Dask cluster.

Both engines yield results **in partition order**, so the driver appends
``documents.csv`` rows and merges counts in the same order either way: the
outputs are byte-identical. The Dask engine keeps a bounded number of
partitions in flight, so the driver's memory stays flat however long the
input is. With no scheduler address a ``distributed.LocalCluster`` with one
single-threaded worker per core is started and closed around the run.
"""

from __future__ import annotations

import os
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from ..errors import TrendkitError, check_interrupted

ENGINES = ("single", "dask")


class SingleProcess:
    """Runs each task in this process, one after another."""

    n_workers = 1

    def map(self, func: Callable, items: Iterable, *args) -> Iterator:
        for item in items:
            check_interrupted()
            yield func(item, *args)

    def share(self, value):
        return value


class DaskEngine:
    """Runs tasks on a ``distributed`` cluster through a bounded window of futures."""

    def __init__(self, client):
        self.client = client
        self.n_workers = max(1, len(client.scheduler_info()["workers"]))

    def share(self, value):
        # The fitted model goes to every worker once, not once per task.
        return self.client.scatter(value, broadcast=True)

    def map(self, func: Callable, items: Iterable, *args) -> Iterator:
        window: deque = deque()
        for item in items:
            window.append(self.client.submit(func, item, *args, pure=False))
            if len(window) >= 2 * self.n_workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def check_engine(engine: str) -> str:
    """``engine`` if known and installed, else a one-line :class:`TrendkitError`."""
    if engine not in ENGINES:
        raise TrendkitError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            raise TrendkitError("--engine dask needs: pip install 'trendkit[dask]'") from exc
    return engine


@contextmanager
def open_engine(engine: str = "single", scheduler: str | None = None,
                n_workers: int | None = None):
    """The engine to run passes on; a LocalCluster is closed when the block ends."""
    check_engine(engine)
    if engine == "single":
        yield SingleProcess()
        return
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise TrendkitError(f"--scheduler {scheduler}: cannot connect ({exc})") from exc
        try:
            yield DaskEngine(client)
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, dashboard_address=None)
    try:
        client = Client(cluster)
        try:
            yield DaskEngine(client)
        finally:
            client.close()
    finally:
        cluster.close()
