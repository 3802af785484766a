"""A dense encoder for tests, loaded as the product loads a model package
(CLAIMLEDGER_ENCODER=tests.encoders), by worker processes too: no model weights needed.

A text's vector is its words hashed into 64 dimensions, so texts sharing words are near and
the nearest neighbours are known. Every text it encodes in this process is listed in
`encoded` (and each call's texts in `batches`), so a test can tell what was computed, in how
many calls, and what was read from the store.
"""

from __future__ import annotations

import logging
import os
import zlib

import numpy as np

DIMENSIONS = 64
encoded: list[str] = []
batches: list[list[str]] = []


class HashingModel:
    def encode(self, texts, batch_size=64, normalize_embeddings=True, **options) -> np.ndarray:
        encoded.extend(texts)
        batches.append(list(texts))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, zlib.crc32(word.encode()) % DIMENSIONS] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def load_model(device: str = "cpu") -> HashingModel:
    logging.getLogger(__name__).warning("hashing model loaded in process %d", os.getpid())
    return HashingModel()
