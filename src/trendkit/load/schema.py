"""Map raw frames from any source onto trendkit's canonical schema.

Canonical columns: ``doc_id, title, text, date, date_source, source`` plus
``text_raw`` (the uncleaned text) and every other input column passed through.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from ..errors import TrendkitError
from .clean import clean_column
from .dates import date_from_arxiv_id, find_date_column, parse_dates
from .presets import WEB_OF_SCIENCE, detect_preset, wos_dates

TEXT_CANDIDATES = ("abstract", "summary", "text", "abstract_text", "content", "body",
                   "description", "abstracttext", "abstract_inverted_index")
TITLE_CANDIDATES = ("title", "display_name", "paper_title", "name", "headline")
DATE_CANDIDATES = ("date", "published", "publication_date", "published_date", "pub_date",
                   "created", "update_date", "updated", "year", "publication_year", "versions")
ID_CANDIDATES = ("doc_id", "id", "arxiv_id", "paper_id", "doi", "eprint", "uid", "pmid", "key")
CANONICAL = ["doc_id", "title", "text", "date", "date_source", "source"]


def _pick(columns: list[str], wanted: str | None, candidates: tuple[str, ...], role: str,
          option: str, where: str, required: bool = False) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise TrendkitError(
                f"{where}: {option} {wanted!r} not found; "
                f"columns are: {', '.join(map(str, columns))}")
        return wanted
    # "Publication Date", "publication-date" and "publication_date" name the same column
    lower = {re.sub(r"[\s\-]+", "_", str(c).strip().lower()): c for c in columns}
    for name in candidates:
        if name in lower:
            return lower[name]
    if required:
        raise TrendkitError(
            f"{where}: no {role} column found among: {', '.join(map(str, columns)) or '(none)'}; "
            f"name one with {option}")
    return None


def _rebuild_inverted_index(value: object) -> str:
    """OpenAlex stores abstracts as {word: [positions]}; put the words back in order."""
    if isinstance(value, str) and value.lstrip().startswith("{"):  # JSON text in a CSV export
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if not isinstance(value, dict):
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    positions = [(pos, word) for word, places in value.items() for pos in (places or [])]
    return " ".join(word for _, word in sorted(positions))


def _first_version_date(value: object) -> object:
    # arXiv OAI snapshot: versions = [{"version": "v1", "created": "Mon, 2 Apr 2007 ..."}]
    if isinstance(value, (list, np.ndarray)) and len(value) and isinstance(value[0], dict):
        return value[0].get("created")
    return value


def canonicalize(raw: pd.DataFrame, where: str, *, text_col: str | None = None,
                 title_col: str | None = None, date_col: str | None = None,
                 id_col: str | None = None, date_format: str | None = None,
                 notes: list[str] | None = None, first_row: int = 0,
                 clean: bool = True) -> pd.DataFrame:
    """Turn one raw frame into the canonical schema (no de-duplication).

    Documents without an id get ``WHERE:ROW``, rows counted from
    ``first_row + 1`` (a chunk of a larger file passes its offset).
    ``clean=False`` leaves title and text as read (the streaming driver cleans
    only the rows it keeps: see :func:`clean_rows`).

    Examples
    --------
    >>> raw = pd.DataFrame({"summary": ["Sparse experts."], "published": ["2024-03-01"]})
    >>> canonicalize(raw, "x.csv")[["doc_id", "text", "date_source"]].values.tolist()
    [['x.csv:1', 'Sparse experts.', 'given']]
    """
    notes = notes if notes is not None else []
    raw = raw.reset_index(drop=True)
    raw.columns = [str(c) for c in raw.columns]
    columns = list(raw.columns)
    preset = detect_preset(columns)
    if preset is not None:
        notes.append(f"{where}: read as a {preset.name} export")
        found = {role: c for role, c in preset.columns.items() if c in columns}
        text_col = text_col or found.get("text")
        title_col = title_col or found.get("title")
        date_col = date_col or found.get("date")
        id_col = id_col or found.get("id")
    elif date_col is None and "versions" in columns:
        # arXiv OAI snapshot: the v1 date is the submission; update_date is the last edit.
        date_col = "versions"
    text_name = _pick(columns, text_col, TEXT_CANDIDATES, "text", "--text-col", where)
    title_name = _pick(columns, title_col, TITLE_CANDIDATES, "title", "--title-col", where)
    if text_name is None and title_name is None:
        raise TrendkitError(
            f"{where}: no text column found among: {', '.join(columns) or '(none)'}; "
            "name one with --text-col")
    if text_name is None:  # themes from titles alone are coarser: the user should know
        notes.append(f"{where}: no abstract column found among: {', '.join(columns)}; "
                     "documents are read by their titles alone (name one with --text-col)")
    date_name = _pick(columns, date_col, DATE_CANDIDATES, "date", "--date-col", where)
    id_name = _pick(columns, id_col, ID_CANDIDATES, "id", "--id-col", where)
    if date_name is None and date_col is None:
        date_name = find_date_column(raw, {text_name, title_name, id_name}, where, notes)

    out = pd.DataFrame(index=raw.index)
    if id_name is not None:
        ids = raw[id_name].astype(object).where(raw[id_name].notna(), None)
        ids = ids.map(lambda v: "" if v is None else str(v).strip())
        ids = ids.str.replace(r"^https?://(?:arxiv\.org/abs/|openalex\.org/|doi\.org/)", "",
                              regex=True)
        missing = ids == ""
        ids[missing] = [f"{where}:{first_row + i + 1}" for i in np.flatnonzero(missing)]
        out["doc_id"] = ids
    else:
        out["doc_id"] = [f"{where}:{first_row + i + 1}" for i in range(len(raw))]

    if text_name is not None:
        text_values = raw[text_name]
        if text_name.lower() == "abstract_inverted_index" or text_values.map(
                lambda v: isinstance(v, dict)).any():
            text_values = text_values.map(_rebuild_inverted_index)
        out["text_raw"] = text_values.astype(object).where(text_values.notna(), "").astype(str)
        if preset is not None and preset.placeholders:
            out.loc[out["text_raw"].str.strip().isin(preset.placeholders), "text_raw"] = ""
    else:
        out["text_raw"] = ""
    if text_name is not None and len(out) and (out["text_raw"].str.strip() == "").all():
        notes.append(f"{where}: {text_name!r} is empty in every row; documents are read by "
                     "their titles alone")
    title = raw[title_name] if title_name is not None else pd.Series("", index=raw.index)
    out["title"] = clean_column(title) if clean else title.fillna("").astype(str)
    out["text"] = clean_column(out["text_raw"]) if clean else out["text_raw"]

    dates = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    date_source = pd.Series("none", index=raw.index, dtype=object)
    if date_name is not None:
        values = raw[date_name]
        if date_name.lower() == "versions":
            values = values.map(_first_version_date)
        elif preset is WEB_OF_SCIENCE and date_name == "PY":
            values = wos_dates(raw)
        dates = parse_dates(values, date_format=date_format, notes=notes,
                            where=f"{where}: {date_name!r}")
        given = values.notna() & (values.astype(str).str.strip() != "")
        date_source[dates.notna()] = "arxiv_v1" if date_name.lower() == "versions" else "given"
        unparsed = int((given & dates.isna()).sum())
        if unparsed:
            notes.append(f"{where}: {unparsed} date value(s) in {date_name!r} could not be "
                         "parsed (or fell outside 1900-2100) and are missing")
    need = dates.isna()
    if need.any():
        inferred = out.loc[need, "doc_id"].map(date_from_arxiv_id)
        found = inferred.notna()
        if found.any():
            dates.loc[inferred.index[found]] = pd.to_datetime(inferred[found]).values
            date_source.loc[inferred.index[found]] = "arxiv_id"
    out["date"] = dates
    out["date_source"] = date_source
    out["source"] = where

    used = {n for n in (text_name, title_name, date_name, id_name) if n is not None}
    for column in columns:
        if column not in used and column not in out.columns:
            out[column] = raw[column]
    return out


def clean_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Clean title and text of a frame made with ``canonicalize(..., clean=False)``."""
    return frame.assign(title=clean_column(frame["title"]), text=clean_column(frame["text_raw"]))


def fill_empty_text(frame: pd.DataFrame, drop: bool = True) -> pd.DataFrame:
    """Documents without an abstract are read by their title; those with neither are dropped.

    The one place this rule lives: the in-memory loader and the streaming reader both
    call it (on cleaned text, or on text as read and again, with ``drop=False``, once
    the rows it keeps are cleaned: their number is fixed by then).

    Examples
    --------
    >>> frame = pd.DataFrame({"title": ["MoE", "", "A"], "text": ["", " ", "Experts."]})
    >>> fill_empty_text(frame)["text"].tolist()
    ['MoE', 'Experts.']
    """
    empty = frame["text"].str.strip() == ""
    frame = frame.assign(text=frame["text"].where(~empty, frame["title"]))
    return frame[frame["text"].str.strip() != ""] if drop else frame
