"""MiniLM on ONNX Runtime (int8) versus sentence-transformers on torch: speed and clustering.

Usage: ``.venv/bin/python bench/onnx_speed.py [--n 400] [--no-nmi] [--cache-dir DIR]``

Speed: docs/s on ``--n`` AAAI-2022 abstracts (title + abstract, as the pipeline embeds
them), one process, every variant after one warm-up batch. Quality: cosine to the torch
vectors, and k-means NMI against the AAAI ``area`` labels on all 1,319 abstracts
(k = number of areas, 3 seeds, ``n_init=10``). The ONNX model is built into a fresh
temporary cache unless ``--cache-dir`` is given, so its one-off build time is reported too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from common import SHARED, nmi, update_section  # noqa: E402
from run import machine  # noqa: E402

AAAI = SHARED / "aaai2022_areas.csv.gz"


def torch_encoder(batch_size: int = 32):
    """sentence-transformers fp32 at its own 256 tokens; ``encode`` sorts by length itself."""
    from sentence_transformers import SentenceTransformer

    from trendkit.embed import minilm_path

    model = SentenceTransformer(minilm_path(), device="cpu")
    return lambda texts: model.encode(list(texts), batch_size=batch_size,
                                      normalize_embeddings=True, show_progress_bar=False)


def onnx_encoder(max_length: int, quantize: bool = True, batch_size: int = 32):
    from trendkit.embed.onnx import OnnxMiniLMEmbedder

    return OnnxMiniLMEmbedder(max_length=max_length, batch_size=batch_size,
                              quantize=quantize).transform


def onnx_variant(recipe: str, batch_size: int = 32):
    """The packaged export rebuilt another way, to show what the shipped recipe was chosen over.

    ``fused``: onnxruntime's transformer optimiser fuses attention, GELU and layer norms
    before int8 quantisation; ``u8``: unsigned int8 weights instead of signed.
    """
    import logging

    from onnxruntime import quantization

    from trendkit.embed.onnx import OnnxMiniLMEmbedder, build_model, cpu_session
    from trendkit.embed.sentence_transformers import minilm_path

    folder = build_model(minilm_path())
    source, target = folder / "model.onnx", Path(tempfile.mkdtemp()) / f"{recipe}.onnx"
    logging.disable(logging.WARNING)
    if recipe == "fused":
        from onnxruntime.transformers import optimizer

        fused = target.with_name("fused-fp32.onnx")
        optimizer.optimize_model(str(source), model_type="bert", num_heads=12,
                                 hidden_size=384, opt_level=1).save_model_to_file(str(fused))
        quantization.quantize_dynamic(str(fused), str(target), per_channel=True,
                                      weight_type=quantization.QuantType.QInt8,
                                      extra_options={"DefaultTensorType": 1})  # float
    else:
        quantization.quantize_dynamic(str(source), str(target), per_channel=True,
                                      weight_type=quantization.QuantType.QUInt8)
    logging.disable(logging.NOTSET)
    embedder = OnnxMiniLMEmbedder(batch_size=batch_size)
    embedder._load()  # the shipped tier's tokenizer, then this recipe's model in its place
    embedder._session = cpu_session(target)
    return embedder.transform


def int8_instructions() -> str:
    """The CPU's int8 dot-product instructions: without VNNI/AMX int8 gains little."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return "unknown"
    found = sorted(f for f in flags if "vnni" in f or f.startswith("amx") or f == "avx2")
    return ", ".join(found) or "none of avx2/VNNI/AMX"


def docs_per_second(encode, texts: list[str]) -> tuple[float, float, np.ndarray]:
    """Wall-clock docs/s, docs per CPU-second (steadier on a shared machine), vectors."""
    encode(texts[:32])  # warm-up batch: session/graph set-up is not throughput
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encode(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(texts) / wall, len(texts) / cpu, np.asarray(vectors, np.float32)


def kmeans_nmi(vectors: np.ndarray, truth: pd.Series, seeds=(0, 1, 2)) -> tuple[float, float]:
    from sklearn.cluster import KMeans

    k = truth.nunique()
    scores = [nmi(truth, KMeans(k, n_init=10, random_state=s).fit_predict(vectors))
              for s in seeds]
    return float(np.mean(scores)), float(np.std(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--no-nmi", action="store_true", help="skip the 1,319-abstract NMI run")
    parser.add_argument("--cache-dir", default=None)
    args = parser.parse_args()
    os.environ["TRENDKIT_CACHE_DIR"] = args.cache_dir or tempfile.mkdtemp(prefix="onnx-bench-")

    from trendkit.text import document_texts

    docs = pd.read_csv(AAAI)
    docs["text"] = document_texts(docs["title"].fillna(""), docs["abstract"].fillna(""))
    texts = docs.sample(min(args.n, len(docs)), random_state=0)["text"].tolist()
    print(f"{len(texts)} AAAI-2022 abstracts, {os.cpu_count()} CPU cores, "
          f"load average {os.getloadavg()[0]:.1f} at start\n")

    start = time.perf_counter()
    onnx_encoder(256)(["build"])  # export + quantise into the cache (once per machine)
    print(f"ONNX model ready (export + int8 quantisation, or a cache hit): "
          f"{time.perf_counter() - start:.1f} s\n")

    variants = {
        "torch fp32 (sentence-transformers), 256": torch_encoder(),
        "ONNX fp32, 256": onnx_encoder(256, quantize=False),
        "ONNX int8, 256": onnx_encoder(256),
        "ONNX int8, 128": onnx_encoder(128),
        "ONNX int8, 256, fused attention graph": onnx_variant("fused"),
        "ONNX int8 (unsigned weights), 256": onnx_variant("u8"),
    }
    speed, cpu, vectors = {}, {}, {}
    for name, encode in variants.items():
        speed[name], cpu[name], vectors[name] = docs_per_second(encode, texts)
    base = next(iter(variants))
    lines = [f"## ONNX int8 tier (`--embedding minilm-int8`) vs torch fp32\n\nReproduce: "
             f"`python bench/onnx_speed.py{' --no-nmi' if args.no_nmi else ''}`; "
             f"{len(texts)} AAAI-2022 abstracts, {os.cpu_count()} cores, load average "
             f"{os.getloadavg()[0]:.1f} at the end (other work on the machine distorts "
             "docs/s; docs per CPU-second is steadier). Ratios are against torch fp32 in "
             f"the same run. CPU: {machine()}; int8-relevant instructions: "
             f"{int8_instructions()} (int8 matrix products are fast with AVX-512 VNNI, "
             "AVX-VNNI or AMX; on AVX2 alone they gain much less).\n",
             "| variant | docs/s | vs torch | docs/CPU-s | vs torch | cosine to torch "
             "(mean / min) |", "|---|---:|---:|---:|---:|---:|"]
    for name in variants:
        cosine = np.sum(vectors[name] * vectors[base], axis=1)
        lines.append(f"| {name} | {speed[name]:.1f} | {speed[name] / speed[base]:.2f}x "
                     f"| {cpu[name]:.1f} | {cpu[name] / cpu[base]:.2f}x "
                     f"| {cosine.mean():.4f} / {cosine.min():.4f} |")
    print("\n".join(lines))

    if args.no_nmi:
        update_section("onnx", "\n".join(lines))
        return
    everything = docs["text"].tolist()
    print(f"\nk-means NMI vs `area` on all {len(everything)} abstracts "
          f"(k = {docs['area'].nunique()}, seeds 0-2, n_init=10)\n")
    lines += ["", f"k-means NMI vs `area` on all {len(everything)} AAAI abstracts "
              f"(k = {docs['area'].nunique()}, seeds 0-2, n_init=10):", "",
              "| variant | embed s | NMI mean ± sd |", "|---|---:|---:|"]
    for name, encode in variants.items():
        start = time.perf_counter()
        rows = np.asarray(encode(everything), np.float32)
        seconds = time.perf_counter() - start
        mean, sd = kmeans_nmi(rows, docs["area"])
        lines.append(f"| {name} | {seconds:.0f} | {mean:.3f} ± {sd:.3f} |")
        print(lines[-1], flush=True)
    update_section("onnx", "\n".join(lines))


if __name__ == "__main__":
    main()
