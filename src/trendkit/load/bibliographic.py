"""Readers for bibliographic text formats: arXiv Atom feeds, EndNote XML, BibTeX, RIS,
MEDLINE and Web of Science plain-text exports, copied papers pages.

Each registers itself as an input format (:mod:`trendkit.load.formats`); every
problem is a :class:`~trendkit.errors.TrendkitError` naming the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TrendkitError
from .formats import input_format

if TYPE_CHECKING:
    import pandas as pd

_ATOM = "{http://www.w3.org/2005/Atom}"


@input_format("atom", help="arXiv API Atom XML (or EndNote XML)", suffixes=(".atom", ".xml"),
              sniff=lambda head: head.startswith("<"))
def read_atom(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """arXiv API Atom feeds: ``entry/id, published, title, summary, category``."""
    import pandas as pd

    root = _xml(text, path)
    if root.find(f"{_ATOM}entry") is None and root.find(".//record") is not None:
        return _endnote(root, path)  # EndNote XML (EndNote, Zotero, Mendeley), also .xml
    rows = _entries(root, path)
    if not rows:
        raise TrendkitError(f"{path}: XML holds no Atom <entry> or EndNote <record> elements")
    return pd.DataFrame(rows)


def _xml(text: str, path: Path) -> ET.Element:
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise TrendkitError(f"{path}: malformed XML ({exc})") from exc


def atom_entries(text: str, path: Path) -> list[dict]:
    """The records of an Atom feed (``[]`` for a feed of none: past the last result).

    The arXiv API answers a bad query with one entry whose id is an ``/api/errors``
    address: that is raised as the error it is, not read as a paper.

    Examples
    --------
    >>> feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
    ...         '<id>http://arxiv.org/abs/2501.00001v1</id><title>T</title></entry></feed>')
    >>> [e["id"] for e in atom_entries(feed, Path("api"))]
    ['2501.00001v1']
    >>> atom_entries('<feed xmlns="http://www.w3.org/2005/Atom"/>', Path("api"))
    []
    """
    return _entries(_xml(text, path), path)


def _entries(root: ET.Element, path: Path) -> list[dict]:
    rows = []
    for entry in root.iter(f"{_ATOM}entry"):
        def field(name: str, entry: ET.Element = entry) -> str | None:
            node = entry.find(f"{_ATOM}{name}")
            return node.text.strip() if node is not None and node.text else None
        entry_id = field("id") or ""
        if "/api/errors" in entry_id:
            raise TrendkitError(f"{path}: the arXiv API answered with an error: "
                                f"{field('summary') or entry_id}")
        rows.append({
            "id": entry_id.rsplit("/abs/", 1)[-1],
            "title": field("title"),
            "abstract": field("summary"),
            "date": field("published"),
            "updated": field("updated"),
            "categories": " ".join(c.get("term", "") for c in entry.findall(f"{_ATOM}category")),
        })
    return rows


def _endnote(root: ET.Element, path: Path) -> pd.DataFrame:
    """EndNote XML records: ``titles/title``, ``abstract``, ``dates/year`` with
    ``dates/pub-dates/date`` ("Mar 15") where it names no year of its own, the DOI from
    ``electronic-resource-num``; every value is the text of its ``<style>`` runs."""
    import pandas as pd

    def text(record: ET.Element, where: str) -> str | None:
        node = record.find(where)
        value = " ".join("".join(node.itertext()).split()) if node is not None else ""
        return value or None

    rows = []
    for record in root.iter("record"):
        year, day = text(record, "dates/year"), text(record, "dates/pub-dates/date")
        date = day if day and re.search(r"\b\d{4}\b", day) else (
            f"{day} {year}" if day and year else year)
        doi = text(record, "electronic-resource-num")
        rows.append({"id": doi or text(record, "accession-num") or text(record, "rec-number"),
                     "title": text(record, "titles/title"), "abstract": text(record, "abstract"),
                     "date": date, "journal": text(record, "titles/secondary-title"),
                     "doi": doi})
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


@input_format("bibtex", help="BibTeX", suffixes=(".bib", ".bibtex"),
              sniff=lambda head: re.match(r"@\w+\s*[{(]", head) is not None)
def read_bibtex(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """Reference-manager BibTeX: ``title, abstract, year, month, date, doi/eprint``."""
    import pandas as pd

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


# "TI  - A title" (RIS: two-letter tags) or "PMID- 123" (MEDLINE: up to four letters)
_TAG = re.compile(r"([A-Z][A-Z0-9]{1,3})\s*-(?:\s(.*))?$")


# "TI A title" (Web of Science plain text: two-character tags, a space, the value); the
# text fields wrap onto indented lines, the others (authors, addresses) list one a line
_WOS_TAG = re.compile(r"([A-Z][A-Z0-9]) (.*)$")
_WOS_TEXT = {"TI", "AB", "SO", "SE", "BS", "CT", "FU", "FX", "PU", "PA"}


def _tagged(text: str, first: str, tag_pattern: re.Pattern = _TAG,
            lines_are_values: bool = False) -> list[dict[str, list[str]]]:
    """Records of a tagged export: each starts at tag ``first`` and ends at ``ER`` or the
    next ``first``; an indented line continues the value before it (MEDLINE wraps), or
    with ``lines_are_values`` is the tag's next value (Web of Science: one author a line)."""
    records, current, last = [], None, None
    for line in text.splitlines():
        match = tag_pattern.match(line)
        if match is None:
            if current is not None and last and line[:1].isspace() and line.strip():
                if lines_are_values:
                    current[last].append(line.strip())
                else:
                    current[last][-1] += " " + line.strip()
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == first:
            current = {}
            records.append(current)
        if current is None:
            continue
        if tag == "ER":
            current, last = None, None
            continue
        current.setdefault(tag, []).append(value)
        last = tag
    return records


def _field(record: dict, *tags: str) -> str | None:
    """The first value of the first tag present (in the order given)."""
    return next((record[t][0] for t in tags if record.get(t) and record[t][0]), None)


@input_format("ris", help="RIS export (Scopus, Web of Science, Zotero, EndNote)",
              suffixes=(".ris",), sniff=lambda head: re.match(r"TY  -", head) is not None)
def read_ris(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """RIS: ``TI``/``T1`` title, ``AB``/``N2`` abstract, ``DA``/``PY``/``Y1`` date
    (``2021/03/15/`` or ``2021``), ``DO`` DOI, ``ID`` or ``AN`` record id."""
    import pandas as pd

    rows = []
    for record in _tagged(text, "TY"):
        date = _field(record, "DA", "PY", "Y1")
        date = "-".join(part for part in date.split("/")[:3] if part.strip()) if date else None
        doi = _field(record, "DO")
        rows.append({"id": doi or _field(record, "ID", "AN"), "title": _field(record, "TI", "T1"),
                     "abstract": _field(record, "AB", "N2"), "date": date or None, "doi": doi})
    if not rows:
        raise TrendkitError(f"{path}: no RIS records found (each begins with 'TY  - ')")
    return pd.DataFrame(rows)


@input_format("medline", help="PubMed MEDLINE export", suffixes=(".nbib", ".medline"),
              sniff=lambda head: re.match(r"PMID- ?\d", head) is not None)
def read_medline(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """PubMed's MEDLINE format: ``PMID``, ``TI`` title, ``AB`` abstract, ``DP`` date
    ("2021 Mar 15"), the DOI from ``LID``/``AID`` ("10.1/x [doi]")."""
    import pandas as pd

    rows = []
    for record in _tagged(text, "PMID"):
        doi = next((v.split()[0] for v in record.get("LID", []) + record.get("AID", [])
                    if v.endswith("[doi]")), None)
        rows.append({"id": _field(record, "PMID"), "title": _field(record, "TI"),
                     "abstract": _field(record, "AB"), "date": _field(record, "DP"), "doi": doi})
    if not rows:
        raise TrendkitError(f"{path}: no MEDLINE records found (each begins with 'PMID- ')")
    return pd.DataFrame(rows)


@input_format("wos", help="Web of Science plain-text export (savedrecs.txt)",
              sniff=lambda head: re.match(r"(FN |PT [A-Z]\b)", head) is not None)
def read_wos(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """Web of Science's plain-text export, one column per field tag (``TI``, ``AB``,
    ``PY``, ``PD``, ``UT``, ...): the tab-delimited export's columns, so both are then
    read alike (:mod:`trendkit.load.presets`: title, abstract, date from PY and PD)."""
    import pandas as pd

    from .presets import WEB_OF_SCIENCE  # lazily, as pandas: the CLI lists formats light

    rows = [{tag: (" " if tag in _WOS_TEXT else "; ").join(values)
             for tag, values in record.items()}
            for record in _tagged(text, "PT", _WOS_TAG, lines_are_values=True)]
    if not rows:
        raise TrendkitError(f"{path}: no Web of Science records found (each begins with 'PT ')")
    frame = pd.DataFrame(rows)
    # Fields no record has are still the export's: the preset must recognise it
    missing = [tag for tag in WEB_OF_SCIENCE.signature if tag not in frame.columns]
    return frame.reindex(columns=[*frame.columns, *missing])


@input_format("papers", help="a text copy of a papers listing page")
def read_papers_page(text: str, path: Path, sheet=None) -> pd.DataFrame:
    """A text copy of a papers listing page: title / blank line / abstract.

    Long paragraphs are abstracts; the short paragraph right before an
    abstract is its title; other short paragraphs (site header, dates) are
    skipped. Consecutive long paragraphs are one multi-paragraph abstract.
    """
    import pandas as pd

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
