"""Readers: one function per file format, each returning a raw DataFrame.

Each reader registers itself as an input format (:mod:`trendkit.load.formats`);
:func:`read_file` reads any file in its detected (or forced) format. Every
problem becomes a :class:`~trendkit.errors.TrendkitError` naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TrendkitError
from .formats import by_magic, detect_format, get_format, input_format

if TYPE_CHECKING:
    import pandas as pd


def read_bytes(path: Path) -> bytes:
    """Read a file, transparently gunzipping, with one-line errors."""
    if not path.exists():
        raise TrendkitError(f"{path}: no such file")
    if path.is_dir():
        raise TrendkitError(f"{path}: is a directory, expected a file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TrendkitError(f"{path}: cannot read ({exc.strerror})") from exc
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw, path)
    if not raw.strip():
        raise TrendkitError(f"{path}: file is empty")
    return raw


def _gunzip(raw: bytes, path: Path) -> bytes:
    # zlib instead of gzip.decompress: it tells a cut-off stream from a complete one.
    parts, rest = [], raw
    try:
        while rest[:2] == b"\x1f\x8b":
            stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
            parts.append(stream.decompress(rest))
            if not stream.eof:
                raise TrendkitError(f"{path}: truncated gzip (the download or copy was cut off)")
            rest = stream.unused_data
    except zlib.error as exc:
        raise TrendkitError(f"{path}: corrupt gzip ({exc})") from exc
    return b"".join(parts)


def decode(raw: bytes, path: Path, notes: list[str]) -> str:
    """UTF-8 (with or without BOM), falling back to Latin-1 with a note."""
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TrendkitError(f"{path}: looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    notes.append(f"{path.name}: not valid UTF-8, read as Latin-1")
    return raw.decode("latin-1")


@input_format("csv", help="comma-separated values", suffixes=(".csv",), stream="csv",
              sniff=lambda head: "," in head.split("\n")[0] and "\t" not in head.split("\n")[0]
              and "\n" in head)
def read_csv(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """Comma-separated (or semicolon/pipe-separated, sniffed) values."""
    return read_delimited(text, path)


@input_format("tsv", help="tab-separated values", suffixes=(".tsv", ".tab"), stream="csv",
              sniff=lambda head: "\t" in head.split("\n")[0])
def read_tsv(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """Tab-separated values (Web of Science exports)."""
    return read_delimited(text, path, sep="\t")


def read_delimited(text: str, path: Path, sep: str | None = None) -> pd.DataFrame:
    import pandas as pd

    if sep is None:
        try:
            sep = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            sep = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_values=[""], engine="c", on_bad_lines="error")
    except pd.errors.ParserError as exc:
        raise TrendkitError(f"{path}: malformed table ({str(exc).splitlines()[-1]})") from exc
    except pd.errors.EmptyDataError as exc:
        raise TrendkitError(f"{path}: file is empty") from exc
    if frame.empty:
        raise TrendkitError(f"{path}: has a header but no rows")
    return frame


@input_format("json", help="JSON (an array of objects, or an API page)", suffixes=(".json",),
              sniff=lambda head: head.startswith(("[", "{")))
def read_json(text: str, path: Path, sheet=None) -> pd.DataFrame:
    import pandas as pd

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TrendkitError(f"{path}: malformed JSON at line {exc.lineno}: {exc.msg}") from exc
    if isinstance(data, dict):
        # OpenAlex API pages and similar wrappers keep the records in a list field.
        for key in ("results", "data", "records", "items", "papers", "works"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise TrendkitError(f"{path}: JSON must be an array of objects (one per document)")
    if not data:
        raise TrendkitError(f"{path}: JSON array is empty")
    return pd.DataFrame.from_records(data)


@input_format("jsonl", help="JSON Lines (arXiv OAI snapshot, OpenAlex)",
              suffixes=(".jsonl", ".ndjson"), stream="jsonl")
def read_jsonl(text: str, path: Path, sheet=None) -> pd.DataFrame:
    import pandas as pd

    lines = [line for line in text.splitlines() if line.strip()]
    try:  # one parser call for the whole file is much faster than one per line
        records = json.loads("[" + ",".join(lines) + "]")
        if records and all(isinstance(r, dict) for r in records):
            return pd.DataFrame.from_records(records)
    except json.JSONDecodeError:
        pass  # find and report the first bad line below
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TrendkitError(f"{path}: malformed JSON at line {number}: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise TrendkitError(f"{path}: line {number} is not a JSON object")
        records.append(record)
    if not records:
        raise TrendkitError(f"{path}: no records")
    return pd.DataFrame.from_records(records)


@input_format("parquet", help="Parquet", suffixes=(".parquet", ".pq"), binary=True,
              magic=b"PAR1", stream="parquet")
def read_parquet(raw: bytes, path: Path, sheet=None) -> pd.DataFrame:
    import pandas as pd

    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises many types for corrupt files
        raise TrendkitError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from exc
    if frame.empty:
        raise TrendkitError(f"{path}: Parquet file has no rows")
    return frame


@input_format("xlsx", help="Excel workbook", suffixes=(".xlsx",), binary=True,
              magic=b"PK\x03\x04")
def read_excel(raw: bytes, path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The first sheet of an Excel workbook (or ``sheet``), every cell as text."""
    import pandas as pd

    try:
        book = pd.ExcelFile(io.BytesIO(raw), engine="openpyxl")
    except ImportError as exc:
        raise TrendkitError("reading .xlsx needs: pip install openpyxl") from exc
    except Exception as exc:  # zipfile / openpyxl raise many types for damaged files
        raise TrendkitError(
            f"{path}: not a readable Excel workbook ({type(exc).__name__})") from exc
    if sheet is not None and sheet not in book.sheet_names:
        raise TrendkitError(
            f"{path}: no sheet {sheet!r}; sheets are: {', '.join(book.sheet_names)}")
    frame = book.parse(sheet if sheet is not None else 0, dtype=str)
    frame = frame.dropna(how="all")
    if frame.empty:
        raise TrendkitError(f"{path}: sheet {sheet or book.sheet_names[0]!r} has no rows")
    return frame


def read_file(path: Path, fmt: str | None, notes: list[str], *,
              sheet: str | None = None) -> pd.DataFrame:
    """Read one file into a raw DataFrame (columns as in the file), in its detected format."""
    chosen = get_format(fmt) if fmt is not None else None
    raw = read_bytes(path)
    chosen = chosen or by_magic(raw[:8])
    if chosen is not None and chosen.binary:
        return chosen.read(raw, path, sheet)
    text = decode(raw, path, notes)
    if sum(ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f") for ch in text[:4096]) > 40:
        raise TrendkitError(f"{path}: looks like a binary or garbage file, not text")
    return (chosen or detect_format(path, text)).read(text, path, sheet)
