"""Stage 1 — load: any abstract source into one validated DataFrame."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import TrendkitError
from .clean import clean_text
from .dates import date_from_arxiv_id, parse_dates
from .readers import FORMATS, read_file
from .schema import CANONICAL, canonicalize, deduplicate

__all__ = ["load", "load_frame", "clean_text", "parse_dates", "date_from_arxiv_id", "FORMATS"]


def load_frame(raw: pd.DataFrame, *, name: str = "frame", text_col: str | None = None,
               title_col: str | None = None, date_col: str | None = None,
               id_col: str | None = None, dedupe: bool = True) -> pd.DataFrame:
    """Canonicalize an in-memory DataFrame, as :func:`load` does for files.

    Examples
    --------
    >>> df = load_frame(pd.DataFrame({"abstract": ["Experts route tokens."], "title": ["MoE"]}))
    >>> df[["doc_id", "title", "text"]].values.tolist()
    [['frame:1', 'MoE', 'Experts route tokens.']]
    """
    notes: list[str] = []
    frame = canonicalize(raw, name, text_col=text_col, title_col=title_col,
                         date_col=date_col, id_col=id_col, notes=notes)
    return _finish(frame, notes, name, dedupe)


def _finish(frame: pd.DataFrame, notes: list[str], where: str, dedupe: bool) -> pd.DataFrame:
    # A document needs some words; fall back to the title when the abstract is empty.
    empty_text = frame["text"].str.strip() == ""
    frame.loc[empty_text, "text"] = frame.loc[empty_text, "title"]
    no_words = frame["text"].str.strip() == ""
    if no_words.all():
        raise TrendkitError(f"{where}: every document has an empty text and title")
    if no_words.any():
        notes.append(f"dropped {int(no_words.sum())} document(s) with neither text nor title")
        frame = frame[~no_words]
    if dedupe:
        frame = deduplicate(frame, notes)
    frame = frame.reset_index(drop=True)
    order = CANONICAL + [c for c in frame.columns if c not in CANONICAL]
    frame = frame[order]
    frame.attrs["notes"] = notes
    return frame


def load(paths: str | Path | Iterable[str | Path], *, text_col: str | None = None,
         title_col: str | None = None, date_col: str | None = None, id_col: str | None = None,
         format: str | None = None, dedupe: bool = True) -> pd.DataFrame:
    """Load one or more abstract files into trendkit's canonical DataFrame.

    Formats (detected from suffix and content, or forced with ``format``):
    CSV/TSV, JSON, JSON Lines, Parquet (each optionally ``.gz``), arXiv OAI
    snapshots, arXiv API Atom, OpenAlex works, BibTeX, and text copies of a
    papers listing page.

    Parameters
    ----------
    paths : path or list of paths
    text_col, title_col, date_col, id_col : str, optional
        Column names; detected from common names when omitted.
    format : str, optional
        One of :data:`FORMATS`.
    dedupe : bool, default True
        Drop duplicates by id, then by normalised title.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, title, text, date, date_source, source`` first;
        warnings (unparsed dates, duplicates, encoding) in ``df.attrs["notes"]``.

    Raises
    ------
    TrendkitError
        With a one-line message naming the file and the problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("title,abstract,date\\nMoE,Sparse experts scale.,2024-03-02\\n")
    >>> load(p)[["title", "date"]].astype(str).values.tolist()
    [['MoE', '2024-03-02']]
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise TrendkitError("no input files given")
    notes: list[str] = []
    frames = []
    for path in paths:
        raw = read_file(path, format, notes)
        frames.append(canonicalize(raw, path.name, text_col=text_col, title_col=title_col,
                                   date_col=date_col, id_col=id_col, notes=notes))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    where = paths[0].name if len(paths) == 1 else f"{len(paths)} inputs"
    return _finish(frame, notes, where, dedupe)
