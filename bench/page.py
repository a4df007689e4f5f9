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

from common import SHARED, update_section
from run import machine

PAGE = SHARED / "hf_papers_page_scheduling.txt"
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
    return {"apart": not themes["moe"] & themes["serving"],
            "together": len(themes["serving"]) == 1,
            "job_shop": not themes["job shop"] & (themes["moe"] | themes["serving"]),
            "themes": len(result.topics)}


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
             "and job-shop papers share none with either.", "",
             "| backend | whole page | MoE ≠ serving | serving together | job shop apart | "
             "all three | themes (median) |", "|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        whole = row["whole"]
        verdict = "pass" if whole["apart"] and whole["together"] and whole["job_shop"] else "FAIL"
        lines.append(f"| `{row['embedding']}` | {verdict}, {whole['themes']} themes | "
                     f"{row['apart']}/{row['n']} | {row['together']}/{row['n']} | "
                     f"{row['job_shop']}/{row['n']} | {row['all']}/{row['n']} | "
                     f"{row['themes']:g} |")
    update_section("page", "\n".join(lines))


if __name__ == "__main__":
    main()
