"""One on-disk cache for every stage: where it lives, content keys, atomic writes.

Loading, embedding and clustering each reuse work for byte-identical input.
They share this module instead of hand-rolling their own: entries are keyed by
a SHA-256 of what went in (plus trendkit's version), written to a temporary
file and renamed into place (an interrupted run never leaves a truncated
entry), and stored as ``.npz``/Parquet/JSON — never pickles. A cache that
cannot be written only costs speed.

Pass ``cache=None`` (the default location), a folder, or ``False`` (no cache)
to the functions that take one; :func:`as_cache` turns any of those into a
:class:`Cache` or ``None``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Union

from ._version import __version__


def default_cache_dir() -> Path:
    """``$TRENDKIT_CACHE_DIR``, else ``~/.cache/trendkit``."""
    env = os.environ.get("TRENDKIT_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "trendkit"


def content_key(*parts: str | bytes, length: int = 32) -> str:
    """A hex SHA-256 of the parts (separated, so ``("ab", "c") != ("a", "bc")``).

    Examples
    --------
    >>> content_key("ab", "c") != content_key("a", "bc")
    True
    >>> len(content_key(b"bytes", "text"))
    32
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:length]


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write(path: Path, write: Callable) -> bool:
    """Call ``write(handle)`` on a temporary sibling, then rename it to ``path``.

    Returns False (and leaves nothing behind) when the location is not
    writable: callers treat a cache write as best effort.
    """
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
        return True
    except Exception:  # unwritable cache, or a value the format cannot hold
        tmp.unlink(missing_ok=True)
        return False


class Cache:
    """A cache folder with one sub-folder per stage (``loaded``, ``lsa-100-p1.5-0``, ``clusters``).

    Parameters
    ----------
    directory : path, optional
        Default :func:`default_cache_dir`.

    Examples
    --------
    >>> import tempfile
    >>> cache = Cache(tempfile.mkdtemp())
    >>> path = cache.path("clusters", cache.key("abc"), ".npz")
    >>> path.parent.name, path.suffix
    ('clusters', '.npz')
    """

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def key(self, *parts: str | bytes) -> str:
        """A content key that also changes with trendkit's version."""
        return content_key(__version__, *parts)

    def path(self, stage: str, key: str, suffix: str) -> Path:
        return self.directory / stage / f"{key}{suffix}"

    def __repr__(self) -> str:
        return f"Cache({str(self.directory)!r})"


CacheLike = Union[Cache, str, Path, bool, None]


def as_cache(cache: CacheLike) -> Cache | None:
    """``None``/``True`` → the default cache, a path → that folder, ``False`` → no cache.

    Examples
    --------
    >>> as_cache(False) is None, as_cache("/tmp/x").directory.name
    (True, 'x')
    """
    if cache is False:
        return None
    if cache is None or cache is True:
        return Cache()
    return cache if isinstance(cache, Cache) else Cache(cache)
