"""Long-horizon trend stories checked against the corpus's own keyword history.

    python bench/history.py --write                  # the robotics corpus, 2000-2023
    python bench/history.py --corpus FILE --concepts CONCEPTS.toml --section NAME
    python bench/history.py --seeds 3 --baseline-embedding distilled --write

The table is seed 0's run; with ``--seeds N`` the runs of seeds 0..N-1 are scored too
(concepts carried and told right, per seed), and with ``--baseline-embedding NAME`` the
same seeds are run again with ``--embedding NAME`` for comparison.

For each concept (a name and a regular expression for its words), the script measures
from the corpus itself, independent of any clustering:

- its **history**: the yearly share of documents whose title or abstract uses its words,
  and from it the verdicts that history allows about *now* (rules below);
- the **theme that carries it**: among every theme and sub-theme of a ``trendkit run``,
  the one with the best F1 between "in the theme" and "uses the concept's words";
- whether that theme's verdict (``trend_summary.csv``) is one the history allows;
- **trendkit's verdict on the words themselves**: the concept's yearly documents put
  through the same tests (``trend_summary`` on yearly periods, with a yearly run's window
  about now: the last third of the span, at least six years), as if the
  concept were a theme that held exactly its documents. Where that verdict is allowed and
  the theme's is not, the tests are right and the themes are what misses.

Allowed verdicts come from the three-year mean share of the concept's documents. *Now* is
the last third of the span, at least six years (for 24 years: the last 8), as for
trendkit's own verdicts about now; ``a`` and ``r`` are its first and last values:

- rising now (``r >= 1.25 a``): new or emerging, and revived when the history dipped
  before (a trough at most 2/3 of the high before it, that high at least half of ``r``);
- falling now (``r <= 0.8 a``): declining or faded, and peaked when it rose to its peak
  first (the peak at least ×1.5 its lowest level before, not at the very start);
- otherwise flat now: stable.

The robotics concepts below were chosen from the field's surveys and textbooks (the
topics that the ICRA/IROS histories of the 2000s-2020s are usually told with: SLAM,
particle filters, humanoid walking, visual servoing, UAVs, soft robots, legged robots,
deep and reinforcement learning, grasping, exoskeletons, surgical robots, swarms,
autonomous driving, learning from demonstration, LiDAR), with their keywords, before
this script was first run on trendkit's output; they were not changed after it ran.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import SHARED, update_section

from trendkit.trend.periods import now_window
from trendkit.trend.summary import trend_summary
from trendkit.trend.volume import topic_volume

ROBOTICS = SHARED / "robotics_icra_iros_2000_2023.csv.gz"
CONCEPTS = {  # name -> regular expression (case-insensitive) for its words
    "SLAM": r"\bslam\b|simultaneous locali[sz]ation and mapping",
    "particle filters": r"particle filter|monte carlo locali[sz]ation",
    "humanoid / biped walking": r"\bbiped|\bhumanoid|zero.moment point|\bzmp\b",
    "visual servoing": r"visual servo",
    "UAVs / quadrotors": r"\bquadrotor|\bquadcopter|\buavs?\b|unmanned aerial",
    "soft robots": r"\bsoft robot",
    "legged robots": r"\bquadruped|legged robot|legged locomotion",
    "deep learning": r"\bdeep (neural )?(network|learning)|convolutional neural|\bcnns?\b",
    "reinforcement learning": r"reinforcement learning",
    "grasping": r"\bgrasp",
    "exoskeletons": r"exoskeleton",
    "surgical robots": r"\bsurgical|\bsurgery\b",
    "swarms": r"\bswarms?\b",
    "autonomous driving": r"autonomous (driving|vehicles?)|self-driving",
    "learning from demonstration": r"imitation learning|learning from demonstrations?",
    "LiDAR / point clouds": r"\blidar|point clouds?",
}
RISING = {"new", "emerging", "revived"}


def history(uses: pd.Series, years: pd.Series) -> pd.Series:
    """Share of each year's documents that use the concept's words (3-year mean)."""
    share = uses.groupby(years).mean().sort_index()
    return share.rolling(3, center=True, min_periods=1).mean()


def allowed(level: pd.Series) -> tuple[str, set]:
    """The history's story about now, and the verdicts it allows (see the module)."""
    values = level.to_numpy()
    n = len(values)
    window = int(np.ceil(max(6, n / 3)))
    first, last = float(values[n - window]), float(values[-1])
    if last >= 1.25 * first:
        trough = int(np.argmin(values))
        high = float(values[:trough + 1].max())
        dipped = trough >= 2 and high >= 1.5 * values[trough] and high >= 0.5 * last
        return ("rising now" + (" after a dip" if dipped else ""),
                {"new", "emerging", "revived"} if dipped else {"new", "emerging"})
    if last <= 0.8 * first:
        peak = int(np.argmax(values))
        rose = peak >= 2 and values[peak] >= 1.5 * values[:peak + 1].min()
        return ("falling now" + (f" after a peak in {level.index[peak]}" if rose else ""),
                {"declining", "faded", "peaked"} if rose else {"declining", "faded"})
    return "flat now", {"stable"}


def carries(precision, recall):
    """Whether a theme carries a concept (numbers or arrays): precision >= 0.4, recall >= 0.3."""
    return (np.asarray(precision) >= 0.4) & (np.asarray(recall) >= 0.3)


def concept_uses(texts: pd.Series, pattern: str) -> pd.Series:
    """Which texts use the concept's words (``pattern``, case-insensitive)."""
    return texts.fillna("").str.contains(f"(?:{pattern})", flags=re.I, regex=True)


def words_verdict(uses: pd.Series, dates: pd.Series) -> str:
    """trendkit's verdict on a concept's own documents (a theme of exactly them), yearly."""
    if not uses.any():
        return "no documents"
    docs = pd.DataFrame({"topic_id": uses.astype(int).to_numpy(), "date": dates.to_numpy(),
                         "topic_label": np.where(uses, "concept", "rest")})
    volume = topic_volume(docs, "year")
    summary = trend_summary(volume, now=now_window("year", volume["period"].nunique()))
    return str(summary.set_index("topic_id").loc[1, "status"])


def best_theme(uses: np.ndarray, docs: pd.DataFrame) -> tuple[int, float, float, float]:
    """The theme or sub-theme carrying the concept: the best F1 among those with precision
    >= 0.4 and recall >= 0.3, else the best F1 overall: (id, precision, recall, F1)."""
    found = []
    total = max(int(uses.sum()), 1)
    for column in ("topic_id", "subtopic_id"):
        for topic, members in docs.groupby(column).indices.items():
            hits = int(uses[members].sum())
            if hits:
                precision, recall = hits / len(members), hits / total
                found.append((int(topic), precision, recall,
                              2 * precision * recall / (precision + recall)))
    carrying = [f for f in found if carries(f[1], f[2])]
    return max(carrying or found or [(-1, 0.0, 0.0, 0.0)], key=lambda f: f[3])


def run_trendkit(corpus: Path, out: Path, extra: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "trendkit", "run", str(corpus), "--out", str(out),
                    "-q", "--force", *extra], check=True)
    return time.perf_counter() - start


def score(corpus: Path, run: Path, concepts: dict) -> pd.DataFrame:
    raw = pd.read_csv(corpus)
    text = (raw["title"].fillna("") + ". " + raw["abstract"].fillna("")).str.lower()
    docs = pd.read_csv(run / "documents.csv", dtype={"doc_id": str})
    topics = pd.read_csv(run / "topics.csv")
    summary = pd.read_csv(run / "trend_summary.csv").set_index("topic_id")
    ids = raw["id"].astype(str) if "id" in raw else pd.Series(raw.index.astype(str))
    docs = docs.merge(pd.DataFrame({"doc_id": ids, "text": text}), on="doc_id", how="left")
    dates = pd.to_datetime(docs["date"])
    years = dates.dt.year
    labels = topics.set_index("topic_id")["topic_label"]
    rows = []
    for name, pattern in concepts.items():
        uses = concept_uses(docs["text"], pattern)
        level = history(uses.astype(float), years)
        story, ok = allowed(level)
        topic, precision, recall, f1 = best_theme(uses.to_numpy(), docs)
        status = summary.loc[topic, "status"] if topic in summary.index else "?"
        carried = bool(carries(precision, recall))
        words = words_verdict(uses, dates)
        rows.append({"concept": name, "documents": int(uses.sum()),
                     "history": f"{100 * level.iloc[0]:.1f} → {100 * level.max():.1f} "
                                f"({level.idxmax()}) → {100 * level.iloc[-1]:.1f} %",
                     "story": story, "theme": f"{topic}: {labels.get(topic, '?')}",
                     "level": "sub-theme" if pd.notna(topics.set_index("topic_id")
                                                      .get("parent_id", pd.Series()).get(topic))
                     else "theme",
                     "precision": round(precision, 2), "recall": round(recall, 2),
                     "verdict": status, "allowed": ", ".join(sorted(ok)),
                     "carried": carried, "right": carried and status in ok,
                     "words_verdict": words, "words_right": words in ok})
    return pd.DataFrame(rows)


def rising_called_declining(run: Path, concepts: dict, table: pd.DataFrame) -> list[str]:
    """Themes whose label names a concept that is rising now, yet called declining."""
    summary = pd.read_csv(run / "trend_summary.csv")
    rising = table.loc[table["story"].str.startswith("rising"), "concept"]
    found = []
    for name in rising:
        pattern = concepts[name]
        hit = summary[summary["topic_label"].str.contains(f"(?:{pattern})", flags=re.I,
                                                          regex=True)
                      & summary["status"].isin(["declining", "faded"])]
        found += [f"{name}: {r.topic_id} {r.topic_label} ({r.status})" for r in hit.itertuples()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROBOTICS)
    parser.add_argument("--concepts", type=Path, help="TOML: [concepts] name = 'regex'")
    parser.add_argument("--run", type=Path, help="an existing run folder (else one is made)")
    parser.add_argument("--section", default="history-robotics")
    parser.add_argument("--seeds", type=int, default=1, help="runs of seeds 0..N-1")
    parser.add_argument("--baseline-embedding", help="also run these seeds with this backend")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not args.corpus.exists() and (SHARED / args.corpus).exists():
        args.corpus = SHARED / args.corpus  # a file of ../shared/data by its name, as printed
    concepts = CONCEPTS
    if args.concepts:
        import tomllib

        concepts = tomllib.loads(args.concepts.read_text())["concepts"]
    per_seed = {}
    with tempfile.TemporaryDirectory() as tmp:
        run = args.run or Path(tmp) / "run"
        if args.run is None:
            run_trendkit(args.corpus, run, [])
        table = score(args.corpus, run, concepts)
        wrong = rising_called_declining(run, concepts, table)
        lineage = pd.read_csv(run / "lineage.csv")
        info = json.loads((run / "run.json").read_text())
        runs = [("default options", [])] if args.seeds > 1 else []
        if args.baseline_embedding:
            runs.append((f"`--embedding {args.baseline_embedding}`",
                         ["--embedding", args.baseline_embedding]))
        for name, extra in runs:
            counts = []
            for seed in range(args.seeds):
                if seed == 0 and not extra:
                    scored = table
                else:
                    other = Path(tmp) / f"seed{seed}{len(extra)}"
                    run_trendkit(args.corpus, other, [*extra, "--seed", str(seed)])
                    scored = score(args.corpus, other, concepts)
                counts.append((int(scored["carried"].sum()), int(scored["right"].sum())))
                print(name, seed, counts[-1], flush=True)
            per_seed[name] = counts
    right = int(table["right"].sum())
    print(table.to_string(index=False))
    print(f"told right: {right} of {len(table)}; rising concepts called declining: {wrong}")
    lines = [f"## Long-horizon stories against the keyword history ({args.section})", "",
             f"Date: {pd.Timestamp.now():%Y-%m-%d}. Reproduce with `python bench/history.py "
             f"--corpus {args.corpus.name} --section {args.section}"
             + (f" --seeds {args.seeds}" if args.seeds > 1 else "")
             + (f" --baseline-embedding {args.baseline_embedding}" if args.baseline_embedding
                else "") + " --write` (a `trendkit run` "
             "with default options: "
             f"{info['n_documents']:,} documents, `auto` chose "
             f"`{info['parameters']['embedding']}`, {info['n_themes']} themes, "
             f"{info['freq']} periods). The concepts and their keywords are in "
             "`bench/history.py`, chosen from the field's literature before the script first "
             "ran; the rules for the verdicts a history allows are in its docstring.", "",
             "| concept | docs | keyword history (first → peak → last) | now | best theme "
             "(level) | P / R | verdict | allowed | right | on the words |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.concept} | {r.documents:,} | {r.history} | {r.story} | "
                     f"{r.theme.replace('|', '/')} ({r.level}) | {r.precision:.2f} / "
                     f"{r.recall:.2f} | {r.verdict} | {r.allowed} | "
                     f"{'yes' if r.right else 'no'} | {r.words_verdict}"
                     f"{'' if r.words_right else ' (not allowed)'} |")
    lines += ["", f"**{right} of {len(table)} concepts told right** (carried: precision ≥ 0.4 "
              "and recall ≥ 0.3, and a verdict the history allows). Themes whose label names a "
              f"concept rising now, called declining: {len(wrong)}"
              + (f" ({'; '.join(wrong)})" if wrong else "") + ". *On the words*: trendkit's "
              "verdict on the concept's own documents (a theme of exactly them), allowed for "
              f"{int(table['words_right'].sum())} of {len(table)}: where it is allowed and the "
              "theme's verdict is not, the themes miss, not the tests.", "",
              *([f"Seeds 0–{args.seeds - 1}, concepts carried / told right per seed: "
                 + "; ".join(f"{name}: " + ", ".join(f"{c} / {r}" for c, r in counts)
                             for name, counts in per_seed.items()) + ".", ""]
                if per_seed else []),
              f"Lineage links in the run: {len(lineage)}; for example "
              + "; ".join(f"{r.from_label} → {r.to_label} ({r.period})"
                          for r in lineage.head(4).itertuples()) + "."]
    if args.write:
        update_section(args.section, "\n".join(lines))


if __name__ == "__main__":
    main()
