"""``LoadOptions``: how to read the input, passed as one object from the CLI to the loader."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Input formats --format accepts (kept here, free of pandas, so the CLI's help is fast).
FORMATS = ("csv", "tsv", "json", "jsonl", "parquet", "atom", "bibtex", "papers")


@dataclass(frozen=True)
class LoadOptions:
    """Column names and format for :func:`trendkit.load`; ``None`` means detect.

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

    def as_dict(self) -> dict:
        return asdict(self)
