"""The commands that work on finished runs (``report``, ``assign``, ``evaluate``), ``fetch``
and ``demo``: each a thin call into :mod:`trendkit.workflows`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from trendkit.load.options import LoadOptions
from trendkit.trend.options import TrendOptions

from . import options as opt
from .app import app
from .output import console, done, progress_printer


@app.command("report")
@opt.asks_trends(weights=False)
def report_command(
    run_dir: opt.RunDir,
    trend: TrendOptions,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write here instead of "
                                                "replacing RUN_DIR.")] = None,
    freq: opt.Freq = None,
    normalize_by: opt.NormalizeBy = None,
    recent: opt.Recent = None,
    curate: Annotated[Optional[Path], typer.Option(
        help="TOML file of theme renames, merges and exclusions ([rename] ID = \"label\", "
             "[merge] \"label\" = [ID, ID], exclude = [ID]); applied without re-embedding.")
    ] = None,
    excel: opt.Excel = False,
    force: opt.Force = False,
    quiet: opt.Quiet = False,
) -> None:
    """Recompute trends, figures and report from a finished run (no re-embedding)."""
    from trendkit import workflows

    result = workflows.rerender(run_dir, out, trend=trend.updated(
        freq=freq, normalize_by=normalize_by, recent=recent), curate=curate, force=force,
        excel=excel, progress=progress_printer(quiet))
    done(result, out or run_dir, quiet)


@app.command("assign")
@opt.reads_documents(window=False)
def assign_command(
    run_dir: opt.RunDir,
    inputs: opt.Inputs,
    out: opt.Out,
    columns: LoadOptions,
    freq: opt.Freq = None,
    excel: opt.Excel = False,
    force: opt.Force = False,
    quiet: opt.Quiet = False,
) -> None:
    """Put new abstracts into a run's saved themes and extend its trend tables."""
    from trendkit import workflows

    result = workflows.assign(run_dir, inputs, out, columns=columns, freq=freq, force=force,
                              excel=excel, progress=progress_printer(quiet))
    done(result, out, quiet)


@app.command("compare")
@opt.reads_documents()
@opt.asks_trends()
def compare_command(
    inputs: opt.Inputs,
    out: opt.Out,
    columns: LoadOptions,
    trend: TrendOptions,
    group: Annotated[Optional[str], typer.Option(
        help="Split one input instead: COLUMN=VALUE is corpus A, every other document corpus "
             "B (e.g. venue=icra).")] = None,
    freq: opt.Freq = None,
    embedding: opt.Embedding = "auto",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    excel: opt.Excel = False,
    force: opt.Force = False,
    quiet: opt.Quiet = False,
) -> None:
    """Two corpora on one set of themes: which themes each over-represents, and where their
    trends differ (compare.csv, a figure and a report section)."""
    from trendkit import workflows

    result = workflows.compare(inputs, out, group=group, trend=trend.updated(freq=freq),
                               columns=columns, embedding=embedding, seed=seed, force=force,
                               excel=excel, progress=progress_printer(quiet))
    done(result, out, quiet)
    flagged = result.compare[result.compare["over_represented_in"] != ""]
    if not quiet:
            console.print(f"  {len(flagged)} of {len(result.compare)} themes differ between the "
                      "corpora (q < 0.05); see compare.csv", highlight=False)


@app.command("evaluate")
def evaluate_command(
    run_dir: opt.RunDir,
    label_col: Annotated[Optional[str], typer.Option(
        help="Input column with known labels (e.g. primary_category) "
             "for NMI/ARI/homogeneity.")] = None,
    quiet: opt.Quiet = False,
) -> None:
    """Score a run's themes (NPMI, diversity, agreement with labels) into quality.csv."""
    from trendkit import workflows

    result = workflows.evaluate(run_dir, label_col=label_col, progress=progress_printer(quiet))
    overall = result.quality[result.quality["scope"] == "overall"]
    for row in overall.itertuples():
        console.print(f"  {row.metric}: {row.value:.3f}")
    console.print(f"[bold green]✓[/] quality.csv and report updated in {escape(str(run_dir))}")


fetch_app = typer.Typer(help="Download abstracts into files that `trendkit run` reads.",
                        no_args_is_help=True, context_settings=opt.CONTEXT, rich_markup_mode=None)
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
    quiet: opt.Quiet = False,
) -> None:
    """Page politely through the arXiv API (3 s between requests, retries, resumable)."""
    from trendkit.load.fetch import fetch_arxiv

    report = None if quiet else (lambda n: console.print(f"[bold blue]›[/] {n:,} records…"))
    total = fetch_arxiv(query, out, date_from=date_from, date_to=date_to,
                        max_results=max_results, progress=report)
    console.print(f"[bold green]✓[/] {total:,} records in {escape(str(out))}")


@app.command()
def demo(
    out: opt.Out = Path("reports/demo"),
    n_docs: Annotated[int, typer.Option(min=200, help="Documents to generate.")] = 1800,
    seed: Annotated[int, typer.Option(help="Random seed for the generator and the model.")] = 0,
    force: opt.Force = False,
    quiet: opt.Quiet = False,
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


