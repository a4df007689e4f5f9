"""A seeded generator of realistic, dated abstracts with planted theme trends.

Used by ``trendkit demo`` and as a test fixture whose truth is known: each
document carries the theme it was drawn from (``true_theme``) and
:data:`DEMO_THEMES` says which trajectory each theme follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DemoTheme:
    name: str
    trajectory: str  # rising | declining | flat | late-burst
    expected_status: str
    phrases: tuple[str, ...]
    objects: tuple[str, ...]
    metrics: tuple[str, ...]


DEMO_THEMES: tuple[DemoTheme, ...] = (
    DemoTheme("LLM serving & scheduling", "rising", "emerging",
              ("request scheduling", "LLM serving", "KV cache", "continuous batching",
               "prefill and decode", "inference serving system", "preemption policy",
               "GPU memory management", "serving throughput", "speculative decoding"),
              ("large language model inference", "multi-tenant GPU clusters",
               "online chat services", "long-context requests"),
              ("time to first token", "tail latency", "goodput", "requests per second")),
    DemoTheme("mixture-of-experts", "late-burst", "new",
              ("mixture of experts", "expert routing", "sparse experts", "gating network",
               "expert parallelism", "load balancing loss", "top-k routing", "expert capacity",
               "sparsely activated layers", "router collapse"),
              ("sparse transformer layers", "trillion-parameter language models", "MoE pretraining",
               "expert offloading"),
              ("tokens per expert", "routing entropy", "active parameters", "expert utilisation")),
    DemoTheme("job-shop scheduling", "flat", "stable",
              ("job shop scheduling", "flexible job shop", "makespan minimisation",
               "dispatching rules", "machine assignment", "operation sequencing",
               "disjunctive graph", "production scheduling", "genetic algorithm", "shop floor"),
              ("semiconductor fabs", "manufacturing lines", "flexible manufacturing systems",
               "Taillard instances"),
              ("makespan", "total tardiness", "machine utilisation", "optimality gap")),
    DemoTheme("learning-rate schedules", "declining", "declining",
              ("learning rate schedule", "warmup", "cosine decay", "step decay",
               "cyclical learning rates", "learning rate warmup", "optimizer hyperparameters",
               "stochastic gradient descent", "annealing schedule", "weight decay"),
              ("ResNet training on ImageNet", "transformer pretraining", "CIFAR-10 classifiers",
               "large-batch training"),
              ("final test accuracy", "training loss", "convergence speed", "generalisation gap")),
    DemoTheme("diffusion image generation", "flat", "stable",
              ("diffusion models", "denoising score matching", "text-to-image generation",
               "latent diffusion", "classifier-free guidance", "noise schedule",
               "image synthesis", "sampling steps", "U-Net denoiser", "image editing"),
              ("high-resolution images", "COCO captions", "artistic style transfer",
               "image inpainting"),
              ("FID", "CLIP score", "sampling speed", "human preference")),
    DemoTheme("retrieval-augmented generation", "rising", "emerging",
              ("retrieval-augmented generation", "dense retrieval", "retriever", "knowledge base",
               "passage reranking", "open-domain question answering", "vector database",
               "grounded generation", "hallucination", "document chunking"),
              ("enterprise search", "multi-hop questions", "biomedical literature",
               "customer support assistants"),
              ("exact match", "answer faithfulness", "recall at 10", "citation accuracy")),
    DemoTheme("graph neural networks", "declining", "declining",
              ("graph neural networks", "message passing", "node classification",
               "graph convolution", "over-smoothing", "link prediction", "graph attention",
               "molecular graphs", "neighbourhood aggregation", "graph pooling"),
              ("citation networks", "molecular property prediction", "social graphs",
               "knowledge graphs"),
              ("node classification accuracy", "ROC-AUC", "mean reciprocal rank",
               "expressive power")),
)

_OPENINGS = (
    "{P0} has become a central problem for {O}.",
    "Recent progress in {P0} has changed how practitioners approach {O}.",
    "Existing work on {P0} struggles with {O} at scale.",
    "We study {P0} in the setting of {O}.",
    "{P0} remains costly and brittle for {O}.",
)
_BODY = (
    "We propose a method that combines {P1} with {P2} to handle {O}.",
    "Our key insight is that {P1} interacts with {P2} in ways prior systems ignore.",
    "We introduce a simple {P1} technique and analyse its effect on {P2}.",
    "The approach models {P1} explicitly and adapts {P2} online.",
    "We formulate {P1} as an optimisation problem and solve it with {P2}.",
    "A lightweight predictor guides {P1} while keeping {P2} unchanged.",
)
_RESULTS = (
    "Experiments on {O} show that our method improves {M} by {n}% over strong baselines.",
    "Across several benchmarks, it reduces {M} by {n}% compared with prior work.",
    "Evaluations on {O} report {n}% better {M} with negligible overhead.",
    "Results show consistent gains in {M} of up to {n}%.",
)
_CLOSINGS = (
    "Code and data are publicly available.",
    "We release our implementation to support future research.",
    "These findings suggest practical guidelines for {P0}.",
    "We discuss limitations and open questions for {P0}.",
)
_TITLES = (
    "{A} {P0} for {O}",
    "Rethinking {P0}: {A} {P1} for {O}",
    "{P0} meets {P1}",
    "Towards {A} {P0} with {P1}",
    "Efficient {P0} via {P1}",
)
_NAME_HEADS = ("Flash", "Turbo", "Dyna", "Hyper", "Omni", "Swift", "Lumen", "Astra", "Nova", "Orca",
               "Vega", "Kite", "Pico", "Zeta", "Echo", "Iris", "Atlas", "Helix")
_NAME_TAILS = ("Serve", "Route", "Gen", "Net", "Flow", "Sched", "Mix", "Tune", "Fuse", "Cast",
               "Pilot", "Scope", "Former", "Lite", "Bench", "Sync")
_ADJECTIVES = ("Adaptive", "Scalable", "Robust", "Efficient", "Fast", "Principled", "Practical")


FLAT_SHARE = 0.13  # each flat theme keeps this share of every month


def _share_curves(n_months: int) -> np.ndarray:
    """Share of each theme per month (columns sum to 1), following its trajectory.

    Flat themes hold a constant *share*; the remaining share is split among
    the other themes in proportion to their trajectory weights.
    """
    t = np.linspace(0.0, 1.0, n_months)
    weights = []
    for theme in DEMO_THEMES:
        if theme.trajectory == "rising":
            curve = 0.5 + 2.5 * t
        elif theme.trajectory == "declining":
            curve = 2.5 - 2.2 * t
        elif theme.trajectory == "late-burst":
            start = int(n_months * 0.6)
            curve = np.where(np.arange(n_months) >= start, 1.2, 0.0)
            burst = int(n_months * 0.8)
            curve[burst:burst + 2] = 5.0  # a two-month burst of attention
        else:
            curve = np.zeros(n_months)
        weights.append(curve)
    weights = np.array(weights)
    flat = np.array([theme.trajectory == "flat" for theme in DEMO_THEMES])
    shares = np.zeros_like(weights)
    shares[flat] = FLAT_SHARE
    shares[~flat] = weights[~flat] / weights[~flat].sum(axis=0) * (1 - FLAT_SHARE * flat.sum())
    return shares


def _fill(template: str, theme: DemoTheme, rng: np.random.Generator, neighbour: DemoTheme) -> str:
    phrases = list(rng.permutation(theme.phrases))
    # A borrowed phrase from another theme keeps clustering from being trivial.
    if rng.random() < 0.25:
        phrases[2] = str(rng.choice(neighbour.phrases))
    text = template.format(
        P0=phrases[0], P1=phrases[1], P2=phrases[2], O=rng.choice(theme.objects),
        M=rng.choice(theme.metrics), n=int(rng.integers(8, 60)), A=rng.choice(_ADJECTIVES))
    return text[0].upper() + text[1:]


def make_demo_corpus(n_docs: int = 1800, n_months: int = 30, start: str = "2023-01-01",
                     seed: int = 0) -> pd.DataFrame:
    """Generate a dated corpus of abstract-like documents with planted trends.

    Parameters
    ----------
    n_docs : int, default 1800
        Approximate number of documents (exact for a given seed).
    n_months : int, default 30
    start : str
        First month.
    seed : int

    Returns
    -------
    pandas.DataFrame
        ``doc_id, title, abstract, date, true_theme``.

    Examples
    --------
    >>> corpus = make_demo_corpus(n_docs=200, n_months=24, seed=1)
    >>> len(corpus), corpus["true_theme"].nunique()
    (200, 7)
    """
    rng = np.random.default_rng(seed)
    months = pd.date_range(start, periods=n_months, freq="MS")
    shares = _share_curves(n_months)
    # Monthly volume drifts upwards with noise, like a real listing.
    volume = np.linspace(0.8, 1.2, n_months) * rng.uniform(0.85, 1.15, n_months)
    per_month = np.floor(volume / volume.sum() * n_docs).astype(int)
    per_month[: n_docs - per_month.sum()] += 1
    rows, seen_titles = [], set()
    for m, (month, count) in enumerate(zip(months, per_month)):
        days = month.days_in_month
        for theme_index in rng.choice(len(DEMO_THEMES), size=count, p=shares[:, m]):
            theme = DEMO_THEMES[theme_index]
            offset = int(rng.integers(1, len(DEMO_THEMES)))
            neighbour = DEMO_THEMES[(theme_index + offset) % len(DEMO_THEMES)]
            sentences = [_fill(str(rng.choice(_OPENINGS)), theme, rng, neighbour)]
            sentences += [_fill(str(t), theme, rng, neighbour)
                          for t in rng.choice(_BODY, size=int(rng.integers(2, 4)), replace=False)]
            sentences.append(_fill(str(rng.choice(_RESULTS)), theme, rng, neighbour))
            sentences.append(_fill(str(rng.choice(_CLOSINGS)), theme, rng, neighbour))
            title = _fill(str(rng.choice(_TITLES)), theme, rng, neighbour)
            while title.lower() in seen_titles:  # real listings rarely repeat a title
                title = f"{rng.choice(_NAME_HEADS)}{rng.choice(_NAME_TAILS)}: {title}"
            seen_titles.add(title.lower())
            rows.append({
                "title": title,
                "abstract": " ".join(sentences),
                "date": (month + pd.Timedelta(days=int(rng.integers(0, days)))).strftime(
                    "%Y-%m-%d"),
                "true_theme": theme.name,
            })
    corpus = pd.DataFrame(rows)
    corpus.insert(0, "doc_id", [f"demo-{i + 1:05d}" for i in range(len(corpus))])
    return corpus


def demo_truth() -> pd.DataFrame:
    """The planted trajectory and expected status of each demo theme.

    Examples
    --------
    >>> demo_truth().set_index("theme").loc["job-shop scheduling", "expected_status"]
    'stable'
    """
    return pd.DataFrame([{"theme": t.name, "trajectory": t.trajectory,
                          "expected_status": t.expected_status} for t in DEMO_THEMES])
