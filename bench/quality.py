"""Theme quality of every embedding backend on every labelled set, BERTopic's default beside them.

    python bench/quality.py                                  # everything (hours on 2 cores)
    python bench/quality.py --sets aaai --backends lsa,bertopic   # a small check
    python bench/quality.py --write                          # also rewrite BENCHMARKS.md

Sets (``../shared/data``): arXiv (``--arxiv-n`` random abstracts, seed 0, label
``primary_category``), AAAI-2022 (label ``area``) and venues 2019-2025 (one clustering,
scored against ``venue`` and against ``field``). Backends: trendkit's ``lsa``,
``minilm-int8`` and ``minilm`` through ``trendkit.load_corpus`` + ``trendkit.analyze`` (fresh cache,
no document map), and ``bertopic``: ``BERTopic()`` with its default all-MiniLM-L6-v2 taken
from the packaged weights (nothing downloads), UMAP + HDBSCAN, outliers one cluster.

Each (backend, set) runs in its own process (``--child``) for a clean peak RSS and cold
imports. Metrics: NMI and ARI against the labels, mean NPMI of the themes' top-10 terms and
topic diversity (both from ``trendkit.label.quality.theme_quality``), embedding docs/s, end-to-end
seconds and peak RSS. Raw rows go to ``bench/results/quality.json`` after every child.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from common import ARXIV, ROOT, SHARED, load_arxiv, peak_rss_mb, sample, update_section  # noqa: E402
from run import machine  # noqa: E402

from trendkit.embed.registry import registered  # noqa: E402

# set -> (file, label columns scored against the same clustering)
SETS = {"arxiv": (ARXIV, ["primary_category"]),
        "aaai": (SHARED / "aaai2022_areas.csv.gz", ["area"]),
        "venues": (SHARED / "venues_2019_2025.csv.gz", ["venue", "field"]),
        "medical": (SHARED / "ohsumed_train.csv.gz", ["label"])}
# What the gold classes are called, for the label check (public category names: MeSH
# disease branches C01-C23, arXiv's category titles, the venues set's field codes).
CLASS_NAMES = {
    "C01": "bacterial infections mycoses", "C02": "virus diseases", "C03": "parasitic diseases",
    "C04": "neoplasms cancer tumor", "C05": "musculoskeletal diseases",
    "C06": "digestive system diseases", "C07": "stomatognathic diseases",
    "C08": "respiratory tract diseases", "C09": "otorhinolaryngologic diseases",
    "C10": "nervous system diseases", "C11": "eye diseases",
    "C12": "urologic male genital diseases", "C13": "female genital diseases pregnancy",
    "C14": "cardiovascular diseases", "C15": "hemic lymphatic diseases",
    "C16": "neonatal diseases abnormalities", "C17": "skin connective tissue diseases",
    "C18": "nutritional metabolic diseases", "C19": "endocrine diseases",
    "C20": "immunologic diseases", "C21": "disorders environmental origin",
    "C22": "animal diseases", "C23": "pathological conditions signs symptoms",
    "ML": "machine learning", "NLP": "natural language processing", "CV": "computer vision",
    "Robotics": "robotics robot", "Web": "web",
    "cs.CV": "computer vision pattern recognition", "cs.CL": "computation language",
    "cs.AI": "artificial intelligence", "cs.LG": "machine learning", "cs.RO": "robotics",
    "cs.IT": "information theory", "cs.GR": "graphics", "eess.IV": "image video processing",
}
# Words every class name of a set uses, which would match any theme name.
CHECK_STOP = frozenset("diseases disease and of the system tract conditions signs origin "
                       "abnormalities".split())
# every registered backend that needs no model folder, then BERTopic's default for comparison
BACKENDS = [name for name, b in registered().items() if not b.required and name != "auto"] + [
    "bertopic"]
ACCEPTED = ["auto", *BACKENDS]  # "auto", the default, is distilled on all three sets
RESULTS = ROOT / "bench" / "results" / "quality.json"


def load_set(name: str, arxiv_n: int):
    import trendkit

    if name == "arxiv":  # the whole file is read (and de-duplicated) before sampling
        return sample(load_arxiv(), arxiv_n, seed=0)
    return trendkit.load_corpus(SETS[name][0])


def set_file(name: str, arxiv_n: int, folder: str) -> Path:
    """The file a user of this set would load: the set's own, or for an arXiv sample the
    sampled abstracts written to ``folder`` (untimed), so the timed load reads the sample's
    20,000 abstracts and not the whole 74,728-abstract file it was drawn from."""
    if name != "arxiv":
        return Path(SETS[name][0])
    path = Path(folder) / f"arxiv_{arxiv_n}.jsonl"
    load_set(name, arxiv_n).to_json(path, orient="records", lines=True, date_format="iso")
    return path


def bertopic_topics(topic_model):
    """BERTopic's topics in trendkit's topic-table shape, so theme_quality scores both alike."""
    import pandas as pd

    ids = sorted(set(topic_model.topics_))
    return pd.DataFrame({"topic_id": ids, "topic_label": [str(t) for t in ids],
                         "top_terms": ["; ".join(w for w, _ in topic_model.get_topic(t) or [] if w)
                                       for t in ids]})


def score(docs, topics, labels: list[str]) -> dict[str, dict]:
    """NMI/ARI per label column; NPMI and diversity of the themes (the outlier bin is no theme,
    so it stays out of NPMI/diversity but counts as one cluster in NMI/ARI)."""
    from trendkit.label.quality import theme_quality

    topics = topics[topics["topic_id"] != -1]
    out = {}
    for label in labels:
        table = theme_quality(docs, topics, label_col=label)
        overall = table[table["scope"] == "overall"].set_index("metric")["value"]
        out[label] = {"nmi": overall["nmi"], "ari": overall["ari"],
                      "npmi": overall["npmi_mean"], "diversity": overall["topic_diversity"]}
    return out


def label_match(docs, names: dict, label: str) -> float:
    """Share of themes whose name shares a content word (stemmed) with the name of their
    majority gold class (outliers are no theme)."""
    from trendkit.label.terms import term_key

    def words(text) -> set:
        return {term_key(w) for w in str(text).lower().replace("-", " ").split()
                if w.isalpha() and w not in CHECK_STOP}

    hits = []
    for topic, group in docs[docs["topic_id"] != -1].groupby("topic_id"):
        gold = str(group[label].mode().iloc[0])
        hits.append(bool(words(names.get(topic, "")) & words(CLASS_NAMES.get(gold, gold))))
    return float(np.mean(hits)) if hits else float("nan")


def largest_share(ids) -> float:
    """Share of documents in the largest theme (outliers are no theme): a catch-all shows here,
    while NMI barely penalises one."""
    ids = np.asarray(ids)
    kept = ids[ids != -1]
    return float(np.bincount(kept - kept.min()).max() / len(ids)) if len(kept) else 0.0


def child(backend: str, set_name: str, arxiv_n: int, seeds: int = 1) -> list[dict]:
    """One (backend, set) measured in this process; one row per label column.

    Both are also re-run ``seeds - 1`` times, untimed: trendkit with seeds 1..seeds-1 (same
    embedding cache), BERTopic on the same embeddings (its UMAP is not seeded, so a re-fit
    is another draw). On a few thousand documents NMI moves by a few hundredths between
    runs, and names match by several points, more than some of the differences the table
    is read for. Rows carry the means and the NMI range."""
    from trendkit.embed import minilm_path

    extra, seed_scores, seed_largest, seed_runs = {}, [], [], []  # seed_runs: (docs, names)
    cpu = time.process_time()  # CPU seconds are steadier than wall time on a shared machine
    if backend == "bertopic":
        from trendkit.text import document_texts, term_vectorizer

        # Same documents as trendkit sees, loaded untimed: BERTopic is handed texts.
        docs = load_set(set_name, arxiv_n)
        texts = list(document_texts(docs["title"], docs["text"]))
        start = time.perf_counter()  # cold: imports and model load count, as for trendkit
        from bertopic import BERTopic
        from bertopic.backend._utils import select_backend
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(minilm_path(), device="cpu")
        lap = time.perf_counter()
        # Exactly the call fit_transform makes itself; done here to time the embedding.
        embeddings = select_backend(model).embed_documents(texts)
        embed_s = time.perf_counter() - lap
        topic_model = BERTopic(embedding_model=model)
        found, _ = topic_model.fit_transform(texts, embeddings)
        seconds = time.perf_counter() - start
        docs = docs.assign(topic_id=found)
        topics = bertopic_topics(topic_model)
        # BERTopic's label for a topic: its top four words ("3_heart_cardiac_...")
        names = {t: " ".join(w for w, _ in (topic_model.get_topic(t) or [])[:4])
                 for t in set(found)}
        # BERTopic's default vectorizer keeps stop words ("the", "of") among the top terms,
        # which NPMI skips and diversity counts; report the terms it gets with trendkit's
        # stop words too (assignments unchanged), untimed.
        topic_model.update_topics(texts, vectorizer_model=term_vectorizer())
        alt = next(iter(score(docs, bertopic_topics(topic_model), SETS[set_name][1][:1]).values()))
        extra.update(npmi_stopwords=alt["npmi"], diversity_stopwords=alt["diversity"])
        for _ in range(1, seeds):
            again = BERTopic(embedding_model=model)
            refound, _ = again.fit_transform(texts, embeddings)
            redocs = docs.assign(topic_id=refound)
            seed_scores.append(score(redocs, bertopic_topics(again), SETS[set_name][1]))
            seed_largest.append(largest_share(np.asarray(refound)))
            seed_runs.append((redocs, {t: " ".join(w for w, _ in (again.get_topic(t) or [])[:4])
                                       for t in set(refound)}))
    else:
        import trendkit

        with tempfile.TemporaryDirectory(prefix="quality-cache-") as cache:
            source = set_file(set_name, arxiv_n, cache)
            start = time.perf_counter()
            docs = trendkit.load_corpus(source)
            result = trendkit.analyze(docs, embedding=backend, cache=cache, document_map=False)
            seconds = time.perf_counter() - start
            extra_runs = [trendkit.analyze(docs, embedding=backend, cache=cache,
                                           document_map=False, seed=seed)
                          for seed in range(1, seeds)]
        docs, topics = result.documents, result.topics
        names = dict(zip(topics["topic_id"], topics["topic_name"]))
        embed_s = result.meta["timings"]["embed"]
        seed_scores = [score(r.documents, r.topics, SETS[set_name][1]) for r in extra_runs]
        seed_largest = [largest_share(r.documents["topic_id"].to_numpy()) for r in extra_runs]
        seed_runs = [(r.documents, dict(zip(r.topics["topic_id"], r.topics["topic_name"])))
                     for r in extra_runs]
    ids = docs["topic_id"].to_numpy()
    common = {"backend": backend, "set": set_name, "n_docs": len(docs),
              "n_themes": int(len(set(ids) - {-1})), "outlier_share": float((ids == -1).mean()),
              "largest_share": max([largest_share(ids)] + seed_largest),
              "docs_per_s": len(docs) / embed_s, "embed_s": round(embed_s, 2),
              "end_to_end_s": round(seconds, 2), "cpu_s": round(time.process_time() - cpu, 1),
              "peak_rss_mb": round(peak_rss_mb()), **extra}
    rows = []
    gold = load_set(set_name, arxiv_n)

    def matched(run_docs, run_names, label) -> float:
        if label not in run_docs:
            run_docs = run_docs.merge(gold[["doc_id", label]], on="doc_id", how="left")
        return label_match(run_docs, run_names, label)

    for label, metrics in score(docs, topics, SETS[set_name][1]).items():
        matches = [matched(docs, names, label)] + [matched(d, n, label) for d, n in seed_runs]
        row = {**common, "label": label, **{k: float(v) for k, v in metrics.items()},
               "label_match": float(np.mean(matches)), "label_match_runs": matches}
        nmis = [row["nmi"]] + [float(s[label]["nmi"]) for s in seed_scores]
        aris = [row["ari"]] + [float(s[label]["ari"]) for s in seed_scores]
        row.update(nmi_seeds=nmis, nmi_mean=sum(nmis) / len(nmis), ari_mean=sum(aris) / len(aris))
        rows.append(row)
    return rows


def run_child(backend: str, set_name: str, arxiv_n: int, env: dict, seeds: int = 1) -> list[dict]:
    """common.run_child's pattern, on this file's --child entry."""
    done = subprocess.run([sys.executable, str(Path(__file__)), "--child", backend, set_name,
                           "--arxiv-n", str(arxiv_n), "--seeds", str(seeds)],
                          capture_output=True, text=True,
                          timeout=6 * 3600, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{backend} on {set_name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_onnx() -> dict:
    """Export + int8-quantise MiniLM into $TRENDKIT_CACHE_DIR: once per machine, not per
    analysis, so it runs in its own process before the timed ones (torch stays out of their
    peak RSS)."""
    from trendkit.embed import minilm_path
    from trendkit.embed.onnx import build_model

    start = time.perf_counter()
    build_model(minilm_path())
    return {"onnx_build_s": round(time.perf_counter() - start, 1)}


def fmt(value, spec: str = ".3f", suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def rate(docs_per_s: float) -> str:
    return f"{docs_per_s:,.0f}" if docs_per_s >= 100 else f"{docs_per_s:.1f}"


def nmi_cell(row: dict) -> str:
    """Mean NMI over the seeds, with the range when there was more than one."""
    seeds = row.get("nmi_seeds", [row["nmi"]])
    if len(seeds) == 1:
        return f"{seeds[0]:.3f}"
    return f"{mean_nmi(row):.3f} ({min(seeds):.3f}–{max(seeds):.3f})"


def mean_nmi(row: dict) -> float:
    return row.get("nmi_mean", row["nmi"])


def table(rows: list[dict]) -> str:
    """One row per (set/label, backend); ratios against minilm fp32 and BERTopic of that set."""
    by = {(r["set"], r["label"], r["backend"]): r for r in rows}
    lines = ["| set / label | backend | themes | largest theme | NMI (seeds) | ARI | NPMI "
             "| diversity | names match "
             "| embed docs/s | end-to-end s | peak RSS MB | NMI ÷ minilm | NMI ÷ BERTopic "
             "| speed-up vs BERTopic |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        fp32 = by.get((r["set"], r["label"], "minilm"))
        bert = by.get((r["set"], r["label"], "bertopic"))
        themes = str(r["n_themes"]) + (f" + {100 * r['outlier_share']:.0f} % outliers"
                                       if r["outlier_share"] else "")
        lines.append(
            f"| {r['set']} / {r['label']} | {r['backend']} | {themes} "
            f"| {fmt(r.get('largest_share'), '.0%')} | {nmi_cell(r)} "
            f"| {r.get('ari_mean', r['ari']):.3f} | {r['npmi']:.3f} | {r['diversity']:.2f} "
            f"| {fmt(r.get('label_match'), '.0%')} "
            f"| {rate(r['docs_per_s'])} "
            f"| {r['end_to_end_s']:,.1f} | {r['peak_rss_mb']:,} "
            f"| {fmt(mean_nmi(r) / mean_nmi(fp32) if fp32 else None, '.2f')} "
            f"| {fmt(mean_nmi(r) / mean_nmi(bert) if bert else None, '.2f')} "
            f"| {fmt(bert['end_to_end_s'] / r['end_to_end_s'] if bert else None, '.1f', '×')} |")
    return "\n".join(lines)


METHOD = " ".join([
    "Data (`../shared/data`): arXiv = `--arxiv-n` random abstracts (seed 0) of "
    "`arxiv_daily_2025_2026.jsonl.gz`, label `primary_category`; AAAI-2022 "
    "(`aaai2022_areas.csv.gz`), label `area`; venues 2019-2025 "
    "(`venues_2019_2025.csv.gz`), one clustering scored against `venue` and `field`; "
    "medical = OHSUMED (`ohsumed_train.csv.gz`, 3,357 MEDLINE abstracts), label "
    "`label` (23 MeSH disease branches).\n\n"
    "trendkit rows: `trendkit.load_corpus` + `trendkit.analyze(embedding=…)` with a fresh "
    "cache, timed end to end: the load reads the set's file; for arXiv the sample is "
    "first written to a JSON Lines file (untimed) and the timed load reads that file "
    "(tables dated before 2026-12-07 evening, without `arxiv sample loaded from its own "
    "file` in their heading, timed reading and de-duplicating all 74,728 abstracts "
    "before sampling: 7 s of a 20k run). Where a section gives no ONNX export time, "
    "`auto` rows that read with the int8 MiniLM include its one-off export. BERTopic: "
    "`BERTopic(embedding_model=<packaged "
    "all-MiniLM-L6-v2>)`, otherwise default (UMAP + HDBSCAN, not seeded); its time "
    "covers imports, model load, embedding and `fit_transform`; outliers (-1) count "
    "as one cluster for NMI/ARI and are left out of NPMI/diversity. Each "
    "(backend, set) ran in its own process; ratios use numbers from one run only.\n\n"
    "NMI (seeds): trendkit backends were also run with seeds 1..n−1 (untimed, same "
    "embedding cache), BERTopic re-fitted n−1 times on the same embeddings (untimed; its "
    "UMAP is not seeded, so each fit is another draw); the cell is the mean with the "
    "range, and ratios use means (tables dated before 2026-12-07 ran BERTopic once: "
    "no range). ARI and names match are means over the runs too. "
    "`minilm-map`'s embed docs/s is the corpus size over its embedding time.\n\n"
    "Names match: share of themes whose name (trendkit's `topic_name`; BERTopic's "
    "top four words, its own label) shares a content word, after stemming, with the "
    "name of the theme's majority gold class (class names in `bench/quality.py`). "
    "Largest theme: share of the documents in the largest theme, the most over the "
    "seeds; a catch-all theme (a third of the corpus or more) shows here, while NMI "
    "barely penalises one (it can even rise). NPMI: mean over themes of the mean "
    "pairwise NPMI of the top-10 terms (document co-occurrence in the same set); "
    "diversity: unique share of the top-10 terms' words "
    "(`trendkit.label.quality.theme_quality`)."]).replace("\n\n ", "\n\n")


def section(rows: list[dict], command: str, arxiv_n: int, load: list[float],
            onnx_build_s: float | None) -> str:
    """One run's table and what is particular to it (the method is in :data:`METHOD`)."""
    notes = [f"Machine: {machine()}; load average {load[0]} at the start, {load[1]} at the "
             f"end. Date: {time.strftime('%Y-%m-%d')}. Reproduce with `{command}` "
             + (f"(arXiv: {arxiv_n:,} abstracts, arxiv sample loaded from its own file; "
                if any(r["set"] == "arxiv" for r in rows)
                else "(") + "the method is under the heading above)."]
    stop = [f"{r['set']}: NPMI {r['npmi_stopwords']:.3f}, diversity "
            f"{r['diversity_stopwords']:.2f}" for r in rows
            if r["backend"] == "bertopic" and "npmi_stopwords" in r
            and r["label"] == SETS[r["set"]][1][0]]
    if stop:
        notes.append("BERTopic's default vectorizer keeps stop words among its top terms: "
                     "NPMI skips them (scoring only the remaining words) and diversity counts "
                     "them. With trendkit's stop words (same assignments, `update_topics`) its "
                     "top terms score " + "; ".join(stop) + ".")
    if onnx_build_s is not None:
        notes.append(f"The int8 MiniLM's one-off ONNX export + int8 quantisation (read by "
                     f"minilm-int8, minilm-map and auto's fidelity probe) took "
                     f"{onnx_build_s:.0f} s (once per machine, in its own process; not in the "
                     "times above: a first run on a new machine pays it once).")
    return "## Theme quality by embedding backend\n\n" + "\n\n".join(notes) + \
        "\n\n" + table(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="arxiv,aaai,venues")
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help="comma-separated; minilm-map:N samples N documents")
    parser.add_argument("--arxiv-n", type=int, default=20000)
    parser.add_argument("--seeds", type=int, default=3,
                        help="seeds per trendkit backend (NMI mean and range)")
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md's section")
    parser.add_argument("--section", default="quality",
                        help="BENCHMARKS.md section and bench/results/<section>.json to write")
    parser.add_argument("--child", nargs=2, metavar=("BACKEND", "SET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        backend, set_name = args.child
        print(json.dumps(build_onnx() if set_name == "build" else
                         child(backend, set_name, args.arxiv_n, args.seeds)))
        return
    sets, backends = args.sets.split(","), args.backends.split(",")
    unknown = [n for n in sets if n not in SETS] + [n for n in backends
                                                    if n.split(":")[0] not in ACCEPTED]
    if unknown:
        sys.exit(f"unknown {unknown}: sets are {list(SETS)}, backends {ACCEPTED}")
    command = "python bench/quality.py " + " ".join(sys.argv[1:])
    results = RESULTS.with_name(f"{args.section}.json")
    rows: list[dict] = []
    load = [round(os.getloadavg()[0], 1)]  # other work on the machine distorts wall times
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="quality-models-") as models:
        # One model cache for the whole run (the ONNX build), away from the user's own cache.
        env = {**os.environ, "TRENDKIT_CACHE_DIR": models}
        # auto may read with the int8 model too (its fidelity probe, minilm-map): the export
        # is a once-per-machine cost, reported beside the table, not in any row's time
        onnx = {"minilm-int8", "minilm-map", "auto"} & {b.split(":")[0] for b in backends}
        build = run_child("minilm-int8", "build", 0, env) if onnx else {}
        for set_name in sets:
            for backend in backends:
                start = time.perf_counter()
                try:
                    rows += run_child(backend, set_name, args.arxiv_n, env, args.seeds)
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    # A long run keeps the other rows; the failure is reported, not hidden.
                    print(f"!! {exc}", file=sys.stderr, flush=True)
                    continue
                print(f"{set_name:7} {backend:12} {time.perf_counter() - start:7.1f} s  NMI "
                      f"{rows[-1]['nmi']:.3f}", flush=True)
                results.write_text(json.dumps({"command": command, "machine": machine(),
                                               "load": load, **build, "rows": rows}, indent=1))
    if not rows:
        sys.exit("no backend finished")
    load.append(round(os.getloadavg()[0], 1))
    results.write_text(json.dumps({"command": command, "machine": machine(), "load": load,
                                   **build, "rows": rows}, indent=1))
    text = section(rows, command, args.arxiv_n, load, build.get("onnx_build_s"))
    if args.section != "quality":  # e.g. a larger arXiv sample beside the main table
        text = text.replace("## Theme quality by embedding backend",
                            f"## Theme quality by embedding backend: {args.section}", 1)
    print("\n" + text)
    if args.write:
        update_section("quality-method", METHOD)
        update_section(args.section, text)


if __name__ == "__main__":
    main()
