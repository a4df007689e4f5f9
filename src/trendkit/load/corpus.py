"""Reading a corpus into trendkit's canonical DataFrame, from files or from a frame."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..cache import CacheLike, as_cache, atomic_write, sha256_file
from ..errors import TrendkitError
from .dedupe import deduplicate
from .filters import check_date, filter_columns, filter_dates
from .inputs import expand_inputs
from .options import LoadOptions
from .readers import read_file
from .schema import CANONICAL, canonicalize, fill_empty_text
from .weights import with_weights


def load_frame(raw: pd.DataFrame, *, name: str = "frame", text_col: str | None = None,
               title_col: str | None = None, date_col: str | None = None,
               id_col: str | None = None, dedupe: bool = True) -> pd.DataFrame:
    """Canonicalize an in-memory DataFrame, as :func:`load_corpus` does for files.

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
    n_read = len(frame)
    frame = fill_empty_text(frame)  # a document needs some words: the title, if nothing else
    if frame.empty:
        raise TrendkitError(f"{where}: every document has an empty text and title")
    if len(frame) < n_read:
        notes.append(f"dropped {n_read - len(frame)} document(s) with neither text nor title")
    if dedupe:
        frame = deduplicate(frame, notes)
    frame = frame.reset_index(drop=True)
    order = CANONICAL + [c for c in frame.columns if c not in CANONICAL]
    frame = frame[order]
    frame.attrs["notes"] = notes
    return frame


def load_corpus(paths: str | Path | Iterable[str | Path], options: LoadOptions | None = None, *,
         text_col: str | None = None, title_col: str | None = None, date_col: str | None = None,
         id_col: str | None = None, format: str | None = None, dedupe: bool = True,
         cache: CacheLike = False) -> pd.DataFrame:
    """Load one or more abstract files into trendkit's canonical DataFrame.

    Formats (detected from suffix and content, or forced with ``format``):
    CSV/TSV, JSON, JSON Lines, Parquet (each optionally ``.gz``), arXiv OAI
    snapshots, arXiv API Atom, OpenAlex works, BibTeX, and text copies of a
    papers listing page.

    Parameters
    ----------
    paths : path, glob, Parquet folder, or a list of them
    options : LoadOptions, optional
        All reading options as one object (then the keyword columns are ignored).
    text_col, title_col, date_col, id_col : str, optional
        Column names; detected from common names when omitted.
    format : str, optional
        A registered format (:data:`trendkit.load.formats.FORMATS`).
    dedupe : bool, default True
        Drop duplicates by id, then by normalised title.
    cache : False, None, path or Cache
        Reuse the canonical frame of byte-identical inputs read with the same
        options (Parquet + JSON notes in the cache folder). Off by default.

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
    >>> load_corpus(p)[["title", "date"]].astype(str).values.tolist()
    [['MoE', '2024-03-02']]
    """
    paths = expand_inputs(paths)
    options = options or LoadOptions(text_col=text_col, title_col=title_col, date_col=date_col,
                                     id_col=id_col, format=format)
    check_date(options.since, "--since")
    check_date(options.until, "--until")
    store = as_cache(cache)
    if store is None or not all(p.is_file() for p in paths):
        return _load(paths, options, dedupe)
    # Keyed by the inputs' bytes, the options and trendkit's version (in Cache.key).
    key = store.key(json.dumps([sorted(options.as_dict().items()), dedupe,
                                [sha256_file(p) for p in paths]]))
    frame_path = store.path("loaded", key, ".parquet")
    notes_path = store.path("loaded", key, ".json")
    if frame_path.exists() and notes_path.exists():
        try:
            docs = pd.read_parquet(frame_path)
            docs.attrs["notes"] = json.loads(notes_path.read_text())
            return docs
        except (OSError, ValueError):
            pass  # damaged cache entry: load afresh
    docs = _load(paths, options, dedupe)
    # Notes first: a frame entry without its notes is never read back.
    if atomic_write(notes_path, lambda f: f.write(json.dumps(docs.attrs["notes"]).encode())):
        atomic_write(frame_path, lambda f: docs.to_parquet(f, index=False))
    return docs


def _load(paths: list[Path], options: LoadOptions, dedupe: bool) -> pd.DataFrame:
    notes: list[str] = []
    frames = []
    for path in paths:
        raw = read_file(path, options.format, notes, sheet=options.sheet)
        raw = filter_columns(raw, options.filters, path.name, notes)
        frames.append(canonicalize(raw, path.name, text_col=options.text_col,
                                   title_col=options.title_col, date_col=options.date_col,
                                   id_col=options.id_col, date_format=options.date_format,
                                   notes=notes))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame = filter_dates(frame, options.since, options.until, notes)
    where = paths[0].name if len(paths) == 1 else f"{len(paths)} inputs"
    frame = with_weights(frame, options.weight, options.weight_missing, notes, where)
    if frame.empty:
        raise TrendkitError(f"{where}: no documents left after --filter/--since/--until")
    return _finish(frame, notes, where, dedupe)
