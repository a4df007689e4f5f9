"""Planted-trend benchmark for the trend verdicts, scored through `trendkit trends`.

    python bench/trends.py             # 20 seeds x 2 volume regimes, writes BENCHMARKS.md
    python bench/trends.py --quick     # 3 seeds, low volume only: smoke run
    python bench/trends.py --long      # 48 months: peaked, revived, late rise, late fall

Design
------
Real arXiv abstracts are grouped by primary category, one category = one theme, and
re-dated over 24 months so that each theme's *share* of every month follows a planted
shape (right answer in brackets):

- rise 6 -> 16 % and fall 16 -> 6 %, linear (emerging; declining);
- step: 4 % for 12 months, then 10 % (emerging);
- late: absent for 17 months, then 10 % (new or emerging);
- faded: 10 % for 17 months, then absent (faded);
- burst: 8 % with one month, drawn from months 6..17 (0-based), at 25 % (a burst in
  ``burst_periods`` within +-1 month of it, and not emerging/declining);
- flat: six themes at 10, 7, 5, 4, 3, 3 % (stable; new/emerging/declining/faded is a
  false alarm, and so is a burst in ``burst_periods``).

An unscored "other" theme takes what is left of each month, so the planted shares must
sum to at most 1 in every month (asserted for every possible burst month). Each seed
draws monthly totals (uniform per month, 60-140 or 250-600 documents a month: two
regimes), multinomial theme counts and the abstracts themselves. Each corpus goes
through the real CLI, ``python -m trendkit trends CORPUS.csv --topic-col theme --freq
month``, and we score ``trend_summary.csv`` (``status``, ``burst_periods``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from common import ROOT, load_arxiv, update_section

N_MONTHS = 24
MONTH_STARTS = pd.date_range("2024-01-01", periods=N_MONTHS + 1, freq="MS")
MONTHS = [d.strftime("%Y-%m") for d in MONTH_STARTS[:N_MONTHS]]  # trendkit's period labels
SWITCH, STEP_AT = 17, 12  # month index where late appears / faded vanishes; step rises
BURST_RANGE = (6, 17)  # inclusive range of burst months
# Six flat themes: with 2 regimes x 20 seeds that is 240 flat series, enough to resolve
# a 5 % false-alarm rate; levels down to 3 % test sparse themes too.
FLAT = {"flat-10": 0.10, "flat-7": 0.07, "flat-5": 0.05, "flat-4": 0.04, "flat-3a": 0.03,
        "flat-3b": 0.03}
# shape -> statuses that count as right (burst is scored separately, see score()).
EXPECT = {"rise": {"emerging"}, "fall": {"declining"}, "step": {"emerging"},
          "late": {"new", "emerging"}, "faded": {"faded"}, "burst": None, "flat": {"stable"}}
MOVERS = {"new", "emerging", "declining", "faded"}
REGIMES = {"60–140": (60, 140), "250–600": (250, 600)}
DESCRIBE = {"rise": "rise (6 → 16 %)", "fall": "fall (16 → 6 %)",
            "step": "step (4 → 10 % at month 13)", "late": "late (absent 17 months, then 10 %)",
            "faded": "faded (10 %, absent after 17 months)",
            "burst": "burst (8 %, one month at 25 %)", "flat": "flat (3–10 %)"}


def planted_shares(burst_at: int) -> pd.DataFrame:
    """Shares (not weights) per month, rows = months; "other" absorbs the remainder.

    Planting shares directly matters: if themes were given weights and normalised,
    a late theme's arrival would shrink every flat theme's share -- a real decline.
    """
    m = np.arange(N_MONTHS)
    t = m / (N_MONTHS - 1)
    shares = {"rise": 0.06 + 0.10 * t, "fall": 0.16 - 0.10 * t,
              "step": np.where(m < STEP_AT, 0.04, 0.10),
              "late": np.where(m < SWITCH, 0.0, 0.10), "faded": np.where(m < SWITCH, 0.10, 0.0),
              "burst": np.where(m == burst_at, 0.25, 0.08)}
    shares.update({name: np.full(N_MONTHS, level) for name, level in FLAT.items()})
    frame = pd.DataFrame(shares)
    frame["other"] = 1 - frame.sum(axis=1)
    return frame


# The worst month (burst at 25 % after the step) must still leave "other" >= 0.
MAX_SUM = max(1 - planted_shares(b)["other"].min() for b in range(BURST_RANGE[0],
                                                                  BURST_RANGE[1] + 1))
assert MAX_SUM <= 1 + 1e-9, f"planted shares sum to {MAX_SUM:.3f} > 1 in some month"


LONG_MONTHS = 48
LONG_STARTS = pd.date_range("2022-01-01", periods=LONG_MONTHS + 1, freq="MS")
# 48 months: the verdict must be about now (right answer in brackets), the path told.
LONG_EXPECT = {"peaked": {"peaked"}, "revived": {"revived"}, "late rise": {"emerging"},
               "late fall": {"declining"}, "flat": {"stable"}}
LONG_DESCRIBE = {"peaked": "peaked (4 → 16 % at month 29, then 6 %)",
                 "revived": "revived (14 → 4 % at month 24, then 14 %)",
                 "late rise": "late rise (5 % for 32 months, then to 13 %)",
                 "late fall": "late fall (12 % for 32 months, then to 4 %)",
                 "flat": "flat (3–10 %)"}


def long_shares() -> pd.DataFrame:
    """Planted shares of the 48-month corpus (the same curves as the calibration tests)."""
    u = np.linspace(0, 1, LONG_MONTHS)
    shares = {"peaked": np.where(u < 0.6, 0.04 + 0.12 * u / 0.6, 0.16 - 0.10 * (u - 0.6) / 0.4),
              "revived": np.where(u < 0.5, 0.14 - 0.10 * u / 0.5, 0.04 + 0.10 * (u - 0.5) / 0.5),
              "late rise": np.where(u < 0.66, 0.05, 0.05 + 0.08 * (u - 0.66) / 0.34),
              "late fall": np.where(u < 0.66, 0.12, 0.12 - 0.08 * (u - 0.66) / 0.34)}
    shares.update({name: np.full(LONG_MONTHS, level) for name, level in FLAT.items()})
    frame = pd.DataFrame(shares)
    frame["other"] = 1 - frame.sum(axis=1)
    assert frame["other"].min() >= 0
    return frame


def planted_counts(volume: tuple[int, int], rng: np.random.Generator,
                   long: bool = False) -> tuple[pd.DataFrame, int]:
    """Documents per month (rows) and theme (columns), and the burst month."""
    burst_at = int(rng.integers(BURST_RANGE[0], BURST_RANGE[1] + 1))
    shares = long_shares() if long else planted_shares(burst_at)
    # Monthly volume varies, as real listings do; the share test must see through it.
    counts = [rng.multinomial(int(rng.integers(volume[0], volume[1] + 1)), row)
              for row in shares.to_numpy()]
    return pd.DataFrame(counts, columns=shares.columns), burst_at


def make_corpus(pool: dict[str, np.ndarray], volume: tuple[int, int],
                rng: np.random.Generator, long: bool = False) -> tuple[pd.DataFrame, int]:
    table, burst_at = planted_counts(volume, rng, long)
    starts = LONG_STARTS if long else MONTH_STARTS
    names = table.columns.to_numpy()
    theme, month = [], []
    for m, counts in enumerate(table.to_numpy()):
        theme.append(np.repeat(names, counts))
        month.append(np.full(counts.sum(), m))
    theme, month = np.concatenate(theme), np.concatenate(month)
    text = np.empty(len(theme), dtype=object)
    for name in names:
        rows = theme == name
        text[rows] = pool[name][rng.integers(0, len(pool[name]), rows.sum())]
    days = np.asarray(starts.days_in_month)[month]
    date = starts[month] + pd.to_timedelta(np.floor(rng.random(len(theme)) * days), "D")
    # Pin the first and last day so trendkit never flags an end month as partial
    # (it would drop it from the tests and shorten the planted series).
    date = date.to_numpy().copy()
    date[0], date[-1] = starts[0], starts[-1] - pd.Timedelta(days=1)
    # No title column: abstracts are drawn with replacement, and the loader would
    # (rightly) drop repeated titles as duplicates; ids keep every row distinct.
    corpus = pd.DataFrame({"id": [f"d{i}" for i in range(len(theme))], "abstract": text,
                           "theme": theme, "date": pd.DatetimeIndex(date).strftime("%Y-%m-%d")})
    return corpus, burst_at


def burst_months(spans: str) -> set[int]:
    """Month indices covered by a burst_periods cell ("2024-03..2024-04;2024-09")."""
    found: set[int] = set()
    for span in filter(None, spans.split(";")):
        a, _, b = span.partition("..")
        found.update(range(MONTHS.index(a), MONTHS.index(b or a) + 1))
    return found


def score(summary: pd.DataFrame, burst_at: int) -> list[dict]:
    """One record per scored theme: its status, whether it is right, and why not."""
    records = []
    for theme, status, spans in summary[["topic_label", "status", "burst_periods"]].itertuples(
            index=False):
        if theme == "other":
            continue
        shape, found = "flat" if theme in FLAT else theme, burst_months(str(spans))
        if shape == "burst":
            hit = any(abs(m - burst_at) <= 1 for m in found)
            ok = hit and status not in ("emerging", "declining")
            label = status if hit or status in ("emerging", "declining") else \
                f"{status}, no burst within ±1 month"
        elif shape == "flat":
            ok, label = status not in MOVERS, status  # insufficient-data is no false alarm
        else:
            ok, label = status in EXPECT[shape], status
        records.append({"theme": theme, "shape": shape, "status": status, "ok": ok,
                        "label": label, "bursting": bool(found)})
    return records


def run_trends(corpus: pd.DataFrame, tmp: Path, name: str) -> pd.DataFrame:
    path, out = tmp / f"{name}.csv", tmp / name
    corpus.to_csv(path, index=False)
    done = subprocess.run([sys.executable, "-m", "trendkit", "trends", str(path), "--topic-col",
                           "theme", "--freq", "month", "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"trendkit trends failed on {name}:\n{done.stderr[-3000:]}")
    return pd.read_csv(out / "trend_summary.csv", keep_default_na=False)


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f} % ({k}/{n})" if n else "–"


def render(results: pd.DataFrame, seeds: int, regimes: list[str], seconds: float,
           command: str) -> str:
    rows, wrong = [], []
    for shape in EXPECT:
        flat = shape == "flat"
        for regime in [*regimes, "all"] if flat and len(regimes) > 1 else regimes:
            part = results[results["shape"] == shape]
            if regime != "all":
                part = part[part["regime"] == regime]
            n, k = len(part), int((~part["ok"] if flat else part["ok"]).sum())
            met = k <= 0.05 * n if flat else k >= 0.95 * n
            measure = ("false alarms (new/emerging/declining/faded)" if flat else
                       "burst found ±1 month, not emerging/declining" if shape == "burst" else
                       f"recall ({' or '.join(sorted(EXPECT[shape]))})")
            rows.append(f"| {DESCRIBE[shape]} | {regime} | {n} | {measure} | {pct(k, n)} "
                        f"| {'≤ 5 %' if flat else '≥ 95 %'} | {'yes' if met else '**no**'} |")
            # Every non-stable flat series is listed (insufficient-data too), though only
            # movers count as false alarms.
            bad = part[part["status"] != "stable"] if flat else part[~part["ok"]]
            if regime != "all" and len(bad):
                wrong.append(f"- {shape}, {regime}/month: " + ", ".join(
                    f"{s} {c}" for s, c in Counter(bad["label"]).most_common()))
    flat = results[results["shape"] == "flat"]
    for regime in [*regimes, "all"] if len(regimes) > 1 else regimes:
        part = flat if regime == "all" else flat[flat["regime"] == regime]
        n, k = len(part), int(part["bursting"].sum())
        rows.append(f"| {DESCRIBE['flat']} | {regime} | {n} | a burst flagged (tested at 5 % "
                    f"a theme) | {pct(k, n)} | ≤ 5 % | {'yes' if k <= 0.05 * n else '**no**'} |")
    levels = ", ".join(f"{100 * v:g}" for v in FLAT.values())
    return f"""## Planted trends through `trendkit trends`

Date: {pd.Timestamp.now():%Y-%m-%d}. Reproduce: `{command}` ({seconds:.0f} s on 2 shared
cores; `--quick` is a 3-seed smoke run).

Real arXiv abstracts (`../shared/data/arxiv_daily_2025_2026.jsonl.gz`), one primary category
per theme, re-dated over {N_MONTHS} months so that each theme's monthly *share* follows a
planted shape; an unscored "other" theme takes the remainder (planted shares sum to at most
{100 * MAX_SUM:.0f} % in any month). Each corpus has one rise, fall, step, late, faded and
burst theme (burst in month {BURST_RANGE[0] + 1}–{BURST_RANGE[1] + 1}, 1-based) and
{len(FLAT)} flat themes at {levels} %. Monthly totals are drawn uniformly per month
({" or ".join(regimes)} documents a month), {seeds} seeds per regime; each corpus goes through
`python -m trendkit trends CORPUS.csv --topic-col theme --freq month` and `trend_summary.csv`
is scored. Flat series in total: {len(flat)}.

| shape | docs/month | series | measure | result | target | met |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Misclassified (flat lists every non-stable status):
{chr(10).join(wrong) if wrong else "none"}
"""

def score_long(summary: pd.DataFrame) -> list[dict]:
    """One record per scored theme of a 48-month corpus."""
    records = []
    for theme, status in summary[["topic_label", "status"]].itertuples(index=False):
        if theme == "other":
            continue
        shape = "flat" if theme in FLAT else theme
        ok = status not in MOVERS if shape == "flat" else status in LONG_EXPECT[shape]
        records.append({"theme": theme, "shape": shape, "status": status, "ok": ok,
                        "label": status, "bursting": False})
    return records


def render_long(results: pd.DataFrame, seeds: int, seconds: float) -> str:
    rows = []
    for shape, right in LONG_EXPECT.items():
        part = results[results["shape"] == shape]
        flat = shape == "flat"
        n, k = len(part), int((~part["ok"] if flat else part["ok"]).sum())
        met = k <= 0.05 * n if flat else k >= 0.9 * n
        found = ", ".join(f"{s} {c}" for s, c in Counter(part["status"]).most_common())
        measure = "false alarms" if flat else f"right about now ({' or '.join(sorted(right))})"
        rows.append(f"| {LONG_DESCRIBE[shape]} | {n} | {measure} | {pct(k, n)} | "
                    f"{'≤ 5 %' if flat else '≥ 90 %'} | {'yes' if met else '**no**'} | {found} |")
    return f"""## Planted long-horizon shapes: verdicts about now (`bench/trends.py --long`)

Date: {pd.Timestamp.now():%Y-%m-%d}. Reproduce: `python bench/trends.py --long`
({seconds:.0f} s on 2 shared cores). As above (real arXiv abstracts re-dated, one category per
theme, 60–140 documents a month through `trendkit trends --freq month`), over
{LONG_MONTHS} months, {seeds} seeds: a theme that peaked, one that revived, a late rise and a
late fall, and the six flat themes.

| shape | series | measure | result | target | met | statuses |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""


def run_long(pool_docs: pd.DataFrame, seeds: int) -> None:
    themes = [*long_shares().columns]
    top = pool_docs["primary_category"].value_counts().index[: len(themes)]
    pool = {t: pool_docs.loc[pool_docs["primary_category"] == c, "text"].to_numpy()
            for t, c in zip(themes, top)}
    records, start = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(seeds):
            corpus, _ = make_corpus(pool, REGIMES["60–140"], np.random.default_rng([7, seed]),
                                    long=True)
            summary = run_trends(corpus, Path(tmp), f"long{seed}")
            records += score_long(summary)
            print(f"long seed {seed}: {len(corpus)} docs", flush=True)
    text = render_long(pd.DataFrame(records), seeds, time.perf_counter() - start)
    update_section("trends-long", text)
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3 seeds, low-volume regime only")
    parser.add_argument("--long", action="store_true",
                        help="48 months: peaked, revived, late rise, late fall (30 seeds)")
    args = parser.parse_args()
    if args.long:
        run_long(load_arxiv(), args.seeds if args.seeds != 20 else 30)
        return
    seeds = 3 if args.quick else args.seeds
    regimes = ["60–140"] if args.quick else list(REGIMES)
    command = "python bench/trends.py" + (" --quick" if args.quick else
                                          f" --seeds {seeds}" if seeds != 20 else "")
    docs = load_arxiv()
    themes = [*planted_shares(BURST_RANGE[0]).columns]
    # The largest categories, so abstracts repeat as little as possible.
    top = docs["primary_category"].value_counts().index[: len(themes)]
    pool = {t: docs.loc[docs["primary_category"] == c, "text"].to_numpy()
            for t, c in zip(themes, top)}
    records, start = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for r, regime in enumerate(regimes):
            for seed in range(seeds):
                # Seed by (regime, seed) so the two regimes draw independent corpora.
                corpus, burst_at = make_corpus(pool, REGIMES[regime],
                                               np.random.default_rng([r, seed]))
                name = f"r{r}s{seed}"
                summary = run_trends(corpus, Path(tmp), name)
                # Every planted theme must come back, or it would silently go unscored.
                assert set(corpus["theme"]) == set(summary["topic_label"]), name
                scored = [dict(x, regime=regime, seed=seed) for x in score(summary, burst_at)]
                records += scored
                misses = [f"{x['theme']}={x['label']}" for x in scored if not x["ok"]]
                print(f"{regime} seed {seed}: {len(corpus)} docs, burst month {burst_at + 1}, "
                      f"misses: {', '.join(misses) or 'none'}", flush=True)
    seconds = time.perf_counter() - start
    text = render(pd.DataFrame(records), seeds, regimes, seconds, command)
    if not args.quick:  # smoke runs must not overwrite the recorded section
        update_section("trends", text)
    print(text)


if __name__ == "__main__":
    main()
