"""Small corpora: random samples of the labelled sets, themes scored by AMI, backends side by side.

    python bench/small.py                       # the table alone vs table + corpus terms
    python bench/small.py --embedding distilled-table,distilled@1,lsa --write

Each size draws ``--repeats`` seeded random samples of each labelled set (arXiv 3,000-abstract
sample by primary category, AAAI-2022 by area, venues by venue, OHSUMED by disease category)
and runs every backend on the same samples, with the sample's seed as the run's seed. AMI
(adjusted mutual information) rather than NMI: on a few hundred documents NMI rewards more
themes by chance alone.
``distilled`` adds the corpus's own terms only from ``CorpusTerms.min_documents`` (300)
documents on; ``distilled@N`` (this script's name, not trendkit's) adds them from N on, so
``distilled@1`` shows what they do at every size.
"""

from __future__ import annotations

import argparse
import datetime
import statistics

from common import update_section
from quality import SETS, load_set
from run import machine


def embedder(name: str):
    """A backend by name; ``distilled@N`` is the distilled backend with ``min_documents=N``."""
    from trendkit.embed import CorpusTerms, DistilledEmbedder

    if "@" in name:
        return CorpusTerms(DistilledEmbedder(), min_documents=int(name.split("@")[1]))
    return name


def main() -> None:
    from sklearn.metrics import adjusted_mutual_info_score

    import trendkit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,200,400,800")
    parser.add_argument("--embedding", default="distilled-table,distilled@1")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md's section")
    args = parser.parse_args()
    sizes, names = [int(s) for s in args.sizes.split(",")], args.embedding.split(",")
    cells: dict[tuple, dict[str, list[float]]] = {}
    for set_name, (_, labels) in SETS.items():
        full = load_set(set_name, 3000)
        for n in sizes:
            scores = cells.setdefault((set_name, labels[0], n), {name: [] for name in names})
            for rep in range(args.repeats):
                docs = full.sample(n, random_state=100 + rep).reset_index(drop=True)
                for name in names:
                    result = trendkit.analyze(docs, embedding=embedder(name), cache=False,
                                              document_map=False, seed=rep)
                    scores[name].append(adjusted_mutual_info_score(
                        result.documents[labels[0]].astype(str),
                        result.documents["topic_id"]))
            print(set_name, n, {k: round(statistics.mean(v), 3) for k, v in scores.items()},
                  flush=True)
    if not args.write:
        return
    header = "| set / label | documents | " + " | ".join(f"`{n}`" for n in names) + " |"
    lines = ["## Small corpora (`bench/small.py`)", "",
             f"Machine: {machine()}. Date: {datetime.date.today()}. Reproduce with "
             f"`python bench/small.py --sizes {args.sizes} --embedding {args.embedding} "
             f"--repeats {args.repeats} --write`.", "",
             f"AMI against the set's labels, mean of {args.repeats} seeded random samples per "
             "cell (range in brackets); every backend ran on the same samples. "
             "`distilled@N` adds the corpus's own terms from N documents on (the default, "
             "`distilled`, from 300).", "", header,
             "|---|---|" + "---|" * len(names)]
    for (set_name, label, n), scores in cells.items():
        lines.append(f"| {set_name} / {label} | {n} | " + " | ".join(
            f"{statistics.mean(v):.3f} ({min(v):.2f}–{max(v):.2f})" for v in scores.values())
            + " |")
    update_section("small", "\n".join(lines))


if __name__ == "__main__":
    main()
