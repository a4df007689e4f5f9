"""Shared helpers for the benchmarks: the real arXiv file, sampling, memory, timing."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
ARXIV = SHARED / "arxiv_daily_2025_2026.jsonl.gz"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_arxiv() -> pd.DataFrame:
    import trendkit

    if not ARXIV.exists():
        sys.exit(f"benchmark data not found: {ARXIV}")
    return trendkit.load_corpus(ARXIV)


def sample(docs: pd.DataFrame, n: int | None, seed: int, balanced: int = 0) -> pd.DataFrame:
    """``n`` documents at random, or ``balanced`` categories with equal counts."""
    if balanced:
        top = docs["primary_category"].value_counts().index[:balanced]
        per = n // balanced
        parts = [docs[docs["primary_category"] == c].sample(per, random_state=seed) for c in top]
        return pd.concat(parts).sample(frac=1, random_state=seed).reset_index(drop=True)
    if n is None or n >= len(docs):
        return docs.reset_index(drop=True)
    return docs.sample(n, random_state=seed).reset_index(drop=True)


def run_child(args: list[str], timeout: float = 7200) -> dict:
    """Run one benchmark variant in a fresh process (clean memory peak); parse its JSON line."""
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "variant.py"), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"variant {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Stopwatch:
    def __init__(self):
        self.times: dict[str, float] = {}

    def __call__(self, name: str):
        watch = self

        class _Lap:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                watch.times[name] = round(time.perf_counter() - self.start, 2)

        return _Lap()


def nmi(truth, labels) -> float:
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(np.asarray(truth), np.asarray(labels)))


def markdown(table: pd.DataFrame, formats: dict | None = None) -> str:
    """A DataFrame as a Markdown table (``formats``: column -> format spec)."""
    formats = formats or {}
    cells = [[format(v, formats.get(c, "")) for c, v in row.items()]
             for _, row in table.iterrows()]
    lines = ["| " + " | ".join(map(str, table.columns)) + " |",
             "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def update_section(name: str, text: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Replace one benchmark's section of BENCHMARKS.md, keeping the others."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.strip()}\n{end}"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current)
