"""Wall-clock seconds per pipeline stage, each stage announced to a progress callback."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable

from .errors import check_interrupted

Progress = Callable[[str], None]


class StageTimer:
    """Wall-clock seconds per named stage, announcing each stage to ``progress``.

    Examples
    --------
    >>> timer = StageTimer(progress=print)
    >>> with timer.stage("embed", "Embedding 3 documents"):
    ...     pass
    Embedding 3 documents
    >>> list(timer.timings)
    ['embed']
    """

    def __init__(self, progress: Progress | None = None):
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str, message: str):
        check_interrupted()  # a Ctrl-C swallowed inside a compiled library stops here
        if self.progress:
            self.progress(message)
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)
