"""model2vec static embeddings from a local folder (token vectors averaged, very fast)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.preprocessing import normalize

from ..errors import TrendkitError
from .base import PretrainedEmbedder, Progress


@dataclass
class Model2VecEmbedder(PretrainedEmbedder):
    """A local model2vec static-embedding model (folder with its weights)."""

    model_path: str

    @property
    def key(self) -> str:
        return f"model2vec-{Path(self.model_path).name}"

    def transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        try:
            from model2vec import StaticModel
        except ImportError as exc:
            raise TrendkitError("model2vec embeddings need: pip install model2vec") from exc
        vectors = StaticModel.from_pretrained(self.model_path).encode(list(texts))
        if progress:
            progress(len(texts), len(texts))
        return normalize(vectors).astype(np.float32)
