"""Backtest of trendkit's share forecasts: rolling origin over the last third of periods.

    python bench/forecast.py --write          # arXiv (monthly), robotics (yearly), planted

For every broad theme of a ``trendkit run`` and every origin in the last third of the
complete periods, the forecast model is fitted on the periods before the origin and
predicts the next one (horizon 1) and the one after (horizon 2). Measured over all
themes and origins, per corpus and model:

- **coverage**: the share of held-out shares inside the 80 % (target 70–90 %) and 95 %
  prediction intervals;
- **MASE**: mean absolute error scaled by the in-sample mean absolute change (Hyndman &
  Koehler 2006), for the model and for the naive last-value forecast (below it: better).

Corpora: the arXiv listing file (monthly; ``--normalize-by primary_category``, as its
collection changed), the robotics corpus (yearly), and planted series (random-walk
logit shares of 12 themes, 60 months, binomial sampling of 300–3,000 documents a month).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import ARXIV, ROOT, SHARED, markdown, update_section

from trendkit.trend.forecast import MODELS, forecast_series

ROBOTICS = SHARED / "robotics_icra_iros_2000_2023.csv.gz"
HORIZONS = (1, 2)


def run_series(corpus: Path, out: Path, extra: list[str]) -> list[tuple[np.ndarray, ...]]:
    """``(shares, sizes)`` of every broad theme's complete periods, from a trendkit run."""
    if not (out / "trends.csv").exists():
        subprocess.run([sys.executable, "-m", "trendkit", "run", str(corpus), "--out", str(out),
                        "--quiet", *extra], check=True, cwd=ROOT)
    trends = pd.read_csv(out / "trends.csv")
    trends = trends[trends["parent_id"].isna() & ~trends["partial"].astype(bool)]
    return [(g["share"].to_numpy(), g["period_total"].to_numpy())
            for _, g in trends.sort_values("period").groupby("topic_id")]


def planted_series(seed: int = 0, themes: int = 12, months: int = 60):
    rng = np.random.default_rng(seed)
    series = []
    for _ in range(themes):
        logit = np.log(rng.uniform(0.02, 0.2) / 0.9) + np.cumsum(rng.normal(0, 0.08, months))
        logit += rng.choice([0.0, 0.03, -0.03]) * np.arange(months)  # some trend, some not
        sizes = rng.integers(300, 3000, months)
        shares = rng.binomial(sizes, 1 / (1 + np.exp(-logit))) / sizes
        series.append((shares, sizes))
    return series


def backtest(series, model: str) -> dict:
    hits80, hits95, errors, naive, scale = [], [], [], [], []
    for shares, sizes in series:
        n = len(shares)
        start = max(6, n - n // 3)
        for origin in range(start, n):
            past = shares[:origin]
            out = forecast_series(past, sizes[:origin], max(HORIZONS), model)
            mae_in = np.mean(np.abs(np.diff(past))) or 1e-9
            for h in HORIZONS:
                if origin + h - 1 >= n or np.isnan(out["share"].iloc[h - 1]):
                    continue
                truth = shares[origin + h - 1]
                row = out.iloc[h - 1]
                hits80.append(row["low80"] <= truth <= row["high80"])
                hits95.append(row["low95"] <= truth <= row["high95"])
                errors.append(abs(row["share"] - truth) / mae_in)
                naive.append(abs(past[-1] - truth) / mae_in)
                scale.append(mae_in)
    return {"model": model, "forecasts": len(errors), "coverage_80": np.mean(hits80),
            "coverage_95": np.mean(hits95), "mase": np.mean(errors),
            "mase_naive": np.mean(naive)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, help="keep the runs here (reused when present)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        runs = args.runs or Path(tmp)
        corpora = {
            "arXiv 2025-26, monthly": lambda: run_series(
                ARXIV, runs / "arxiv", ["--normalize-by", "primary_category", "--freq", "month"]),
            "robotics 2000-23, yearly": lambda: run_series(ROBOTICS, runs / "robotics", []),
            "planted, 60 months": lambda: planted_series(),
        }
        for name, make in corpora.items():
            series = make()
            for model in MODELS:
                started = time.perf_counter()
                result = backtest(series, model)
                rows.append({"corpus": name, "themes": len(series), **result,
                             "seconds": time.perf_counter() - started})
                print(rows[-1], file=sys.stderr)
    table = pd.DataFrame(rows)
    table["beats_naive"] = np.where(table["mase"] < table["mase_naive"], "yes", "no")
    table["80 % in 70–90 %"] = np.where(table["coverage_80"].between(0.7, 0.9), "yes", "no")
    text = ("Command: `python bench/forecast.py --write`. Rolling origin over the last third of "
            "each theme's complete periods, horizons 1 and 2; `trend` (the default: local "
            "linear trend on the logit share) and `level` (local level) are the two "
            "statsmodels `UnobservedComponents` models trendkit can fit.\n\n"
            + markdown(table[["corpus", "themes", "model", "forecasts", "coverage_80",
                              "coverage_95", "80 % in 70–90 %", "mase", "mase_naive",
                              "beats_naive"]],
                       {"coverage_80": ".1%", "coverage_95": ".1%", "mase": ".3f",
                        "mase_naive": ".3f"}) + "\n")
    print(text)
    if args.write:
        update_section("forecast", text)


if __name__ == "__main__":
    main()
