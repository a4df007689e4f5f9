"""model2vec static embeddings from a local folder (token vectors averaged, very fast)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import TrendkitError
from .base import Embedder, PretrainedEmbedder, Progress, unit_rows
from .registry import backend


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
        return unit_rows(vectors).astype(np.float32)


@backend("model2vec", help="a local model2vec folder", argument="PATH", required=True)
def _model2vec(argument: str, random_state: int) -> Embedder:
    return Model2VecEmbedder(argument)


def local_folder(path: str) -> Embedder:
    """The backend for a model folder given as it is: sentence-transformers or model2vec."""
    from .sentence_transformers import SentenceTransformerEmbedder

    # model2vec folders carry a modules.json too; only sentence-transformers
    # writes its own config file.
    folder = Path(path)
    if any((folder / f).exists() for f in ("config_sentence_transformers.json",
                                           "sentence_bert_config.json")):
        return SentenceTransformerEmbedder(path)
    return Model2VecEmbedder(path)
