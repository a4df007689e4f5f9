"""The command line's shared options, declared once (``Annotated`` aliases for typer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from trendkit.embed.registry import backends_help
from trendkit.load.formats import FORMATS, format_names

CONTEXT = {"help_option_names": ["-h", "--help"]}

Inputs = Annotated[list[Path], typer.Argument(
    help="Input files, globs or Parquet folders (" + "; ".join(
        FORMATS[name].help for name in format_names()) + "; optionally .gz).",
    show_default=False)]
Out = Annotated[Path, typer.Option("--out", "-o", help="Run folder to create.")]
TextCol = Annotated[Optional[str], typer.Option(help="Column with the abstract text "
                                                "(default: abstract/summary/text/...).")]
TitleCol = Annotated[Optional[str], typer.Option(help="Column with the title (default: title).")]
DateCol = Annotated[Optional[str], typer.Option(help="Column with the date "
                                                "(default: date/published/update_date/...).")]
IdCol = Annotated[Optional[str], typer.Option(help="Column with a document id "
                                              "(default: id/arxiv_id/doi/...).")]
Format = Annotated[Optional[str], typer.Option(
    "--format", help="Force the input format: " + ", ".join(format_names()) + ".")]
Embedding = Annotated[str, typer.Option(
    help="Embedding backend: " + backends_help() + "; or a local model folder.")]
DateFormat = Annotated[Optional[str], typer.Option(
    help="strftime format of the dates, e.g. %d/%m/%Y (default: inferred; day-first when a "
         "day above 12 says so).")]
Sheet = Annotated[Optional[str], typer.Option(help="Excel sheet to read (default: the first).")]
Since = Annotated[Optional[str], typer.Option(help="Keep documents dated on or after this day "
                                              "(YYYY-MM-DD).")]
Until = Annotated[Optional[str], typer.Option(help="Keep documents dated on or before this day.")]
Filter = Annotated[Optional[list[str]], typer.Option(
    "--filter", help="Keep rows whose COLUMN matches a glob: COLUMN=PAT[,PAT...] (repeatable; "
                     "list-like values such as arXiv categories match by item).")]
NormalizeBy = Annotated[Optional[str], typer.Option(
    help="Category or source column (e.g. primary_category): each theme's share is taken "
         "within the categories it lives in, so a category that starts or stops being "
         "collected does not pass for a trend.")]
Excel = Annotated[bool, typer.Option("--excel", help="Also write trends.xlsx, one sheet per "
                                     "table.")]
Freq = Annotated[Optional[str], typer.Option(help="Period length: day, week, month, quarter or "
                                             "year (default: chosen from the date span).")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing run folder.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")]


def columns_option(text_col=None, title_col=None, date_col=None, id_col=None, format=None,
             date_format=None, sheet=None, since=None, until=None, filters=None):
    from trendkit.load import LoadOptions, parse_filter

    return LoadOptions(text_col=text_col, title_col=title_col, date_col=date_col, id_col=id_col,
                       format=format, date_format=date_format, sheet=sheet, since=since,
                       until=until, filters=tuple(parse_filter(f) for f in filters or ()))


RunDir = Annotated[Path, typer.Argument(help="A finished run folder (from `trendkit run`).",
                                         show_default=False)]
