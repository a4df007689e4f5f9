"""Write N records in the arXiv OAI snapshot's JSON Lines format, for SPEED benchmarks only.

    python bench/make_snapshot.py --n 3000000 --out /tmp/snap/arxiv-snapshot-3M.jsonl
    python bench/make_snapshot.py --n 20000 --out /tmp/s.jsonl --seed 1 --gzip --parts 3

Titles, abstracts, authors and comments are real, drawn with replacement from the shared
corpora (arXiv listings 2025-26, AAAI 2022, venues 2019-25). Ids, v1 dates (2007-01 .. 2026-06,
volume growing ~5x like arXiv's), versions, licences, DOIs and the categories of non-arXiv texts
come from a seeded RNG, so texts do not match their dates: useless for quality. A text drawn
again gets a series number on its title ("... II", "... III") so that trendkit's de-duplication
by normalised title keeps all N records. ``--parts K`` writes ``<stem>-00000.jsonl`` .. K files.
Prints one JSON line: {"n", "bytes" (uncompressed), "file_bytes", "seconds", "paths"}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from common import SHARED

FIRST_DAY, END_DAY = dt.date(2007, 1, 1), dt.date(2026, 7, 1)  # v1 dates in [first, end)
GROWTH = np.log(5) / 18  # per year: arXiv's monthly volume grew ~5x from 2007 to 2025
BLOCK = 20_000  # records per write (~40 MB): few large writes, bounded memory
# Primary-category shares, roughly the snapshot's, for the texts whose source has no categories.
CATEGORIES = dict(pair.split(":") for pair in """cs.LG:8 cs.CV:6 cs.CL:5 cs.AI:3 cs.RO:1.5
    cs.CR:1.2 cs.IT:1.2 cs.DS:.8 cs.SE:.6 math.AP:1.5 math.CO:1.5 math.PR:1.3 math.AG:1.2 math.NT:1
    math.OC:1.3 math.DG:1 math.NA:1 math-ph:1.2 hep-th:3 hep-ph:3.5 hep-ex:1 hep-lat:.5 gr-qc:2
    quant-ph:5 nucl-th:1 cond-mat.mes-hall:2.5 cond-mat.mtrl-sci:2.5 cond-mat.str-el:2
    cond-mat.soft:1.2 cond-mat.stat-mech:1.8 cond-mat.supr-con:.8 astro-ph.GA:2.5 astro-ph.CO:2.3
    astro-ph.SR:2 astro-ph.HE:1.8 astro-ph.EP:1 physics.optics:1.8 physics.flu-dyn:1
    physics.soc-ph:.7 q-bio.NC:.8 q-bio.PE:.5 stat.ML:2 stat.ME:1.5 eess.SP:1.2 eess.IV:.8
    econ.EM:.4 q-fin.ST:.3""".split())
LICENSES = ["http://arxiv.org/licenses/nonexclusive-distrib/1.0/"] + [
    f"http://creativecommons.org/{x}/" for x in ("licenses/by/4.0", "licenses/by-nc-sa/4.0",
                                                  "licenses/by-sa/4.0", "licenses/by-nc-nd/4.0",
                                                  "publicdomain/zero/1.0")]
JOURNALS = [("Phys. Rev. D", "10.1103/PhysRevD"), ("Phys. Rev. B", "10.1103/PhysRevB"),
            ("JHEP", "10.1007/JHEP"), ("Astrophys. J.", "10.3847/1538-4357"),
            ("Mon. Not. R. Astron. Soc.", "10.1093/mnras"), ("J. Math. Phys.", "10.1063/1"),
            ("IEEE Trans. Inf. Theory", "10.1109/TIT"), ("Nature Commun.", "10.1038/s41467")]
# Lines of <= 79 characters (a longer word stays whole), as the snapshot wraps its texts.
_LINE = re.compile(r"\S.{0,78}(?=\s|$)|\S+")
# JSON as the snapshot writes it: compact, UTF-8 rather than \u escapes. One encoder object:
# json.dumps with options builds a new one per call (a third of the set-up time).
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def roman(k: int) -> str:
    """Roman numeral for 1 <= k < 4000 (series numbers that survive title normalisation)."""
    out = ""
    for value, digits in zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
                              "M CM D CD C XC L XL X IX V IV I".split()):
        out += digits * (k // value)
        k %= value
    return out


def load_pool(rng: np.random.Generator) -> tuple[list[str], list[str], list, list]:
    """Pre-serialise each source text's JSON fragments once; lines are then concatenations.

    Returns
    -------
    head, mid, tail, cats : list
        Per text: ``,"submitter":..,"title":"<title`` (open for a series suffix),
        ``","comments":..,``, (``"abstract":..``, ``"authors_parsed":..}\\n``), and its JSON
        categories (arXiv texts; None for the others, whose categories are drawn per record).
    """
    with gzip.open(SHARED / "arxiv_daily_2025_2026.jsonl.gz", "rt") as fh:
        arxiv = [json.loads(line) for line in fh]  # 2x faster than pandas.read_json
    others = pd.concat([pd.read_csv(SHARED / name, usecols=["title", "abstract"]) for name in
                        ("aaai2022_areas.csv.gz", "venues_2019_2025.csv.gz")], ignore_index=True)
    # Non-arXiv texts borrow the authors and comments of a random arXiv record.
    lent = [arxiv[i] for i in rng.integers(0, len(arxiv), len(others))]
    rows = arxiv + [{**r, "title": t, "abstract": a, "categories": None}
                    for r, t, a in zip(lent, others["title"], others["abstract"])]
    # The real file has comments on most records: fill some gaps with the commonest kind.
    pages, figures = rng.integers(4, 40, len(rows)), rng.integers(1, 16, len(rows))
    fill, pick = rng.random(len(rows)) < 0.4, rng.random(len(rows))
    head, mid, tail, cats, seen = [], [], [], [], set()
    for i, r in enumerate(rows):
        title = " ".join(str(r["title"]).split())
        key = " ".join(re.split(r"[^a-z0-9]+", title.lower())).strip()
        if key in seen or not isinstance(r["abstract"], str):  # loader drops same titles
            continue
        seen.add(key)
        names = [" ".join(str(a).split()) for a in r["authors"]] or ["Anonymous"]
        comment = r["comment"] if isinstance(r["comment"], str) else (
            f"{pages[i]} pages, {figures[i]} figures" if fill[i] else None)
        title = "\n  ".join(_LINE.findall(title))
        abstract = "  " + "\n".join(_LINE.findall(" ".join(r["abstract"].split()))) + "\n"
        parsed = [[*reversed(n.rsplit(" ", 1)), ""] if " " in n else [n, "", ""] for n in names]
        head.append(f',"submitter":{dumps(names[int(pick[i] * len(names))])},'
                    f'"authors":{dumps(", ".join(names))},"title":{dumps(title)[:-1]}')
        mid.append(f'","comments":{dumps(comment)},')
        tail.append((f'"abstract":{dumps(abstract)}', f'"authors_parsed":{dumps(parsed)}}}\n'))
        cats.append(r["categories"] and dumps(" ".join(r["categories"])))
    return head, mid, tail, cats


def month_counts(n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[dt.date]]:
    """Records per month, growing exponentially, within each month's id capacity."""
    months = [dt.date(y, m, 1) for y in range(FIRST_DAY.year, END_DAY.year + 1)
              for m in range(1, 13) if dt.date(y, m, 1) < END_DAY]
    weight = np.exp(GROWTH * np.arange(len(months)) / 12)
    cap = np.array([9999 if m.year < 2015 else 99999 for m in months])  # 4- or 5-digit ids
    if n > cap.sum():
        raise SystemExit(f"--n {n} exceeds the id space ({cap.sum()})")
    counts = rng.multinomial(n, weight / weight.sum())
    while (over := counts - cap).max() > 0:  # move a full month's excess to months with room
        counts = np.minimum(counts, cap)
        room = weight * (counts < cap)
        counts += rng.multinomial(over.clip(0).sum(), room / room.sum())
    return counts, months


def lines(recs: dict, lo: int, hi: int, tables: dict) -> str:
    """Assemble records [lo, hi) by string concatenation of the pre-serialised fragments."""
    t = tables
    r = {k: v[lo:hi].tolist() for k, v in recs.items()}
    v2 = ["" if d < 0 else f',{{"version":"v2","created":"{t["day"][d]}{t["time"][s]} GMT"}}'
          for d, s in zip(r["d2"], r["t2"])]
    return "".join(
        f'{{"id":"{t["idfmt"][m] % num}"{t["head"][p]}{t["suffix"][k]}{t["mid"][p]}{t["jd"][j]}'
        f'"report-no":null,"categories":{t["cats"][c]},"license":{t["lic"][lc]},'
        f'{t["tail"][p][0]},"versions":[{{"version":"v1","created":"{t["day"][d]}{t["time"][s]}'
        f' GMT"}}{w}],"update_date":"{t["iso"][u]}",{t["tail"][p][1]}'
        for m, num, p, k, j, c, lc, d, s, w, u in zip(
            r["month"], r["num"], r["src"], r["rep"], r["jd"], r["cat"], r["lic"], r["d1"],
            r["t1"], v2, r["upd"]))


def draw(n: int, cats: list, rng: np.random.Generator) -> tuple[dict, dict]:
    """Per-record draws (numpy arrays of table indices) and the tables of string fragments."""
    # Dates: months by volume, seconds uniform within the month, sorted so ids follow time.
    counts, months = month_counts(n, rng)
    month = np.repeat(np.arange(len(months)), counts)
    bounds = np.array([(m - FIRST_DAY).days for m in [*months, END_DAY]]) * 86400
    sec = np.sort(bounds[month] + rng.random(n) * (bounds[month + 1] - bounds[month])).astype(int)
    last_day, d1, year = (END_DAY - FIRST_DAY).days - 1, sec // 86400, FIRST_DAY.year + month // 12
    d2 = d1 + 1 + rng.exponential(90, n).astype(int)  # ~1/3 of papers get a v2 later on
    d2 = np.where((rng.random(n) < 0.35) & (d2 <= last_day), d2, -1)
    gap = np.where(rng.random(n) < 0.5, 0, rng.exponential(300, n).astype(int))
    # Texts drawn with replacement; `rep` numbers each text's repeats (0 for its first use).
    src = rng.integers(0, len(cats), n)
    order = np.argsort(src, kind="stable")
    first = np.r_[0, np.flatnonzero(np.diff(src[order])) + 1]
    rep = np.empty(n, dtype=int)
    rep[order] = np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))
    # Categories: the arXiv text's own; otherwise 1-3 drawn from CATEGORIES' shares.
    share = np.array(list(CATEGORIES.values()), dtype=float)
    combos = [dumps(" ".join(dict.fromkeys(rng.choice(list(CATEGORIES), 1 + (u > .55) + (u > .85),
                                                      p=share / share.sum()))))
              for u in rng.random(4096)]
    own = np.array([c is not None for c in cats])
    jds = [f'"journal-ref":"{jn} {v}, {pg} ({y})","doi":"{doi}.{v}.{pg}",'
           for jn, doi in JOURNALS for v, pg, y in zip(rng.integers(1, 120, 128),
                                                       rng.integers(1000, 99999, 128),
                                                       rng.integers(2007, 2027, 128))]
    recs = {"month": month, "num": np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts) + 1,
            "src": src, "rep": rep, "d1": d1, "t1": sec % 86400, "d2": d2,
            "t2": rng.integers(0, 86400, n), "upd": np.minimum(np.maximum(d1, d2) + gap, last_day),
            "cat": np.where(own[src], src, len(cats) + rng.integers(0, len(combos), n)),
            "lic": np.where(rng.random(n) < np.where(year < 2016, 0.85, 0.1), 0,  # old: null
                            1 + rng.choice(len(LICENSES), n, p=[.6, .25, .06, .03, .03, .03])),
            "jd": np.where(rng.random(n) < np.where(year < 2016, 0.3, 0.1),
                           1 + rng.integers(0, len(jds), n), 0)}
    days = [FIRST_DAY + dt.timedelta(i) for i in range(last_day + 1)]
    tables = {
        "cats": cats + combos, "jd": ['"journal-ref":null,"doi":null,', *jds],
        "lic": ["null", *map(dumps, LICENSES)],
        "suffix": [""] + [" " + roman(k + 1) if k < 3998 else f" Part {k + 1}"
                          for k in range(1, int(rep.max()) + 1)],
        "idfmt": [m.strftime("%y%m.") + ("%04d" if m.year < 2015 else "%05d") for m in months],
        "day": [f"{d:%a}, {d.day} {d:%b %Y} " for d in days], "iso": [f"{d}" for d in days],
        "time": [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60)
                 for s in range(60)]}
    return recs, tables


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="records in all")
    ap.add_argument("--out", type=Path, required=True, help="file name; its stem names the parts")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gzip", action="store_true", help="write .jsonl.gz (compression level 1)")
    ap.add_argument("--parts", type=int, default=1, help="split into K files <stem>-00000...")
    args = ap.parse_args()
    start, rng, n = time.perf_counter(), np.random.default_rng(args.seed), args.n
    head, mid, tail, cats = load_pool(rng)
    recs, tables = draw(n, cats, rng)
    tables.update(head=head, mid=mid, tail=tail)

    stem = re.sub(r"(\.jsonl?)?(\.gz)?$", "", args.out.name)
    suffix = ".jsonl.gz" if args.gzip or args.out.name.endswith(".gz") else ".jsonl"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    paths, total, cuts = [], 0, np.linspace(0, n, args.parts + 1).astype(int)
    # One writer thread: file writes and zlib release the GIL, overlapping the assembly.
    with ThreadPoolExecutor(1) as writer:
        for part, (a, b) in enumerate(zip(cuts[:-1], cuts[1:])):
            path = args.out.parent / (stem + (f"-{part:05d}" if args.parts > 1 else "") + suffix)
            # compresslevel 1: gzip's default 6 would dominate a 5 GB run's time
            with (gzip.open(path, "wb", compresslevel=1) if suffix.endswith(".gz")
                  else open(path, "wb")) as fh:
                pending = writer.submit(int)  # a done future: nothing to wait for yet
                for lo in range(a, b, BLOCK):
                    data = lines(recs, lo, min(lo + BLOCK, b), tables).encode()
                    total += len(data)
                    pending.result()
                    pending = writer.submit(fh.write, data)
                pending.result()
            paths.append(str(path))
    print(json.dumps({"n": n, "bytes": total, "file_bytes": sum(map(os.path.getsize, paths)),
                      "seconds": round(time.perf_counter() - start, 1), "paths": paths}))


if __name__ == "__main__":
    main()
