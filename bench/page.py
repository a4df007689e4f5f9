"""The 57-paper page, shaken: does a backend keep its three neighbouring themes apart?

    python bench/page.py                          # auto, lsa and distilled
    python bench/page.py --embedding auto,minilm --write

``../shared/data/hf_papers_page_scheduling.txt`` holds three neighbouring families of papers
that a reader wants as separate themes: mixture-of-experts (MoE), LLM serving (four papers)
and job-shop scheduling (two). ``tests/test_pipeline.py`` checks them once, on the whole
page. One page is one draw, so this script also runs every copy of the page with one *other*
paper left out (one per paper outside the three families) and counts the copies where

- MoE papers share no theme with serving papers ("MoE ≠ serving"),
- the four serving papers share one theme ("serving together"),
- job-shop papers share no theme with either ("job shop apart").

Each backend runs in this process with no cache; labels play no part.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
from pathlib import Path

from common import SHARED, update_section
from run import machine

PAGE = SHARED / "hf_papers_page_scheduling.txt"
# A hand grouping of the 57 titles into 11 themes, made by reading them (with trendkit's
# themes of the time in view: a grouping by someone who never saw them would be fairer).
HAND = Path(__file__).with_name("page_themes.csv")
SERVING = ("Llumnix", "BatchLLM", "FastSwitch", "Taming Throughput")


def families(titles) -> dict[str, list[str]]:
    """The page's three families, by title words (as the pipeline test finds them)."""
    return {"moe": [t for t in titles if "MoE" in t or "mixture-of-experts" in t.lower()],
            "serving": [t for t in titles if t.startswith(SERVING)],
            "job shop": [t for t in titles if "job shop" in t.lower().replace("-", " ")]}


def checks(docs, embedding: str) -> dict:
    import trendkit

    result = trendkit.analyze(docs, embedding=embedding, cache=False, document_map=False)
    topic = dict(zip(result.documents["title"], result.documents["topic_id"]))
    found = families(topic)
    themes = {name: {topic[t] for t in titles} for name, titles in found.items()}
    names = result.topics.set_index("topic_id")["topic_name"]
    return {"apart": not themes["moe"] & themes["serving"],
            "together": len(themes["serving"]) == 1,
            "job_shop": not themes["job shop"] & (themes["moe"] | themes["serving"]),
            "themes": len(result.topics), "nmi": hand_nmi(topic),
            "names": {name: sorted({str(names[i]) for i in ids}) for name, ids in themes.items()}}


def hand_nmi(topic: dict) -> float:
    """NMI between the themes (title -> theme id) and the hand grouping, on its titles."""
    import pandas as pd
    from sklearn.metrics import normalized_mutual_info_score

    hand = pd.read_csv(HAND)
    pairs = [(row.hand_theme, theme) for title, theme in topic.items()
             for row in hand.itertuples() if str(title).startswith(row.title_start)]
    return normalized_mutual_info_score([h for h, _ in pairs], [t for _, t in pairs])


def main() -> None:
    import trendkit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding", default="auto,lsa,distilled",
                        help="comma-separated backends")
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md's section")
    args = parser.parse_args()
    page = trendkit.load_corpus(PAGE)
    known = {t for titles in families(page["title"]).values() for t in titles}
    others = [i for i, t in enumerate(page["title"]) if t not in known]
    rows = []
    for embedding in args.embedding.split(","):
        whole = checks(page, embedding)
        copies = [checks(page.drop(index=page.index[i]).reset_index(drop=True), embedding)
                  for i in others]
        row = {"embedding": embedding, "whole": whole, "n": len(copies),
               **{key: sum(c[key] for c in copies) for key in ("apart", "together", "job_shop")},
               "all": sum(c["apart"] and c["together"] and c["job_shop"] for c in copies),
               "themes": statistics.median(c["themes"] for c in copies)}
        rows.append(row)
        print(row, flush=True)
    if not args.write:
        return
    lines = ["## The papers page, one paper left out at a time (`bench/page.py`)", "",
             f"Machine: {machine()}. Date: {datetime.date.today()}. Reproduce with "
             f"`python bench/page.py --embedding {args.embedding} --write`.", "",
             f"The 57-paper page ({len(page) - len(others)} papers in the three families) and "
             f"{len(others)} copies of it, each without one other paper. A copy passes a check "
             "when MoE and serving papers share no theme, the four serving papers share one, "
             "and job-shop papers share none with either. *NMI vs hand*: the whole page's "
             "themes against `bench/page_themes.csv` (11 hand themes); *names*: the names of "
             "the themes holding the MoE, serving and job-shop papers.", "",
             "| backend | whole page | NMI vs hand | names (MoE / serving / job shop) | "
             "MoE ≠ serving | serving together | job shop apart | all three | themes (median) |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        whole = row["whole"]
        verdict = "pass" if whole["apart"] and whole["together"] and whole["job_shop"] else "FAIL"
        names = " / ".join(", ".join(whole["names"][k]) for k in ("moe", "serving", "job shop"))
        lines.append(f"| `{row['embedding']}` | {verdict}, {whole['themes']} themes | "
                     f"{whole['nmi']:.3f} | {names} | {row['apart']}/{row['n']} | "
                     f"{row['together']}/{row['n']} | "
                     f"{row['job_shop']}/{row['n']} | {row['all']}/{row['n']} | "
                     f"{row['themes']:g} |")
    update_section("page", "\n".join(lines))


if __name__ == "__main__":
    main()
