"""Inputs too large for memory, cut into partitions that are read one at a time.

A :class:`Partition` is a piece of one input file: a byte range of an
uncompressed JSON Lines file (a line belongs to the range it *starts* in, as
``dask.bag.read_text`` does), a whole compressed or CSV file (neither can be
split safely: gzip has no seek points, quoted CSV fields may hold newlines),
or a Parquet file. :func:`read_partition` yields canonical frames of at most
``chunk_rows`` rows, so memory depends on the chunk size, never on the file.

Both engines (single process and Dask) read the same partitions with the same
functions; results never depend on how the input was cut, because every
per-document decision is made from the document alone.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..errors import TrendkitError
from .filters import filter_columns, filter_dates
from .formats import FORMATS, by_magic, detect_format, get_format
from .options import LoadOptions
from .readers import read_jsonl
from .schema import canonicalize, fill_empty_text
from .weights import with_weights

BLOCK_BYTES = 64 * 2**20
CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class Partition:
    """Bytes ``[start, end)`` of ``path`` (``end=None``: the whole file)."""

    path: str
    kind: str
    start: int = 0
    end: int | None = None
    label: str = ""

    @property
    def name(self) -> str:
        """The file's name in notes, made-up ids and ``source`` (its path if names repeat)."""
        return self.label or Path(self.path).name


def stream_format(path: Path, forced: str | None = None) -> str:
    """How a file is read in chunks (``jsonl``, ``csv`` or ``parquet``), from its format.

    The format is the one :func:`~trendkit.load.formats.detect_format` finds (or
    ``forced``); formats without a chunked reader cannot be streamed.
    """
    if forced:
        fmt = get_format(forced)
    else:
        fmt = by_magic(_head(path, 8)) or detect_format(
            path, _head(path, 65536).decode("utf-8", errors="replace"))
    if fmt.stream is None:
        streamable = ", ".join(f.name for f in FORMATS.values() if f.stream)
        raise TrendkitError(f"{path}: streaming (--fit-sample / --engine dask) reads {streamable}; "
                            f"this file is {fmt.name}: convert it or run without streaming")
    return fmt.stream


def streamable(path: Path, forced: str | None = None) -> bool:
    """Whether :func:`plan_partitions` can cut this file (else it is loaded in memory)."""
    try:
        stream_format(path, forced)
    except TrendkitError:
        return False
    return True


def _head(path: Path, size: int) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(size)
    except (OSError, EOFError):
        return b""


def plan_partitions(files: list[Path], options: LoadOptions | None = None,
                    block_bytes: int = BLOCK_BYTES) -> list[Partition]:
    """Cut input files into partitions of about ``block_bytes`` each, in input order.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = p.write_text('{"title": "a", "abstract": "x"}\\n' * 100)
    >>> [(part.start, part.end) for part in plan_partitions([p], block_bytes=1000)][:2]
    [(0, 1000), (1000, 2000)]
    """
    parts = []
    names = [p.name for p in files]
    for path in files:
        kind = stream_format(path, options.format if options else None)
        size = path.stat().st_size
        # two inputs named data.jsonl would make the same FILE:ROW ids
        label = str(path) if names.count(path.name) > 1 else ""
        if kind != "jsonl" or path.name.lower().endswith(".gz") or size <= block_bytes:
            parts.append(Partition(str(path), kind, label=label))
            continue
        parts += [Partition(str(path), kind, start, min(start + block_bytes, size), label)
                  for start in range(0, size, block_bytes)]
    return parts


def _line_blocks(part: Partition, chunk_bytes: int = 16 * 2**20) -> Iterator[bytes]:
    """Whole lines of a partition, in blocks of about ``chunk_bytes``."""
    opener = gzip.open if part.path.lower().endswith(".gz") else open
    with opener(part.path, "rb") as handle:
        if part.start:
            handle.seek(part.start - 1)
            if handle.read(1) != b"\n":
                handle.readline()  # the line started in the previous partition
        position = handle.tell()
        while part.end is None or position < part.end:
            block = handle.read(chunk_bytes)
            if not block:
                return
            block += handle.readline()  # finish the last line
            if part.end is not None and position + len(block) > part.end:
                # keep the lines that start before `end`
                cut = block.find(b"\n", part.end - position - 1)
                block = block[:cut + 1] if cut >= 0 else block
                yield block
                return
            position += len(block)
            yield block


def _prefilter(block: bytes, options: LoadOptions) -> bytes:
    """Drop lines that cannot pass the ``--filter`` patterns, before parsing any JSON.

    A JSON line whose field holds ``cs.CL`` contains those bytes; the cheap
    byte test only removes lines, the exact filter still runs on what is left.
    Patterns with glob characters or JSON-escaped characters skip this step.
    """
    for _, patterns in options.filters:
        needles = [p.encode() for p in patterns]
        # JSON may escape these characters, so their bytes need not appear as typed
        if not all(p.isascii() and not any(c in p for c in '*?[]"\\/') for p in patterns):
            continue
        lines = block.split(b"\n")
        lowered = [line.lower() for line in lines]
        needles = [n.lower() for n in needles]
        block = b"\n".join(line for line, low in zip(lines, lowered)
                           if any(n in low for n in needles))
    return block


def _frames_raw(part: Partition, options: LoadOptions, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Raw frames of a partition; damaged files become a one-line error naming the file."""
    import pyarrow as pa

    try:
        yield from _frames_unchecked(part, options, chunk_rows)
    except (OSError, EOFError, UnicodeDecodeError, pd.errors.EmptyDataError,
            pa.ArrowException) as exc:
        raise TrendkitError(f"{part.path}: cannot read ({type(exc).__name__}: {exc})") from exc


def _frames_unchecked(part: Partition, options: LoadOptions,
                      chunk_rows: int) -> Iterator[pd.DataFrame]:
    if part.kind == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(part.path).iter_batches(batch_size=chunk_rows):
            yield batch.to_pandas()
    elif part.kind == "csv":
        sep = "\t" if ".tsv" in part.path.lower() or options.format == "tsv" else ","
        try:
            yield from pd.read_csv(part.path, sep=sep, chunksize=chunk_rows, dtype=str,
                                   keep_default_na=False, na_values=[""])
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise TrendkitError(f"{part.path}: cannot parse as CSV ({exc})") from exc
    else:
        for block in _line_blocks(part):
            if options.filters:
                block = _prefilter(block, options)
            if block.strip():
                yield _parse_jsonl(block, part)


def _parse_jsonl(block: bytes, part: Partition) -> pd.DataFrame:
    """Arrow's JSON reader (C++, ~5× Python's); the exact reader reports bad lines."""
    import pyarrow as pa
    import pyarrow.json as pj

    if b'"abstract_inverted_index"' in block:
        # OpenAlex: Arrow would make a struct field per distinct word
        return read_jsonl(block.decode("utf-8", errors="replace"), Path(part.path))
    try:
        table = pj.read_json(pa.py_buffer(block), read_options=pj.ReadOptions(
            block_size=max(len(block) // 4, 2**20)))
        return table.to_pandas()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return read_jsonl(block.decode("utf-8", errors="replace"), Path(part.path))


def read_partition(part: Partition, options: LoadOptions, chunk_rows: int = CHUNK_ROWS,
                   first_row: int = 0, counter: list | None = None) -> Iterator[pd.DataFrame]:
    """Canonical frames (as :func:`trendkit.load` makes, without de-duplication or text
    cleaning: passes clean only the rows they keep) of a partition.

    Filters and ``--since``/``--until`` apply per chunk. Ids missing from the
    input become ``FILE:ROW`` as in memory, counting from ``first_row`` (the
    rows of the file's earlier partitions); ``counter`` receives the number of
    rows that passed the column filters, from which the driver computes it.
    """
    where = part.name
    offset = first_row
    for raw in _frames_raw(part, options, chunk_rows):
        raw = filter_columns(raw, options.filters, part.name, [])
        # rows numbered after filtering, as trendkit.load numbers them
        first, offset = offset, offset + len(raw)
        if raw.empty:
            continue
        frame = canonicalize(raw, where, text_col=options.text_col, title_col=options.title_col,
                             date_col=options.date_col, id_col=options.id_col,
                             date_format=options.date_format, notes=[], first_row=first,
                             clean=False)
        frame = fill_empty_text(filter_dates(frame, options.since, options.until, []))
        frame = with_weights(frame, options.weight, options.weight_missing, [], where)
        if len(frame):
            yield frame.reset_index(drop=True)
    if counter is not None:
        counter.append(offset - first_row)


def raw_bytes(files: list[Path]) -> int:
    """Bytes of input on disk (for the read rate in ``run.json``)."""
    return sum(p.stat().st_size for p in files)


__all__ = ["Partition", "stream_format", "streamable", "plan_partitions", "read_partition",
           "raw_bytes"]
