"""Document weights (``--weight COL``): citations, downloads, any non-negative number.

The loader turns the named column into the canonical ``weight`` column, which the
trend stage reads (weighted shares, Kish's effective sample size: see
:func:`trendkit.trend.volume.topic_volume`). Bad weights stop the run with one line
naming the documents; missing ones are an error unless ``--weight-missing`` says
``zero`` (they count for nothing) or ``drop`` (they leave the corpus).
"""

from __future__ import annotations

import pandas as pd

from ..errors import TrendkitError

MISSING_RULES = ("error", "zero", "drop")


def _some(ids: pd.Series, k: int = 3) -> str:
    shown = ", ".join(map(str, ids.head(k)))
    return shown + (f" and {len(ids) - k:,} more" if len(ids) > k else "")


def with_weights(frame: pd.DataFrame, column: str | None, missing: str = "error",
                 notes: list[str] | None = None, where: str = "input") -> pd.DataFrame:
    """``frame`` with a float ``weight`` column read from ``column`` (unchanged if None).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "cites": ["3", None, "0"]})
    >>> with_weights(docs, "cites", missing="zero")["weight"].tolist()
    [3.0, 0.0, 0.0]
    >>> with_weights(docs, "cites", missing="drop")["doc_id"].tolist()
    ['a', 'c']
    """
    if column is None:
        return frame
    if missing not in MISSING_RULES:
        raise TrendkitError(f"--weight-missing {missing!r}: choose one of "
                            f"{', '.join(MISSING_RULES)}")
    if column not in frame.columns:
        raise TrendkitError(f"--weight {column!r}: no such column in {where}; columns are: "
                            f"{', '.join(map(str, frame.columns))}")
    raw = frame[column]
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    values = pd.to_numeric(raw.where(~blank), errors="coerce")
    bad = values.isna() & ~blank
    if bad.any():
        raise TrendkitError(f"--weight {column!r}: {int(bad.sum()):,} value(s) are not numbers "
                            f"(documents {_some(frame.loc[bad, 'doc_id'])})")
    negative = values < 0
    if negative.any():
        raise TrendkitError(f"--weight {column!r}: {int(negative.sum()):,} negative value(s) "
                            f"(documents {_some(frame.loc[negative, 'doc_id'])}); weights must "
                            "be >= 0")
    notes = notes if notes is not None else []
    if blank.any():
        ids = _some(frame.loc[blank, "doc_id"])
        if missing == "error":
            raise TrendkitError(f"--weight {column!r}: {int(blank.sum()):,} document(s) have no "
                                f"weight ({ids}); pass --weight-missing zero or drop")
        notes.append(f"{where}: {int(blank.sum()):,} document(s) without a {column!r} weight "
                     + ("count as 0" if missing == "zero" else "were left out"))
        if missing == "drop":
            frame, values = frame[~blank], values[~blank]
        else:
            values = values.fillna(0.0)
    return frame.assign(weight=values.astype(float).to_numpy())
