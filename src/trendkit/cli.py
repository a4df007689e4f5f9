"""The ``trendkit`` command line: thin typer commands over :mod:`trendkit.workflows`.

Only typer and rich are imported up front, so ``trendkit --help`` is fast; each
command imports what it runs. Every user error, usage errors included, is one
``error: …`` line on stderr and exit code 2, whichever click typer uses.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

# The CLI only writes files: never try to open a window.
os.environ.setdefault("MPLBACKEND", "Agg")

import typer  # noqa: E402
from rich.markup import escape  # noqa: E402

from trendkit._version import __version__  # noqa: E402
from trendkit.cli_options import (  # noqa: E402
    CONTEXT,
    DateCol,
    DateFormat,
    Excel,
    Filter,
    Force,
    Format,
    Freq,
    IdCol,
    Inputs,
    NormalizeBy,
    Out,
    Quiet,
    RunDir,
    Sheet,
    Since,
    TextCol,
    TitleCol,
    Until,
    columns_option,
)
from trendkit.cli_output import (  # noqa: E402
    EmbedBar,
    click_classes,
    console,
    done,
    error_line,
    progress_printer,
)
from trendkit.errors import TrendkitError, watch_interrupts  # noqa: E402

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
def run(
    inputs: Inputs,
    out: Out,
    text_col: TextCol = None,
    title_col: TitleCol = None,
    date_col: DateCol = None,
    id_col: IdCol = None,
    format: Format = None,
    date_format: DateFormat = None,
    sheet: Sheet = None,
    since: Since = None,
    until: Until = None,
    filter: Filter = None,
    freq: Freq = None,
    normalize_by: NormalizeBy = None,
    embedding: Annotated[str, typer.Option(
        help="Embedding: auto (default: distilled when its table knows 80 % of the corpus's "
             "words, else lsa), distilled (term vectors distilled from MiniLM, shipped with "
             "trendkit, joined by vectors learned for the corpus's own words: MiniLM-like "
             "themes at TF-IDF speed), distilled-table (the table alone), lsa[:P] (TF-IDF + "
             "SVD fitted on the corpus; P weights SVD dimensions, 1.5), minilm-map[:N] "
             "(MiniLM on N=1000 sampled documents, mapped to the rest), minilm, "
             "minilm-int8, model2vec:PATH, st:PATH or a local model folder.")] = "auto",
    quality: Annotated[bool, typer.Option(
        "--quality", help="Spend more time for better themes: MiniLM transformer embeddings "
                          "(~20 abstracts/s on 2 cores) instead of the default.")] = False,
    min_topic_size: Annotated[Optional[int], typer.Option(
        min=2, help="Smallest theme (HDBSCAN min_cluster_size); "
                    "default adapts to corpus size.")] = None,
    n_topics: Annotated[Optional[int], typer.Option(
        min=1, help="Merge themes hierarchically down to this many.")] = None,
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
        inputs, out, columns=columns_option(text_col, title_col, date_col, id_col, format,
                                            date_format, sheet, since, until, filter),
        embedding="minilm" if quality else embedding, min_topic_size=min_topic_size,
        n_topics=n_topics, keep_outliers=keep_outliers, themes=declared,
        theme_threshold=threshold or 0.3, freq=freq, normalize_by=normalize_by, seed=seed,
        cache=False if no_cache else None,
        force=force, excel=excel, progress=progress_printer(quiet),
        embed_progress=None if quiet else EmbedBar(), fit_sample=fit_sample, engine=engine,
        scheduler=scheduler)
    done(result, out, quiet)


@app.command()
def trends(
    inputs: Inputs,
    out: Out,
    topic_col: Annotated[str, typer.Option(help="Column holding each document's theme "
                                           "(e.g. primary_category).")],
    date_col: DateCol = None,
    text_col: TextCol = None,
    title_col: TitleCol = None,
    id_col: IdCol = None,
    format: Format = None,
    date_format: DateFormat = None,
    sheet: Sheet = None,
    since: Since = None,
    until: Until = None,
    filter: Filter = None,
    freq: Freq = None,
    normalize_by: NormalizeBy = None,
    excel: Excel = False,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Trend tables and report for documents that already carry a theme label."""
    from trendkit import workflows

    result = workflows.run_labelled(
        inputs, out, topic_col,
        columns=columns_option(text_col, title_col, date_col, id_col, format,
                               date_format, sheet, since, until, filter),
        freq=freq, normalize_by=normalize_by, force=force, excel=excel,
        progress=progress_printer(quiet))
    done(result, out, quiet)


@app.command("report")
def report_command(
    run_dir: RunDir,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write here instead of "
                                                "replacing RUN_DIR.")] = None,
    freq: Freq = None,
    normalize_by: NormalizeBy = None,
    curate: Annotated[Optional[Path], typer.Option(
        help="TOML file of theme renames, merges and exclusions ([rename] ID = \"label\", "
             "[merge] \"label\" = [ID, ID], exclude = [ID]); applied without re-embedding.")
    ] = None,
    excel: Excel = False,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Recompute trends, figures and report from a finished run (no re-embedding)."""
    from trendkit import workflows

    result = workflows.rerender(run_dir, out, freq=freq, normalize_by=normalize_by, curate=curate,
                                force=force, excel=excel, progress=progress_printer(quiet))
    done(result, out or run_dir, quiet=True)


@app.command("assign")
def assign_command(
    run_dir: RunDir,
    inputs: Inputs,
    out: Out,
    text_col: TextCol = None,
    title_col: TitleCol = None,
    date_col: DateCol = None,
    id_col: IdCol = None,
    format: Format = None,
    date_format: DateFormat = None,
    sheet: Sheet = None,
    freq: Freq = None,
    excel: Excel = False,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Put new abstracts into a run's saved themes and extend its trend tables."""
    from trendkit import workflows

    result = workflows.assign(run_dir, inputs, out,
                              columns=columns_option(text_col, title_col, date_col, id_col, format,
                                               date_format, sheet),
                              freq=freq, force=force, excel=excel, progress=progress_printer(quiet))
    done(result, out, quiet=True)


@app.command("evaluate")
def evaluate_command(
    run_dir: RunDir,
    label_col: Annotated[Optional[str], typer.Option(
        help="Input column with known labels (e.g. primary_category) "
             "for NMI/ARI/homogeneity.")] = None,
    quiet: Quiet = False,
) -> None:
    """Score a run's themes (NPMI, diversity, agreement with labels) into quality.csv."""
    from trendkit import workflows

    result = workflows.evaluate(run_dir, label_col=label_col, progress=progress_printer(quiet))
    overall = result.quality[result.quality["scope"] == "overall"]
    for row in overall.itertuples():
        console.print(f"  {row.metric}: {row.value:.3f}")
    console.print(f"[bold green]✓[/] quality.csv and report updated in {escape(str(run_dir))}")


fetch_app = typer.Typer(help="Download abstracts into files that `trendkit run` reads.",
                        no_args_is_help=True, context_settings=CONTEXT, rich_markup_mode=None)
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("arxiv")
def fetch_arxiv_command(
    query: Annotated[str, typer.Option(
        help='arXiv search, e.g. \'cat:cs.CL AND abs:"mixture of experts"\'.')],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="JSON Lines file to write (resumed if it exists).")],
    date_from: Annotated[Optional[str], typer.Option(
        "--from", help="First submission date.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Last submission date.")] = None,
    max_results: Annotated[int, typer.Option("--max", min=1, help="Most records to fetch.")] = 1000,
    quiet: Quiet = False,
) -> None:
    """Page politely through the arXiv API (3 s between requests, retries, resumable)."""
    from trendkit.load.fetch import fetch_arxiv

    report = None if quiet else (lambda n: console.print(f"[bold blue]›[/] {n:,} records…"))
    total = fetch_arxiv(query, out, date_from=date_from, date_to=date_to,
                        max_results=max_results, progress=report)
    console.print(f"[bold green]✓[/] {total:,} records in {escape(str(out))}")


@app.command()
def demo(
    out: Out = Path("reports/demo"),
    n_docs: Annotated[int, typer.Option(min=200, help="Documents to generate.")] = 1800,
    seed: Annotated[int, typer.Option(help="Random seed for the generator and the model.")] = 0,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Generate the built-in demo corpus (planted trends) and run the full pipeline on it."""
    from trendkit import make_demo_corpus, workflows
    from trendkit.runs import check_output_dir

    check_output_dir(out, force)
    corpus = make_demo_corpus(n_docs=n_docs, seed=seed)
    data_dir = Path("data")
    corpus_path = (data_dir if data_dir.is_dir() and os.access(data_dir, os.W_OK)
                   else out.parent) / "demo_corpus.csv"
    corpus_path.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_csv(corpus_path, index=False, lineterminator="\n")
    console.print(f"[bold blue]›[/] Demo corpus: {len(corpus):,} documents → "
                  f"{escape(str(corpus_path))}")
    result = workflows.run([corpus_path], out, force=force, seed=seed,
                           progress=progress_printer(quiet))
    done(result, out, quiet)


def main() -> None:
    """Console entry point: user and usage errors become one line and exit code 2."""
    watch_interrupts()
    try:
        code = app(standalone_mode=False)
        if code == 130:  # typer turns Ctrl-C into Exit(130) and returns it here
            raise KeyboardInterrupt
        if isinstance(code, int) and code:
            sys.exit(code)
    except TrendkitError as exc:
        if _debug["on"]:
            raise
        error_line(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        console.print("[bold red]interrupted[/]: nothing was written; earlier results are intact")
        sys.exit(130)
    except click_classes("ClickException") as exc:  # usage errors: bad option, missing --out…
        context = getattr(exc, "ctx", None)
        hint = f" (see `{context.command_path} --help`)" if context is not None else ""
        message = exc.format_message()
        if isinstance(exc, click_classes("NoArgsIsHelpError")):  # its message is the whole help
            message = "missing a command"
        error_line(message + hint, 2)
    except (typer.Exit, *click_classes("Exit")) as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, *click_classes("Abort")):
        console.print("[bold red]aborted[/]")
        sys.exit(1)
    except Exception as exc:
        if _debug["on"]:
            raise
        console.print(f"[bold red]internal error:[/] {type(exc).__name__}: "
                      f"{escape(' '.join(str(exc).split())[:300])} "
                      "(rerun with --debug for the traceback)", highlight=False)
        sys.exit(1)
