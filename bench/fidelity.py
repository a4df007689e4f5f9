"""Does the distilled table read a corpus as MiniLM does? Coverage, fidelity and auto's choice.

    python bench/fidelity.py            # every corpus in ../shared/data
    python bench/fidelity.py --write    # also rewrite BENCHMARKS.md's "fidelity" section

For each corpus: the share of its words the table knows (``coverage``), the rank
correlation between the table's and the int8 MiniLM's cosines on six seeded probes of
200 documents (``fidelity``, the first probe is the one ``auto`` uses), and on the robotics
corpus, as the fact behind the bound, how many of ``bench/history.py``'s 16 keyword
concepts the themes of k-means (k = 30, three seeds) carry under the table and under
MiniLM: a partition that cannot carry them is not one trendkit's clustering can fix.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from common import SHARED, update_section
from history import CONCEPTS, carries, concept_uses
from run import machine

import trendkit
from trendkit.embed import embed_texts
from trendkit.embed.distilled import FAITHFUL, PROBE, PROBE_FROM, coverage, fidelity

CORPORA = ["arxiv_daily_2025_2026.jsonl.gz", "aaai2022_areas.csv.gz", "venues_2019_2025.csv.gz",
           "hf_papers_page_scheduling.txt", "robotics_icra_iros_2000_2023.csv.gz",
           "ohsumed_train.csv.gz"]


def carried(texts: list[str], backend: str) -> list[int]:
    """Concepts carried (:func:`history.carries`) by k-means themes, k = 30, 3 seeds."""
    from sklearn.cluster import KMeans

    X = embed_texts(texts, backend)
    uses = [concept_uses(pd.Series(texts), p).to_numpy() for p in CONCEPTS.values()]
    found = []
    for seed in range(3):
        labels = KMeans(30, n_init=1, random_state=seed).fit_predict(X)
        sizes, count = np.bincount(labels, minlength=30), 0
        for used in uses:
            hits = np.bincount(labels, weights=used, minlength=30)
            count += bool(carries(hits / sizes, hits / used.sum()).any())
        found.append(count)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    lines = [f"| corpus | documents | coverage | fidelity (6 probes of {PROBE}) | auto chooses |",
             "|---|---:|---:|---|---|"]
    robotics = None
    for name in CORPORA:
        texts = trendkit.load_corpus(SHARED / name)["text"].tolist()
        share = coverage(texts)
        ranks = [fidelity(texts, random_state=seed) for seed in range(6)]
        chosen = trendkit.embed.resolve_embedding("auto", texts)[0]
        lines.append(f"| {name} | {len(texts):,} | {100 * share:.1f} % | "
                     f"{' / '.join(f'{r:.2f}' for r in ranks)} | {chosen} |")
        print(lines[-1], flush=True)
        robotics = texts if name.startswith("robotics") else robotics
    kmeans = {b: carried(robotics, b) for b in ("distilled", "minilm-map:5000")}
    seconds = time.perf_counter() - start
    text = "\n".join([
        "## Does the distilled table read a corpus as MiniLM does? (`bench/fidelity.py`)", "",
        f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. Reproduce with "
        f"`python bench/fidelity.py --write` ({seconds:.0f} s). *coverage*: the share of the "
        "corpus's words the table knows; *fidelity*: the rank correlation between the "
        "table's and the int8 MiniLM's cosines over every pair of a seeded probe (both "
        f"centred); `auto` probes corpora of {PROBE_FROM:,} documents or more with the first "
        f"probe and keeps the table at {FAITHFUL} or above.", "", *lines, "",
        "Robotics, k-means themes (k = 30, seeds 0-2) over the whole corpus: keyword concepts "
        "of `bench/history.py` carried (precision ≥ 0.4, recall ≥ 0.3), out of 16: "
        + "; ".join(f"{b} {', '.join(map(str, v))}" for b, v in kmeans.items()) + "."])
    print(text)
    if args.write:
        update_section("fidelity", text)


if __name__ == "__main__":
    main()
