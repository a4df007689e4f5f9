"""Verdicts in words, shared by the HTML and Markdown renderers."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..trend.periods import FREQ_CODES, finest_freq
from ..trend.summary import MIN_DOCS, MIN_PERIODS

MOVER_HEADINGS = {
    "new": ("New themes", "No theme appeared."),
    "emerging": ("Emerging themes", "No theme rises significantly (FDR 5 %)."),
    "revived": ("Revived themes (fell, rising again now)", "No theme revived."),
    "peaked": ("Peaked themes (rose, falling now)", "No theme peaked."),
    "declining": ("Declining themes", "No theme falls significantly (FDR 5 %)."),
    "faded": ("Faded themes", "No theme faded away."),
}


def _movers(summary: pd.DataFrame, status: str) -> pd.DataFrame:
    """The themes of one status in reading order, with ``depth`` (1: under its theme).

    Biggest change in share first (the points a reader sees in the sentence), each theme
    followed by its sub-themes of the same status, so the story reads top-down: over 24
    years of robotics, "reinforcement learning 2.7 % → 12.2 %" then its "policy" and
    "skills", where a flat list ordered by relative change began with a 483-paper
    sub-theme rising from 0.0 % and put the field's biggest riser tenth. A sub-theme
    whose theme has another status stands among the themes.

    Examples
    --------
    >>> s = pd.DataFrame({"topic_id": [0, 1, 5, 6], "status": ["emerging"] * 4,
    ...                   "parent_id": [None, None, 0, 1], "share_start": [0.05, 0.02,
    ...                   0.01, 0.0], "share_end": [0.06, 0.12, 0.04, 0.03]})
    >>> _movers(s, "emerging")[["topic_id", "depth"]].values.tolist()
    [[1, 0], [6, 1], [0, 0], [5, 1]]
    """
    frame = summary[summary["status"] == status]
    change = (frame["share_end"] - frame["share_start"]).abs().fillna(0.0)
    parent = (frame["parent_id"] if "parent_id" in frame
              else pd.Series(np.nan, index=frame.index))
    nested = parent.notna() & parent.isin(frame.loc[parent.isna(), "topic_id"])
    rows = []  # (row label, depth)
    for i in change[~nested].sort_values(ascending=False, kind="stable").index:
        children = change[nested & (parent == frame.at[i, "topic_id"])]
        rows += [(i, 0)] + [(j, 1) for j in
                            children.sort_values(ascending=False, kind="stable").index]
    return frame.loc[[i for i, _ in rows]].assign(depth=[d for _, d in rows])


def is_sub(row) -> bool:
    parent = getattr(row, "parent_id", None)
    return parent is not None and not pd.isna(parent)


def where(row, names: dict, nested: bool = False) -> str:
    """Which theme a row is, its theme named where it is a sub-theme (unless ``nested``:
    listed under its theme, which says it).

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> where(Row(topic_id=6, parent_id=None), {}), where(Row(topic_id=38, parent_id=2.0),
    ...                                                   {2: "object detection"})
    ('theme 6', 'sub-theme 38 of object detection')
    """
    if not is_sub(row):
        return f"theme {row.topic_id}"
    parent = int(row.parent_id)
    return (f"sub-theme {row.topic_id}" if nested
            else f"sub-theme {row.topic_id} of {names.get(parent, f'theme {parent}')}")


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
    if getattr(row, "status", "") in ("peaked", "revived"):
        text = str(row.reason)  # the whole path: "rose from … to …, after falling from …"
    else:
        text = (f"share {100 * row.share_start:.1f} % → {100 * row.share_end:.1f} % "
                f"({row.start_period} → {row.end_period})")
    if isinstance(row.q_value, float) and not pd.isna(row.q_value):
        text += f", q = {row.q_value:.2g}"
    if getattr(row, "reason", "") and getattr(row, "status", "") not in ("peaked", "revived"):
        text += f"; {row.reason}"
    if bool(getattr(row, "check_coverage", False)):
        text += f"; check coverage: the collection changed near {row.change_period}"
    return text


def _md(text) -> str:
    r"""Corpus text for Markdown: kept as written, only what Markdown would read as markup
    (table pipes, inline HTML, emphasis, links) backslash-escaped.

    Examples
    --------
    >>> print(_md("LLM serving & scheduling | <script>"))
    LLM serving & scheduling \| \<script\>
    """
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", " ".join(str(text).split()))


def untested(result) -> str | None:
    """:func:`untested_note` for a :class:`~trendkit.result.TrendResult` (report and CLI)."""
    dates = (result.counts["date"] if "date" in result.counts else result.documents["date"])
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    finest = finest_freq(dates) if len(dates) else None
    return untested_note(result.theme_summary, result.meta.get("freq"), finest)


def untested_note(summary: pd.DataFrame, freq: str | None,
                  finest: str | None = None) -> str | None:
    """Why themes went untested, and what to do about it; None when every theme was tested.

    ``finest`` is the finest period the dates allow (see
    :func:`~trendkit.load.dates.date_precision`).

    Examples
    --------
    >>> s = pd.DataFrame({"status": ["insufficient-data"] * 3,
    ...                   "reason": ["too few periods: 5 < 6"] * 3})
    >>> print(untested_note(s, "quarter", finest="day"))
    5 complete quarterly periods: trends need 6, so no theme was tested (use --freq month)
    """
    untested = summary[summary["status"] == "insufficient-data"]
    if untested.empty:
        return None
    reasons = untested["reason"].fillna("").astype(str)
    short = reasons.str.startswith("too few periods")
    if short.all() and freq:
        finer = _finer(freq, finest)
        remedy = (f"use --freq {finer}" if finer else
                  f"the dates allow no finer period than {freq}: add {_ADJECTIVE[freq]} data")
        found = re.search(r"(\d+) <", reasons.iloc[0])
        n = int(found.group(1)) if found else 0
        return (f"{n} complete {_ADJECTIVE[freq]} period{'s' * (n != 1)}: trends need "
                f"{MIN_PERIODS}, so no theme was tested ({remedy})")
    if (reasons == "no dates").all():
        return "the documents carry no dates, so no trend could be tested"
    few = reasons.str.startswith("too few documents")
    if few.any():
        return (f"{int(few.sum())} of {len(summary)} themes have fewer than {MIN_DOCS} dated "
                "documents and were not tested (status insufficient-data)")
    return f"{len(untested)} of {len(summary)} themes were not tested: {reasons.iloc[0]}"


_ADJECTIVE = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
              "year": "yearly"}


def _finer(freq: str, finest: str | None) -> str | None:
    order = list(FREQ_CODES)
    at = order.index(freq)
    limit = order.index(finest) if finest in order else 0
    return order[at - 1] if at - 1 >= limit else None


def methods_text(params: dict, alpha: float = 0.05, min_change: float = 0.2) -> str:
    """How the verdicts were reached, from what this run did (for the report's methods).

    Examples
    --------
    >>> print(methods_text({"freq": "month"})[:46])
    Each theme's share of every complete month (it
    """
    freq = params.get("freq") or "period"
    unit = {"day": "day", "week": "week", "month": "month", "quarter": "quarter",
            "year": "year"}.get(freq, "period")
    base = ("within the categories each theme lives in (--normalize-by "
            f"{params['normalize_by']})" if params.get("normalize_by") else "of all documents")
    return (f"Each theme's share of every complete {unit} (its share {base}; partial first "
            f"and last {unit}s left out) is tested twice: Mann–Kendall on the ranks, and a "
            "regression weighted by each period's documents. Either test may call a change, "
            "each at half the level (p = 2 × the smaller p-value), and Benjamini–Hochberg "
            f"q-values across themes keep the false discovery rate at {100 * alpha:.0f} %. "
            f"A change must also be material: at least {100 * min_change:.0f} % of the "
            "theme's mean share, measured by the Theil–Sen line (its ends kept within the "
            "levels the theme reached) or, where two levels fit the periods better than "
            "that line, by the level shift at the strongest change point "
            f"(PELT). A theme needs {MIN_PERIODS} complete "
            f"periods and {MIN_DOCS} dated documents to be tested. " + _window_text(params, unit))


def _window_text(params: dict, unit: str) -> str:
    if params.get("recent"):
        return (f"Verdicts are about the last {params['recent']} complete {unit}s (--recent); "
                "peak and trough describe the whole history.")
    return ("On spans over six years each theme is tested since its own last clear turn "
            "(a broken-line fit, p < 0.05; at least the last third and six years), or over "
            "the whole span where it never turned, so a verdict is about now; peak and "
            "trough describe the whole history.")
