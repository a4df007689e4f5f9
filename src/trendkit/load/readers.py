"""Readers: one function per file format, each returning a raw DataFrame.

Format detection looks at the suffix first and the content second. Every
problem becomes a :class:`~trendkit.errors.TrendkitError` naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pandas as pd

from ..errors import TrendkitError
from .options import FORMATS


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


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the suffix, then from the first characters."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    suffix = suffixes[-1].lstrip(".") if suffixes else ""
    by_suffix = {"csv": "csv", "tsv": "tsv", "tab": "tsv", "json": "json", "jsonl": "jsonl",
                 "ndjson": "jsonl", "parquet": "parquet", "pq": "parquet", "atom": "atom",
                 "xml": "atom", "bib": "bibtex", "bibtex": "bibtex"}
    if suffix in by_suffix:
        fmt = by_suffix[suffix]
        if fmt == "json" and _looks_like_jsonl(text):
            return "jsonl"
        return fmt
    head = text.lstrip()[:2000]
    if head.startswith("<"):
        return "atom"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "jsonl" if _looks_like_jsonl(text) else "json"
    if re.match(r"@\w+\s*[{(]", head):
        return "bibtex"
    first_line = head.splitlines()[0] if head else ""
    if first_line.count("\t") >= 1:
        return "tsv"
    if first_line.count(",") >= 1 and "\n" in head:
        return "csv"
    return "papers"


def _looks_like_jsonl(text: str) -> bool:
    """Two or more lines that each parse as a JSON object on their own."""
    lines = [line for line in text.lstrip().splitlines()[:2] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except ValueError:
        return False


def read_delimited(text: str, path: Path, sep: str | None = None) -> pd.DataFrame:
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


def read_json(text: str, path: Path) -> pd.DataFrame:
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


def read_jsonl(text: str, path: Path) -> pd.DataFrame:
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


def read_parquet(raw: bytes, path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises many types for corrupt files
        raise TrendkitError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from exc
    if frame.empty:
        raise TrendkitError(f"{path}: Parquet file has no rows")
    return frame


_ATOM = "{http://www.w3.org/2005/Atom}"


def read_atom(text: str, path: Path) -> pd.DataFrame:
    """arXiv API Atom feeds: ``entry/id, published, title, summary, category``."""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise TrendkitError(f"{path}: malformed XML ({exc})") from exc
    rows = []
    for entry in root.iter(f"{_ATOM}entry"):
        def field(name: str, entry: ET.Element = entry) -> str | None:
            node = entry.find(f"{_ATOM}{name}")
            return node.text.strip() if node is not None and node.text else None
        entry_id = field("id") or ""
        rows.append({
            "id": entry_id.rsplit("/abs/", 1)[-1],
            "title": field("title"),
            "abstract": field("summary"),
            "date": field("published"),
            "updated": field("updated"),
            "categories": " ".join(c.get("term", "") for c in entry.findall(f"{_ATOM}category")),
        })
    if not rows:
        raise TrendkitError(f"{path}: XML holds no Atom <entry> elements")
    return pd.DataFrame(rows)


_BIB_ENTRY = re.compile(r"@(\w+)\s*[{(]\s*([^,\s]*)\s*,", re.M)


def _bib_fields(body: str) -> dict[str, str]:
    fields, i = {}, 0
    field_start = re.compile(r"\s*,?\s*([A-Za-z][\w\-]*)\s*=\s*")
    while i < len(body):
        match = field_start.match(body, i)
        if not match:
            break
        name, i = match.group(1).lower(), match.end()
        if i < len(body) and body[i] == "{":
            depth, j = 0, i
            while j < len(body):
                depth += {"{": 1, "}": -1}.get(body[j], 0)
                if depth == 0:
                    break
                j += 1
            fields[name], i = body[i + 1:j], j + 1
        elif i < len(body) and body[i] == '"':
            j = body.find('"', i + 1)
            j = len(body) if j < 0 else j
            fields[name], i = body[i + 1:j], j + 1
        else:
            match = re.match(r"[^,}\s]*", body[i:])
            fields[name], i = match.group(0), i + match.end()
    return fields


def read_bibtex(text: str, path: Path) -> pd.DataFrame:
    """Reference-manager BibTeX: ``title, abstract, year, month, date, doi/eprint``."""
    starts = list(_BIB_ENTRY.finditer(text))
    rows = []
    for k, match in enumerate(starts):
        if match.group(1).lower() in ("comment", "string", "preamble"):
            continue
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        # Braces in BibTeX values only protect capitals: {Experts} -> Experts.
        fields = {k: v.replace("{", "").replace("}", "")
                  for k, v in _bib_fields(text[match.end():end]).items()}
        date = fields.get("date")
        if not date and fields.get("year"):
            date = f"{fields.get('month', '')} {fields['year']}".strip()
        rows.append({"id": fields.get("doi") or fields.get("eprint") or match.group(2),
                     "title": fields.get("title"), "abstract": fields.get("abstract"),
                     "date": date, "eprint": fields.get("eprint"), "doi": fields.get("doi")})
    if not rows:
        raise TrendkitError(f"{path}: no BibTeX entries found")
    return pd.DataFrame(rows)


def read_papers_page(text: str, path: Path) -> pd.DataFrame:
    """A text copy of a papers listing page: title / blank line / abstract.

    Long paragraphs are abstracts; the short paragraph right before an
    abstract is its title; other short paragraphs (site header, dates) are
    skipped. Consecutive long paragraphs are one multi-paragraph abstract.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]

    def is_abstract(p: str) -> bool:
        return len(p) >= 300 or (len(p) >= 150 and p.count(". ") >= 2)

    rows: list[dict] = []
    previous_was_abstract = False
    for k, paragraph in enumerate(paragraphs):
        if is_abstract(paragraph):
            if previous_was_abstract and rows:
                rows[-1]["abstract"] += "\n" + paragraph
            elif k > 0 and not is_abstract(paragraphs[k - 1]):
                rows.append({"title": paragraphs[k - 1], "abstract": paragraph})
            previous_was_abstract = True
        else:
            previous_was_abstract = False
    if not rows:
        raise TrendkitError(f"{path}: no title/abstract paragraphs found in text")
    return pd.DataFrame(rows)


def read_excel(raw: bytes, path: Path, sheet: str | None) -> pd.DataFrame:
    """The first sheet of an Excel workbook (or ``sheet``), every cell as text."""
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
    """Read one file into a raw DataFrame (columns as in the file)."""
    if fmt is not None and fmt not in FORMATS:
        raise TrendkitError(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
    raw = read_bytes(path)
    if fmt == "parquet" or (fmt is None and raw[:4] == b"PAR1"):
        return read_parquet(raw, path)
    if fmt == "xlsx" or (fmt is None and raw[:4] == b"PK\x03\x04"):  # a zip: an Excel workbook
        return read_excel(raw, path, sheet)
    text = decode(raw, path, notes)
    if sum(ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f") for ch in text[:4096]) > 40:
        raise TrendkitError(f"{path}: looks like a binary or garbage file, not text")
    fmt = fmt or detect_format(path, text)
    if fmt == "csv":
        return read_delimited(text, path)
    if fmt == "tsv":
        return read_delimited(text, path, sep="\t")
    if fmt == "json":
        return read_json(text, path)
    if fmt == "jsonl":
        return read_jsonl(text, path)
    if fmt == "atom":
        return read_atom(text, path)
    if fmt == "bibtex":
        return read_bibtex(text, path)
    return read_papers_page(text, path)
