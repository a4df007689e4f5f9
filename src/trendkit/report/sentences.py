"""Verdicts in words, shared by the HTML and Markdown renderers."""

from __future__ import annotations

import html

import pandas as pd

MOVER_HEADINGS = {
    "new": ("New themes", "No theme appeared."),
    "emerging": ("Emerging themes", "No theme rises significantly (FDR 5 %)."),
    "declining": ("Declining themes", "No theme falls significantly (FDR 5 %)."),
    "faded": ("Faded themes", "No theme faded away."),
}


def _movers(summary: pd.DataFrame, status: str) -> pd.DataFrame:
    frame = summary[summary["status"] == status]
    return frame.sort_values("relative_change", ascending=status in ("declining", "faded"),
                             kind="stable")


def change_sentence(row) -> str:
    """The verdict in words: ``share 3.1 % → 9.8 % (2025-04 → 2026-06), q = 0.002``.

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> change_sentence(Row(share_start=0.031, share_end=0.098, start_period="2025-04",
    ...     end_period="2026-06", q_value=0.0021, reason="", check_coverage=False,
    ...     change_period="2025-10"))
    'share 3.1 % → 9.8 % (2025-04 → 2026-06), q = 0.0021'
    """
    text = (f"share {100 * row.share_start:.1f} % → {100 * row.share_end:.1f} % "
            f"({row.start_period} → {row.end_period})")
    if isinstance(row.q_value, float) and not pd.isna(row.q_value):
        text += f", q = {row.q_value:.2g}"
    if getattr(row, "reason", ""):
        text += f"; {row.reason}"
    if bool(getattr(row, "check_coverage", False)):
        text += f"; check coverage: the collection changed near {row.change_period}"
    return text


def _md(text) -> str:
    # Markdown: neutralise table pipes and inline HTML from corpus text.
    return html.escape(str(text)).replace("|", "\\|")
