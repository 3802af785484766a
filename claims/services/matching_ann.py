"""Approximate nearest neighbours of a statement's vector among the claims' (faiss).

An inverted-file index with 8-bit codes (faiss's IVF…,SQ8): the vectors are clustered by
k-means, and a query reads only the `nprobe` clusters nearest to it. Saved beside the
lexical index in each build, and memory-mapped read-only by every worker (faiss's
IO_FLAG_MMAP), so N workers share one copy in the page cache as they do the BM25 arrays.
The cosine of each candidate is then computed exactly from the build's float32 vectors; the
index only chooses which documents to look at. Below MATCH_ANN_MIN_DOCUMENTS documents
the matcher compares every vector instead: that is exact, and fast enough.

What the approximation loses is measured by `benchmark --only dense` (README).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

FILE = "vectors.ivf"
# Training points per cluster: faiss warns below 39; k-means over more costs build time
# (1,000 clusters of 384 dimensions: about 10 s on 2 cores) and gains little.
_TRAIN_PER_LIST = 40


def ann_lists(documents: int) -> int:
    """Clusters for this many vectors: about √n (1,000 at a million), each with at least
    40 members, so a query that reads `nprobe` of them reads about nprobe·√n codes."""
    return max(1, min(int(math.sqrt(documents)), documents // 40))


def ann_build(vectors: np.ndarray, path: Path, *, seed: int = 1) -> None:
    """Train and fill an index of these unit vectors (row i = document i); write it to path."""
    import faiss

    n, dimensions = vectors.shape
    lists = ann_lists(n)
    index = faiss.index_factory(dimensions, f"IVF{lists},SQ8", faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = min(n, lists * _TRAIN_PER_LIST)
    rows = np.sort(rng.choice(n, sample, replace=False)) if sample < n else slice(None)
    index.cp.seed = seed
    # Ten k-means rounds, not faiss's 25: the clusters only choose what a query reads, and
    # at a million vectors the rounds after ten cost seconds and change no measured recall.
    index.cp.niter = 10
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        index.train(np.ascontiguousarray(vectors[rows], dtype=np.float32))
        centroids = index.quantizer.reconstruct_n(0, lists)
        step = 25_000  # a 25,000 x 1,000 float32 product: 100 MB at a time
        for start in range(0, n, step):
            part = np.ascontiguousarray(vectors[start : start + step], dtype=np.float32)
            # Each vector's cluster, the centroid of largest inner product, as faiss's flat
            # quantizer finds it, by matrix products in numpy: a million vectors in 7.3 s
            # where `index.add` took 19-21 s. The same clusters, up to near-ties (all 200,000
            # vectors compared; README, "Dense vectors at scale").
            nearest = np.argmax(part @ centroids.T, axis=1).astype(np.int64)
            index.add_core(len(part), faiss.swig_ptr(part), None, faiss.swig_ptr(nearest))
        faiss.write_index(index, str(path))
    finally:
        _one_thread(faiss)


def _one_thread(faiss) -> None:
    # A statement's search in one thread: it reads a few thousand codes, and waking a second
    # OpenMP thread for it costs milliseconds on a machine whose cores are busy.
    faiss.omp_set_num_threads(1)


@dataclass
class Ann:
    index: object  # faiss.IndexIVFScalarQuantizer, its lists mapped from the file

    def search(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Rows of (about) the k documents nearest to the vector, nearest first."""
        self.index.nprobe = settings.MATCH_ANN_NPROBE
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        _, rows = self.index.search(query, k)
        found = rows[0]
        return found[found >= 0]


def ann_load(folder: Path) -> Ann | None:
    """Map a build's ANN index read-only, or None if the build has none."""
    path = folder / FILE
    if not path.exists():
        return None
    import faiss

    _one_thread(faiss)
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    # The mapped lists would start 32 threads per search to page them in ahead (several ms
    # each time); the page cache holds them already, and a search reads them directly.
    faiss.downcast_InvertedLists(index.invlists).prefetch_nthread = 0
    return Ann(index)
