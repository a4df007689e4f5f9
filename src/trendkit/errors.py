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
