"""``python -m trendkit`` runs the CLI."""

from .cli import main

main()
