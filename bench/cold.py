"""A small corpus from cold: `trendkit run` on a 3,000-abstract CSV, whole process, fresh cache.

    python bench/cold.py                    # 3 repeats, default embedding
    python bench/cold.py --n 3000 --repeats 5 --write   # the default, --embedding auto

The CSV holds ``--n`` random abstracts (seed 0) of the shared arXiv file with the columns a
user's export has (id, date, title, abstract, category). Each repeat runs the installed
``trendkit`` console script twice in new processes, each with a new output folder: once
with an empty ``TRENDKIT_CACHE_DIR`` and once with a cache holding only the report's Vega
bundle (built once per machine, as a user's next CSV finds it). Each is timed from process
start to exit: interpreter start, imports, load,
embed, cluster, label, trends, figures, report. The stage seconds come from the run's own
``run.json``; the rest of the wall time is interpreter start, imports and writing outside
the stages. The baseline in the same run is a process that only imports the libraries a run
needs (pandas, scikit-learn, UMAP, HDBSCAN, matplotlib): the floor of any run. One more run
with an empty ``NUMBA_CACHE_DIR`` shows the first run after installing, when UMAP's kernels
are compiled once (``trendkit.cluster.keep_umap_compiled``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ARXIV, ROOT, update_section
from run import machine

TRENDKIT = Path(sys.executable).with_name("trendkit")


def make_csv(path: Path, n: int) -> None:
    import pandas as pd

    frame = pd.read_json(ARXIV, lines=True)
    frame = frame.sample(n, random_state=0)[["arxiv_id", "date", "title", "abstract",
                                              "primary_category"]]
    frame.to_csv(path, index=False)


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--embedding", default="auto")
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md's section")
    args = parser.parse_args()
    load = [round(os.getloadavg()[0], 1)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="cold-") as tmp:
        tmp = Path(tmp)
        csv = tmp / "abstracts.csv"
        make_csv(csv, args.n)
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        imports = ("import pandas, sklearn.decomposition, umap, hdbscan, matplotlib.pyplot, "
                   "trendkit.workflows")
        baseline = [timed([sys.executable, "-c", imports], env) for _ in range(args.repeats)]
        first = timed([str(TRENDKIT), "run", str(csv), "--out", str(tmp / "first"), "-q",
                       "--embedding", args.embedding],
                      {**env, "TRENDKIT_CACHE_DIR": str(tmp / "cache-first"),
                       "NUMBA_CACHE_DIR": str(tmp / "numba-empty")})
        for i in range(args.repeats):
            # "empty": nothing cached at all. "new corpus": only what one run per machine
            # builds (the Vega bundle for the report) is there, as for a user's next CSV.
            for kind in ("empty", "new corpus"):
                cache, out = tmp / f"cache-{i}-{kind}", tmp / f"run-{i}-{kind}"
                if kind == "new corpus" and (tmp / "cache-first" / "vega").exists():
                    shutil.copytree(tmp / "cache-first" / "vega", cache / "vega")
                seconds = timed([str(TRENDKIT), "run", str(csv), "--out", str(out), "-q",
                                 "--embedding", args.embedding],
                                {**env, "TRENDKIT_CACHE_DIR": str(cache)})
                stages = json.loads((out / "run.json").read_text())["timings_seconds"]
                stages = {k: float(v) for k, v in stages.items() if isinstance(v, (int, float))}
                rows.append({"kind": kind, "seconds": seconds, **stages})
                shutil.rmtree(cache, ignore_errors=True)
                print(f"repeat {i} ({kind}): {seconds:.1f} s  {stages}", flush=True)
    load.append(round(os.getloadavg()[0], 1))
    empty = [r for r in rows if r["kind"] == "empty"]
    fresh = [r for r in rows if r["kind"] == "new corpus"]
    median = statistics.median(r["seconds"] for r in empty)
    median_new = statistics.median(r["seconds"] for r in fresh)
    base = statistics.median(baseline)
    stage_names = [k for k in rows[0] if k not in ("kind", "seconds")]

    def stages(group):
        return " · ".join(f"{k} {statistics.median(r[k] for r in group):.1f}" for k in stage_names)

    covered = sum(statistics.median(r[k] for r in empty) for k in stage_names)
    command = "python bench/cold.py " + " ".join(sys.argv[1:])
    text = (f"## A small corpus from cold\n\nMachine: {machine()}; load average {load[0]} at "
            f"the start, {load[1]} at the end. Date: {time.strftime('%Y-%m-%d')}. Reproduce "
            f"with `{command}`.\n\n`trendkit run` on a CSV of {args.n:,} random arXiv "
            f"abstracts (`--embedding {args.embedding}`), whole process, new output folder, "
            f"median of {args.repeats} runs each. *Empty cache*: nothing cached (all: "
            + ", ".join(f"{r['seconds']:.1f}" for r in empty) + " s). *New corpus*: the cache "
            "holds only what the first run on a machine builds once for every later one (the "
            "report's Vega bundle), as for a user's next CSV (all: "
            + ", ".join(f"{r['seconds']:.1f}" for r in fresh) + " s).\n\n"
            "| measure | seconds | ÷ imports only |\n|---|---:|---:|\n"
            f"| imports only (baseline) | {base:.1f} | 1.0× |\n"
            f"| `trendkit run`, new corpus | {median_new:.1f} | {median_new / base:.1f}× |\n"
            f"| `trendkit run`, empty cache | {median:.1f} | {median / base:.1f}× |\n"
            f"| first run after installing (UMAP kernels compiled) | {first:.1f} "
            f"| {first / base:.1f}× |\n\n"
            f"Stages (run.json, median s), empty cache: {stages(empty)}; new corpus: "
            f"{stages(fresh)}. Imports, start-up and writing outside the timed stages "
            f"(empty cache): {median - covered:.1f} s.\n")
    print("\n" + text)
    if args.write:
        update_section(f"cold-{args.embedding}", text)


if __name__ == "__main__":
    main()
