"""The matcher's cache of analysed texts (bounded, least recently used out first) and its
choice of top documents."""

from __future__ import annotations

import numpy as np
import pytest

from claims.services.matching_index import _top
from claims.services.matching_terms import CACHED_TEXTS, _terms, _words


def test_the_analysed_text_cache_does_not_grow_past_its_bound() -> None:
    _words.cache_clear()
    try:
        for i in range(CACHED_TEXTS + 10):
            _words(f"w{i}")

        assert _words.cache_info().currsize == CACHED_TEXTS
        assert _terms.cache_info().maxsize == CACHED_TEXTS
    finally:
        _words.cache_clear()


@pytest.mark.parametrize(
    "values",
    [
        # BM25 over a million documents: most zero, a long tail far below the best.
        np.where(np.arange(100_000) % 7 == 0, np.random.default_rng(1).pareto(3, 100_000), 0.0),
        np.zeros(1_000),
        np.array([0.0] * 500 + [3.0, 1e-6, 2.0]),  # fewer than k above zero
        np.array([5.0] * 80 + [1.0] * 20),  # ties across the kth place
        np.random.default_rng(2).normal(0, 1, 10_000),  # fused scores can be negative
        -np.random.default_rng(3).random(1_000),
        np.where(np.arange(100_000) % 9_999 == 0, 1.0 + np.arange(100_000), 0.0),  # 11 hits
        np.array([1.0, 3.0]),  # fewer documents than k
    ],
    ids=[
        "long tail",
        "all zero",
        "few above zero",
        "ties",
        "signed",
        "all negative",
        "few near the best",
        "fewer than k",
    ],
)
def test_the_top_documents_are_the_k_largest_values(values: np.ndarray) -> None:
    top = _top(values, 50)

    assert len(top) == len(set(top.tolist())) == min(50, len(values))
    assert np.array_equal(np.sort(values[top]), np.sort(values)[-len(top) :])
