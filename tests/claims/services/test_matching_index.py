"""The matcher's cache of analysed texts: bounded, least recently used out first."""

from __future__ import annotations

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
