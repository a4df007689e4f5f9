"""The typer app, and the commands that discover themes: ``run`` and ``trends``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

# The CLI only writes files: never try to open a window.
os.environ.setdefault("MPLBACKEND", "Agg")

import typer  # noqa: E402

from trendkit._version import __version__  # noqa: E402
from trendkit.cli.options import (  # noqa: E402
    CONTEXT,
    Embedding,
    Excel,
    Force,
    Freq,
    Inputs,
    NormalizeBy,
    Out,
    Quiet,
    Recent,
    asks_trends,
    reads_documents,
)
from trendkit.cli.output import (  # noqa: E402
    EmbedBar,
    done,
    progress_printer,
)
from trendkit.errors import TrendkitError  # noqa: E402
from trendkit.load.options import LoadOptions  # noqa: E402
from trendkit.trend.options import TrendOptions  # noqa: E402

app = typer.Typer(help="trendkit: named themes and tested trends in research abstracts, offline.",
                  add_completion=False, pretty_exceptions_enable=False,
                  context_settings=CONTEXT, rich_markup_mode=None)
_debug = {"on": False}

def _version(value: bool) -> None:
    if value:
        typer.echo(f"trendkit {__version__}")
        raise typer.Exit()


@app.callback(no_args_is_help=False, invoke_without_command=True)
def _main(ctx: typer.Context,
          debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
          version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False
          ) -> None:
    _debug["on"] = debug
    if ctx.invoked_subcommand is None:
        names = ", ".join(sorted(ctx.command.commands))
        raise TrendkitError(f"no command given; choose one of: {names} (trendkit --help)")


@app.command()
@reads_documents()
@asks_trends()
def run(
    inputs: Inputs,
    out: Out,
    columns: LoadOptions,
    trend: TrendOptions,
    freq: Freq = None,
    normalize_by: NormalizeBy = None,
    recent: Recent = None,
    embedding: Embedding = "auto",
    quality: Annotated[bool, typer.Option(
        "--quality", help="Spend more time for better themes: MiniLM transformer embeddings "
                          "(~20 abstracts/s on 2 cores) instead of the default.")] = False,
    min_topic_size: Annotated[Optional[int], typer.Option(
        min=2, help="Smallest theme (HDBSCAN min_cluster_size); "
                    "default adapts to corpus size.")] = None,
    n_topics: Annotated[Optional[int], typer.Option(
        min=1, help="Exactly this many themes: merged down, or split from finer density "
                    "leaves (a one-line note says when fewer exist).")] = None,
    keep_outliers: Annotated[bool, typer.Option(
        "--keep-outliers",
        help="Keep density outliers as theme -1 instead of reassigning them.")] = False,
    themes: Annotated[Optional[Path], typer.Option(
        help="TOML file of declared themes: [name] phrases = [...]; close documents get "
             "them, the rest are clustered freely.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same input and seed → same output).")] = 0,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the "
                                           "embedding cache.")] = False,
    fit_sample: Annotated[Optional[int], typer.Option(
        min=100, help="Stream the input: fit themes on a period-stratified sample of this many "
                      "documents, then assign every document in partitions (memory stays flat). "
                      "Default for inputs over 1 GB: 50000.")] = None,
    engine: Annotated[str, typer.Option(
        help="Where partitions are assigned when streaming: single (this process) or dask "
             "(needs trendkit[dask]).")] = "single",
    scheduler: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address (with --engine dask); default: a local cluster with "
             "one worker per core.")] = None,
    excel: Excel = False,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Discover themes in abstracts and write trend tables, figures and a report."""
    from trendkit import workflows
    from trendkit.load import read_themes

    declared, threshold = read_themes(themes) if themes is not None else (None, None)
    result = workflows.run(
        inputs, out, columns=columns,
        embedding="minilm" if quality else embedding, min_topic_size=min_topic_size,
        n_topics=n_topics, keep_outliers=keep_outliers, themes=declared,
        theme_threshold=threshold or 0.3, freq=freq, normalize_by=normalize_by,
        trend=trend.updated(recent=recent), seed=seed,
        cache=False if no_cache else None,
        force=force, excel=excel, progress=progress_printer(quiet),
        embed_progress=None if quiet else EmbedBar(), fit_sample=fit_sample, engine=engine,
        scheduler=scheduler)
    done(result, out, quiet)


@app.command()
@reads_documents()
@asks_trends()
def trends(
    inputs: Inputs,
    out: Out,
    topic_col: Annotated[str, typer.Option(help="Column holding each document's theme "
                                           "(e.g. primary_category).")],
    columns: LoadOptions,
    trend: TrendOptions,
    freq: Freq = None,
    normalize_by: NormalizeBy = None,
    recent: Recent = None,
    excel: Excel = False,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Trend tables and report for documents that already carry a theme label."""
    from trendkit import workflows

    result = workflows.run_labelled(
        inputs, out, topic_col, columns=columns,
        trend=trend.updated(freq=freq, normalize_by=normalize_by, recent=recent), force=force,
        excel=excel, progress=progress_printer(quiet))
    done(result, out, quiet)


