"""Vectors encoded earlier, outside the product (a long encoding run done once), stored
through the product's own store so builds find them (benchmark --only dense, evaluate_matching
--vectors)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from claims.services.vector_store import vectors_store


class VectorsFileError(Exception):
    """The folder holds no vectors to read; the message names it."""


def vectors_preload(folder: Path, encoder_name: str, out: Callable[[str], None]) -> int:
    """Store vectors encoded earlier by the same model: every *.npz in the folder, each with
    `digests` (n × 16 bytes) and `vectors` (n × d float32). Returns how many were read."""
    files = sorted(folder.glob("*.npz"))
    if not files:
        raise VectorsFileError(f"{folder}: no .npz files of digests and vectors")
    started = time.perf_counter()
    total = 0
    for path in files:
        with np.load(path) as chunk:
            digests = [bytes(row) for row in chunk["digests"]]
            vectors_store(encoder_name, digests, chunk["vectors"])
        total += len(digests)
    out(
        f"  {total:,} vectors read from {len(files)} files in {folder} and stored in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return total


class SyntheticEncoder:
    """The configured encoder's name and width, with random unit vectors for values.

    Stands in for the model while the store is filled for timing (`benchmark --only dense
    --synthetic-vectors`): a build reads, matches, clusters and writes random vectors exactly
    as it does the model's, in the same time, without encoding a million texts first (35–90
    minutes on 2 cores, by CPU). What the values decide (recall, agreement, MAP@5) is not
    measured on them.
    """

    def __init__(self, encoder, *, seed: int) -> None:
        self.name = encoder.name
        self.dimensions = int(encoder.encode(["a text to learn the vectors' width"]).shape[1])
        self._rng = np.random.default_rng(seed)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._rng.standard_normal((len(texts), self.dimensions), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
