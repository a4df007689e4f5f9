"""Scaling benchmark: `trendkit run` on arXiv-snapshot files of 100k, 1M and 3M records.

    python bench/scale.py --sizes 100000,1000000,3000000 --engines single,dask --write
    python bench/scale.py --sizes 20000 --engines single          # smoke run

Snapshot files come from bench/make_snapshot.py (real text, synthetic ids/dates; kept in
--data-dir for reuse). Each run is the installed CLI in its own process, streamed with
``--fit-sample 50000`` and the embedding cache off; peak memory is sampled every 0.2 s over
the whole process tree (the Dask workers included) and reported as the tree's total and as its
largest single process. The filtered read is the scan pass alone (``--filter
categories=cs.CL``) over the largest file: bytes on disk ÷ seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from common import ROOT, update_section

BIN = Path(sys.executable).parent


def snapshot(n: int, folder: Path) -> Path:
    path = folder / f"snapshot-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_snapshot.py"), "--n", str(n),
                        "--out", str(path)], check=True)
    return path


def watched(args: list[str]) -> dict:
    """Run a command; wall seconds and peak RSS (MB) of its process tree, total and largest."""
    start = time.perf_counter()
    proc = psutil.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    total = largest = 0.0
    while proc.poll() is None:
        try:
            sizes = [p.memory_info().rss for p in [proc, *proc.children(recursive=True)]]
        except psutil.Error:
            sizes = []
        total, largest = max(total, sum(sizes)), max(largest, max(sizes, default=0))
        time.sleep(0.2)
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{proc.stderr.read()[-3000:]}")
    return {"seconds": round(time.perf_counter() - start, 1),
            "rss_total_mb": round(total / 2**20), "rss_largest_mb": round(largest / 2**20)}


def run_one(path: Path, engine: str, out: Path) -> dict:
    row = watched([str(BIN / "trendkit"), "run", str(path), "--out", str(out), "--fit-sample",
                   "50000", "--engine", engine, "--no-cache", "--quiet", "--force"])
    info = json.loads((out / "run.json").read_text())
    t = info["timings_seconds"]
    fit = sum(t.get(k, 0) for k in ("embed", "cluster_label"))  # the fit sample's stages
    return {**row, "engine": engine, "n_docs": info["n_documents"], "gb": path.stat().st_size / 1e9,
            "scan": t.get("scan"), "sample": t.get("sample"), "fit": round(fit, 1),
            "assign": t.get("assign"), "report": t.get("report"), "n_themes": info["n_themes"]}


def filtered_read(path: Path) -> dict:
    code = ("import sys, time, json; from pathlib import Path; "
            "from trendkit.load import LoadOptions, parse_filter; "
            "from trendkit.load.partitions import plan_partitions; "
            "from trendkit.execute.passes import scan; "
            "o = LoadOptions(filters=(parse_filter('categories=cs.CL'),)); "
            "t = time.perf_counter(); "
            "n = sum(len(scan(p, o, 0, 20000).days) "
            "for p in plan_partitions([Path(sys.argv[1])], o)); "
            "print(json.dumps({'kept': n, 'seconds': time.perf_counter() - t}))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=True)
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row["mb_per_s"] = round(path.stat().st_size / 2**20 / row["seconds"], 1)
    return row


def table(rows: list[dict], read: dict | None, machine: str) -> str:
    lines = [f"Machine: {machine}. `python bench/scale.py --sizes ... --engines ... --write`; "
             "arXiv-snapshot files from `bench/make_snapshot.py` (real abstracts, synthetic "
             "ids and dates 2007–2026: a speed test, not a quality one). Streamed runs "
             "(`trendkit run FILE --fit-sample 50000 --no-cache`); peak RSS sampled over the "
             "process tree (Dask workers included).", "",
             "| records | file GB | engine | seconds | docs/s | streaming s per 1k docs | "
             "× vs smallest | peak RSS total MB | largest process MB | scan s | sample s | "
             "fit s | assign s | report s |", "|" + "---|" * 14]
    base = {}
    for r in rows:
        # the fit on 50,000 documents and the report are a fixed cost; the rest grows with N
        streaming = r["seconds"] - r["fit"] - (r["report"] or 0)
        per_k = 1000 * streaming / r["n_docs"]
        base.setdefault(r["engine"], per_k)
        lines.append(f"| {r['n_docs']:,} | {r['gb']:.2f} | {r['engine']} | {r['seconds']:,.0f} | "
                     f"{r['n_docs'] / r['seconds']:,.0f} | {per_k:.2f} | "
                     f"{per_k / base[r['engine']]:.2f} | {r['rss_total_mb']:,} | "
                     f"{r['rss_largest_mb']:,} | {r['scan']} | {r['sample']} | {r['fit']} | "
                     f"{r['assign']} | {r['report']} |")
    if read:
        lines += ["", f"Filtered read (`--filter categories=cs.CL`, scan pass alone, one "
                  f"process): {read['mb_per_s']} MB/s over {read['gb']:.2f} GB, "
                  f"{read['kept']:,} records kept, {read['seconds']:.0f} s."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,3000000")
    parser.add_argument("--engines", default="single,dask")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tk-scale")
    parser.add_argument("--single-max", type=int, default=10**9,
                        help="run the single-process engine only up to this many records")
    parser.add_argument("--no-read", action="store_true", help="skip the filtered-read row")
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md's section")
    parser.add_argument("--from-log", type=Path,
                        help="re-render the table from a previous run's printed JSON rows")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    rows, read = [], None
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.from_log:
        logged = [json.loads(line) for line in args.from_log.read_text().splitlines()
                  if line.startswith("{")]
        rows = [r for r in logged if "engine" in r]
        read = next((r for r in logged if "mb_per_s" in r), None)
        sizes = []
    for n in sizes:
        path = snapshot(n, args.data_dir)
        for engine in args.engines.split(","):
            if engine == "single" and n > args.single_max:
                continue
            row = run_one(path, engine, args.data_dir / f"run-{n}-{engine}")
            print(json.dumps(row), flush=True)
            rows.append(row)
    if sizes and not args.no_read:
        path = snapshot(max(sizes), args.data_dir)
        read = {**filtered_read(path), "gb": path.stat().st_size / 1e9}
        print(json.dumps(read), flush=True)
    from run import machine

    text = table(rows, read, machine())
    print(text)
    if args.write:
        update_section("scale", "## Scaling: the arXiv snapshot, streamed (`bench/scale.py`)\n\n"
                       + text)


if __name__ == "__main__":
    main()
