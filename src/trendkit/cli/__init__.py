"""The ``trendkit`` command line: thin typer commands over :mod:`trendkit.workflows`.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``app``            the typer app and the commands that find themes (run, trends)
``commands``       the commands on finished runs, ``fetch`` and ``demo``
``options``        the options every command shares, declared once
``output``         progress, the closing summary, one-line errors
=================  ==============================================================

Only typer and rich (and the light registries the help lists) are imported up
front, so ``trendkit --help`` is fast; each command imports what it runs. Every
user error, usage errors included, is one ``error: …`` line on stderr and exit
code 2, whichever click typer uses.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from trendkit.cli import commands  # noqa: F401  (registers the commands on the app)
from trendkit.cli.app import _debug, app
from trendkit.cli.output import WRITTEN, click_classes, console, error_line
from trendkit.errors import TrendkitError, watch_interrupts

__all__ = ["app", "main"]


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
        if "out" in WRITTEN:  # Ctrl-C while the summary was printed: the run is done
            console.print(f"[bold yellow]interrupted[/] after the run was written: "
                          f"{escape(str(WRITTEN['out']))} is complete")
            sys.exit(0)
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
