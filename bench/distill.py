"""Build the MiniLM-distilled term table that ships as ``trendkit/embed/distilled-minilm.npz``.

    python bench/distill.py                      # build, check on held-out abstracts, write
    python bench/distill.py --docs 4000 --no-write   # a quick look, nothing shipped
    python bench/distill.py --docs 54722 --out bench/results/distilled-53k.npz   # a candidate

What it does (``trendkit.embed.distilled`` explains the use):

1. Reads ``../shared/data/arxiv_daily_2025_2026.jsonl.gz`` and sets aside every abstract in
   the benchmarks' arXiv samples (``bench/quality.py``'s 3,000 and 20,000, seed 0), so no
   benchmarked document trains the table.
2. Draws ``--docs`` of the rest (seed 1), the last ``--heldout`` of them held out, and
   embeds them with the int8 MiniLM (``--embedding minilm-int8``, through trendkit's
   cache: reruns are quick).
3. Counts words and bigrams with trendkit's tokeniser (document frequency ≥ ``--min-df``,
   ≤ 50 %), weights them as trendkit's TF-IDF does, and solves the ridge regression from
   TF-IDF rows to MiniLM vectors in its dual form (conjugate gradients); the term vectors
   are ``Xᵀ A``.
4. Keeps the top ``--dims`` principal components of the MiniLM vectors, those past the first
   ``--full-dims`` scaled by ``--tail-weight``, and stores each term vector as int8 with one
   float scale. The soft tail is a compromise measured on four corpora: 64 components alone
   merge neighbouring themes of a small, narrow corpus (the 57-paper page), 128 at full
   weight cost NMI on the venues set.
5. Reports, on the held-out abstracts, the mean cosine between a document's table vector and
   its MiniLM vector (in the kept components), and how many held-out pairs keep their order
   of similarity.

Labels play no part: the settings were chosen by held-out fidelity, and theme quality is
judged by ``bench/quality.py`` on other labelled sets.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
from common import ROOT, load_arxiv, sample, update_section

OUT = ROOT / "src" / "trendkit" / "embed" / "distilled-minilm.npz"


def training_texts(n_docs: int, n_heldout: int) -> tuple[list[str], list[str]]:
    from trendkit.text import document_texts

    docs = load_arxiv()
    benchmarked = set(sample(docs, 20000, seed=0)["doc_id"]) | set(
        sample(docs, 3000, seed=0)["doc_id"])
    rest = docs[~docs["doc_id"].isin(benchmarked)]
    drawn = rest.sample(n_docs, random_state=1)
    texts = document_texts(drawn["title"].fillna(""), drawn["text"])
    return texts[:n_docs - n_heldout], texts[n_docs - n_heldout:]


def fit(texts: list[str], targets: np.ndarray, min_df: int, alpha: float):
    """Vocabulary, idf and term vectors (terms x 384) of the dual ridge regression."""
    from trendkit.embed.lsa import fit_tfidf

    vocabulary, idf, rows = fit_tfidf(texts, min_df=min_df)  # LSA's words, bigrams and weights
    rows = rows.astype(np.float64)
    offset = targets.mean(axis=0)
    dual = ridge_dual_cg(rows, targets - offset, alpha)
    return vocabulary, idf, np.asarray(rows.T @ dual), offset


def ridge_dual_cg(rows, targets: np.ndarray, alpha: float, tol: float = 1e-6,
                  max_iter: int = 1000) -> np.ndarray:
    """Solve ``(R Rᵀ + αI) A = Y`` for every column of ``Y`` by conjugate gradients.

    Each step is ``R (Rᵀ P)`` on the sparse rows, so the n x n Gram matrix is never formed
    (at 50,000 abstracts it would take 20 GB). The system is well conditioned (rows are
    unit length, α = 0.3): on 5,000 abstracts it converged in 41 steps, term vectors within
    4e-7 (relative) of a direct solve.
    """
    columns = rows.T.tocsr()
    solution = np.zeros_like(targets)
    residual = targets.copy()
    direction = residual.copy()
    squared = (residual * residual).sum(axis=0)
    stop = tol ** 2 * squared
    for _ in range(max_iter):
        if (squared <= stop).all():
            break
        image = rows @ (columns @ direction) + alpha * direction
        step = squared / np.maximum((direction * image).sum(axis=0), 1e-300)
        solution += direction * step
        residual -= image * step
        previous, squared = squared, (residual * residual).sum(axis=0)
        direction = residual + direction * (squared / np.maximum(previous, 1e-300))
    return solution


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(vectors).max(axis=1) / 127
    scale[scale == 0] = 1
    return np.round(vectors / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def fidelity(table_rows: np.ndarray, teacher_rows: np.ndarray, rng) -> dict:
    from sklearn.preprocessing import normalize

    a, b = normalize(table_rows), normalize(teacher_rows)
    cos = (a * b).sum(axis=1)
    i, j, k = (rng.integers(0, len(a), 20000) for _ in range(3))
    # Does "i is closer to j than to k" under MiniLM still hold under the table?
    agree = np.mean(np.sign((a[i] * a[j]).sum(1) - (a[i] * a[k]).sum(1))
                    == np.sign((b[i] * b[j]).sum(1) - (b[i] * b[k]).sum(1)))
    return {"cosine": float(cos.mean()), "cosine_p10": float(np.percentile(cos, 10)),
            "triplets": float(agree)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=24000, help="abstracts drawn")
    parser.add_argument("--heldout", type=int, default=1500, help="of them, kept for the check")
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--alpha", type=float, default=0.3)
    parser.add_argument("--dims", type=int, default=128, help="principal components kept")
    parser.add_argument("--full-dims", type=int, default=64, help="of them, at full weight")
    parser.add_argument("--tail-weight", type=float, default=0.5, help="weight of the rest")
    parser.add_argument("--embedding", default="minilm-int8")
    parser.add_argument("--no-write", action="store_true",
                        help="write bench/results/distilled-check.npz, not the shipped table")
    parser.add_argument("--out", help="write the table here (implies --no-write), e.g. to "
                                      "measure it with bench/quality.py --backends distilled:PATH")
    args = parser.parse_args()

    from trendkit.embed import embed_texts
    from trendkit.embed.distilled import DistilledEmbedder, load_table

    started = time.time()
    train, heldout = training_texts(args.docs, args.heldout)
    teacher = embed_texts(train + heldout, args.embedding).astype(np.float64)
    embed_s = time.time() - started
    vocabulary, idf, vectors, offset = fit(train, teacher[:len(train)], args.min_df, args.alpha)
    centred = teacher[:len(train)] - teacher[:len(train)].mean(axis=0)
    basis = np.linalg.svd(centred, full_matrices=False)[2][:args.dims].T  # 384 x dims
    explained = float((np.linalg.norm(centred @ basis) / np.linalg.norm(centred)) ** 2)
    weights = np.where(np.arange(args.dims) < args.full_dims, 1.0, args.tail_weight)
    basis = basis * weights  # the soft tail: cosines lean on the leading components
    values, scale = quantise(vectors @ basis)
    digest = hashlib.blake2b(values.tobytes() + vocabulary.tobytes(), digest_size=4).hexdigest()
    version = f"{len(train)}x{args.dims}-{digest}"
    shipping = not (args.no_write or args.out)  # only the shipped table updates BENCHMARKS.md
    if args.out:
        path = Path(args.out)
    else:
        path = OUT if shipping else ROOT / "bench" / "results" / "distilled-check.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, terms=vocabulary, idf=idf, vectors=values, scale=scale,
                        offset=(offset @ basis).astype(np.float32), version=np.array(version))
    load_table.cache_clear()
    rows = DistilledEmbedder(path).transform(heldout)
    check = fidelity(rows, teacher[len(train):] @ basis, np.random.default_rng(0))  # same weights
    print(f"{len(vocabulary):,} terms x {args.dims} dims ({explained:.0%} of MiniLM's variance), "
          f"{path.stat().st_size / 1e6:.1f} MB; held-out cosine {check['cosine']:.3f} "
          f"(10th percentile {check['cosine_p10']:.3f}), triplet order kept "
          f"{check['triplets']:.1%}; {time.time() - started:.0f} s ({embed_s:.0f} s embedding)")
    if not shipping:
        return
    command = "python bench/distill.py " + " ".join(sys.argv[1:])
    update_section("distill", "\n".join([
        "## The distilled term table (`--embedding distilled`)", "",
        f"Date: {datetime.date.today()}. Reproduce with `{command.strip()}`.", "",
        f"Trained on {len(train):,} arXiv abstracts (none of them in a benchmark sample), "
        f"embedded by `{args.embedding}`; words and bigrams in at least {args.min_df} of them: "
        f"{len(vocabulary):,} terms; ridge alpha {args.alpha:g}; the top {args.dims} principal "
        f"components of MiniLM's space ({explained:.0%} of its variance), those past the first "
        f"{args.full_dims} weighted {args.tail_weight:g}; int8 with a scale per term: "
        f"{path.stat().st_size / 1e6:.1f} MB. Version `{version}`.", "",
        f"On {len(heldout):,} held-out abstracts: mean cosine to the MiniLM vector "
        f"{check['cosine']:.3f} (10th percentile {check['cosine_p10']:.3f}); of 20,000 random "
        f"triplets (is a closer to b than to c?), {check['triplets']:.1%} keep MiniLM's answer.",
    ]))


if __name__ == "__main__":
    main()
