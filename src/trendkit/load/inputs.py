"""What the user named as input, as a list of files: paths, globs and Parquet folders.

Every command that reads documents expands its inputs here, so a glob or a folder
means the same to ``run``, ``trends``, ``assign`` and the Python API.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Iterable

from ..errors import TrendkitError


def expand_inputs(inputs: str | Path | Iterable[str | Path]) -> list[Path]:
    """Files behind paths, globs (``snapshot-*.jsonl.gz``) and Parquet folders, in order.

    A glob's and a folder's files are sorted; paths are made absolute (workers of a
    remote Dask cluster need them so).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("b.csv", "a.csv"):
    ...     _ = (folder / name).write_text("title\\nx\\n")
    >>> [p.name for p in expand_inputs(str(folder / "*.csv"))]
    ['a.csv', 'b.csv']
    """
    items = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    if not items:
        raise TrendkitError("no input files given")
    files: list[Path] = []
    for item in map(str, items):
        path = Path(item)
        if path.is_file():
            files.append(path)
        elif any(ch in item for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
            if not found:
                raise TrendkitError(f"{item}: no files match this pattern")
            files += found
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*.parquet") if p.is_file())
            if not found:
                raise TrendkitError(f"{path}: is a directory without .parquet files; give "
                                    "files, a glob or a Parquet folder")
            files += found
        else:
            raise TrendkitError(f"{path}: no such file")
    return [p.resolve() for p in files]
