"""The one exception type trendkit raises for problems a user can fix.

The CLI turns a :class:`TrendkitError` into a one-line message and exit code 2;
anything else is a bug and keeps its traceback (visible with ``--debug``).
"""

from __future__ import annotations


class TrendkitError(Exception):
    """A user-facing problem: bad input, bad option, unwritable output.

    Parameters
    ----------
    message : str
        One line that names the file or option and what is wrong with it.

    Examples
    --------
    >>> str(TrendkitError("data.csv: file is empty"))
    'data.csv: file is empty'
    """

    exit_code = 2

    def __init__(self, message: str):
        # Keep messages to one line: they are printed verbatim by the CLI.
        super().__init__(" ".join(str(message).split()))


def interrupted() -> bool:
    """True once Ctrl-C was pressed in the command line (see :func:`watch_interrupts`)."""
    return _INTERRUPTED["set"]


def watch_interrupts() -> None:
    """Remember Ctrl-C as well as raising it.

    A KeyboardInterrupt raised while a compiled library calls back into Python
    (numba's JIT under UMAP does) is swallowed at the callback boundary; the
    flag lets the stage boundaries and the run-folder writer stop anyway.
    """
    import signal
    import sys

    def handler(signum, frame):
        _INTERRUPTED["set"] = True
        raise KeyboardInterrupt

    previous = sys.unraisablehook

    def quiet_swallowed_interrupt(unraisable):
        # Python prints a swallowed exception with its traceback ("Exception ignored
        # on calling ctypes callback function"); a Ctrl-C is remembered, so say nothing.
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            return
        previous(unraisable)

    signal.signal(signal.SIGINT, handler)
    sys.unraisablehook = quiet_swallowed_interrupt


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if it was swallowed."""
    if _INTERRUPTED["set"]:
        raise KeyboardInterrupt


_INTERRUPTED = {"set": False}
