"""``LoadOptions``: how to read the input, passed as one object from the CLI to the loader."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LoadOptions:
    """How to read the input for :func:`trendkit.load`; ``None`` means detect.

    Attributes
    ----------
    text_col, title_col, date_col, id_col : str, optional
        Column names (detected from common names and known exports when omitted).
    format : str, optional
        A registered input format (:data:`trendkit.load.formats.FORMATS`).
    date_format : str, optional
        strftime format of the date column (e.g. ``"%d/%m/%Y"``); overrides inference.
    sheet : str, optional
        Excel sheet to read (default: the first).
    since, until : str, optional
        Keep documents dated in this window (inclusive).
    filters : tuple of (column, patterns)
        Keep rows whose column matches one of the glob patterns (see
        :func:`trendkit.load.filters.parse_filter`).
    weight : str, optional
        A column of non-negative document weights (``--weight``; see
        :mod:`trendkit.load.weights`).
    weight_missing : {"error", "zero", "drop"}
        What a document without a weight means.

    Examples
    --------
    >>> LoadOptions(text_col="body").as_dict()["text_col"]
    'body'
    """

    text_col: str | None = None
    title_col: str | None = None
    date_col: str | None = None
    id_col: str | None = None
    format: str | None = None
    date_format: str | None = None
    sheet: str | None = None
    since: str | None = None
    until: str | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    weight: str | None = None
    weight_missing: str = "error"

    def as_dict(self) -> dict:
        return asdict(self)
