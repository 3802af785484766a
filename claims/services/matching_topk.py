"""The k documents of highest BM25 for a query, summed into buffers a thread keeps.

bm25s's matrix holds, per term, its documents and what the term adds to each one's score. A
statement of common words reads up to 500,000 postings. Summed the plain way (concatenate
the lists, `np.bincount` into a fresh million scores, then select), a statement allocated
and freed some 20 MB: lists as int32 and float32, their int64 and float64 copies, the scores,
a mask and the positions above a cut. glibc hands memory that large back to the kernel when
it is freed, so the next such statement faulted every page in again: about 1,400 page faults
and 12-16 ms of a link's 30, against 1.5 ms for a light statement (README, "Claim linking at
scale"). Here the lists are copied into buffers kept per thread and summed in place, and
nothing the size of the index is allocated per statement.

The sums are bincount's: the same float64 additions in the same order.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

_buffers = threading.local()


def _buffer(name: str, size: int, dtype: type) -> np.ndarray:
    """This thread's buffer `name`, at least `size` long. Grown to twice what it was, and
    at least _FIRST: a longer buffer costs only the pages written, where each growth writes
    fresh pages (a fault each, as above)."""
    array = getattr(_buffers, name, None)
    if array is None or len(array) < size:
        array = np.zeros(max(size, 2 * len(array) if array is not None else _FIRST), dtype)
        setattr(_buffers, name, array)
    return array


# A million postings: a statement of several common words at a million claims.
_FIRST = 1 << 20


def bm25_top(
    matrix: dict, term_ids: Sequence[int], k: int, excluded: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The (at most) k documents of highest score for these distinct term ids, but the
    `excluded`, with their scores, in no order. A document none of the terms is in (score 0)
    is never among them."""
    indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
    spans = [(int(indptr[t]), int(indptr[t + 1])) for t in term_ids]
    n = sum(end - start for start, end in spans)
    if not n or k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    n_docs = int(matrix["num_docs"])
    docs = _buffer("docs", n, np.intp)[:n]
    weights = _buffer("weights", n, np.float64)[:n]
    np.concatenate([indices[s:e] for s, e in spans], out=docs, casting="same_kind")
    np.concatenate([data[s:e] for s, e in spans], out=weights, casting="same_kind")
    # The scores stay zero between statements: only what is added here is set back (or all
    # of them, when that is most). A statement interrupted before that leaves the flag set,
    # and the next one starts from a cleared buffer.
    total = _buffer("total", n_docs, np.float64)[:n_docs]
    if getattr(_buffers, "dirty", False):
        _buffers.total.fill(0.0)
    _buffers.dirty = True
    try:
        np.add.at(total, docs, weights)
        if excluded is not None and len(excluded):
            total[excluded] = 0.0
        if n <= _FEW:
            # A few postings: choose among their documents, not a million scores.
            met = np.unique(docs)
            met = met[total[met] > 0]
            if len(met) > k:
                met = met[np.argpartition(-total[met], k - 1)[:k]]
            return met, total[met]
        best = float(total.max())
        if best <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        top = _top(total, k, best, _buffer("mask", n_docs, np.bool_)[:n_docs])
        return top, total[top]
    finally:
        if n > n_docs // 4:
            total.fill(0.0)
        else:
            total[docs] = 0.0
        _buffers.dirty = False


# Postings up to which the top documents are chosen among the statement's own documents.
_FEW = 4_096


def _top(values: np.ndarray, k: int, best: float, mask: np.ndarray) -> np.ndarray:
    """Positions of the k largest positive values (fewer if fewer are positive), in no order.

    Most of a million scores are far below the best: count those above a cut halved from
    best/2 until k pass (two to four passes for a statement of many postings), and select
    among them alone.
    """
    cut = best / 2
    floor = best / _CUT_FLOOR
    while True:
        np.greater_equal(values, cut, out=mask)
        if np.count_nonzero(mask) >= k or cut <= floor:
            break
        cut /= 2
    if np.count_nonzero(mask) < k:
        np.greater(values, 0.0, out=mask)
    near = np.flatnonzero(mask)
    if len(near) > k:
        near = near[np.argpartition(-values[near], k - 1)[:k]]
    return near


# How far below the best the cut goes before every positive value is taken.
_CUT_FLOOR = 1024


def bm25_of(matrix: dict, term_ids: Sequence[int], docs: np.ndarray) -> np.ndarray:
    """The scores of these documents alone for these distinct term ids (each term's list is
    sorted by document: a binary search per document)."""
    indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
    wanted = np.asarray(docs, dtype=indices.dtype)
    total = np.zeros(len(wanted), dtype=np.float64)
    if not len(wanted):
        return total
    for term_id in term_ids:
        start, end = int(indptr[term_id]), int(indptr[term_id + 1])
        if start == end:
            continue
        listed = indices[start:end]
        at = np.minimum(np.searchsorted(listed, wanted), len(listed) - 1)
        hit = listed[at] == wanted
        total[hit] += data[start:end][at[hit]]
    return total
