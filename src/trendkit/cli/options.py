"""The command line's shared options, declared once (``Annotated`` aliases for typer)."""

from __future__ import annotations

import functools
import inspect
import typing
from pathlib import Path
from typing import Annotated, Optional

import typer

from trendkit.embed.registry import backends_help
from trendkit.load.formats import FORMATS, format_names

CONTEXT = {"help_option_names": ["-h", "--help"]}

Inputs = Annotated[list[Path], typer.Argument(
    help="Input files, globs or Parquet folders (" + "; ".join(
        f"{FORMATS[name].help}" for name in format_names()) + "; any of them .gz).",
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
Recent = Annotated[Optional[int], typer.Option(
    min=2, help="Test only the last N complete periods: the verdict is about them (default: "
                "the whole window, with turns found: a theme that rose and now falls is "
                "'peaked', one that fell and now rises 'revived').")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing run folder.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")]


RunDir = Annotated[Path, typer.Argument(help="A finished run folder (from `trendkit run`).",
                                         show_default=False)]


# How documents are read: every command that reads input files takes these, declared once.
READING = {"text_col": TextCol, "title_col": TitleCol, "date_col": DateCol, "id_col": IdCol,
           "format": Format, "date_format": DateFormat, "sheet": Sheet}
WINDOW = {"since": Since, "until": Until, "filter": Filter}


def reads_documents(window: bool = True):
    """Give a command the reading options (and, with ``window``, ``--since``, ``--until``,
    ``--filter``), passed to it as one ``columns`` :class:`~trendkit.load.LoadOptions`.

    typer reads a command's options from its signature: the decorator appends these to
    it, so each command declares only its own.
    """
    options = {**READING, **(WINDOW if window else {})}

    def decorate(command):
        signature = inspect.signature(command)
        kept = [p for p in signature.parameters.values() if p.name != "columns"]
        before = [p for p in kept if p.default is inspect.Parameter.empty]
        after = [p for p in kept if p.default is not inspect.Parameter.empty]
        added = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                   annotation=kind) for name, kind in options.items()]

        @functools.wraps(command)
        def read_then_run(**kwargs):
            from trendkit.load import LoadOptions, parse_filter

            values = {name: kwargs.pop(name) for name in options}
            filters = tuple(parse_filter(f) for f in values.pop("filter", None) or ())
            return command(columns=LoadOptions(**values, filters=filters), **kwargs)

        hints = typing.get_type_hints(command, include_extras=True)  # in the command's module
        hints.pop("columns", None)
        read_then_run.__signature__ = signature.replace(
            parameters=[p.replace(annotation=hints.get(p.name, p.annotation))
                        for p in before] + added + [p.replace(annotation=hints.get(
                            p.name, p.annotation)) for p in after])
        read_then_run.__annotations__ = {**hints, **options}
        del read_then_run.__wrapped__  # typer must see the new signature, not the command's
        return read_then_run
    return decorate
