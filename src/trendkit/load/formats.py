"""Input formats, each declared once where its reader is defined.

A reader registers itself with :func:`input_format`, giving its name, help,
suffixes and capabilities; format detection, ``--format``'s help and errors, the
streaming reader's choice and the tests all read :data:`FORMATS`. Adding a format
is one reader function with its decorator (and its tests)::

    @input_format("ris", help="RIS citations", suffixes=(".ris",), sniff=lambda h: ...)
    def read_ris(text, path, sheet=None): ...

This module and the readers import no pandas at module level, so the command
line can list the formats without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Format:
    """One input format: how to recognise it and read it.

    Attributes
    ----------
    name : str
        What ``--format`` takes.
    help : str
        A few words for help texts.
    read : callable
        ``read(data, path, sheet=None) -> DataFrame`` (raw columns); ``data`` is the
        file's bytes for ``binary`` formats, its decoded text otherwise.
    suffixes : tuple of str
        File name endings (``.gz`` aside) that mean this format.
    binary : bool
        Read from bytes, recognised by ``magic`` (Parquet, Excel).
    magic : bytes
        Leading bytes that identify the format whatever the file is called.
    sniff : callable, optional
        ``sniff(head) -> bool`` on the first characters of a text file with no known
        suffix; formats are asked in registration order, the papers page last.
    stream : str, optional
        How :mod:`trendkit.load.partitions` reads it in chunks (``"jsonl"``, ``"csv"``,
        ``"parquet"``), or None when the file must be read whole.
    """

    name: str
    help: str
    read: Callable
    suffixes: tuple[str, ...] = ()
    binary: bool = False
    magic: bytes = b""
    sniff: Callable[[str], bool] | None = None
    stream: str | None = None


FORMATS: dict[str, Format] = {}


def input_format(name: str, *, help: str, suffixes: tuple[str, ...] = (), binary: bool = False,
                 magic: bytes = b"", sniff: Callable[[str], bool] | None = None,
                 stream: str | None = None):
    """Register the decorated reader as the input format ``name``."""
    def register(read: Callable) -> Callable:
        FORMATS[name] = Format(name, help, read, suffixes, binary, magic, sniff, stream)
        return read
    return register


def looks_like_jsonl(text: str) -> bool:
    """Two or more lines that each parse as a JSON object on their own.

    Examples
    --------
    >>> looks_like_jsonl('{"a": 1}\\n{"a": 2}\\n'), looks_like_jsonl('[{"a": 1}]')
    (True, False)
    """
    import json

    lines = [line for line in text.lstrip().splitlines()[:2] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except ValueError:
        return False


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return suffixes[-1] if suffixes else ""


def by_magic(head: bytes) -> Format | None:
    """The binary format whose leading bytes ``head`` starts with, if any."""
    return next((f for f in FORMATS.values() if f.magic and head.startswith(f.magic)), None)


def detect_format(path: Path, text: str) -> Format:
    """The format of a text file: by suffix first, then by its first characters.

    A ``.json`` file holding one object per line is JSON Lines (the arXiv snapshot
    is named ``.json``). Anything unrecognised is read as a copied papers page.

    Examples
    --------
    >>> detect_format(Path("a.tsv"), "x\\ty").name, detect_format(Path("a"), "@article{k,").name
    ('tsv', 'bibtex')
    """
    suffix = _suffix(path)
    found = next((f for f in FORMATS.values() if suffix and suffix in f.suffixes), None)
    if found is None:
        head = text.lstrip()[:2000]
        found = next((f for f in FORMATS.values() if f.sniff and f.sniff(head)),
                     FORMATS["papers"])
    if found.name == "json" and looks_like_jsonl(text):
        return FORMATS["jsonl"]
    return found


def get_format(name: str) -> Format:
    """The registered format ``name``; an unknown name is a one-line error listing them."""
    from ..errors import TrendkitError

    if name not in FORMATS:
        raise TrendkitError(f"unknown --format {name!r}; choose one of {', '.join(format_names())}")
    return FORMATS[name]


def format_names() -> list[str]:
    """Every format name, alphabetically (for help texts and errors)."""
    return sorted(FORMATS)
