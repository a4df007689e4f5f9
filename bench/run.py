"""Speed and quality benchmark: trendkit's default vs BERTopic's default, same documents.

    python bench/run.py --n 20000          # the full benchmark, rewrites BENCHMARKS.md
    python bench/run.py --n 2000 --quick   # smoke run: comparison only, no scaling/CLI rows

Every variant runs in its own process (clean peak-RSS); ratios compare numbers from this run
only. Quality is NMI of theme ids against arXiv ``primary_category`` (outliers, where a method
leaves any, count as one cluster).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, run_child, update_section


def cli_run(out: Path, cache: Path) -> dict:
    """Time `trendkit run` on the whole arXiv file in its own process (exact peak RSS)."""
    return run_child(["cli", "--out", str(out), "--cache-dir", str(cache)])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def row(name: str, r: dict, base: dict | None) -> str:
    ratio = f"{base['seconds'] / r['seconds']:.1f}×" if base else "1.0× (baseline)"
    stages = ", ".join(f"{k} {v}" for k, v in r["stages"].items() if v is not None)
    return (f"| {name} | {r['seconds']:.1f} | {ratio} | {r['nmi']:.3f} | {r['n_topics']} | "
            f"{100 * r['outlier_share']:.1f} % | {r.get('peak_rss_mb', '—')} | {stages} |")


HEADER = ("| pipeline | seconds | speed-up vs BERTopic | NMI | themes | docs unassigned | "
          "peak RSS MB | stage seconds |\n|---|---|---|---|---|---|---|---|")


def comparison(n: int, seed: int, balanced: int = 0) -> tuple[str, dict]:
    extra = ["--n", str(n), "--seed", str(seed)]
    extra += ["--balanced", str(balanced)] if balanced else []
    base = run_child(["bertopic", *extra])
    ours = run_child(["trendkit", *extra])
    for r in (base, ours):
        for key in ("bertopic", "quality", "trendkit"):
            if key in r:
                r[key]["peak_rss_mb"] = r["peak_rss_mb"]
    lines = [HEADER,
             row("(a) BERTopic default (MiniLM + UMAP + HDBSCAN)", base["bertopic"], None),
             row("(b) trendkit default (`--embedding auto`)", ours["trendkit"], base["bertopic"]),
             row("(c) trendkit `--embedding minilm` (quality mode)",
                 base["quality"], base["bertopic"])]
    return "\n".join(lines), {"bertopic": base, "trendkit": ours}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="comparison only")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()

    command = "python bench/run.py " + " ".join(sys.argv[1:])
    sections = [f"## Speed and theme quality vs BERTopic\n\nMachine: {machine()}. "
                f"Date: {time.strftime('%Y-%m-%d')}.\n"
                f"Reproduce with `{command}` (about an hour on 2 cores: BERTopic's transformer "
                "embeddings dominate). Data: `../shared/data/arxiv_daily_2025_2026.jsonl.gz`.\n"
                "NMI is against arXiv `primary_category`; BERTopic's outliers count as one "
                "cluster; trendkit assigns every document. Speed-ups are ratios of wall times "
                "measured in this run.\n"]
    raw = {}
    table, raw["random"] = comparison(args.n, args.seed)
    sections.append(f"### Default pipelines on {args.n:,} random abstracts "
                    f"(seed {args.seed})\n\n{table}\n")
    if not args.quick:
        table, raw["balanced"] = comparison(3000, args.seed, balanced=6)
        sections.append("### Class-balanced sample: 3,000 abstracts, 500 from each of the 6 "
                        f"largest primary categories (seed {args.seed})\n\n{table}\n")
        lines = ["| documents | seconds | NMI | themes | peak RSS MB |", "|---|---|---|---|---|"]
        for n in (1000, 5000, 20000, None):
            r = run_child(["trendkit", "--seed", str(args.seed)] + (["--n", str(n)] if n else []))
            t = r["trendkit"]
            lines.append(f"| {r['n_docs']:,} | {t['seconds']:.1f} | {t['nmi']:.3f} | "
                         f"{t['n_topics']} | {r['peak_rss_mb']} |")
            raw[f"scale_{r['n_docs']}"] = r
        sections.append("### trendkit default: scaling (`trendkit.analyze`, cache off)\n\n" +
                        "\n".join(lines) + "\n")
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "cache"
            cold = cli_run(Path(tmp) / "run", cache)
            warm = cli_run(Path(tmp) / "run", cache)
        raw["cli"] = {"cold": cold, "warm": warm}
        sections.append(
            "### `trendkit run` on the whole file (74,722 abstracts after de-duplication)\n\n"
            "| run | seconds | peak RSS MB |\n|---|---|---|\n"
            f"| cold cache | {cold['seconds']} | {cold['peak_rss_mb']} |\n"
            f"| warm cache (same input) | {warm['seconds']} | {warm['peak_rss_mb']} |\n")
    sections.append("<details><summary>raw results (JSON)</summary>\n\n```json\n" +
                    json.dumps(raw, indent=1) + "\n```\n</details>\n")
    update_section("speed-quality" + ("-quick" if args.quick else ""), "\n".join(sections),
                   Path(args.output))
    print("\n".join(sections[:3]))


if __name__ == "__main__":
    main()
