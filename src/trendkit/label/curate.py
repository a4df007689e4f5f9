"""Curation: rename, merge and exclude themes without re-embedding or re-clustering.

A curation file is TOML::

    [rename]              # theme id -> new label
    3 = "LLM serving"
    [merge]               # new label -> theme ids merged into one theme
    "Mixture of experts" = [6, 11]
    exclude = [0]         # ids left out of shares and trends (top level or under [merge])

Theme ids always refer to the run the curation was written for. Applying a
curation is idempotent (a curated run can be curated again with the same file,
and ``trendkit assign`` on a curated run re-applies it to new documents): a
merged group keeps its smallest id, excluded documents leave the analysis, so
every period's shares sum to 1 over the remaining themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import TrendkitError
from ..load.themes import read_toml
from .rows import merged_rows


@dataclass(frozen=True)


class Curation:
    """Renames, merges and exclusions by theme id.

    Examples
    --------
    >>> c = Curation.from_dict({"rename": {"3": "LLM serving"}, "merge": {"MoE": [6, 11]},
    ...                         "exclude": [0]})
    >>> c.mapping()
    {11: 6}
    """

    rename: dict[int, str] = field(default_factory=dict)
    merge: dict[str, tuple[int, ...]] = field(default_factory=dict)
    exclude: tuple[int, ...] = ()

    @classmethod
    def from_dict(cls, data: dict, where: str = "curation") -> "Curation":
        data = dict(data)
        merge = dict(data.get("merge", {}) or {})
        exclude = list(data.get("exclude", [])) + list(merge.pop("exclude", []))
        try:
            rename = {int(k): str(v) for k, v in (data.get("rename", {}) or {}).items()}
            groups = {str(label): tuple(int(i) for i in ids) for label, ids in merge.items()}
            excluded = tuple(sorted({int(i) for i in exclude}))
        except (TypeError, ValueError, AttributeError) as exc:
            raise TrendkitError(f"{where}: theme ids must be whole numbers ({exc})") from exc
        unknown = set(data) - {"rename", "merge", "exclude"}
        if unknown:
            raise TrendkitError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}; "
                                "use [rename], [merge] and exclude = [...]")
        merged = [i for ids in groups.values() for i in ids]
        if len(merged) != len(set(merged)):
            raise TrendkitError(f"{where}: a theme id appears in two merges")
        if set(merged) & set(excluded):
            raise TrendkitError(f"{where}: theme(s) {sorted(set(merged) & set(excluded))} are "
                                "both merged and excluded")
        if any(len(ids) < 2 for ids in groups.values()):
            raise TrendkitError(f"{where}: each merge needs at least two theme ids")
        return cls(rename, groups, excluded)

    def to_dict(self) -> dict:
        return {"rename": {str(k): v for k, v in self.rename.items()},
                "merge": {k: list(v) for k, v in self.merge.items()},
                "exclude": list(self.exclude)}

    def mapping(self) -> dict[int, int]:
        """Old id -> id it is merged into (the smallest of its group)."""
        return {i: min(ids) for ids in self.merge.values() for i in ids if i != min(ids)}

    def labels(self) -> dict[int, str]:
        """Id -> new label, for merged groups (under their smallest id) and renames."""
        return {min(ids): label for label, ids in self.merge.items()} | self.rename


def read_curation(path) -> Curation:
    """A :class:`Curation` from a TOML file, with one-line errors."""
    return Curation.from_dict(read_toml(path, "curation"), where=str(path))


def apply_curation(docs: pd.DataFrame, topics: pd.DataFrame, curation: Curation,
                   sizes: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Curated ``(documents, topics, notes)``; the inputs are not modified.

    ``sizes`` (documents per theme id, default: counted in ``docs``) says how many
    documents an exclusion removes, for a run whose ``docs`` are not all of them.

    Examples
    --------
    >>> docs = pd.DataFrame({"topic_id": [0, 1, 2, 2], "topic_label": ["a", "b", "c", "c"]})
    >>> topics = pd.DataFrame({"topic_id": [0, 1, 2], "topic_label": ["a", "b", "c"],
    ...     "n_docs": [1, 1, 2], "share": [.25, .25, .5], "top_terms": ["x", "y", "z"],
    ...     "representative_titles": ["A", "B", "C"]})
    >>> d, t, _ = apply_curation(docs, topics, Curation(merge={"bc": (1, 2)}, exclude=(0,)))
    >>> t[["topic_id", "topic_label", "n_docs", "share"]].values.tolist()
    [[1, 'bc', 3, 1.0]]
    """
    known = set(topics["topic_id"]) | set(docs["topic_id"])
    mapping = curation.mapping()
    named = set(curation.rename) | set(curation.exclude) | {min(g) for g in curation.merge.values()}
    missing = sorted(i for i in named | set(mapping) if i not in known and i not in mapping)
    if missing:
        raise TrendkitError(f"curation names theme id(s) {missing} that this run does not have; "
                            f"its ids are {sorted(known)}")
    labels = curation.labels()
    sizes = sizes if sizes is not None else docs["topic_id"].value_counts()
    n_excluded = int(sizes[sizes.index.isin(curation.exclude)].sum())
    docs = docs.assign(topic_id=docs["topic_id"].replace(mapping))
    if "subtopic_id" in docs:  # a theme not split into sub-themes is its own sub-theme
        docs = docs.assign(subtopic_id=docs["subtopic_id"].replace(mapping))
    docs = docs[~docs["topic_id"].isin(curation.exclude)].reset_index(drop=True)
    docs["topic_label"] = docs["topic_id"].map(labels).fillna(docs["topic_label"])
    # A merged theme's size is its parts' (the caller recounts from its documents).
    grouped = topics.assign(topic_id=topics["topic_id"].replace(mapping))
    if "parent_id" in grouped:  # sub-themes follow their theme: merged, or excluded with it
        grouped["parent_id"] = grouped["parent_id"].replace(mapping)
        grouped = grouped[~grouped["parent_id"].isin(curation.exclude)]
    rows = [merged_rows(group, labels.get(target, group["topic_label"].iloc[0]),
                        int(group["n_docs"].sum()), named=target in labels)
            for target, group in grouped.groupby("topic_id", sort=True)
            if target not in curation.exclude]
    curated = pd.DataFrame(rows)
    curated["share"] = curated["n_docs"] / max(int(curated["n_docs"].sum()), 1)
    curated = curated[list(topics.columns)]
    notes = [f"curation: {len(curation.rename)} renamed, {len(curation.merge)} merge(s), "
             f"{n_excluded:,} documents of excluded theme(s) {list(curation.exclude)} "
             "left out of shares and trends"]
    return docs, curated, notes
