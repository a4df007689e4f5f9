"""What the command line prints: progress, an embedding bar, the closing summary, errors.

Everything goes to stderr (one message per line, never wrapped), so stdout
stays free for ``--help`` and ``--version``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

console = Console(stderr=True, soft_wrap=True)


def progress_printer(quiet: bool):
    if quiet:
        return None
    return lambda message: console.print(f"[bold blue]›[/] {escape(message)}…")


class EmbedBar:
    """A progress bar for embedding (documents done / total), shown while it runs."""

    def __init__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress("  embedding", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=console, transient=True)
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("embed", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.bar.stop()


WRITTEN: dict = {}  # the run folder a command finished writing (see cli.main)


def done(result, out: Path, quiet: bool = False, max_notes: int = 8) -> None:
    WRITTEN["out"] = out  # from here on the folder is complete, whatever interrupts us
    counts = result.theme_summary["status"].value_counts().to_dict()
    n_docs = result.meta.get("n_documents", len(result.documents))
    console.print(f"[bold green]✓[/] {n_docs:,} document{'s' * (n_docs != 1)}, "
                  f"{result.n_themes} theme{'s' * (result.n_themes != 1)} → "
                  f"{escape(str(out))}/report.html")
    if result.has_dates:
        from trendkit.report.sentences import untested

        subs = result.summary.loc[result.summary["topic_id"].isin(result.subthemes["topic_id"])]
        moving = int(subs["status"].isin(["new", "emerging", "declining", "faded", "peaked",
                                          "revived"]).sum())
        console.print("  " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) +
                      (f"; {len(subs)} sub-themes, {moving} of them moving" if len(subs) else ""))
        reason = untested(result)
        if reason:
            console.print(f"  [yellow]not tested:[/] {escape(reason)}", highlight=False)
    else:
        console.print("  no dates in the input: theme tables only, trend tables empty")
    notes = result.meta.get("notes", [])
    if not quiet:  # what the loader decided or doubted (day-first dates, duplicates, ...)
        for note in notes[:max_notes]:
            console.print(f"  [yellow]note:[/] {escape(note)}", highlight=False)
        if len(notes) > max_notes:
            console.print(f"  … {len(notes) - max_notes} more notes in {escape(str(out))}/run.json")


def click_classes(name: str) -> tuple[type, ...]:
    """``name`` (e.g. ``"ClickException"``) from the click typer vendors and from click."""
    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def error_line(message: str, code: int = 2) -> None:
    console.print(f"[bold red]error:[/] {escape(' '.join(str(message).split()))}",
                  highlight=False)
    sys.exit(code)
