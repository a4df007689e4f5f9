"""Clustering settings swept on every labelled set at once, on the default embedding.

    python bench/sweep.py                      # all settings below, 3 seeds, print
    python bench/sweep.py --seeds 5 --write    # also rewrite BENCHMARKS.md's section

Issue #11 asks whether the clustering stage (UMAP dimensions and neighbours, HDBSCAN's
minimum theme size and minimum samples, how outliers are reassigned) leaves quality on
the table for the default embedding. Each labelled set (``bench/quality.py``'s three; the
venues set scored against venue and field) is embedded once with ``auto``; then every
setting clusters the same rows with seeds 0..n-1 through ``trendkit.ThemeClusterer``
(what ``trendkit.analyze`` runs), NMI against the labels. A setting is only worth adopting
if it helps on all four labellings: one tuned to a single set is overfitted to it.

Settings: the shipped defaults; ``n_neighbors`` 30; ``n_components`` 10; the minimum theme
size at half and at twice the automatic one; HDBSCAN ``min_samples`` at half and a quarter
of the minimum theme size (a patch of HDBSCAN, not a trendkit option: the shipped value
is HDBSCAN's default, equal to the minimum theme size); and, after clustering, every
document moved to its nearest theme centroid until nothing moves (k-means-style
refinement, also not an option).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
import warnings
from contextlib import contextmanager

import numpy as np
from common import update_section
from quality import SETS, load_set
from run import machine

warnings.filterwarnings("ignore")

SETTINGS = {
    "shipped defaults": {},
    "n_neighbors 30": {"n_neighbors": 30},
    "n_components 10": {"n_components": 10},
    "min theme size × 0.5": {"size_factor": 0.5},
    "min theme size × 2": {"size_factor": 2.0},
    "min_samples = size × 0.5": {"min_samples": 0.5},
    "min_samples = size × 0.25": {"min_samples": 0.25},
    "refined to nearest centroid": {"refine": True},
}


@contextmanager
def hdbscan_min_samples(fraction: float | None):
    """HDBSCAN with ``min_samples`` a fraction of ``min_cluster_size`` (None: unchanged)."""
    import hdbscan

    original = hdbscan.HDBSCAN
    if fraction is not None:
        hdbscan.HDBSCAN = lambda min_cluster_size=5, **kw: original(
            min_cluster_size=min_cluster_size,
            min_samples=max(2, round(fraction * min_cluster_size)), **kw)
    try:
        yield
    finally:
        hdbscan.HDBSCAN = original


def refine(X: np.ndarray, labels: np.ndarray, rounds: int = 20) -> np.ndarray:
    """Move every row to its nearest theme centroid until nothing moves (or ``rounds``)."""
    from sklearn.preprocessing import normalize

    from trendkit.cluster import centroids, nearest_centroid

    X = normalize(X)
    for _ in range(rounds):
        ids = np.unique(labels)
        moved = nearest_centroid(X, centroids(X, labels, ids), ids)
        if np.array_equal(moved, labels):
            break
        labels = moved
    return labels


def cluster(X: np.ndarray, setting: dict, seed: int) -> np.ndarray:
    from trendkit import ThemeClusterer
    from trendkit.cluster import auto_min_topic_size

    params = {k: v for k, v in setting.items() if k in ("n_neighbors", "n_components")}
    if "size_factor" in setting:
        params["min_topic_size"] = max(3, round(auto_min_topic_size(len(X))
                                                * setting["size_factor"]))
    with hdbscan_min_samples(setting.get("min_samples")):
        labels = ThemeClusterer(random_state=seed, **params).fit(X).labels_
    return refine(X, labels) if setting.get("refine") else labels


def main() -> None:
    from sklearn.metrics import normalized_mutual_info_score

    from trendkit.embed import embed_texts
    from trendkit.text import document_texts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--arxiv-n", type=int, default=3000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    rows, started = [], time.time()
    columns = [(name, label) for name in SETS for label in SETS[name][1]]
    scores = {setting: {} for setting in SETTINGS}
    themes = {setting: {} for setting in SETTINGS}
    for name in SETS:
        docs = load_set(name, args.arxiv_n)
        X = embed_texts(list(document_texts(docs["title"], docs["text"])), "auto", cache=False)
        for setting, params in SETTINGS.items():
            runs = [cluster(X, params, seed) for seed in range(args.seeds)]
            themes[setting][name] = statistics.mean(len(set(r.tolist())) for r in runs)
            for label in SETS[name][1]:
                truth = docs[label].astype(str).to_numpy()
                scores[setting][(name, label)] = [normalized_mutual_info_score(truth, r)
                                                  for r in runs]
            print(f"{name:7} {setting:28} " + "  ".join(
                f"{label} {statistics.mean(scores[setting][(name, label)]):.3f}"
                for label in SETS[name][1]), flush=True)

    base = {c: statistics.mean(scores["shipped defaults"][c]) for c in columns}
    header = " | ".join(f"{n} / {lab}" for n, lab in columns)
    rows.append(f"| setting | {header} | mean | better on | themes ({' / '.join(SETS)}) |")
    rows.append("|---" * (len(columns) + 4) + "|")
    for setting in SETTINGS:
        means = [statistics.mean(scores[setting][c]) for c in columns]
        better = sum(m > base[c] + 1e-9 for m, c in zip(means, columns))
        cells = " | ".join(f"{m:.3f}" for m in means)
        rows.append(f"| {setting} | {cells} | {statistics.mean(means):.3f} | "
                    f"{better if setting != 'shipped defaults' else '—'} of {len(columns)} | "
                    f"{' / '.join(f'{themes[setting][n]:.0f}' for n in SETS)} |")
    body = "\n".join([
        "## Clustering settings swept on the default embedding (`bench/sweep.py`)", "",
        f"Machine: {machine()}. Date: {datetime.date.today()}. Reproduce with "
        f"`python bench/sweep.py --seeds {args.seeds} --write` ({time.time() - started:.0f} s). "
        f"Each set embedded once with `auto` (arXiv: {args.arxiv_n:,} random abstracts, seed 0); "
        f"every setting clusters the same rows with seeds 0–{args.seeds - 1}; NMI is the mean "
        "over seeds. *Better on* counts the labellings where a setting beat the shipped "
        "defaults (by any margin: seed spreads are ±0.01–0.03).", "", *rows])
    print("\n" + body)
    if args.write:
        update_section("sweep", body)


if __name__ == "__main__":
    main()
