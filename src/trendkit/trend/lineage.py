"""Themes that evolve: sub-themes of one theme that take over from each other in time.

A theme can hold textually distinct groups from different eras (1990s "layered
networks, hidden units" and 2010s "deep convolutional networks" in one neural-network
theme). Its sub-themes then form a *lineage*: the earlier one led the theme in its era,
the later one leads it now. :func:`lineage` links a sub-theme to an earlier sibling when
(on three-period means of their shares) the sibling's peak came at least a fifth of the
periods earlier, the sibling had the larger share at its peak, and the later one has the
larger share over the last fifth of the periods; among several such siblings the
textually closest (``strength``: cosine of their centroids, where the run kept them) is
the predecessor. Each link also says when the successor overtook (the first period from
which its share stays above the predecessor's) and the terms they share.
"""


from __future__ import annotations

import numpy as np
import pandas as pd

from ..result import LINEAGE_COLUMNS


def _overtaken(level: pd.DataFrame, earlier: int, later: int) -> str:
    """Where ``later`` took the lead for good: the start of its last stretch ahead."""
    ahead = (level[later] > level[earlier]).to_numpy()
    behind = np.flatnonzero(~ahead)
    if len(behind) and behind[-1] == len(ahead) - 1:  # behind at the very end: last lead
        runs = np.flatnonzero(ahead[1:] & ~ahead[:-1]) + 1
        start = int(runs[-1]) if len(runs) else int(np.flatnonzero(ahead)[0])
    else:
        start = int(behind[-1]) + 1 if len(behind) else 0
    return str(level.index[start])


def _terms(text) -> list[str]:
    return [t.strip() for t in str(text or "").split(";") if t.strip()]


def lineage(counts: pd.DataFrame, topics: pd.DataFrame, trends: pd.DataFrame,
            freq: str | None, centroids: dict | None = None) -> pd.DataFrame:
    """Predecessor → successor links between sub-themes of one theme (see the module).

    Parameters
    ----------
    counts : DataFrame
        ``date, topic_id, subtopic_id, n`` (:func:`~trendkit.trend.counts.count_documents`).
    topics : DataFrame
        Topic rows; sub-themes carry ``parent_id``.
    trends : DataFrame
        The run's volume table (both levels): each sub-theme's share per period.
    centroids : dict of int to ndarray, optional
        Sub-theme centroids, for ``strength``.

    Returns
    -------
    pandas.DataFrame
        ``from_topic, to_topic, period, shared_terms, strength, parent_id, from_label,
        to_label``.
    """
    if freq is None or "parent_id" not in topics or trends.empty:
        return pd.DataFrame(columns=LINEAGE_COLUMNS)
    subs = topics[topics["parent_id"].notna()].set_index("topic_id")
    complete = trends[~trends["partial"].astype(bool)]
    wide = complete[complete["topic_id"].isin(subs.index)].pivot_table(
        index="period", columns="topic_id", values="share", sort=True)
    if wide.shape[0] < 6 or subs.empty:
        return pd.DataFrame(columns=LINEAGE_COLUMNS)
    level = wide.rolling(3, center=True, min_periods=1).mean()
    n, tail = len(level), max(2, len(level) // 5)
    rows = []
    for parent, members in subs.groupby("parent_id"):
        found = [m for m in members.index if m in level]
        peaks = {m: int(np.argmax(level[m].to_numpy())) for m in found}
        for later in sorted(found, key=peaks.get):
            candidates = []
            for earlier in found:
                if peaks[later] - peaks[earlier] < max(2, 0.2 * n):
                    continue  # contemporaries, not an earlier and a later
                a, b = level[earlier].to_numpy(), level[later].to_numpy()
                led = a[peaks[earlier]] > b[peaks[earlier]]  # the earlier led in its era
                leads = b[-tail:].mean() > a[-tail:].mean()  # the later leads now
                if led and leads:
                    candidates.append(earlier)
            if not candidates:
                continue
            similarity = {e: float(np.dot(centroids[e], centroids[later]))
                          if centroids and e in centroids and later in centroids else np.nan
                          for e in candidates}
            # the textually closest earlier sibling is the predecessor (else the latest)
            earlier = max(candidates, key=lambda e: (np.nan_to_num(similarity[e], nan=-2),
                                                    peaks[e]))
            shared = [t for t in _terms(subs.loc[earlier, "top_terms"])
                      if t in set(_terms(subs.loc[later, "top_terms"]))]
            rows.append({"from_topic": int(earlier), "to_topic": int(later),
                         "period": _overtaken(level, earlier, later),
                         "shared_terms": "; ".join(shared[:6]),
                         "strength": similarity[earlier], "parent_id": int(parent),
                         "from_label": subs.loc[earlier, "topic_label"],
                         "to_label": subs.loc[later, "topic_label"]})
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def eras(trends: pd.DataFrame, ids) -> pd.DataFrame:
    """Each theme's era on its three-period mean share: from the first to the last period
    it stands at 30 % of its peak or more, and the peak (the evolution figure's bars).

    Examples
    --------
    >>> trends = pd.DataFrame({"period": list("abcdef") * 1, "topic_id": 7, "partial": False,
    ...                        "share": [0.0, 0.0, 0.1, 0.4, 0.4, 0.1]})
    >>> eras(trends, [7]).to_dict("records")
    [{'topic_id': 7, 'start': 'c', 'peak': 'd', 'end': 'f', 'share_peak': 0.3}]
    """
    complete = trends[~trends["partial"].astype(bool) & trends["topic_id"].isin(list(ids))]
    wide = complete.pivot_table(index="period", columns="topic_id", values="share", sort=True)
    level = wide.rolling(3, center=True, min_periods=1).mean()
    rows = []
    for topic in level:
        values = level[topic].to_numpy()
        top = int(np.argmax(values))
        high = np.flatnonzero(values >= 0.3 * values[top])
        rows.append({"topic_id": int(topic), "start": str(level.index[high[0]]),
                     "peak": str(level.index[top]), "end": str(level.index[high[-1]]),
                     "share_peak": round(float(values[top]), 6)})
    return pd.DataFrame(rows, columns=["topic_id", "start", "peak", "end", "share_peak"])
