"""How many planted bursts could any test find? trendkit's burst test against better-informed ones.

    python bench/bursts.py --write        # 1,000 seeds a regime, ~30 s on 2 cores

``bench/trends.py`` plants, in each 24-month corpus, a theme at 8 % with one month at
25 % and asks for a burst within one month of it; at 60-140 documents a month trendkit
finds about nine in ten. This script asks how many a test could find at all, on the
same planted counts (``trends.planted_counts``: seed ``s`` of a regime is the corpus of
``bench/trends.py``'s seed ``s``), each test at 5 % a theme:

- **trendkit**: :func:`trendkit.trend.burst.significant_bursts`, as ``trend_summary``
  calls it (Kleinberg's two-state burst, its weight tested against flat series drawn
  with the same totals);
- **one-month scan**: the test made for this shape, a burst of one month whose month is
  unknown: the largest binomial likelihood ratio of one month against the theme's rate,
  tested against the same flat draws (199, seeded); found when the month it picks is
  within one of the planted month;
- **month known**: an oracle told the month, a one-sided binomial test of that month's
  count against the other months' rate. No test can do better; none can know the month.

Detection is the burst alone (``bench/trends.py`` also asks that the burst theme is not
called emerging or declining). False alarms: the six flat themes (3-10 %) of every
corpus, flagged by the test anywhere.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from common import markdown, update_section
from scipy.stats import binom
from trends import FLAT, REGIMES, planted_counts

from trendkit.trend.burst import N_NULL, _emission_cost, significant_bursts

ALPHA = 0.05


def month_ratio(r: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Per series (rows), the largest one-month log likelihood ratio (rate above the
    series' own) and the month it is in."""
    p0, q = r.sum(axis=-1, keepdims=True) / d.sum(), r / d
    ratio = np.where(q > p0, _emission_cost(r, d, p0) - _emission_cost(r, d, q), 0.0)
    return ratio.max(axis=-1), ratio.argmax(axis=-1)


def scan_test(r: np.ndarray, d: np.ndarray, seed: int) -> tuple[float, int]:
    """p-value of the one-month scan, and the month it picks."""
    rng = np.random.default_rng(seed)
    null = rng.binomial(d.astype(int), r.sum() / d.sum(), size=(N_NULL, len(d)))
    stat, at = month_ratio(r[None], d)
    null_stat, _ = month_ratio(null.astype(float), d)
    return float((1 + (null_stat >= stat[0]).sum()) / (N_NULL + 1)), int(at[0])


def near(found: list[int], month: int) -> bool:
    return any(abs(m - month) <= 1 for m in found)


def measure(regime: str, seed: int) -> list[dict]:
    r_index = list(REGIMES).index(regime)
    counts, burst_at = planted_counts(REGIMES[regime], np.random.default_rng([r_index, seed]))
    d = counts.sum(axis=1).to_numpy(float)
    rows = []
    for theme in ["burst", *FLAT]:
        r = counts[theme].to_numpy(float)
        bursts = significant_bursts(r, d, alpha=ALPHA)
        kleinberg = [m for b in bursts for m in range(b.start, b.end + 1)]
        p_scan, at = scan_test(r, d, seed)
        row = {"regime": regime, "seed": seed, "theme": theme,
               "trendkit": near(kleinberg, burst_at) if theme == "burst" else bool(bursts),
               "one-month scan": p_scan < ALPHA and (theme != "burst" or abs(at - burst_at) <= 1)}
        if theme == "burst":  # the oracle is told the month
            rest = np.delete(np.arange(len(d)), burst_at)
            rate = r[rest].sum() / d[rest].sum()
            row["month known"] = bool(binom.sf(r[burst_at] - 1, d[burst_at], rate) < ALPHA)
        rows.append(row)
    return rows


def render(results: pd.DataFrame, seeds: int, seconds: float) -> str:
    methods = ["trendkit", "one-month scan", "month known"]
    rows = []
    for regime, part in results.groupby("regime", sort=False):
        burst, flat = part[part["theme"] == "burst"], part[part["theme"] != "burst"]
        for method in methods:
            rows.append({"docs/month": regime, "test": method,
                         "bursts found (±1 month)": f"{burst[method].mean():.1%}",
                         "flat themes flagged": ("— (told the month)" if method == "month known"
                                                 else f"{flat[method].astype(bool).mean():.1%}")})
    return (f"Command: `python bench/bursts.py --write` ({seeds:,} seeds a regime, "
            f"{seconds:.0f} s on 2 cores). The burst theme of `bench/trends.py` (8 %, one "
            "month at 25 %, months 7-18) on the same planted counts, each test at 5 % a theme; "
            "flat: its six flat themes (3-10 %), flagged anywhere. *one-month scan*: the "
            "likelihood-ratio test made for one burst month at an unknown time; *month known*: "
            "an oracle told the month (a bound no test reaches).\n\n"
            + markdown(pd.DataFrame(rows)) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    start = time.perf_counter()
    results = pd.DataFrame([row for regime in REGIMES for seed in range(args.seeds)
                            for row in measure(regime, seed)])
    text = render(results, args.seeds, time.perf_counter() - start)
    print(text)
    if args.write:
        update_section("bursts", text)


if __name__ == "__main__":
    main()
