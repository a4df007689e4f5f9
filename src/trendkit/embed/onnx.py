"""all-MiniLM-L6-v2 through ONNX Runtime: exported once, int8-quantised, cached.

The packaged weights are exported with ``torch.onnx`` (mean pooling inside the graph,
so only ``(batch, 384)`` leaves the session), quantised with ONNX Runtime's dynamic int8
quantisation and stored under ``<cache>/onnx/<key>/``. Later runs load the cached file
and need neither torch nor transformers: tokenisation uses the model's ``tokenizer.json``.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path
from typing import Sequence

import numpy as np

from ..cache import content_key, default_cache_dir, sha256_file
from ..errors import TrendkitError
from .base import PretrainedEmbedder, Progress
from .registry import backend
from .sentence_transformers import minilm_path, quiet_loading

# Bump when the export or quantisation recipe changes, so old cache entries are not reused.
RECIPE = "minilm-onnx-1:opset17:meanpool:int8-per-channel"
DIM = 384  # all-MiniLM-L6-v2's hidden size, for empty inputs that never load the model
BUILDS = 0  # models exported by this process; tests use it to prove the cache is hit


def _need(module: str, pip_names: str):
    """Import lazily; a missing package becomes a one-line TrendkitError with a pip hint."""
    try:
        return import_module(module)
    except ImportError as exc:
        raise TrendkitError(f"the 'minilm-int8' embedding needs: pip install {pip_names}") from exc


@lru_cache(maxsize=4)
def _build_key(folder: str) -> str:
    """Content key of the weights, tokenizer and exporting libraries (hashed once a process)."""
    root = Path(folder)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    parts = [f"{p.relative_to(root)}:{p.stat().st_size}:{sha256_file(p)}" for p in files]
    # Read versions from metadata: a cache hit must not pay for importing torch.
    installed = {d.metadata["Name"].lower(): d.version for d in metadata.distributions()}
    versions = [f"{d}={installed.get(d)}" for d in ("torch", "transformers", "onnx", "onnxruntime")]
    return content_key(RECIPE, *parts, *versions)


def _export(folder: Path, out: Path) -> None:
    """Trace the HF model plus masked mean pooling to ``model.onnx``, then quantise it."""
    import torch  # build_model checked that these are installed
    import transformers
    from onnxruntime import quantization

    # Eager attention traces to plain MatMul/Softmax, which the quantiser understands.
    with quiet_loading():
        model = transformers.AutoModel.from_pretrained(folder, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            # Keyword call: BertModel's positional order changed across transformers versions.
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
    dummy = (ids, (ids > 0).long(), torch.zeros_like(ids))
    axes = dict.fromkeys(["input_ids", "attention_mask", "token_type_ids"], {0: "batch", 1: "seq"})
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about Python branches are expected
        # dynamo=False: the default dynamo exporter needs onnxscript, the tracer does not.
        torch.onnx.export(Pooled(model), dummy, str(out / "model.onnx"), input_names=list(axes),
                          output_names=["sentence_embedding"],
                          dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
                          opset_version=17, dynamo=False)
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # the quantiser logs a generic pre-processing tip to root
    try:
        # Per-channel weight scales keep cosine to fp32 at ~0.99; per-tensor drops it to ~0.93.
        quantization.quantize_dynamic(str(out / "model.onnx"), str(out / "model.int8.onnx"),
                                      per_channel=True, weight_type=quantization.QuantType.QInt8)
    finally:
        logging.disable(previous)


def build_model(folder: str | Path, cache_dir: str | Path | None = None) -> Path:
    """Export (and quantise) the model once; return its cache folder.

    The folder holds ``model.onnx`` (fp32) and ``model.int8.onnx``. It is built in a
    temporary sibling and renamed into place: an interrupted or concurrent build never
    leaves a half-written model behind.
    """
    global BUILDS
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    final = root / "onnx" / _build_key(str(folder))
    if (final / "model.int8.onnx").exists():
        return final
    for module in ("torch", "transformers", "onnx", "onnxruntime.quantization"):
        _need(module, "torch transformers onnx onnxruntime")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=final.parent))
    except OSError:  # unwritable cache: build for this process only, as other stages do
        final = Path(tempfile.mkdtemp(prefix="trendkit-onnx-")) / final.name
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=final.parent))
    try:
        _export(Path(folder), tmp)
        BUILDS += 1
        try:
            os.replace(tmp, final)
        except OSError:
            if not (final / "model.int8.onnx").exists():  # not a lost race: a real failure
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def cpu_session(model_file: str | Path):
    """An ONNX Runtime session on the CPU, one thread per core."""
    ort = _need("onnxruntime", "onnxruntime")
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    # Idle workers sleep instead of spinning: as fast here, and kinder to a busy machine.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


@dataclass
class OnnxMiniLMEmbedder(PretrainedEmbedder):
    """all-MiniLM-L6-v2 on ONNX Runtime, int8 by default; matches sentence-transformers.

    Parameters
    ----------
    max_length : int, default 256
        Tokens kept per text (the model's own ``max_seq_length`` is 256).
    tail : int, default 0
        Of the ``max_length`` tokens of a long text, how many come from its end (the
        conclusion of an abstract) rather than its start; 0 keeps the first tokens only.
    batch_size : int, default 32
        Texts per session call, after sorting by token length so batches pad little.
    quantize : bool, default True
        Use the int8 model (about 4x smaller, faster); False uses the fp32 export.
    """

    max_length: int = 256
    tail: int = 0
    batch_size: int = 32
    quantize: bool = True
    _session: object = field(default=None, init=False, repr=False, compare=False)
    _tokenizer: object = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        if (not 2 <= self.max_length <= 512 or self.batch_size < 1  # 512 position embeddings
                or not 0 <= self.tail < self.max_length - 1):
            raise TrendkitError(f"need 2 <= max_length <= 512, 0 <= tail < max_length - 1 and "
                                f"batch_size >= 1, got max_length={self.max_length}, "
                                f"tail={self.tail}, batch_size={self.batch_size}")

    @property
    def key(self) -> str:
        tail = f"-tail{self.tail}" if self.tail else ""
        return f"minilm-onnx-{'int8' if self.quantize else 'fp32'}-{self.max_length}{tail}"

    def _load(self) -> None:
        if self._session is not None:
            return
        # Never reach for a hub: everything comes from the packaged folder.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        tokenizers = _need("tokenizers", "tokenizers")
        folder = minilm_path()
        self._tokenizer = tokenizers.Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
        # tokenizer.json ships fixed 128-token padding/truncation; we pad per batch ourselves.
        self._tokenizer.no_padding()
        if self.tail:  # texts are cut after tokenising (head + tail), so keep them whole here
            self._tokenizer.no_truncation()
        else:
            self._tokenizer.enable_truncation(self.max_length)
        name = "model.int8.onnx" if self.quantize else "model.onnx"
        self._session = cpu_session(build_model(folder) / name)

    def transform(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Unit-length float32 rows, one per text, in input order."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.empty((0, DIM), np.float32)
        self._load()
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)]
        if self.tail:  # head + tail; the tail ends with the [SEP] token
            head = self.max_length - self.tail
            ids = [i if len(i) <= self.max_length else i[:head] + i[-self.tail:] for i in ids]
        lengths = np.array([len(i) for i in ids])
        # Length buckets: sorted batches pad little, so short texts cost little.
        order = np.argsort(lengths, kind="stable")
        out = np.empty((len(texts), DIM), np.float32)
        for start in range(0, len(texts), self.batch_size):
            rows = order[start:start + self.batch_size]
            mask = (np.arange(lengths[rows].max()) < lengths[rows, None]).astype(np.int64)
            batch = np.zeros_like(mask)  # [PAD] is id 0 in this vocabulary
            for i, r in enumerate(rows):
                batch[i, :lengths[r]] = ids[r]
            feed = {"input_ids": batch, "attention_mask": mask, "token_type_ids": 0 * batch}
            out[rows] = self._session.run(None, feed)[0]
            if progress:
                progress(min(start + len(rows), len(texts)), len(texts))
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@backend("minilm-int8", help="MiniLM exported to ONNX and int8-quantised, built once",
         aliases=("minilm-onnx",), exact=False)
def _int8(argument: str, random_state: int) -> "OnnxMiniLMEmbedder":
    return OnnxMiniLMEmbedder()
