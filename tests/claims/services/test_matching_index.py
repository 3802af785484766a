"""The matcher's caches of analysed texts and vectors: bounded, least recently used out first."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

from claims.services import matching_terms
from claims.services.matching_terms import CACHED_TEXTS, _terms, _vectors, _words


class CountingEncoder:
    """Stands in for a model: a text's vector is its length and first letter."""

    name = "counting"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return np.array([[len(text), ord(text[0])] for text in texts], dtype=np.float32)


@pytest.fixture
def small_vector_cache(monkeypatch) -> OrderedDict:
    cache: OrderedDict = OrderedDict()
    monkeypatch.setattr(matching_terms, "CACHED_TEXTS", 2)
    monkeypatch.setattr(matching_terms, "_vector_cache", cache)
    return cache


def test_the_vector_cache_keeps_only_the_most_recently_used_texts(small_vector_cache) -> None:
    encoder = CountingEncoder()

    # A batch larger than the bound still gets a vector for every text.
    vectors = _vectors(encoder, ["a", "bb", "ccc"])

    assert vectors.tolist() == [[1, ord("a")], [2, ord("b")], [3, ord("c")]]
    assert list(small_vector_cache) == ["bb", "ccc"]

    _vectors(encoder, ["ccc", "dddd"])

    assert encoder.encoded == ["a", "bb", "ccc", "dddd"]  # "ccc" came from the cache
    assert list(small_vector_cache) == ["ccc", "dddd"]


def test_the_analysed_text_cache_does_not_grow_past_its_bound() -> None:
    _words.cache_clear()
    try:
        for i in range(CACHED_TEXTS + 10):
            _words(f"w{i}")

        assert _words.cache_info().currsize == CACHED_TEXTS
        assert _terms.cache_info().maxsize == CACHED_TEXTS
    finally:
        _words.cache_clear()
