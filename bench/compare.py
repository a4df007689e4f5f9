"""``trendkit compare``: calibration on random halves, and the venues set split by field.

    python bench/compare.py --write          # ~10 min on 2 cores

- **Calibration**: the venues set (5,909 abstracts) split at random into two halves,
  ``--seeds`` times; a theme flagged over-represented at q < 0.05 is a false alarm
  (target: at most 5 % of themes).
- **Fields**: the same set, each field against the rest (``--group field=F``); the
  themes flagged for the field are listed with their share in it and outside, so a
  reader can judge whether they are the field's themes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from common import ROOT, SHARED, markdown, update_section

VENUES = SHARED / "venues_2019_2025.csv.gz"


def compare(csv: Path, group: str, out: Path, seed: int = 0) -> pd.DataFrame:
    subprocess.run([sys.executable, "-m", "trendkit", "compare", str(csv), "--group", group,
                    "--out", str(out), "--quiet", "--seed", str(seed)], check=True, cwd=ROOT)
    return pd.read_csv(out / "compare.csv", keep_default_na=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    venues = pd.read_csv(VENUES)
    halves, fields = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for seed in range(args.seeds):
            rng = np.random.default_rng(seed)
            csv = tmp / f"halves{seed}.csv"
            venues.assign(half=np.where(rng.random(len(venues)) < 0.5, "A", "B")).to_csv(
                csv, index=False)
            table = compare(csv, "half=A", tmp / f"h{seed}", seed)
            halves.append({"seed": seed, "themes": len(table),
                           "flagged": int((table["q_value"].astype(float) < 0.05).sum()),
                           "trend_flagged": int((pd.to_numeric(table["trend_q_value"],
                                                               errors="coerce") < 0.05).sum())})
            print(halves[-1], file=sys.stderr)
        csv = tmp / "venues.csv"
        venues.to_csv(csv, index=False)
        for field in sorted(venues["field"].unique()):
            table = compare(csv, f"field={field}", tmp / f"f{field}")
            mine = table[table["over_represented_in"] == field]
            fields.append({"field": field, "themes flagged for it": len(mine),
                           "of": len(table), "its themes (share in field / outside)": "; ".join(
                               f"{r.topic_label} ({float(r.share_a):.0%} / {float(r.share_b):.0%})"
                               for r in mine.head(4).itertuples())})
            print(fields[-1], file=sys.stderr)
    halves = pd.DataFrame(halves)
    rate = halves["flagged"].sum() / halves["themes"].sum()
    trend_rate = halves["trend_flagged"].sum() / halves["themes"].sum()
    text = (f"Command: `python bench/compare.py --write` (`{VENUES.name}`, 5,909 abstracts, "
            "default options).\n\n"
            f"**Calibration**, random halves over {len(halves)} seeds: {rate:.1%} of themes "
            f"flagged over-represented at q < 0.05 (target ≤ 5 %); trends flagged different: "
            f"{trend_rate:.1%}. Per seed, themes flagged (trends flagged) of all: "
            + ", ".join(f"{r.flagged} ({r.trend_flagged}) of {r.themes}"
                        for r in halves.itertuples()) + ".\n\n"
            "**Each field against the rest** (the top four themes "
            "flagged for the field, by z):\n\n" + markdown(pd.DataFrame(fields)) + "\n")
    print(text)
    if args.write:
        update_section("compare", text)


if __name__ == "__main__":
    main()
