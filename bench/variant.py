"""One benchmark variant in its own process; prints one JSON line.

Variants:
  bertopic  BERTopic's default pipeline: all-MiniLM-L6-v2 embeddings + UMAP + HDBSCAN
            (+ c-TF-IDF with trendkit's stop-word vectorizer so labels are comparable);
            HDBSCAN outliers count as one cluster. Also scores trendkit's --quality mode
            (MiniLM embeddings + trendkit clustering) on the same embeddings.
  trendkit  trendkit's default (`trendkit.analyze`, `--embedding auto`), cache off, end to end.
  cached    trendkit's default twice with the cache on; reports the second (warm) run.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from common import Stopwatch, load_arxiv, nmi, peak_rss_mb, sample  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["bertopic", "trendkit", "cached", "cli"])
    parser.add_argument("--out", default=None)
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--balanced", type=int, default=0)
    parser.add_argument("--cache-dir", default=None)
    args = parser.parse_args()

    if args.variant == "cli":  # `trendkit run` on the whole file, as a user runs it
        import resource
        import subprocess
        import sys

        from common import ARXIV, ROOT

        env = {**os.environ, "TRENDKIT_CACHE_DIR": args.cache_dir}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "trendkit", "run", str(ARXIV), "--out", args.out,
                        "--force", "--quiet"], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"variant": "cli", "seconds": round(seconds, 1),
                          "peak_rss_mb": round(rss)}))
        return
    docs = sample(load_arxiv(), args.n, args.seed, args.balanced)
    truth = docs["primary_category"].to_numpy()
    from trendkit.text import document_texts

    texts = document_texts(docs["title"], docs["text"])  # exactly what trendkit embeds
    watch = Stopwatch()
    out = {"variant": args.variant, "n_docs": len(docs)}

    if args.variant == "bertopic":
        from bertopic import BERTopic
        from sentence_transformers import SentenceTransformer
        from sklearn.feature_extraction.text import CountVectorizer

        import trendkit
        from trendkit.embed import minilm_path
        from trendkit.text import STOP_WORDS

        with watch("embed"):
            model = SentenceTransformer(minilm_path(), device="cpu")
            embeddings = model.encode(texts, batch_size=64, show_progress_bar=False)
        with watch("umap_hdbscan_ctfidf"):
            topic_model = BERTopic(embedding_model=model,
                                   vectorizer_model=CountVectorizer(stop_words=sorted(STOP_WORDS)))
            labels, _ = topic_model.fit_transform(texts, embeddings)
        out["bertopic"] = {
            "seconds": round(watch.times["embed"] + watch.times["umap_hdbscan_ctfidf"], 2),
            "stages": dict(watch.times), "nmi": nmi(truth, labels),
            "n_topics": int(len(set(labels) - {-1})),
            "outlier_share": float((labels == -1).mean() if hasattr(labels, "mean")
                                   else sum(lab == -1 for lab in labels) / len(labels))}
        with watch("quality_cluster_label"):
            quality = trendkit.TopicModel(embedding="minilm", cache=False).fit(
                docs["text"], titles=docs["title"], embeddings=embeddings)
        out["quality"] = {
            "seconds": round(watch.times["embed"] + watch.times["quality_cluster_label"], 2),
            "stages": {"embed": watch.times["embed"],
                       "cluster_label": watch.times["quality_cluster_label"]},
            "nmi": nmi(truth, quality.labels_), "n_topics": int(quality.clusterer_.n_topics_),
            "outlier_share": 0.0}
    else:
        import trendkit

        use_cache = args.variant == "cached"
        if use_cache:
            os.environ["TRENDKIT_CACHE_DIR"] = args.cache_dir or "/tmp/trendkit-bench-cache"
            trendkit.analyze(docs, use_cache=True)  # warm the cache
        start = time.perf_counter()
        result = trendkit.analyze(docs, use_cache=use_cache)
        seconds = time.perf_counter() - start
        out["trendkit"] = {"seconds": round(seconds, 2), "stages": result.meta["timings"],
                           "nmi": nmi(truth, result.documents["topic_id"]),
                           "n_topics": int(result.topics["topic_id"].nunique()),
                           "outlier_share": 0.0,
                           "outliers_reassigned": result.meta["outlier_share"]}
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
