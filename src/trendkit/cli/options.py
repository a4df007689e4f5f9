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
Freq = Annotated[Optional[str], typer.Option(
    help="Period length: day, week, month, quarter or year (default: chosen from the date "
         "span, coarser where most periods would be empty, as for a yearly conference).")]
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


Facet = Annotated[Optional[str], typer.Option(
    help="Also trend each theme within each value of this column (venue, country; list-valued "
         "cells such as arXiv categories count once in each value): facets.csv, "
         "facet_trends.csv and a facet panel.")]
FacetTop = Annotated[Optional[int], typer.Option(
    min=1, help="With --facet: keep the K largest values, the rest as 'other' (default: all; "
                "a value with a single document is an error).")]
Horizon = Annotated[Optional[int], typer.Option(
    min=1, help="Forecast each theme's share this many periods ahead, with 80 % and 95 % "
                "prediction intervals (forecast.csv and a dashed continuation).")]
Weight = Annotated[Optional[str], typer.Option(
    help="Column of non-negative document weights (citations, downloads): shares and trend "
         "tests are weighted (intervals from the effective sample size).")]
WeightMissing = Annotated[str, typer.Option(
    help="A document without a weight: error (default), zero or drop.")]

# What a trend stage asks for beyond the defaults; --weight is read by the loader too.
ANALYST = {"facet": Facet, "facet_top": FacetTop, "horizon": Horizon}
WEIGHTS = {"weight": Weight, "weight_missing": WeightMissing}


def _adds_options(options: dict, defaults: dict, combine):
    """A decorator appending ``options`` to a command's typer signature; ``combine(values,
    kwargs)`` turns their values into the command's own keyword arguments."""
    def decorate(command):
        signature = inspect.signature(command)
        hints = typing.get_type_hints(command, include_extras=True)  # in the command's module
        consumed = set(getattr(combine, "consumes", ()))
        kept = [p for p in signature.parameters.values() if p.name not in consumed]
        for name in consumed:
            hints.pop(name, None)
        before = [p for p in kept if p.default is inspect.Parameter.empty]
        after = [p for p in kept if p.default is not inspect.Parameter.empty]
        added = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                   default=defaults.get(name), annotation=kind)
                 for name, kind in options.items()]

        @functools.wraps(command)
        def wrapper(**kwargs):
            values = {name: kwargs.pop(name) for name in options}
            return command(**combine(values, kwargs))

        wrapper.__signature__ = signature.replace(
            parameters=[p.replace(annotation=hints.get(p.name, p.annotation))
                        for p in before] + added + [p.replace(annotation=hints.get(
                            p.name, p.annotation)) for p in after])
        wrapper.__annotations__ = {**hints, **options}
        del wrapper.__wrapped__  # typer must see the new signature, not the command's
        return wrapper
    return decorate


def reads_documents(window: bool = True):
    """Give a command the reading options (and, with ``window``, ``--since``, ``--until``,
    ``--filter``), passed to it as one ``columns`` :class:`~trendkit.load.LoadOptions`.

    typer reads a command's options from its signature: the decorator appends these to
    it, so each command declares only its own.
    """
    def combine(values: dict, kwargs: dict) -> dict:
        from trendkit.load import LoadOptions, parse_filter

        filters = tuple(parse_filter(f) for f in values.pop("filter", None) or ())
        return {**kwargs, "columns": LoadOptions(**values, filters=filters)}
    combine.consumes = ("columns",)
    return _adds_options({**READING, **(WINDOW if window else {})}, {}, combine)


def asks_trends(weights: bool = True):
    """Give a command ``--facet``, ``--facet-top``, ``--horizon`` (and, with ``weights``,
    ``--weight``, ``--weight-missing``), passed to it as one ``trend``
    :class:`~trendkit.trend.options.TrendOptions` (and ``--weight-missing`` into
    ``columns``: the loader applies it)."""
    def combine(values: dict, kwargs: dict) -> dict:
        from dataclasses import replace

        from trendkit.trend.options import TrendOptions

        missing = values.pop("weight_missing", "error")
        if weights and kwargs.get("columns") is not None:
            kwargs["columns"] = replace(kwargs["columns"], weight_missing=missing)
        return {**kwargs, "trend": TrendOptions(**values)}
    combine.consumes = ("trend",)
    return _adds_options({**ANALYST, **(WEIGHTS if weights else {})},
                         {"weight_missing": "error"}, combine)
